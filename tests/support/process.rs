//! Builds the plugin binary, stages a plugin directory laid out like the bundle, and launches it the way
//! the Mattermost server does (`venv/bin/python plugin.py`, cwd = plugin dir, go-plugin env).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Builds `incident-plugin` once per run (release for benchmarks, debug for tests) and returns its path.
pub fn plugin_binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let release = std::env::var_os("INCIDENT_RELEASE_PLUGIN").is_some();
        let root = super::root();
        let mut args = vec!["build", "--quiet", "-p", "incident-plugin"];
        if release {
            args.push("--release");
        }
        let status = std::process::Command::new(env!("CARGO"))
            .current_dir(&root)
            .args(&args)
            .status()
            .expect("running cargo build");
        assert!(status.success(), "building incident-plugin failed");
        let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
        target.join(if release { "release" } else { "debug" }).join("incident-plugin")
    })
    .clone()
}

/// A fresh plugin directory with the bundle's layout: plugin.json, plugin.py, the launcher, the binary.
pub fn stage_plugin_dir(dir: &Path) -> PathBuf {
    let root = super::root();
    let plugin = dir.join("plugin");
    std::fs::create_dir_all(plugin.join("venv/bin")).unwrap();
    std::fs::create_dir_all(plugin.join("server/dist")).unwrap();
    std::fs::copy(root.join("plugin.json"), plugin.join("plugin.json")).unwrap();
    std::fs::copy(root.join("server/launcher/plugin.py"), plugin.join("plugin.py")).unwrap();
    std::fs::copy(root.join("server/launcher/python"), plugin.join("venv/bin/python")).unwrap();
    // A hard link, not a copy: the debug binary is ~100 MB and every end-to-end test stages one.
    let staged = plugin.join("server/dist/plugin-linux-x86_64");
    if std::fs::hard_link(plugin_binary(), &staged).is_err() {
        std::fs::copy(plugin_binary(), &staged).unwrap();
    }
    plugin
}

/// A scratch directory for one test under `target/test-scratch/` (names must be unique across tests).
pub fn scratch(name: &str) -> PathBuf {
    // One directory per test name, emptied at its start, so repeated runs do not pile up.
    let dir = super::root().join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The environment the server gives a plugin process (PROTOCOL §2.1).
pub fn server_env(api_target: &str) -> Vec<(&'static str, String)> {
    vec![
        (mm::MAGIC_COOKIE_KEY, mm::MAGIC_COOKIE_VALUE.to_owned()),
        ("PLUGIN_MIN_PORT", "10000".to_owned()),
        ("PLUGIN_MAX_PORT", "25000".to_owned()),
        ("PLUGIN_PROTOCOL_VERSIONS", "1".to_owned()),
        ("MATTERMOST_PLUGIN_API_TARGET", api_target.to_owned()),
    ]
}

/// Starts `venv/bin/python plugin.py` in `plugin_dir` with `env`, stdout and stderr piped.
pub fn launch(plugin_dir: &Path, env: &[(&str, String)]) -> Child {
    let mut cmd = Command::new(plugin_dir.join("venv/bin/python"));
    cmd.arg("plugin.py")
        .current_dir(plugin_dir)
        .env_remove(mm::MAGIC_COOKIE_KEY)
        .env_remove("MATTERMOST_PLUGIN_API_TARGET")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("starting the plugin")
}

/// Reads the go-plugin handshake line (within the server's 10 s) and returns the announced address.
pub async fn read_handshake(child: &mut Child) -> String {
    let stdout = child.stdout.take().expect("stdout piped");
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
        .await
        .expect("handshake within 10 s")
        .expect("reading stdout")
        .expect("a handshake line before stdout closed");
    let parts: Vec<&str> = line.split('|').collect();
    assert_eq!(parts.len(), 5, "handshake line {line:?}");
    assert_eq!((parts[0], parts[1], parts[2], parts[4]), ("1", "1", "tcp", "grpc"), "handshake line {line:?}");
    assert!(parts[3].starts_with("127.0.0.1:"), "plugin must listen on loopback: {line:?}");
    // Watch stdout after the handshake: the plugin must not write there again (it ends at EOF).
    tokio::spawn(async move {
        if let Ok(Some(extra)) = lines.next_line().await {
            panic!("the plugin wrote to stdout after the handshake: {extra:?}");
        }
    });
    parts[3].to_owned()
}

/// Waits for the process to exit and returns (success, stderr text).
pub async fn wait_exit(mut child: Child, within: Duration) -> (bool, String) {
    let mut stderr = child.stderr.take().expect("stderr piped");
    let status = tokio::time::timeout(within, child.wait()).await.expect("the plugin exits in time").unwrap();
    let mut text = String::new();
    let _ = tokio::io::AsyncReadExt::read_to_string(&mut stderr, &mut text).await;
    (status.success(), text)
}
