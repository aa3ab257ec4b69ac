//! Review and export through the real plugin under the dev host: an incident with a task, a status update and
//! channel messages is ended; its review numbers, Markdown and JSON exports (with the transcript read through the
//! PluginAPI), the team CSV (never a private incident) and the stats answer as documented; bad input is refused.

use crate::fresh_host::{host, mm_post};
use devhost::DevHost;
use serde_json::{Value, json};

async fn get(host: &DevHost, user: &str, path: &str) -> (u16, String, Vec<(String, String)>) {
    let r = host.serve_http(Some(user), "GET", path, Vec::new()).await;
    let headers = r.headers.iter().map(|(k, v)| (k.to_lowercase(), v.clone())).collect();
    (r.status, String::from_utf8_lossy(&r.body).into_owned(), headers)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_exports_csv_and_stats_through_the_real_plugin() {
    let host = host("review-e2e").await;
    host.store().set_plugin_setting(&host.plugin_id(), "EnablePrivateIncidents", &json!(true)).unwrap();
    host.restart_plugin().await.unwrap();
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let say = |user: &'static str, channel: String, text: String| {
        let host = &host;
        async move { host.execute_command(user, &channel, &text).await.unwrap()["text"].as_str().unwrap().to_owned() }
    };
    say("alice", "town-square".into(), "/incident start Checkout =SUM(A1) down".into()).await;
    let ch = host.channel_id("checkout-sum-a1-down").unwrap();
    let bob = host.user_id("bob").unwrap();
    host.store().add_channel_member(&ch, &bob).unwrap();
    say("alice", ch.clone(), "/incident checkadd 1 Roll back".into()).await;
    say("alice", ch.clone(), "/incident check 1 1".into()).await;
    host.store().create_post(mm_post(&ch, &bob, "Rolled back the deploy. @channel FYI")).unwrap();
    say("alice", ch.clone(), "/incident end".into()).await;

    let (status, body, _) = get(&host, "alice", &format!("/api/v0/incidents?channel_id={ch}")).await;
    assert_eq!(status, 200, "{body}");
    let id = serde_json::from_str::<Value>(&body).unwrap()["items"][0]["id"].as_str().unwrap().to_owned();

    let (status, body, _) = get(&host, "alice", &format!("/api/v0/incidents/{id}/review")).await;
    assert_eq!(status, 200, "{body}");
    let review: Value = serde_json::from_str(&body).unwrap();
    assert!(review["duration_ms"].as_u64().is_some(), "{review}");
    assert_eq!(review["member_ids"], json!([host.user_id("alice").unwrap()]), "{review}");

    let (status, md, headers) = get(&host, "alice", &format!("/api/v0/incidents/{id}/export")).await;
    assert_eq!(status, 200, "{md}");
    assert_eq!(header(&headers, "content-type"), Some("text/markdown; charset=utf-8"));
    assert_eq!(header(&headers, "content-disposition"), Some("attachment; filename=\"INC-00001.md\""));
    for part in [
        "# Checkout =SUM(A1) down · INC-00001",
        "- **Status:** ended",
        "- [x] Roll back · done by @alice",
        "@alice ended the incident",
        "## Channel transcript",
        "**@bob** · ",
        "> Rolled back the deploy. @\u{2060}channel FYI",
    ] {
        assert!(md.contains(part), "{part:?} missing from:\n{md}");
    }

    let (status, body, headers) = get(&host, "alice", &format!("/api/v0/incidents/{id}/export?format=json")).await;
    assert_eq!((status, header(&headers, "content-type")), (200, Some("application/json")), "{body}");
    let export: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(export["format"], "incident-collaboration-export");
    assert_eq!(export["incident"]["id"], json!(id));
    assert_eq!(export["incident"]["checklists"][0]["items"][0]["title"], "Roll back");
    let said: Vec<&str> =
        export["transcript"].as_array().unwrap().iter().filter_map(|l| l["message"].as_str()).collect();
    assert!(said.contains(&"Rolled back the deploy. @channel FYI"), "the JSON keeps the text verbatim: {said:?}");
    let by_bob = export["transcript"].as_array().unwrap().iter().find(|l| l["user_id"] == json!(bob)).unwrap();
    assert_eq!(by_bob["username"], "bob");
    assert_eq!(export["transcript_truncated"], false);

    // 450 more messages: the transcript pages through GetPostsForChannel (200 a page) and stays oldest first.
    for n in 0..450 {
        host.store().create_post(mm_post(&ch, &bob, &format!("Note {n}"))).unwrap();
    }
    let (_, body, _) = get(&host, "alice", &format!("/api/v0/incidents/{id}/export?format=json")).await;
    let export: Value = serde_json::from_str(&body).unwrap();
    let lines = export["transcript"].as_array().unwrap();
    let times: Vec<i64> = lines.iter().map(|l| l["at"].as_i64().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first: {times:?}");
    // Posts made in the same millisecond have no order between them (as on a real server), so compare as sets.
    let mut notes: Vec<&str> =
        lines.iter().filter_map(|l| l["message"].as_str()).filter(|m| m.starts_with("Note ")).collect();
    notes.sort_unstable();
    let mut expected: Vec<String> = (0..450).map(|n| format!("Note {n}")).collect();
    expected.sort_unstable();
    assert_eq!(notes, expected.iter().map(String::as_str).collect::<Vec<_>>(), "every post, none twice");
    assert_eq!(export["transcript_truncated"], false);

    // Past the cap the export keeps the newest MAX_TRANSCRIPT messages and says it cut the rest: one message more,
    // dated before everything else, is the one left out.
    let cap = incident_app::review::MAX_TRANSCRIPT;
    let had = lines.len();
    for n in 0..cap + 1 - had {
        let post = mm_post(&ch, &bob, &format!("Later {n}"));
        host.store()
            .create_post(devhost::store::Post { create_at: 1_000 + i64::try_from(n).unwrap(), ..post })
            .unwrap();
    }
    let (_, body, _) = get(&host, "alice", &format!("/api/v0/incidents/{id}/export?format=json")).await;
    let export: Value = serde_json::from_str(&body).unwrap();
    let lines = export["transcript"].as_array().unwrap();
    assert_eq!(lines.len(), cap);
    assert_eq!(export["transcript_truncated"], true);
    let said = |m: &str| lines.iter().any(|l| l["message"] == json!(m));
    assert!(!said("Later 0") && said("Later 1") && said("Note 449"), "the oldest message is the one cut");
    let (_, md, _) = get(&host, "alice", &format!("/api/v0/incidents/{id}/export")).await;
    assert!(md.contains(&format!("_Only the newest {cap} messages are included._")), "{}", &md[..md.len().min(2_000)]);

    let (status, body, _) = get(&host, "alice", &format!("/api/v0/incidents/{id}/export?format=pdf")).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("`format` must be `markdown` or `json`, not `pdf`."), "{body}");

    // A private incident: exported to its members, never in the CSV, counted in stats only for them.
    let create = format!(r#"{{"name":"Breach","team_id":"{team}","visibility":"private"}}"#);
    let r = host.serve_http(Some("alice"), "POST", "/api/v0/incidents", create.into_bytes()).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let (status, csv, headers) = get(&host, "alice", &format!("/api/v0/exports/incidents.csv?team_id={team}")).await;
    assert_eq!((status, header(&headers, "content-type")), (200, Some("text/csv; charset=utf-8")), "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "reference,name,status,commander,created_at,ended_at,duration_minutes,tasks_done,tasks_total");
    assert_eq!(lines.len(), 2, "only the public incident: {csv}");
    assert!(lines[1].starts_with("\"INC-00001\",\"Checkout =SUM(A1) down\",ended,\"alice\","), "{csv}");
    assert!(lines[1].ends_with(",1,1"), "{csv}");
    assert!(!csv.contains("Breach"));

    let (status, body, _) = get(&host, "alice", &format!("/api/v0/stats?team_id={team}")).await;
    assert_eq!(status, 200, "{body}");
    let stats: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((stats["active"].as_u64(), stats["ended"].as_u64()), (Some(1), Some(1)), "{stats}");
    assert!(stats["mean_time_to_resolve_ms"].as_u64().is_some(), "{stats}");
    assert_eq!(stats["per_playbook"][0]["playbook_id"], Value::Null);
    let (_, body, _) = get(&host, "bob", &format!("/api/v0/stats?team_id={team}")).await;
    let stats: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((stats["active"].as_u64(), stats["ended"].as_u64()), (Some(0), Some(1)), "bob has no access: {stats}");
    let (status, body, _) = get(&host, "alice", "/api/v0/stats").await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("Give a valid `team_id` query parameter."), "{body}");
    host.stop().await;
}
