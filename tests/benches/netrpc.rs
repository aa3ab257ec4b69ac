//! `make bench` (net/rpc): process start → handshake line on the net/rpc transport, the real go-plugin
//! client's start (which also hashes the executable, as Mattermost's supervisor does), and `/incident help`
//! and `/incident info` round trips as the Go host sees them. The gRPC figures are the `protocol` section
//! of the same `make bench` run.

use incident_tests::go_host::{go_host, stage_native};
use incident_tests::process::{plugin_binary, scratch};
use incident_tests::report::{ms, percentiles, write_section};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};

const STARTS: usize = 30;
const HOST_RUNS: usize = 5;
const ROUNDS: usize = 1000;
/// `/incident info` in the incident's channel (the Go host's `~channel` prefix).
const INFO: &str = "~database-down /incident info";

#[tokio::main]
async fn main() {
    assert!(std::env::var_os("INCIDENT_RELEASE_PLUGIN").is_some(), "run through `make bench` (release plugin)");
    let work = scratch("bench-netrpc");
    let manifest = std::fs::read_to_string(incident_tests::root().join("plugin.json")).unwrap();
    let plugin = stage_native(&work, &manifest, &plugin_binary());
    let exe = plugin.join("server/dist/plugin-linux-x86_64");
    let cwd = work.join("server-cwd");
    std::fs::create_dir_all(&cwd).unwrap();

    // Start → handshake line, launched as released servers launch it (no API target, server's cwd).
    let mut starts = Vec::with_capacity(STARTS);
    for _ in 0..STARTS {
        let began = Instant::now();
        let mut child = tokio::process::Command::new(&exe)
            .current_dir(&cwd)
            .env(mm::MAGIC_COOKIE_KEY, mm::MAGIC_COOKIE_VALUE)
            .env_remove("MATTERMOST_PLUGIN_API_TARGET")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let line = tokio::time::timeout(Duration::from_secs(3), lines.next_line()).await.unwrap().unwrap().unwrap();
        starts.push(began.elapsed());
        assert!(line.starts_with("1|1|unix|") && line.ends_with("|netrpc|"), "{line}");
        child.kill().await.unwrap();
    }

    let host = go_host();
    let run = |args: Vec<String>| {
        let out = std::process::Command::new(&host).args(&args).current_dir(&cwd).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let dir = plugin.to_str().unwrap().to_owned();
    let mut client_starts = Vec::new();
    for _ in 0..HOST_RUNS {
        let r = run(vec!["-plugin".into(), dir.clone(), "-commands".into(), "/incident help".into()]);
        client_starts.push(Duration::from_secs_f64(r["handshake_ms"].as_f64().unwrap() / 1000.0));
    }
    // `info` runs in the channel of an incident started once before the rounds: the full read path.
    let r = run(vec![
        "-plugin".into(),
        dir,
        "-setup".into(),
        "/incident start Database down".into(),
        "-commands".into(),
        format!("/incident help; {INFO}"),
        "-rounds".into(),
        ROUNDS.to_string(),
    ]);
    let info_text = r["commands"][INFO]["text"].as_str().unwrap_or_default();
    assert!(info_text.contains("**Commander:** @alice"), "info must read the incident: {info_text}");
    let samples = |cmd: &str| -> Vec<Duration> {
        r["commands"][cmd]["samples_ms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| Duration::from_secs_f64(v.as_f64().unwrap() / 1000.0))
            .collect()
    };
    let (mut help, mut info) = (samples("/incident help"), samples(INFO));

    let row = |name: &str, n: usize, s: &mut [Duration]| {
        let (p50, p99, max) = percentiles(s);
        format!("| {name} | {n} | {} | {} | {} |\n", ms(p50), ms(p99), ms(max))
    };
    let mut body = String::from("| net/rpc measure | n | p50 | p99 | max |\n|---|---|---|---|---|\n");
    body += &row("process start → handshake line (goal < 10 ms; server allows 3 s)", STARTS, &mut starts);
    body += &row(
        "go-plugin `client.Client()`: sha256 of the binary + start + handshake + yamux",
        HOST_RUNS,
        &mut client_starts,
    );
    body += &row("`/incident help` round trip (Go host, net/rpc + gob)", help.len(), &mut help);
    body +=
        &row("`/incident info` in the incident channel, round trip (Go host, net/rpc + gob)", info.len(), &mut info);
    body += "\nThe gRPC transport's `/incident help` round trip is in the `protocol` section (the same process, its \
             own in-process API fake: the closest comparison; `make bench` runs both). Over gRPC, `/incident info` \
             is measured through the dev host in the `incidents` section, where every PluginAPI call reaches \
             SQLite, so it is not a like-for-like figure; the Go host answers from memory.\n";
    write_section("netrpc", "net/rpc transport (released servers)", "make bench", &body);
    eprintln!("{body}");
}
