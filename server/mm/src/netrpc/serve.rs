//! Start-up and shutdown in net/rpc mode: manifest next to the executable, unix socket, handshake line,
//! yamux session, control stream, and exit on `Control.Quit`, session end, or the server's death.

use super::api_client::NetRpcApi;
use super::broker::Broker;
use super::hooks_server::{ControlService, HooksService};
use super::rpc;
use super::yamux::{Role, Session};
use crate::hooks::Hooks;
use crate::manifest::{Manifest, ManifestError};
use crate::runtime::{Plugin, StartError};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::UnixListener;
use tokio::sync::watch;

/// How long we wait for the host to connect after the handshake (it dials at once).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Finds `plugin.json` from the executable: released servers run `<plugin>/server/dist/<binary>` with the
/// server's working directory, so look beside the binary and up to three directories above it.
pub fn find_manifest(exe: &Path) -> Result<Manifest, ManifestError> {
    let mut first_error = None;
    for dir in exe.ancestors().skip(1).take(4) {
        if dir.join("plugin.json").is_file() {
            match Manifest::load(dir) {
                Ok(m) => return Ok(m),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
    }
    Err(first_error.unwrap_or_else(|| ManifestError::Read {
        path: exe.parent().unwrap_or(exe).join("plugin.json"),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "no plugin.json beside or above the executable"),
    }))
}

/// A fresh socket path in the temp directory, as go-plugin's `os.CreateTemp` does.
fn socket_path() -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    std::env::temp_dir().join(format!("plugin-{}-{nanos}.sock", std::process::id()))
}

/// Runs the plugin over net/rpc until the host tells it to quit or goes away.
pub async fn serve<H: Hooks>(make: impl FnOnce(Plugin) -> H, max_body: usize) -> Result<(), StartError> {
    let exe = std::env::current_exe().map_err(StartError::Executable)?;
    let exe = exe.canonicalize().unwrap_or(exe);
    let manifest = find_manifest(&exe)?;
    tracing::info!(transport = "netrpc", pid = std::process::id(), plugin_id = %manifest.id, "starting the plugin over netrpc");

    // go-plugin servers ignore SIGINT, so Ctrl-C on the server does not kill us before OnDeactivate.
    if let Ok(mut interrupts) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()) {
        tokio::spawn(async move { while interrupts.recv().await.is_some() {} });
    }

    let path = socket_path();
    let listener = UnixListener::bind(&path).map_err(StartError::Listen)?;
    let api = NetRpcApi::new();
    let hooks = Arc::new(make(Plugin { api: api.clone(), manifest: manifest.clone() }));
    handshake(&path);
    tracing::info!(plugin_id = %manifest.id, version = %manifest.version, transport = "netrpc", "plugin serving");

    let result = run_session(listener, hooks, api, max_body).await;
    let _ = std::fs::remove_file(&path);
    tracing::info!("plugin stopped");
    result
}

async fn run_session<H: Hooks>(
    listener: UnixListener,
    hooks: Arc<H>,
    api: Arc<NetRpcApi>,
    max_body: usize,
) -> Result<(), StartError> {
    let conn = match tokio::time::timeout(CONNECT_TIMEOUT, listener.accept()).await {
        Ok(Ok((conn, _))) => conn,
        Ok(Err(e)) => return Err(StartError::Listen(e)),
        Err(_) => return Err(StartError::NoHost),
    };
    drop(listener);
    let session = Arc::new(Session::new(conn, Role::Server));
    // The host opens the control stream, then the synced stdout and stderr streams, in that order.
    let Some(control) = session.accept().await else { return Ok(()) };
    let Some(stdout) = session.accept().await else { return Ok(()) };
    let Some(stderr) = session.accept().await else { return Ok(()) };
    let broker = Broker::new(session.clone());
    tokio::spawn(broker.clone().run());

    let (quit_tx, mut quit_rx) = watch::channel(false);
    let hooks_service = HooksService::new(hooks, broker.clone(), api, max_body);
    let control_service = Arc::new(ControlService { hooks: hooks_service, broker, quit: quit_tx.clone() });
    tokio::spawn(rpc::serve(control, control_service));
    tokio::spawn(crate::runtime::watch_parent(quit_tx));

    tokio::select! {
        _ = quit_rx.wait_for(|q| *q) => tracing::info!("the server asked the plugin to quit"),
        () = session.closed() => tracing::info!("the server closed the connection"),
    }
    // The Quit answer is queued before `quit` flips; GoAway and the flush follow it on the wire.
    session.close();
    drop((stdout, stderr));
    Ok(())
}

/// The one line go-plugin waits for on stdout: core version, app version, network, address, protocol.
fn handshake(path: &Path) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "1|1|unix|{}|netrpc|", path.display());
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_is_found_above_server_dist() {
        let root = std::env::temp_dir().join(format!("mm-netrpc-manifest-{}", std::process::id()));
        let dist = root.join("server/dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(root.join("plugin.json"), r#"{"id":"com.example.demo","version":"1.2.3"}"#).unwrap();
        let m = find_manifest(&dist.join("plugin-linux-x86_64")).unwrap();
        assert_eq!((m.id.as_str(), m.dir.as_path()), ("com.example.demo", root.as_path()));
        assert!(find_manifest(Path::new("/nonexistent/a/b/c/d/e/bin")).is_err());
        let _ = std::fs::remove_dir_all(&root);
    }
}
