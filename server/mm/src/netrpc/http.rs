//! ServeHTTP over net/rpc (Mattermost's `client_rpc.go`, `http.go`, `io_rpc.go`).
//!
//! The host reserves a response-writer stream (a net/rpc server with `SyncHeader`, `WriteHeader`,
//! `Write`) and, when there is a body, a body stream read with a tiny protocol: we send a zig-zag
//! varint byte count, it copies that many bytes and closes the stream when the body ran out. We read
//! the whole body, run the hook, write the answer, close the writer, and only then reply.

use super::broker::Broker;
use super::calls::{ServeHttpArgs, Z0};
use super::gomodel::GoHttpRequest;
use super::rpc::{self, Reply, reply};
use crate::grpc::http_bridge::{canonical, json_error};
use crate::hooks::{Hooks, HttpRequest, HttpResponse};
use bytes::{Bytes, BytesMut};
use http::{HeaderName, HeaderValue, StatusCode};
use std::collections::BTreeMap;

/// Response bodies are sent in `Write` calls of at most this size.
const WRITE_CHUNK: usize = 256 * 1024;

/// Go's `binary.PutVarint`: zig-zag, then base-128 little-endian groups.
pub fn put_varint(out: &mut Vec<u8>, v: i64) {
    let mut u = ((v << 1) ^ (v >> 63)) as u64;
    while u >= 0x80 {
        out.push((u as u8) | 0x80);
        u >>= 7;
    }
    out.push(u as u8);
}

enum Body {
    Read(Bytes),
    TooLarge,
}

/// Runs one `Plugin.ServeHTTP` call.
pub async fn serve<H: Hooks>(hooks: &H, broker: &Broker, args: ServeHttpArgs, max_body: usize) -> Reply {
    let writer = broker.dial(args.response_writer_stream).await.map_err(|e| e.to_string())?;
    let writer = rpc::Client::new(writer);
    let body = if args.request_body_stream == 0 {
        Body::Read(Bytes::new())
    } else {
        let stream = broker.dial(args.request_body_stream).await.map_err(|e| e.to_string())?;
        read_body(stream, max_body).await.map_err(|e| e.to_string())?
    };
    let response = match body {
        Body::TooLarge => json_error(StatusCode::PAYLOAD_TOO_LARGE, "the request body is too large"),
        Body::Read(body) => match build_request(args.request.unwrap_or_default(), body) {
            Ok(request) => hooks.serve_http(request).await,
            Err(what) => json_error(StatusCode::BAD_REQUEST, &format!("invalid request {what}")),
        },
    };
    let written = write_response(&writer, response).await;
    writer.close().await;
    written.map_err(|e| e.to_string())?;
    reply(Z0 {})
}

async fn read_body(stream: super::yamux::Stream, max_body: usize) -> Result<Body, super::yamux::YamuxError> {
    let (mut r, w) = stream.into_split();
    let mut ask = Vec::new();
    // One request for more than we accept: the host sends it all and closes, or we know it is too large.
    put_varint(&mut ask, max_body as i64 + 1);
    w.write_all(&ask).await?;
    let mut body = BytesMut::new();
    while let Some(chunk) = r.read_some(usize::MAX).await {
        body.extend_from_slice(&chunk);
        if body.len() > max_body {
            w.close();
            return Ok(Body::TooLarge);
        }
    }
    w.close();
    Ok(Body::Read(body.freeze()))
}

/// The plugin's request; the error names what was invalid.
fn build_request(go: GoHttpRequest, body: Bytes) -> Result<HttpRequest, &'static str> {
    let url = String::from_utf8(go.url.0).map_err(|_| "url")?;
    let mut uri =
        if url.is_empty() { "/".parse::<http::Uri>() } else { url.parse::<http::Uri>() }.map_err(|_| "url")?;
    if uri.scheme().is_some() {
        // Only the path and query matter to the plugin.
        uri = uri.path_and_query().map_or("/", |p| p.as_str()).parse().map_err(|_| "url")?;
    }
    let method = if go.method.is_empty() { "GET" } else { go.method.as_str() };
    let method = http::Method::from_bytes(method.as_bytes()).map_err(|_| "method")?;
    let mut request = HttpRequest::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    let headers = request.headers_mut();
    for (name, values) in go.header {
        let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else { continue };
        for v in values {
            if let Ok(value) = HeaderValue::from_str(&v) {
                headers.append(name.clone(), value);
            }
        }
    }
    if !go.host.is_empty()
        && !headers.contains_key(http::header::HOST)
        && let Ok(host) = HeaderValue::from_str(&go.host)
    {
        headers.insert(http::header::HOST, host);
    }
    Ok(request)
}

/// `SyncHeader`, `WriteHeader`, then `Write` in chunks, each awaited, as Go's writer client does.
async fn write_response(writer: &rpc::Client, response: HttpResponse) -> Result<(), rpc::RpcError> {
    let (parts, body) = response.into_parts();
    let mut header: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in &parts.headers {
        if let Ok(v) = value.to_str() {
            header.entry(canonical(name.as_str())).or_default().push(v.to_owned());
        }
    }
    writer.call_discard("Plugin.SyncHeader", &header).await?;
    writer.call_discard("Plugin.WriteHeader", &i64::from(parts.status.as_u16())).await?;
    for chunk in body.chunks(WRITE_CHUNK) {
        writer.call_discard("Plugin.Write", &chunk.to_vec()).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_match_go_binary_put_varint() {
        let enc = |v| {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            out
        };
        assert_eq!(enc(0), [0x00]);
        assert_eq!(enc(1), [0x02]);
        assert_eq!(enc(-1), [0x01]);
        assert_eq!(enc(64), [0x80, 0x01]);
        assert_eq!(enc(32 * 1024), [0x80, 0x80, 0x04]);
    }

    #[test]
    fn requests_keep_path_query_and_headers() {
        let mut header = BTreeMap::new();
        header.insert("Mattermost-User-Id".to_owned(), vec!["u1".to_owned()]);
        let go = GoHttpRequest {
            method: "POST".into(),
            url: gobwire::BinaryBytes(b"/api/v0/incidents?x=1".to_vec()),
            header,
            host: "chat.example.com".into(),
            ..GoHttpRequest::default()
        };
        let r = build_request(go, Bytes::from_static(b"{}")).unwrap();
        assert_eq!(r.method(), http::Method::POST);
        assert_eq!(r.uri().path(), "/api/v0/incidents");
        assert_eq!(r.uri().query(), Some("x=1"));
        assert_eq!(r.headers()["mattermost-user-id"], "u1");
        assert_eq!(r.headers()["host"], "chat.example.com");
        assert_eq!(&r.body()[..], b"{}");
    }
}
