//! `make bench` (webapp): the size of the webapp bundle `webapp/dist/main.js` (raw and gzipped, goal < 150 KB
//! gzipped), and the websocket payload of a task toggle on an incident with 100 tasks (goal < 1 KB), measured on the
//! event the real plugin publishes through the dev host, against the full incident JSON a refetch would carry.

use std::io::Write;
use std::path::PathBuf;

use devhost::{DevHost, DevHostConfig, PluginState};
use incident_tests::process::scratch;
use incident_tests::report::write_section;
use serde_json::{Value, json};

const TASKS: usize = 100;

fn bundle() -> PathBuf {
    let root = incident_tests::root();
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(root.join("plugin.json")).unwrap()).unwrap();
    let name = format!("{}-{}.tar.gz", manifest["id"].as_str().unwrap(), manifest["version"].as_str().unwrap());
    let path = root.join("dist").join(name);
    assert!(path.is_file(), "{} is missing: run `make dist` (make bench does)", path.display());
    path
}

fn gzipped(bytes: &[u8]) -> usize {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap().len()
}

async fn http(host: &DevHost, user: &str, method: &str, path: &str, body: Value) -> (u16, Value) {
    let bytes = if body.is_null() { Vec::new() } else { serde_json::to_vec(&body).unwrap() };
    let r = host.serve_http(Some(user), method, path, bytes).await;
    (r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
}

#[tokio::main]
async fn main() {
    let main_js = std::fs::read(incident_tests::root().join("webapp/dist/main.js")).expect("webapp/dist/main.js");
    let (raw, gz) = (main_js.len(), gzipped(&main_js));

    let mut config = DevHostConfig::new(bundle(), scratch("bench-webapp").join("data"));
    config.page_dir = incident_tests::root().join("webapp/dist");
    let host = DevHost::start(config).await.expect("the dev host starts");
    assert_eq!(host.plugin_state().state, PluginState::Active);
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let (status, created) =
        http(&host, "alice", "POST", "/api/v0/incidents", json!({"name": "Hundred tasks", "team_id": team})).await;
    assert_eq!(status, 201, "{created}");
    let base = format!("/api/v0/incidents/{}", created["id"].as_str().unwrap());
    let mut detail = created.clone();
    while detail["tasks_total"].as_u64().unwrap() < TASKS as u64 {
        let n = detail["tasks_total"].as_u64().unwrap();
        let (status, r) = http(
            &host,
            "alice",
            "POST",
            &format!("{base}/tasks"),
            json!({"checklist": 0, "title": format!("Task {n}")}),
        )
        .await;
        assert_eq!(status, 200, "{r}");
        detail = r["incident"].clone();
    }
    let mut events = host.events();
    let (status, r) =
        http(&host, "alice", "POST", &format!("{base}/tasks/toggle"), json!({"checklist": 0, "item": 42})).await;
    assert_eq!(status, 200, "{r}");
    let event = std::iter::from_fn(|| events.try_recv().ok())
        .find(|e| e.event.ends_with("_incident_updated"))
        .expect("the toggle publishes a delta");
    // What a browser receives: the event as the dev host (and Mattermost) frames it, plus a `seq` field.
    let frame =
        serde_json::to_vec(&json!({"event": event.event, "data": event.data, "broadcast": event.broadcast, "seq": 1}))
            .unwrap()
            .len();
    let data = serde_json::to_vec(&event.data).unwrap().len();
    let (_, full) = http(&host, "alice", "GET", &base, Value::Null).await;
    let full = serde_json::to_vec(&full).unwrap().len();
    host.stop().await;

    assert!(gz < 150 * 1024, "main.js is {gz} bytes gzipped");
    assert!(frame < 1024, "the toggle's websocket frame is {frame} bytes");
    let body = format!(
        "| figure | value | goal |\n|---|---|---|\n\
         | `webapp/dist/main.js` gzipped (best) | {:.1} KB ({gz} bytes) | < 150 KB |\n\
         | `webapp/dist/main.js` raw | {:.1} KB ({raw} bytes) | |\n\
         | websocket frame of a task toggle, incident with {TASKS} tasks | {frame} bytes (data: {data} bytes) | < 1 KB |\n\
         | for comparison: the incident's JSON (`GET …/incidents/{{id}}`) | {full} bytes | |\n\n\
         The delta is `{}`: what changed and the version after it, the same size whatever the incident holds.\n",
        gz as f64 / 1024.0,
        raw as f64 / 1024.0,
        event.data
    );
    write_section(
        "webapp",
        "Webapp bundle and live updates",
        "make bench (cargo bench -p incident-tests --bench webapp)",
        &body,
    );
}
