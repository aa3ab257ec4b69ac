//! `api/openapi.json` against the router of the real plugin: every route in the source is documented and every
//! documented path is a route; through the dev host, each documented method is served and every other method on the
//! same path answers 405; every operation says what it is and answers errors as `{error, detail}`; every `$ref`
//! resolves.

use std::collections::{BTreeMap, BTreeSet};

use crate::fresh_host::host;
use crate::privacy::routes_in_source;
use serde_json::Value;

const METHODS: &[&str] = &["get", "post", "put", "delete"];
const MISSING: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaa";

fn document() -> Value {
    let path = incident_tests::root().join("api/openapi.json");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).expect("api/openapi.json is JSON")
}

/// Every `$ref` in `value`.
fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r);
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn every_operation_is_described_and_every_ref_resolves() {
    let doc = document();
    assert_eq!(doc["openapi"].as_str().map(|v| &v[..2]), Some("3."));
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            assert!(METHODS.contains(&method.as_str()), "{at}: unknown method");
            assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{at}: no summary");
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.keys().any(|c| c.starts_with('2')), "{at}: no success answer");
            for code in ["400", "401", "404"] {
                assert!(responses.contains_key(code), "{at}: {code} is not documented");
            }
            for param in op["parameters"].as_array().unwrap() {
                if param["in"] == "path" {
                    let name = param["name"].as_str().unwrap();
                    assert!(path.contains(&format!("{{{name}}}")), "{at}: path parameter {name} is not in the path");
                }
            }
        }
    }
    let error = &doc["components"]["schemas"]["Error"];
    assert_eq!(error["required"], serde_json::json!(["error", "detail"]));
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("{r}: only local refs"));
        assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_file_matches_the_real_router() {
    let doc = document();
    let documented: BTreeMap<String, BTreeSet<String>> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(path, item)| (path.clone(), item.as_object().unwrap().keys().cloned().collect()))
        .collect();
    let paths: BTreeSet<String> = documented.keys().cloned().collect();
    let source = routes_in_source();
    let undocumented: Vec<_> = source.difference(&paths).collect();
    assert!(undocumented.is_empty(), "routes missing from api/openapi.json: {undocumented:?}");
    let stale: Vec<_> = paths.difference(&source).collect();
    assert!(stale.is_empty(), "api/openapi.json documents routes that do not exist: {stale:?}");

    let host = host("openapi").await;
    let team = host.store().get_team_by_name("dev").unwrap().id;
    for (path, methods) in &documented {
        let url = path.replace("{id}", MISSING).replace("{checklist}", "0").replace("{item}", "0");
        let url = format!("{url}?team_id={team}");
        for method in METHODS {
            let r = host.serve_http(Some("admin"), &method.to_uppercase(), &url, b"{}".to_vec()).await;
            let body = String::from_utf8_lossy(&r.body);
            if methods.contains(*method) {
                assert_ne!(r.status, 405, "{method} {path} is documented but not served");
                assert!(!body.contains("no such endpoint"), "{method} {path} is documented but not routed: {body}");
                if r.status >= 400 {
                    let json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                    assert!(json["error"].is_string() && json["detail"].is_string(), "{method} {path}: {body}");
                }
            } else {
                assert_eq!(r.status, 405, "{method} {path} is served but not documented: {body}");
            }
        }
    }
    host.stop().await;
}
