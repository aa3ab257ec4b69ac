//! Turns `--bundle x.tar.gz` or `--plugin-dir DIR` into a plugin directory with a validated manifest.

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use flate2::read::GzDecoder;

use crate::manifest::{Manifest, ManifestError};

/// Largest total size the dev host extracts from a bundle.
pub const MAX_EXTRACTED_BYTES: u64 = 1 << 30;

/// Why a bundle or plugin directory cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("{0} does not exist")]
    NotFound(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a .tar.gz plugin bundle: {reason}")]
    NotABundle { path: PathBuf, reason: String },
    #[error("bundle entry {entry:?} is unsafe: absolute paths and '..' are not allowed")]
    UnsafePath { entry: String },
    #[error("bundle layout is wrong: {0}")]
    Layout(String),
    #[error(transparent)]
    Manifest(#[from] ManifestError),
}

/// A plugin on disk, ready to launch.
#[derive(Debug, Clone)]
pub struct PluginDir {
    pub dir: PathBuf,
    pub manifest: Manifest,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BundleError + '_ {
    move |source| BundleError::Io { path: path.to_path_buf(), source }
}

/// Uses a plugin directory as it is, or extracts a `.tar.gz` bundle into `<data_dir>/plugins/<id>`.
pub fn prepare(source: &Path, data_dir: &Path) -> Result<PluginDir, BundleError> {
    if !source.exists() {
        return Err(BundleError::NotFound(source.to_path_buf()));
    }
    if source.is_dir() {
        let dir = fs::canonicalize(source).map_err(io(source))?;
        let manifest = Manifest::load(&dir)?;
        return Ok(PluginDir { dir, manifest });
    }
    let plugins = data_dir.join("plugins");
    fs::create_dir_all(&plugins).map_err(io(&plugins))?;
    let staging = plugins.join(format!(".extract-{}", crate::ids::new_id()));
    let result = extract(source, &staging).and_then(|top| {
        let manifest = Manifest::load(&top)?;
        let dest = plugins.join(&manifest.id);
        if dest.exists() {
            fs::remove_dir_all(&dest).map_err(io(&dest))?;
        }
        fs::rename(&top, &dest).map_err(io(&dest))?;
        let dir = fs::canonicalize(&dest).map_err(io(&dest))?;
        let manifest = Manifest::load(&dir)?;
        Ok(PluginDir { dir, manifest })
    });
    let _ = fs::remove_dir_all(&staging);
    result
}

/// Extracts regular files and directories into `staging` and returns the single top-level directory.
pub fn extract(bundle: &Path, staging: &Path) -> Result<PathBuf, BundleError> {
    let file = fs::File::open(bundle).map_err(io(bundle))?;
    let mut archive = tar::Archive::new(GzDecoder::new(file));
    fs::create_dir_all(staging).map_err(io(staging))?;
    let not_bundle = |e: std::io::Error| BundleError::NotABundle { path: bundle.to_path_buf(), reason: e.to_string() };
    let mut total = 0u64;
    let mut tops = std::collections::BTreeSet::new();
    for entry in archive.entries().map_err(not_bundle)? {
        let mut entry = entry.map_err(not_bundle)?;
        let path = entry.path().map_err(not_bundle)?.into_owned();
        let shown = path.display().to_string();
        if path.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir)) {
            return Err(BundleError::UnsafePath { entry: shown });
        }
        let rel: PathBuf = path.components().filter(|c| matches!(c, Component::Normal(_))).collect();
        let Some(Component::Normal(top)) = rel.components().next() else { continue };
        let kind = entry.header().entry_type();
        if !(kind.is_file() || kind.is_dir()) {
            tracing::warn!(entry = %shown, "skipping bundle entry that is neither a file nor a directory");
            continue;
        }
        tops.insert(top.to_os_string());
        total = total.saturating_add(entry.header().size().unwrap_or(0));
        if total > MAX_EXTRACTED_BYTES {
            return Err(BundleError::Layout(format!("bundle expands to more than {MAX_EXTRACTED_BYTES} bytes")));
        }
        let dest = staging.join(&rel);
        if kind.is_dir() {
            fs::create_dir_all(&dest).map_err(io(&dest))?;
            continue;
        }
        if rel.components().count() == 1 {
            return Err(BundleError::Layout(format!(
                "{shown} is at the top of the archive; a bundle holds one directory (the plugin id) with plugin.json inside"
            )));
        }
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let mut out = fs::File::create(&dest).map_err(io(&dest))?;
        std::io::copy(&mut (&mut entry).take(MAX_EXTRACTED_BYTES), &mut out).map_err(io(&dest))?;
        set_mode(&dest, entry.header().mode().unwrap_or(0o644))?;
    }
    match tops.len() {
        0 => Err(BundleError::Layout("the bundle is empty".into())),
        1 => Ok(staging.join(tops.into_iter().next().unwrap_or_default())),
        n => Err(BundleError::Layout(format!(
            "the bundle has {n} top-level entries; it must hold exactly one directory with plugin.json inside"
        ))),
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<(), BundleError> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode & 0o777)).map_err(io(path))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> Result<(), BundleError> {
    Ok(())
}
