//! Bundle extraction and manifest checks: every bad bundle gets one clear error.

use std::io::Write;
use std::path::Path;

use devhost::bundle::{BundleError, prepare};
use devhost::manifest::ManifestError;
use flate2::Compression;
use flate2::write::GzEncoder;

const GOOD_MANIFEST: &str =
    r#"{"id":"com.example.good","version":"0.1.0","server":{"executable":"plugin.py","runtime":"python"}}"#;

/// Writes a .tar.gz holding `(path, contents, mode)` entries; paths are written raw so tests can forge bad ones.
fn bundle(dir: &Path, entries: &[(&str, &[u8], u32)]) -> std::path::PathBuf {
    let path = dir.join("bundle.tar.gz");
    let file = std::fs::File::create(&path).unwrap();
    let mut builder = tar::Builder::new(GzEncoder::new(file, Compression::fast()));
    for (name, data, mode) in entries {
        let mut header = tar::Header::new_gnu();
        let raw = &mut header.as_gnu_mut().unwrap().name;
        raw[..name.len()].copy_from_slice(name.as_bytes());
        header.set_size(data.len() as u64);
        header.set_mode(*mode);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        builder.append(&header, *data).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap().flush().unwrap();
    path
}

#[test]
fn a_good_bundle_is_extracted_with_its_exec_bit() {
    let tmp = tempfile::tempdir().unwrap();
    let b = bundle(
        tmp.path(),
        &[
            ("com.example.good/plugin.json", GOOD_MANIFEST.as_bytes(), 0o644),
            ("com.example.good/plugin.py", b"# dummy", 0o644),
            ("com.example.good/venv/bin/python", b"#!/bin/sh\n", 0o755),
        ],
    );
    let plugin = prepare(&b, &tmp.path().join("data")).unwrap();
    assert_eq!(plugin.manifest.id, "com.example.good");
    assert!(plugin.dir.ends_with("plugins/com.example.good"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(plugin.dir.join("venv/bin/python")).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111);
    }
    // extracting again replaces the previous copy
    assert!(prepare(&b, &tmp.path().join("data")).is_ok());
}

#[test]
fn a_bundle_without_plugin_json_is_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let b = bundle(tmp.path(), &[("com.example.good/plugin.py", b"x", 0o644)]);
    let err = prepare(&b, &tmp.path().join("data")).unwrap_err();
    assert!(matches!(err, BundleError::Manifest(ManifestError::Missing(_))), "{err}");
    assert!(err.to_string().contains("no plugin.json"), "{err}");
}

#[test]
fn path_traversal_and_absolute_paths_are_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    for evil in ["com.example.good/../../evil.txt", "/tmp/evil.txt"] {
        let b = bundle(
            tmp.path(),
            &[("com.example.good/plugin.json", GOOD_MANIFEST.as_bytes(), 0o644), (evil, b"x", 0o644)],
        );
        let err = prepare(&b, &tmp.path().join("data")).unwrap_err();
        assert!(matches!(err, BundleError::UnsafePath { .. }), "{evil}: {err}");
    }
    assert!(!tmp.path().join("evil.txt").exists());
}

#[test]
fn wrong_layouts_are_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let flat = bundle(tmp.path(), &[("plugin.json", GOOD_MANIFEST.as_bytes(), 0o644)]);
    assert!(matches!(prepare(&flat, tmp.path()).unwrap_err(), BundleError::Layout(_)));
    let two = bundle(tmp.path(), &[("a/plugin.json", GOOD_MANIFEST.as_bytes(), 0o644), ("b/x", b"x", 0o644)]);
    assert!(matches!(prepare(&two, tmp.path()).unwrap_err(), BundleError::Layout(_)));
    let not_gz = tmp.path().join("plain.tar.gz");
    std::fs::write(&not_gz, b"this is not gzip").unwrap();
    assert!(matches!(prepare(&not_gz, tmp.path()).unwrap_err(), BundleError::NotABundle { .. }));
    assert!(matches!(prepare(&tmp.path().join("missing.tar.gz"), tmp.path()).unwrap_err(), BundleError::NotFound(_)));
}

fn plugin_dir(tmp: &Path, manifest: &str) -> std::path::PathBuf {
    let dir = tmp.join("plugin");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("plugin.json"), manifest).unwrap();
    std::fs::write(dir.join("plugin.py"), "# dummy").unwrap();
    dir
}

#[test]
fn manifests_that_cannot_run_in_grpc_mode_are_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (r#"{"id":"com.example.go","server":{"executable":"plugin.py","runtime":"go"}}"#, "only runs gRPC plugins"),
        (r#"{"id":"com.example.none","server":{"executable":"plugin.py"}}"#, "only runs gRPC plugins"),
        (r#"{"id":"com.example.x"}"#, "no \"server\" section"),
        (r#"{"id":"com.example.x","server":{"runtime":"python"}}"#, "executable is not set"),
        (r#"{"id":"com.example.x","server":{"executable":"../plugin.py","runtime":"python"}}"#, "without '..'"),
        (r#"{"id":"com.example.x","server":{"executable":"nope.py","runtime":"python"}}"#, "does not exist"),
        (r#"{"id":"x!","server":{"executable":"plugin.py","runtime":"python"}}"#, "must be 3-190 characters"),
        (r#"{"id": "#, "invalid plugin.json"),
    ];
    for (manifest, expected) in cases {
        let err = prepare(&plugin_dir(tmp.path(), manifest), tmp.path()).unwrap_err();
        assert!(err.to_string().contains(expected), "{manifest}: {err}");
    }
}
