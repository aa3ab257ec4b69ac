//! Reminders across an HA cluster: three plugin processes on one dev host, each running its own scheduler, all
//! waking for the same due reminder — after a restart of every node, and live through a cluster event. Each
//! reminder is posted exactly once; its Snooze and Dismiss buttons answer through ServeHTTP.
//!
//! Making time pass for real processes: the test moves the due time in the stored record into the past (storage
//! time travel, as if the deadline had simply arrived). The plugin has no test-only clock or interval; what it
//! sees is exactly a record whose reminder is due.

use std::time::Duration;

use devhost::{DevHost, DevHostConfig, PluginState};
use incident_tests::process::{scratch, stage_plugin_dir};
use serde_json::{Value, json};

const PLUGIN_ID: &str = "org.incidentcollab.incidents";

async fn cluster(name: &str) -> DevHost {
    let dir = scratch(name);
    let plugin = stage_plugin_dir(&dir);
    let mut config = DevHostConfig::new(plugin, dir.join("data"));
    config.page_dir = incident_tests::root().join("webapp/dist");
    config.nodes = 3;
    let host = DevHost::start(config).await.expect("the dev host starts");
    assert_eq!(host.plugin_state().state, PluginState::Active, "{:?}", host.plugin_state());
    host
}

/// The bot's reminder posts in `channel`, oldest first: (post id, message, props).
fn reminders(host: &DevHost, channel: &str) -> Vec<(String, String, Value)> {
    let mut posts = host.store().posts_for_channel(channel, 0, 200).unwrap();
    posts.reverse();
    posts
        .into_iter()
        .filter(|p| p.message.contains("a status update for") && p.message.contains("is due"))
        .map(|p| (p.id.clone(), p.message.clone(), serde_json::to_value(&p.props).unwrap()))
        .collect()
}

/// Waits (bounded) until `channel` holds `n` reminders, then a little longer to catch any duplicate.
async fn expect_reminders(host: &DevHost, channel: &str, n: usize) -> Vec<(String, String, Value)> {
    for _ in 0..100 {
        if reminders(host, channel).len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let found = reminders(host, channel);
    assert_eq!(found.len(), n, "exactly {n} reminder post(s): {found:#?}");
    found
}

/// Moves the incident's reminder into the past in the stored record.
fn make_due(host: &DevHost, incident: &str) {
    let key = format!("inc_{incident}");
    let raw = host.store().kv_get(PLUGIN_ID, &key).unwrap();
    let mut record: Value = serde_json::from_slice(&raw).unwrap();
    let reminder = &mut record["data"]["reminder"];
    assert!(reminder["next_due"].is_number(), "a reminder is set: {record}");
    reminder["next_due"] = json!(reminder["next_due"].as_i64().unwrap() - 24 * 3_600_000);
    host.store().kv_set(PLUGIN_ID, &key, &serde_json::to_vec(&record).unwrap(), 0).unwrap();
}

fn next_due(host: &DevHost, incident: &str) -> Value {
    let raw = host.store().kv_get(PLUGIN_ID, &format!("inc_{incident}")).unwrap();
    serde_json::from_slice::<Value>(&raw).unwrap()["data"]["reminder"]["next_due"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_reminder_is_posted_exactly_once_by_three_nodes() {
    let host = cluster("reminders-ha").await;
    let team = host.store().get_team_by_name("dev").unwrap().id;
    host.execute_command("alice", "town-square", "/incident start Database down").await.unwrap();
    let channel = host.channel_id("database-down").unwrap();

    // The commander posts an update with a 15-minute reminder through the dialog.
    let mut events = host.events();
    host.execute_command("alice", "database-down", "/incident update").await.unwrap();
    let opened = std::iter::from_fn(|| events.try_recv().ok()).find(|e| e.event == "open_dialog").expect("a dialog");
    let payload: Value = serde_json::from_str(opened.data["dialog"].as_str().unwrap()).unwrap();
    let incident = payload["dialog"]["state"].as_str().unwrap().to_owned();
    let submission = devhost::DialogSubmission {
        url: payload["url"].as_str().unwrap().into(),
        callback_id: "update".into(),
        state: incident.clone(),
        submission: json!({ "message": "Failing over.", "reminder": "900000" }).as_object().unwrap().clone(),
        cancelled: false,
        channel_id: channel.clone(),
        team_id: team.clone(),
    };
    let (answer, has_errors) = host.submit_dialog("alice", &submission).await.unwrap();
    assert!(!has_errors, "{answer}");
    assert!(next_due(&host, &incident).is_number());
    expect_reminders(&host, &channel, 0).await;

    // 1. The deadline passes while the plugin restarts on every node: all three rebuild from KV, find it due at
    //    once and race; one claim wins.
    make_due(&host, &incident);
    host.restart_plugin().await.unwrap();
    let found = expect_reminders(&host, &channel, 1).await;
    let (post, text, props) = &found[0];
    assert!(text.starts_with("@alice, a status update for **Database down**"), "{text}");
    let names: Vec<&str> =
        props["attachments"][0]["actions"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Update", "Snooze", "Dismiss"]);
    assert_eq!(next_due(&host, &incident), Value::Null, "claimed");

    // Snooze for 15 minutes: the buttons give way to what happened, and a new deadline is in the record.
    let answer = host.post_action("alice", post, "remindersnooze", Some("900000")).await.unwrap();
    assert!(answer["ephemeral_text"].as_str().unwrap().starts_with("Snoozed by @alice"), "{answer}");
    let updated = host.store().get_post(post).unwrap();
    assert_eq!(updated.message, *text);
    assert!(serde_json::to_string(&updated.props).unwrap().contains("Snoozed by @alice"));
    assert!(!serde_json::to_string(&updated.props).unwrap().contains("\"actions\""));
    assert!(next_due(&host, &incident).is_number());
    // A bad snooze choice is refused with the valid ones.
    let bad = host.serve_http(
        Some("alice"),
        "POST",
        "/api/v0/actions/reminder",
        serde_json::to_vec(&json!({
            "channel_id": channel, "team_id": team,
            "context": { "incident_id": incident, "action": "snooze", "selected_option": "5" },
        }))
        .unwrap(),
    );
    let bad: Value = serde_json::from_slice(&bad.await.body).unwrap();
    assert_eq!(bad["ephemeral_text"], "Pick how long to snooze: 15 minutes, 30 minutes, 1 hour, 4 hours, 1 day.");

    // 2. Live: the snoozed deadline passes; a change on one node reaches the others as a cluster event, and all
    //    three schedulers wake for it. Still one post.
    make_due(&host, &incident);
    host.execute_command("alice", "database-down", "/incident checkadd 1 Verify backups").await.unwrap();
    let found = expect_reminders(&host, &channel, 2).await;
    // Update opens the status-update dialog (the buttons stay: posting the update is what answers it).
    let mut events = host.events();
    let answer = host.post_action("alice", &found[1].0, "reminderupdate", None).await.unwrap();
    assert_eq!(answer, json!({}));
    let opened = std::iter::from_fn(|| events.try_recv().ok()).find(|e| e.event == "open_dialog").expect("a dialog");
    assert!(opened.data["dialog"].as_str().unwrap().contains("Failing over."), "prefilled with the last update");
    let answer = host.post_action("alice", &found[1].0, "reminderdismiss", None).await.unwrap();
    assert_eq!(answer["ephemeral_text"], "Reminder dismissed by @alice.");
    assert_eq!(next_due(&host, &incident), Value::Null);

    // A custom reminder in whole minutes; anything else is refused on its field.
    let mut custom = submission.clone();
    custom.submission =
        json!({ "message": "Verifying.", "reminder": "0", "reminder_custom": "0.5" }).as_object().unwrap().clone();
    let (answer, has_errors) = host.submit_dialog("alice", &custom).await.unwrap();
    assert!(has_errors);
    assert_eq!(
        answer["errors"]["reminder_custom"],
        "Give a whole number of minutes from 1 to 10080, or leave it empty."
    );
    custom.submission =
        json!({ "message": "Verifying.", "reminder": "0", "reminder_custom": "90" }).as_object().unwrap().clone();
    let before = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let (answer, has_errors) = host.submit_dialog("alice", &custom).await.unwrap();
    assert!(!has_errors, "{answer}");
    let due = next_due(&host, &incident).as_i64().unwrap();
    assert!((before + 5_400_000..before + 5_460_000).contains(&due), "due {due}, submitted at {before}");

    host.stop().await;
}
