//! `plugin.json`: the fields the dev host reads, validation, executable choice and settings defaults.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

/// Why a manifest cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("no plugin.json in {0}: a plugin bundle must hold plugin.json at the top of its directory")]
    Missing(PathBuf),
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("invalid plugin.json at {path}: {source}")]
    Parse { path: PathBuf, source: serde_json::Error },
    #[error("invalid plugin.json at {path}: {reason}")]
    Invalid { path: PathBuf, reason: String },
    #[error(
        "plugin {id} has server.runtime {runtime:?}: the dev host only runs gRPC plugins, which need server.runtime = \"python\""
    )]
    NotGrpc { id: String, runtime: String },
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct ServerSection {
    #[serde(default)]
    pub executable: String,
    #[serde(default)]
    pub executables: BTreeMap<String, String>,
    #[serde(default)]
    pub runtime: String,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct WebappSection {
    #[serde(default)]
    pub bundle_path: String,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct Setting {
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub default: Value,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct SettingsSchema {
    #[serde(default)]
    pub settings: Vec<Setting>,
}

/// The parts of `plugin.json` the dev host uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub server: Option<ServerSection>,
    #[serde(default)]
    pub webapp: Option<WebappSection>,
    #[serde(default)]
    pub settings_schema: Option<SettingsSchema>,
}

/// Mattermost's plugin id rule: 3–190 characters of `[a-zA-Z0-9-_.]`.
pub fn is_valid_plugin_id(id: &str) -> bool {
    (3..=190).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

impl Manifest {
    /// Reads and validates `<dir>/plugin.json`, requiring a gRPC (`runtime = "python"`) server part.
    pub fn load(dir: &Path) -> Result<Self, ManifestError> {
        let path = dir.join("plugin.json");
        if !path.is_file() {
            return Err(ManifestError::Missing(dir.to_path_buf()));
        }
        let text =
            std::fs::read_to_string(&path).map_err(|source| ManifestError::Read { path: path.clone(), source })?;
        let manifest: Manifest =
            serde_json::from_str(&text).map_err(|source| ManifestError::Parse { path: path.clone(), source })?;
        let invalid = |reason: String| ManifestError::Invalid { path: path.clone(), reason };
        if !is_valid_plugin_id(&manifest.id) {
            return Err(invalid(format!(
                "id {:?} must be 3-190 characters of a-z, A-Z, 0-9, '-', '_', '.'",
                manifest.id
            )));
        }
        let Some(server) = &manifest.server else {
            return Err(invalid("it has no \"server\" section, so there is nothing for the dev host to run".into()));
        };
        if server.runtime != "python" {
            return Err(ManifestError::NotGrpc { id: manifest.id.clone(), runtime: server.runtime.clone() });
        }
        let exe = manifest.executable();
        if exe.is_empty() {
            return Err(invalid("server.executable is not set (Python plugin executable not specified)".into()));
        }
        if Path::new(exe)
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::RootDir | Component::Prefix(_)))
        {
            return Err(invalid(format!("server.executable {exe:?} must be a relative path without '..'")));
        }
        if !dir.join(exe).exists() {
            return Err(invalid(format!("server.executable {exe:?} does not exist in {}", dir.display())));
        }
        Ok(manifest)
    }

    /// The executable for this platform (`executables["linux-amd64"]`, …), falling back to `executable`.
    pub fn executable(&self) -> &str {
        let Some(server) = &self.server else { return "" };
        let os = match std::env::consts::OS {
            "macos" => "darwin",
            other => other,
        };
        let arch = match std::env::consts::ARCH {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            other => other,
        };
        server.executables.get(&format!("{os}-{arch}")).filter(|e| !e.is_empty()).unwrap_or(&server.executable)
    }

    /// The webapp bundle path relative to the plugin dir, if the plugin has one.
    pub fn webapp_bundle(&self) -> Option<&str> {
        self.webapp.as_ref().map(|w| w.bundle_path.as_str()).filter(|p| !p.is_empty())
    }

    /// Settings defaults from `settings_schema`, keys lower-cased as Mattermost stores them.
    pub fn default_settings(&self) -> Map<String, Value> {
        let mut map = Map::new();
        for s in self.settings_schema.iter().flat_map(|s| s.settings.iter()) {
            if !s.key.is_empty() {
                map.insert(s.key.to_lowercase(), s.default.clone());
            }
        }
        map
    }
}
