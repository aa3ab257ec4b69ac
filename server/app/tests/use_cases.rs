//! The use cases through the fakes: start, the write path with its effects, reads, privacy and failures.

mod support;

use incident_app::{AppError, Outcome, Query};
use incident_core::{Status, Visibility};
use incident_store::keys;
use support::World;

#[tokio::test]
async fn start_creates_channel_then_record_then_replies() {
    let w = World::seeded();
    let reply = w.run("alice", "town-square", "/incident start Database down").await;
    assert_eq!(reply, "Started **Database down** (INC-00001) in ~database-down.");
    let channel = w.channel("database-down");
    {
        let world = w.server.world();
        let c = &world.channels[&channel];
        assert!(c.members.contains(&World::user("alice")));
        assert!(!c.private);
        let calls = &world.calls;
        let created = calls.iter().position(|c| *c == "create_channel").unwrap();
        let added = calls.iter().position(|c| *c == "add_member").unwrap();
        assert!(created < added, "members are added after the record is saved: {calls:?}");
    }
    let posts = w.server.posts_in(&channel);
    assert!(posts[0].starts_with("#### Incident started: **Database down** · INC-00001"), "{posts:?}");
    let ids = w.app.catalog().in_channel(&channel);
    assert_eq!(ids.len(), 1);
    let raw = w.kv.peek(&keys::incident(&ids[0])).expect("record saved");
    let json: serde_json::Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(json["v"], 1);
    assert_eq!(json["data"]["number"], 1);
    assert!(w.server.world().cluster.iter().any(|(i, v)| *i == ids[0] && *v == 1), "other nodes are told");

    // A second incident with the same name gets the next number and a unique channel name.
    let reply = w.run("bob", "town-square", "/incident start Database down").await;
    assert_eq!(reply, "Started **Database down** (INC-00002) in ~database-down-2.");
}

#[tokio::test]
async fn the_command_set_end_to_end_on_fakes() {
    let w = World::seeded();
    w.run("alice", "town-square", "/incident start DB").await;
    let db = "db";
    assert_eq!(w.run("alice", db, "/incident checkadd 1 Page the DBA").await, "Added “Page the DBA” to Tasks.");
    w.run("alice", db, "/incident checkadd 1 Fail over").await;
    assert_eq!(w.run("alice", db, "/incident check 1 1").await, "");
    assert!(w.server.posts_in(&w.channel(db)).last().unwrap().ends_with("checked “Page the DBA”."));
    assert_eq!(
        w.run("alice", db, "/incident check 1 5").await,
        "ERROR: There is no task 1.5; checklist 1 has 2 tasks."
    );
    assert_eq!(w.run("alice", db, "/incident commander").await, "The commander of **DB** (INC-00001) is @alice.");
    assert_eq!(
        w.run("alice", db, "/incident commander @bob").await,
        "ERROR: @bob is not a member of the incident channel. Add them to the channel first."
    );
    w.server.set_member(&w.channel(db), &World::user("bob"), true);
    assert_eq!(w.run("alice", db, "/incident commander @bob").await, "");
    assert_eq!(
        w.run("alice", db, "/incident commander @nobody").await,
        "ERROR: There is no user @nobody. Check the spelling, like `/incident commander @alice`."
    );
    let info = w.run("alice", db, "/incident info").await;
    assert!(info.contains("**Commander:** @bob") && info.contains("**Tasks:** 1/2 done"), "{info}");

    let confirm = w.app.command(&w.ctx("alice", db), "/incident end").await.unwrap();
    let Outcome::ConfirmEnd { text, incident } = confirm else { panic!("{confirm:?}") };
    assert_eq!(text, "1 task is still open. End the incident anyway?");
    w.app.end_confirmed(&w.ctx("alice", db), &incident).await.unwrap();
    assert_eq!(w.app.get(&World::user("alice"), &incident).await.unwrap().status, Status::Ended);
    assert_eq!(w.run("alice", db, "/incident restart").await, "");
    let timeline = w.run("alice", db, "/incident timeline").await;
    for line in [
        "started the incident",
        "added the task “Page the DBA”",
        "checked “Page the DBA”",
        "made @bob the commander",
        "ended the incident",
        "restarted the incident",
    ] {
        assert!(timeline.contains(line), "{line} in {timeline}");
    }
    let list = w.run("alice", "town-square", "/incident list").await;
    assert!(list.contains("**DB** · INC-00001"), "{list}");
}

#[tokio::test]
async fn update_opens_a_dialog_and_the_submission_posts_as_the_author() {
    let w = World::seeded();
    w.run("alice", "town-square", "/incident start DB").await;
    let out = w.app.command(&w.ctx("alice", "db"), "/incident update").await.unwrap();
    let Outcome::UpdateDialog(prefill) = out else { panic!("{out:?}") };
    assert_eq!(prefill.title, "INC-00001 DB");
    w.app
        .post_update(&w.ctx("alice", "db"), &prefill.incident, "Failover started".into(), Some(30 * 60_000))
        .await
        .unwrap();
    let world = w.server.world();
    let last = world.posts.last().unwrap();
    assert_eq!(last.author, Some(World::user("alice")));
    assert!(last.text.contains("Failover started") && last.text.contains("next update in 30m"), "{}", last.text);
}

#[tokio::test]
async fn bad_input_reads_well() {
    let w = World::seeded();
    let unknown = w.run("alice", "town-square", "/incident frobnicate").await;
    assert!(unknown.starts_with("ERROR: `/incident frobnicate` is not a command. Here is what `/incident` can do:"));
    assert!(unknown.contains("/incident timeline"));
    assert_eq!(
        w.run("alice", "town-square", "/incident check 1").await,
        "ERROR: `/incident check` needs a checklist number and an item number, like `/incident check 1 2`."
    );
    assert!(
        w.run("alice", "town-square", "/incident info")
            .await
            .starts_with("ERROR: This channel is not an incident channel.")
    );
    let start = w.app.command(&w.ctx("alice", "town-square"), "/incident start").await.unwrap();
    assert_eq!(start, Outcome::StartDialog { description: String::new() });
    w.run("alice", "town-square", "/incident start DB").await;
    assert_eq!(
        w.run("alice", "db", "/incident announce ~nowhere").await,
        "ERROR: There is no channel ~nowhere in this team."
    );
    assert_eq!(w.run("alice", "db", "/incident announce ~off-topic").await, "Announced in ~off-topic.");
    assert!(w.server.posts_in(&w.channel("off-topic"))[0].contains("announced an incident: **DB**"));
    let town = w.channel("town-square");
    w.server.world().read_only.insert(town);
    assert!(
        w.run("alice", "db", "/incident announce ~town-square")
            .await
            .starts_with("ERROR: You can't post in ~town-square")
    );
}

#[tokio::test]
async fn private_incidents_read_as_not_found_to_outsiders() {
    let w = World::seeded();
    let ctx = w.ctx("alice", "town-square");
    let started = w
        .app
        .start(
            &ctx,
            incident_app::StartRequest {
                visibility: Visibility::Private,
                ..incident_app::StartRequest::named(incident_app::fakes::team(), "Secret")
            },
        )
        .await
        .unwrap();
    let id = started.incident.id.clone();
    assert!(w.server.world().channels[&started.incident.channel].private);
    let bob = World::user("bob");
    let missing = incident_app::fakes::id("nothere");
    let hidden = w.app.get(&bob, &id).await.unwrap_err();
    let absent = w.app.get(&bob, &missing).await.unwrap_err();
    assert_eq!(hidden, absent);
    assert_eq!(hidden.to_string(), "No incident found. It may not exist, or you may not have access to it.");
    assert!(w.app.get(&World::user("admin"), &id).await.is_ok(), "system admins see everything");
    let q = Query { team: Some(incident_app::fakes::team()), per_page: 10, include_private: true, ..Query::default() };
    assert_eq!(w.app.list(&bob, q.clone()).await.unwrap().total, 0);
    assert_eq!(w.app.list(&World::user("alice"), q.clone()).await.unwrap().total, 1);
    let filter_off = Query { include_private: false, ..q };
    assert_eq!(w.app.list(&World::user("alice"), filter_off).await.unwrap().total, 0, "only with the filter on");
    assert!(
        w.run("bob", "town-square", "/incident info --incident INC-00001")
            .await
            .starts_with("ERROR: No incident matches `INC-00001`")
    );
    let dave_list = w
        .app
        .list(
            &World::user("dave"),
            Query { team: Some(incident_app::fakes::team()), per_page: 10, include_private: true, ..Query::default() },
        )
        .await
        .unwrap();
    assert_eq!(dave_list.total, 0, "users outside the team see nothing");
}

#[tokio::test]
async fn a_failed_record_write_retires_the_channel() {
    let w = World::seeded();
    w.kv.fail_writes("inc_", 1);
    let reply = w.run("alice", "town-square", "/incident start DB").await;
    assert!(reply.starts_with("ERROR: The incident could not be saved"), "{reply}");
    assert!(reply.contains("renamed to ~failed-db"), "{reply}");
    assert!(w.server.channel_id("db").is_none(), "no channel is left looking like an incident");
    assert!(w.app.catalog().is_empty());
    for key in w.kv.keys() {
        let raw = String::from_utf8(w.kv.peek(&key).unwrap()).unwrap();
        assert!(!key.starts_with("inc_"), "no record: {key}");
        if key.starts_with("chx_") || key.starts_with("tix_") {
            assert!(raw.contains(r#""ids":[]"#), "index entries removed: {key} = {raw}");
        }
    }
    // The next start works and skips the burnt number.
    assert_eq!(w.run("alice", "town-square", "/incident start DB").await, "Started **DB** (INC-00002) in ~db.");
}

/// The starts noted in the journal of the seeded team's counter.
fn journal(w: &World) -> Vec<serde_json::Value> {
    let key = w.kv.keys().into_iter().find(|k| k.starts_with("tno_")).expect("the team counter");
    let counter: serde_json::Value = serde_json::from_slice(&w.kv.peek(&key).unwrap()).unwrap();
    counter["data"]["starts"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_start_left_half_done_is_undone_by_the_activation_sweep() {
    let w = World::seeded();
    // The record write fails and so does the compensation: as if the node had died after creating the channel.
    w.kv.fail_writes("inc_", 1);
    w.server.fail("retire_channel", true);
    let reply = w.run("alice", "town-square", "/incident start DB").await;
    assert!(reply.starts_with("ERROR: The incident could not be saved"), "{reply}");
    w.server.fail("retire_channel", false);
    let channel = w.channel("db");
    assert_eq!(journal(&w).len(), 1, "the journal remembers the start");
    let due = incident_core::Timestamp(w.now + incident_app::START_TIMEOUT_MS as i64);
    assert_eq!(w.app.next_deadline(), Some(due), "this node sweeps by itself once the start has timed out");

    // A sweep right away leaves it alone (the start might still be running on another node)…
    let now = incident_core::Timestamp(w.now);
    assert_eq!(w.app.recover_abandoned_starts(now).await.unwrap(), incident_app::Recovered::default());
    assert!(w.server.channel_id("db").is_some());
    // …five minutes later the channel is retired and the entry gone; a second sweep finds nothing.
    let later = incident_core::Timestamp(w.now + incident_app::START_TIMEOUT_MS as i64);
    let r = w.app.recover_abandoned_starts(later).await.unwrap();
    assert_eq!((r.retired, r.cleared), (1, 0));
    assert_eq!(w.server.world().channels[&channel].name, "failed-db");
    assert!(journal(&w).is_empty());
    assert_eq!(w.app.recover_abandoned_starts(later).await.unwrap(), incident_app::Recovered::default());

    // A committed start leaves no entry; a leftover entry of a committed one is only cleared.
    assert_eq!(w.run("alice", "town-square", "/incident start DB").await, "Started **DB** (INC-00002) in ~db.");
    assert!(journal(&w).is_empty(), "cleared at the commit");
}

#[tokio::test]
async fn a_lost_create_channel_answer_leaves_the_start_to_the_sweep() {
    let w = World::seeded();
    // The server did not answer: it may or may not have made the channel, so the note stays for the sweep.
    w.server.fail("create_channel", true);
    let reply = w.run("alice", "town-square", "/incident start DB").await;
    assert!(reply.starts_with("ERROR:"), "{reply}");
    w.server.fail("create_channel", false);
    assert_eq!(journal(&w).len(), 1, "the start is still noted");
    // The node does not wait for the next activation: the sweep is a deadline of its scheduler, once the note has
    // timed out. Before that a tick leaves the note alone.
    let later = incident_core::Timestamp(w.now + incident_app::START_TIMEOUT_MS as i64);
    assert_eq!(w.app.next_deadline(), Some(later));
    w.app.tick(incident_core::Timestamp(w.now + 1000)).await;
    assert_eq!(journal(&w).len(), 1, "too early to sweep");
    w.app.tick(later).await;
    assert!(journal(&w).is_empty(), "no channel was made: only the note goes");
    assert_eq!(w.app.next_deadline(), None, "swept once");
    assert_eq!(w.run("alice", "town-square", "/incident start DB").await, "Started **DB** (INC-00002) in ~db.");
    assert!(journal(&w).is_empty());
}

#[tokio::test]
async fn another_node_sees_changes_after_the_cluster_event_and_rebuilds_from_kv() {
    let w = World::seeded();
    w.run("alice", "town-square", "/incident start DB").await;
    let other = w.node();
    assert_eq!(other.rebuild().await.unwrap(), 1);
    w.run("alice", "db", "/incident checkadd 1 Task").await;
    let (id, version) = w.server.world().cluster.last().cloned().unwrap();
    assert_eq!(other.catalog().get(&id).unwrap().tasks_total, 0, "stale until the event arrives");
    other.incident_changed_elsewhere(&id, version).await.unwrap();
    assert_eq!(other.catalog().get(&id).unwrap().tasks_total, 1);
    // A node that never heard of the incident still finds it through the channel index.
    let fresh = w.node();
    let ctx = w.ctx("alice", "db");
    assert!(matches!(fresh.command(&ctx, "/incident info").await, Ok(Outcome::Reply(t)) if t.contains("**DB**")));
}

#[tokio::test]
async fn hooks_record_membership_and_count_messages() {
    let w = World::seeded();
    w.run("alice", "town-square", "/incident start DB").await;
    let channel = w.channel("db");
    w.app.membership_changed(&w.ctx("bob", "db"), &channel, true).await.unwrap();
    w.app.membership_changed(&w.ctx("bob", "db"), &channel, false).await.unwrap();
    w.app.message_posted(&channel).await.unwrap();
    w.app.message_posted(&channel).await.unwrap();
    w.app.message_posted(&w.channel("town-square")).await.unwrap();
    let id = w.app.catalog().in_channel(&channel)[0].clone();
    assert_eq!(w.app.message_count(&id).await.unwrap(), 2);
    let timeline = w.run("alice", "db", "/incident timeline").await;
    assert!(timeline.contains("@bob joined the channel") && timeline.contains("@bob left the channel"), "{timeline}");
    let before = w.kv.calls();
    w.app.membership_changed(&w.ctx("bob", "town-square"), &w.channel("town-square"), true).await.unwrap();
    assert_eq!(w.kv.calls(), before, "ordinary channels cost no KV call");
    assert!(matches!(AppError::Busy.kind(), incident_app::ErrorKind::Unavailable));
}
