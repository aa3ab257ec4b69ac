//! `make bench` (devhost): the real bundle (`make dist`) in the dev host library: host start → plugin activated,
//! PluginAPI calls per `/incident help` from the host's counters, and `/incident help` latency through the host
//! (trigger lookup, permission check, ExecuteCommand over gRPC, ephemeral reply to the event hub).

use std::path::PathBuf;
use std::time::Instant;

use devhost::{DevHost, DevHostConfig, PluginState};
use incident_tests::process::scratch;
use incident_tests::report::{ms, percentiles, write_section};

const STARTS: usize = 10;
const CALLS: usize = 1000;

fn bundle() -> PathBuf {
    let root = incident_tests::root();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("plugin.json")).unwrap()).unwrap();
    let name = format!("{}-{}.tar.gz", manifest["id"].as_str().unwrap(), manifest["version"].as_str().unwrap());
    let path = root.join("dist").join(name);
    assert!(path.is_file(), "{} is missing: run `make dist` (make bench does)", path.display());
    path
}

fn config(data: PathBuf) -> DevHostConfig {
    let mut config = DevHostConfig::new(bundle(), data);
    config.page_dir = incident_tests::root().join("webapp/dist");
    config
}

#[tokio::main]
async fn main() {
    let scratch = scratch("bench-devhost");

    // Cold: a fresh data dir each time (SQLite file created and seeded, bundle extracted, process started,
    // Implemented + OnActivate with its RegisterCommand). Warm: the same data dir again.
    let mut cold = Vec::with_capacity(STARTS);
    let mut warm = Vec::with_capacity(STARTS);
    for run in 0..STARTS {
        let data = scratch.join(format!("start-{run}"));
        for samples in [&mut cold, &mut warm] {
            let began = Instant::now();
            let host = DevHost::start(config(data.clone())).await.expect("the dev host starts");
            let state = host.plugin_state();
            samples.push(began.elapsed());
            assert_eq!(state.state, PluginState::Active, "{state:?}");
            host.stop().await;
        }
    }

    // Where a cold start goes: the two steps before the plugin process is launched, measured alone.
    let mut store_open = Vec::with_capacity(STARTS);
    let mut extract = Vec::with_capacity(STARTS);
    for run in 0..STARTS {
        let data = scratch.join(format!("parts-{run}"));
        std::fs::create_dir_all(&data).unwrap();
        let began = Instant::now();
        drop(devhost::store::Store::open(&data.join("devhost.db")).expect("the store opens"));
        store_open.push(began.elapsed());
        let began = Instant::now();
        devhost::bundle::prepare(&bundle(), &data).expect("the bundle is extracted");
        extract.push(began.elapsed());
    }

    let host = DevHost::start(config(scratch.join("calls"))).await.expect("the dev host starts");
    assert_eq!(host.plugin_state().state, PluginState::Active);
    for _ in 0..20 {
        host.execute_command("alice", "town-square", "/incident help").await.unwrap();
    }
    host.reset_api_calls();
    let mut help = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let began = Instant::now();
        let reply = host.execute_command("alice", "town-square", "/incident help").await.unwrap();
        help.push(began.elapsed());
        assert_eq!(reply["response_type"], "ephemeral");
    }
    let calls = host.api_calls();
    host.stop().await;
    let hook = calls.per_hook["ExecuteCommand"];
    assert_eq!(hook.invocations, CALLS as u64);
    let per_command = hook.api_calls as f64 / hook.invocations as f64;
    let by_rpc = if calls.per_rpc.is_empty() {
        "none".to_string()
    } else {
        calls.per_rpc.iter().map(|(rpc, n)| format!("{rpc} {n}")).collect::<Vec<_>>().join(", ")
    };

    let (c50, c99, cmax) = percentiles(&mut cold);
    let (w50, w99, wmax) = percentiles(&mut warm);
    let (h50, h99, hmax) = percentiles(&mut help);
    let (s50, s99, smax) = percentiles(&mut store_open);
    let (e50, e99, emax) = percentiles(&mut extract);
    let body = format!(
        "| figure | p50 | p99 | max | runs |\n|---|---|---|---|---|\n\
         | host start → plugin activated, fresh data dir (seed SQLite, extract bundle, launch, OnActivate) | {} | {} | {} | {STARTS} |\n\
         | host start → plugin activated, existing data dir | {} | {} | {} | {STARTS} |\n\
         | of a cold start: SQLite file created, migrated and seeded | {} | {} | {} | {STARTS} |\n\
         | of a cold start: bundle extracted and manifest checked | {} | {} | {} | {STARTS} |\n\
         | `/incident help` through the dev host (`DevHost::execute_command`) | {} | {} | {} | {CALLS} |\n\n\
         PluginAPI calls per `/incident help`: {per_command:.2} ({} calls over {} ExecuteCommand invocations; \
         by RPC: {by_rpc}). Release bundle from `make dist`, dev host built with the bench profile.\n",
        ms(c50),
        ms(c99),
        ms(cmax),
        ms(w50),
        ms(w99),
        ms(wmax),
        ms(s50),
        ms(s99),
        ms(smax),
        ms(e50),
        ms(e99),
        ms(emax),
        ms(h50),
        ms(h99),
        ms(hmax),
        hook.api_calls,
        hook.invocations,
    );
    write_section("devhost", "Dev host", "make bench (cargo bench -p incident-tests --bench devhost)", &body);
    eprintln!("{body}");
}
