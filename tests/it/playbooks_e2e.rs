//! Playbooks through the real plugin under the dev host: REST CRUD with clear errors, `/incident start --playbook`,
//! and a status update broadcast to the playbook's channel.

use crate::fresh_host::host;
use devhost::DevHost;
use serde_json::{Value, json};

async fn http(host: &DevHost, user: &str, method: &str, path: &str, body: Value) -> (u16, Value) {
    let bytes = if body.is_null() { Vec::new() } else { serde_json::to_vec(&body).unwrap() };
    let r = host.serve_http(Some(user), method, path, bytes).await;
    (r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn playbooks_over_rest_start_incidents_that_broadcast_their_updates() {
    let host = host("playbooks-e2e").await;
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let off_topic = host.channel_id("off-topic").unwrap();
    let list = format!("/api/v0/playbooks?team_id={team}");
    let input = json!({
        "title": "Outage",
        "checklists": [{ "title": "Triage", "items": [{ "title": "Page the DBA" }, { "title": "Fail over" }] }],
        "reminder_seconds": 900,
        "broadcast_channel_ids": [off_topic],
    });
    let (status, pb) = http(&host, "alice", "POST", &list, input.clone()).await;
    assert_eq!(status, 201, "{pb}");
    let id = pb["id"].as_str().unwrap().to_owned();

    // Bad input answers 400 with a clear message.
    let (status, body) = http(&host, "alice", "POST", &list, input.clone()).await;
    assert_eq!((status, body["detail"].as_str().unwrap()), (400, "This team already has a playbook named “Outage”."));
    let (status, body) = http(&host, "alice", "POST", &list, json!({ "title": "X", "color": "red" })).await;
    assert_eq!(status, 400);
    assert!(body["detail"].as_str().unwrap().contains("unknown field `color`"), "{body}");
    let (status, body) = http(&host, "alice", "POST", "/api/v0/playbooks", json!({ "title": "X" })).await;
    assert_eq!((status, body["detail"].as_str().unwrap()), (400, "Give a valid `team_id` query parameter."));
    let (status, _) = http(&host, "alice", "GET", "/api/v0/playbooks/aaaaaaaaaaaaaaaaaaaaaaaaaa", Value::Null).await;
    assert_eq!(status, 404);

    // Playbooks are private to their members: bob sees nothing, and the id reads as missing, until alice adds him.
    let (status, body) = http(&host, "bob", "GET", &list, Value::Null).await;
    assert_eq!((status, body["items"].as_array().map(Vec::len)), (200, Some(0)), "{body}");
    let (status, _) = http(&host, "bob", "GET", &format!("/api/v0/playbooks/{id}"), Value::Null).await;
    assert_eq!(status, 404);
    let mut input = input;
    input["member_ids"] = json!([host.user_id("bob").unwrap()]);
    let (status, body) = http(&host, "alice", "PUT", &format!("/api/v0/playbooks/{id}"), input.clone()).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = http(&host, "bob", "GET", &list, Value::Null).await;
    assert_eq!((status, body["items"][0]["title"].as_str(), body["total"].as_u64()), (200, Some("Outage"), Some(1)));
    let (status, body) = http(&host, "bob", "GET", &format!("{list}&page=1&per_page=1"), Value::Null).await;
    assert_eq!((status, body["items"].as_array().map(Vec::len), body["total"].as_u64()), (200, Some(0), Some(1)));
    let (status, body) = http(&host, "bob", "GET", &format!("{list}&per_page=0"), Value::Null).await;
    assert_eq!((status, body["detail"].as_str()), (400, Some("`per_page` must be between 1 and 200.")));
    let mut renamed = input.clone();
    renamed["title"] = json!("Service outage");
    let (status, body) = http(&host, "bob", "PUT", &format!("/api/v0/playbooks/{id}"), renamed).await;
    assert_eq!((status, body["title"].as_str()), (200, Some("Service outage")), "{body}");

    // Start from it by title: the incident gets its checklists; an update goes to the broadcast channel too.
    let reply = host
        .execute_command("alice", "town-square", "/incident start Database down --playbook service outage")
        .await
        .unwrap();
    assert_eq!(reply["text"], "Started **Database down** (INC-00001) in ~database-down.");
    let info = host.execute_command("alice", "database-down", "/incident info").await.unwrap();
    assert!(info["text"].as_str().unwrap().contains("0/2"), "{info}");
    let (status, detail) = http(
        &host,
        "alice",
        "POST",
        "/api/v0/incidents",
        json!({ "name": "API down", "team_id": team, "playbook_id": id }),
    )
    .await;
    assert_eq!(status, 201, "{detail}");

    let mut events = host.events();
    host.execute_command("alice", "database-down", "/incident update").await.unwrap();
    let opened = std::iter::from_fn(|| events.try_recv().ok()).find(|e| e.event == "open_dialog").expect("a dialog");
    let payload: Value = serde_json::from_str(opened.data["dialog"].as_str().unwrap()).unwrap();
    let submission = devhost::DialogSubmission {
        url: payload["url"].as_str().unwrap().into(),
        callback_id: "update".into(),
        state: payload["dialog"]["state"].as_str().unwrap().into(),
        submission: json!({ "message": "Failing over.", "reminder": "0" }).as_object().unwrap().clone(),
        cancelled: false,
        channel_id: host.channel_id("database-down").unwrap(),
        team_id: team.clone(),
    };
    let (answer, has_errors) = host.submit_dialog("alice", &submission).await.unwrap();
    assert!(!has_errors, "{answer}");
    let posts = host.store().posts_for_channel(&off_topic, 0, 5).unwrap();
    assert!(
        posts
            .iter()
            .any(|p| p.message == "**Status update** for **Database down** (INC-00001) by @alice:\n\nFailing over."),
        "{posts:#?}"
    );

    // The start dialog offers the team's playbooks; submitting one starts from it.
    let mut events = host.events();
    host.execute_command("bob", "town-square", "/incident start").await.unwrap();
    let opened = std::iter::from_fn(|| events.try_recv().ok()).find(|e| e.event == "open_dialog").expect("a dialog");
    let payload: Value = serde_json::from_str(opened.data["dialog"].as_str().unwrap()).unwrap();
    let elements = payload["dialog"]["elements"].as_array().unwrap();
    let select = elements.iter().find(|e| e["name"] == "playbook").expect("a playbook select");
    assert_eq!(select["options"], json!([{ "text": "Service outage", "value": id }]));
    let mut submission = devhost::DialogSubmission {
        url: payload["url"].as_str().unwrap().into(),
        callback_id: "start".into(),
        state: String::new(),
        submission: json!({ "name": "Cache down", "playbook": "nonsense" }).as_object().unwrap().clone(),
        cancelled: false,
        channel_id: host.channel_id("town-square").unwrap(),
        team_id: team.clone(),
    };
    let (answer, has_errors) = host.submit_dialog("bob", &submission).await.unwrap();
    assert!(has_errors);
    assert_eq!(answer["errors"]["playbook"], "No playbook found. It may not exist, or you are not one of its members.");
    submission.submission = json!({ "name": "Cache down", "playbook": id }).as_object().unwrap().clone();
    let (answer, has_errors) = host.submit_dialog("bob", &submission).await.unwrap();
    assert!(!has_errors, "{answer}");
    let info = host.execute_command("bob", "cache-down", "/incident info").await.unwrap();
    assert!(info["text"].as_str().unwrap().contains("0/2"), "{info}");

    // Archive, never delete.
    let (status, body) = http(&host, "alice", "POST", &format!("/api/v0/playbooks/{id}/archive"), Value::Null).await;
    assert_eq!((status, body["archived"].as_bool()), (200, Some(true)));
    let (_, body) = http(&host, "alice", "GET", &list, Value::Null).await;
    assert_eq!(body["items"], json!([]));
    let (_, body) = http(&host, "alice", "GET", &format!("{list}&archived=true"), Value::Null).await;
    assert_eq!(body["items"][0]["id"], json!(id));
    let reply = host.execute_command("alice", "town-square", "/incident start Again --playbook service outage").await;
    assert_eq!(
        reply.unwrap()["text"],
        "There is no playbook “service outage” in this team. This team has no playbooks yet."
    );
    host.stop().await;
}
