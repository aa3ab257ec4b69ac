//! `make bench` (concurrency): 50 simulated users toggle tasks on ONE incident through 3 plugin processes (a dev
//! host with 3 nodes; `DevHost::serve_http` hands each request to the next active node, round-robin) for 30 s
//! (`INCIDENT_BENCH_CONCURRENCY_SECS`). Each user toggles its own task over and over via
//! `POST /api/v0/incidents/{id}/tasks/toggle`, with no pause between requests. Reported: saved toggles per second,
//! p50/p99 latency, the compare-and-set conflicts the plugin retried, and lost updates, which must be zero: at the
//! end each task's stored state must equal the parity of its saved toggles (the bench panics otherwise).

use std::sync::Arc;
use std::time::{Duration, Instant};

use devhost::{DevHost, DevHostConfig, PluginState};
use incident_core::Incident;
use incident_core::incident::EventKind;
use incident_tests::report::{ms, percentiles, write_section};
use serde_json::{Value, json};

const USERS: usize = 50;
const NODES: usize = 3;
/// Sequential toggles that measure the KV writes one uncontended toggle makes.
const CALIBRATION: usize = 20;

fn seconds() -> u64 {
    std::env::var("INCIDENT_BENCH_CONCURRENCY_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(30)
}

fn bundle() -> std::path::PathBuf {
    let root = incident_tests::root();
    let m: Value = serde_json::from_str(&std::fs::read_to_string(root.join("plugin.json")).unwrap()).unwrap();
    root.join("dist").join(format!("{}-{}.tar.gz", m["id"].as_str().unwrap(), m["version"].as_str().unwrap()))
}

async fn post(host: &DevHost, user: &str, path: &str, body: Value) -> Value {
    let r = host.serve_http(Some(user), "POST", path, serde_json::to_vec(&body).unwrap()).await;
    assert!((200..300).contains(&r.status), "{path}: {} {}", r.status, String::from_utf8_lossy(&r.body));
    serde_json::from_slice(&r.body).unwrap()
}

/// The incident under load: started by alice, with a calibration task and one task per user appended to its first
/// checklist.
struct Target {
    id: String,
    channel: String,
    /// Index in checklist 0 of the task only the calibration toggles.
    calibration_task: usize,
    /// Index in checklist 0 of user 0's task; user `u` toggles `first_task + u`.
    first_task: usize,
}

async fn target(host: &DevHost) -> Target {
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let started = post(host, "alice", "/api/v0/incidents", json!({ "name": "Load test", "team_id": team })).await;
    let id = started["id"].as_str().unwrap().to_owned();
    let channel = started["channel_id"].as_str().unwrap().to_owned();
    let calibration_task = started["checklists"][0]["items"].as_array().map_or(0, Vec::len);
    let tasks = format!("/api/v0/incidents/{id}/tasks");
    post(host, "alice", &tasks, json!({ "checklist": 0, "title": "Calibration" })).await;
    for u in 0..USERS {
        post(host, "alice", &tasks, json!({ "checklist": 0, "title": title(u) })).await;
    }
    Target { id, channel, calibration_task, first_task: calibration_task + 1 }
}

fn title(user: usize) -> String {
    format!("Load task {user:02}")
}

/// USERS new users in the team and the incident channel (toggling needs channel membership); their ids.
fn users(host: &DevHost, channel: &str) -> Vec<String> {
    let store = host.store();
    let team = store.get_team_by_name("dev").unwrap().id;
    (0..USERS)
        .map(|u| {
            let user = store.create_user(&format!("load{u:02}")).unwrap();
            store.add_team_member(&team, &user.id).unwrap();
            store.add_channel_member(channel, &user.id).unwrap();
            user.id
        })
        .collect()
}

fn kv_calls(host: &DevHost, rpc: &str) -> u64 {
    host.api_calls().per_rpc.get(rpc).copied().unwrap_or(0)
}

fn stored(host: &DevHost, id: &str) -> (Incident, usize) {
    let key = format!("inc_{id}");
    let raw = host.store().kv_get(&host.plugin_id(), &key).unwrap();
    (incident_store::record::decode(&key, &raw).unwrap(), raw.len())
}

/// KVSetWithOptions calls one uncontended toggle makes (toggles the calibration task, one at a time).
async fn calibrate(host: &DevHost, t: &Target) -> f64 {
    let before = kv_calls(host, "KVSetWithOptions");
    let path = format!("/api/v0/incidents/{}/tasks/toggle", t.id);
    for _ in 0..CALIBRATION {
        post(host, "alice", &path, json!({ "checklist": 0, "item": t.calibration_task })).await;
    }
    (kv_calls(host, "KVSetWithOptions") - before) as f64 / CALIBRATION as f64
}

/// What one user did.
#[derive(Default)]
struct UserRun {
    saved: u64,
    /// 503 "try again": the plugin lost compare-and-set `SAVE_ATTEMPTS` times in a row and saved nothing.
    busy: u64,
    latencies: Vec<Duration>,
    /// Every answer's latency, saved or 503.
    answers: Vec<Duration>,
}

async fn user(host: Arc<DevHost>, user: String, path: String, item: usize, until: Instant) -> UserRun {
    let body = serde_json::to_vec(&json!({ "checklist": 0, "item": item })).unwrap();
    let mut run = UserRun::default();
    while Instant::now() < until {
        let began = Instant::now();
        let r = host.serve_http(Some(&user), "POST", &path, body.clone()).await;
        let took = began.elapsed();
        run.answers.push(took);
        match r.status {
            200 => {
                run.saved += 1;
                run.latencies.push(took);
            }
            503 => run.busy += 1,
            s => panic!("toggle answered {s}: {}", String::from_utf8_lossy(&r.body)),
        }
    }
    run
}

/// The 1-minute load average: others may share the machine, and the figures move with it.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split_whitespace().next().unwrap_or("?").to_owned()
}

/// CPU seconds (user + system) a process has used so far.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    ticks as f64 / 100.0
}

async fn pids(host: &DevHost) -> Vec<u32> {
    host.node_pids().await.into_iter().map(|p| p.expect("every node runs")).collect()
}

/// Zero lost updates: each task's state is the parity of its saved toggles, the version moved once per saved
/// toggle (calibration included), and the timeline holds one event per saved toggle of each task.
fn check_no_lost_update(final_: &Incident, t: &Target, runs: &[UserRun], version_before: u64) {
    let items = &final_.checklists[0].items;
    let mut lost = Vec::new();
    for (u, run) in runs.iter().enumerate() {
        let task = &items[t.first_task + u];
        assert_eq!(task.title, title(u));
        let events = final_
            .timeline
            .iter()
            .filter(|e| matches!(e.kind, EventKind::TaskChecked | EventKind::TaskUnchecked) && e.summary == task.title)
            .count() as u64;
        if task.is_done() != (run.saved % 2 == 1) || events != run.saved {
            lost.push(format!("task {u}: done={} after {} saved toggles, {events} events", task.is_done(), run.saved));
        }
    }
    let saved: u64 = runs.iter().map(|r| r.saved).sum();
    assert!(lost.is_empty(), "LOST UPDATES: {lost:#?}");
    assert_eq!(final_.version, version_before + saved, "one version per saved toggle, no phantom writes");
}

/// Every node's read model converges on the stored state (checked through the list, which each node answers from
/// its own read model; enough requests that the round-robin reaches every node).
async fn read_models_agree(host: &DevHost, t: &Target, tasks_done: usize) {
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let path = format!("/api/v0/incidents?team_id={team}&per_page=100");
    let began = Instant::now();
    'retry: loop {
        for _ in 0..3 * NODES {
            let r = host.serve_http(Some("alice"), "GET", &path, Vec::new()).await;
            let v: Value = serde_json::from_slice(&r.body).unwrap();
            let row = v["items"].as_array().unwrap().iter().find(|i| i["id"] == t.id.as_str()).cloned();
            if row.and_then(|r| r["tasks_done"].as_u64()) != Some(tasks_done as u64) {
                assert!(began.elapsed() < Duration::from_secs(10), "a node's read model never caught up: {v}");
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue 'retry;
            }
        }
        return;
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    assert!(std::env::var_os("INCIDENT_RELEASE_PLUGIN").is_some(), "run through `make bench`");
    let dir = incident_tests::root().join("target/bench-data/concurrency");
    let _ = std::fs::remove_dir_all(&dir);
    let mut config = DevHostConfig::new(bundle(), &dir);
    config.nodes = NODES;
    let host = DevHost::start(config).await.unwrap();
    let state = host.plugin_state();
    assert_eq!(state.state, PluginState::Active, "{state:?}");
    assert_eq!(state.message, format!("active on {NODES} node(s)"));

    let t = target(&host).await;
    let ids = users(&host, &t.channel);
    let sets_per_toggle = calibrate(&host, &t).await;
    let (before, _) = stored(&host, &t.id);
    let secs = seconds();
    eprintln!("bench: {USERS} users toggling for {secs} s on {NODES} nodes");

    let host = Arc::new(host);
    let pids = pids(&host).await;
    let pids: Vec<u32> = pids.into_iter().chain([std::process::id()]).collect();
    let cpu_before: Vec<f64> = pids.iter().map(|p| cpu_seconds(*p)).collect();
    let load_before = load_average();
    let node_calls_before = host.node_api_calls();
    let sets_before = kv_calls(&host, "KVSetWithOptions");
    let path = format!("/api/v0/incidents/{}/tasks/toggle", t.id);
    let began = Instant::now();
    let until = began + Duration::from_secs(secs);
    let handles: Vec<_> = ids
        .into_iter()
        .enumerate()
        .map(|(u, id)| tokio::spawn(user(Arc::clone(&host), id, path.clone(), t.first_task + u, until)))
        .collect();
    let mut runs = Vec::with_capacity(USERS);
    for h in handles {
        runs.push(h.await.unwrap());
    }
    let elapsed = began.elapsed();
    let sets = kv_calls(&host, "KVSetWithOptions") - sets_before;
    let cpu: Vec<f64> = pids.iter().zip(&cpu_before).map(|(p, b)| cpu_seconds(*p) - b).collect();
    let load = format!("{load_before} before, {} after", load_average());
    let node_calls: Vec<u64> = host.node_api_calls().iter().zip(&node_calls_before).map(|(a, b)| a - b).collect();

    let (final_, record_bytes) = stored(&host, &t.id);
    check_no_lost_update(&final_, &t, &runs, before.version);
    read_models_agree(&host, &t, final_.checklists[0].items.iter().filter(|i| i.is_done()).count()).await;
    let host = Arc::try_unwrap(host).expect("every user is done");
    host.stop().await;

    let measured = Measured { elapsed, sets, sets_per_toggle, cpu, node_calls, record_bytes, load };
    let body = report(&runs, &measured);
    write_section(
        "concurrency",
        "Concurrent toggles on one incident",
        "make bench (cargo bench -p incident-tests --bench concurrency)",
        &body,
    );
    eprintln!("{body}");
}

/// The run's totals besides what each user counted.
struct Measured {
    elapsed: Duration,
    /// `KVSetWithOptions` calls during the run.
    sets: u64,
    sets_per_toggle: f64,
    /// CPU seconds of each plugin process during the run, then of this process (dev host and the 50 users).
    cpu: Vec<f64>,
    /// PluginAPI calls each node made during the run.
    node_calls: Vec<u64>,
    record_bytes: usize,
    load: String,
}

fn report(runs: &[UserRun], m: &Measured) -> String {
    let Measured { elapsed, sets, sets_per_toggle, ref cpu, ref node_calls, record_bytes, ref load } = *m;
    let saved: u64 = runs.iter().map(|r| r.saved).sum();
    let busy: u64 = runs.iter().map(|r| r.busy).sum();
    let mut latencies: Vec<Duration> = runs.iter().flat_map(|r| r.latencies.iter().copied()).collect();
    let (p50, p99, max) = percentiles(&mut latencies);
    let mut answers: Vec<Duration> = runs.iter().flat_map(|r| r.answers.iter().copied()).collect();
    let (a50, a99, amax) = percentiles(&mut answers);
    let per_user = runs.iter().map(|r| r.saved);
    let (least, most) = (per_user.clone().min().unwrap(), per_user.max().unwrap());
    let conflicts = sets as f64 - sets_per_toggle * saved as f64;
    let (host_cpu, cpu) = cpu.split_last().unwrap();
    let node_calls = node_calls.iter().map(u64::to_string).collect::<Vec<_>>().join(" / ");
    let cpu = cpu.iter().map(|c| format!("{c:.1} s")).collect::<Vec<_>>().join(" / ");
    let attempts = incident_app::SAVE_ATTEMPTS;
    format!(
        "| {USERS} users × 1 incident × {NODES} plugin processes, {:.1} s | figure |\n|---|---|\n\
         | toggles saved (200) | {saved} ({least}…{most} per user) |\n\
         | throughput (saved toggles per second) | {:.1} ops/s |\n\
         | latency of a saved toggle, p50 / p99 / max | {} / {} / {} |\n\
         | latency of any answer (saved or 503), p50 / p99 / max | {} / {} / {} |\n\
         | \"try again\" answers (503: compare-and-set lost {attempts} times in a row, nothing saved; the user tried again) \
         | {busy} ({:.1}% of requests) |\n\
         | compare-and-set conflicts retried (`KVSetWithOptions` calls − {sets_per_toggle:.1} × saved toggles) \
         | {conflicts:.0} ({:.2} per saved toggle) |\n\
         | **lost updates** | **0** |\n\
         | CPU time during the run: each plugin process; the dev host with the {USERS} users (one process) \
         | {cpu}; {host_cpu:.1} s |\n\
         | PluginAPI calls made by each plugin process during the run | {node_calls} |\n\
         | incident record at the end | {:.1} KB |\n\
         | 1-minute load average of the machine (shared with other work) | {load} |\n\n\
         Lost updates are checked against the stored record, and the bench panics on any: each user's task is \
         checked exactly when that user's saved toggles are odd, its timeline holds one event per saved toggle, \
         and the version moved once per saved toggle; afterwards every node's read model shows the same count of \
         done tasks. Conflicts: an uncontended toggle makes {sets_per_toggle:.1} `KVSetWithOptions` call(s) \
         (measured first, {CALIBRATION} toggles), so every call beyond that is a write that lost compare-and-set \
         and was re-read and re-decided (a 503 is {attempts} of them, with a random growing pause between tries). Users send their next toggle as soon as the last \
         one answers; the dev host hands ServeHTTP (and the other hooks) to its nodes round-robin. Each toggle also \
         posts in the channel and appends a timeline event, so the record grows during the run.\n",
        elapsed.as_secs_f64(),
        saved as f64 / elapsed.as_secs_f64(),
        ms(p50),
        ms(p99),
        ms(max),
        ms(a50),
        ms(a99),
        ms(amax),
        100.0 * busy as f64 / (saved + busy).max(1) as f64,
        conflicts / saved.max(1) as f64,
        record_bytes as f64 / 1024.0,
    )
}
