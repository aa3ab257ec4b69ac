//! `cargo xtask <task>`: the project's automation, so the Makefile stays one line per target.

mod browser;
mod codegen;
mod deploy;
mod dist;
mod proto_subset;
mod setup;
mod ts_types;

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// Runs the task and prints a failure as its message chain only: with `RUST_BACKTRACE` set (as CI may set it) anyhow
/// would print a backtrace of `main` after the message, which pushes the cause out of the tail a CI log shows.
fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    match args.first().map(String::as_str) {
        Some("proto-subset") => proto_subset::run(&root, reference_dir(&root, &args[1..])?.as_path()),
        Some("codegen") => codegen::run(&root, args.iter().any(|a| a == "--check")),
        Some("dist") => dist::run(&root),
        Some("deploy") => deploy::run(&root),
        Some("setup") => setup::run(&root),
        Some("browser-test") => browser::run(&root),
        Some("ts-types") => ts_types::run(&root, args.iter().any(|a| a == "--check")),
        Some("bundle-name") => {
            let m = dist::manifest(&root)?;
            #[allow(clippy::print_stdout)]
            {
                println!("{}-{}.tar.gz", m.id, m.version);
            }
            Ok(())
        }
        _ => bail!(
            "usage: cargo xtask <proto-subset [--reference DIR] | codegen [--check] | setup | dist | deploy | bundle-name | browser-test | ts-types [--check]>"
        ),
    }
}

/// The workspace root: two levels above this crate's manifest.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("xtask lives at server/xtask").to_path_buf()
}

/// Where the upstream reference `.proto` files are: `--reference DIR`, or the vendored test fixture.
pub fn reference_dir(root: &Path, args: &[String]) -> Result<PathBuf> {
    if let Some(i) = args.iter().position(|a| a == "--reference") {
        let dir = args.get(i + 1).context("--reference needs a directory")?;
        return Ok(PathBuf::from(dir));
    }
    Ok(root.join("tests/fixtures/upstream-proto"))
}
