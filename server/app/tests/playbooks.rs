//! Playbooks through the fakes: create/validate/list/edit/archive, start from a playbook, and status updates
//! broadcast to the playbook's channels, where a failing broadcast never fails the update.

mod support;

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use incident_app::fakes::{self, FakeServer};
use incident_app::playbooks::{ChecklistInput, PlaybookInput, TaskInput};
use incident_app::{App, AppError, ChannelInfo, Chat, ChatError, ErrorKind, NewChannel, Ports, PostInfo};
use incident_core::{ChannelId, IncidentId, PostId, TeamId, UserId, Visibility};
use incident_store::MemoryKv;
use support::World;

fn outage(broadcast: &[ChannelId]) -> PlaybookInput {
    PlaybookInput {
        title: "Outage".into(),
        description: "When a service is down.".into(),
        checklists: vec![ChecklistInput {
            title: "Triage".into(),
            items: vec![
                TaskInput { title: "Page the on-call DBA".into(), ..TaskInput::default() },
                TaskInput {
                    title: "Open a status page".into(),
                    description: "Public one".into(),
                    ..TaskInput::default()
                },
            ],
        }],
        reminder_seconds: Some(900),
        broadcast_channel_ids: broadcast.iter().map(ToString::to_string).collect(),
        ..PlaybookInput::default()
    }
}

fn err(e: AppError) -> (ErrorKind, String) {
    (e.kind(), e.to_string())
}

#[tokio::test]
async fn playbooks_are_validated_listed_edited_and_archived() {
    let w = World::seeded();
    let ctx = w.ctx("alice", "town-square");
    let team = fakes::team();
    let off_topic = w.channel("off-topic");
    let pb = w.app.create_playbook(&ctx, &team, outage(std::slice::from_ref(&off_topic))).await.unwrap();
    assert_eq!((pb.title.as_str(), pb.reminder_ms, pb.broadcast_channels.len()), ("Outage", Some(900_000), 1));

    let bad = |f: fn(&mut PlaybookInput)| {
        let mut input = outage(&[]);
        f(&mut input);
        input
    };
    let cases: Vec<(PlaybookInput, &str)> = vec![
        (bad(|i| i.title = "  ".into()), "Give the playbook a title."),
        (bad(|i| i.title = "x".repeat(65)), "A playbook title has at most 64 characters."),
        (bad(|i| i.title = "outage".into()), "This team already has a playbook named “outage”."),
        (
            bad(|i| i.reminder_seconds = Some(5)),
            "The default reminder must be between 60 seconds and 7 days (604800 seconds).",
        ),
        (bad(|i| i.checklists[0].items[1].title = String::new()), "Task 1.2 needs a title."),
        (bad(|i| i.broadcast_channel_ids = vec!["nope".into()]), "There is no channel ~nope in this team."),
    ];
    for (input, text) in cases {
        assert_eq!(
            err(w.app.create_playbook(&ctx, &team, input).await.unwrap_err()),
            (ErrorKind::Invalid, text.into())
        );
    }
    // Someone outside the team can neither create nor see.
    let dave = w.ctx("dave", "town-square");
    assert_eq!(w.app.create_playbook(&dave, &team, outage(&[])).await.unwrap_err().kind(), ErrorKind::Forbidden);
    assert_eq!(
        err(w.app.playbook(&dave, &pb.id).await.unwrap_err()),
        (ErrorKind::NotFound, "No playbook found. It may not exist, or you are not one of its members.".into())
    );

    // Playbooks are private to their members: bob, in the team but not a member, sees nothing until added.
    let bob = w.ctx("bob", "town-square");
    assert_eq!(w.app.playbook(&bob, &pb.id).await.unwrap_err().kind(), ErrorKind::NotFound);
    assert!(w.app.playbooks(&bob, &team, false).await.unwrap().is_empty());
    assert_eq!(w.app.playbooks(&w.ctx("admin", "town-square"), &team, false).await.unwrap().len(), 1, "admins see all");
    let mut shared = outage(std::slice::from_ref(&off_topic));
    shared.member_ids = vec![World::user("bob").to_string()];
    w.app.update_playbook(&ctx, &pb.id, shared).await.unwrap();
    assert_eq!(w.app.playbooks(&bob, &team, false).await.unwrap().len(), 1);
    let mut input = outage(&[]);
    input.title = "Service outage".into();
    input.member_ids = vec![World::user("bob").to_string()];
    let edited = w.app.update_playbook(&bob, &pb.id, input).await.unwrap();
    assert_eq!(edited.members, [World::user("alice"), World::user("bob")], "the creator stays a member");
    assert_eq!(
        (edited.title.as_str(), edited.broadcast_channels.len(), edited.created_at),
        ("Service outage", 0, pb.created_at)
    );
    w.app.archive_playbook(&ctx, &pb.id).await.unwrap();
    assert!(w.app.playbooks(&ctx, &team, false).await.unwrap().is_empty());
    assert_eq!(w.app.playbooks(&ctx, &team, true).await.unwrap().len(), 1, "archived, not deleted");
    assert_eq!(
        w.app.update_playbook(&ctx, &pb.id, outage(&[])).await.unwrap_err().to_string(),
        "This playbook is archived; archived playbooks cannot be changed."
    );
    // The title is free again once archived.
    w.app.create_playbook(&ctx, &team, outage(&[])).await.unwrap();
}

#[tokio::test]
async fn an_incident_from_a_playbook_gets_its_checklists_reminder_and_broadcasts() {
    let w = World::seeded();
    let ctx = w.ctx("alice", "town-square");
    let off_topic = w.channel("off-topic");
    w.app.create_playbook(&ctx, &fakes::team(), outage(std::slice::from_ref(&off_topic))).await.unwrap();

    let reply = w.run("alice", "town-square", "/incident start Database down --playbook outage").await;
    assert_eq!(reply, "Started **Database down** (INC-00001) in ~database-down.");
    let id = w.app.catalog().in_channel(&w.channel("database-down"))[0].clone();
    let incident = w.app.get(&World::user("alice"), &id).await.unwrap();
    assert_eq!(incident.checklists[0].title, "Triage");
    assert_eq!(incident.checklists[0].items[1].description, "Public one");
    assert_eq!(incident.reminder.next_due.map(|t| t.millis()), Some(w.now + 900_000));
    assert!(incident.playbook.is_some());

    assert_eq!(
        w.run("alice", "town-square", "/incident start Other --playbook Nope").await,
        "ERROR: There is no playbook “Nope” in this team. Its playbooks: Outage."
    );

    let text = w.app.post_update(&w.ctx("alice", "database-down"), &id, "Failing over.".into(), None).await.unwrap();
    assert_eq!(text, "");
    let broadcast = w.server.posts_in(&off_topic);
    assert_eq!(broadcast, ["**Status update** for **Database down** (INC-00001) by @alice:\n\nFailing over."]);
    assert!(w.server.posts_in(&w.channel("database-down")).iter().any(|p| p.contains("Failing over.")));
}

#[tokio::test]
async fn always_private_playbooks_start_private_incidents_that_never_broadcast() {
    let w = World::seeded();
    let ctx = w.ctx("alice", "town-square");
    let mut input = outage(&[w.channel("off-topic")]);
    input.always_private = true;
    w.app.create_playbook(&ctx, &fakes::team(), input).await.unwrap();
    w.app.set_private_incidents(false);
    assert_eq!(
        w.run("alice", "town-square", "/incident start Breach --playbook Outage").await,
        "ERROR: The playbook “Outage” starts private incidents, and private incidents are turned off. A system \
         admin can enable them in the System Console."
    );
    w.app.set_private_incidents(true);
    w.run("alice", "town-square", "/incident start Breach --playbook Outage").await;
    let id = w.app.catalog().in_channel(&w.channel("breach"))[0].clone();
    let incident = w.app.get(&World::user("alice"), &id).await.unwrap();
    assert_eq!(incident.visibility, Visibility::Private);
    let text = w.app.post_update(&w.ctx("alice", "breach"), &id, "Contained.".into(), None).await.unwrap();
    assert_eq!(text, "This incident is private, so the update was not broadcast outside its channel.");
    assert!(w.server.posts_in(&w.channel("off-topic")).is_empty());
}

/// The fake chat server, except that posting in `broken` fails.
struct BrokenChannel {
    inner: Arc<FakeServer>,
    broken: Mutex<Option<ChannelId>>,
}

#[async_trait]
impl Chat for BrokenChannel {
    async fn create_channel(&self, c: &NewChannel) -> Result<ChannelId, ChatError> {
        self.inner.create_channel(c).await
    }
    async fn retire_channel(&self, c: &ChannelId, name: &str, display: &str) -> Result<(), ChatError> {
        self.inner.retire_channel(c, name, display).await
    }
    async fn set_channel_privacy(&self, c: &ChannelId, private: bool) -> Result<(), ChatError> {
        self.inner.set_channel_privacy(c, private).await
    }
    async fn add_member(&self, c: &ChannelId, u: &UserId) -> Result<(), ChatError> {
        self.inner.add_member(c, u).await
    }
    async fn remove_member(&self, c: &ChannelId, u: &UserId) -> Result<(), ChatError> {
        self.inner.remove_member(c, u).await
    }
    async fn post(&self, c: &ChannelId, author: Option<&UserId>, text: &str) -> Result<(), ChatError> {
        if self.broken.lock().unwrap().as_ref() == Some(c) {
            return Err(ChatError::Refused("the channel is archived".into()));
        }
        self.inner.post(c, author, text).await
    }
    async fn ephemeral(&self, u: &UserId, c: &ChannelId, text: &str) -> Result<(), ChatError> {
        self.inner.ephemeral(u, c, text).await
    }
    async fn channel_by_name(&self, team: &TeamId, name: &str) -> Result<Option<ChannelInfo>, ChatError> {
        self.inner.channel_by_name(team, name).await
    }
    async fn channel(&self, id: &ChannelId) -> Result<Option<ChannelInfo>, ChatError> {
        self.inner.channel(id).await
    }
    async fn post_info(&self, id: &PostId) -> Result<Option<PostInfo>, ChatError> {
        self.inner.post_info(id).await
    }
    async fn transcript(
        &self,
        channel: &ChannelId,
        limit: usize,
    ) -> Result<(Vec<incident_core::review::TranscriptLine>, bool), ChatError> {
        self.inner.transcript(channel, limit).await
    }
}

#[tokio::test]
async fn a_failing_broadcast_never_fails_the_update() {
    let server = FakeServer::seeded();
    let chat = Arc::new(BrokenChannel { inner: server.clone(), broken: Mutex::new(None) });
    let ports = Ports { chat: chat.clone(), people: server.clone(), events: server.clone(), ids: server.clone() };
    let app = App::new(incident_store::Store::new(Arc::new(MemoryKv::new())), ports);
    let town = server.channel_id("town-square").unwrap();
    let off = server.channel_id("off-topic").unwrap();
    let ctx = incident_app::Ctx {
        user: fakes::id("alice"),
        team: Some(fakes::team()),
        channel: Some(town.clone()),
        now: incident_core::Timestamp(1_000_000),
    };
    app.create_playbook(&ctx, &fakes::team(), outage(&[off.clone(), town.clone()])).await.unwrap();
    app.command(&ctx, "/incident start Database down --playbook Outage").await.unwrap();
    let channel = server.channel_id("database-down").unwrap();
    let id: IncidentId = app.catalog().in_channel(&channel)[0].clone();
    *chat.broken.lock().unwrap() = Some(off.clone());
    let text = app.post_update(&ctx, &id, "Failing over.".into(), Some(900_000)).await.unwrap();
    assert!(text.ends_with("Broadcasting the update to ~off-topic failed: the channel is archived."), "{text}");
    let incident = app.get(&fakes::id("alice"), &id).await.unwrap();
    assert_eq!(incident.status_updates.len(), 1, "the update is saved");
    assert!(server.posts_in(&channel).iter().any(|p| p.contains("Failing over.")), "and posted in the channel");
    assert!(server.posts_in(&town).iter().any(|p| p.starts_with("**Status update**")), "other broadcasts went out");
}
