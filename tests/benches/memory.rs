//! `make bench` (memory): resident memory of the real plugin process under the dev host, read from
//! `/proc/<pid>/status` (`VmRSS`, and `VmHWM`, the peak): idle after activation (goal < 15 MB), then with 10,000
//! active incidents seeded straight into the KV store and the plugin restarted so its read model is rebuilt from
//! them, then again after list and search requests over them.

#[path = "common/plugin_pid.rs"]
mod plugin_pid;
#[path = "common/seed.rs"]
mod seed;

use std::path::{Path, PathBuf};
use std::time::Duration;

use devhost::{DevHost, DevHostConfig, PluginState};
use incident_tests::report::write_section;
use plugin_pid::plugin_pid;

const INCIDENTS: u64 = 10_000;
const TEAMS: u64 = 10;
/// Lets the process finish what activation started (read-model build, first scheduler pass) before reading.
const SETTLE: Duration = Duration::from_secs(2);

/// One reading of `/proc/<pid>/status`, in KiB.
struct Memory {
    rss_kb: u64,
    peak_kb: u64,
}

fn field_kb(status: &str, name: &str) -> u64 {
    let line = status.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("no {name} in {status}"));
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn memory(pid: u32) -> Memory {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    Memory { rss_kb: field_kb(&status, "VmRSS:"), peak_kb: field_kb(&status, "VmHWM:") }
}

async fn settled(host: &DevHost) -> Memory {
    tokio::time::sleep(SETTLE).await;
    memory(plugin_pid(host).await)
}

fn bundle() -> PathBuf {
    let root = incident_tests::root();
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("plugin.json")).unwrap()).unwrap();
    root.join("dist").join(format!("{}-{}.tar.gz", m["id"].as_str().unwrap(), m["version"].as_str().unwrap()))
}

fn data_dir() -> PathBuf {
    let dir = incident_tests::root().join("target/bench-data/memory");
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// 200 list pages and 100 searches over the seeded team, as the list benchmark does.
async fn browse(host: &DevHost, team: &str) {
    for page in 0..200 {
        let path = format!("/api/v0/incidents?team_id={team}&page={}&per_page=20", page % 50);
        assert_eq!(host.serve_http(Some("admin"), "GET", &path, Vec::new()).await.status, 200);
    }
    for q in 0..100 {
        let path = format!("/api/v0/incidents?team_id={team}&q=service%20{}&per_page=20", q % 97);
        assert_eq!(host.serve_http(Some("admin"), "GET", &path, Vec::new()).await.status, 200);
    }
}

fn mb(kb: u64) -> String {
    format!("{:.1} MB", kb as f64 / 1024.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    assert!(std::env::var_os("INCIDENT_RELEASE_PLUGIN").is_some(), "run through `make bench`");
    let bundle = bundle();
    let dir = data_dir();
    let host = DevHost::start(DevHostConfig::new(&bundle, &dir)).await.unwrap();
    assert_eq!(host.plugin_state().state, PluginState::Active);
    let idle = settled(&host).await;
    eprintln!("bench: idle VmRSS {}", mb(idle.rss_kb));

    eprintln!("bench: seeding {INCIDENTS} incidents");
    let team = seed::incidents(&host, &dir, INCIDENTS, TEAMS, |_| {}).await;
    host.restart_plugin().await.unwrap();
    assert_eq!(host.plugin_state().state, PluginState::Active);
    seed::wait_for_read_model(&host, &team, INCIDENTS / TEAMS, Duration::from_secs(300)).await;
    let loaded = settled(&host).await;
    browse(&host, &team).await;
    let browsed = settled(&host).await;
    host.stop().await;

    let body = report(&bundle, &idle, &loaded, &browsed);
    write_section("memory", "Plugin memory", "make bench (cargo bench -p incident-tests --bench memory)", &body);
    eprintln!("{body}");
}

fn report(bundle: &Path, idle: &Memory, loaded: &Memory, browsed: &Memory) -> String {
    let per_incident = (loaded.rss_kb.saturating_sub(idle.rss_kb) * 1024) as f64 / INCIDENTS as f64;
    format!(
        "| plugin process (one node, release build, `/proc/<pid>/status`) | VmRSS | VmHWM (peak so far) |\n\
         |---|---|---|\n\
         | idle after activation, empty store (goal < 15 MB) | {} | {} |\n\
         | {INCIDENTS} active incidents over {TEAMS} teams, after a restart rebuilt the read model | {} | {} |\n\
         | the same, after 200 list pages and 100 searches | {} | {} |\n\n\
         Idle {} the 15 MB goal. The {INCIDENTS} incidents add {:.0} bytes of resident memory each at rest \
         (read-model rows plus what the allocator kept from the rebuild, not broken down here); the peak is reached \
         during the rebuild, while records are decoded. Bundle: `{}`; each reading is taken {} s after the step, on \
         the process the launcher `exec`ed into (`DevHost::node_pids`).\n",
        mb(idle.rss_kb),
        mb(idle.peak_kb),
        mb(loaded.rss_kb),
        mb(loaded.peak_kb),
        mb(browsed.rss_kb),
        mb(browsed.peak_kb),
        if idle.rss_kb < 15 * 1024 { "is within" } else { "is OVER" },
        per_incident,
        bundle.file_name().unwrap().to_string_lossy(),
        SETTLE.as_secs(),
    )
}
