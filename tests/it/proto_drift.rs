//! Fails when our `proto/` subset drifts from the upstream wire contract in any name, number, type,
//! label or streaming flag; the upstream files are vendored in `tests/fixtures/upstream-proto/`.

use prost_types::{DescriptorProto, FileDescriptorSet};
use std::collections::BTreeMap;
use std::path::Path;

const PACKAGE: &str = "mattermost.pluginapi.v1";

fn compile(dir: &Path, files: &[&str]) -> FileDescriptorSet {
    protox::compile(files, [dir]).unwrap_or_else(|e| panic!("compiling {}: {e}", dir.display()))
}

fn ours() -> FileDescriptorSet {
    compile(&incident_tests::root().join("proto"), &["mattermost_hooks.proto", "mattermost_api.proto"])
}

fn reference() -> FileDescriptorSet {
    let dir = incident_tests::root().join("tests/fixtures/upstream-proto");
    compile(&dir, &["api.proto", "hooks.proto"])
}

/// Full name → descriptor, for messages, map entries included.
fn messages(fds: &FileDescriptorSet) -> BTreeMap<String, DescriptorProto> {
    let mut out = BTreeMap::new();
    fn walk(prefix: &str, m: &DescriptorProto, out: &mut BTreeMap<String, DescriptorProto>) {
        let name = format!("{prefix}.{}", m.name());
        for nested in &m.nested_type {
            walk(&name, nested, out);
        }
        out.insert(name, m.clone());
    }
    for f in fds.file.iter().filter(|f| f.package() == PACKAGE) {
        for m in &f.message_type {
            walk(PACKAGE, m, &mut out);
        }
    }
    out
}

/// Every way `ours` differs from `reference`, as readable lines.
fn differences(ours: &FileDescriptorSet, reference: &FileDescriptorSet) -> Vec<String> {
    let mut diffs = Vec::new();
    let ref_msgs = messages(reference);
    for (name, m) in messages(ours) {
        let Some(r) = ref_msgs.get(&name) else {
            diffs.push(format!("message {name} is not upstream"));
            continue;
        };
        let key = |f: &prost_types::FieldDescriptorProto| {
            (f.name().to_owned(), f.r#type, f.type_name().to_owned(), f.label, f.proto3_optional())
        };
        let by_number = |d: &DescriptorProto| d.field.iter().map(|f| (f.number(), key(f))).collect::<BTreeMap<_, _>>();
        let (mine, theirs) = (by_number(&m), by_number(r));
        for (number, field) in &mine {
            match theirs.get(number) {
                None => diffs.push(format!("{name} field {number} ({}) is not upstream", field.0)),
                Some(t) if t != field => diffs.push(format!("{name} field {number}: ours {field:?}, upstream {t:?}")),
                Some(_) => {}
            }
        }
        for (number, field) in &theirs {
            if !mine.contains_key(number) {
                diffs.push(format!("{name} lacks upstream field {number} ({})", field.0));
            }
        }
    }
    let enums = |fds: &FileDescriptorSet| {
        fds.file
            .iter()
            .filter(|f| f.package() == PACKAGE)
            .flat_map(|f| f.enum_type.iter())
            .map(|e| {
                (e.name().to_owned(), e.value.iter().map(|v| (v.name().to_owned(), v.number())).collect::<Vec<_>>())
            })
            .collect::<BTreeMap<_, _>>()
    };
    let ref_enums = enums(reference);
    for (name, values) in enums(ours) {
        if ref_enums.get(&name) != Some(&values) {
            diffs.push(format!("enum {name} differs from upstream"));
        }
    }
    let methods = |fds: &FileDescriptorSet| {
        fds.file
            .iter()
            .flat_map(|f| f.service.iter())
            .flat_map(|s| {
                s.method.iter().map(move |m| {
                    (
                        format!("{}/{}", s.name(), m.name()),
                        (
                            m.input_type().to_owned(),
                            m.output_type().to_owned(),
                            m.client_streaming(),
                            m.server_streaming(),
                        ),
                    )
                })
            })
            .collect::<BTreeMap<_, _>>()
    };
    let ref_methods = methods(reference);
    for (name, sig) in methods(ours) {
        match ref_methods.get(&name) {
            None => diffs.push(format!("rpc {name} is not upstream")),
            Some(r) if *r != sig => diffs.push(format!("rpc {name}: ours {sig:?}, upstream {r:?}")),
            Some(_) => {}
        }
    }
    diffs
}

#[test]
fn our_subset_matches_upstream() {
    let ours = ours();
    let diffs = differences(&ours, &reference());
    assert!(diffs.is_empty(), "proto/ drifted from upstream:\n{}", diffs.join("\n"));
    let rpcs: usize = ours.file.iter().flat_map(|f| f.service.iter()).map(|s| s.method.len()).sum();
    assert!(rpcs >= 50, "the subset should hold our hooks and API calls, found {rpcs} RPCs");
}

#[test]
fn drift_is_detected() {
    let reference = reference();
    let mut renumbered = ours();
    let post = renumbered
        .file
        .iter_mut()
        .flat_map(|f| f.message_type.iter_mut())
        .find(|m| m.name() == "Post")
        .expect("Post is in our subset");
    post.field[0].number = Some(99);
    assert!(differences(&renumbered, &reference).iter().any(|d| d.contains("Post field 99")));

    let mut retyped = ours();
    let method = retyped
        .file
        .iter_mut()
        .flat_map(|f| f.service.iter_mut())
        .flat_map(|s| s.method.iter_mut())
        .find(|m| m.name() == "ServeHTTP")
        .unwrap();
    method.client_streaming = Some(false);
    assert!(differences(&retyped, &reference).iter().any(|d| d.contains("ServeHTTP")));
}
