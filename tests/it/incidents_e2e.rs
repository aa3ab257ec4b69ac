//! The `/incident` command set end to end: the real plugin process (debug build, staged like the bundle) under the
//! dev host's SQLite PluginAPI. start → checkadd/check → commander → update (dialog) → info → end (confirm) →
//! restart → timeline → list, the REST API, bad input, privacy, and the read model surviving a plugin restart.

use crate::fresh_host::{host, mm_post};
use devhost::DevHost;
use serde_json::{Value, json};

const PLUGIN_ID: &str = "org.incidentcollab.incidents";

/// Runs a command; returns (reply text, PluginAPI calls it made).
async fn run(host: &DevHost, user: &str, channel: &str, text: &str) -> (String, u64) {
    host.reset_api_calls();
    let reply = host.execute_command(user, channel, text).await.unwrap_or_else(|e| panic!("{text}: {e:?}"));
    let calls = host.api_calls().per_hook.get("ExecuteCommand").map_or(0, |h| h.last_api_calls);
    (reply["text"].as_str().unwrap_or_default().to_owned(), calls)
}

async fn say(host: &DevHost, user: &str, channel: &str, text: &str) -> String {
    run(host, user, channel, text).await.0
}

/// The newest post in a channel.
fn last_post(host: &DevHost, channel: &str) -> String {
    let id = host.channel_id(channel).unwrap();
    let posts = host.store().posts_for_channel(&id, 0, 1).unwrap();
    posts.first().map(|p| p.message.clone()).unwrap_or_default()
}

async fn http(host: &DevHost, user: Option<&str>, method: &str, path: &str, body: Value) -> (u16, Value) {
    let bytes = if body.is_null() { Vec::new() } else { serde_json::to_vec(&body).unwrap() };
    let r = host.serve_http(user, method, path, bytes).await;
    let json = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
    (r.status, json)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_incident_lifecycle_through_the_real_plugin() {
    let host = host("incidents-e2e").await;
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let mut calls: Vec<(&str, u64)> = Vec::new();

    let (reply, n) = run(&host, "alice", "town-square", "/incident start Database down").await;
    calls.push(("start", n));
    assert_eq!(reply, "Started **Database down** (INC-00001) in ~database-down.");
    let ch = "database-down";
    let channel_id = host.channel_id(ch).expect("the incident channel exists");
    assert!(host.store().get_channel_member(&channel_id, &host.user_id("alice").unwrap()).is_ok());
    assert!(last_post(&host, ch).contains("Incident started: **Database down** · INC-00001"));

    assert_eq!(say(&host, "alice", ch, "/incident checkadd 1 Page the DBA").await, "Added “Page the DBA” to Tasks.");
    assert_eq!(say(&host, "alice", ch, "/incident checkadd 1 Fail over").await, "Added “Fail over” to Tasks.");
    let (reply, n) = run(&host, "alice", ch, "/incident check 1 1").await;
    calls.push(("check", n));
    assert_eq!(reply, "");
    assert!(last_post(&host, ch).ends_with("@alice checked “Page the DBA”."), "{}", last_post(&host, ch));

    assert_eq!(
        say(&host, "alice", ch, "/incident commander @bob").await,
        "@bob is not a member of the incident channel. Add them to the channel first."
    );
    host.store().add_channel_member(&channel_id, &host.user_id("bob").unwrap()).unwrap();
    assert_eq!(say(&host, "alice", ch, "/incident commander @bob").await, "");
    assert_eq!(last_post(&host, ch), "@alice changed the commander from @alice to @bob.");

    // update opens the dialog; its submission comes back through ServeHTTP and posts as alice.
    let mut events = host.events();
    say(&host, "alice", ch, "/incident update").await;
    let opened = std::iter::from_fn(|| events.try_recv().ok()).find(|e| e.event == "open_dialog").expect("a dialog");
    let payload: Value = serde_json::from_str(opened.data["dialog"].as_str().unwrap()).unwrap();
    assert_eq!(payload["url"], format!("/plugins/{PLUGIN_ID}/api/v0/dialogs/update"));
    let submission = devhost::DialogSubmission {
        url: payload["url"].as_str().unwrap().into(),
        callback_id: "update".into(),
        state: payload["dialog"]["state"].as_str().unwrap().into(),
        submission: json!({ "message": "Failover in progress", "reminder": "1800000" }).as_object().unwrap().clone(),
        cancelled: false,
        channel_id: channel_id.clone(),
        team_id: team.clone(),
    };
    let (answer, has_errors) = host.submit_dialog("alice", &submission).await.unwrap();
    assert!(!has_errors, "{answer}");
    assert!(last_post(&host, ch).contains("Failover in progress"), "{}", last_post(&host, ch));

    let info = say(&host, "alice", ch, "/incident info").await;
    for part in ["**Database down** · INC-00001", "**Commander:** @bob", "**Tasks:** 1/2 done", "ago by @alice"] {
        assert!(info.contains(part), "{part} in {info}");
    }

    // end with an open task asks first; the button ends it.
    host.reset_api_calls();
    let reply = host.execute_command("alice", ch, "/incident end").await.unwrap();
    assert_eq!(reply["text"], "1 task is still open. End the incident anyway?");
    let action = &reply["props"]["attachments"][0]["actions"][0];
    assert_eq!(action["name"], "End incident", "{reply}");
    let incident_id = action["integration"]["context"]["incident_id"].as_str().unwrap().to_owned();
    let click = json!({ "user_id": host.user_id("alice").unwrap(), "channel_id": channel_id, "context": { "incident_id": incident_id } });
    let (status, answer) = http(&host, Some("alice"), "POST", "/api/v0/actions/end", click).await;
    assert_eq!((status, answer["ephemeral_text"].as_str()), (200, Some("The incident has ended.")), "{answer}");
    assert!(last_post(&host, ch).starts_with("@alice ended the incident after"));
    assert_eq!(
        say(&host, "alice", ch, "/incident end").await,
        "This incident has already ended. Use `/incident restart` to reopen it."
    );
    assert_eq!(say(&host, "alice", ch, "/incident restart").await, "");

    let (timeline, n) = run(&host, "alice", ch, "/incident timeline").await;
    calls.push(("timeline", n));
    for line in [
        "@alice started the incident",
        "@alice added the task “Page the DBA”",
        "@alice checked “Page the DBA”",
        "@alice made @bob the commander",
        "@alice posted a status update",
        "@alice ended the incident",
        "@alice restarted the incident",
    ] {
        assert!(timeline.contains(line), "{line} in {timeline}");
    }
    // Measured here, not right after the update: the update's MessageHasBeenPosted hook runs in the background and
    // the host attributes calls by time.
    let (_, n) = run(&host, "alice", ch, "/incident info").await;
    calls.push(("info", n));
    let (list, n) = run(&host, "alice", "town-square", "/incident list").await;
    calls.push(("list", n));
    assert!(list.contains("| **Database down** · INC-00001") && list.contains("| @bob |"), "{list}");

    // REST: list (the RHS DTO), one, no user, unknown id.
    let (status, body) =
        http(&host, Some("carol"), "GET", &format!("/api/v0/incidents?channel_id={channel_id}"), Value::Null).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"], 1);
    let item = &body["items"][0];
    assert_eq!((item["name"].as_str(), item["status"].as_str()), (Some("Database down"), Some("active")));
    assert_eq!((item["tasks_done"].as_u64(), item["tasks_total"].as_u64()), (Some(1), Some(2)));
    assert_eq!(item["commander_id"], host.user_id("bob").unwrap());
    assert_eq!(item["is_private"], false);
    let (status, one) =
        http(&host, Some("carol"), "GET", &format!("/api/v0/incidents/{incident_id}"), Value::Null).await;
    assert_eq!((status, one["reference"].as_str()), (200, Some("INC-00001")), "{one}");
    let (status, body) = http(&host, None, "GET", "/api/v0/incidents?team_id=x", Value::Null).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("unauthorized")));

    eprintln!("PluginAPI calls per command: {calls:?}");
    let budget = |name: &str| calls.iter().find(|(n, _)| *n == name).map(|(_, c)| *c).unwrap();
    assert!(budget("info") <= 3, "info needs at most 3 PluginAPI calls: {calls:?}");
    assert!(budget("start") <= 15, "start needs at most 15 PluginAPI calls: {calls:?}");
    // The list is drawn from the read model: the user, the team membership, the commanders' names; no record.
    assert!(budget("list") <= 3, "list needs at most 3 PluginAPI calls: {calls:?}");

    // A plugin restart rebuilds the read model from KV: the list still shows the incident.
    host.restart_plugin().await.unwrap();
    let (status, body) =
        http(&host, Some("alice"), "GET", &format!("/api/v0/incidents?team_id={team}&status=active"), Value::Null)
            .await;
    assert_eq!((status, body["total"].as_u64()), (200, Some(1)), "{body}");
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_and_privacy_through_the_real_plugin() {
    let host = host("incidents-e2e-bad").await;
    let team = host.store().get_team_by_name("dev").unwrap().id;

    let unknown = say(&host, "alice", "town-square", "/incident frobnicate").await;
    assert!(
        unknown.starts_with("`/incident frobnicate` is not a command. Here is what `/incident` can do:"),
        "{unknown}"
    );
    assert!(unknown.contains("- `/incident timeline` — Show the incident's timeline."));
    assert_eq!(
        say(&host, "alice", "town-square", "/incident check one 2").await,
        "`one` is not a checklist number. Numbers start at 1, like `/incident check 1 2`."
    );
    assert_eq!(
        say(&host, "alice", "town-square", "/incident end now").await,
        "`/incident end` needs no arguments, like `/incident end`."
    );
    assert!(
        say(&host, "alice", "town-square", "/incident info")
            .await
            .starts_with("This channel is not an incident channel.")
    );
    say(&host, "alice", "town-square", "/incident start Login errors").await;
    assert_eq!(
        say(&host, "alice", "login-errors", "/incident commander @nobody").await,
        "There is no user @nobody. Check the spelling, like `/incident commander @alice`."
    );
    assert_eq!(
        say(&host, "alice", "login-errors", "/incident announce ~nowhere").await,
        "There is no channel ~nowhere in this team."
    );

    // REST errors are JSON.
    let (status, body) = http(&host, Some("alice"), "GET", "/api/v0/incidents", Value::Null).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid")), "{body}");
    let r = host.serve_http(Some("alice"), "POST", "/api/v0/incidents", b"{not json".to_vec()).await;
    assert_eq!(r.status, 400);
    let too_big = vec![b' '; 300 * 1024];
    let r = host.serve_http(Some("alice"), "POST", "/api/v0/incidents", too_big).await;
    assert_eq!(r.status, 413);
    let (status, body) =
        http(&host, Some("alice"), "POST", "/api/v0/incidents", json!({ "name": " ", "team_id": team })).await;
    assert_eq!(
        (status, body["detail"].as_str()),
        (400, Some("An incident needs a name, like `/incident start Database down`."))
    );

    // Private incidents are off by default (System Console); turned on, they are read at the next activation.
    let (status, _) = http(
        &host,
        Some("alice"),
        "POST",
        "/api/v0/incidents",
        json!({ "name": "Breach", "team_id": team, "visibility": "private" }),
    )
    .await;
    assert_eq!(status, 400, "private incidents are off by default");
    host.store().set_plugin_setting(PLUGIN_ID, "EnablePrivateIncidents", &json!(true)).unwrap();
    host.restart_plugin().await.unwrap();

    // A private incident reads exactly like a missing one to a non-member, and stays out of their lists.
    let (status, secret) = http(
        &host,
        Some("alice"),
        "POST",
        "/api/v0/incidents",
        json!({ "name": "Breach", "team_id": team, "visibility": "private" }),
    )
    .await;
    assert_eq!(status, 201, "{secret}");
    assert_eq!(secret["is_private"], true);
    let id = secret["id"].as_str().unwrap();
    let hidden = host.serve_http(Some("bob"), "GET", &format!("/api/v0/incidents/{id}"), Vec::new()).await;
    let missing = host.serve_http(Some("bob"), "GET", "/api/v0/incidents/aaaaaaaaaaaaaaaaaaaaaaaaaa", Vec::new()).await;
    let garbage = host.serve_http(Some("bob"), "GET", "/api/v0/incidents/nope", Vec::new()).await;
    assert_eq!((hidden.status, missing.status, garbage.status), (404, 404, 404));
    assert_eq!(hidden.body, missing.body, "same body for hidden and missing");
    assert_eq!(hidden.body, garbage.body);
    let (status, mine) = http(&host, Some("alice"), "GET", &format!("/api/v0/incidents/{id}"), Value::Null).await;
    assert_eq!((status, mine["name"].as_str()), (200, Some("Breach")));
    let all = format!("/api/v0/incidents?team_id={team}&include_private=true");
    let (_, bobs) = http(&host, Some("bob"), "GET", &all, Value::Null).await;
    assert_eq!(bobs["total"], 1, "bob sees only the public incident: {bobs}");
    let (_, alices) = http(&host, Some("alice"), "GET", &all, Value::Null).await;
    assert_eq!(alices["total"], 2, "{alices}");
    let (_, filter_off) =
        http(&host, Some("alice"), "GET", &format!("/api/v0/incidents?team_id={team}"), Value::Null).await;
    assert_eq!(filter_off["total"], 1, "private incidents only with the filter on: {filter_off}");
    let (status, bad) = http(&host, Some("alice"), "GET", &format!("{all}x"), Value::Null).await;
    assert_eq!(
        (status, bad["detail"].as_str()),
        (400, Some("`include_private` must be `true` or `false`, not `truex`."))
    );
    assert!(
        say(&host, "bob", "town-square", "/incident info --incident INC-00002")
            .await
            .starts_with("No incident matches `INC-00002`"),
        "a reference to a hidden incident reads as no match"
    );

    // The post menu's "Start incident from this message" starts directly from the message.
    let town = host.channel_id("town-square").unwrap();
    let post = host
        .store()
        .create_post(mm_post(&town, &host.user_id("carol").unwrap(), "Checkout is failing\nfor EU users"))
        .unwrap();
    let (status, started) = http(
        &host,
        Some("carol"),
        "POST",
        "/api/v0/incidents/dialog",
        json!({ "post_id": post.id, "channel_id": town, "team_id": team }),
    )
    .await;
    assert_eq!((status, started["name"].as_str()), (201, Some("Checkout is failing")), "{started}");
    host.stop().await;
}
