//! Property tests of the ServeHTTP bridge: any body and chunking reassembles byte-exactly through a real loopback
//! tonic server, responses are chunked ≤ 64 KiB with one init and one `body_complete`, oversized bodies get 413
//! without the stream being read to its end, and any init builds a request or a 400. `PROPTEST_CASES` sets the length.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, StatusCode};
use proptest::prelude::*;
use tokio::sync::watch;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::transport::Channel;

use super::{CHUNK_BYTES, Inbound, build_request, response_messages};
use crate::grpc::{HooksService, MAX_MESSAGE_BYTES};
use crate::hooks::{Hook, Hooks, HttpRequest, HttpResponse};
use crate::pb::v1 as pb;
use crate::pb::v1::plugin_hooks_client::PluginHooksClient;
use crate::pb::v1::plugin_hooks_server::PluginHooksServer;

/// The body limit of the small loopback server (the large one uses the plugin's 16 MiB).
const SMALL_LIMIT: usize = 100_000;
/// Every exchange must finish within this; a server that waits for an endless stream fails here.
const EXCHANGE_LIMIT: Duration = Duration::from_secs(20);

/// Answers every request with its own body and its method and body length as headers.
struct Echo;

#[async_trait::async_trait]
impl Hooks for Echo {
    fn implemented(&self) -> &'static [Hook] {
        &[Hook::ServeHttp]
    }

    async fn serve_http(&self, request: HttpRequest) -> HttpResponse {
        let len = request.body().len().to_string();
        let method = request.method().as_str().to_owned();
        let mut response = HttpResponse::new(request.into_body());
        *response.status_mut() = StatusCode::CREATED;
        response.headers_mut().insert("x-body-len", HeaderValue::from_str(&len).expect("digits"));
        response.headers_mut().insert("x-method", HeaderValue::from_str(&method).expect("a method"));
        response
    }
}

struct Loopback {
    rt: tokio::runtime::Runtime,
    /// Limit 16 MiB (as the plugin), limit [`SMALL_LIMIT`].
    clients: [PluginHooksClient<Channel>; 2],
}

/// One runtime and two loopback servers shared by every case of every test in this module.
fn loopback() -> &'static Loopback {
    static LOOPBACK: OnceLock<Loopback> = OnceLock::new();
    LOOPBACK.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let clients = [16 * 1024 * 1024, SMALL_LIMIT].map(|limit| {
            rt.block_on(async {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
                let addr: SocketAddr = listener.local_addr().expect("bound address");
                let (stop, _) = watch::channel(false);
                let service = PluginHooksServer::new(HooksService::new(Arc::new(Echo), stop, limit))
                    .max_decoding_message_size(MAX_MESSAGE_BYTES)
                    .max_encoding_message_size(MAX_MESSAGE_BYTES);
                tokio::spawn(
                    tonic::transport::Server::builder()
                        .add_service(service)
                        .serve_with_incoming(TcpListenerStream::new(listener)),
                );
                let channel = Channel::from_shared(format!("http://{addr}")).expect("uri").connect().await;
                PluginHooksClient::new(channel.expect("connect to the loopback server"))
                    .max_decoding_message_size(MAX_MESSAGE_BYTES)
                    .max_encoding_message_size(MAX_MESSAGE_BYTES)
            })
        });
        Loopback { rt, clients }
    })
}

fn init(method: &str, body_len: usize) -> pb::ServeHttpRequestInit {
    pb::ServeHttpRequestInit {
        method: method.into(),
        url: "/echo?x=1".into(),
        proto: "HTTP/1.1".into(),
        proto_major: 1,
        proto_minor: 1,
        content_length: i64::try_from(body_len).unwrap_or(i64::MAX),
        ..Default::default()
    }
}

/// `body` cut at `cuts` (sizes, cycled; 0 = an empty message), init on the first; `complete` marks the last one.
fn request_messages(body: &[u8], cuts: &[usize], first_empty: bool, complete: bool) -> Vec<pb::ServeHttpRequest> {
    let mut pieces: Vec<Vec<u8>> = Vec::new();
    if first_empty {
        pieces.push(Vec::new());
    }
    let mut rest = body;
    for size in cuts.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        // A 0 cut sends an empty message, then the stream moves on (it must always make progress).
        if *size == 0 {
            pieces.push(Vec::new());
        }
        let (head, tail) = rest.split_at((*size).clamp(1, rest.len()));
        pieces.push(head.to_vec());
        rest = tail;
    }
    if pieces.is_empty() {
        pieces.push(Vec::new());
    }
    let last = pieces.len() - 1;
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| pb::ServeHttpRequest {
            init: (i == 0).then(|| init("POST", body.len())),
            body_chunk: chunk,
            body_complete: complete && i == last,
        })
        .collect()
}

/// What came back: every response message, in order.
fn exchange(
    client: usize,
    messages: impl tokio_stream::Stream<Item = pb::ServeHttpRequest> + Send + 'static,
) -> Vec<pb::ServeHttpResponse> {
    let lb = loopback();
    let mut client = lb.clients[client].clone();
    lb.rt.block_on(async move {
        tokio::time::timeout(EXCHANGE_LIMIT, async move {
            let mut stream = client.serve_http(messages).await.expect("ServeHTTP answers").into_inner();
            let mut out = Vec::new();
            while let Some(msg) = stream.message().await.expect("the response stream stays healthy") {
                out.push(msg);
            }
            out
        })
        .await
        .expect("the exchange finishes in time")
    })
}

/// The response invariants: init first and only there, one `body_complete` on the last message, chunks ≤ 64 KiB.
fn check_response(messages: &[pb::ServeHttpResponse]) -> Result<(i32, Vec<pb::HttpHeader>, Vec<u8>), TestCaseError> {
    prop_assert!(!messages.is_empty(), "at least one response message");
    prop_assert!(messages[0].init.is_some(), "init comes first");
    prop_assert_eq!(messages.iter().filter(|m| m.init.is_some()).count(), 1, "exactly one init");
    prop_assert_eq!(messages.iter().filter(|m| m.body_complete).count(), 1, "exactly one body_complete");
    prop_assert!(messages.last().is_some_and(|m| m.body_complete), "body_complete on the last message");
    prop_assert!(messages.iter().all(|m| m.body_chunk.len() <= CHUNK_BYTES), "chunks ≤ 64 KiB");
    let init = messages[0].init.clone().unwrap_or_default();
    Ok((init.status_code, init.headers, messages.iter().flat_map(|m| m.body_chunk.clone()).collect()))
}

fn header<'a>(headers: &'a [pb::HttpHeader], key: &str) -> Option<&'a str> {
    headers.iter().find(|h| h.key == key).and_then(|h| h.values.first()).map(String::as_str)
}

/// A body of `len` bytes cycling through `seed` (large bodies without generating every byte).
fn body(seed: &[u8], len: usize) -> Vec<u8> {
    seed.iter().copied().cycle().take(len).collect()
}

proptest! {
    // Each case moves up to 300 KB through a real server: a quarter of the cases (`PROPTEST_CASES` included).
    #![proptest_config(ProptestConfig { cases: (ProptestConfig::default().cases / 4).max(1), ..ProptestConfig::default() })]

    #[test]
    fn props_reassembly_is_byte_exact_for_any_chunking(
        seed in prop::collection::vec(any::<u8>(), 1..64),
        len in prop_oneof![0..1_000usize, 0..300_000usize],
        cuts in prop::collection::vec(prop_oneof![0..16usize, 1..70_000usize], 1..8),
        first_empty in any::<bool>(),
        complete in any::<bool>(),
    ) {
        let body = body(&seed, len);
        let messages = request_messages(&body, &cuts, first_empty, complete);
        let answer = exchange(0, tokio_stream::iter(messages));
        let (status, headers, echoed) = check_response(&answer)?;
        prop_assert_eq!(status, 201);
        prop_assert_eq!(header(&headers, "X-Body-Len").map(str::to_owned), Some(len.to_string()));
        prop_assert_eq!(header(&headers, "X-Method"), Some("POST"));
        prop_assert!(echoed == body, "the echoed body differs ({} bytes sent, {} back)", len, echoed.len());
    }

    #[test]
    fn props_bodies_over_the_limit_answer_413_and_others_pass(
        len in (SMALL_LIMIT - 2_000)..(SMALL_LIMIT + 2_000),
        cuts in prop::collection::vec(1..40_000usize, 1..4),
    ) {
        let messages = request_messages(&body(b"x", len), &cuts, false, true);
        let (status, _, echoed) = check_response(&exchange(1, tokio_stream::iter(messages)))?;
        if len <= SMALL_LIMIT {
            prop_assert_eq!((status, echoed.len()), (201, len));
        } else {
            prop_assert_eq!(status, 413);
            let json: serde_json::Value = serde_json::from_slice(&echoed).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&json["error"], "the request body is too large");
        }
    }

}

proptest! {
    #[test]
    fn props_responses_chunk_any_body(len in prop_oneof![0..10usize, 0..600_000usize], status in 100u16..600) {
        let body = Bytes::from(body(b"0123456789abcdef", len));
        let mut response = HttpResponse::new(body.clone());
        *response.status_mut() = StatusCode::from_u16(status).expect("100..600 is a status");
        response.headers_mut().append("x-thing", HeaderValue::from_static("a"));
        let messages = response_messages(response);
        let (code, headers, joined) = check_response(&messages)?;
        prop_assert_eq!(code, i32::from(status));
        prop_assert_eq!(header(&headers, "X-Thing"), Some("a"));
        prop_assert_eq!(messages.len(), len.div_ceil(CHUNK_BYTES).max(1), "no empty chunk beyond the first");
        prop_assert!(joined == body.as_ref());
    }

    #[test]
    fn props_any_init_builds_a_request_or_a_400(
        method in any::<String>(),
        url in any::<String>(),
        headers in prop::collection::vec((any::<String>(), prop::collection::vec(any::<String>(), 0..3)), 0..5),
    ) {
        let init = pb::ServeHttpRequestInit {
            method: method.clone(),
            url,
            headers: headers.into_iter().map(|(key, values)| pb::HttpHeader { key, values }).collect(),
            ..Default::default()
        };
        match build_request(init, Bytes::from_static(b"body")) {
            Inbound::Request(r) => {
                prop_assert_eq!(r.method().as_str(), method.as_str());
                prop_assert_eq!(r.body().as_ref(), b"body");
            }
            Inbound::Refused(r) => prop_assert_eq!(r.status(), StatusCode::BAD_REQUEST),
        }
    }
}

/// An endless request stream over the limit is answered 413 at once: the bridge stops reading instead of
/// buffering until the client is done (which would never happen).
#[test]
fn props_an_endless_oversized_stream_is_refused_without_reading_it_all() {
    let chunk = vec![b'y'; 16 * 1024];
    let first = pb::ServeHttpRequest { init: Some(init("PUT", 0)), body_chunk: chunk.clone(), body_complete: false };
    let rest = std::iter::repeat_with(move || pb::ServeHttpRequest { body_chunk: chunk.clone(), ..Default::default() });
    let messages = tokio_stream::iter(std::iter::once(first).chain(rest));
    let answer = exchange(1, messages);
    let (status, _, _) = check_response(&answer).expect("a well-formed answer");
    assert_eq!(status, 413);
}

/// A stream whose first message has no init is refused with 400, and an empty stream is a gRPC error.
#[test]
fn props_a_stream_without_init_is_refused() {
    let no_init = pb::ServeHttpRequest { body_chunk: b"x".to_vec(), body_complete: true, ..Default::default() };
    let (status, _, _) = check_response(&exchange(0, tokio_stream::iter(vec![no_init]))).expect("an answer");
    assert_eq!(status, 400);
    let lb = loopback();
    let mut client = lb.clients[0].clone();
    let empty = lb.rt.block_on(client.serve_http(tokio_stream::iter(Vec::<pb::ServeHttpRequest>::new())));
    let code = match empty {
        Ok(r) => lb.rt.block_on(r.into_inner().message()).expect_err("no answer to an empty stream").code(),
        Err(s) => s.code(),
    };
    assert_eq!(code, tonic::Code::InvalidArgument);
}
