//! `DevHost`: the library entry point used by `main.rs`, end-to-end tests and benchmarks.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde_json::Value;
use tokio::sync::{broadcast, oneshot};

use crate::api::convert::ApiError;
use crate::context::{PluginStatus, Shared};
use crate::counters::ApiCalls;
use crate::events::WsEvent;
use crate::faults::{Fault, FaultError};
use crate::interactions::{self, DialogSubmission};
use crate::servehttp::{PluginRequest, PluginResponse};
use crate::store::{SEED_TEAM, Store, StoreError};
use crate::supervisor::{self, Supervisor};

/// How to start a dev host.
#[derive(Debug, Clone)]
pub struct DevHostConfig {
    /// A bundle `.tar.gz` or a plugin directory.
    pub bundle_or_dir: PathBuf,
    /// Holds `devhost.db` and extracted bundles.
    pub data_dir: PathBuf,
    /// Web port on 127.0.0.1 (0 = any free port).
    pub port: u16,
    /// Plugin processes (HA cluster nodes) sharing the one store.
    pub nodes: usize,
    /// Where `devhost.js` (the page bundle) lives.
    pub page_dir: PathBuf,
    /// How often each node is pinged (the server uses 30 s).
    pub health_interval: Duration,
    /// How long to wait for the handshake line (the server uses 10 s).
    pub start_timeout: Duration,
}

impl DevHostConfig {
    /// Defaults: any free port, one node, `webapp/dist`, 30 s health interval, 10 s start timeout.
    pub fn new(bundle_or_dir: impl Into<PathBuf>, data_dir: impl Into<PathBuf>) -> Self {
        Self {
            bundle_or_dir: bundle_or_dir.into(),
            data_dir: data_dir.into(),
            port: 0,
            nodes: 1,
            page_dir: PathBuf::from("webapp/dist"),
            health_interval: Duration::from_secs(30),
            start_timeout: crate::launch::START_TIMEOUT,
        }
    }
}

/// Why the host itself (not the plugin) could not start.
#[derive(Debug, thiserror::Error)]
pub enum DevHostError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("no user {0:?}")]
    UnknownUser(String),
    #[error("no channel {0:?} in team {SEED_TEAM}")]
    UnknownChannel(String),
    #[error("cannot restart the plugin: {0}")]
    Restart(String),
}

/// A running dev host: web server, store and the supervised plugin nodes.
#[derive(Debug)]
pub struct DevHost {
    shared: Arc<Shared>,
    addr: SocketAddr,
    web_shutdown: Option<oneshot::Sender<()>>,
    web_task: Option<tokio::task::JoinHandle<()>>,
}

impl DevHost {
    /// Opens the store, binds the web server, loads the plugin and activates it on every node.
    /// A plugin that fails to load or activate does not fail this call: see [`DevHost::plugin_state`].
    pub async fn start(config: DevHostConfig) -> Result<Self, DevHostError> {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|source| DevHostError::DataDir { path: config.data_dir.clone(), source })?;
        let store = Store::open(&config.data_dir.join("devhost.db"))?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port))
            .await
            .map_err(|source| DevHostError::Bind { port: config.port, source })?;
        let addr = listener.local_addr().map_err(|source| DevHostError::Bind { port: config.port, source })?;
        let sup = Supervisor::new(config.nodes, config.health_interval, config.start_timeout);
        let shared = Arc::new(Shared::new(store, format!("http://{addr}"), config.page_dir.clone(), sup));
        match crate::bundle::prepare(&config.bundle_or_dir, &config.data_dir) {
            Ok(plugin) => {
                tracing::info!(plugin_id = %plugin.manifest.id, dir = %plugin.dir.display(), "plugin loaded");
                let _ = shared.plugin.set(plugin);
            }
            Err(e) => {
                let message = format!("cannot load plugin from {}: {e}", config.bundle_or_dir.display());
                shared.sup.set_load_error(message);
            }
        }
        let (tx, rx) = oneshot::channel::<()>();
        let web_shared = Arc::clone(&shared);
        let web_task = tokio::spawn(async move {
            if let Err(e) = crate::web::serve(listener, web_shared, async {
                let _ = rx.await;
            })
            .await
            {
                tracing::error!("web server stopped: {e}");
            }
        });
        supervisor::start(&shared).await;
        Ok(Self { shared, addr, web_shutdown: Some(tx), web_task: Some(web_task) })
    }

    /// `http://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The PluginAPI gRPC server of each node (`MATTERMOST_PLUGIN_API_TARGET` of its process), by node index.
    pub fn node_api_addrs(&self) -> Vec<SocketAddr> {
        self.shared.sup.nodes().iter().map(|n| n.api_addr).collect()
    }

    /// The OS process id of each node's plugin process (None while a node has none), by node index. The launcher
    /// `exec`s the plugin binary, so this is the plugin itself (benchmarks read its memory from `/proc`).
    pub async fn node_pids(&self) -> Vec<Option<u32>> {
        let mut pids = Vec::new();
        for node in self.shared.sup.nodes() {
            pids.push(node.pid().await);
        }
        pids
    }

    /// PluginAPI calls received so far from each node, by node index (which node is doing the work).
    pub fn node_api_calls(&self) -> Vec<u64> {
        self.shared.sup.nodes().iter().map(|n| n.api_calls.load(std::sync::atomic::Ordering::SeqCst)).collect()
    }

    /// PluginAPI calls so far, per RPC and per hook.
    pub fn api_calls(&self) -> ApiCalls {
        self.shared.counters.snapshot()
    }

    pub fn reset_api_calls(&self) {
        self.shared.counters.reset();
    }

    /// The aggregated plugin status (what the page shows).
    pub fn plugin_state(&self) -> PluginStatus {
        supervisor::status(&self.shared)
    }

    /// The store (read seeded data, check KV in tests).
    pub fn store(&self) -> &Store {
        &self.shared.store
    }

    /// The loaded plugin's id ("" if the bundle could not be loaded).
    pub fn plugin_id(&self) -> String {
        self.shared.plugin_id().to_string()
    }

    /// Websocket events as the page would get them (before audience filtering).
    pub fn events(&self) -> broadcast::Receiver<Arc<WsEvent>> {
        self.shared.events.subscribe()
    }

    /// A user id from a username or an id.
    pub fn user_id(&self, user: &str) -> Result<String, DevHostError> {
        let s = &self.shared.store;
        s.get_user(user)
            .or_else(|_| s.get_user_by_username(user))
            .map(|u| u.id)
            .map_err(|_| DevHostError::UnknownUser(user.to_string()))
    }

    /// A channel id from a channel name in the seeded team, or an id.
    pub fn channel_id(&self, channel: &str) -> Result<String, DevHostError> {
        let s = &self.shared.store;
        if let Ok(c) = s.get_channel(channel) {
            return Ok(c.id);
        }
        let team = s.get_team_by_name(SEED_TEAM).map_err(|_| DevHostError::UnknownChannel(channel.to_string()))?;
        s.get_channel_by_name(&team.id, channel, false)
            .map(|c| c.id)
            .map_err(|_| DevHostError::UnknownChannel(channel.to_string()))
    }

    fn resolve(&self, user: &str) -> Result<String, ApiError> {
        self.user_id(user).map_err(|e| ApiError::new(404, "app.user.missing_account.const", e.to_string()))
    }

    /// Runs a slash command as `user` (username or id) in `channel` (name in the seeded team, or id);
    /// returns the CommandResponse JSON the page would get.
    pub async fn execute_command(&self, user: &str, channel: &str, text: &str) -> Result<Value, ApiError> {
        let user_id = self.resolve(user)?;
        let channel_id = self
            .channel_id(channel)
            .map_err(|e| ApiError::new(404, "app.channel.get.existing.app_error", e.to_string()))?;
        interactions::execute_command(&self.shared, &user_id, &channel_id, text).await
    }

    /// Sends an HTTP request into the plugin's ServeHTTP as `user` (None = anonymous). `path` is the full
    /// `/plugins/<id>/…` path (with query) or a path relative to it (e.g. `/api/v1/incidents`).
    pub async fn serve_http(
        &self,
        user: Option<&str>,
        method: &str,
        path: &str,
        body: impl Into<Bytes>,
    ) -> PluginResponse {
        let prefix = format!("/plugins/{}", self.shared.plugin_id());
        let uri = if path.starts_with("/plugins/") { path.to_string() } else { format!("{prefix}{path}") };
        let user_id = match user {
            Some(u) => self.user_id(u).ok(),
            None => None,
        };
        let req = PluginRequest {
            method: method.to_string(),
            uri,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            user_id,
            remote_addr: "127.0.0.1".into(),
        };
        crate::servehttp::serve_http(&self.shared, req).await
    }

    /// Clicks an attachment action as `user`.
    pub async fn post_action(
        &self,
        user: &str,
        post_id: &str,
        action_id: &str,
        selected: Option<&str>,
    ) -> Result<Value, ApiError> {
        let user_id = self.resolve(user)?;
        interactions::post_action(&self.shared, &user_id, post_id, action_id, selected).await
    }

    /// `user` leaves `channel` (name in the seeded team, or id) as the webapp's "Leave channel" does: the membership
    /// goes, the leave message is posted, `UserHasLeftChannel` fires.
    pub fn leave_channel(&self, user: &str, channel: &str) -> Result<(), DevHostError> {
        let user_id = self.user_id(user)?;
        let channel_id = self.channel_id(channel)?;
        let member = self.shared.store.remove_channel_member(&channel_id, &user_id)?;
        crate::effects::member_removed(&self.shared, &member);
        Ok(())
    }

    /// Saves plugin settings as the System Console does: stored in the config, then `OnConfigurationChange` on every
    /// active node (returns once all answered).
    pub async fn save_plugin_settings(&self, settings: &serde_json::Map<String, Value>) -> Result<(), DevHostError> {
        Ok(crate::hooks::save_plugin_settings(&self.shared, settings).await?)
    }

    /// Submits a dialog as `user`; returns the plugin's answer and whether it reported errors.
    pub async fn submit_dialog(&self, user: &str, submission: &DialogSubmission) -> Result<(Value, bool), ApiError> {
        let user_id = self.resolve(user)?;
        interactions::submit_dialog(&self.shared, &user_id, submission).await
    }

    /// SIGKILLs node `index`'s process; the health check restarts it.
    pub async fn kill_node(&self, index: usize) -> Result<(), String> {
        supervisor::kill_node(&self.shared, index).await
    }

    /// How many times the health check restarted a node (within the last hour).
    pub fn restart_count(&self) -> usize {
        supervisor::restart_count(&self.shared)
    }

    /// Makes the PluginAPI call `rpc` (Mattermost's name, e.g. `"KVSetWithOptions"`) fail, look unreachable or
    /// answer late on every node, until [`DevHost::clear_faults`] or until `fault.times` calls were affected.
    pub fn inject_fault(&self, rpc: &str, fault: Fault) -> Result<(), FaultError> {
        self.shared.faults.inject(rpc, fault)
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// The faults still active, by RPC name.
    pub fn faults(&self) -> BTreeMap<String, Fault> {
        self.shared.faults.list()
    }

    /// Restarts the plugin on every node as an admin's disable/enable does: OnDeactivate and stop where it runs,
    /// then launch and activate. Returns once every node is active or failed again (see [`DevHost::plugin_state`]).
    pub async fn restart_plugin(&self) -> Result<(), DevHostError> {
        supervisor::restart_all(&self.shared).await.map_err(DevHostError::Restart)
    }

    /// Stops the plugin (OnDeactivate, Shutdown, 2 s, kill) and the web server.
    pub async fn stop(mut self) {
        supervisor::stop(&self.shared).await;
        if let Some(tx) = self.web_shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.web_task.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
        }
    }
}
