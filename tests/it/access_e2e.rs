//! Private-incident access through the real plugin process under the dev host, beyond the privacy matrix: the
//! request-access answer comes before any lookup, leaving the channel asks the channel (Remove / Keep), people with
//! access rejoin from the incident page, the last member cannot be revoked, and a time-boxed grant is revoked by
//! the scheduler after it lapses.

use std::time::Duration;

use devhost::{DevHost, Fault};
use serde_json::{Value, json};

use crate::devhost_e2e::wait_until;
use crate::fresh_host::host;

const PLUGIN_ID: &str = "org.incidentcollab.incidents";
const MISSING: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaa";

async fn http(host: &DevHost, user: &str, method: &str, path: &str, body: &str) -> (u16, Value) {
    let r = host.serve_http(Some(user), method, path, body.as_bytes().to_vec()).await;
    (r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
}

/// A dev host with private incidents on and a private incident "Breach" reported by alice: (host, id, channel).
async fn private_incident(name: &str) -> (DevHost, String, String) {
    let host = host(name).await;
    host.store().set_plugin_setting(PLUGIN_ID, "EnablePrivateIncidents", &json!(true)).unwrap();
    host.restart_plugin().await.unwrap();
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let create = format!(r#"{{"name":"Breach","team_id":"{team}","visibility":"private"}}"#);
    let (status, incident) = http(&host, "alice", "POST", "/api/v0/incidents", &create).await;
    assert_eq!(status, 201, "{incident}");
    let id = incident["id"].as_str().unwrap().to_owned();
    let channel = incident["channel_id"].as_str().unwrap().to_owned();
    (host, id, channel)
}

async fn grant(host: &DevHost, id: &str, body: &str) {
    let (status, got) = http(host, "alice", "POST", &format!("/api/v0/incidents/{id}/access/grant"), body).await;
    assert_eq!(status, 200, "{got}");
}

fn in_channel(host: &DevHost, channel: &str, user: &str) -> bool {
    host.store().get_channel_member(channel, &host.user_id(user).unwrap()).is_ok()
}

/// Posts in `channel` whose text contains `needle`, oldest first.
fn posts_with(host: &DevHost, channel: &str, needle: &str) -> Vec<devhost::store::Post> {
    let mut posts = host.store().posts_for_channel(channel, 0, 200).unwrap();
    posts.reverse();
    posts.into_iter().filter(|p| p.message.contains(needle)).collect()
}

/// The state "who has access" gives `user` (None: not listed).
async fn access_state(host: &DevHost, id: &str, user: &str) -> Option<String> {
    let (_, people) = http(host, "alice", "GET", &format!("/api/v0/incidents/{id}/access"), "").await;
    people["people"].as_array()?.iter().find(|p| p["username"] == user).map(|p| p["state"].as_str().unwrap().into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_access_answers_before_the_incident_is_looked_up() {
    let (host, id, channel) = private_incident("access-timing").await;
    // The post that a real request makes is held back by the server for 3 s: the answer must not wait for it,
    // or its timing would tell a real private id from a made-up one.
    host.inject_fault("CreatePost", Fault::delay(Duration::from_secs(3)).times(1)).unwrap();
    let (status, answer) = http(&host, "bob", "POST", &format!("/api/v0/incidents/{id}/request-access"), "").await;
    assert_eq!(status, 202, "{answer}");
    assert!(posts_with(&host, &channel, "asks for access").is_empty(), "answered before the request was posted");
    let (m_status, m_answer) =
        http(&host, "bob", "POST", &format!("/api/v0/incidents/{MISSING}/request-access"), "").await;
    assert_eq!((m_status, m_answer), (status, answer), "the same answer as for a missing id");
    wait_until("the request is posted", || async { posts_with(&host, &channel, "@bob asks for access").len() == 1 })
        .await;
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_the_channel_asks_whether_to_remove_access_once() {
    let (host, id, channel) = private_incident("access-leave").await;
    grant(&host, &id, r#"{"username":"bob"}"#).await;
    grant(&host, &id, r#"{"username":"carol"}"#).await;
    assert!(in_channel(&host, &channel, "bob") && in_channel(&host, &channel, "carol"));

    // Bob leaves: the channel is asked, with Remove / Keep buttons; until someone answers he keeps access.
    host.leave_channel("bob", &channel).unwrap();
    wait_until("the question about bob", || async {
        !posts_with(&host, &channel, "@bob left the channel and can").is_empty()
    })
    .await;
    let question = posts_with(&host, &channel, "@bob left the channel and can").pop().unwrap();
    let props = serde_json::to_value(&question.props).unwrap();
    let buttons: Vec<&str> =
        props["attachments"][0]["actions"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(buttons, ["Remove access", "Keep access"], "{}", question.message);
    assert_eq!(access_state(&host, &id, "bob").await.as_deref(), Some("invited"));

    // Bob himself (no longer in the channel) cannot answer: the host does not show him the post.
    assert!(host.post_action("bob", &question.id, "removeaccess", None).await.is_err());
    // Keep: the buttons give way to who answered; bob rejoins from the incident page.
    let kept = host.post_action("alice", &question.id, "keepaccess", None).await.unwrap();
    assert_eq!(kept["ephemeral_text"], "@bob keeps access and can rejoin from the incident page.", "{kept}");
    let updated = host.store().get_post(&question.id).unwrap();
    let props = serde_json::to_value(&updated.props).unwrap();
    assert_eq!(props["attachments"][0]["text"], "Answered by @alice: access kept.", "{props}");
    assert!(props["attachments"][0]["actions"].is_null(), "no buttons left: {props}");
    let (status, joined) = http(&host, "bob", "POST", &format!("/api/v0/incidents/{id}/join"), "").await;
    assert_eq!(status, 200, "{joined}");
    assert!(in_channel(&host, &channel, "bob"));
    let (_, again) = http(&host, "bob", "POST", &format!("/api/v0/incidents/{id}/join"), "").await;
    assert!(again["message"].as_str().unwrap().starts_with("You are already in the channel"), "{again}");

    // Carol leaves; Remove revokes her (she is already out of the channel); a forged second answer is refused.
    host.leave_channel("carol", &channel).unwrap();
    wait_until("the question about carol", || async {
        !posts_with(&host, &channel, "@carol left the channel and can").is_empty()
    })
    .await;
    let question = posts_with(&host, &channel, "@carol left the channel and can").pop().unwrap();
    let removed = host.post_action("alice", &question.id, "removeaccess", None).await.unwrap();
    assert_eq!(removed["ephemeral_text"].as_str().unwrap().lines().next(), Some("You removed @carol's access."));
    assert_eq!(access_state(&host, &id, "carol").await.as_deref(), Some("revoked"));
    let carol = host.user_id("carol").unwrap();
    let forged = format!(r#"{{"context":{{"incident_id":"{id}","user":"{carol}","decision":"keep"}}}}"#);
    let (_, twice) = http(&host, "alice", "POST", "/api/v0/actions/access", &forged).await;
    assert_eq!(twice["ephemeral_text"], "@carol's access after leaving the channel was already decided.");
    // Revoked: joining reads exactly as for a missing incident.
    let by_carol = http(&host, "carol", "POST", &format!("/api/v0/incidents/{id}/join"), "").await;
    let missing = http(&host, "carol", "POST", &format!("/api/v0/incidents/{MISSING}/join"), "").await;
    assert_eq!(by_carol, missing);
    assert_eq!(by_carol.0, 404);
    assert!(!in_channel(&host, &channel, "carol"));

    // The timeline holds the answers.
    let (_, timeline) = http(&host, "alice", "GET", &format!("/api/v0/incidents/{id}/timeline"), "").await;
    let text = timeline.to_string();
    for kind in ["access_kept", "access_revoked", "member_left"] {
        assert!(text.contains(kind), "{kind} in {text}");
    }
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_member_stays_and_time_boxed_access_lapses() {
    let (host, id, channel) = private_incident("access-last-member").await;
    // Alice (the commander) leaves: bob is the only one left in the channel.
    grant(&host, &id, r#"{"username":"bob"}"#).await;
    host.leave_channel("alice", &channel).unwrap();
    wait_until("the question about alice", || async {
        !posts_with(&host, &channel, "@alice left the channel and can").is_empty()
    })
    .await;
    // The system admin (never restricted, not in the channel) cannot revoke the last member.
    let revoke = format!("/api/v0/incidents/{id}/access/revoke");
    let (status, got) = http(&host, "admin", "POST", &revoke, r#"{"username":"bob"}"#).await;
    assert_eq!(status, 409, "{got}");
    assert_eq!(
        got["detail"],
        "@bob is the last member of the incident channel; invite someone else before revoking their access."
    );
    assert!(in_channel(&host, &channel, "bob"));

    let dave = host.store().create_user("dave").unwrap().id;
    let team = host.store().get_team_by_name("dev").unwrap().id;
    host.store().add_team_member(&team, &dave).unwrap();
    // Time-boxed: bob lets dave in for 60 minutes; the record is moved past its end and the nodes restart: the
    // scheduler revokes him, removes him from the channel and says so in the channel.
    let timed = r#"{"username":"dave","expires_in_minutes":60}"#;
    let (status, got) = http(&host, "bob", "POST", &format!("/api/v0/incidents/{id}/access/grant"), timed).await;
    assert_eq!(status, 200, "{got}");
    assert!(in_channel(&host, &channel, "dave"));
    let key = format!("inc_{id}");
    let mut record: Value = serde_json::from_slice(&host.store().kv_get(PLUGIN_ID, &key).unwrap()).unwrap();
    let grants = record["data"]["access"]["invited"].as_array_mut().unwrap();
    let grant = grants.iter_mut().find(|g| g["user"] == dave.as_str()).expect("dave's grant");
    grant["expires_at"] = json!(grant["expires_at"].as_i64().unwrap() - 2 * 3_600_000);
    host.store().kv_set(PLUGIN_ID, &key, &serde_json::to_vec(&record).unwrap(), 0).unwrap();
    host.restart_plugin().await.unwrap();
    wait_until("dave's access lapses", || async { !in_channel(&host, &channel, "dave") }).await;
    wait_until("the lapse is posted", || async { !posts_with(&host, &channel, "time-boxed access").is_empty() }).await;
    assert_eq!(access_state(&host, &id, "dave").await.as_deref(), Some("revoked"));
    let (status, _) = http(&host, "dave", "GET", &format!("/api/v0/incidents/{id}"), "").await;
    assert_eq!(status, 404, "lapsed access reads as missing");
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoke_the_server_cannot_carry_out_says_so_and_can_be_retried() {
    let (host, id, channel) = private_incident("access-revoke-fails").await;
    grant(&host, &id, r#"{"username":"bob"}"#).await;
    let revoke = format!("/api/v0/incidents/{id}/access/revoke");

    // The server refuses to remove bob: the answer says so and bob stays listed as a member (he can read the channel).
    host.inject_fault("DeleteChannelMember", Fault::error(500).times(1)).unwrap();
    let (status, got) = http(&host, "alice", "POST", &revoke, r#"{"username":"bob"}"#).await;
    assert_eq!(status, 200, "{got}");
    let message = got["message"].as_str().unwrap();
    assert!(message.contains("Could not remove @bob") && message.contains("still having access"), "{message}");
    assert!(in_channel(&host, &channel, "bob"));
    assert_eq!(access_state(&host, &id, "bob").await.as_deref(), Some("member"));

    // Revoking again retries the removal; now he is out and listed as revoked.
    let (status, got) = http(&host, "alice", "POST", &revoke, r#"{"username":"bob"}"#).await;
    assert_eq!(status, 200, "{got}");
    assert!(!in_channel(&host, &channel, "bob"));
    assert_eq!(access_state(&host, &id, "bob").await.as_deref(), Some("revoked"));
    let (status, got) = http(&host, "alice", "POST", &revoke, r#"{"username":"bob"}"#).await;
    assert_eq!((status, got["detail"].as_str()), (409, Some("@bob does not have access to this incident.")));
    host.stop().await;
}
