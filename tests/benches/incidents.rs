//! `make bench` (incidents): commands through the real plugin on the dev host (latency and PluginAPI calls per
//! invocation), and list/search with 100,000 incidents in the store (activation rebuild, p50/p99, KV reads per page),
//! next to baseline (a), the first KV-backed incident plugin's one-headers-key strategy, over the same store and data
//! in the same run.

#[path = "common/kv_baseline.rs"]
mod kv_baseline;
#[path = "common/plugin_pid.rs"]
mod plugin_pid;
#[path = "common/seed.rs"]
mod seed;

use devhost::{DevHost, DevHostConfig, PluginState};
use incident_tests::report::{ms, percentiles, process_cpu, write_section};
use kv_baseline::{Baseline, HEADERS_KEY, Header};
use std::collections::BTreeMap;
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
        "| command (through the dev host) | p50 | p99 | runs | PluginAPI calls per invocation | plugin CPU per invocation |\n\
         |---|---|---|---|---|---|\n",
    );
    let pid = plugin_pid::plugin_pid(host).await;
    let mut row = |name: &str, mut samples: Vec<Duration>, calls: f64, cpu: Duration| {
        let (p50, p99, _) = percentiles(&mut samples);
        let cpu = cpu / u32::try_from(samples.len()).unwrap();
        rows.push_str(&format!(
            "| {name} | {} | {} | {} | {calls:.1} | {} |\n",
            ms(p50),
            ms(p99),
            samples.len(),
            ms(cpu)
        ));
    };
    let cpu_before = process_cpu(pid);
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
    row("`/incident start <name>` (goal ≤ 15 calls)", starts, per(before, after), process_cpu(pid) - cpu_before);
    let channel = host.channel_id("bench-0").expect("the first benchmark incident's channel");
    host.execute_command("alice", &channel, "/incident checkadd 1 Bench task").await.unwrap();
    for (name, text, runs) in [
        ("`/incident info` (goal ≤ 3 calls, < 1 ms in the plugin)", "/incident info", 2000),
        ("`/incident check 1 1`", "/incident check 1 1", 300),
        ("`/incident list`", "/incident list", 300),
    ] {
        eprintln!("bench: {name}");
        let (before, cpu_before) = (calls_of(host, "ExecuteCommand"), process_cpu(pid));
        let samples = timed(
            || async {
                host.execute_command("alice", &channel, text).await.unwrap();
            },
            runs,
        )
        .await;
        row(name, samples, per(before, calls_of(host, "ExecuteCommand")), process_cpu(pid) - cpu_before);
    }
    eprintln!("bench: status update");
    let submission = update_dialog(host, &channel).await;
    let (before, cpu_before) = (calls_of(host, "ServeHTTP"), process_cpu(pid));
    let samples = timed(
        || async {
            let (answer, has_errors) = host.submit_dialog("alice", &submission).await.unwrap();
            assert!(!has_errors, "{answer}");
        },
        200,
    )
    .await;
    let (calls, cpu) = (per(before, calls_of(host, "ServeHTTP")), process_cpu(pid) - cpu_before);
    row("status update (`/incident update` dialog submitted)", samples, calls, cpu);
    rows.push_str(
        "\nPlugin CPU is the plugin process's user + system time (all threads, `/proc/<pid>/stat`) over the runs, divided \
         by the runs: the plugin's own work, encoding and decoding its PluginAPI calls included, without the time it \
         waits for the dev host's SQLite-backed answers. The kernel counts it in 10 ms ticks, hence the many runs.\n",
    );
    rows
}

/// Opens the status-update dialog in `channel` as the commander and returns a filled-in submission of it.
async fn update_dialog(host: &DevHost, channel: &str) -> devhost::DialogSubmission {
    let mut events = host.events();
    host.execute_command("alice", channel, "/incident update").await.unwrap();
    let opened = std::iter::from_fn(|| events.try_recv().ok()).find(|e| e.event == "open_dialog").expect("a dialog");
    let payload: serde_json::Value = serde_json::from_str(opened.data["dialog"].as_str().unwrap()).unwrap();
    let submission = serde_json::json!({ "message": "Failing over to the replica.", "reminder": "900000" });
    devhost::DialogSubmission {
        url: payload["url"].as_str().unwrap().into(),
        callback_id: "update".into(),
        state: payload["dialog"]["state"].as_str().unwrap().into(),
        submission: submission.as_object().unwrap().clone(),
        cancelled: false,
        channel_id: channel.into(),
        team_id: host.store().get_team_by_name("dev").unwrap().id,
    }
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

/// Latencies of list pages and searches, and the KV reads they cost.
struct Figures {
    pages: Vec<Duration>,
    searches: Vec<Duration>,
    kv_reads: f64,
}

const LIST_PAGES: usize = 200;
const SEARCHES: usize = 100;
const PER_PAGE: usize = 20;

fn kv_gets(host: &DevHost) -> u64 {
    host.api_calls().per_rpc.get("KVGet").copied().unwrap_or(0)
}

/// Ids of a REST list answer.
fn ids_of(body: &[u8]) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    v["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect()
}

async fn list_at_scale(bundle: &std::path::Path) -> String {
    let dir = data_dir("scale");
    let host = DevHost::start(DevHostConfig::new(bundle, &dir)).await.unwrap();

    eprintln!("bench: seeding {INCIDENTS} incidents");
    // 100,000 incidents over 10 teams; the first team is the seeded one, so the admin can list it.
    let seeded = Instant::now();
    let mut headers = BTreeMap::new();
    let real_team = seed::incidents(&host, &dir, INCIDENTS, TEAMS, |i| {
        headers.insert(i.id.to_string(), Header::of(i));
    })
    .await;
    let seed_time = seeded.elapsed();
    // The baseline's one key, written once straight into the store (its write path is not what is compared).
    let headers = kv_baseline::encode(&headers);
    host.store().kv_set(&host.plugin_id(), HEADERS_KEY, &headers, 0).unwrap();

    let began = Instant::now();
    host.restart_plugin().await.unwrap();
    let activation = began.elapsed();
    let state = host.plugin_state();
    assert_eq!(state.state, PluginState::Active, "{}", state.message);
    // Activation waits at most 10 s for the read model; the rest of the rebuild runs in the background.
    seed::wait_for_read_model(&host, &real_team, INCIDENTS / TEAMS, Duration::from_secs(600)).await;
    let rebuilt = began.elapsed();
    eprintln!(
        "bench: seeded in {:.1} s, activated in {:.1} s, rebuilt in {:.1} s",
        seed_time.as_secs_f64(),
        activation.as_secs_f64(),
        rebuilt.as_secs_f64()
    );

    let baseline = Baseline::connect(host.node_api_addrs()[0]);
    same_pages(&host, &baseline, &real_team).await;
    eprintln!("bench: list and search, ours and baseline (a) interleaved");
    let before = calls_of(&host, "ServeHTTP");
    let load_before = load_average();
    let (mut ours, mut base) = compare(&host, &baseline, &real_team).await;
    let load = format!("{load_before} before, {} after", load_average());
    let after = calls_of(&host, "ServeHTTP");
    let calls = (after.1 - before.1) as f64 / (after.0 - before.0).max(1) as f64;
    host.stop().await;

    let (p50, p99, _) = percentiles(&mut ours.pages);
    let (s50, s99, _) = percentiles(&mut ours.searches);
    let (b50, b99, _) = percentiles(&mut base.pages);
    let (bs50, bs99, _) = percentiles(&mut base.searches);
    let ratio = |b: Duration, o: Duration| format!("{:.1}×", b.as_secs_f64() / o.as_secs_f64().max(1e-9));
    format!(
        "| {INCIDENTS} incidents over {TEAMS} teams | figure |\n|---|---|\n\
         | seeding through incident-store (4 KV writes each, not timed as a goal) | {:.1} s |\n\
         | activation (waits at most 10 s for the read-model rebuild) | {} |\n\
         | restart → read model holds every incident (rebuild from KV) | {} |\n\
         | list page of 20 (admin, one team of {}), p50 / p99 (goal p50 < 20 ms) | {} / {} |\n\
         | text search, 20 per page, p50 / p99 | {} / {} |\n\
         | KV reads per list or search request | {:.1} |\n\
         | PluginAPI calls per list or search request | {calls:.1} |\n\n\
         | same store, same run: ours vs baseline (a) | ours (REST through ServeHTTP, read model) | baseline (a) \
         (one headers key + one KV read per incident, PluginAPI over gRPC) | baseline / ours |\n|---|---|---|---|\n\
         | list page of 20, p50 | {} | {} | {} |\n\
         | list page of 20, p99 | {} | {} | {} |\n\
         | text search, 20 per page, p50 | {} | {} | {} |\n\
         | text search, 20 per page, p99 | {} | {} | {} |\n\
         | KV reads per request | {:.1} | {:.1} | |\n\
         | requests timed (list + search) | {} + {} | {} + {} | |\n\n\
         Baseline (a) is the first KV-backed incident plugin's strategy: one key (`{HEADERS_KEY}`, {:.1} MB of JSON \
         for {INCIDENTS} headers) loaded whole by every list or search, filtered and sorted in memory, then one \
         `KVGet` per incident on the page. It runs in the bench process through the plugin's own gRPC PluginAPI \
         client (`mm::grpc::GrpcApi`) against node 0's PluginAPI server, over the same SQLite store; ours is timed \
         through `DevHost::serve_http` (ServeHTTP into the plugin, access check, JSON answer), so the baseline is \
         spared a hop and the ratio is a lower bound. The two take turns request by request, so both see the same \
         machine load (1-minute load average {load}; the machine is shared). Both return the same incidents and \
         totals for the same page (checked).\n",
        seed_time.as_secs_f64(),
        ms(activation),
        ms(rebuilt),
        INCIDENTS / TEAMS,
        ms(p50),
        ms(p99),
        ms(s50),
        ms(s99),
        ours.kv_reads,
        ms(p50),
        ms(b50),
        ratio(b50, p50),
        ms(p99),
        ms(b99),
        ratio(b99, p99),
        ms(s50),
        ms(bs50),
        ratio(bs50, s50),
        ms(s99),
        ms(bs99),
        ratio(bs99, s99),
        ours.kv_reads,
        base.kv_reads,
        ours.pages.len(),
        ours.searches.len(),
        base.pages.len(),
        base.searches.len(),
        headers.len() as f64 / 1e6,
    )
}

/// The 1-minute load average: others may share the machine, and the figures move with it.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split_whitespace().next().unwrap_or("?").to_owned()
}

fn list_path(team: &str, page: usize) -> String {
    format!("/api/v0/incidents?team_id={team}&page={page}&per_page={PER_PAGE}")
}

fn search_text(q: usize) -> String {
    format!("service {}", q % 97)
}

fn search_path(team: &str, q: usize) -> String {
    format!("/api/v0/incidents?team_id={team}&q={}&per_page={PER_PAGE}", search_text(q).replace(' ', "%20"))
}

/// Our REST list/search and baseline (a) on the same requests, interleaved (which goes first alternates), so both
/// see the same machine load.
async fn compare(host: &DevHost, baseline: &Baseline, team: &str) -> (Figures, Figures) {
    let requests: Vec<(String, Option<String>, usize)> = (0..LIST_PAGES)
        .map(|page| (list_path(team, page), None, page))
        .chain((0..SEARCHES).map(|q| (search_path(team, q), Some(search_text(q)), 0)))
        .collect();
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    let (mut our_reads, mut base_reads) = (0, 0);
    for (i, (path, text, page)) in requests.iter().enumerate() {
        for turn in [i % 2, 1 - i % 2] {
            let reads = kv_gets(host);
            let t = Instant::now();
            if turn == 0 {
                let r = host.serve_http(Some("admin"), "GET", path, Vec::new()).await;
                ours.push(t.elapsed());
                assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
                our_reads += kv_gets(host) - reads;
            } else {
                let (found, _) = baseline.list(team, text.as_deref(), *page, PER_PAGE).await;
                base.push(t.elapsed());
                assert!(!found.is_empty());
                base_reads += kv_gets(host) - reads;
            }
        }
    }
    let n = requests.len() as f64;
    let split = |mut all: Vec<Duration>, kv_reads: u64| {
        let searches = all.split_off(LIST_PAGES);
        Figures { pages: all, searches, kv_reads: kv_reads as f64 / n }
    };
    (split(ours, our_reads), split(base, base_reads))
}

/// The comparison is fair only if both answer the same question: same incidents, same order, same totals.
async fn same_pages(host: &DevHost, baseline: &Baseline, team: &str) {
    for (path, text, page) in [
        (list_path(team, 0), None, 0),
        (list_path(team, 137), None, 137),
        (search_path(team, 5), Some(search_text(5)), 0),
    ] {
        let r = host.serve_http(Some("admin"), "GET", &path, Vec::new()).await;
        let total = serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["total"].as_u64().unwrap();
        let (found, matched) = baseline.list(team, text.as_deref(), page, PER_PAGE).await;
        let base: Vec<String> = found.iter().map(|i| i.id.to_string()).collect();
        assert_eq!(ids_of(&r.body), base, "{path}: the baseline pages like the plugin");
        assert_eq!(total, matched as u64, "{path}: same total");
    }
}
