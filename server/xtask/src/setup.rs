//! `cargo xtask setup`: installs what a fresh machine lacks, and only that (idempotent, quiet when done).

use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;

const TARGETS: &[&str] = &["wasm32-unknown-unknown", "x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl"];
pub const CHROMIUM: &str = "/usr/bin/chromium";

pub fn run(root: &Path) -> Result<()> {
    rust_targets()?;
    npm_packages(root)?;
    chromium()?;
    go_toolchain()?;
    Ok(())
}

/// Debian's Go and go-plugin (with what go-plugin imports), for the net/rpc tests' Go host.
/// Built in GOPATH mode from /usr/share/gocode: no Go module is ever downloaded.
pub const GO_PACKAGES: &[&str] = &[
    "golang-go",
    "golang-github-hashicorp-go-plugin-dev",
    "golang-github-hashicorp-yamux-dev",
    "golang-github-hashicorp-go-hclog-dev",
    "golang-google-grpc-dev",
    "golang-github-golang-protobuf-1-5-dev",
    "golang-google-protobuf-dev",
    "golang-golang-x-net-dev",
];
const GO_PLUGIN_SRC: &str = "/usr/share/gocode/src/github.com/hashicorp/go-plugin";
const GO_GRPC_SRC: &str = "/usr/share/gocode/src/google.golang.org/grpc";

fn go_toolchain() -> Result<()> {
    let have_go = Command::new("go").arg("version").output().map(|o| o.status.success()).unwrap_or(false);
    if have_go && Path::new(GO_PLUGIN_SRC).is_dir() && Path::new(GO_GRPC_SRC).is_dir() {
        return Ok(());
    }
    eprintln!("setup: installing Go and go-plugin from the OS packages (net/rpc test host)");
    apt_install(GO_PACKAGES)?;
    if !Path::new(GO_PLUGIN_SRC).is_dir() {
        bail!("the Go packages were installed but {GO_PLUGIN_SRC} does not exist");
    }
    Ok(())
}

fn rust_targets() -> Result<()> {
    let out = Command::new("rustup").args(["target", "list", "--installed"]).output().context("running rustup")?;
    let installed = String::from_utf8_lossy(&out.stdout).into_owned();
    let missing: Vec<&str> = TARGETS.iter().copied().filter(|t| !installed.lines().any(|l| l.trim() == *t)).collect();
    if !missing.is_empty() {
        eprintln!("setup: adding rust targets {}", missing.join(", "));
        sh(Command::new("rustup").args(["target", "add"]).args(&missing))?;
    }
    Ok(())
}

/// `npm ci` when node_modules is missing or older than the lock file.
fn npm_packages(root: &Path) -> Result<()> {
    let webapp = root.join("webapp");
    let lock = webapp.join("package-lock.json");
    let stamp = webapp.join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&stamp)) {
        (Ok(l), Ok(s)) => s.modified()? >= l.modified()?,
        _ => false,
    };
    if !fresh {
        eprintln!("setup: npm ci in webapp/");
        sh(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&webapp))?;
    }
    Ok(())
}

/// Debian's Chromium drives the browser tests (browser downloads are blocked here).
fn chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() {
        return Ok(());
    }
    eprintln!("setup: installing chromium from the OS packages");
    apt_install(&["chromium"])?;
    if !Path::new(CHROMIUM).exists() {
        bail!("chromium was installed but {CHROMIUM} does not exist");
    }
    Ok(())
}

/// `apt-get update` then installs `packages` (through sudo unless we are root).
fn apt_install(packages: &[&str]) -> Result<()> {
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let apt = |args: &[&str]| {
        let mut cmd = Command::new(if sudo.is_empty() { "apt-get" } else { "sudo" });
        if !sudo.is_empty() {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        sh(&mut cmd)
    };
    apt(&["update", "-qq"])?;
    let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install.extend_from_slice(packages);
    apt(&install)
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false)
}

pub fn sh(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().with_context(|| format!("running {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}
