//! Large and hostile input through the real plugin under the dev host: an incident with 1,000 tasks (from a
//! playbook of 10 × 100) that still toggles and reports progress, a 10,000-character status update kept whole, one
//! over the limit refused with a clear message, and Markdown / mention injection in an incident name that neither
//! formats nor notifies in the posts the bot writes (channel, announcement, broadcast).

use crate::fresh_host::host;
use devhost::DevHost;
use serde_json::{Value, json};

async fn http(host: &DevHost, user: &str, method: &str, path: &str, body: Value) -> (u16, Value) {
    let bytes = if body.is_null() { Vec::new() } else { serde_json::to_vec(&body).unwrap() };
    let r = host.serve_http(Some(user), method, path, bytes).await;
    (r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
}

fn messages(host: &DevHost, channel: &str) -> Vec<String> {
    host.store().posts_for_channel(channel, 0, 200).unwrap().into_iter().map(|p| p.message).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_tasks_long_updates_and_injection_through_the_real_plugin() {
    let host = host("big-inputs").await;
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let off_topic = host.channel_id("off-topic").unwrap();

    // 10 checklists × 100 tasks.
    let checklists: Vec<Value> = (0..10)
        .map(|c| {
            let items: Vec<Value> = (0..100).map(|t| json!({ "title": format!("Task {c}.{t}") })).collect();
            json!({ "title": format!("Stage {c}"), "items": items })
        })
        .collect();
    let input = json!({ "title": "Huge", "checklists": checklists, "broadcast_channel_ids": [off_topic] });
    let (status, pb) = http(&host, "alice", "POST", &format!("/api/v0/playbooks?team_id={team}"), input).await;
    assert_eq!(status, 201, "{pb}");
    let name = "Outage @channel **bold** [click](javascript:alert(1)) <b>|x|";
    let (status, started) = http(
        &host,
        "alice",
        "POST",
        "/api/v0/incidents",
        json!({ "name": name, "team_id": team, "playbook_id": pb["id"] }),
    )
    .await;
    assert_eq!(status, 201, "{started}");
    let id = started["id"].as_str().unwrap().to_owned();
    let channel = started["channel_id"].as_str().unwrap().to_owned();
    assert_eq!(started["tasks_total"], 1000, "{}", started["tasks_total"]);

    let (status, acted) = http(
        &host,
        "alice",
        "POST",
        &format!("/api/v0/incidents/{id}/tasks/toggle"),
        json!({ "checklist": 9, "item": 99, "done": true }),
    )
    .await;
    assert_eq!((status, acted["incident"]["tasks_done"].as_u64()), (200, Some(1)), "{}", acted["incident"]);
    let info = host.execute_command("alice", &channel, "/incident info").await.unwrap();
    let info = info["text"].as_str().unwrap();
    assert!(info.contains("1/1000"), "{info}");

    // The name arrives verbatim in the record, but every bot post shows it inert.
    let (_, detail) = http(&host, "alice", "GET", &format!("/api/v0/incidents/{id}"), Value::Null).await;
    assert_eq!(detail["name"], name);
    for text in [info.to_owned()].into_iter().chain(messages(&host, &channel)) {
        assert!(!text.contains("@channel"), "a bot post would notify the channel: {text}");
        assert!(!text.contains("[click](") && !text.contains("<b>"), "a bot post formats user text: {text}");
    }
    let reply = host.execute_command("alice", &channel, "/incident announce ~town-square").await.unwrap();
    assert!(reply["text"].as_str().unwrap().contains("town-square"), "{reply}");
    let town = host.channel_id("town-square").unwrap();
    let announced = messages(&host, &town);
    assert!(announced.iter().any(|m| m.contains("Outage")), "{announced:?}");
    assert!(announced.iter().all(|m| !m.contains("@channel")), "{announced:?}");

    // A 10,000-character update is kept whole; the broadcast repeats it without its mentions.
    let long = format!("@here {}", "x".repeat(9_994));
    assert_eq!(long.chars().count(), 10_000);
    let (status, acted) =
        http(&host, "alice", "POST", &format!("/api/v0/incidents/{id}/status"), json!({ "message": long })).await;
    assert_eq!(status, 200, "{acted}");
    let (_, detail) = http(&host, "alice", "GET", &format!("/api/v0/incidents/{id}"), Value::Null).await;
    assert_eq!(detail["last_update"]["message"], long);
    let broadcast = messages(&host, &off_topic);
    let repeated = broadcast.iter().find(|m| m.contains(&"x".repeat(9_994))).expect("the update was broadcast");
    assert!(!repeated.contains("@here") && !repeated.contains("@channel"), "{repeated:.200}");

    let too_long = "y".repeat(16_001);
    let (status, refused) =
        http(&host, "alice", "POST", &format!("/api/v0/incidents/{id}/status"), json!({ "message": too_long })).await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused["detail"].as_str().unwrap().contains("16000"), "{refused}");
    host.stop().await;
}
