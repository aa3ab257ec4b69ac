//! Builds the Marketplace bundle `dist/<id>-<version>.tar.gz`.
//!
//! Layout (everything under `<id>/`): plugin.json, plugin.py (placeholder the gRPC runtime requires),
//! venv/bin/python (the launcher), server/dist/plugin-linux-<arch> (static musl binaries),
//! webapp/dist/main.js, assets/. Modes are set explicitly; mtimes are fixed so builds are reproducible.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The manifest fields the build needs. `plugin.json` is the one place the version lives.
pub struct Manifest {
    pub id: String,
    pub version: String,
}

pub fn manifest(root: &Path) -> Result<Manifest> {
    let text = std::fs::read_to_string(root.join("plugin.json")).context("reading plugin.json")?;
    let v: serde_json::Value = serde_json::from_str(&text).context("parsing plugin.json")?;
    let field = |k: &str| v[k].as_str().map(str::to_owned).with_context(|| format!("plugin.json has no {k}"));
    Ok(Manifest { id: field("id")?, version: field("version")? })
}

/// Rust target triple → binary name in the bundle. The launcher picks by `uname -m`.
const TARGETS: &[(&str, &str)] =
    &[("x86_64-unknown-linux-musl", "plugin-linux-x86_64"), ("aarch64-unknown-linux-musl", "plugin-linux-aarch64")];

pub fn run(root: &Path) -> Result<()> {
    let m = manifest(root)?;
    let mut files: Vec<(String, PathBuf, u32)> = vec![
        ("plugin.json".into(), root.join("plugin.json"), 0o644),
        ("plugin.py".into(), root.join("server/launcher/plugin.py"), 0o644),
        ("venv/bin/python".into(), root.join("server/launcher/python"), 0o755),
    ];
    for (triple, name) in TARGETS {
        eprintln!("dist: building {name} ({triple})");
        let status = Command::new(env!("CARGO"))
            .current_dir(root)
            .args(["build", "--release", "--locked", "-p", "incident-plugin", "--target", triple])
            .status()?;
        if !status.success() {
            bail!("building the plugin for {triple} failed (is the target installed? `rustup target add {triple}`)");
        }
        files.push((
            format!("server/dist/{name}"),
            root.join("target").join(triple).join("release/incident-plugin"),
            0o755,
        ));
    }
    let bundle_js = root.join("webapp/dist/main.js");
    if bundle_js.is_file() {
        files.push(("webapp/dist/main.js".into(), bundle_js, 0o644));
    } else {
        bail!("webapp/dist/main.js is missing: build the webapp first (`make webapp`)");
    }
    for entry in std::fs::read_dir(root.join("assets"))? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            let name = entry.file_name().to_string_lossy().into_owned();
            files.push((format!("assets/{name}"), entry.path(), 0o644));
        }
    }

    let out_dir = root.join("dist");
    std::fs::create_dir_all(&out_dir)?;
    let out = out_dir.join(format!("{}-{}.tar.gz", m.id, m.version));
    write_bundle(&out, &m.id, &files)?;
    eprintln!("dist: wrote {} ({} bytes)", out.display(), std::fs::metadata(&out)?.len());
    Ok(())
}

fn write_bundle(out: &Path, id: &str, files: &[(String, PathBuf, u32)]) -> Result<()> {
    let file = std::fs::File::create(out)?;
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    let mut dirs: Vec<String> = vec![String::new()];
    for (path, _, _) in files {
        let mut prefix = String::new();
        for part in path.split('/').rev().skip(1).collect::<Vec<_>>().into_iter().rev() {
            prefix = if prefix.is_empty() { part.to_owned() } else { format!("{prefix}/{part}") };
            if !dirs.contains(&prefix) {
                dirs.push(prefix.clone());
            }
        }
    }
    for dir in &dirs {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Directory);
        header.set_mode(0o755);
        header.set_size(0);
        header.set_mtime(1);
        let name = if dir.is_empty() { format!("{id}/") } else { format!("{id}/{dir}/") };
        tar.append_data(&mut header, name, std::io::empty())?;
    }
    for (path, source, mode) in files {
        let data = std::fs::read(source).with_context(|| format!("reading {}", source.display()))?;
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_mode(*mode);
        header.set_size(data.len() as u64);
        header.set_mtime(1);
        tar.append_data(&mut header, format!("{id}/{path}"), data.as_slice())?;
    }
    tar.into_inner()?.finish()?;
    Ok(())
}
