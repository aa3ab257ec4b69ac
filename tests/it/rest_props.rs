//! Property tests of the REST decoders through the real plugin process: every route that reads a body gets
//! arbitrary bytes, arbitrary JSON and its own valid body with one field replaced by an arbitrary value. Whatever
//! comes in, the answer is a 2xx or a 4xx `{error, detail}` (never a 5xx, never a dropped request), and the plugin
//! stays healthy. `PROPTEST_CASES` sets the run length (`make fuzz` runs it long).

use devhost::DevHost;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

use crate::fresh_host::host;

/// (method, path, a valid body). `{id}` is a live incident, `{pb}` a live playbook, `{team}` the team.
#[rustfmt::skip]
const ROUTES: &[(&str, &str, &str)] = &[
    ("POST", "/api/v0/incidents", r#"{"name":"Fuzzed","team_id":"{team}"}"#),
    ("POST", "/api/v0/incidents/dialog", r#"{"post_id":"aaaaaaaaaaaaaaaaaaaaaaaaaa","team_id":"{team}"}"#),
    ("POST", "/api/v0/incidents/{id}/tasks", r#"{"checklist":0,"title":"Fuzzed task"}"#),
    ("POST", "/api/v0/incidents/{id}/tasks/toggle", r#"{"checklist":0,"item":0}"#),
    ("POST", "/api/v0/incidents/{id}/tasks/assign", r#"{"checklist":0,"item":0,"user_id":null}"#),
    ("POST", "/api/v0/incidents/{id}/commander", r#"{"user_id":"{alice}"}"#),
    ("POST", "/api/v0/incidents/{id}/status", r#"{"message":"Fuzzed update","reminder_ms":900000}"#),
    ("POST", "/api/v0/incidents/{id}/end", r#"{"confirm":false}"#),
    ("POST", "/api/v0/incidents/{id}/access/grant", r#"{"username":"bob","expires_in_minutes":5}"#),
    ("POST", "/api/v0/incidents/{id}/access/revoke", r#"{"username":"bob"}"#),
    ("POST", "/api/v0/incidents/{id}/visibility", r#"{"visibility":"private","confirmed":false}"#),
    ("POST", "/api/v0/actions/end", r#"{"context":{"incident_id":"{id}"}}"#),
    ("POST", "/api/v0/actions/access", r#"{"context":{"incident_id":"{id}","user":"{alice}","decision":"keep"}}"#),
    ("POST", "/api/v0/actions/reminder", r#"{"context":{"incident_id":"{id}","action":"dismiss"}}"#),
    ("POST", "/api/v0/dialogs/update", r#"{"state":"{id}","submission":{"message":"Dialog update"}}"#),
    ("POST", "/api/v0/dialogs/start", r#"{"cancelled":true}"#),
    ("POST", "/api/v0/playbooks?team_id={team}", r#"{"title":"Fuzzed playbook","checklists":[{"title":"A","items":[{"title":"t"}]}]}"#),
    ("PUT", "/api/v0/playbooks/{pb}", r#"{"title":"Fuzzed playbook","checklists":[]}"#),
    ("POST", "/api/v0/playbooks/import?team_id={team}", r#"{"format":"incident-collaboration-playbook","version":1,"playbook":{"title":"Imported"}}"#),
];

/// Any JSON value, nested a few levels.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::String),
        "[a-z0-9]{26}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A body: arbitrary bytes, arbitrary JSON, or the valid body with one (possibly nested) field replaced.
fn body(valid: Value) -> impl Strategy<Value = Vec<u8>> {
    let fields: Vec<String> = match &valid {
        Value::Object(m) => m.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let mutated = (prop::sample::select(if fields.is_empty() { vec![String::new()] } else { fields }), any_json())
        .prop_map(move |(field, value)| {
            let mut v = valid.clone();
            match v.get_mut(&field).and_then(Value::as_object_mut) {
                // A nested object (context, submission, …): replace one of its fields, or add one.
                Some(inner) => {
                    let key = inner.keys().next().cloned().unwrap_or_else(|| "x".into());
                    inner.insert(key, value);
                }
                None => {
                    if let Some(obj) = v.as_object_mut() {
                        obj.insert(field, value);
                    }
                }
            }
            serde_json::to_vec(&v).unwrap()
        });
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..200),
        1 => any_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        2 => mutated,
    ]
}

/// Checks one answer: 2xx, or 4xx with `{error, detail}`.
fn check(method: &str, path: &str, sent: &[u8], status: u16, got: &[u8]) -> Result<(), TestCaseError> {
    let what = || {
        format!("{method} {path} with {:?} → {status} {}", String::from_utf8_lossy(sent), String::from_utf8_lossy(got))
    };
    prop_assert!((200..500).contains(&status), "no 5xx: {}", what());
    if status >= 400 {
        let v: Value = serde_json::from_slice(got).map_err(|e| TestCaseError::fail(format!("{e}: {}", what())))?;
        prop_assert!(v["error"].is_string() && v["detail"].is_string(), "an error is {{error, detail}}: {}", what());
    }
    Ok(())
}

async fn setup(host: &DevHost) -> Vec<(&'static str, String, Value)> {
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let alice = host.user_id("alice").unwrap();
    let start = format!(r#"{{"name":"Fuzz target","team_id":"{team}"}}"#);
    let created = host.serve_http(Some("alice"), "POST", "/api/v0/incidents", start.into_bytes()).await;
    assert_eq!(created.status, 201, "{}", String::from_utf8_lossy(&created.body));
    let id = serde_json::from_slice::<Value>(&created.body).unwrap()["id"].as_str().unwrap().to_owned();
    let playbook = r#"{"title":"Fuzz playbook"}"#;
    let pb = host.serve_http(Some("alice"), "POST", &format!("/api/v0/playbooks?team_id={team}"), playbook).await;
    assert_eq!(pb.status, 201, "{}", String::from_utf8_lossy(&pb.body));
    let pb = serde_json::from_slice::<Value>(&pb.body).unwrap()["id"].as_str().unwrap().to_owned();
    let fill =
        |s: &str| s.replace("{id}", &id).replace("{pb}", &pb).replace("{team}", &team).replace("{alice}", &alice);
    ROUTES.iter().map(|(m, p, b)| (*m, fill(p), serde_json::from_str(&fill(b)).unwrap())).collect()
}

#[test]
fn rest_decoders_props_answer_every_body_with_2xx_or_a_4xx_error() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let host = rt.block_on(host("rest-props"));
    let routes = rt.block_on(setup(&host));
    // Per route a share of the cases (PROPTEST_CASES overall, 256 by default), at least 16.
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse::<u32>().ok()).unwrap_or(256);
    let per_route = (cases / 8).max(16);
    for (method, path, valid) in routes {
        let mut runner = TestRunner::new(Config { cases: per_route, failure_persistence: None, ..Config::default() });
        let result = runner.run(&body(valid), |sent| {
            let r = rt.block_on(host.serve_http(Some("alice"), method, &path, sent.clone()));
            check(method, &path, &sent, r.status, &r.body)
        });
        if let Err(e) = result {
            panic!("{method} {path}: {e}");
        }
    }
    let health = rt.block_on(host.serve_http(Some("alice"), "GET", "/api/v0/health", Vec::new()));
    assert_eq!(health.status, 200, "the plugin is still healthy");
    rt.block_on(host.stop());
}
