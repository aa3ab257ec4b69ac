//! `make bench` (incidents): commands through the real plugin on the dev host (latency and PluginAPI calls per
//! invocation), and list/search with 100,000 incidents in the store (activation rebuild, p50/p99, KV reads per page).

use async_trait::async_trait;
use devhost::store::Store as HostStore;
use devhost::{DevHost, DevHostConfig, PluginState};
use incident_core::{ChannelId, IncidentId, StartIds, StartParams, TeamId, Timestamp, UserId, Visibility, start};
use incident_store::{Expect, Kv, KvError, Store};
use incident_tests::report::{ms, percentiles, write_section};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const INCIDENTS: u64 = 100_000;
const TEAMS: u64 = 10;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    assert!(std::env::var_os("INCIDENT_RELEASE_PLUGIN").is_some(), "run through `make bench`");
    let root = incident_tests::root();
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("plugin.json")).unwrap()).unwrap();
    let bundle =
        root.join("dist").join(format!("{}-{}.tar.gz", m["id"].as_str().unwrap(), m["version"].as_str().unwrap()));
    let commands = commands(&bundle).await;
    let list = list_at_scale(&bundle).await;
    write_section(
        "incidents",
        "Incident commands and lists",
        "make bench (cargo bench -p incident-tests --bench incidents)",
        &format!("{commands}\n{list}"),
    );
}

fn data_dir(name: &str) -> std::path::PathBuf {
    let dir = incident_tests::root().join("target/bench-data").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// PluginAPI calls made by the plugin across `invocations` ExecuteCommand/ServeHTTP calls of `hook`.
fn calls_of(host: &DevHost, hook: &str) -> (u64, u64) {
    let c = host.api_calls();
    c.per_hook.get(hook).map_or((0, 0), |h| (h.invocations, h.api_calls))
}

async fn timed<F: std::future::Future<Output = ()>>(f: impl Fn() -> F, n: usize) -> Vec<Duration> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let began = Instant::now();
        f().await;
        out.push(began.elapsed());
    }
    out
}

async fn command_rows(host: &DevHost) -> String {
    let mut rows = String::from(
        "| command (through the dev host) | p50 | p99 | runs | PluginAPI calls per invocation |\n|---|---|---|---|---|\n",
    );
    let mut row = |name: &str, mut samples: Vec<Duration>, calls: f64| {
        let (p50, p99, _) = percentiles(&mut samples);
        rows.push_str(&format!("| {name} | {} | {} | {} | {calls:.1} |\n", ms(p50), ms(p99), samples.len()));
    };
    let before = calls_of(host, "ExecuteCommand");
    let n = std::sync::atomic::AtomicUsize::new(0);
    let starts = timed(
        || async {
            let i = n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            host.execute_command("alice", "town-square", &format!("/incident start Bench {i}")).await.unwrap();
        },
        50,
    )
    .await;
    let after = calls_of(host, "ExecuteCommand");
    row("`/incident start <name>` (goal ≤ 15 calls)", starts, per(before, after));
    let channel = host.channel_id("bench-0").expect("the first benchmark incident's channel");
    host.execute_command("alice", &channel, "/incident checkadd 1 Bench task").await.unwrap();
    for (name, text, runs) in [
        ("`/incident info` (goal ≤ 3 calls)", "/incident info", 500),
        ("`/incident check 1 1`", "/incident check 1 1", 300),
        ("`/incident list`", "/incident list", 300),
    ] {
        eprintln!("bench: {name}");
        let before = calls_of(host, "ExecuteCommand");
        let samples = timed(
            || async {
                host.execute_command("alice", &channel, text).await.unwrap();
            },
            runs,
        )
        .await;
        row(name, samples, per(before, calls_of(host, "ExecuteCommand")));
    }
    rows
}

async fn commands(bundle: &std::path::Path) -> String {
    let host = DevHost::start(DevHostConfig::new(bundle, data_dir("commands"))).await.unwrap();
    assert_eq!(host.plugin_state().state, PluginState::Active);
    let rows = command_rows(&host).await;
    host.stop().await;
    rows
}

fn per(before: (u64, u64), after: (u64, u64)) -> f64 {
    (after.1 - before.1) as f64 / (after.0 - before.0).max(1) as f64
}

/// The store's `Kv` port straight onto the dev host's SQLite file, to seed without going through the plugin.
struct HostKv {
    store: Mutex<HostStore>,
    plugin: String,
}

#[async_trait]
impl Kv for HostKv {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        let v =
            self.store.lock().unwrap().kv_get(&self.plugin, key).map_err(|e| KvError::Unavailable(e.to_string()))?;
        Ok((!v.is_empty()).then_some(v))
    }
    async fn set(&self, key: &str, value: &[u8], expect: Expect<'_>, _ttl: Option<u64>) -> Result<bool, KvError> {
        let options = devhost::store::KvSetOptions {
            atomic: !matches!(expect, Expect::Anything),
            old_value: match expect {
                Expect::Bytes(b) => b.to_vec(),
                _ => Vec::new(),
            },
            expire_in_seconds: 0,
        };
        self.store
            .lock()
            .unwrap()
            .kv_set_with_options(&self.plugin, key, value, &options)
            .map_err(|e| KvError::Unavailable(e.to_string()))
    }
    async fn delete(&self, key: &str) -> Result<(), KvError> {
        self.store.lock().unwrap().kv_delete(&self.plugin, key).map_err(|e| KvError::Unavailable(e.to_string()))
    }
    async fn list(&self, _prefix: &str) -> Result<Vec<String>, KvError> {
        unreachable!("seeding never lists")
    }
}

fn id(prefix: char, n: u64) -> String {
    format!("{prefix}{n:025}")
}

async fn list_at_scale(bundle: &std::path::Path) -> String {
    let dir = data_dir("scale");
    let host = DevHost::start(DevHostConfig::new(bundle, &dir)).await.unwrap();
    let plugin = host.plugin_id();
    let admin = host.user_id("admin").unwrap();
    let real_team = host.store().teams_for_user(&admin).unwrap()[0].id.clone();
    let kv: Arc<dyn Kv> =
        Arc::new(HostKv { store: Mutex::new(HostStore::open(&dir.join("devhost.db")).unwrap()), plugin });
    let store = Store::new(kv);

    eprintln!("bench: seeding {INCIDENTS} incidents");
    // 100,000 incidents over 10 teams; the first team is the seeded one, so the admin can list it.
    let seeded = Instant::now();
    let reporter = UserId::try_from(admin.clone()).unwrap();
    for n in 0..INCIDENTS {
        let team = if n % TEAMS == 0 { real_team.clone() } else { id('t', n % TEAMS) };
        let team = TeamId::try_from(team).unwrap();
        let number = store.allocate_number(&team).await.unwrap();
        let ids = StartIds {
            incident: IncidentId::try_from(id('i', n)).unwrap(),
            channel: ChannelId::try_from(id('c', n)).unwrap(),
            number,
        };
        let params = StartParams {
            name: format!("Outage {n} in service {}", n % 97),
            description: "Seeded for the list benchmark.".into(),
            team: team.clone(),
            reporter: reporter.clone(),
            commander: None,
            visibility: Visibility::Public,
            playbook: None,
            checklists: Vec::new(),
            invite: Vec::new(),
            reminder_ms: None,
            announce_in: None,
            create_webhook: None,
            automation: Default::default(),
        };
        let incident = start(params, ids.clone(), Timestamp(1_700_000_000_000 + n as i64)).unwrap().incident;
        store.index_channel(&ids.channel, &ids.incident).await.unwrap();
        store.index_team(&team, number, &ids.incident).await.unwrap();
        store.create(&incident).await.unwrap();
    }
    let seed_time = seeded.elapsed();

    let began = Instant::now();
    host.restart_plugin().await.unwrap();
    let activation = began.elapsed();
    let state = host.plugin_state();
    assert_eq!(state.state, PluginState::Active, "{}", state.message);
    // Activation waits at most 10 s for the read model; the rest of the rebuild runs in the background.
    let per_team = INCIDENTS / TEAMS;
    let probe = format!("/api/v0/incidents?team_id={real_team}&per_page=1");
    loop {
        let r = host.serve_http(Some("admin"), "GET", &probe, Vec::new()).await;
        let total = serde_json::from_slice::<serde_json::Value>(&r.body).ok().and_then(|v| v["total"].as_u64());
        if total == Some(per_team) {
            break;
        }
        assert!(began.elapsed() < Duration::from_secs(600), "the read model never held all {per_team} incidents");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let rebuilt = began.elapsed();
    eprintln!(
        "bench: seeded in {:.1} s, activated in {:.1} s, rebuilt in {:.1} s",
        seed_time.as_secs_f64(),
        activation.as_secs_f64(),
        rebuilt.as_secs_f64()
    );

    let mut pages = Vec::new();
    let mut searches = Vec::new();
    let before = (calls_of(&host, "ServeHTTP"), host.api_calls().per_rpc.get("KVGet").copied().unwrap_or(0));
    for page in 0..200 {
        let path = format!("/api/v0/incidents?team_id={real_team}&page={page}&per_page=20");
        let t = Instant::now();
        let r = host.serve_http(Some("admin"), "GET", &path, Vec::new()).await;
        pages.push(t.elapsed());
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    }
    for q in 0..100 {
        let path = format!("/api/v0/incidents?team_id={real_team}&q=service%20{}&per_page=20", q % 97);
        let t = Instant::now();
        let r = host.serve_http(Some("admin"), "GET", &path, Vec::new()).await;
        searches.push(t.elapsed());
        assert_eq!(r.status, 200);
    }
    let after = (calls_of(&host, "ServeHTTP"), host.api_calls().per_rpc.get("KVGet").copied().unwrap_or(0));
    let requests = (after.0.0 - before.0.0).max(1);
    let kv_reads = (after.1 - before.1) as f64 / requests as f64;
    let calls = (after.0.1 - before.0.1) as f64 / requests as f64;
    host.stop().await;
    let (p50, p99, _) = percentiles(&mut pages);
    let (s50, s99, _) = percentiles(&mut searches);
    format!(
        "| {INCIDENTS} incidents over {TEAMS} teams | figure |\n|---|---|\n\
         | seeding through incident-store (4 KV writes each, not timed as a goal) | {:.1} s |\n\
         | activation (waits at most 10 s for the read-model rebuild) | {} |\n\
         | restart → read model holds every incident (rebuild from KV) | {} |\n\
         | list page of 20 (admin, one team of {}), p50 / p99 (goal p50 < 20 ms) | {} / {} |\n\
         | text search, 20 per page, p50 / p99 | {} / {} |\n\
         | KV reads per list or search request | {kv_reads:.1} |\n\
         | PluginAPI calls per list or search request | {calls:.1} |\n",
        seed_time.as_secs_f64(),
        ms(activation),
        ms(rebuilt),
        INCIDENTS / TEAMS,
        ms(p50),
        ms(p99),
        ms(s50),
        ms(s99),
    )
}
