//! Builds and runs the Go test host (tests/go-host): the real hashicorp/go-plugin client in net/rpc mode,
//! from Debian's GOPATH tree (no module downloads), cached under `target/go-host`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const GO_PLUGIN_SRC: &str = "/usr/share/gocode/src/github.com/hashicorp/go-plugin";

/// The go-host binary, built once per run. Panics with the fix when the Go toolchain is missing.
pub fn go_host() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(build).clone()
}

fn build() -> PathBuf {
    let root = super::root();
    let missing = |what: &str| -> ! {
        panic!(
            "{what} is missing, so the net/rpc tests cannot run against the real go-plugin host. \
             `make setup` (cargo xtask setup) installs it from Debian: golang-go, golang-github-hashicorp-go-plugin-dev, \
             golang-github-hashicorp-yamux-dev, golang-github-hashicorp-go-hclog-dev, golang-google-grpc-dev"
        )
    };
    if Command::new("go").arg("version").output().map(|o| !o.status.success()).unwrap_or(true) {
        missing("the Go toolchain (`go`)");
    }
    if !Path::new(GO_PLUGIN_SRC).is_dir() {
        missing(GO_PLUGIN_SRC);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let base = target.join("go-host");
    let src = base.join("gopath/src");
    std::fs::create_dir_all(&src).expect("creating the GOPATH");
    let link = src.join("gohost");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(root.join("tests/go-host"), &link).expect("linking tests/go-host into the GOPATH");
    let bin = base.join("go-host");
    let gopath = format!("{}:/usr/share/gocode", base.join("gopath").display());
    let out = Command::new("go")
        .args(["build", "-o"])
        .arg(&bin)
        .arg("gohost")
        .current_dir(&link)
        .env("GO111MODULE", "off")
        .env("GOPATH", gopath)
        .env("GOCACHE", base.join("cache"))
        .env("GOFLAGS", "")
        .env("GOPROXY", "off")
        .env("CGO_ENABLED", "0")
        .output()
        .expect("running go build");
    assert!(
        out.status.success(),
        "building tests/go-host failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    bin
}

/// Builds the SDK's probe plugin (`server/mm/examples/netrpc_probe.rs`) and returns its path.
pub fn probe_binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let root = super::root();
        let release = std::env::var_os("INCIDENT_RELEASE_PLUGIN").is_some();
        let mut args = vec!["build", "--quiet", "-p", "mm", "--example", "netrpc_probe"];
        if release {
            args.push("--release");
        }
        let status = Command::new(env!("CARGO")).current_dir(&root).args(&args).status().expect("running cargo build");
        assert!(status.success(), "building the netrpc_probe example failed");
        let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
        target.join(if release { "release" } else { "debug" }).join("examples/netrpc_probe")
    })
    .clone()
}

/// A plugin directory as a released server unpacks it: plugin.json and the native binaries at
/// `server/dist/plugin-linux-<arch>` (what `server.executables` names).
pub fn stage_native(dir: &Path, manifest: &str, binary: &Path) -> PathBuf {
    let plugin = dir.join("plugin");
    std::fs::create_dir_all(plugin.join("server/dist")).unwrap();
    std::fs::write(plugin.join("plugin.json"), manifest).unwrap();
    for arch in ["x86_64", "aarch64"] {
        std::fs::copy(binary, plugin.join(format!("server/dist/plugin-linux-{arch}"))).unwrap();
    }
    plugin
}
