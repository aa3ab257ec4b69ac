//! `make bench` (automation): status-update latency through the real plugin on the dev host, in one run: with no
//! playbook, with a broadcast channel, and with a broadcast channel plus a status-update webhook whose receiver
//! accepts the connection and never answers. The update must not wait for the webhook, so the last two should be
//! about equal.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use devhost::{DevHost, DevHostConfig, PluginState};
use incident_tests::report::{ms, percentiles, write_section};
use serde_json::{Value, json};
use tokio::net::TcpListener;

const UPDATES: usize = 200;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    assert!(std::env::var_os("INCIDENT_RELEASE_PLUGIN").is_some(), "run through `make bench`");
    let root = incident_tests::root();
    let m: Value = serde_json::from_str(&std::fs::read_to_string(root.join("plugin.json")).unwrap()).unwrap();
    let bundle =
        root.join("dist").join(format!("{}-{}.tar.gz", m["id"].as_str().unwrap(), m["version"].as_str().unwrap()));
    let dir = root.join("target/bench-data/automation");
    let _ = std::fs::remove_dir_all(&dir);
    let host = DevHost::start(DevHostConfig::new(&bundle, dir)).await.unwrap();
    assert_eq!(host.plugin_state().state, PluginState::Active);

    let (hanging, connections) = hanging_receiver().await;
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let off_topic = host.channel_id("off-topic").unwrap();
    let plain = start(&host, &team, None, "Plain").await;
    let broadcast = playbook(&host, &team, json!({ "title": "Broadcast", "broadcast_channel_ids": [off_topic] })).await;
    let broadcast = start(&host, &team, Some(&broadcast), "Broadcast").await;
    let hooked = playbook(
        &host,
        &team,
        json!({
            "title": "Broadcast and webhook",
            "broadcast_channel_ids": [off_topic],
            "automation": { "update_webhook_url": hanging },
        }),
    )
    .await;
    let hooked = start(&host, &team, Some(&hooked), "Hooked").await;

    let mut rows = String::from(
        "| `POST /incidents/{id}/status` (through the dev host) | p50 | p99 | runs |\n|---|---|---|---|\n",
    );
    let mut p50s = Vec::new();
    for (name, id) in [
        ("no playbook", &plain),
        ("broadcast to one channel", &broadcast),
        ("broadcast + webhook to a receiver that never answers", &hooked),
    ] {
        eprintln!("bench: status update, {name}");
        let mut samples = Vec::with_capacity(UPDATES);
        for i in 0..UPDATES {
            let body = serde_json::to_vec(&json!({ "message": format!("Update {i}") })).unwrap();
            let began = Instant::now();
            let r = host.serve_http(Some("alice"), "POST", &format!("/api/v0/incidents/{id}/status"), body).await;
            samples.push(began.elapsed());
            assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        }
        let (p50, p99, _) = percentiles(&mut samples);
        p50s.push(p50);
        rows.push_str(&format!("| {name} | {} | {} | {UPDATES} |\n", ms(p50), ms(p99)));
    }
    let opened = connections.load(Ordering::Relaxed);
    assert!(opened > 0, "the webhook worker reached the hanging receiver");
    rows.push_str(&format!(
        "\nHanging webhook p50 / broadcast-only p50: **{:.2}×** (1.0 means the update never waits for the webhook). \
         Connections the worker had opened to the hanging receiver by the end: {opened} (at most 8 at once; the \
         rest wait in the queue).\n",
        p50s[2].as_secs_f64() / p50s[1].as_secs_f64().max(1e-9),
    ));
    host.stop().await;
    write_section(
        "automation",
        "Status updates with automation",
        "make bench (cargo bench -p incident-tests --bench automation)",
        &rows,
    );
}

/// A receiver that accepts every connection and holds it open without answering; counts connections.
async fn hanging_receiver() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/never-answers", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::Relaxed);
            held.push(stream);
        }
    });
    (url, count)
}

async fn post(host: &DevHost, path: &str, body: Value) -> Value {
    let r = host.serve_http(Some("alice"), "POST", path, serde_json::to_vec(&body).unwrap()).await;
    assert!((200..300).contains(&r.status), "{path}: {}", String::from_utf8_lossy(&r.body));
    serde_json::from_slice(&r.body).unwrap()
}

async fn playbook(host: &DevHost, team: &str, input: Value) -> String {
    let pb = post(host, &format!("/api/v0/playbooks?team_id={team}"), input).await;
    pb["id"].as_str().unwrap().to_owned()
}

async fn start(host: &DevHost, team: &str, playbook: Option<&str>, name: &str) -> String {
    let started =
        post(host, "/api/v0/incidents", json!({ "name": name, "team_id": team, "playbook_id": playbook })).await;
    // Let the start's own work settle so the first samples measure updates only.
    tokio::time::sleep(Duration::from_millis(50)).await;
    started["id"].as_str().unwrap().to_owned()
}
