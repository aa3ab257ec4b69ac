//! The plugin's own manifest (`plugin.json`): where the plugin learns its id, since the server sets no env for it.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The parts of `plugin.json` the SDK needs.
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    pub id: String,
    pub version: String,
    #[serde(default)]
    pub name: String,
    /// Where the manifest was read from; its directory is the plugin directory.
    #[serde(skip)]
    pub dir: PathBuf,
}

/// Why the manifest could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a valid plugin manifest: {source}")]
    Parse { path: PathBuf, source: serde_json::Error },
    #[error("{path}: the plugin id {id:?} is invalid (3-190 characters of a-z A-Z 0-9 . _ -)")]
    InvalidId { path: PathBuf, id: String },
}

impl Manifest {
    /// Reads `<dir>/plugin.json`.
    pub fn load(dir: &Path) -> Result<Self, ManifestError> {
        let path = dir.join("plugin.json");
        let text =
            std::fs::read_to_string(&path).map_err(|source| ManifestError::Read { path: path.clone(), source })?;
        let mut manifest: Manifest =
            serde_json::from_str(&text).map_err(|source| ManifestError::Parse { path: path.clone(), source })?;
        let valid = (3..=190).contains(&manifest.id.len())
            && manifest.id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !valid {
            return Err(ManifestError::InvalidId { path, id: manifest.id });
        }
        manifest.dir = dir.to_path_buf();
        Ok(manifest)
    }
}
