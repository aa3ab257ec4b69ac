//! The real bundle (`make dist`) run by the dev host library: slash command round trip with its PluginAPI call
//! count, unknown commands, health-check restart after SIGKILL, two nodes racing KV compare-and-set on one store,
//! and broken bundles that fail clearly while the host keeps serving its page.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use devhost::{DevHost, DevHostConfig, PluginState};
use flate2::read::GzDecoder;
use incident_tests::process::scratch;
use mm::pb::v1 as pb;
use mm::pb::v1::plugin_api_client::PluginApiClient;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub(crate) const PLUGIN_ID: &str = "org.incidentcollab.incidents";
/// Upper bound for anything that waits on a real process event (activation, restart).
const EVENT_LIMIT: Duration = Duration::from_secs(30);

/// `dist/<id>-<version>.tar.gz`, written by `make dist`.
pub(crate) fn bundle() -> PathBuf {
    let root = incident_tests::root();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("plugin.json")).unwrap()).unwrap();
    let name = format!("{}-{}.tar.gz", manifest["id"].as_str().unwrap(), manifest["version"].as_str().unwrap());
    let path = root.join("dist").join(name);
    assert!(path.is_file(), "{} is missing: run `make dist` (make test does)", path.display());
    path
}

pub(crate) fn config(source: &Path, name: &str) -> DevHostConfig {
    let mut config = DevHostConfig::new(source, scratch(name).join("data"));
    config.page_dir = incident_tests::root().join("webapp/dist");
    config
}

pub(crate) async fn start(config: DevHostConfig) -> DevHost {
    DevHost::start(config).await.expect("the dev host starts")
}

/// Polls `check` every 20 ms until it holds or [`EVENT_LIMIT`] passes.
pub(crate) async fn wait_until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let until = Instant::now() + EVENT_LIMIT;
    while !check().await {
        assert!(Instant::now() < until, "timed out after {EVENT_LIMIT:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A plain HTTP/1.1 GET against the host's web server: (status, body).
pub(crate) async fn http_get(host: &DevHost, path: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(host.addr()).await.expect("the web server accepts connections");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", host.addr());
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

/// Runs `/incident help` as alice in town-square and checks the reply is the help text.
pub(crate) async fn help_round_trip(host: &DevHost) -> serde_json::Value {
    let reply = host.execute_command("alice", "town-square", "/incident help").await.expect("/incident help runs");
    assert_eq!(reply["response_type"], "ephemeral", "{reply}");
    let text = reply["text"].as_str().unwrap_or_default();
    assert!(text.contains("/incident start") && text.contains("/incident help"), "{text}");
    reply
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slash_command_round_trip_counts_its_plugin_api_calls() {
    let host = start(config(&bundle(), "e2e-command")).await;
    let state = host.plugin_state();
    assert_eq!(state.state, PluginState::Active, "{state:?}");
    assert_eq!((state.id.as_str(), state.nodes), (PLUGIN_ID, 1));
    let calls = host.api_calls();
    assert_eq!(calls.per_rpc.get("RegisterCommand"), Some(&1), "OnActivate registers /incident: {calls:?}");
    assert_eq!(calls.per_hook["OnActivate"].invocations, 1);

    let mut events = host.events();
    host.reset_api_calls();
    let reply = help_round_trip(&host).await;

    // The reply reaches alice (and only her) as an ephemeral post on the websocket hub.
    let alice = host.user_id("alice").unwrap();
    let event = tokio::time::timeout(EVENT_LIMIT, async {
        loop {
            let e = events.recv().await.expect("event hub open");
            if e.event == "ephemeral_message" {
                return e;
            }
        }
    })
    .await
    .expect("an ephemeral_message event");
    assert!(event.broadcast.reaches(host.store(), &alice));
    assert!(!event.broadcast.reaches(host.store(), &host.user_id("bob").unwrap()));
    let post: serde_json::Value = serde_json::from_str(event.data["post"].as_str().unwrap()).unwrap();
    assert_eq!(post["message"], reply["text"]);
    assert_eq!(post["channel_id"], host.channel_id("town-square").unwrap().as_str());

    // Every PluginAPI call made while the command ran is attributed to its one ExecuteCommand invocation.
    let calls = host.api_calls();
    let hook = calls.per_hook["ExecuteCommand"];
    assert_eq!(hook.invocations, 1, "{calls:?}");
    assert_eq!(hook.api_calls, calls.total, "all calls belong to the command: {calls:?}");
    assert!(hook.api_calls <= 10, "/incident help should need few PluginAPI calls: {calls:?}");
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_commands_get_clear_errors() {
    let host = start(config(&bundle(), "e2e-unknown")).await;
    assert_eq!(host.plugin_state().state, PluginState::Active);
    host.reset_api_calls();

    let err = host.execute_command("alice", "town-square", "/nosuch thing").await.unwrap_err();
    assert_eq!(err.status, 404, "{err:?}");
    assert!(err.message.contains("'/nosuch' not found"), "{}", err.message);
    assert!(!host.api_calls().per_hook.contains_key("ExecuteCommand"), "the plugin is not asked about /nosuch");

    let err = host.execute_command("alice", "town-square", "incident help").await.unwrap_err();
    assert_eq!(err.status, 400);
    assert!(err.message.contains("must start with '/'"), "{}", err.message);

    let reply = host.execute_command("alice", "town-square", "/incident frobnicate").await.unwrap();
    assert_eq!(reply["response_type"], "ephemeral");
    let text = reply["text"].as_str().unwrap();
    assert!(text.contains("`/incident frobnicate` is not a command") && text.contains("/incident help"), "{text}");

    let err = host.execute_command("nobody", "town-square", "/incident help").await.unwrap_err();
    assert_eq!(err.status, 404);
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_plugin_is_restarted_by_the_health_check() {
    let mut cfg = config(&bundle(), "e2e-restart");
    cfg.health_interval = Duration::from_millis(200);
    let host = start(cfg).await;
    assert_eq!(host.plugin_state().state, PluginState::Active);
    assert_eq!(host.restart_count(), 0);
    help_round_trip(&host).await;

    host.kill_node(0).await.expect("SIGKILL node 0");
    wait_until("the health check to restart the plugin", || async {
        host.restart_count() == 1 && host.plugin_state().state == PluginState::Active
    })
    .await;
    let calls = host.api_calls();
    assert_eq!(calls.per_hook["OnActivate"].invocations, 2, "activated again after the restart: {calls:?}");
    help_round_trip(&host).await;
    assert_eq!(host.restart_count(), 1, "one kill, one restart");
    host.stop().await;
}

fn only_if_absent(key: &str, value: &[u8]) -> pb::KvSetWithOptionsRequest {
    pb::KvSetWithOptionsRequest {
        key: key.into(),
        value: value.to_vec(),
        options: Some(pb::PluginKvSetOptions { atomic: true, old_value: Vec::new(), expire_in_seconds: 0 }),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_race_kv_compare_and_set_with_exactly_one_winner() {
    let mut cfg = config(&bundle(), "e2e-nodes");
    cfg.nodes = 2;
    let host = start(cfg).await;
    let state = host.plugin_state();
    assert_eq!(state.state, PluginState::Active, "{state:?}");
    assert_eq!(state.message, "active on 2 node(s)");
    let calls = host.api_calls();
    assert_eq!(calls.per_hook["OnActivate"].invocations, 2, "both plugin processes activated: {calls:?}");

    // Commands are spread round-robin over the two nodes and keep working.
    for _ in 0..4 {
        help_round_trip(&host).await;
    }

    let addrs = host.node_api_addrs();
    assert_eq!(addrs.len(), 2);
    assert_ne!(addrs[0], addrs[1], "each node has its own PluginAPI server");
    let node0 = PluginApiClient::connect(format!("http://{}", addrs[0])).await.unwrap();
    let node1 = PluginApiClient::connect(format!("http://{}", addrs[1])).await.unwrap();
    for round in 0..25 {
        let key = format!("e2e-lock-{round}");
        let (mut a, mut b) = (node0.clone(), node1.clone());
        let (r0, r1) = tokio::join!(
            a.kv_set_with_options(only_if_absent(&key, b"node-0")),
            b.kv_set_with_options(only_if_absent(&key, b"node-1"))
        );
        let (r0, r1) = (r0.unwrap().into_inner(), r1.unwrap().into_inner());
        assert!(r0.error.is_none() && r1.error.is_none(), "{r0:?} {r1:?}");
        assert!(r0.success ^ r1.success, "round {round}: exactly one winner, got {} and {}", r0.success, r1.success);
        let winner: &[u8] = if r0.success { b"node-0" } else { b"node-1" };
        assert_eq!(host.store().kv_get(PLUGIN_ID, &key).unwrap(), winner);
        // The loser sees the winner's value through its own node.
        let seen = b.kv_get(pb::KvGetRequest { key: key.clone() }).await.unwrap().into_inner();
        assert_eq!(seen.value, winner);
    }
    host.stop().await;
}

/// The real bundle unpacked into `<dir>/unpacked/<id>/`.
fn unpacked(dir: &Path) -> PathBuf {
    let into = dir.join("unpacked");
    tar::Archive::new(GzDecoder::new(std::fs::File::open(bundle()).unwrap())).unpack(&into).unwrap();
    into.join(PLUGIN_ID)
}

/// A `.tar.gz` of `plugin_dir` under a top-level `<id>/` directory, as bundles are laid out.
fn repack(plugin_dir: &Path, out: &Path) -> PathBuf {
    let file = std::fs::File::create(out).unwrap();
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(file, flate2::Compression::fast()));
    builder.append_dir_all(PLUGIN_ID, plugin_dir).unwrap();
    builder.into_inner().unwrap().finish().unwrap();
    out.to_path_buf()
}

/// The plugin failed with a message holding `expected`, and the host still serves its page and state.
async fn assert_failed_but_serving(host: DevHost, expected: &[&str]) {
    let state = host.plugin_state();
    assert_eq!(state.state, PluginState::Failed, "{state:?}");
    for e in expected {
        assert!(state.message.contains(e), "expected {e:?} in {:?}", state.message);
    }
    let (status, page) = http_get(&host, "/").await;
    assert_eq!(status, 200);
    assert!(page.contains("/static/devhost.js"), "the page is served: {page}");
    let (status, js) = http_get(&host, "/static/devhost.js").await;
    assert_eq!(status, 200);
    assert!(!js.is_empty());
    let (status, body) = http_get(&host, "/dev/api/state").await;
    assert_eq!(status, 200);
    let shown: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(shown["plugin"]["state"], "failed", "{shown}");
    assert_eq!(shown["plugin"]["message"], state.message.as_str(), "the page shows the same message");
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_without_plugin_json_fails_clearly_and_the_page_stays_up() {
    let dir = scratch("e2e-no-manifest");
    let plugin = unpacked(&dir);
    std::fs::remove_file(plugin.join("plugin.json")).unwrap();
    let broken = repack(&plugin, &dir.join("broken.tar.gz"));
    let host = start(config(&broken, "e2e-no-manifest-host")).await;
    assert_failed_but_serving(host, &["cannot load plugin", "no plugin.json"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_manifest_fails_clearly_and_the_page_stays_up() {
    let dir = scratch("e2e-bad-manifest");
    let plugin = unpacked(&dir);
    let path = plugin.join("plugin.json");
    let mut manifest: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    manifest["server"]["runtime"] = "go".into();
    std::fs::write(&path, manifest.to_string()).unwrap();
    let host = start(config(&plugin, "e2e-bad-manifest-host")).await;
    assert_failed_but_serving(host, &["cannot load plugin", "only runs gRPC plugins"]).await;

    std::fs::write(&path, "{\"id\": ").unwrap();
    let host = start(config(&plugin, "e2e-bad-json-host")).await;
    assert_failed_but_serving(host, &["invalid plugin.json"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handshake_of_the_wrong_form_fails_clearly_and_the_page_stays_up() {
    let dir = scratch("e2e-bad-handshake");
    let plugin = unpacked(&dir);
    // The bundle's launcher replaced by one that answers with a netrpc handshake, then lingers.
    std::fs::write(plugin.join("venv/bin/python"), "#!/bin/sh\necho '1|1|tcp|127.0.0.1:1|netrpc'\nexec sleep 30\n")
        .unwrap();
    let broken = repack(&plugin, &dir.join("netrpc.tar.gz"));
    let mut cfg = config(&broken, "e2e-bad-handshake-host");
    cfg.start_timeout = Duration::from_secs(5);
    let host = start(cfg).await;
    assert_failed_but_serving(host, &["bad handshake line", "netrpc", "expected \"1|1|tcp|127.0.0.1:PORT|grpc\""])
        .await;
}

/// `/incident start` without a name opens the plugin's dialog; submitting it goes back into the plugin's
/// ServeHTTP (`/plugins/<id>/api/v0/dialogs/start`) as the submitting user.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dialog_submission_round_trip() {
    let host = start(config(&bundle(), "e2e-dialog")).await;
    assert_eq!(host.plugin_state().state, PluginState::Active);
    let mut events = host.events();
    host.execute_command("alice", "town-square", "/incident start").await.expect("/incident start runs");
    // The plugin calls OpenInteractiveDialog inside ExecuteCommand, so the event is out before the reply.
    let opened = std::iter::from_fn(|| events.try_recv().ok())
        .find(|e| e.event == "open_dialog")
        .expect("/incident start without a name opens a dialog");
    let alice = host.user_id("alice").unwrap();
    assert!(opened.broadcast.reaches(host.store(), &alice));
    let payload: serde_json::Value = serde_json::from_str(opened.data["dialog"].as_str().unwrap()).unwrap();
    let url = payload["url"].as_str().unwrap().to_string();
    assert!(url.contains(&format!("/plugins/{PLUGIN_ID}/api/v0/dialogs/start")), "{url}");
    let dialog = &payload["dialog"];

    // Fill every required element the way a user would: text gets a name, selects their first option.
    let mut submission = serde_json::Map::new();
    for element in dialog["elements"].as_array().unwrap() {
        let name = element["name"].as_str().unwrap().to_string();
        let value = match element["type"].as_str().unwrap() {
            "select" | "radio" => element["options"][0]["value"].clone(),
            "bool" => serde_json::Value::Bool(true),
            _ if element["optional"].as_bool() == Some(true) => continue,
            _ => "E2E dialog incident".into(),
        };
        if !value.is_null() {
            submission.insert(name, value);
        }
    }
    host.reset_api_calls();
    let (answer, has_errors) = host
        .submit_dialog(
            "alice",
            &devhost::DialogSubmission {
                url,
                callback_id: dialog["callback_id"].as_str().unwrap_or_default().to_string(),
                state: dialog["state"].as_str().unwrap_or_default().to_string(),
                submission,
                cancelled: false,
                channel_id: host.channel_id("town-square").unwrap(),
                team_id: host.store().get_team_by_name("dev").unwrap().id,
            },
        )
        .await
        .expect("the plugin answers the submission");
    assert!(!has_errors, "the filled dialog is accepted: {answer}");
    let calls = host.api_calls();
    assert_eq!(calls.per_hook["ServeHTTP"].invocations, 1, "{calls:?}");
    assert!(calls.per_hook["ServeHTTP"].api_calls > 0, "starting an incident writes through the PluginAPI: {calls:?}");
    host.stop().await;
}
