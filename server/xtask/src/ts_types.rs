//! `cargo xtask ts-types [--check]`: writes (or checks) `webapp/src/generated/dto.ts`, the TypeScript declarations of
//! the plugin's REST DTOs, generated with ts-rs by a test of the plugin built with the `ts-types` feature.

use anyhow::{Result, bail};
use std::path::Path;
use std::process::Command;

pub fn run(root: &Path, check: bool) -> Result<()> {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root).args([
        "test",
        "--quiet",
        "-p",
        "incident-plugin",
        "--features",
        "ts-types",
        "--bin",
        "incident-plugin",
        "--",
        "--exact",
        "ts_types::tests::ts_types_are_current",
    ]);
    if !check {
        cmd.env("INCIDENT_TS_TYPES_WRITE", "1");
    }
    let status = cmd.status()?;
    if !status.success() {
        bail!("ts-types: the generated TypeScript DTOs are out of date (run `cargo xtask ts-types`)");
    }
    Ok(())
}
