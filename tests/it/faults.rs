//! The real bundle under injected PluginAPI faults: activation fails clearly when a call fails or the server does
//! not answer, the host keeps serving, and a restart after the fault is cleared activates the plugin again.
//! Generic on purpose: the incident commands' own fault scenarios build on these helpers.

use std::time::Duration;

use devhost::{DevHost, Fault, PluginState};

use crate::devhost_e2e::{PLUGIN_ID, bundle, config, help_round_trip, http_get, start};

/// Restarts the plugin and returns its state and message once every node settled.
async fn restart(host: &DevHost) -> (PluginState, String) {
    host.restart_plugin().await.expect("the plugin can be restarted");
    let state = host.plugin_state();
    (state.state, state.message)
}

/// The host still serves its page state while the plugin is down, showing the same message.
async fn host_serves_state(host: &DevHost, message: &str) {
    let (status, body) = http_get(host, "/dev/api/state").await;
    assert_eq!(status, 200, "{body}");
    let shown: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(shown["plugin"]["state"], "failed", "{shown}");
    assert_eq!(shown["plugin"]["message"], message, "{shown}");
    let (status, _) = http_get(host, "/").await;
    assert_eq!(status, 200, "the page is served");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activation_survives_api_faults_and_recovers_after_a_restart() {
    let host = start(config(&bundle(), "faults-activation")).await;
    assert_eq!(host.plugin_state().state, PluginState::Active, "{:?}", host.plugin_state());

    // The server refuses RegisterCommand: activation fails, naming the call and what the plugin was doing.
    host.inject_fault("RegisterCommand", Fault::error(500)).unwrap();
    let (state, message) = restart(&host).await;
    assert_eq!(state, PluginState::Failed, "{message}");
    for expected in ["OnActivate", "RegisterCommand", "registering /incident", "fault injected"] {
        assert!(message.contains(expected), "expected {expected:?} in {message:?}");
    }
    host_serves_state(&host, &message).await;
    let err = host.execute_command("alice", "town-square", "/incident help").await.unwrap_err();
    assert!(err.status >= 500, "a command while the plugin is down is refused by the host: {err:?}");

    // The server does not answer RegisterCommand: a transport failure, told apart from a refusal.
    host.inject_fault("RegisterCommand", Fault::unavailable()).unwrap();
    let (state, message) = restart(&host).await;
    assert_eq!(state, PluginState::Failed, "{message}");
    assert!(message.contains("RegisterCommand") && message.contains("did not answer"), "{message}");
    host_serves_state(&host, &message).await;

    // A slow but answering server is only slow: activation succeeds.
    host.inject_fault("RegisterCommand", Fault::delay(Duration::from_millis(300)).times(1)).unwrap();
    let (state, message) = restart(&host).await;
    assert_eq!(state, PluginState::Active, "{message}");
    assert!(host.faults().is_empty(), "the one-shot delay was used by activation");

    // Cleared and restarted: active again, and commands work.
    host.inject_fault("RegisterCommand", Fault::error(503)).unwrap();
    assert_eq!(restart(&host).await.0, PluginState::Failed);
    host.clear_faults();
    host.reset_api_calls();
    let (state, message) = restart(&host).await;
    assert_eq!(state, PluginState::Active, "{message}");
    assert_eq!(host.api_calls().per_rpc.get("RegisterCommand"), Some(&1), "activated once more");
    help_round_trip(&host).await;
    assert_eq!(host.plugin_id(), PLUGIN_ID);
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fault_with_times_hits_only_that_many_calls_of_the_real_plugin() {
    let host = start(config(&bundle(), "faults-times")).await;
    assert_eq!(host.plugin_state().state, PluginState::Active);
    // EnsureBotUser fails once: the first restart fails on it, the second one succeeds untouched.
    host.inject_fault("EnsureBotUser", Fault::error(500).times(1)).unwrap();
    let (state, message) = restart(&host).await;
    assert_eq!(state, PluginState::Failed, "{message}");
    assert!(message.contains("EnsureBotUser") && message.contains("creating the bot"), "{message}");
    assert!(host.faults().is_empty());
    let (state, message) = restart(&host).await;
    assert_eq!(state, PluginState::Active, "{message}");
    help_round_trip(&host).await;
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kv_failures_during_commands_answer_clearly_and_leave_the_store_consistent() {
    let host = start(config(&bundle(), "faults-kv-commands")).await;
    host.execute_command("alice", "town-square", "/incident start Disk full").await.unwrap();
    let text = |v: Result<serde_json::Value, _>| v.map(|r| r["text"].as_str().unwrap_or_default().to_owned());

    // Writes refused: the start says so, no channel or record appears, and the plugin keeps serving.
    host.inject_fault("KVSetWithOptions", Fault::error(500)).unwrap();
    let reply = text(host.execute_command("alice", "town-square", "/incident start Payments down").await).unwrap();
    assert!(reply.contains("try again"), "a clear message: {reply}");
    assert!(host.channel_id("payments-down").is_err(), "no channel without its incident");
    let check = text(host.execute_command("alice", "disk-full", "/incident checkadd 1 Free space").await).unwrap();
    assert!(check.contains("try again"), "{check}");

    // Reads unreachable: info says the server did not answer, nothing else.
    host.clear_faults();
    host.inject_fault("KVGet", Fault::unavailable()).unwrap();
    let info = text(host.execute_command("alice", "disk-full", "/incident info").await).unwrap();
    assert!(info.contains("did not answer") && info.contains("try again"), "{info}");

    // Cleared: everything works, and the refused writes left nothing behind.
    host.clear_faults();
    let info = text(host.execute_command("alice", "disk-full", "/incident info").await).unwrap();
    assert!(info.contains("**Tasks:** 0/0"), "the refused checkadd wrote nothing: {info}");
    let reply = text(host.execute_command("alice", "town-square", "/incident start Payments down").await).unwrap();
    assert!(reply.starts_with("Started **Payments down** (INC-"), "{reply}");
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let counter: serde_json::Value =
        serde_json::from_slice(&host.store().kv_get(PLUGIN_ID, &format!("tno_{team}")).unwrap()).unwrap();
    assert_eq!(counter["data"]["starts"], serde_json::Value::Null, "no start left in the journal: {counter}");
    host.stop().await;
}
