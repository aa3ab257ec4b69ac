//! The dev web server (127.0.0.1 only): page, static files, `/api/v4`, `/dev/api`, `/plugins/<id>/…`, websocket.

mod faults;
mod rest;
mod ws;

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path as UrlPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{AppendHeaders, Html, IntoResponse, Response};
use axum::routing::{any, get};
use serde_json::json;

use crate::api::convert::ApiError;
use crate::context::Shared;
use crate::ids::new_id;
use crate::servehttp::{MAX_PLUGIN_BODY, PluginRequest, serve_http};

/// Largest JSON body accepted on `/api/v4` and `/dev/api`.
pub const MAX_API_BODY: usize = 1024 * 1024;

/// An error answered as `{"id","message","status_code"}` with its HTTP status.
#[derive(Debug)]
pub struct WebError(pub ApiError);

impl From<ApiError> for WebError {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

impl From<crate::store::StoreError> for WebError {
    fn from(e: crate::store::StoreError) -> Self {
        Self(e.into())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = json!({ "id": self.0.id, "message": self.0.message, "status_code": self.0.status });
        (status, axum::Json(body)).into_response()
    }
}

pub type WebResult<T> = Result<T, WebError>;

/// The requester as the cookies and CSRF rule say.
#[derive(Debug, Clone, Default)]
pub struct Auth {
    pub user_id: Option<String>,
    pub csrf_ok: bool,
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// Cookie `MMUSERID` names the user; non-GET requests need `X-CSRF-Token` = `MMCSRF` or `X-Requested-With: XMLHttpRequest`.
pub fn auth(headers: &HeaderMap, method: &Method) -> Auth {
    let user_id = cookie(headers, "MMUSERID");
    let token = cookie(headers, "MMCSRF");
    let header_token = headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
    let xrw = headers
        .get("x-requested-with")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("XMLHttpRequest"));
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    let csrf_ok = safe || xrw || (token.is_some() && header_token == token.as_deref());
    Auth { user_id, csrf_ok }
}

/// The authenticated user id for `/api/v4`, or 401.
pub fn require_user(shared: &Shared, headers: &HeaderMap, method: &Method) -> WebResult<String> {
    let a = auth(headers, method);
    let unauthorized = |m: &str| WebError(ApiError::new(401, "api.context.session_expired.app_error", m));
    let user = a.user_id.ok_or_else(|| unauthorized("no MMUSERID cookie: pick a user on the page first"))?;
    if !a.csrf_ok {
        return Err(unauthorized("missing X-CSRF-Token (or X-Requested-With: XMLHttpRequest) on a non-GET request"));
    }
    shared.store.get_user(&user).map_err(|_| unauthorized("the MMUSERID cookie names no user"))?;
    Ok(user)
}

/// `Set-Cookie` headers that make `user_id` the current user.
pub fn identity_cookies(user_id: &str) -> AppendHeaders<[(header::HeaderName, HeaderValue); 2]> {
    let mk = |s: String| HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""));
    AppendHeaders([
        (header::SET_COOKIE, mk(format!("MMUSERID={user_id}; Path=/; SameSite=Lax"))),
        (header::SET_COOKIE, mk(format!("MMCSRF={}; Path=/; SameSite=Lax", new_id()))),
    ])
}

pub fn router(shared: Arc<Shared>) -> Router {
    let api = rest::routes().merge(faults::routes()).layer(DefaultBodyLimit::max(MAX_API_BODY));
    Router::new()
        .route("/", get(index))
        .route("/static/plugins/{plugin_id}/{*file}", get(plugin_static))
        .route("/static/{*file}", get(page_static))
        .route("/api/v4/websocket", get(ws::upgrade))
        .route("/plugins/{*rest}", any(plugin_route).layer(DefaultBodyLimit::max(MAX_PLUGIN_BODY)))
        .merge(api)
        .with_state(shared)
}

/// Serves the router on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(shared).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

const PAGE_MISSING: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Dev host</title></head><body>\
<h1>Mattermost dev host</h1><p>The page bundle <code>devhost.js</code> was not found in the page directory \
(<code>--page-dir</code>, default <code>webapp/dist</code>).</p><p>Build it with <code>make webapp</code> \
(or <code>cd webapp &amp;&amp; npm ci &amp;&amp; npm run build</code>) and reload. The plugin and the \
<code>/api/v4</code>, <code>/plugins/…</code> endpoints work without it; see <a href=\"/dev/api/state\">/dev/api/state</a>.</p></body></html>";

const PAGE: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Mattermost dev host</title>\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head><body><div id=\"root\"></div>\
<script>window.basename = \"\";</script><script src=\"/static/devhost.js\"></script></body></html>";

async fn index(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let html = if shared.page_dir.join("devhost.js").is_file() { PAGE } else { PAGE_MISSING };
    let known = cookie(&headers, "MMUSERID").is_some_and(|id| shared.store.get_user(&id).is_ok());
    if known {
        return Html(html).into_response();
    }
    match shared.store.get_user_by_username("admin") {
        Ok(admin) => (identity_cookies(&admin.id), Html(html)).into_response(),
        Err(_) => Html(html).into_response(),
    }
}

fn safe_join(root: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    if rel.components().all(|c| matches!(c, Component::Normal(_))) { Some(root.join(rel)) } else { None }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

async fn send_file(root: &Path, rel: &str) -> Response {
    let Some(path) = safe_join(root, rel) else {
        return WebError(ApiError::bad_request("api.static.path.app_error", "bad path")).into_response();
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => {
            ([(header::CONTENT_TYPE, content_type(&path)), (header::CACHE_CONTROL, "no-cache")], bytes).into_response()
        }
        Err(_) => {
            WebError(ApiError::new(404, "api.static.not_found.app_error", format!("{rel} not found"))).into_response()
        }
    }
}

async fn page_static(State(shared): State<Arc<Shared>>, UrlPath(file): UrlPath<String>) -> Response {
    send_file(&shared.page_dir, &file).await
}

/// The directory the plugin's webapp bundle lives in (`webapp/dist` unless `bundle_path` says otherwise).
pub fn webapp_dir(shared: &Shared) -> Option<PathBuf> {
    let plugin = shared.plugin.get()?;
    let bundle = plugin.manifest.webapp_bundle().unwrap_or("webapp/dist/main.js");
    Some(plugin.dir.join(Path::new(bundle).parent().unwrap_or(Path::new("webapp/dist"))))
}

async fn plugin_static(
    State(shared): State<Arc<Shared>>,
    UrlPath((plugin_id, file)): UrlPath<(String, String)>,
) -> Response {
    match webapp_dir(&shared).filter(|_| plugin_id == shared.plugin_id()) {
        Some(dir) => send_file(&dir, &file).await,
        None => WebError(ApiError::new(404, "api.plugin.not_found", format!("no plugin {plugin_id}"))).into_response(),
    }
}

async fn plugin_route(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_PLUGIN_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return WebError(ApiError::new(413, "api.plugin.body_too_large", "the request body is over 10 MiB"))
                .into_response();
        }
    };
    let prefix = format!("/plugins/{}", shared.plugin_id());
    let path = parts.uri.path();
    if shared.plugin_id().is_empty() || !(path == prefix || path.starts_with(&format!("{prefix}/"))) {
        return WebError(ApiError::new(404, "app.plugin.not_found.app_error", "no such plugin")).into_response();
    }
    let a = auth(&parts.headers, &parts.method);
    let user_id = a.user_id.filter(|u| a.csrf_ok && shared.store.get_user(u).is_ok());
    let headers = parts
        .headers
        .iter()
        .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_string(), v.to_string())))
        .collect();
    let req = PluginRequest {
        method: parts.method.to_string(),
        uri: parts.uri.path_and_query().map_or_else(|| path.to_string(), |pq| pq.as_str().to_string()),
        headers,
        body,
        user_id,
        remote_addr: peer.to_string(),
    };
    let answer = serve_http(&shared, req).await;
    let mut response = Response::new(axum::body::Body::from(answer.body));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in answer.headers {
        let lower = k.to_ascii_lowercase();
        if matches!(lower.as_str(), "content-length" | "transfer-encoding" | "connection") {
            continue;
        }
        if let (Ok(name), Ok(value)) = (header::HeaderName::from_bytes(k.as_bytes()), HeaderValue::from_str(&v)) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

/// Parses a JSON request body with a clear 400 on failure.
pub fn parse_json<T: serde::de::DeserializeOwned>(body: &Bytes) -> WebResult<T> {
    serde_json::from_slice(body).map_err(|e| {
        WebError(ApiError::bad_request("api.context.invalid_body_param.app_error", format!("invalid JSON body: {e}")))
    })
}
