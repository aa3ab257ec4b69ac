//! SIGKILL in the middle of `/incident start` on a 3-node dev host: the server has created the incident's channel
//! (CreateChannel does its work at once but answers late) when the node running the command is killed. Nothing
//! half-written survives: after the health check restarts the node and the start journal times out, the activation
//! sweep retires the orphan channel; every record has its channel and every incident channel its record; a reminder
//! that fell due meanwhile is posted exactly once by the three nodes; the same start then works. A reminder whose
//! claimant died after posting is not posted again by the node that takes it over, even when 450 messages have
//! pushed the first post off the channel's newest page.

use std::time::Duration;

use devhost::{DevHost, DevHostConfig, Fault, PluginState};
use incident_tests::process::{scratch, stage_plugin_dir};
use serde_json::{Value, json};

use crate::devhost_e2e::wait_until;
use crate::fresh_host::mm_post;

const PLUGIN_ID: &str = "org.incidentcollab.incidents";

async fn cluster(name: &str) -> DevHost {
    let dir = scratch(name);
    let mut config = DevHostConfig::new(stage_plugin_dir(&dir), dir.join("data"));
    config.page_dir = incident_tests::root().join("webapp/dist");
    config.nodes = 3;
    config.health_interval = Duration::from_millis(200);
    let host = DevHost::start(config).await.expect("the dev host starts");
    assert_eq!(host.plugin_state().state, PluginState::Active, "{:?}", host.plugin_state());
    host
}

/// The plugin's KV keys with `prefix`.
fn keys(host: &DevHost, prefix: &str) -> Vec<String> {
    host.store().kv_list(PLUGIN_ID, 0, 10_000).unwrap().into_iter().filter(|k| k.starts_with(prefix)).collect()
}

/// The team counter record (`tno_<team>`), which carries the start journal in `data.starts`.
fn counter(host: &DevHost, team: &str) -> Value {
    serde_json::from_slice(&host.store().kv_get(PLUGIN_ID, &format!("tno_{team}")).unwrap()).unwrap()
}

/// The starts noted in the team's journal.
fn journal(host: &DevHost, team: &str) -> Vec<Value> {
    counter(host, team)["data"]["starts"].as_array().cloned().unwrap_or_default()
}

/// Every incident record's channel exists, and every live channel a start made (purpose `Incident INC-…`, name not
/// `failed-…`) belongs to a record.
fn assert_consistent(host: &DevHost) {
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let mut record_channels = Vec::new();
    for key in keys(host, "inc_") {
        let record: Value = serde_json::from_slice(&host.store().kv_get(PLUGIN_ID, &key).unwrap()).unwrap();
        let channel = record["data"]["channel"].as_str().unwrap().to_owned();
        assert!(host.store().get_channel(&channel).is_ok(), "{key}'s channel {channel} exists");
        record_channels.push(channel);
    }
    for channel in host.store().public_channels(&team).unwrap() {
        if channel.purpose.starts_with("Incident INC-") && !channel.name.starts_with("failed-") {
            assert!(record_channels.contains(&channel.id), "~{} has no incident record", channel.name);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_mid_start_leaves_nothing_half_written() {
    let host = cluster("crash-mid-start").await;
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let earlier = format!(r#"{{"name":"Earlier incident","team_id":"{team}"}}"#);
    let created = host.serve_http(Some("alice"), "POST", "/api/v0/incidents", earlier).await;
    let earlier: Value = serde_json::from_slice(&created.body).unwrap();
    let (earlier_id, earlier_channel) = (earlier["id"].as_str().unwrap(), earlier["channel_id"].as_str().unwrap());
    let update = r#"{"message":"Watching","reminder_ms":900000}"#;
    let r = host.serve_http(Some("alice"), "POST", &format!("/api/v0/incidents/{earlier_id}/status"), update).await;
    assert_eq!(r.status, 200);

    // CreateChannel creates the channel at once and answers 5 s later; the node waiting for it is killed.
    host.inject_fault("CreateChannel", Fault::late(Duration::from_secs(5)).times(1)).unwrap();
    let before = host.node_api_calls();
    let created = || host.api_calls().per_rpc.get("CreateChannel").copied().unwrap_or(0);
    let created_before = created();
    let command = host.execute_command("alice", "town-square", "/incident start Payments down");
    let killer = async {
        wait_until("CreateChannel in flight", || async { created() > created_before }).await;
        let after = host.node_api_calls();
        let busy = (0..after.len()).find(|&i| after[i] > before[i]).expect("a node made the call");
        host.kill_node(busy).await.expect("SIGKILL");
        busy
    };
    let (reply, killed) = tokio::join!(command, killer);
    assert!(reply.is_err(), "the command dies with its node: {reply:?}");
    let orphan = host.channel_id("payments-down").expect("the server created the channel before the kill");
    assert_eq!(journal(&host, &team).len(), 1, "the start journal remembers the unfinished start");
    wait_until("the killed node is back", || async {
        host.restart_count() >= 1 && host.plugin_state().state == PluginState::Active
    })
    .await;
    eprintln!("killed node {killed}");

    // The entry is young, so the restarted node's sweep left it alone; once it is older than the timeout, the
    // next activation retires the orphan channel.
    let mut entry = counter(&host, &team);
    let at = entry["data"]["starts"][0]["at"].as_i64().unwrap();
    entry["data"]["starts"][0]["at"] = json!(at - i64::try_from(incident_app::START_TIMEOUT_MS).unwrap());
    host.store().kv_set(PLUGIN_ID, &format!("tno_{team}"), &serde_json::to_vec(&entry).unwrap(), 0).unwrap();
    // The earlier incident's reminder falls due meanwhile: after the restart three nodes race for it.
    let record_key = format!("inc_{earlier_id}");
    let mut record: Value = serde_json::from_slice(&host.store().kv_get(PLUGIN_ID, &record_key).unwrap()).unwrap();
    record["data"]["reminder"]["next_due"] = json!(at - 60_000);
    host.store().kv_set(PLUGIN_ID, &record_key, &serde_json::to_vec(&record).unwrap(), 0).unwrap();
    host.restart_plugin().await.unwrap();
    wait_until("the sweep retires the orphan channel", || async {
        host.store().get_channel(&orphan).is_ok_and(|c| c.name.starts_with("failed-"))
    })
    .await;
    wait_until("the journal is empty", || async { journal(&host, &team).is_empty() }).await;
    assert_consistent(&host);
    let reminders = || {
        let posts = host.store().posts_for_channel(earlier_channel, 0, 200).unwrap();
        posts.iter().filter(|p| p.message.contains("a status update for") && p.message.contains("is due")).count()
    };
    wait_until("the due reminder is posted", || async { reminders() >= 1 }).await;
    // Long enough for a second node's post to land if the claim let two through.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(reminders(), 1, "the reminder is posted exactly once");

    // The same start works now, and the first incident is untouched.
    let reply = host.execute_command("alice", "town-square", "/incident start Payments down").await.unwrap();
    assert!(reply["text"].as_str().unwrap().starts_with("Started **Payments down**"), "{reply}");
    assert_consistent(&host);
    assert_eq!(keys(&host, "inc_").len(), 2);
    host.stop().await;
}

/// The incident record's `data.reminder`.
fn reminder_of(host: &DevHost, incident: &str) -> Value {
    let raw = host.store().kv_get(PLUGIN_ID, &format!("inc_{incident}")).unwrap();
    serde_json::from_slice::<Value>(&raw).unwrap()["data"]["reminder"].clone()
}

/// Edits the incident record's `data.reminder` in place (storage time travel; the nodes see it after a restart).
fn edit_reminder(host: &DevHost, incident: &str, edit: impl FnOnce(&mut Value)) {
    let key = format!("inc_{incident}");
    let mut record: Value = serde_json::from_slice(&host.store().kv_get(PLUGIN_ID, &key).unwrap()).unwrap();
    edit(&mut record["data"]["reminder"]);
    host.store().kv_set(PLUGIN_ID, &key, &serde_json::to_vec(&record).unwrap(), 0).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_whose_claimant_died_or_failed_is_posted_exactly_once() {
    let host = cluster("crash-mid-reminder").await;
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let body = format!(r#"{{"name":"Cache storm","team_id":"{team}"}}"#);
    let created: Value =
        serde_json::from_slice(&host.serve_http(Some("alice"), "POST", "/api/v0/incidents", body).await.body).unwrap();
    let (id, channel) = (created["id"].as_str().unwrap(), created["channel_id"].as_str().unwrap());
    let update = r#"{"message":"Watching","reminder_ms":900000}"#;
    let r = host.serve_http(Some("alice"), "POST", &format!("/api/v0/incidents/{id}/status"), update).await;
    assert_eq!(r.status, 200);
    let reminders = || {
        let posts = host.store().posts_for_channel(channel, 0, 10_000).unwrap();
        posts.iter().filter(|p| p.message.contains("a status update for") && p.message.contains("is due")).count()
    };
    let lease = i64::try_from(incident_core::incident::REMINDER_LEASE_MS).unwrap();
    // Moves the claim's start back by a whole lease: the claimant's time is up.
    let lease_over = |r: &mut Value| {
        let at = r["posting"]["claimed_at"].as_i64().expect("a claim");
        r["posting"]["claimed_at"] = json!(at - lease);
    };

    // 1. The claimant dies while posting: CreatePost makes the post at once and answers 5 s later, and every node is
    //    killed meanwhile, so whoever held the claim never confirms it.
    host.inject_fault("CreatePost", Fault::late(Duration::from_secs(5)).times(1)).unwrap();
    edit_reminder(&host, id, |r| r["next_due"] = json!(r["next_due"].as_i64().unwrap() - 3_600_000));
    host.restart_plugin().await.unwrap();
    wait_until("the reminder is posted", || async { reminders() == 1 }).await;
    for node in 0..3 {
        host.kill_node(node).await.expect("SIGKILL");
    }
    wait_until("the nodes are back", || async {
        host.restart_count() >= 3 && host.plugin_state().state == PluginState::Active
    })
    .await;
    assert!(reminder_of(&host, id)["posting"].is_object(), "the claim was never confirmed");
    // A busy channel meanwhile: 450 messages push the post off the newest page of 200.
    let bob = host.user_id("bob").unwrap();
    host.store().add_channel_member(channel, &bob).unwrap();
    for n in 0..450 {
        host.store().create_post(mm_post(channel, &bob, &format!("Cache node {n} drained"))).unwrap();
    }
    // Its lease runs out: a node takes it over, finds the post in the channel and only confirms.
    edit_reminder(&host, id, lease_over);
    host.restart_plugin().await.unwrap();
    wait_until("the take-over confirms", || async { reminder_of(&host, id)["posting"].is_null() }).await;
    // Long enough for a second post to land if the take-over posted.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(reminders(), 1, "the dead claimant's post is not repeated");

    // 2. The claimant's post fails: the claim stays, and the node that takes it over posts it.
    host.clear_faults();
    let r = host.serve_http(Some("alice"), "POST", &format!("/api/v0/incidents/{id}/status"), update).await;
    assert_eq!(r.status, 200);
    host.inject_fault("CreatePost", Fault::unavailable().times(1)).unwrap();
    edit_reminder(&host, id, |r| r["next_due"] = json!(r["next_due"].as_i64().unwrap() - 3_600_000));
    host.restart_plugin().await.unwrap();
    wait_until("the reminder is claimed", || async { reminder_of(&host, id)["posting"].is_object() }).await;
    wait_until("the failed post used the fault", || async { host.faults().is_empty() }).await;
    assert_eq!(reminders(), 1, "the failed post made nothing");
    edit_reminder(&host, id, lease_over);
    host.restart_plugin().await.unwrap();
    wait_until("the second reminder is posted", || async { reminders() == 2 }).await;
    wait_until("and confirmed", || async { reminder_of(&host, id)["posting"].is_null() }).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(reminders(), 2, "posted exactly once");
    host.stop().await;
}
