//! Playbook automation through the fakes: default commander, invitees, task owners and due times, overview and
//! update templates, the announcement, webhooks queued (never sent on the request path) with their outcome on the
//! timeline, the welcome message on join — and none of the outward-facing parts for private incidents.

mod support;

use std::sync::{Arc, Mutex};

use incident_app::playbooks::{ChecklistInput, PlaybookInput, TaskInput};
use incident_app::{Outbox, Outcome, WebhookJob};
use incident_core::incident::EventKind;
use incident_core::{Timestamp, WebhookEvent};
use support::World;

#[derive(Default)]
struct Recorded(Mutex<Vec<WebhookJob>>);

impl Outbox for Recorded {
    fn send(&self, job: WebhookJob) {
        self.0.lock().unwrap().push(job);
    }
}

fn automated(w: &World) -> PlaybookInput {
    let id = |n: &str| World::user(n).to_string();
    let mut input = PlaybookInput {
        title: "Outage".into(),
        checklists: vec![ChecklistInput {
            title: "Triage".into(),
            items: vec![TaskInput {
                title: "Page the DBA".into(),
                assignee_ids: vec![id("carol"), id("bob")],
                command: Some("/page dba".into()),
                due_after_seconds: Some(600),
                ..TaskInput::default()
            }],
        }],
        ..PlaybookInput::default()
    };
    input.automation.invite_user_ids = vec![id("admin")];
    input.automation.default_commander_id = Some(id("bob"));
    input.automation.announce_channel_id = Some(w.channel("off-topic").to_string());
    input.automation.create_webhook_url = Some("http://hooks.internal/new".into());
    input.automation.update_webhook_url = Some("http://hooks.internal/update".into());
    input.automation.welcome_message = "Read the runbook first.".into();
    input.templates.overview = "Impact: …".into();
    input.templates.status_update = "Now: …\nNext: …".into();
    input
}

fn setup() -> (World, Arc<Recorded>) {
    let w = World::seeded();
    let outbox = Arc::new(Recorded::default());
    w.app.set_outbox(outbox.clone());
    (w, outbox)
}

#[tokio::test]
async fn a_playbook_start_runs_every_automation_step() {
    let (w, outbox) = setup();
    let ctx = w.ctx("alice", "town-square");
    w.app.create_playbook(&ctx, &incident_app::fakes::team(), automated(&w)).await.unwrap();
    let reply = w.run("alice", "town-square", "/incident start Database down --playbook Outage").await;
    assert_eq!(reply, "Started **Database down** (INC-00001) in ~database-down.");
    let channel = w.channel("database-down");
    let id = w.app.catalog().in_channel(&channel)[0].clone();
    let incident = w.app.get(&World::user("alice"), &id).await.unwrap();

    assert_eq!(incident.commander, World::user("bob"), "default commander");
    assert_eq!(incident.description, "Impact: …", "overview template");
    let task = &incident.checklists[0].items[0];
    assert_eq!(task.assignee, Some(World::user("carol")), "the first default assignee owns the task");
    assert_eq!(task.command.as_deref(), Some("/page dba"));
    assert_eq!(task.due_at, Some(Timestamp(w.now + 600_000)));
    let members = w.server.world().channels[&channel].members.clone();
    for who in ["alice", "bob", "carol", "admin"] {
        assert!(members.contains(&World::user(who)), "{who} was brought into the channel");
    }
    let announced = w.server.posts_in(&w.channel("off-topic"));
    assert_eq!(announced.len(), 1, "{announced:?}");
    assert!(announced[0].contains("Database down"), "{}", announced[0]);

    let jobs = outbox.0.lock().unwrap().clone();
    assert_eq!(jobs.len(), 1);
    assert_eq!((jobs[0].event, jobs[0].url.as_str()), (WebhookEvent::IncidentCreated, "http://hooks.internal/new"));
    assert_eq!(jobs[0].payload["incident"]["reference"], "INC-00001");
    assert_eq!(jobs[0].payload["incident"]["commander"]["username"], "bob");

    // The update dialog starts from the template; the update fires the second webhook.
    let in_channel = w.ctx("alice", "database-down");
    let Outcome::UpdateDialog(prefill) = w.app.command(&in_channel, "/incident update").await.unwrap() else {
        panic!("expected the update dialog")
    };
    assert_eq!(prefill.message, "Now: …\nNext: …");
    w.app.post_update(&in_channel, &id, "Failing over.".into(), None).await.unwrap();
    let jobs = outbox.0.lock().unwrap().clone();
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[1].event, WebhookEvent::StatusUpdated);
    assert_eq!(jobs[1].payload["status_update"]["message"], "Failing over.");

    // The sender reports back; the outcome lands on the timeline.
    let bot = w.ctx("admin", "database-down");
    w.app
        .record_webhook(&bot, &id, WebhookEvent::IncidentCreated, true, "hooks.internal HTTP 200".into())
        .await
        .unwrap();
    w.app.record_webhook(&bot, &id, WebhookEvent::StatusUpdated, false, "gave up".into()).await.unwrap();
    let incident = w.app.get(&World::user("alice"), &id).await.unwrap();
    let kinds: Vec<_> =
        incident.timeline.iter().rev().take(2).map(|e| (e.kind, e.summary.clone(), e.actor.clone())).collect();
    assert_eq!(
        kinds,
        [
            (EventKind::WebhookFailed, "status_updated: gave up".to_owned(), None),
            (EventKind::WebhookDelivered, "incident_created: hooks.internal HTTP 200".to_owned(), None),
        ]
    );
}

#[tokio::test]
async fn joiners_get_the_welcome_message() {
    let (w, _) = setup();
    let ctx = w.ctx("alice", "town-square");
    w.app.create_playbook(&ctx, &incident_app::fakes::team(), automated(&w)).await.unwrap();
    w.run("alice", "town-square", "/incident start Database down --playbook Outage").await;
    let channel = w.channel("database-down");
    let joiner = incident_app::Ctx { channel: Some(channel.clone()), ..w.ctx("carol", "town-square") };
    w.server.world().ephemerals.clear();
    w.app.membership_changed(&joiner, &channel, true).await.unwrap();
    let sent = w.server.world().ephemerals.clone();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].0, World::user("carol"));
    assert!(sent[0].2.contains("Read the runbook first."), "{}", sent[0].2);
}

#[tokio::test]
async fn private_incidents_announce_nothing_and_send_no_webhooks() {
    let (w, outbox) = setup();
    let ctx = w.ctx("alice", "town-square");
    let mut input = automated(&w);
    input.always_private = true;
    w.app.create_playbook(&ctx, &incident_app::fakes::team(), input).await.unwrap();
    w.run("alice", "town-square", "/incident start Breach --playbook Outage").await;
    let id = w.app.catalog().in_channel(&w.channel("breach"))[0].clone();
    w.app.post_update(&w.ctx("alice", "breach"), &id, "Contained.".into(), None).await.unwrap();
    assert!(outbox.0.lock().unwrap().is_empty(), "no webhook for a private incident");
    assert!(w.server.posts_in(&w.channel("off-topic")).is_empty(), "no announcement");
}

#[tokio::test]
async fn a_stale_playbook_never_blocks_a_start() {
    let (w, _) = setup();
    let ctx = w.ctx("alice", "town-square");
    w.app.create_playbook(&ctx, &incident_app::fakes::team(), automated(&w)).await.unwrap();
    // bob leaves the team after the playbook named him commander.
    w.server.world().teams.get_mut(&incident_app::fakes::team()).unwrap().remove(&World::user("bob"));
    let reply = w.run("alice", "town-square", "/incident start Database down --playbook Outage").await;
    assert!(reply.starts_with("Started **Database down**"), "{reply}");
    assert!(reply.contains("The playbook's default commander @bob is not in this team"), "{reply}");
    let id = w.app.catalog().in_channel(&w.channel("database-down"))[0].clone();
    assert_eq!(w.app.get(&World::user("alice"), &id).await.unwrap().commander, World::user("alice"));
}

#[tokio::test]
async fn playbooks_duplicate_and_round_trip_through_export() {
    let (w, _) = setup();
    let ctx = w.ctx("alice", "town-square");
    let team = incident_app::fakes::team();
    let original = w.app.create_playbook(&ctx, &team, automated(&w)).await.unwrap();
    let copy = w.app.duplicate_playbook(&w.ctx("admin", "town-square"), &original.id).await.unwrap();
    assert_eq!(copy.title, "Copy of Outage");
    assert_eq!((copy.created_by.clone(), copy.checklists.clone()), (World::user("admin"), original.checklists.clone()));
    assert!(copy.members.contains(&World::user("alice")), "the original's creator stays a member");
    let again = w.app.duplicate_playbook(&ctx, &original.id).await.unwrap();
    assert_eq!(again.title, "Copy of Outage (2)");

    let file = w.app.export_playbook(&ctx, &original.id).await.unwrap();
    let json = serde_json::to_string(&file).unwrap();
    let mut file: incident_app::playbooks::PlaybookFile = serde_json::from_str(&json).unwrap();
    // From another server: one invitee does not exist here.
    file.playbook.automation.invite_user_ids.push("zzzzzzzzzzzzzzzzzzzzzzzzzz".into());
    let imported = w.app.import_playbook(&ctx, &team, file.clone()).await.unwrap();
    assert_eq!(imported.playbook.title, "Outage (2)");
    assert_eq!(imported.playbook.automation, original.automation, "the unknown invitee is left out");
    assert_eq!(imported.playbook.checklists, original.checklists);
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    file.format = "something-else".into();
    assert!(w.app.import_playbook(&ctx, &team, file).await.unwrap_err().to_string().contains("not a playbook file"));
}
