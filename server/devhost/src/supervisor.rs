//! Runs N copies (nodes) of the plugin: API server per node, activation, health pings, restarts, stop.

use std::collections::{BTreeSet, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use mm::pb::goplugin::{Empty, grpc_controller_client::GrpcControllerClient};
use mm::pb::v1::plugin_hooks_client::PluginHooksClient;
use mm::pb::v1::{ImplementedRequest, OnActivateRequest, OnDeactivateRequest};
use serde_json::json;
use tokio::sync::oneshot;
use tonic::transport::Channel;

use crate::context::{PluginState, PluginStatus, Shared};
use crate::events::Broadcast;
use crate::hooks::deadline;
use crate::launch::{LaunchSpec, Launched, check_health, launch};

/// Restarts allowed within [`RESTART_WINDOW`] before the plugin is marked failed (the server's rule).
pub const MAX_RESTARTS: usize = 3;
pub const RESTART_WINDOW: Duration = Duration::from_secs(3600);
/// go-plugin waits this long after Shutdown before it kills the process.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// Largest gRPC message the host accepts from or sends to the plugin.
pub const MAX_MESSAGE: usize = 64 * 1024 * 1024;

/// A node's lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeState {
    Starting,
    Active,
    Failed(String),
    Stopped,
}

/// The hooks client of a running node and the hooks it implements.
#[derive(Debug, Clone)]
pub struct Conn {
    pub hooks: PluginHooksClient<Channel>,
    pub channel: Channel,
    pub implemented: Arc<BTreeSet<String>>,
}

/// One plugin process and its PluginAPI server.
#[derive(Debug)]
pub struct Node {
    pub index: usize,
    pub api_addr: SocketAddr,
    /// PluginAPI calls received on this node's server (hook attribution reads it around each hook call).
    pub api_calls: AtomicU64,
    api_shutdown: Mutex<Option<oneshot::Sender<()>>>,
    conn: RwLock<Option<Conn>>,
    process: tokio::sync::Mutex<Option<Launched>>,
    state: Mutex<NodeState>,
    restarts: Mutex<VecDeque<Instant>>,
}

impl Node {
    pub fn conn(&self) -> Option<Conn> {
        self.conn.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
    fn set_conn(&self, conn: Option<Conn>) {
        *self.conn.write().unwrap_or_else(std::sync::PoisonError::into_inner) = conn;
    }
    pub fn state(&self) -> NodeState {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
    /// The OS process id of the node's plugin process, while one runs.
    pub async fn pid(&self) -> Option<u32> {
        self.process.lock().await.as_ref().and_then(|p| p.child.id())
    }
    fn set_state(&self, s: NodeState) {
        *self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = s;
    }
}

/// The set of nodes and the aggregated plugin status.
#[derive(Debug)]
pub struct Supervisor {
    nodes: RwLock<Vec<Arc<Node>>>,
    rr: AtomicUsize,
    stopping: AtomicBool,
    /// A failure before any node exists (bundle or manifest problem).
    load_error: Mutex<Option<String>>,
    status: Mutex<Option<PluginStatus>>,
    pub health_interval: Duration,
    pub start_timeout: Duration,
    pub node_count: usize,
}

impl Supervisor {
    pub fn new(node_count: usize, health_interval: Duration, start_timeout: Duration) -> Self {
        Self {
            nodes: RwLock::new(Vec::new()),
            rr: AtomicUsize::new(0),
            stopping: AtomicBool::new(false),
            load_error: Mutex::new(None),
            status: Mutex::new(None),
            health_interval,
            start_timeout,
            node_count: node_count.max(1),
        }
    }

    pub fn nodes(&self) -> Vec<Arc<Node>> {
        self.nodes.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// The next active node, round-robin.
    pub fn pick(&self) -> Option<(Arc<Node>, Conn)> {
        let nodes = self.nodes();
        if nodes.is_empty() {
            return None;
        }
        let start = self.rr.fetch_add(1, Ordering::Relaxed);
        (0..nodes.len()).find_map(|k| {
            let node = &nodes[(start + k) % nodes.len()];
            if node.state() != NodeState::Active {
                return None;
            }
            node.conn().map(|c| (Arc::clone(node), c))
        })
    }

    pub fn set_load_error(&self, message: String) {
        *self.load_error.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(message);
    }
}

/// The aggregated status of all nodes.
pub fn status(shared: &Shared) -> PluginStatus {
    let (id, version) =
        shared.plugin.get().map(|p| (p.manifest.id.clone(), p.manifest.version.clone())).unwrap_or_default();
    let sup = &shared.sup;
    let mk = |state, message: String| PluginStatus {
        id: id.clone(),
        version: version.clone(),
        state,
        message,
        nodes: sup.node_count,
    };
    if let Some(err) = sup.load_error.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone() {
        return mk(PluginState::Failed, err);
    }
    if sup.stopping.load(Ordering::SeqCst) {
        return mk(PluginState::Stopped, "stopped".into());
    }
    let states: Vec<NodeState> = sup.nodes().iter().map(|n| n.state()).collect();
    if states.is_empty() {
        return mk(PluginState::Starting, "starting".into());
    }
    let failures: Vec<String> = states
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            NodeState::Failed(m) => Some(if states.len() > 1 { format!("node {i}: {m}") } else { m.clone() }),
            _ => None,
        })
        .collect();
    let active = states.iter().filter(|s| **s == NodeState::Active).count();
    if states.contains(&NodeState::Starting) {
        mk(PluginState::Starting, "starting".into())
    } else if active == states.len() {
        mk(PluginState::Active, format!("active on {active} node(s)"))
    } else if active > 0 {
        mk(PluginState::Active, format!("active on {active} of {} nodes; {}", states.len(), failures.join("; ")))
    } else if failures.is_empty() {
        mk(PluginState::Stopped, "stopped".into())
    } else {
        mk(PluginState::Failed, failures.join("; "))
    }
}

/// Recomputes the status and pushes `plugin_statuses_changed` when it changed.
pub fn publish_status(shared: &Shared) {
    let now = status(shared);
    let mut last = shared.sup.status.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if last.as_ref() != Some(&now) {
        match now.state {
            PluginState::Failed => tracing::error!(plugin_id = %now.id, "plugin failed: {}", now.message),
            _ => tracing::info!(plugin_id = %now.id, state = ?now.state, "{}", now.message),
        }
        shared.events.publish("plugin_statuses_changed", json!({ "state": now }), Broadcast::default());
        *last = Some(now);
    }
}

/// Creates the nodes (one PluginAPI server each), activates them all and starts the health loop.
pub async fn start(shared: &Arc<Shared>) {
    if shared.plugin.get().is_none() {
        publish_status(shared);
        return;
    }
    let mut nodes = Vec::new();
    for index in 0..shared.sup.node_count {
        match crate::api::serve(Arc::clone(shared), index).await {
            Ok((api_addr, shutdown)) => nodes.push(Arc::new(Node {
                index,
                api_addr,
                api_calls: AtomicU64::new(0),
                api_shutdown: Mutex::new(Some(shutdown)),
                conn: RwLock::new(None),
                process: tokio::sync::Mutex::new(None),
                state: Mutex::new(NodeState::Starting),
                restarts: Mutex::new(VecDeque::new()),
            })),
            Err(e) => {
                shared.sup.set_load_error(format!("could not start the PluginAPI server: {e}"));
                publish_status(shared);
                return;
            }
        }
    }
    *shared.sup.nodes.write().unwrap_or_else(std::sync::PoisonError::into_inner) = nodes.clone();
    publish_status(shared);
    futures::future::join_all(nodes.iter().map(|n| activate(shared, n))).await;
    publish_status(shared);
    let weak = Arc::downgrade(shared);
    tokio::spawn(health_loop(weak));
}

/// Launches the node's process, calls Implemented and OnActivate; on failure the node is Failed.
async fn activate(shared: &Arc<Shared>, node: &Arc<Node>) {
    node.set_state(NodeState::Starting);
    publish_status(shared);
    let result = try_activate(shared, node).await;
    if shared.sup.stopping.load(Ordering::SeqCst) {
        return;
    }
    match result {
        Ok(()) => node.set_state(NodeState::Active),
        Err(message) => {
            tracing::error!(plugin_id = shared.plugin_id(), node = node.index, "plugin activation failed: {message}");
            node.set_conn(None);
            kill_process(node).await;
            node.set_state(NodeState::Failed(message));
        }
    }
    publish_status(shared);
}

async fn try_activate(shared: &Arc<Shared>, node: &Arc<Node>) -> Result<(), String> {
    let plugin = shared.plugin.get().ok_or("no plugin loaded")?;
    let spec = LaunchSpec {
        plugin_dir: plugin.dir.clone(),
        executable: plugin.manifest.executable().to_string(),
        api_addr: node.api_addr,
        plugin_id: plugin.manifest.id.clone(),
        node: node.index,
        start_timeout: shared.sup.start_timeout,
    };
    let launched = launch(&spec).await.map_err(|e| e.to_string())?;
    let channel = launched.channel.clone();
    *node.process.lock().await = Some(launched);
    let mut hooks = PluginHooksClient::new(channel.clone())
        .max_decoding_message_size(MAX_MESSAGE)
        .max_encoding_message_size(MAX_MESSAGE);
    let implemented =
        tokio::time::timeout(crate::hooks::HOOK_TIMEOUT, hooks.implemented(deadline(ImplementedRequest::default())))
            .await
            .map_err(|_| "Implemented did not answer within 30 s".to_string())?
            .map_err(|s| format!("Implemented failed: {}: {}", s.code(), s.message()))?
            .into_inner();
    if let Some(e) = implemented.error.filter(|e| !e.id.is_empty()) {
        return Err(format!("Implemented returned an error: {} {}", e.id, e.detailed_error));
    }
    let set: BTreeSet<String> = implemented.hooks.into_iter().collect();
    tracing::info!(plugin_id = %plugin.manifest.id, node = node.index, hooks = ?set, "plugin implements");
    let conn = Conn { hooks, channel, implemented: Arc::new(set) };
    node.set_conn(Some(conn.clone()));
    if conn.implemented.contains("OnActivate") {
        let answer = crate::hooks::call(shared, node, &conn, "OnActivate", |mut h| async move {
            h.on_activate(deadline(OnActivateRequest::default())).await
        })
        .await
        .map_err(|e| format!("OnActivate failed: {e}"))?;
        if let Some(e) = answer.error.filter(|e| !e.id.is_empty()) {
            return Err(format!("OnActivate returned an error: {} {}", e.id, e.detailed_error).trim().to_string());
        }
    }
    Ok(())
}

/// OnDeactivate (if implemented), GRPCController.Shutdown, wait 2 s, then kill.
async fn deactivate(shared: &Arc<Shared>, node: &Arc<Node>) {
    if let Some(conn) = node.conn() {
        if conn.implemented.contains("OnDeactivate") {
            let r = crate::hooks::call(shared, node, &conn, "OnDeactivate", |mut h| async move {
                h.on_deactivate(deadline(OnDeactivateRequest::default())).await
            })
            .await;
            match r {
                Ok(a) => {
                    if let Some(e) = a.error.filter(|e| !e.id.is_empty()) {
                        tracing::warn!(
                            node = node.index,
                            "OnDeactivate returned an error: {} {}",
                            e.id,
                            e.detailed_error
                        );
                    }
                }
                Err(e) => tracing::warn!(node = node.index, "OnDeactivate failed: {e}"),
            }
        }
        let mut controller = GrpcControllerClient::new(conn.channel.clone());
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, controller.shutdown(Empty {})).await;
    }
    node.set_conn(None);
    let mut guard = node.process.lock().await;
    if let Some(mut p) = guard.take()
        && tokio::time::timeout(SHUTDOWN_GRACE, p.child.wait()).await.is_err()
    {
        let _ = p.child.start_kill();
        let _ = p.child.wait().await;
    }
}

async fn kill_process(node: &Node) {
    if let Some(mut p) = node.process.lock().await.take() {
        let _ = p.child.start_kill();
        let _ = p.child.wait().await;
    }
}

/// Restarts done by the health check in the last hour, summed over nodes.
pub fn restart_count(shared: &Shared) -> usize {
    shared.sup.nodes().iter().map(|n| n.restarts.lock().unwrap_or_else(std::sync::PoisonError::into_inner).len()).sum()
}

/// SIGKILLs a node's process without telling anyone (restart tests); the health check notices.
pub async fn kill_node(shared: &Shared, index: usize) -> Result<(), String> {
    let node = shared.sup.nodes().get(index).cloned().ok_or_else(|| format!("no node {index}"))?;
    let mut guard = node.process.lock().await;
    let p = guard.as_mut().ok_or_else(|| format!("node {index} has no running process"))?;
    p.child.start_kill().map_err(|e| e.to_string())?;
    let _ = p.child.wait().await;
    Ok(())
}

/// Pings every active node each interval (3 tries); restarts dead ones within the restart budget.
async fn health_loop(shared: std::sync::Weak<Shared>) {
    let interval = match shared.upgrade() {
        Some(s) => s.sup.health_interval,
        None => return,
    };
    loop {
        tokio::time::sleep(interval).await;
        let Some(shared) = shared.upgrade() else { return };
        if shared.sup.stopping.load(Ordering::SeqCst) {
            return;
        }
        for node in shared.sup.nodes() {
            if node.state() != NodeState::Active {
                continue;
            }
            let Some(conn) = node.conn() else { continue };
            let mut healthy = false;
            for _ in 0..3 {
                if check_health(&conn.channel).await.is_ok() {
                    healthy = true;
                    break;
                }
            }
            if !healthy {
                restart(&shared, &node).await;
            }
        }
    }
}

async fn restart(shared: &Arc<Shared>, node: &Arc<Node>) {
    let allowed = {
        let mut r = node.restarts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        r.retain(|t| t.elapsed() < RESTART_WINDOW);
        if r.len() >= MAX_RESTARTS {
            false
        } else {
            r.push_back(Instant::now());
            true
        }
    };
    node.set_conn(None);
    kill_process(node).await;
    if !allowed {
        node.set_state(NodeState::Failed(format!(
            "the plugin stopped answering health checks and was restarted {MAX_RESTARTS} times within an hour; giving up"
        )));
        publish_status(shared);
        return;
    }
    tracing::warn!(plugin_id = shared.plugin_id(), node = node.index, "plugin failed its health check; restarting");
    activate(shared, node).await;
}

/// Deactivates and stops every node that runs, then activates every node again (disable + enable).
pub async fn restart_all(shared: &Arc<Shared>) -> Result<(), String> {
    if shared.sup.stopping.load(Ordering::SeqCst) {
        return Err("the dev host is stopping".into());
    }
    let nodes = shared.sup.nodes();
    if nodes.is_empty() {
        return Err(status(shared).message);
    }
    // Starting keeps the health loop away from a node while it is taken down on purpose.
    for node in &nodes {
        node.set_state(NodeState::Starting);
    }
    publish_status(shared);
    futures::future::join_all(nodes.iter().map(|n| deactivate(shared, n))).await;
    futures::future::join_all(nodes.iter().map(|n| activate(shared, n))).await;
    Ok(())
}

/// Stops every node cleanly and shuts the PluginAPI servers down.
pub async fn stop(shared: &Arc<Shared>) {
    let nodes = shared.sup.nodes();
    shared.sup.stopping.store(true, Ordering::SeqCst);
    futures::future::join_all(nodes.iter().map(|n| deactivate(shared, n))).await;
    for node in &nodes {
        node.set_state(NodeState::Stopped);
        if let Some(tx) = node.api_shutdown.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
            let _ = tx.send(());
        }
    }
    if let Some(p) = shared.plugin.get()
        && let Err(e) = shared.store.unregister_plugin_commands(&p.manifest.id)
    {
        tracing::warn!("could not unregister the plugin's commands: {e}");
    }
    publish_status(shared);
}
