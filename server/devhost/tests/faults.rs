//! Injected PluginAPI faults seen through real gRPC clients (raw tonic and the SDK's `GrpcApi`), and the dev-only
//! `/dev/api/faults` endpoint that sets them.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use devhost::bundle::PluginDir;
use devhost::context::Shared;
use devhost::faults::FAULT_ERROR_ID;
use devhost::manifest::Manifest;
use devhost::store::Store;
use devhost::supervisor::Supervisor;
use devhost::{Fault, FaultError};
use mm::PluginApi;
use mm::grpc::GrpcApi;
use mm::pb::v1 as pb;
use mm::pb::v1::plugin_api_client::PluginApiClient;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tonic::transport::Channel;

const PLUGIN_ID: &str = "com.example.faults-test";

struct Api {
    shared: Arc<Shared>,
    raw: PluginApiClient<Channel>,
    sdk: GrpcApi,
}

/// A host state with one node's PluginAPI server on 127.0.0.1, and two clients of it.
async fn setup(dir: &Path) -> Api {
    let manifest = serde_json::json!({
        "id": PLUGIN_ID, "version": "0.0.1", "server": { "executable": "plugin.py", "runtime": "python" },
    });
    std::fs::write(dir.join("plugin.json"), manifest.to_string()).unwrap();
    std::fs::write(dir.join("plugin.py"), "# dummy\n").unwrap();
    let sup = Supervisor::new(1, Duration::from_secs(30), Duration::from_secs(10));
    let store = Store::open(&dir.join("test.db")).unwrap();
    let shared = Arc::new(Shared::new(store, "http://127.0.0.1:8065".into(), dir.to_path_buf(), sup));
    shared.plugin.set(PluginDir { dir: dir.to_path_buf(), manifest: Manifest::load(dir).unwrap() }).unwrap();
    let (addr, shutdown) = devhost::api::serve(Arc::clone(&shared), 0).await.unwrap();
    std::mem::forget(shutdown);
    let raw = PluginApiClient::connect(format!("http://{addr}")).await.unwrap();
    let sdk = GrpcApi::connect_lazy(&addr.to_string()).unwrap();
    Api { shared, raw, sdk }
}

fn set_request(key: &str, value: &[u8]) -> pb::KvSetWithOptionsRequest {
    pb::KvSetWithOptionsRequest { key: key.into(), value: value.to_vec(), options: Some(Default::default()) }
}

#[tokio::test]
async fn error_faults_answer_an_app_error_in_the_rpcs_own_style() {
    let tmp = tempfile::tempdir().unwrap();
    let mut api = setup(tmp.path()).await;

    // Style F (error in the body, gRPC OK): the write is refused and not applied; `times` bounds it.
    api.shared.faults.inject("KVSetWithOptions", Fault::error(500).times(1)).unwrap();
    let r = api.raw.kv_set_with_options(set_request("k", b"v1")).await.unwrap().into_inner();
    let e = r.error.expect("an AppError in the body");
    assert_eq!((e.status_code, e.id.as_str(), e.r#where.as_str()), (500, FAULT_ERROR_ID, "KVSetWithOptions"));
    assert!(e.message.contains("KVSetWithOptions"), "{}", e.message);
    assert!(!r.success);
    assert_eq!(api.shared.store.kv_get(PLUGIN_ID, "k").unwrap(), b"", "a refused write changes nothing");
    assert!(api.shared.faults.list().is_empty(), "times: 1 cleared the fault after one call");
    let r = api.raw.kv_set_with_options(set_request("k", b"v2")).await.unwrap().into_inner();
    assert!(r.error.is_none() && r.success, "the next call goes through: {r:?}");
    assert_eq!(api.shared.store.kv_get(PLUGIN_ID, "k").unwrap(), b"v2");

    // Style S (non-OK status carrying "<id>: <message>"), with a chosen HTTP status.
    api.shared.faults.inject("GetTeam", Fault::error(403)).unwrap();
    let team = api.shared.store.get_team_by_name("dev").unwrap();
    for _ in 0..2 {
        let s = api.raw.get_team(pb::GetTeamRequest { team_id: team.id.clone() }).await.unwrap_err();
        assert_eq!(s.code(), tonic::Code::PermissionDenied);
        assert!(s.message().starts_with(&format!("{FAULT_ERROR_ID}: ")), "{}", s.message());
    }
    assert_eq!(api.shared.faults.list()["GetTeam"].times, None, "without times the fault stays");

    // The SDK sees both as refusals (ApiError::App) with the injected status.
    api.shared.faults.inject("KVGet", Fault::error(500)).unwrap();
    let refused = [(api.sdk.kv_get("k").await.unwrap_err(), 500), (api.sdk.get_team(&team.id).await.unwrap_err(), 403)];
    for (err, status) in refused {
        assert!(matches!(err, mm::ApiError::App { .. }), "a refusal, not a transport failure: {err:?}");
        assert_eq!(err.status(), Some(status), "{err}");
    }
    api.shared.faults.clear();
    assert_eq!(api.sdk.kv_get("k").await.unwrap().as_deref(), Some(&b"v2"[..]));
    assert_eq!(api.sdk.get_team(&team.id).await.unwrap().name, "dev");
    // Every call reached the server and was counted, faulted or not.
    assert_eq!(api.shared.counters.snapshot().per_rpc["GetTeam"], 4);
}

#[tokio::test]
async fn unavailable_faults_are_transport_failures() {
    let tmp = tempfile::tempdir().unwrap();
    let mut api = setup(tmp.path()).await;
    api.shared.faults.inject("KVSetWithOptions", Fault::unavailable().times(2)).unwrap();
    let s = api.raw.kv_set_with_options(set_request("k", b"v")).await.unwrap_err();
    assert_eq!(s.code(), tonic::Code::Unavailable);
    assert!(s.message().contains("KVSetWithOptions"), "{}", s.message());
    let err = api.sdk.kv_set_with_options("k", b"v", Default::default()).await.unwrap_err();
    assert!(matches!(err, mm::ApiError::Transport { call: "KVSetWithOptions", .. }), "{err:?}");
    assert_eq!(err.status(), None, "no HTTP status: the server did not answer");
    assert_eq!(api.shared.store.kv_get(PLUGIN_ID, "k").unwrap(), b"");
    assert!(api.sdk.kv_set_with_options("k", b"v", Default::default()).await.unwrap(), "cleared after 2 calls");
    assert_eq!(api.shared.store.kv_get(PLUGIN_ID, "k").unwrap(), b"v");
}

#[tokio::test]
async fn delay_faults_answer_late_and_trip_the_callers_deadline() {
    let tmp = tempfile::tempdir().unwrap();
    let mut api = setup(tmp.path()).await;
    let delay = Duration::from_millis(1500);
    api.shared.faults.inject("KVGet", Fault::delay(delay).times(2)).unwrap();

    // A caller with a deadline shorter than the delay gives up, as a hook's 30 s deadline would.
    let mut request = tonic::Request::new(pb::KvGetRequest { key: "k".into() });
    request.set_timeout(Duration::from_millis(100));
    let s = api.raw.kv_get(request).await.unwrap_err();
    assert!(matches!(s.code(), tonic::Code::DeadlineExceeded | tonic::Code::Cancelled), "{s:?}");

    // A patient caller gets the normal answer, after the delay.
    api.shared.store.kv_set(PLUGIN_ID, "k", b"v", 0).unwrap();
    let started = Instant::now();
    let r = api.raw.kv_get(pb::KvGetRequest { key: "k".into() }).await.unwrap().into_inner();
    assert!(started.elapsed() >= delay, "answered after {:?}", started.elapsed());
    assert_eq!((r.error, r.value.as_slice()), (None, &b"v"[..]));

    // The fault is spent: the next answer does not wait for it.
    let started = Instant::now();
    assert_eq!(api.sdk.kv_get("k").await.unwrap().as_deref(), Some(&b"v"[..]));
    assert!(started.elapsed() < delay, "no delay after `times` ran out: {:?}", started.elapsed());
}

#[tokio::test]
async fn unknown_calls_and_bad_faults_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let api = setup(tmp.path()).await;
    assert_eq!(
        api.shared.faults.inject("KVFrobnicate", Fault::error(500)),
        Err(FaultError::UnknownRpc("KVFrobnicate".into()))
    );
    assert_eq!(api.shared.faults.inject("KVGet", Fault::error(302)), Err(FaultError::BadStatus(302)));
    assert!(api.shared.faults.list().is_empty());
    for rpc in devhost::api::RPC_NAMES {
        api.shared.faults.inject(rpc, Fault::unavailable()).unwrap();
    }
    assert_eq!(api.shared.faults.list().len(), devhost::api::RPC_NAMES.len());
}

/// One HTTP/1.1 request to the dev web server: (status, JSON body).
async fn http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &str,
    body: &str,
) -> (u16, serde_json::Value) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n{headers}\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
    (status, serde_json::from_str(body).unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn the_dev_rest_endpoint_sets_lists_and_clears_faults() {
    let tmp = tempfile::tempdir().unwrap();
    let mut api = setup(tmp.path()).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(devhost::web::serve(listener, Arc::clone(&api.shared), std::future::pending()));
    let xrw = "X-Requested-With: XMLHttpRequest\r\n";

    let spec = r#"{"rpc":"KVSetWithOptions","mode":"error","status":503,"times":1}"#;
    let (status, body) = http(addr, "POST", "/dev/api/faults", "", spec).await;
    assert_eq!(status, 401, "a cross-site POST is refused: {body}");
    assert!(api.shared.faults.list().is_empty());

    let (status, body) = http(addr, "POST", "/dev/api/faults", xrw, spec).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["faults"]["KVSetWithOptions"], serde_json::json!({ "mode": "error", "status": 503, "times": 1 }));
    let r = api.raw.kv_set_with_options(set_request("k", b"v")).await.unwrap().into_inner();
    assert_eq!(r.error.expect("injected").status_code, 503);

    let delay = r#"{"rpc":"GetUser","mode":"delay","delay_ms":20}"#;
    let (status, body) = http(addr, "POST", "/dev/api/faults", xrw, delay).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = http(addr, "GET", "/dev/api/faults", "", "").await;
    assert_eq!(status, 200);
    assert_eq!(body["faults"]["GetUser"], serde_json::json!({ "mode": "delay", "delay_ms": 20, "times": null }));
    assert!(body["faults"].get("KVSetWithOptions").is_none(), "times: 1 was used up: {body}");

    for (bad, says) in [
        (r#"{"rpc":"Nope","mode":"error"}"#, "not a PluginAPI call"),
        (r#"{"rpc":"KVGet","mode":"explode"}"#, "unknown fault mode"),
        (r#"{"rpc":"KVGet","mode":"delay"}"#, "delay_ms"),
        (r#"{"rpc":"KVGet","mode":"error","times":0}"#, "times"),
        (r#"{"rpc":"KVGet","mode":"error","stauts":500}"#, "unknown field"),
    ] {
        let (status, body) = http(addr, "POST", "/dev/api/faults", xrw, bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(body["message"].as_str().unwrap_or_default().contains(says), "{bad}: {body}");
    }

    let (status, body) = http(addr, "DELETE", "/dev/api/faults", xrw, "").await;
    assert_eq!((status, &body["faults"]), (200, &serde_json::json!({})), "{body}");
    assert!(api.shared.faults.list().is_empty());
}
