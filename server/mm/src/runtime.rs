//! Process start-up and shutdown: checks, transport choice, handshake line, services, exit.
//!
//! `MATTERMOST_PLUGIN_API_TARGET` set → the gRPC transport (development servers); absent → go-plugin's
//! net/rpc transport (released servers, see [`crate::netrpc`]). The first log line names the choice.
//! Order matters (PROTOCOL §2): check the environment, read the manifest, reach the API, bind and start
//! serving, and only then print the one handshake line on stdout.

use crate::api::Api;
use crate::grpc::{GrpcApi, HooksService, MAX_MESSAGE_BYTES};
use crate::hooks::Hooks;
use crate::manifest::{Manifest, ManifestError};
use crate::pb::goplugin::Empty;
use crate::pb::goplugin::grpc_controller_server::{GrpcController, GrpcControllerServer};
use crate::pb::v1::plugin_hooks_server::PluginHooksServer;
use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tonic::transport::server::TcpIncoming;

/// go-plugin's magic cookie: set by the server, proves we were launched as a plugin.
pub const MAGIC_COOKIE_KEY: &str = "MATTERMOST_PLUGIN";
pub const MAGIC_COOKIE_VALUE: &str = "Securely message teams, anywhere.";
const API_TARGET_KEY: &str = "MATTERMOST_PLUGIN_API_TARGET";
/// Plugin HTTP request bodies above this get 413.
const MAX_HTTP_BODY: usize = 16 * 1024 * 1024;

/// What the plugin gets at start: the API handle and its manifest.
#[derive(Clone)]
pub struct Plugin {
    pub api: Api,
    pub manifest: Manifest,
}

/// Why the process could not start. Each is one clear line on stderr.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "this is a Mattermost plugin and must be started by the Mattermost server ({MAGIC_COOKIE_KEY} is not set); install the bundle through the System Console instead of running it by hand"
    )]
    NotLaunchedByServer,
    #[error("cannot read the plugin manifest: {0}")]
    Manifest(#[from] ManifestError),
    #[error("{API_TARGET_KEY} is not set: this Mattermost server does not offer the gRPC plugin API")]
    NoApiTarget,
    #[error("the Mattermost plugin API at {target} is unreachable: {reason}")]
    ApiUnreachable { target: String, reason: String },
    #[error("cannot listen on 127.0.0.1: {0}")]
    Bind(std::io::Error),
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("cannot locate the plugin executable (needed to find plugin.json): {0}")]
    Executable(std::io::Error),
    #[error("cannot create the plugin's unix socket: {0}")]
    Listen(std::io::Error),
    #[error("the Mattermost server did not connect to the plugin socket within 10 s")]
    NoHost,
}

/// Which protocol this process speaks, chosen from the environment at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// `MATTERMOST_PLUGIN_API_TARGET` is set: the gRPC plugin protocol of the development line.
    Grpc,
    /// It is not: go-plugin's classic net/rpc, which released Mattermost servers speak.
    NetRpc,
}

impl Transport {
    pub fn from_env() -> Self {
        match std::env::var(API_TARGET_KEY) {
            Ok(target) if !target.is_empty() => Transport::Grpc,
            _ => Transport::NetRpc,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Transport::Grpc => "grpc",
            Transport::NetRpc => "netrpc",
        }
    }
}

/// Runs a plugin to completion. `make` builds the hooks once the API is reachable.
pub fn run<H: Hooks>(make: impl FnOnce(Plugin) -> H) -> ExitCode {
    // First of all: the server may be gone before we serve, and then only the original parent id tells.
    let _ = SERVER_PID.set(std::os::unix::process::parent_id());
    crate::log::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(StartError::Runtime(e)),
    };
    match runtime.block_on(serve(make)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

fn fail(error: StartError) -> ExitCode {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "[ERROR] {error}");
    ExitCode::FAILURE
}

async fn serve<H: Hooks>(make: impl FnOnce(Plugin) -> H) -> Result<(), StartError> {
    if std::env::var(MAGIC_COOKIE_KEY).ok().as_deref() != Some(MAGIC_COOKIE_VALUE) {
        return Err(StartError::NotLaunchedByServer);
    }
    // The first log line names the transport (gRPC: "plugin serving … transport=grpc", net/rpc: "starting the
    // plugin over netrpc"); start-up failures stay one `[ERROR]` line.
    let transport = Transport::from_env();
    if transport == Transport::NetRpc {
        return crate::netrpc::serve(make, MAX_HTTP_BODY).await;
    }
    let dir = std::env::current_dir()
        .map_err(|source| StartError::Manifest(ManifestError::Read { path: "plugin.json".into(), source }))?;
    let manifest = Manifest::load(&dir)?;
    let target = std::env::var(API_TARGET_KEY).ok().filter(|t| !t.is_empty()).ok_or(StartError::NoApiTarget)?;
    check_reachable(&target).await?;
    let api = GrpcApi::connect_lazy(&target)
        .map_err(|e| StartError::ApiUnreachable { target: target.clone(), reason: e.to_string() })?;
    let hooks = Arc::new(make(Plugin { api: Arc::new(api), manifest: manifest.clone() }));

    let listener = TcpListener::bind("127.0.0.1:0").await.map_err(StartError::Bind)?;
    let addr = listener.local_addr().map_err(StartError::Bind)?;
    let (stop_tx, mut stop_rx) = watch::channel(false);

    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter.set_service_status("plugin", tonic_health::ServingStatus::Serving).await;
    health_reporter.set_service_status("", tonic_health::ServingStatus::Serving).await;
    let hooks_service = PluginHooksServer::new(HooksService::new(hooks, stop_tx.clone(), MAX_HTTP_BODY))
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES);
    let controller = GrpcControllerServer::new(Controller { stop: stop_tx.clone() });

    let mut shutdown_rx = stop_rx.clone();
    let server = tonic::transport::Server::builder()
        .add_service(health_service)
        .add_service(hooks_service)
        .add_service(controller)
        .serve_with_incoming_shutdown(TcpIncoming::from(listener).with_nodelay(Some(true)), async move {
            let _ = shutdown_rx.wait_for(|stop| *stop).await;
            // Let the answer to OnDeactivate/Shutdown reach the host before the connection closes.
            tokio::time::sleep(Duration::from_millis(50)).await;
        });
    let server = tokio::spawn(server);
    handshake(addr);
    tracing::info!(plugin_id = %manifest.id, version = %manifest.version, transport = "grpc", "plugin serving");

    tokio::spawn(watch_parent(stop_tx));
    let _ = stop_rx.wait_for(|stop| *stop).await;
    // The host kills us 2 s after it asks us to stop; finish well before.
    let _ = tokio::time::timeout(Duration::from_millis(1500), server).await;
    tracing::info!("plugin stopped");
    Ok(())
}

/// The one line go-plugin waits for on stdout; stdout is never written again.
fn handshake(addr: SocketAddr) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "1|1|tcp|{addr}|grpc");
    let _ = out.flush();
}

async fn check_reachable(target: &str) -> Result<(), StartError> {
    let unreachable = |reason: String| StartError::ApiUnreachable { target: target.to_owned(), reason };
    match tokio::time::timeout(Duration::from_secs(3), tokio::net::TcpStream::connect(target)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(unreachable(e.to_string())),
        Err(_) => Err(unreachable("no answer within 3 s".into())),
    }
}

/// The process that started us (the server), read once at the very start of [`run`].
static SERVER_PID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();

/// Stops the plugin when the server process that started it is gone (we are re-parented).
pub(crate) async fn watch_parent(stop: watch::Sender<bool>) {
    let parent = *SERVER_PID.get_or_init(std::os::unix::process::parent_id);
    loop {
        if std::os::unix::process::parent_id() != parent {
            tracing::warn!("the Mattermost server is gone; stopping");
            let _ = stop.send(true);
            return;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// go-plugin's GRPCController: `Shutdown` is the host's last word before it kills the process.
struct Controller {
    stop: watch::Sender<bool>,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _: tonic::Request<Empty>) -> Result<tonic::Response<Empty>, tonic::Status> {
        let _ = self.stop.send(true);
        Ok(tonic::Response::new(Empty {}))
    }
}
