//! The server side of the `ServeHTTP` stream: an HTTP request in, the plugin's HTTP response out.

use std::sync::atomic::Ordering;

use bytes::Bytes;
use mm::pb::v1::{HttpHeader, ServeHttpRequest, ServeHttpRequestInit};

use crate::context::Shared;

/// Body chunk size of the request stream (the server's 64 KiB).
pub const CHUNK: usize = 64 * 1024;
/// Largest request body forwarded to a plugin route.
pub const MAX_PLUGIN_BODY: usize = 10 * 1024 * 1024;

/// An HTTP request for the plugin, already authenticated (`user_id`) by the caller.
#[derive(Debug, Clone, Default)]
pub struct PluginRequest {
    pub method: String,
    /// The original request URI, e.g. `/plugins/<id>/api/v1/x?y=1`.
    pub uri: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    pub user_id: Option<String>,
    pub remote_addr: String,
}

/// The plugin's answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PluginResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl PluginResponse {
    fn error(status: u16, text: &str) -> Self {
        let body =
            serde_json::json!({ "id": "api.plugin.serve_http.app_error", "message": text, "status_code": status });
        Self {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: Bytes::from(body.to_string()),
        }
    }

    /// The body parsed as JSON (empty body = `{}`).
    pub fn json(&self) -> Result<serde_json::Value, serde_json::Error> {
        if self.body.is_empty() {
            return Ok(serde_json::json!({}));
        }
        serde_json::from_slice(&self.body)
    }
}

/// Go's canonical header form: `content-type` → `Content-Type`.
pub fn canonical_header(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// `request_uri` without `/plugins/<id>` and without an `access_token` query parameter.
pub fn plugin_url(uri: &str, plugin_id: &str) -> String {
    let (path, query) = uri.split_once('?').map_or((uri, None), |(p, q)| (p, Some(q)));
    let prefix = format!("/plugins/{plugin_id}");
    let mut path = path.strip_prefix(&prefix).unwrap_or(path).to_string();
    if path.is_empty() {
        path.push('/');
    }
    let query: Vec<&str> =
        query.unwrap_or_default().split('&').filter(|kv| !kv.is_empty() && !kv.starts_with("access_token=")).collect();
    if query.is_empty() { path } else { format!("{path}?{}", query.join("&")) }
}

fn headers_for_plugin(req: &PluginRequest) -> Vec<HttpHeader> {
    let mut out: Vec<HttpHeader> = Vec::new();
    for (name, value) in &req.headers {
        let lower = name.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "mattermost-user-id" | "mattermost-plugin-id" | "authorization" | "cookie" | "referer"
        ) {
            continue;
        }
        let key = canonical_header(name);
        match out.iter_mut().find(|h| h.key == key) {
            Some(h) => h.values.push(value.clone()),
            None => out.push(HttpHeader { key, values: vec![value.clone()] }),
        }
    }
    if let Some(user) = &req.user_id {
        out.push(HttpHeader { key: "Mattermost-User-Id".into(), values: vec![user.clone()] });
    }
    out
}

/// Streams the request into `ServeHTTP` on the next active node and collects the response.
pub async fn serve_http(shared: &Shared, req: PluginRequest) -> PluginResponse {
    if req.body.len() > MAX_PLUGIN_BODY {
        return PluginResponse::error(413, "the request body is too large");
    }
    let Some((node, conn)) = shared.sup.pick() else {
        return PluginResponse::error(503, "the plugin is not active");
    };
    if !conn.implemented.contains("ServeHTTP") {
        return PluginResponse::error(404, "the plugin does not serve HTTP (ServeHTTP is not implemented)");
    }
    let init = ServeHttpRequestInit {
        plugin_context: None,
        method: req.method.to_ascii_uppercase(),
        url: plugin_url(&req.uri, shared.plugin_id()),
        proto: "HTTP/1.1".into(),
        proto_major: 1,
        proto_minor: 1,
        headers: headers_for_plugin(&req),
        host: shared.site_url.trim_start_matches("http://").trim_end_matches('/').to_string(),
        remote_addr: req.remote_addr.clone(),
        request_uri: req.uri.clone(),
        content_length: i64::try_from(req.body.len()).unwrap_or(i64::MAX),
    };
    let mut chunks: Vec<Bytes> = req.body.chunks(CHUNK).map(Bytes::copy_from_slice).collect();
    let mut messages = Vec::new();
    let first = if chunks.is_empty() { Bytes::new() } else { chunks.remove(0) };
    messages.push(ServeHttpRequest { init: Some(init), body_chunk: first.to_vec(), body_complete: chunks.is_empty() });
    let n = chunks.len();
    for (i, c) in chunks.into_iter().enumerate() {
        messages.push(ServeHttpRequest { init: None, body_chunk: c.to_vec(), body_complete: i + 1 == n });
    }
    let before = node.api_calls.load(Ordering::SeqCst);
    let response = collect(conn.hooks.clone(), messages).await;
    let after = node.api_calls.load(Ordering::SeqCst);
    shared.counters.record_hook("ServeHTTP", after.saturating_sub(before));
    response
}

async fn collect(
    mut hooks: mm::pb::v1::plugin_hooks_client::PluginHooksClient<tonic::transport::Channel>,
    messages: Vec<ServeHttpRequest>,
) -> PluginResponse {
    let mut stream = match hooks.serve_http(tokio_stream::iter(messages)).await {
        Ok(s) => s.into_inner(),
        Err(s) => {
            tracing::warn!("ServeHTTP failed before any response: {}: {}", s.code(), s.message());
            return PluginResponse::error(502, "the plugin failed to answer");
        }
    };
    let mut out = PluginResponse { status: 200, headers: Vec::new(), body: Bytes::new() };
    let mut body = Vec::new();
    let mut first = true;
    loop {
        match stream.message().await {
            Ok(Some(msg)) => {
                if first {
                    first = false;
                    if let Some(init) = msg.init {
                        out.status = match init.status_code {
                            0 => 200,
                            s if (100..=999).contains(&s) => u16::try_from(s).unwrap_or(500),
                            _ => 500,
                        };
                        for h in init.headers {
                            for v in h.values {
                                out.headers.push((h.key.clone(), v));
                            }
                        }
                    }
                }
                body.extend_from_slice(&msg.body_chunk);
                if msg.body_complete {
                    break;
                }
            }
            Ok(None) => break,
            Err(s) if first => {
                tracing::warn!("ServeHTTP failed before any response: {}: {}", s.code(), s.message());
                return PluginResponse::error(502, "the plugin failed to answer");
            }
            Err(s) => {
                tracing::warn!("ServeHTTP stream broke after the headers; the response is truncated: {}", s.message());
                break;
            }
        }
    }
    out.body = Bytes::from(body);
    out
}
