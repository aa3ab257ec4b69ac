//! The REST actions the RHS calls (`/api/v0/incidents/{id}/…`), through the real plugin process under the dev
//! host: tasks, commander, status, end (confirm) / restart, timeline, 404 for hidden incidents, and the small delta
//! websocket event each change publishes.

use crate::fresh_host::{host, mm_post};
use devhost::DevHost;
use serde_json::{Value, json};

const WS_EVENT: &str = "custom_org.incidentcollab.incidents_incident_updated";

async fn http(host: &DevHost, user: &str, method: &str, path: &str, body: Value) -> (u16, Value) {
    let bytes = if body.is_null() { Vec::new() } else { serde_json::to_vec(&body).unwrap() };
    let r = host.serve_http(Some(user), method, path, bytes).await;
    (r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rhs_actions_through_the_real_plugin() {
    let host = host("rhs-actions").await;
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let (status, created) =
        http(&host, "alice", "POST", "/api/v0/incidents", json!({ "name": "Cache down", "team_id": team })).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    let channel_id = created["channel_id"].as_str().unwrap().to_owned();
    let base = format!("/api/v0/incidents/{id}");
    assert_eq!(created["version"], 1, "{created}");

    let (status, r) =
        http(&host, "alice", "POST", &format!("{base}/tasks"), json!({"checklist": 0, "title": "Flush"})).await;
    assert_eq!(status, 200, "{r}");
    let n = r["incident"]["checklists"][0]["items"].as_array().unwrap().len();
    assert_eq!(r["incident"]["checklists"][0]["items"][n - 1]["title"], "Flush");

    // bob is not in the channel: he may read (public) but the core refuses his changes like the slash command's.
    let mut events = host.events();
    let (status, r) =
        http(&host, "bob", "POST", &format!("{base}/tasks/toggle"), json!({"checklist": 0, "item": n - 1})).await;
    assert_eq!(status, 403, "{r}");
    host.store().add_channel_member(&channel_id, &host.user_id("bob").unwrap()).unwrap();
    let (status, r) =
        http(&host, "bob", "POST", &format!("{base}/tasks/toggle"), json!({"checklist": 0, "item": n - 1})).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["incident"]["checklists"][0]["items"][n - 1]["done"], true);
    assert_eq!(r["message"], "", "the channel post is not echoed back to the RHS");
    let version = r["incident"]["version"].as_u64().unwrap();
    let delta = std::iter::from_fn(|| events.try_recv().ok()).find(|e| e.event == WS_EVENT).expect("a delta event");
    assert_eq!(delta.data["incident_id"], id.as_str());
    assert_eq!(delta.data["version"], version);
    assert_eq!(delta.data["change"], json!({"task": {"checklist": 0, "item": n - 1}}));
    assert!(serde_json::to_vec(&delta.data).unwrap().len() < 200, "{}", delta.data);

    let (status, r) = http(
        &host,
        "bob",
        "POST",
        &format!("{base}/tasks/toggle"),
        json!({"checklist": 0, "item": n - 1, "done": true}),
    )
    .await;
    assert_eq!(status, 409, "{r}");
    let (status, r) = http(&host, "alice", "DELETE", &format!("{base}/tasks/0/{}", n - 1), Value::Null).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["incident"]["checklists"][0]["items"].as_array().unwrap().len(), n - 1);
    let (status, _) = http(&host, "alice", "DELETE", &format!("{base}/tasks/0/99"), Value::Null).await;
    assert_eq!(status, 400);

    // Assign a task to a channel member, clear it; a non-member is refused like `/incident assign`.
    let bob_id = host.user_id("bob").unwrap();
    let (_, r) =
        http(&host, "alice", "POST", &format!("{base}/tasks"), json!({"checklist": 0, "title": "Own it"})).await;
    let at = r["incident"]["checklists"][0]["items"].as_array().unwrap().len() - 1;
    let assign = |user: Value| json!({"checklist": 0, "item": at, "user_id": user});
    let (status, r) = http(&host, "alice", "POST", &format!("{base}/tasks/assign"), assign(json!(bob_id))).await;
    let task = &r["incident"]["checklists"][0]["items"][at];
    assert_eq!((status, task["assignee_id"].as_str()), (200, Some(bob_id.as_str())), "{r}");
    let (status, r) = http(&host, "alice", "POST", &format!("{base}/tasks/assign"), assign(Value::Null)).await;
    assert_eq!((status, &r["incident"]["checklists"][0]["items"][at]["assignee_id"]), (200, &Value::Null), "{r}");
    let carol = host.user_id("carol").unwrap();
    let (status, _) = http(&host, "alice", "POST", &format!("{base}/tasks/assign"), assign(json!(carol))).await;
    assert_eq!(status, 409);

    let (status, r) = http(&host, "alice", "POST", &format!("{base}/commander"), json!({"user_id": carol})).await;
    assert_eq!((status, r["error"].as_str()), (409, Some("conflict")), "carol is not in the channel: {r}");
    let bob = host.user_id("bob").unwrap();
    let (status, r) = http(&host, "alice", "POST", &format!("{base}/commander"), json!({"user_id": bob})).await;
    assert_eq!((status, r["incident"]["commander_id"].as_str()), (200, Some(bob.as_str())), "{r}");

    let (status, r) = http(&host, "alice", "POST", &format!("{base}/status"), json!({"message": "All good"})).await;
    assert_eq!((status, r["incident"]["last_update"]["message"].as_str()), (200, Some("All good")), "{r}");

    let (_, r) =
        http(&host, "alice", "POST", &format!("{base}/tasks"), json!({"checklist": 0, "title": "Verify"})).await;
    assert!(r["incident"]["tasks_total"].as_u64().unwrap() > r["incident"]["tasks_done"].as_u64().unwrap());
    let (status, r) = http(&host, "alice", "POST", &format!("{base}/end"), json!({})).await;
    assert_eq!((status, r["error"].as_str()), (409, Some("confirm_required")), "{r}");
    let (status, r) = http(&host, "alice", "POST", &format!("{base}/end"), json!({"confirm": true})).await;
    assert_eq!((status, r["incident"]["status"].as_str()), (200, Some("ended")), "{r}");
    let (status, r) = http(&host, "alice", "POST", &format!("{base}/end"), json!({"confirm": true})).await;
    assert_eq!(status, 409, "{r}");
    let (status, r) = http(&host, "alice", "POST", &format!("{base}/restart"), Value::Null).await;
    assert_eq!((status, r["incident"]["status"].as_str()), (200, Some("active")), "{r}");

    let (status, r) = http(&host, "alice", "GET", &format!("{base}/timeline"), Value::Null).await;
    assert_eq!(status, 200);
    let kinds: Vec<&str> = r.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    for kind in ["incident_created", "task_added", "task_checked", "task_removed", "commander_changed"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    for kind in ["status_updated", "incident_ended", "incident_restarted"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }

    // A private incident reads as missing to an outsider, on every action route.
    host.store().set_plugin_setting("org.incidentcollab.incidents", "EnablePrivateIncidents", &json!(true)).unwrap();
    host.restart_plugin().await.unwrap();
    let (_, private) = http(
        &host,
        "alice",
        "POST",
        "/api/v0/incidents",
        json!({ "name": "Secret", "team_id": team, "visibility": "private" }),
    )
    .await;
    let secret = format!("/api/v0/incidents/{}", private["id"].as_str().unwrap_or_else(|| panic!("{private}")));
    for (method, path, body) in [
        ("POST", format!("{secret}/tasks/toggle"), json!({"checklist": 0, "item": 0})),
        ("POST", format!("{secret}/restart"), Value::Null),
        ("GET", format!("{secret}/timeline"), Value::Null),
        ("POST", "/api/v0/incidents/aaaaaaaaaaaaaaaaaaaaaaaaaa/end".to_owned(), json!({})),
    ] {
        let (status, r) = http(&host, "carol", method, &path, body).await;
        assert_eq!((status, r["error"].as_str()), (404, Some("not_found")), "{path}: {r}");
    }
    let r = host.serve_http(None, "POST", &format!("{base}/restart"), Vec::new()).await;
    assert_eq!(r.status, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_is_added_to_the_incident_timeline_from_the_post_menu() {
    let host = host("rhs-add-post").await;
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let (_, created) =
        http(&host, "alice", "POST", "/api/v0/incidents", json!({ "name": "Queue stuck", "team_id": team })).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let town = host.channel_id("town-square").unwrap();
    let post = host
        .store()
        .create_post(mm_post(&town, &host.user_id("bob").unwrap(), "Consumers stopped at 09:12 @channel"))
        .unwrap();
    let add = |user: &'static str, post: String| {
        let host = &host;
        let path = format!("/api/v0/incidents/{id}/timeline");
        async move { http(host, user, "POST", &path, json!({ "post_id": post })).await }
    };

    let (status, r) = add("alice", post.id.clone()).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["message"], format!("Added to the timeline of {}.", created["reference"].as_str().unwrap()));
    let (_, timeline) = http(&host, "alice", "GET", &format!("/api/v0/incidents/{id}/timeline"), Value::Null).await;
    let added = timeline.as_array().unwrap().iter().find(|e| e["kind"] == "post_added").cloned().expect("added");
    assert_eq!(added["summary"], "Consumers stopped at 09:12 @channel");
    assert_eq!(added["subject_id"], host.user_id("bob").unwrap().as_str());
    let info = host.execute_command("alice", "queue-stuck", "/incident timeline").await.unwrap();
    let text = info["text"].as_str().unwrap();
    assert!(text.contains("@alice added a message from @bob") && !text.contains(" @channel"), "mentions quiet: {text}");

    // Bad input: a missing message, a malformed id, someone outside the incident channel.
    let (status, r) = add("alice", "bbbbbbbbbbbbbbbbbbbbbbbbbb".into()).await;
    assert_eq!((status, r["detail"].as_str()), (400, Some("That message does not exist or you cannot see it.")));
    let (status, _) = add("alice", "nope".into()).await;
    assert_eq!(status, 400);
    let (status, r) = add("carol", post.id.clone()).await;
    assert_eq!(status, 403, "only channel members change the incident: {r}");
    host.stop().await;
}
