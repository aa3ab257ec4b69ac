//! The privacy matrix: every REST route, slash command, websocket event and announcement path, for a non-member, a
//! revoked user, a member and a system admin, against a private incident, through the real plugin process under the
//! dev host. To anyone without access a private incident answers exactly like a missing id (404, same body; the same
//! command reply with the reference swapped). A route or subcommand the matrix does not cover fails the test.
//!
//! The user of another team (olivia, team `ops`) is created through the dev host's store (`create_team`,
//! `create_user`, `add_team_member`).

use std::collections::BTreeSet;

use crate::devhost_e2e::wait_until;
use crate::fresh_host::host;
use devhost::DevHost;
use serde_json::{Value, json};

const PLUGIN_ID: &str = "org.incidentcollab.incidents";
const MISSING: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaa";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    NonMember,
    OtherTeam,
    Revoked,
    Member,
    Admin,
}

/// (who, username): bob never had access, olivia is in another team only, carol was granted then revoked, alice
/// reported it, admin is a system admin.
const VIEWERS: &[(Who, &str)] = &[
    (Who::NonMember, "bob"),
    (Who::OtherTeam, "olivia"),
    (Who::Revoked, "carol"),
    (Who::Member, "alice"),
    (Who::Admin, "admin"),
];

/// What a viewer with access gets from an incident-scoped route (people without access always get "as missing").
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Exactly this status.
    Status(u16),
    /// Identical to the missing-id answer for everyone (status and body).
    SameAsMissing,
}

/// Incident-scoped REST rows: (method, path, body). `{id}` is the incident id (or the missing one).
/// Member and admin answers are given per row.
#[rustfmt::skip]
const SCOPED: &[(&str, &str, &str, Expect, Expect)] = &[
    ("GET", "/api/v0/incidents/{id}", "", Expect::Status(200), Expect::Status(200)),
    ("GET", "/api/v0/incidents/{id}/timeline", "", Expect::Status(200), Expect::Status(200)),
    ("POST", "/api/v0/incidents/{id}/timeline", r#"{"post_id":"bbbbbbbbbbbbbbbbbbbbbbbbbb"}"#, Expect::Status(400), Expect::Status(400)),
    ("GET", "/api/v0/incidents/{id}/access", "", Expect::Status(200), Expect::Status(200)),
    ("GET", "/api/v0/incidents/{id}/review", "", Expect::Status(200), Expect::Status(200)),
    ("GET", "/api/v0/incidents/{id}/export?format=json", "", Expect::Status(200), Expect::Status(200)),
    ("POST", "/api/v0/incidents/{id}/tasks", r#"{"checklist":0,"title":"Matrix task"}"#, Expect::Status(200), Expect::Status(200)),
    ("POST", "/api/v0/incidents/{id}/tasks/toggle", r#"{"checklist":0,"item":0}"#, Expect::Status(200), Expect::Status(200)),
    ("POST", "/api/v0/incidents/{id}/tasks/assign", r#"{"checklist":0,"item":0,"user_id":null}"#, Expect::Status(409), Expect::Status(409)),
    ("DELETE", "/api/v0/incidents/{id}/tasks/{checklist}/{item}", "", Expect::Status(400), Expect::Status(400)),
    ("POST", "/api/v0/incidents/{id}/commander", r#"{"user_id":"{alice}"}"#, Expect::Status(409), Expect::Status(409)),
    ("POST", "/api/v0/incidents/{id}/status", r#"{"message":"Matrix update"}"#, Expect::Status(200), Expect::Status(200)),
    ("POST", "/api/v0/incidents/{id}/end", r#"{"confirm":true}"#, Expect::Status(200), Expect::Status(409)),
    ("POST", "/api/v0/incidents/{id}/restart", "", Expect::Status(200), Expect::Status(409)),
    ("POST", "/api/v0/incidents/{id}/access/grant", r#"{"username":"nobody"}"#, Expect::Status(400), Expect::Status(400)),
    ("POST", "/api/v0/incidents/{id}/access/revoke", r#"{"username":"nobody"}"#, Expect::Status(400), Expect::Status(400)),
    ("POST", "/api/v0/incidents/{id}/visibility", r#"{"visibility":"private"}"#, Expect::Status(409), Expect::Status(409)),
    ("POST", "/api/v0/incidents/{id}/request-access", "", Expect::SameAsMissing, Expect::SameAsMissing),
    // Buttons and dialogs carry the incident id in the body; they answer 200 with a text, compared as a body.
    ("POST", "/api/v0/actions/end", r#"{"context":{"incident_id":"{id}"}}"#, Expect::Status(200), Expect::Status(200)),
    ("POST", "/api/v0/actions/access", r#"{"context":{"incident_id":"{id}","requester":"{admin}","decision":"deny"}}"#, Expect::Status(200), Expect::Status(200)),
    ("POST", "/api/v0/actions/reminder", r#"{"context":{"incident_id":"{id}","action":"dismiss"}}"#, Expect::Status(200), Expect::Status(200)),
    ("POST", "/api/v0/dialogs/update", r#"{"state":"{id}","submission":{"message":"Dialog update"}}"#, Expect::Status(200), Expect::Status(200)),
    ("POST", "/api/v0/actions/access", r#"{"context":{"incident_id":"{id}","user":"{admin}","decision":"keep"}}"#, Expect::Status(200), Expect::Status(200)),
    // Last: the admin joins the channel here (alice is in it already).
    ("POST", "/api/v0/incidents/{id}/join", "", Expect::Status(200), Expect::Status(200)),
];

/// Routes not about one incident: (method, path, body, status for team members and admins, status for the user of
/// another team).
#[rustfmt::skip]
const UNSCOPED: &[(&str, &str, &str, u16, u16)] = &[
    ("GET", "/api/v0/health", "", 200, 200),
    // Exports and stats: the CSV never holds a private incident; stats count it only for people with access.
    ("GET", "/api/v0/exports/incidents.csv?team_id={team}", "", 200, 403),
    ("GET", "/api/v0/stats?team_id={team}", "", 200, 403),
    ("GET", "/api/v0/settings?team_id={team}", "", 200, 200),
    // The list hides private incidents unless the "show private incidents" filter is on; then only for access.
    ("GET", "/api/v0/incidents?team_id={team}", "", 200, 200),
    ("GET", "/api/v0/incidents?team_id={team}&include_private=true", "", 200, 200),
    ("POST", "/api/v0/incidents/dialog", r#"{"post_id":"aaaaaaaaaaaaaaaaaaaaaaaaaa","team_id":"{team}"}"#, 400, 400),
    ("POST", "/api/v0/incidents", r#"{"name":" ","team_id":"{team}"}"#, 400, 400),
    ("POST", "/api/v0/dialogs/start", r#"{"cancelled":true}"#, 200, 200),
    // Playbooks are team-scoped; `{id}` (the private incident's id) is no playbook: 404 for everyone.
    ("GET", "/api/v0/playbooks?team_id={team}", "", 200, 403),
    ("POST", "/api/v0/playbooks?team_id={team}", r#"{"title":" "}"#, 400, 403),
    ("GET", "/api/v0/playbooks/{id}", "", 404, 404),
    ("PUT", "/api/v0/playbooks/{id}", r#"{"title":"Matrix"}"#, 404, 404),
    ("POST", "/api/v0/playbooks/{id}/archive", "", 404, 404),
    ("POST", "/api/v0/playbooks/{id}/duplicate", "", 404, 404),
    ("GET", "/api/v0/playbooks/{id}/export", "", 404, 404),
    ("POST", "/api/v0/playbooks/import?team_id={team}", r#"{"format":"incident-collaboration-playbook","version":1,"playbook":{"title":" "}}"#, 400, 403),
];

/// `/incident` subcommands acting on one incident, run from town-square with `--incident <ref>`: (name, arguments).
#[rustfmt::skip]
const COMMANDS: &[(&str, &str)] = &[
    ("info", ""), ("timeline", ""), ("commander", ""), ("checkadd", "1 From the matrix"), ("check", "1 1"),
    ("checkremove", "1 99"), ("assign", "1 1 @alice"), ("unassign", "1 1"), ("announce", "~town-square"),
    ("update", ""), ("end", ""), ("restart", ""),
];
/// Subcommands covered by their own rows below.
const OTHER_COMMANDS: &[&str] = &["list", "help", "start", "access"];

async fn http(host: &DevHost, user: Option<&str>, method: &str, path: &str, body: &str) -> (u16, String) {
    let r = host.serve_http(user, method, path, body.as_bytes().to_vec()).await;
    (r.status, String::from_utf8_lossy(&r.body).into_owned())
}

async fn say(host: &DevHost, user: &str, channel: &str, text: &str) -> String {
    match host.execute_command(user, channel, text).await {
        Ok(reply) => reply["text"].as_str().unwrap_or_default().to_owned(),
        Err(e) => format!("host refused: {e:?}"),
    }
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or(Value::Null)
}

/// Every `"/api/v0/…"` literal in the plugin's HTTP sources: the routes that exist.
pub(crate) fn routes_in_source() -> BTreeSet<String> {
    let dir = incident_tests::root().join("server/plugin/src");
    let mut files = vec![dir.join("dialogs.rs")];
    for entry in std::fs::read_dir(dir.join("http")).unwrap() {
        files.push(entry.unwrap().path());
    }
    files.push(dir.join("http.rs"));
    let mut out = BTreeSet::new();
    for file in files.iter().filter(|f| f.exists()) {
        let text = std::fs::read_to_string(file).unwrap();
        for (i, _) in text.match_indices("\"/api/v0/") {
            let rest = &text[i + 1..];
            let end = rest.find('"').unwrap();
            out.insert(rest[..end].to_owned());
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_privacy_matrix() {
    let host = host("privacy-matrix").await;
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let uid = |u: &str| host.user_id(u).unwrap();
    let fill = |s: &str, id: &str| {
        s.replace("{id}", id)
            .replace("{team}", &team)
            .replace("{alice}", &uid("alice"))
            .replace("{admin}", &uid("admin"))
            .replace("{checklist}", "0")
            .replace("{item}", "99")
    };

    // Coverage: every route in the source has a row, and every row is a route.
    let covered: BTreeSet<String> = SCOPED
        .iter()
        .map(|r| r.1.split('?').next().unwrap().to_owned())
        .chain(UNSCOPED.iter().map(|r| r.1.split('?').next().unwrap().to_owned()))
        .collect();
    let existing = routes_in_source();
    let uncovered: Vec<_> = existing.difference(&covered).collect();
    assert!(uncovered.is_empty(), "routes without a privacy-matrix row: {uncovered:?}");
    let subcommands: BTreeSet<&str> = incident_core::spec::SUBCOMMANDS.iter().map(|s| s.name).collect();
    let rows: BTreeSet<&str> = COMMANDS.iter().map(|c| c.0).chain(OTHER_COMMANDS.iter().copied()).collect();
    let missing_rows: Vec<_> = subcommands.difference(&rows).collect();
    assert!(missing_rows.is_empty(), "subcommands without a privacy-matrix row: {missing_rows:?}");

    // Private incidents are off by default: refused until the System Console turns them on.
    let create = format!(r#"{{"name":"Breach","team_id":"{team}","visibility":"private"}}"#);
    let (status, body) = http(&host, Some("alice"), "POST", "/api/v0/incidents", &create).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("Private incidents are turned off"), "{body}");
    host.store().set_plugin_setting(PLUGIN_ID, "EnablePrivateIncidents", &json!(true)).unwrap();
    host.restart_plugin().await.unwrap();
    let (_, settings) = http(&host, Some("bob"), "GET", &format!("/api/v0/settings?team_id={team}"), "").await;
    assert_eq!(json(&settings)["private_incidents"], true, "{settings}");

    let (status, body) = http(&host, Some("alice"), "POST", "/api/v0/incidents", &create).await;
    assert_eq!(status, 201, "{body}");
    let incident = json(&body);
    let id = incident["id"].as_str().unwrap().to_owned();
    let reference = incident["reference"].as_str().unwrap().to_owned();
    let channel = incident["channel_id"].as_str().unwrap().to_owned();
    let ch = host.store().get_channel(&channel).unwrap();
    assert_eq!(ch.kind, "P", "a private incident gets a private channel");
    assert_eq!(host.store().channel_member_ids(&channel).unwrap(), vec![uid("alice")], "only the reporter");

    // carol: granted, then revoked.
    let grant =
        http(&host, Some("alice"), "POST", &format!("/api/v0/incidents/{id}/access/grant"), r#"{"username":"carol"}"#)
            .await;
    assert_eq!(grant.0, 200, "{grant:?}");
    let revoke =
        http(&host, Some("alice"), "POST", &format!("/api/v0/incidents/{id}/access/revoke"), r#"{"username":"carol"}"#)
            .await;
    assert_eq!(revoke.0, 200, "{revoke:?}");
    assert!(host.store().get_channel_member(&channel, &uid("carol")).is_err(), "revoked → removed from the channel");
    let (_, people) = http(&host, Some("alice"), "GET", &format!("/api/v0/incidents/{id}/access"), "").await;
    let people = json(&people)["people"].clone();
    let state_of = |u: &str| {
        people.as_array().unwrap().iter().find(|p| p["username"] == u).map(|p| p["state"].as_str().unwrap().to_owned())
    };
    assert_eq!((state_of("alice").as_deref(), state_of("carol").as_deref()), (Some("member"), Some("revoked")));
    assert_eq!(state_of("bob"), None);

    // A second team with its own user and channel.
    let ops = host.store().create_team("ops", "Ops").unwrap();
    let olivia = host.store().create_user("olivia").unwrap();
    host.store().add_team_member(&ops.id, &olivia.id).unwrap();
    let room = devhost::store::Channel {
        id: String::new(),
        team_id: ops.id.clone(),
        name: "ops-room".into(),
        display_name: "Ops Room".into(),
        kind: "O".into(),
        header: String::new(),
        purpose: String::new(),
        creator_id: olivia.id.clone(),
        create_at: 0,
        update_at: 0,
        delete_at: 0,
        last_post_at: 0,
        total_msg_count: 0,
    };
    let ops_room = host.store().create_channel(room).unwrap().id;
    host.store().add_channel_member(&ops_room, &olivia.id).unwrap();

    let mut events = host.events();

    // REST, incident-scoped.
    for (method, path, body, member, admin) in SCOPED {
        for (who, user) in VIEWERS {
            let (status, got) = http(&host, Some(user), method, &fill(path, &id), &fill(body, &id)).await;
            let (m_status, m_got) = http(&host, Some(user), method, &fill(path, MISSING), &fill(body, MISSING)).await;
            let expect = match who {
                Who::NonMember | Who::OtherTeam | Who::Revoked => Expect::SameAsMissing,
                Who::Member => *member,
                Who::Admin => *admin,
            };
            match expect {
                Expect::SameAsMissing => {
                    assert_eq!((status, &got), (m_status, &m_got), "{method} {path} as {who:?} must read as missing");
                    assert!(!got.contains("Breach") && !got.contains(&reference), "{method} {path} as {who:?}: {got}");
                }
                Expect::Status(s) => {
                    assert_eq!(status, s, "{method} {path} as {who:?}: {got}");
                    assert_ne!(got, m_got, "{method} {path} as {who:?} must differ from a missing id");
                }
            }
        }
    }
    // Without a user header every route answers 401 (a forged/absent session never reaches an incident).
    for (method, path, body, ..) in SCOPED {
        let (status, got) = http(&host, None, method, &fill(path, &id), &fill(body, &id)).await;
        assert_eq!(status, 401, "{method} {path} without a user: {got}");
    }

    // REST, not about one incident.
    for (method, path, body, expected, other_team) in UNSCOPED {
        for (who, user) in VIEWERS {
            let (status, got) = http(&host, Some(user), method, &fill(path, &id), &fill(body, &id)).await;
            let expected = if *who == Who::OtherTeam { other_team } else { expected };
            assert_eq!(status, *expected, "{method} {path} as {who:?}: {got}");
            let listed = got.contains("Breach");
            if path.starts_with("/api/v0/incidents?") && path.contains("include_private=true") {
                assert_eq!(listed, matches!(who, Who::Member | Who::Admin), "list as {who:?}: {got}");
            } else {
                assert!(!listed, "{method} {path} as {who:?}: {got}");
            }
        }
    }

    // Stats: the private incident counts for those with access only (the shape is the same for everyone).
    let stats = format!("/api/v0/stats?team_id={team}");
    let active = |body: &str| {
        let v = json(body);
        v["active"].as_u64().unwrap_or(u64::MAX / 2) + v["ended"].as_u64().unwrap_or(u64::MAX / 2)
    };
    let (_, as_member) = http(&host, Some("alice"), "GET", &stats, "").await;
    let (_, as_admin) = http(&host, Some("admin"), "GET", &stats, "").await;
    for user in ["bob", "carol"] {
        let (_, without) = http(&host, Some(user), "GET", &stats, "").await;
        assert_eq!(active(&without) + 1, active(&as_member), "stats as {user}: {without} vs {as_member}");
    }
    assert_eq!(active(&as_admin), active(&as_member), "{as_admin}");

    // Slash commands from town-square by reference: hidden reads exactly like a missing reference.
    for (name, args) in COMMANDS {
        for (who, user) in VIEWERS {
            let text = format!("/incident {name} {args} --incident {reference}");
            let home = if *who == Who::OtherTeam { ops_room.as_str() } else { "town-square" };
            let got = say(&host, user, home, &text).await;
            let missing = say(&host, user, home, &text.replace(&reference, "INC-09999")).await;
            match who {
                Who::NonMember | Who::OtherTeam | Who::Revoked => {
                    assert_eq!(got.replace(&reference, "INC-09999"), missing, "/incident {name} as {who:?}");
                }
                Who::Member | Who::Admin => {
                    assert_ne!(got.replace(&reference, "INC-09999"), missing, "/incident {name} as {who:?}: {got}");
                    if *name == "announce" {
                        assert!(got.to_lowercase().contains("private"), "a private incident is never announced: {got}");
                    }
                }
            }
        }
    }
    for (who, user) in VIEWERS {
        let home = if *who == Who::OtherTeam { ops_room.as_str() } else { "town-square" };
        let list = say(&host, user, home, "/incident list").await;
        // `/incident list` lists *your* incidents (participants): the admin joined the channel in the last REST row.
        let participant = matches!(who, Who::Member | Who::Admin);
        assert_eq!(list.contains("Breach"), participant, "/incident list as {who:?}: {list}");
        let help = say(&host, user, home, "/incident help").await;
        assert!(!help.contains("Breach"), "/incident help as {who:?}");
        let access = say(&host, user, &ch.name, "/incident access list").await;
        match who {
            Who::Member | Who::Admin => assert!(access.contains("@alice (member)"), "{who:?}: {access}"),
            _ => assert!(!access.contains("@alice") && !access.contains("Breach"), "{who:?}: {access}"),
        }
    }

    // Announcements: a private incident is never announced; town-square carries nothing about it.
    let town = host.channel_id("town-square").unwrap();
    for post in host.store().posts_for_channel(&town, 0, 200).unwrap() {
        assert!(!post.message.contains("Breach") && !post.message.contains(&reference), "{}", post.message);
    }
    // Websocket events about the private incident go to its channel only, and carry no details.
    let mut seen = 0;
    while let Ok(e) = events.try_recv() {
        if e.event.ends_with("incident_updated") && e.data["incident_id"] == id.as_str() {
            seen += 1;
            assert_eq!(e.broadcast.channel_id, channel, "{e:?}");
            assert!(e.broadcast.team_id.is_empty(), "{e:?}");
            let keys: BTreeSet<&str> = e.data.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, BTreeSet::from(["incident_id", "version", "change"]), "{e:?}");
        }
    }
    assert!(seen > 0, "the matrix's writes published events");
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_requests_grants_and_bad_input() {
    let host = host("privacy-access").await;
    let team = host.store().get_team_by_name("dev").unwrap().id;
    let uid = |u: &str| host.user_id(u).unwrap();
    host.store().set_plugin_setting(PLUGIN_ID, "EnablePrivateIncidents", &json!(true)).unwrap();
    host.restart_plugin().await.unwrap();
    let create = format!(r#"{{"name":"Breach","team_id":"{team}","visibility":"private"}}"#);
    let (_, body) = http(&host, Some("alice"), "POST", "/api/v0/incidents", &create).await;
    let incident = json(&body);
    let id = incident["id"].as_str().unwrap().to_owned();
    let channel = incident["channel_id"].as_str().unwrap().to_owned();

    // Request access: identical answers for a real and a missing id; a second request within 15 minutes is 429.
    let real = http(&host, Some("bob"), "POST", &format!("/api/v0/incidents/{id}/request-access"), "").await;
    let fake = http(&host, Some("bob"), "POST", &format!("/api/v0/incidents/{MISSING}/request-access"), "").await;
    assert_eq!(real, fake);
    assert_eq!(real.0, 202, "{real:?}");
    let again = http(&host, Some("bob"), "POST", &format!("/api/v0/incidents/{id}/request-access"), "").await;
    let again_fake = http(&host, Some("bob"), "POST", &format!("/api/v0/incidents/{MISSING}/request-access"), "").await;
    assert_eq!(again, again_fake);
    assert_eq!(again.0, 429, "{again:?}");
    // The request is posted after the answer (its timing must not tell a real id from a made-up one).
    let ask_posted = |who: &'static str| {
        let (host, channel) = (&host, &channel);
        move || async move {
            let posts = host.store().posts_for_channel(channel, 0, 50).unwrap();
            posts.iter().any(|p| p.message.contains(&format!("@{who} asks for access")))
        }
    };
    wait_until("bob's request", ask_posted("bob")).await;
    let posts = host.store().posts_for_channel(&channel, 0, 50).unwrap();
    let requests: Vec<_> = posts.iter().filter(|p| p.message.contains("asks for access")).collect();
    assert_eq!(requests.len(), 1, "one request posted despite the spam");
    let request = requests[0];
    assert!(request.message.contains("@bob"), "{}", request.message);

    // Allow / Deny: a non-member cannot click (the host refuses: they cannot see the post); a forged click answers
    // as for a missing incident.
    assert!(host.post_action("carol", &request.id, "denyaccess", None).await.is_err());
    let forged = format!(r#"{{"context":{{"incident_id":"{id}","requester":"{}","decision":"allow"}}}}"#, uid("bob"));
    let forged_missing = forged.replace(&id, MISSING);
    assert_eq!(
        http(&host, Some("carol"), "POST", "/api/v0/actions/access", &forged).await,
        http(&host, Some("carol"), "POST", "/api/v0/actions/access", &forged_missing).await
    );
    assert!(host.store().get_channel_member(&channel, &uid("bob")).is_err(), "a forged Allow let nobody in");

    // Deny tells bob nothing; a second click says it was answered.
    let bob_posts_before =
        host.store().posts_for_channel(&host.channel_id("town-square").unwrap(), 0, 200).unwrap().len();
    let denied = host.post_action("alice", &request.id, "denyaccess", None).await.unwrap();
    assert_eq!(denied["ephemeral_text"], "You denied the request.", "{denied}");
    // The answer replaced the buttons; a replayed click says it was answered.
    assert!(host.post_action("alice", &request.id, "allowaccess", None).await.is_err(), "the buttons are gone");
    let replay = format!(r#"{{"context":{{"incident_id":"{id}","requester":"{}","decision":"allow"}}}}"#, uid("bob"));
    let (_, twice) = http(&host, Some("alice"), "POST", "/api/v0/actions/access", &replay).await;
    assert!(twice.contains("no open access request"), "{twice}");
    assert!(host.store().get_channel_member(&channel, &uid("bob")).is_err());
    let bob_posts_after =
        host.store().posts_for_channel(&host.channel_id("town-square").unwrap(), 0, 200).unwrap().len();
    assert_eq!(bob_posts_before, bob_posts_after);
    let (status, _) = http(&host, Some("bob"), "GET", &format!("/api/v0/incidents/{id}"), "").await;
    assert_eq!(status, 404);

    // A non-member cannot change the visibility: it reads as missing.
    let public = r#"{"visibility":"public"}"#;
    let by_bob = http(&host, Some("bob"), "POST", &format!("/api/v0/incidents/{id}/visibility"), public).await;
    let by_bob_missing =
        http(&host, Some("bob"), "POST", &format!("/api/v0/incidents/{MISSING}/visibility"), public).await;
    assert_eq!(by_bob, by_bob_missing);

    // Allow: carol asks, alice allows, carol is in the channel and reads the incident.
    let asked = http(&host, Some("carol"), "POST", &format!("/api/v0/incidents/{id}/request-access"), "").await;
    assert_eq!(asked.0, 202);
    wait_until("carol's request", ask_posted("carol")).await;
    let posts = host.store().posts_for_channel(&channel, 0, 50).unwrap();
    let request = posts.iter().find(|p| p.message.contains("@carol asks for access")).expect("carol's request");
    let allowed = host.post_action("alice", &request.id, "allowaccess", None).await.unwrap();
    assert!(allowed["ephemeral_text"].as_str().unwrap().starts_with("You allowed @carol in."), "{allowed}");
    assert!(host.store().get_channel_member(&channel, &uid("carol")).is_ok());
    let (status, got) = http(&host, Some("carol"), "GET", &format!("/api/v0/incidents/{id}"), "").await;
    assert_eq!(status, 200, "{got}");

    // A time-boxed grant: bob is added now and listed with the expiry.
    let timed = r#"{"username":"bob","expires_in_minutes":60}"#;
    let (status, got) =
        http(&host, Some("alice"), "POST", &format!("/api/v0/incidents/{id}/access/grant"), timed).await;
    assert_eq!(status, 200, "{got}");
    assert!(host.store().get_channel_member(&channel, &uid("bob")).is_ok());
    let (_, people) = http(&host, Some("bob"), "GET", &format!("/api/v0/incidents/{id}/access"), "").await;
    let bob = json(&people)["people"].as_array().unwrap().iter().find(|p| p["username"] == "bob").cloned().unwrap();
    assert!(bob["expires_at"].as_i64().is_some(), "{people}");
    let zero = r#"{"username":"bob","expires_in_minutes":0}"#;
    assert_eq!(http(&host, Some("alice"), "POST", &format!("/api/v0/incidents/{id}/access/grant"), zero).await.0, 400);

    // Revoking the commander / the last member is refused with a reason.
    let (status, got) =
        http(&host, Some("alice"), "POST", &format!("/api/v0/incidents/{id}/access/revoke"), r#"{"username":"alice"}"#)
            .await;
    assert_eq!(status, 409, "{got}");

    // Making it public: only members, confirmed, on the timeline.
    let unconfirmed = http(&host, Some("alice"), "POST", &format!("/api/v0/incidents/{id}/visibility"), public).await;
    assert_eq!(unconfirmed.0, 409, "{unconfirmed:?}");
    assert!(unconfirmed.1.contains("Confirm to continue"), "{unconfirmed:?}");
    let confirmed = r#"{"visibility":"public","confirmed":true}"#;
    let done = http(&host, Some("alice"), "POST", &format!("/api/v0/incidents/{id}/visibility"), confirmed).await;
    assert_eq!(done.0, 200, "{done:?}");
    let timeline = say(
        &host,
        "alice",
        "town-square",
        &format!("/incident timeline --incident {}", incident["reference"].as_str().unwrap()),
    )
    .await;
    // The access log is on the timeline (members only: it is part of the incident).
    for line in [
        "@bob asked for access",
        "@alice denied @bob's access request",
        "@carol asked for access",
        "@alice gave @carol access",
        "@alice gave @bob access",
        "made the incident public",
    ] {
        assert!(timeline.contains(line), "{line} in {timeline}");
    }
    let (status, _) = http(&host, Some("bob"), "GET", &format!("/api/v0/incidents/{id}"), "").await;
    assert_eq!(status, 200, "public now");
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_settings_gate_teams_and_keep_the_last_valid_config() {
    let host = host("privacy-settings").await;
    let team = host.store().get_team_by_name("dev").unwrap().id;
    // An invalid value is logged and the previous valid config (here: the defaults) stays.
    host.store().set_plugin_setting(PLUGIN_ID, "EnablePrivateIncidents", &json!(true)).unwrap();
    host.store().set_plugin_setting(PLUGIN_ID, "DefaultReminderMinutes", &json!("soon")).unwrap();
    host.restart_plugin().await.unwrap();
    let (_, settings) = http(&host, Some("alice"), "GET", &format!("/api/v0/settings?team_id={team}"), "").await;
    let settings = json(&settings);
    assert_eq!(
        (settings["private_incidents"].as_bool(), settings["default_reminder_ms"].as_u64()),
        (Some(false), Some(3_600_000))
    );

    // Only the listed teams: /incident and REST start answer that the plugin is not enabled here.
    host.store().set_plugin_setting(PLUGIN_ID, "DefaultReminderMinutes", &json!(30)).unwrap();
    host.store().set_plugin_setting(PLUGIN_ID, "EnabledTeams", &json!("ops, sales")).unwrap();
    host.restart_plugin().await.unwrap();
    let reply = say(&host, "alice", "town-square", "/incident start Nope").await;
    assert!(reply.starts_with("Incident Collaboration is not enabled in this team."), "{reply}");
    let (status, _) =
        http(&host, Some("alice"), "POST", "/api/v0/incidents", &format!(r#"{{"name":"Nope","team_id":"{team}"}}"#))
            .await;
    assert_eq!(status, 403);
    let (_, settings) = http(&host, Some("alice"), "GET", &format!("/api/v0/settings?team_id={team}"), "").await;
    let settings = json(&settings);
    assert_eq!(settings["enabled_in_team"], false);
    assert_eq!(settings["default_reminder_ms"], 30 * 60_000);

    // Playbook creators: listed users only; system admins always.
    host.store().set_plugin_setting(PLUGIN_ID, "EnabledTeams", &json!("dev")).unwrap();
    host.store().set_plugin_setting(PLUGIN_ID, "PlaybookCreators", &json!("listed")).unwrap();
    host.store().set_plugin_setting(PLUGIN_ID, "PlaybookCreatorUsers", &json!("@bob")).unwrap();
    host.restart_plugin().await.unwrap();
    for (user, can) in [("alice", false), ("bob", true), ("admin", true)] {
        let (_, s) = http(&host, Some(user), "GET", &format!("/api/v0/settings?team_id={team}"), "").await;
        assert_eq!(json(&s)["can_create_playbooks"], can, "{user}: {s}");
        assert_eq!(json(&s)["enabled_in_team"], true);
    }
    let reply = say(&host, "alice", "town-square", "/incident start Works").await;
    assert!(reply.starts_with("Started **Works**"), "{reply}");

    // The dev host's System Console save: admins only; applied through OnConfigurationChange, without a restart.
    let (_, s) = http(&host, Some("alice"), "GET", &format!("/api/v0/settings?team_id={team}"), "").await;
    assert_eq!(json(&s)["private_incidents"], true, "{s}");
    let save = r#"{"settings":{"EnablePrivateIncidents":false}}"#;
    let (status, body) = console_save(&host, &host.user_id("alice").unwrap(), save).await;
    assert!(status == 403 && !body.is_empty(), "{status} {body}");
    let (status, body) = console_save(&host, &host.user_id("admin").unwrap(), save).await;
    assert_eq!(status, 200, "{body}");
    let (_, s) = http(&host, Some("alice"), "GET", &format!("/api/v0/settings?team_id={team}"), "").await;
    assert_eq!(json(&s)["private_incidents"], false, "{s}");
    host.stop().await;
}

/// `POST /dev/api/plugin-settings` on the dev host's web server as `user_id` (its session cookie).
async fn console_save(host: &DevHost, user_id: &str, body: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(host.addr()).await.unwrap();
    let request = format!(
        "POST /dev/api/plugin-settings HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nCookie: MMUSERID={user_id}\r\n\
         X-Requested-With: XMLHttpRequest\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        host.addr(),
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default())
}
