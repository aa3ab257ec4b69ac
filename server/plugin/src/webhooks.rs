//! Outgoing webhooks, off the request path. The app queues a [`WebhookJob`] and returns; a worker started at
//! activation adds the links, signs the body and POSTs it with bounded retries, then records the outcome on the
//! incident's timeline as the bot. A slow or dead receiver never holds up a start or a status update.
//!
//! Wire format: `POST <url>` with `Content-Type: application/json`, `X-Incident-Event: <event>`,
//! `X-Incident-Timestamp: <unix seconds>` and, when the System Console has a webhook secret,
//! `X-Incident-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. Receivers should check the
//! signature and refuse old timestamps.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper_util::rt::TokioIo;
use incident_app::{App, Ctx, Outbox, WebhookJob};
use incident_core::UserId;
use incident_scheduler::retry::{self, Attempt};
use incident_scheduler::{Clock, SystemClock};
use mm::Api;
use sha2::Sha256;
use tokio::sync::{Semaphore, mpsc};

/// Pauses between attempts: four attempts over about ten seconds.
pub const BACKOFF_MS: &[u64] = &[500, 2_000, 8_000];
/// Longest wait for one attempt (connect, send, answer).
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
/// Webhooks queued at once; beyond that new ones are dropped (and logged) rather than growing memory.
pub const QUEUE: usize = 1_024;
/// Deliveries in flight at once.
pub const CONCURRENCY: usize = 8;

/// The signature header's value for `body` sent at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// The queue the app writes to; [`Webhooks::start`] drains it.
pub struct Webhooks {
    tx: mpsc::Sender<WebhookJob>,
    rx: Mutex<Option<mpsc::Receiver<WebhookJob>>>,
}

impl Default for Webhooks {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        Webhooks { tx, rx: Mutex::new(Some(rx)) }
    }
}

impl Outbox for Webhooks {
    fn send(&self, job: WebhookJob) {
        if let Err(e) = self.tx.try_send(job) {
            tracing::error!(error = %e, "the webhook queue is full or closed; a webhook was dropped");
        }
    }
}

/// What a delivery needs besides the job.
#[derive(Clone)]
struct Worker {
    app: Arc<App>,
    api: Api,
    bot: Arc<OnceLock<String>>,
    plugin_id: String,
}

impl Webhooks {
    /// Starts the worker (once; later calls do nothing).
    pub fn start(&self, app: Arc<App>, api: Api, bot: Arc<OnceLock<String>>, plugin_id: String) {
        let Some(mut rx) = self.rx.lock().unwrap_or_else(|p| p.into_inner()).take() else { return };
        let worker = Worker { app, api, bot, plugin_id };
        let slots = Arc::new(Semaphore::new(CONCURRENCY));
        tokio::spawn(async move {
            while let Some(job) = rx.recv().await {
                let Ok(permit) = slots.clone().acquire_owned().await else { return };
                let worker = worker.clone();
                tokio::spawn(async move {
                    worker.deliver(job).await;
                    drop(permit);
                });
            }
        });
    }
}

impl Worker {
    /// `<site>/<team>/channels/<channel>` and `<site>/<team>/<plugin id>/incidents/<id>`, best effort.
    async fn links(&self, job: &WebhookJob) -> (String, String) {
        let site = match self.api.get_config().await {
            Ok(config) => {
                config["ServiceSettings"]["SiteURL"].as_str().unwrap_or_default().trim_end_matches('/').to_owned()
            }
            Err(_) => String::new(),
        };
        let incident = &job.payload["incident"];
        let team = match incident["team_id"].as_str() {
            Some(id) => self.api.get_team(id).await.map(|t| t.name).unwrap_or_default(),
            None => String::new(),
        };
        let channel = match incident["channel_id"].as_str() {
            Some(id) => self.api.get_channel(id).await.map(|c| c.name).unwrap_or_default(),
            None => String::new(),
        };
        (
            format!("{site}/{team}/channels/{channel}"),
            format!("{site}/{team}/{}/incidents/{}", self.plugin_id, job.incident),
        )
    }

    async fn deliver(&self, job: WebhookJob) {
        let (channel_url, details_url) = self.links(&job).await;
        let mut payload = job.payload.clone();
        payload["channel_url"] = channel_url.into();
        payload["details_url"] = details_url.into();
        let body = Bytes::from(serde_json::to_vec(&payload).unwrap_or_default());
        let secret = crate::config::current().webhook_secret.clone();
        let uri: http::Uri = match job.url.parse() {
            Ok(u) => u,
            Err(e) => return self.record(&job, false, format!("the URL is invalid ({e})")).await,
        };
        let host = uri.host().unwrap_or_default().to_owned();
        let outcome = retry::with_backoff(&SystemClock, BACKOFF_MS, |_| {
            let (uri, body, secret, event) = (uri.clone(), body.clone(), secret.clone(), job.event.name());
            async move {
                let timestamp = SystemClock.now().millis() / 1000;
                let signature = (!secret.is_empty()).then(|| signature(&secret, timestamp, &body));
                match tokio::time::timeout(ATTEMPT_TIMEOUT, post(&uri, event, timestamp, signature, body)).await {
                    Err(_) => Attempt::Retry(format!("no answer within {} s", ATTEMPT_TIMEOUT.as_secs())),
                    Ok(Err(e)) => Attempt::Retry(e),
                    Ok(Ok(status)) if (200..300).contains(&status) => Attempt::Done(status),
                    Ok(Ok(status)) if status == 408 || status == 429 || status >= 500 => {
                        Attempt::Retry(format!("HTTP {status}"))
                    }
                    Ok(Ok(status)) => Attempt::GiveUp(format!("HTTP {status}")),
                }
            }
        })
        .await;
        let tries = match outcome.attempts {
            1 => "1 attempt".to_owned(),
            n => format!("{n} attempts"),
        };
        let unsigned = if secret.is_empty() { ", unsigned: no webhook secret is set" } else { "" };
        match outcome.result {
            Ok(status) => {
                self.record(&job, true, format!("{host} answered HTTP {status} after {tries}{unsigned}")).await
            }
            Err(why) => self.record(&job, false, format!("{host}: {why}, after {tries}; not retried further")).await,
        }
    }

    async fn record(&self, job: &WebhookJob, delivered: bool, detail: String) {
        tracing::info!(incident = %job.incident, event = job.event.name(), delivered, %detail, "webhook finished");
        let Some(bot) = self.bot.get().and_then(|b| UserId::try_from(b.as_str()).ok()) else { return };
        let ctx = Ctx { user: bot, team: None, channel: None, now: crate::ids::now() };
        if let Err(e) = self.app.record_webhook(&ctx, &job.incident, job.event, delivered, detail).await {
            tracing::warn!(error = %e, incident = %job.incident, "recording a webhook outcome failed");
        }
    }
}

/// One POST over plain HTTP/1.1; the status code, or why there was none.
async fn post(
    uri: &http::Uri,
    event: &str,
    timestamp: i64,
    signature: Option<String>,
    body: Bytes,
) -> Result<u16, String> {
    let host = uri.host().ok_or("the URL has no host")?;
    let port = uri.port_u16().unwrap_or(80);
    let stream = tokio::net::TcpStream::connect((host, port)).await.map_err(|e| format!("cannot connect ({e})"))?;
    let _ = stream.set_nodelay(true);
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| format!("HTTP failed ({e})"))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let authority = uri.authority().map(ToString::to_string).unwrap_or_else(|| host.to_owned());
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let mut request = http::Request::post(path)
        .header(http::header::HOST, authority)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(http::header::USER_AGENT, "incident-collaboration-webhook")
        .header("X-Incident-Event", event)
        .header("X-Incident-Timestamp", timestamp.to_string());
    if let Some(signature) = signature {
        request = request.header("X-Incident-Signature", signature);
    }
    let request = request.body(Full::new(body)).map_err(|e| format!("bad request ({e})"))?;
    let response = sender.send_request(request).await.map_err(|e| format!("HTTP failed ({e})"))?;
    Ok(response.status().as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_over_timestamp_dot_body() {
        let sig = signature("Jefe", 0, b"what do ya want for nothing?");
        // HMAC-SHA256("Jefe", "0.what do ya want for nothing?"), computed independently with Python's hmac module.
        assert_eq!(sig, "sha256=37f471929915ccd2cbbe79feb84ffcff4f2bb25e15fc41c2506687331ae179cc");
        assert_ne!(sig, signature("Jefe", 1, b"what do ya want for nothing?"), "the timestamp is signed");
        assert_ne!(sig, signature("Jeff", 0, b"what do ya want for nothing?"), "the key matters");
    }
}
