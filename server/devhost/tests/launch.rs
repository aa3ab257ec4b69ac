//! Supervisor start-up failures with fake interpreters: each gives one clear failed state, the host keeps running.

use std::path::Path;
use std::time::Duration;

use devhost::launch::{LaunchError, find_interpreter, parse_handshake};
use devhost::servehttp::{canonical_header, plugin_url};
use devhost::{DevHost, DevHostConfig, PluginState};

const MANIFEST: &str =
    r#"{"id":"com.example.fake","version":"0.0.1","server":{"executable":"plugin.py","runtime":"python"}}"#;

/// A plugin dir whose `venv/bin/python` is the given shell script.
fn fake_plugin(root: &Path, script: &str) -> std::path::PathBuf {
    let dir = root.join("plugin");
    std::fs::create_dir_all(dir.join("venv/bin")).unwrap();
    std::fs::write(dir.join("plugin.json"), MANIFEST).unwrap();
    std::fs::write(dir.join("plugin.py"), "# dummy").unwrap();
    let python = dir.join("venv/bin/python");
    std::fs::write(&python, format!("#!/bin/sh\n{script}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&python, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    dir
}

async fn start(root: &Path, script: &str) -> DevHost {
    let mut config = DevHostConfig::new(fake_plugin(root, script), root.join("data"));
    config.start_timeout = Duration::from_secs(2);
    DevHost::start(config).await.expect("the host starts even when the plugin does not")
}

async fn assert_failed_and_host_up(host: DevHost, expected: &[&str]) {
    let state = host.plugin_state();
    assert_eq!(state.state, PluginState::Failed, "{state:?}");
    for e in expected {
        assert!(state.message.contains(e), "expected {e:?} in {:?}", state.message);
    }
    assert_eq!(state.id, "com.example.fake");
    tokio::net::TcpStream::connect(host.addr()).await.expect("the web server keeps running");
    host.stop().await;
}

#[tokio::test]
async fn wrong_handshake_is_a_clear_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let host = start(tmp.path(), "echo '1|1|tcp|127.0.0.1:1234|netrpc'; sleep 30").await;
    assert_failed_and_host_up(host, &["bad handshake line", "netrpc", "grpc"]).await;
}

#[tokio::test]
async fn no_handshake_times_out() {
    let tmp = tempfile::tempdir().unwrap();
    let host = start(tmp.path(), "echo starting >&2; exec sleep 30").await;
    assert_failed_and_host_up(host, &["did not print its handshake line within 2 s", "starting"]).await;
}

#[tokio::test]
async fn early_exit_shows_the_stderr_tail() {
    let tmp = tempfile::tempdir().unwrap();
    let host = start(tmp.path(), "echo 'boom: no configuration' >&2; exit 3").await;
    assert_failed_and_host_up(host, &["exited before its handshake", "exit status: 3", "boom: no configuration"]).await;
}

#[tokio::test]
async fn the_plugin_gets_the_servers_environment() {
    let tmp = tempfile::tempdir().unwrap();
    // Fails on purpose after reporting its env on stderr, so the message carries it back.
    let host = start(
        tmp.path(),
        "echo \"cookie=$MATTERMOST_PLUGIN api=$MATTERMOST_PLUGIN_API_TARGET ports=$PLUGIN_MIN_PORT-$PLUGIN_MAX_PORT v=$PLUGIN_PROTOCOL_VERSIONS args=$1 cwd=$(pwd)\" >&2; exit 1",
    )
    .await;
    let msg = host.plugin_state().message;
    assert!(msg.contains("cookie=Securely message teams, anywhere."), "{msg}");
    assert!(msg.contains("api=127.0.0.1:"), "{msg}");
    assert!(msg.contains("ports=10000-25000 v=1 args=plugin.py"), "{msg}");
    assert!(msg.contains("/plugin"), "{msg}");
    host.stop().await;
}

#[tokio::test]
async fn a_bad_bundle_leaves_the_host_running_with_a_failed_state() {
    let tmp = tempfile::tempdir().unwrap();
    let config = DevHostConfig::new(tmp.path().join("missing.tar.gz"), tmp.path().join("data"));
    let host = DevHost::start(config).await.unwrap();
    let state = host.plugin_state();
    assert_eq!(state.state, PluginState::Failed);
    assert!(state.message.contains("does not exist"), "{}", state.message);
    host.stop().await;
}

#[test]
fn handshake_lines_are_checked() {
    assert_eq!(parse_handshake("1|1|tcp|127.0.0.1:4000|grpc\n").unwrap().port(), 4000);
    for bad in [
        "",
        "hello",
        "2|1|tcp|127.0.0.1:1|grpc",
        "1|2|tcp|127.0.0.1:1|grpc",
        "1|1|unix|/tmp/s|grpc",
        "1|1|tcp|nohost|grpc",
        "1|1|tcp|127.0.0.1:1",
        "1|1|tcp|127.0.0.1:1|grpc|CERT",
    ] {
        assert!(matches!(parse_handshake(bad), Err(LaunchError::BadHandshake { .. })), "{bad:?}");
    }
}

#[test]
fn interpreter_lookup_prefers_the_plugin_venv() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fake_plugin(tmp.path(), "true");
    assert_eq!(find_interpreter(&dir).unwrap(), dir.join("venv/bin/python"));
    std::fs::create_dir_all(dir.join(".venv/bin")).unwrap();
    std::fs::remove_file(dir.join("venv/bin/python")).unwrap();
    std::fs::write(dir.join(".venv/bin/python3"), "").unwrap();
    assert_eq!(find_interpreter(&dir).unwrap(), dir.join(".venv/bin/python3"));
}

#[test]
fn servehttp_urls_and_headers_follow_the_server() {
    assert_eq!(plugin_url("/plugins/com.x/api/v1/a?b=1&access_token=t", "com.x"), "/api/v1/a?b=1");
    assert_eq!(plugin_url("/plugins/com.x", "com.x"), "/");
    assert_eq!(canonical_header("x-csrf-token"), "X-Csrf-Token");
    assert_eq!(canonical_header("content-TYPE"), "Content-Type");
}
