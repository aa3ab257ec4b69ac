//! Playbook webhooks through the real plugin under the dev host, against a real HTTP receiver on loopback: the
//! creation webhook is refused twice (503) and taken on the third attempt, signed with the System Console secret;
//! the outcome lands on the timeline; a receiver that answers 410 is given up on at once; the status-update webhook
//! carries the update; a private incident sends nothing.

use std::time::Duration;

use crate::fresh_host::host;
use devhost::DevHost;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

const PLUGIN_ID: &str = "org.incidentcollab.incidents";
const SECRET: &str = "s3cret-for-the-matrix";

/// One request as the receiver saw it.
#[derive(Debug)]
struct Received {
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// A loopback HTTP/1.1 receiver that answers the n-th request (0-based) with `status(n)`, and reports each one.
async fn receiver(status: fn(usize) -> u16) -> (String, mpsc::UnboundedReceiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks/incidents", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut n = 0;
        while let Ok((stream, _)) = listener.accept().await {
            let answer = status(n);
            n += 1;
            if let Some(request) = answer_one(stream, answer).await {
                let _ = tx.send(request);
            }
        }
    });
    (url, rx)
}

/// Reads one request (head, then `Content-Length` bytes) and answers `status` with `Connection: close`.
async fn answer_one(mut stream: TcpStream, status: u16) -> Option<Received> {
    let mut buf = Vec::new();
    let head_end = loop {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_owned();
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())).collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let reply = format!("HTTP/1.1 {status} Status\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
    let _ = stream.write_all(reply.as_bytes()).await;
    let _ = stream.shutdown().await;
    Some(Received { path, headers, body })
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Received>) -> Received {
    tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("a webhook within 30 s")
        .expect("the receiver is running")
}

async fn http(host: &DevHost, user: &str, method: &str, path: &str, body: Value) -> (u16, Value) {
    let bytes = if body.is_null() { Vec::new() } else { serde_json::to_vec(&body).unwrap() };
    let r = host.serve_http(Some(user), method, path, bytes).await;
    (r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
}

/// The incident's timeline once it holds an event of `kind` (the worker records the outcome after the answer).
async fn timeline_with(host: &DevHost, id: &str, kind: &str) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let (status, body) = http(host, "alice", "GET", &format!("/api/v0/incidents/{id}/timeline"), Value::Null).await;
        assert_eq!(status, 200, "{body}");
        let events = body.as_array().cloned().unwrap_or_default();
        if events.iter().any(|e| e["kind"] == kind) {
            return events;
        }
        assert!(tokio::time::Instant::now() < deadline, "no {kind} on the timeline: {body}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn expected_signature(timestamp: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_are_signed_retried_and_recorded_and_never_sent_for_private_incidents() {
    let host = host("webhooks-e2e").await;
    host.store().set_plugin_setting(PLUGIN_ID, "WebhookSecret", &json!(SECRET)).unwrap();
    host.store().set_plugin_setting(PLUGIN_ID, "EnablePrivateIncidents", &json!(true)).unwrap();
    host.restart_plugin().await.unwrap();
    let team = host.store().get_team_by_name("dev").unwrap().id;

    // Twice 503, then 200 for everything after.
    let (flaky, mut flaky_rx) = receiver(|n| if n < 2 { 503 } else { 200 }).await;
    let (gone, mut gone_rx) = receiver(|_| 410).await;
    let playbook = |title: &str, create: &str, update: &str| {
        json!({
            "title": title,
            "checklists": [{ "title": "Triage", "items": [{ "title": "Page the DBA" }] }],
            "automation": { "create_webhook_url": create, "update_webhook_url": update },
        })
    };
    let list = format!("/api/v0/playbooks?team_id={team}");
    let (status, pb) = http(&host, "alice", "POST", &list, playbook("Outage", &flaky, &flaky)).await;
    assert_eq!(status, 201, "{pb}");
    let outage = pb["id"].as_str().unwrap().to_owned();
    let (status, pb) = http(&host, "alice", "POST", &list, playbook("Gone", &gone, &gone)).await;
    assert_eq!(status, 201, "{pb}");
    let gone_playbook = pb["id"].as_str().unwrap().to_owned();

    // The start answers at once; the webhook follows off the request path.
    let (status, started) = http(
        &host,
        "alice",
        "POST",
        "/api/v0/incidents",
        json!({ "name": "Database down", "team_id": team, "playbook_id": outage }),
    )
    .await;
    assert_eq!(status, 201, "{started}");
    let id = started["id"].as_str().unwrap().to_owned();

    let attempts = [next(&mut flaky_rx).await, next(&mut flaky_rx).await, next(&mut flaky_rx).await];
    for request in &attempts {
        assert_eq!(request.path, "/hooks/incidents");
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(request.header("x-incident-event"), Some("incident_created"));
        let timestamp = request.header("x-incident-timestamp").expect("a timestamp");
        assert_eq!(
            request.header("x-incident-signature"),
            Some(expected_signature(timestamp, &request.body).as_str()),
            "the signature verifies with the secret"
        );
        assert_ne!(
            request.header("x-incident-signature"),
            Some(expected_signature("0", &request.body).as_str()),
            "the timestamp is part of what is signed"
        );
    }
    let body = attempts[2].json();
    assert_eq!(body["event"], "incident_created");
    assert_eq!(body["incident"]["id"], json!(id));
    assert_eq!(body["incident"]["name"], "Database down");
    assert_eq!(body["incident"]["commander"]["username"], "alice");
    assert_eq!((body["incident"]["tasks_done"].as_u64(), body["incident"]["tasks_total"].as_u64()), (Some(0), Some(1)));
    let channel = body["incident"]["channel_id"].as_str().unwrap();
    let channel_name = host.store().get_channel(channel).unwrap().name;
    let site = body["channel_url"].as_str().unwrap().split("/dev/channels/").next().unwrap().to_owned();
    assert!(site.starts_with("http://"), "{body}");
    assert_eq!(body["channel_url"], format!("{site}/dev/channels/{channel_name}"));
    assert_eq!(body["details_url"], format!("{site}/dev/{PLUGIN_ID}/incidents/{id}"));

    let events = timeline_with(&host, &id, "webhook_delivered").await;
    let delivered = events.iter().find(|e| e["kind"] == "webhook_delivered").unwrap();
    let summary = delivered["summary"].as_str().unwrap();
    assert!(summary.contains("127.0.0.1 answered HTTP 200 after 3 attempts"), "{summary}");
    assert!(!summary.contains("unsigned"), "{summary}");

    // A status update goes out with the update in it (the receiver now takes everything first time).
    let (status, body) =
        http(&host, "alice", "POST", &format!("/api/v0/incidents/{id}/status"), json!({ "message": "Failing over." }))
            .await;
    assert_eq!(status, 200, "{body}");
    let update = next(&mut flaky_rx).await;
    assert_eq!(update.header("x-incident-event"), Some("status_updated"));
    assert_eq!(update.json()["status_update"]["message"], "Failing over.");
    let events = timeline_with(&host, &id, "status_updated").await;
    assert!(events.iter().filter(|e| e["kind"] == "webhook_delivered").count() <= 2);

    // A receiver that answers 410 is not retried; the timeline says it failed and why.
    let (status, started) = http(
        &host,
        "alice",
        "POST",
        "/api/v0/incidents",
        json!({ "name": "Cache down", "team_id": team, "playbook_id": gone_playbook }),
    )
    .await;
    assert_eq!(status, 201, "{started}");
    let cache = started["id"].as_str().unwrap().to_owned();
    next(&mut gone_rx).await;
    let events = timeline_with(&host, &cache, "webhook_failed").await;
    let failed = events.iter().find(|e| e["kind"] == "webhook_failed").unwrap();
    let summary = failed["summary"].as_str().unwrap();
    assert!(summary.contains("HTTP 410, after 1 attempt; not retried further"), "{summary}");

    // A private incident from the same playbook sends nothing, neither at the start nor on an update. A public
    // start queued after it is the next request the receiver sees.
    let (status, private) = http(
        &host,
        "alice",
        "POST",
        "/api/v0/incidents",
        json!({ "name": "Breach", "team_id": team, "playbook_id": outage, "visibility": "private" }),
    )
    .await;
    assert_eq!(status, 201, "{private}");
    let breach = private["id"].as_str().unwrap().to_owned();
    let (status, body) =
        http(&host, "alice", "POST", &format!("/api/v0/incidents/{breach}/status"), json!({ "message": "Contained." }))
            .await;
    assert_eq!(status, 200, "{body}");
    let (status, started) = http(
        &host,
        "alice",
        "POST",
        "/api/v0/incidents",
        json!({ "name": "API down", "team_id": team, "playbook_id": outage }),
    )
    .await;
    assert_eq!(status, 201, "{started}");
    let request = next(&mut flaky_rx).await;
    let body = request.json();
    assert_eq!(body["incident"]["id"], started["id"], "only the public incident's webhook arrives: {body}");
    assert!(!String::from_utf8_lossy(&request.body).contains("Breach"));
    assert!(flaky_rx.try_recv().is_err(), "nothing else was sent");
    let (_, events) = http(&host, "alice", "GET", &format!("/api/v0/incidents/{breach}/timeline"), Value::Null).await;
    assert!(events.as_array().unwrap().iter().all(|e| !e["kind"].as_str().unwrap().starts_with("webhook")), "{events}");
    host.stop().await;
}
