//! Shared test support: build and stage the real plugin, launch it as the server does, a recording fake PluginAPI.

pub mod fake_api;
pub mod go_host;
pub mod process;
pub mod report;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the workspace root").to_path_buf()
}
