//! Starts one plugin process the way the server does: interpreter lookup, env, handshake, stderr → log, dial + health.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tonic::transport::{Channel, Endpoint};
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};

/// go-plugin's StartTimeout for gRPC plugins.
pub const START_TIMEOUT: Duration = Duration::from_secs(10);
/// The magic cookie of Mattermost's handshake config.
pub const MAGIC_COOKIE_KEY: &str = "MATTERMOST_PLUGIN";
pub const MAGIC_COOKIE_VALUE: &str = "Securely message teams, anywhere.";
const STDERR_TAIL_LINES: usize = 20;

/// Why a plugin process could not be started and reached.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    #[error(
        "no Python interpreter for the plugin in {0}: looked for venv/bin/python, venv/bin/python3, .venv/bin/python, .venv/bin/python3, then python3/python on PATH"
    )]
    NoInterpreter(PathBuf),
    #[error("could not start {program}: {source}")]
    Spawn { program: PathBuf, source: std::io::Error },
    #[error("the plugin did not print its handshake line within {secs} s (timeout while waiting for plugin to start){}", tail(.stderr))]
    HandshakeTimeout { secs: u64, stderr: Vec<String> },
    #[error("the plugin exited before its handshake ({status}){}", tail(.stderr))]
    ExitedEarly { status: String, stderr: Vec<String> },
    #[error("bad handshake line {line:?}: {reason}; expected \"1|1|tcp|127.0.0.1:PORT|grpc\"")]
    BadHandshake { line: String, reason: String },
    #[error("could not connect to the plugin at {addr}: {reason}")]
    Dial { addr: SocketAddr, reason: String },
    #[error("the plugin's health check failed: {0}")]
    Health(String),
}

fn tail(lines: &[String]) -> String {
    if lines.is_empty() { String::new() } else { format!("; last stderr lines:\n{}", lines.join("\n")) }
}

/// A started plugin process with its gRPC channel.
#[derive(Debug)]
pub struct Launched {
    pub child: Child,
    /// Held open so the plugin sees EOF on stdin only when the host goes away.
    pub stdin: Option<ChildStdin>,
    pub addr: SocketAddr,
    pub channel: Channel,
    pub stderr_tail: Arc<Mutex<VecDeque<String>>>,
}

/// What to start.
#[derive(Debug, Clone)]
pub struct LaunchSpec {
    pub plugin_dir: PathBuf,
    pub executable: String,
    pub api_addr: SocketAddr,
    pub plugin_id: String,
    pub node: usize,
    pub start_timeout: Duration,
}

/// The interpreter the server would use: the plugin's venv first, then `python3`/`python` on PATH.
pub fn find_interpreter(plugin_dir: &Path) -> Option<PathBuf> {
    for rel in ["venv/bin/python", "venv/bin/python3", ".venv/bin/python", ".venv/bin/python3"] {
        let candidate = plugin_dir.join(rel);
        if candidate.exists() {
            return Some(candidate);
        }
    }
    let path = std::env::var_os("PATH")?;
    for name in ["python3", "python"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Parses go-plugin's `CORE|APP|NETWORK|ADDR|PROTOCOL` line.
pub fn parse_handshake(line: &str) -> Result<SocketAddr, LaunchError> {
    let bad = |reason: &str| LaunchError::BadHandshake { line: line.to_string(), reason: reason.to_string() };
    let parts: Vec<&str> = line.trim().split('|').collect();
    if parts.len() < 4 {
        return Err(bad("unrecognized remote plugin message"));
    }
    if parts[0] != "1" {
        return Err(bad("core protocol version must be 1"));
    }
    if parts[1] != "1" {
        return Err(bad("app protocol version must be 1"));
    }
    if parts[2] != "tcp" {
        return Err(bad("only the tcp network is supported by the dev host"));
    }
    let addr: SocketAddr = parts[3].parse().map_err(|_| bad("the address is not HOST:PORT"))?;
    match parts.get(4) {
        Some(&"grpc") => {}
        Some(_) | None => return Err(bad("the protocol must be grpc (netrpc plugins are not supported)")),
    }
    if parts.len() > 5 {
        return Err(bad("AutoMTLS certificates are not supported"));
    }
    Ok(addr)
}

fn forward_stderr_line(plugin_id: &str, node: usize, line: &str) {
    let trimmed = line.trim_end();
    if trimmed.is_empty() {
        return;
    }
    let (level, message) = match serde_json::from_str::<serde_json::Value>(trimmed) {
        Ok(serde_json::Value::Object(map)) if map.contains_key("@message") => {
            let level = map.get("@level").and_then(|v| v.as_str()).unwrap_or("debug").to_lowercase();
            let mut msg = map.get("@message").and_then(|v| v.as_str()).unwrap_or_default().to_string();
            for (k, v) in &map {
                if !k.starts_with('@') {
                    msg.push_str(&format!(" {k}={v}"));
                }
            }
            (level, msg)
        }
        _ => {
            let prefixes = [
                ("[TRACE]", "trace"),
                ("[DEBUG]", "debug"),
                ("[INFO]", "info"),
                ("[WARN]", "warn"),
                ("[ERROR]", "error"),
            ];
            prefixes
                .iter()
                .find_map(|(p, l)| trimmed.strip_prefix(p).map(|rest| (l.to_string(), rest.trim().to_string())))
                .unwrap_or_else(|| ("debug".to_string(), trimmed.to_string()))
        }
    };
    match level.as_str() {
        "trace" => tracing::trace!(plugin_id, node, "{message}"),
        "info" => tracing::info!(plugin_id, node, "{message}"),
        "warn" | "warning" => tracing::warn!(plugin_id, node, "{message}"),
        "error" => tracing::error!(plugin_id, node, "{message}"),
        _ => tracing::debug!(plugin_id, node, "{message}"),
    }
}

/// Starts `[interpreter, executable]`, waits for the handshake, dials and checks health.
pub async fn launch(spec: &LaunchSpec) -> Result<Launched, LaunchError> {
    let interpreter =
        find_interpreter(&spec.plugin_dir).ok_or_else(|| LaunchError::NoInterpreter(spec.plugin_dir.clone()))?;
    let mut child = Command::new(&interpreter)
        .arg(&spec.executable)
        .current_dir(&spec.plugin_dir)
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .env("PLUGIN_PROTOCOL_VERSIONS", "1")
        .env("MATTERMOST_PLUGIN_API_TARGET", spec.api_addr.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|source| LaunchError::Spawn { program: interpreter.clone(), source })?;
    let stdin = child.stdin.take();
    let stderr_tail = Arc::new(Mutex::new(VecDeque::new()));
    let stderr_task = child.stderr.take().map(|stderr| {
        let tail = Arc::clone(&stderr_tail);
        let plugin_id = spec.plugin_id.clone();
        let node = spec.node;
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                forward_stderr_line(&plugin_id, node, &line);
                let mut t = tail.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if t.len() == STDERR_TAIL_LINES {
                    t.pop_front();
                }
                t.push_back(line);
            }
        })
    });
    let snapshot = |tail: &Arc<Mutex<VecDeque<String>>>| -> Vec<String> {
        tail.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter().cloned().collect()
    };
    let Some(stdout) = child.stdout.take() else {
        return Err(LaunchError::Health("stdout was not captured".into()));
    };
    let mut lines = BufReader::new(stdout).lines();
    let first = tokio::time::timeout(spec.start_timeout, lines.next_line()).await;
    let line = match first {
        Err(_) => {
            let _ = child.start_kill();
            let _ = child.wait().await;
            return Err(LaunchError::HandshakeTimeout {
                secs: spec.start_timeout.as_secs(),
                stderr: snapshot(&stderr_tail),
            });
        }
        Ok(Ok(Some(line))) => line,
        Ok(Ok(None) | Err(_)) => {
            let status = match tokio::time::timeout(Duration::from_secs(2), child.wait()).await {
                Ok(Ok(status)) => status.to_string(),
                _ => {
                    let _ = child.start_kill();
                    "it closed its stdout".to_string()
                }
            };
            if let Some(task) = stderr_task {
                let _ = tokio::time::timeout(Duration::from_secs(1), task).await;
            }
            return Err(LaunchError::ExitedEarly { status, stderr: snapshot(&stderr_tail) });
        }
    };
    let addr = match parse_handshake(&line) {
        Ok(addr) => addr,
        Err(e) => {
            let _ = child.start_kill();
            let _ = child.wait().await;
            return Err(e);
        }
    };
    // Everything printed on stdout after the handshake is read and thrown away, as go-plugin does.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let channel = match dial(addr).await {
        Ok(c) => c,
        Err(e) => {
            let _ = child.start_kill();
            let _ = child.wait().await;
            return Err(e);
        }
    };
    if let Err(e) = check_health(&channel).await {
        let _ = child.start_kill();
        let _ = child.wait().await;
        return Err(e);
    }
    Ok(Launched { child, stdin, addr, channel, stderr_tail })
}

async fn dial(addr: SocketAddr) -> Result<Channel, LaunchError> {
    let endpoint = Endpoint::from_shared(format!("http://{addr}"))
        .map_err(|e| LaunchError::Dial { addr, reason: e.to_string() })?
        .connect_timeout(Duration::from_secs(5));
    endpoint.connect().await.map_err(|e| LaunchError::Dial { addr, reason: e.to_string() })
}

/// go-plugin's Ping: `Health/Check{service:"plugin"}` must answer SERVING.
pub async fn check_health(channel: &Channel) -> Result<(), LaunchError> {
    let mut client = HealthClient::new(channel.clone());
    let mut request = tonic::Request::new(HealthCheckRequest { service: "plugin".into() });
    request.set_timeout(Duration::from_secs(5));
    let answer = tokio::time::timeout(Duration::from_secs(5), client.check(request))
        .await
        .map_err(|_| LaunchError::Health("no answer within 5 s".into()))?
        .map_err(|s| LaunchError::Health(format!("{}: {}", s.code(), s.message())))?;
    let status = answer.into_inner().status;
    if status == ServingStatus::Serving as i32 {
        Ok(())
    } else {
        Err(LaunchError::Health(format!("service \"plugin\" is not SERVING (status {status})")))
    }
}
