//! ServeHTTP over a gRPC stream ⇄ `http::Request`/`http::Response` (PROTOCOL §3.8).
//!
//! Inbound: the first message carries `init` and maybe the first body chunk, more chunks follow until
//! `body_complete`. Outbound: the first message carries status and headers, then ≤ 64 KiB chunks.

use crate::hooks::{HttpRequest, HttpResponse};
use crate::pb::v1 as pb;
use bytes::{Bytes, BytesMut};
use http::{HeaderName, HeaderValue, StatusCode};
use tokio_stream::StreamExt;
use tonic::Status;

/// The largest body chunk we send in one message.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// A request read off the stream, or the answer that refuses it (body too large, bad init).
pub enum Inbound {
    Request(HttpRequest),
    Refused(HttpResponse),
}

/// Reads the whole request.
pub async fn read_request(
    mut stream: tonic::Streaming<pb::ServeHttpRequest>,
    max_body: usize,
) -> Result<Inbound, Status> {
    let first = stream.next().await.ok_or_else(|| Status::invalid_argument("ServeHTTP stream was empty"))??;
    let Some(init) = first.init else {
        return Ok(Inbound::Refused(json_error(StatusCode::BAD_REQUEST, "the request had no init message")));
    };
    let mut body = BytesMut::from(&first.body_chunk[..]);
    let mut complete = first.body_complete;
    while !complete {
        match stream.next().await {
            None => break,
            Some(msg) => {
                let msg = msg?;
                if body.len() + msg.body_chunk.len() > max_body {
                    return Ok(Inbound::Refused(json_error(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "the request body is too large",
                    )));
                }
                body.extend_from_slice(&msg.body_chunk);
                complete = msg.body_complete;
            }
        }
    }
    if body.len() > max_body {
        return Ok(Inbound::Refused(json_error(StatusCode::PAYLOAD_TOO_LARGE, "the request body is too large")));
    }
    Ok(build_request(init, body.freeze()))
}

fn build_request(init: pb::ServeHttpRequestInit, body: Bytes) -> Inbound {
    let bad = |what: &str| Inbound::Refused(json_error(StatusCode::BAD_REQUEST, &format!("invalid request {what}")));
    let Ok(uri) = (if init.url.is_empty() { "/" } else { init.url.as_str() }).parse::<http::Uri>() else {
        return bad("url");
    };
    let Ok(method) = http::Method::from_bytes(init.method.as_bytes()) else {
        return bad("method");
    };
    let mut request = HttpRequest::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    let headers = request.headers_mut();
    for h in init.headers {
        let Ok(name) = HeaderName::from_bytes(h.key.as_bytes()) else { continue };
        for v in h.values {
            if let Ok(value) = HeaderValue::from_str(&v) {
                headers.append(name.clone(), value);
            }
        }
    }
    Inbound::Request(request)
}

/// Splits a response into the messages of the reply stream.
pub fn response_messages(response: HttpResponse) -> Vec<pb::ServeHttpResponse> {
    let (parts, body) = response.into_parts();
    let mut headers: Vec<pb::HttpHeader> = Vec::new();
    for name in parts.headers.keys() {
        let values = parts.headers.get_all(name).iter().filter_map(|v| v.to_str().ok().map(str::to_owned)).collect();
        headers.push(pb::HttpHeader { key: canonical(name.as_str()), values });
    }
    let init = pb::ServeHttpResponseInit { status_code: i32::from(parts.status.as_u16()), headers };
    let mut chunks: Vec<Bytes> =
        (0..body.len()).step_by(CHUNK_BYTES).map(|i| body.slice(i..(i + CHUNK_BYTES).min(body.len()))).collect();
    if chunks.is_empty() {
        chunks.push(Bytes::new());
    }
    let last = chunks.len() - 1;
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| pb::ServeHttpResponse {
            init: (i == 0).then(|| init.clone()),
            body_chunk: chunk.to_vec(),
            body_complete: i == last,
            flush: false,
        })
        .collect()
}

/// Go's canonical header form (`content-type` → `Content-Type`), which the server expects.
pub fn canonical(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut c = part.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A JSON error answer `{"error": "..."}` with the given status.
pub fn json_error(status: StatusCode, message: &str) -> HttpResponse {
    let body = serde_json::json!({ "error": message }).to_string();
    let mut response = HttpResponse::new(Bytes::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

#[cfg(test)]
#[path = "http_bridge_props.rs"]
mod http_bridge_props;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_responses_are_chunked_with_init_first() {
        let body = Bytes::from(vec![7u8; 3 * CHUNK_BYTES + 10]);
        let mut response = HttpResponse::new(body.clone());
        response.headers_mut().append("x-multi", HeaderValue::from_static("a"));
        response.headers_mut().append("x-multi", HeaderValue::from_static("b"));
        let messages = response_messages(response);
        assert_eq!(messages.len(), 4);
        let init = messages[0].init.as_ref().expect("first message has init");
        assert_eq!(init.status_code, 200);
        assert_eq!(init.headers[0].key, "X-Multi");
        assert_eq!(init.headers[0].values, ["a", "b"]);
        assert!(messages[1..].iter().all(|m| m.init.is_none()));
        assert!(messages.iter().all(|m| m.body_chunk.len() <= CHUNK_BYTES));
        assert_eq!(messages.iter().filter(|m| m.body_complete).count(), 1);
        assert!(messages[3].body_complete);
        let joined: Vec<u8> = messages.iter().flat_map(|m| m.body_chunk.clone()).collect();
        assert_eq!(joined, body);
    }

    #[test]
    fn empty_responses_still_send_one_complete_message() {
        let messages = response_messages(HttpResponse::new(Bytes::new()));
        assert_eq!(messages.len(), 1);
        assert!(messages[0].init.is_some() && messages[0].body_complete);
    }

    #[test]
    fn header_names_are_go_canonical() {
        assert_eq!(canonical("content-type"), "Content-Type");
        assert_eq!(canonical("mattermost-user-id"), "Mattermost-User-Id");
        assert_eq!(canonical("x-csrf-token"), "X-Csrf-Token");
    }
}
