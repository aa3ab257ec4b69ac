//! Two nodes on one KV store change the same incident at the same time: both changes land, none is lost.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use incident_app::fakes::{self, FakeServer};
use incident_app::{App, Ctx, Outcome};
use incident_core::incident::TaskState;
use incident_core::{Timestamp, UserId};
use incident_store::{Expect, Kv, KvError, MemoryKv};

type Hook = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A KV that, on the first write of an incident record, first lets another node finish a whole command.
struct Interleave {
    inner: Arc<MemoryKv>,
    before_first_record_write: Mutex<Option<Hook>>,
}

#[async_trait]
impl Kv for Interleave {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        self.inner.get(key).await
    }
    async fn set(&self, key: &str, value: &[u8], expect: Expect<'_>, ttl: Option<u64>) -> Result<bool, KvError> {
        let hook = if key.starts_with("inc_") { self.before_first_record_write.lock().unwrap().take() } else { None };
        if let Some(hook) = hook {
            hook.await;
        }
        self.inner.set(key, value, expect, ttl).await
    }
    async fn delete(&self, key: &str) -> Result<(), KvError> {
        self.inner.delete(key).await
    }
    async fn list(&self, prefix: &str) -> Result<Vec<String>, KvError> {
        self.inner.list(prefix).await
    }
}

fn ctx(server: &FakeServer, user: &str) -> Ctx {
    Ctx {
        user: fakes::id::<UserId>(user),
        team: Some(fakes::team()),
        channel: server.channel_id("db"),
        now: Timestamp(5_000),
    }
}

async fn setup(kv: Arc<dyn Kv>, server: Arc<FakeServer>) -> App {
    let app = fakes::app(kv, server.clone());
    let start = Ctx { channel: server.channel_id("town-square"), ..ctx(&server, "alice") };
    app.command(&start, "/incident start DB").await.unwrap();
    server.set_member(&server.channel_id("db").unwrap(), &fakes::id("bob"), true);
    for task in ["One", "Two"] {
        app.command(&ctx(&server, "alice"), &format!("/incident checkadd 1 {task}")).await.unwrap();
    }
    app
}

fn task_states(server: &FakeServer, app: &App, memory: &MemoryKv) -> Vec<TaskState> {
    let id = app.catalog().in_channel(&server.channel_id("db").unwrap())[0].clone();
    let raw = memory.peek(&incident_store::keys::incident(&id)).unwrap();
    let incident: incident_core::Incident = incident_store::record::decode("inc", &raw).unwrap();
    incident.checklists[0].items.iter().map(|t| t.state).collect()
}

#[tokio::test]
async fn a_lost_compare_and_set_is_redecided_on_fresh_state() {
    let memory = Arc::new(MemoryKv::new());
    let server = FakeServer::seeded();
    let slow = Arc::new(Interleave { inner: memory.clone(), before_first_record_write: Mutex::new(None) });
    let node_a = setup(slow.clone(), server.clone()).await;
    let node_b = Arc::new(fakes::app(memory.clone(), server.clone()));
    let (b, s) = (node_b.clone(), server.clone());
    *slow.before_first_record_write.lock().unwrap() = Some(Box::pin(async move {
        let reply = b.command(&ctx(&s, "bob"), "/incident check 1 2").await.unwrap();
        assert_eq!(reply, Outcome::Reply(String::new()));
    }));
    let conflicts_before = memory.calls().conflicts;

    node_a.command(&ctx(&server, "alice"), "/incident check 1 1").await.unwrap();

    assert_eq!(memory.calls().conflicts - conflicts_before, 1, "node A lost one compare-and-set");
    assert_eq!(task_states(&server, &node_a, &memory), [TaskState::Done, TaskState::Done], "both toggles landed");
    let checked: Vec<String> =
        server.posts_in(&server.channel_id("db").unwrap()).into_iter().filter(|p| p.contains("checked")).collect();
    assert_eq!(checked.len(), 2, "each node posted its own change once: {checked:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_toggling_different_tasks_concurrently_both_land() {
    for round in 0..20 {
        let memory = Arc::new(MemoryKv::new());
        let server = FakeServer::seeded();
        let node_a = Arc::new(setup(memory.clone(), server.clone()).await);
        let node_b = Arc::new(fakes::app(memory.clone(), server.clone()));
        let (a, sa) = (node_a.clone(), server.clone());
        let (b, sb) = (node_b.clone(), server.clone());
        let ta = tokio::spawn(async move { a.command(&ctx(&sa, "alice"), "/incident check 1 1").await });
        let tb = tokio::spawn(async move { b.command(&ctx(&sb, "bob"), "/incident check 1 2").await });
        ta.await.unwrap().unwrap();
        tb.await.unwrap().unwrap();
        assert_eq!(task_states(&server, &node_a, &memory), [TaskState::Done, TaskState::Done], "round {round}");
    }
}
