//! Checks the Marketplace bundle `make dist` wrote: one top-level `<id>/` directory, the files the
//! server and the launcher need, executable bits where the kernel needs them.

use flate2::read::GzDecoder;
use std::collections::BTreeMap;
use std::io::Read;

#[test]
fn bundle_layout_and_modes() {
    let root = incident_tests::root();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("plugin.json")).unwrap()).unwrap();
    let (id, version) = (manifest["id"].as_str().unwrap(), manifest["version"].as_str().unwrap());
    let path = root.join("dist").join(format!("{id}-{version}.tar.gz"));
    assert!(path.is_file(), "{} is missing: run `make dist` (make test does)", path.display());

    let mut archive = tar::Archive::new(GzDecoder::new(std::fs::File::open(&path).unwrap()));
    let mut entries: BTreeMap<String, (u32, Vec<u8>)> = BTreeMap::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(&format!("{id}/")), "{name} is outside the top-level {id}/ directory");
        assert!(!name.contains(".."), "{name}");
        let mode = entry.header().mode().unwrap();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        entries.insert(name, (mode, data));
    }
    let file = |p: &str| entries.get(&format!("{id}/{p}")).unwrap_or_else(|| panic!("bundle lacks {p}"));

    let bundled: serde_json::Value = serde_json::from_slice(&file("plugin.json").1).unwrap();
    assert_eq!(bundled, manifest, "the bundle carries the repository's manifest");
    assert_eq!(bundled["server"]["runtime"], "python");
    assert_eq!(bundled["server"]["executable"], "plugin.py");
    file("plugin.py");
    let (mode, launcher) = file("venv/bin/python");
    assert_eq!(mode & 0o111, 0o111, "the launcher must be executable");
    assert!(launcher.starts_with(b"#!/bin/sh"));
    for arch in ["x86_64", "aarch64"] {
        let (mode, bin) = file(&format!("server/dist/plugin-linux-{arch}"));
        assert_eq!(mode & 0o111, 0o111, "{arch} binary must be executable");
        assert!(bin.starts_with(b"\x7fELF"), "{arch} binary is an ELF file");
    }
    assert!(!file("webapp/dist/main.js").1.is_empty());
    file(bundled["icon_path"].as_str().unwrap());
}

/// The bundle as the server would unpack it: its launcher and static binary answer the handshake.
#[tokio::test]
async fn unpacked_bundle_starts_through_its_launcher() {
    use incident_tests::fake_api::FakeApi;
    use incident_tests::process::{launch, read_handshake, scratch, server_env, wait_exit};
    let root = incident_tests::root();
    let bundle = std::fs::read_dir(root.join("dist"))
        .expect("dist/ exists: run `make dist`")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".tar.gz"))
        .expect("a bundle in dist/");
    let into = scratch("unpacked");
    tar::Archive::new(GzDecoder::new(std::fs::File::open(bundle).unwrap())).unpack(&into).unwrap();
    let dir = std::fs::read_dir(&into).unwrap().next().unwrap().unwrap().path();
    let fake = FakeApi::default();
    let api = fake.serve().await;
    let mut child = launch(&dir, &server_env(&api));
    let addr = read_handshake(&mut child).await;
    let channel = tonic::transport::Channel::from_shared(format!("http://{addr}")).unwrap().connect().await.unwrap();
    let mut hooks = mm::pb::v1::plugin_hooks_client::PluginHooksClient::new(channel);
    let activated = hooks.on_activate(mm::pb::v1::OnActivateRequest::default()).await.unwrap().into_inner();
    assert!(activated.error.is_none());
    assert_eq!(fake.recorded.lock().unwrap().commands[0].trigger, "incident");
    hooks.on_deactivate(mm::pb::v1::OnDeactivateRequest::default()).await.unwrap();
    let (ok, stderr) = wait_exit(child, std::time::Duration::from_secs(3)).await;
    assert!(ok, "{stderr}");
}
