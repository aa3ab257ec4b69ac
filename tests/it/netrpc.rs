//! The plugin over go-plugin's classic net/rpc, driven by the real hashicorp/go-plugin client (tests/go-host)
//! exactly as a released Mattermost server drives it: `server.executables` from plugin.json, another working
//! directory, the executable's checksum, a 3 s start timeout, Dispense, Implemented, OnActivate with an API
//! broker, commands, ServeHTTP through the response-writer callback, Ping, OnDeactivate, Kill.

use incident_tests::go_host::{go_host, probe_binary, stage_native};
use incident_tests::process::{plugin_binary, scratch};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// Runs the Go host in a working directory that is not the plugin's; returns its report and stderr.
async fn run_host(work: &Path, args: &[&str]) -> (Value, String) {
    let cwd = work.join("server-cwd");
    std::fs::create_dir_all(&cwd).unwrap();
    let child = tokio::process::Command::new(go_host())
        .args(args)
        .current_dir(&cwd)
        .env_remove("MATTERMOST_PLUGIN_API_TARGET")
        .env_remove(mm::MAGIC_COOKIE_KEY)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output();
    let out =
        tokio::time::timeout(Duration::from_secs(60), child).await.expect("the Go host finishes in 60 s").unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "go-host failed: {stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("go-host printed no JSON ({e}): {}\n{stderr}", String::from_utf8_lossy(&out.stdout))
    });
    (report, stderr)
}

/// Bob's user id in the Go host's world (tests/go-host/plugin/world.go).
const BOB: &str = "userbbbbbbbbbbbbbbbbbbbbbb";

fn strings(v: &Value) -> Vec<&str> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

fn assert_clean_lifecycle(r: &Value, stderr: &str) {
    assert_eq!(r["errors"], Value::Null, "host errors: {r:#}\n{stderr}");
    assert_eq!(r["activate_error"], "", "{r:#}");
    assert_eq!(r["ping"], "ok");
    assert_eq!(r["exited"], true, "the plugin exits after Control.Quit");
    assert!(r["kill_ms"].as_f64().unwrap() < 1900.0, "exited by itself, not killed after 2 s: {}", r["kill_ms"]);
    assert!(r["handshake_ms"].as_f64().unwrap() < 3000.0, "within the server's 3 s StartTimeout");
    assert!(stderr.contains("starting the plugin over netrpc"), "first log line names the transport:\n{stderr}");
}

#[tokio::test]
async fn incident_plugin_runs_under_a_released_server_style_host() {
    let work = scratch("netrpc-incident");
    let manifest = std::fs::read_to_string(incident_tests::root().join("plugin.json")).unwrap();
    let plugin = stage_native(&work, &manifest, &plugin_binary());
    let dir = plugin.to_str().unwrap();
    let commands = [
        "/incident help",
        "/incident start Database down",
        "~database-down /incident info",
        "~database-down /incident checkadd 1 Page the DBA",
        "~database-down /incident check 1 1",
        "~database-down /incident timeline",
        "~database-down /incident update",
        "~database-down /incident end",
        "/incident list",
    ];
    let (r, stderr) = run_host(&work, &["-plugin", dir, "-commands", &commands.join("; ")]).await;
    assert_clean_lifecycle(&r, &stderr);

    let implemented = strings(&r["implemented"]);
    for hook in ["OnActivate", "ExecuteCommand", "ServeHTTP", "UserHasJoinedChannel", "UserHasLeftChannel"] {
        assert!(implemented.contains(&hook), "{hook} in {implemented:?}");
    }
    let calls = strings(&r["api"]["Calls"]);
    assert!(calls.contains(&"EnsureBotUser") && calls.contains(&"RegisterCommand"), "activation calls: {calls:?}");
    assert_eq!(strings(&r["api"]["Commands"]), ["incident"]);

    // The incident commands work as under gRPC: each answers without an error and says what it did.
    let reply = |c: &str| {
        let got = &r["commands"][c];
        assert_eq!(got["error"], "", "{c}: {got:#}");
        got["text"].as_str().unwrap_or_default().to_owned()
    };
    assert!(reply(commands[0]).contains("/incident start"));
    assert_eq!(reply(commands[1]), "Started **Database down** (INC-00001) in ~database-down.");
    assert!(reply(commands[2]).contains("**Commander:** @alice"), "{}", reply(commands[2]));
    assert_eq!(reply(commands[3]), "Added “Page the DBA” to Tasks.");
    assert!(reply(commands[5]).contains("@alice checked “Page the DBA”"), "{}", reply(commands[5]));
    assert_eq!(reply(commands[6]), "", "the update dialog opens instead of a reply");
    let dialogs = strings(&r["api"]["World"]["Dialogs"]);
    assert_eq!(dialogs.len(), 1, "{dialogs:?}");
    assert!(dialogs[0].contains("update") && dialogs[0].contains("message"), "{dialogs:?}");
    assert_eq!(reply(commands[7]), "", "the end is posted in the channel, not replied");
    assert!(reply(commands[8]).starts_with("You have no active incidents"), "{}", reply(commands[8]));
    let posts: Vec<&str> = r["api"]["Posts"].as_array().unwrap().iter().filter_map(|p| p["Message"].as_str()).collect();
    assert!(posts.iter().any(|p| p.contains("ended the incident")), "{posts:#?}");
    for call in ["CreateChannel", "AddChannelMember", "GetUsersByIds", "GetTeamMember", "GetChannelByName"] {
        assert!(calls.contains(&call), "{call} in {calls:?}");
    }
    for call in ["GetChannelMember", "PublishPluginClusterEvent", "PublishWebSocketEvent", "GetPostsForChannel"] {
        assert!(calls.contains(&call), "{call} in {calls:?}");
    }

    // Re-entry: bob joins over REST (ServeHTTP); the plugin's AddChannelMember makes the host call the plugin's
    // UserHasJoinedChannel hook, which calls the API again, all before AddChannelMember answers.
    let join = &r["http"]["join_bob"];
    assert_eq!(join["status"], 200, "{join:#}");
    assert!(join["body"].as_str().unwrap().contains("You joined the channel of INC-00001."), "{join:#}");
    let reentered = strings(&r["api"]["World"]["Reentered"]);
    assert!(reentered.contains(&"UserHasJoinedChannel bob"), "{reentered:?}");
    let timeline: Value = serde_json::from_str(r["http"]["timeline"]["body"].as_str().unwrap()).unwrap();
    let by_bob = |kind: &str| timeline.as_array().unwrap().iter().any(|e| e["kind"] == kind && e["actor_id"] == BOB);
    assert!(by_bob("member_joined"), "the hook's write is on the timeline: {timeline:#}");
    // The server's own channel hooks: bob's message is counted, his leaving recorded; a cluster event from
    // another node is taken without an error.
    assert!(by_bob("member_left"), "UserHasLeftChannel reached the incident: {timeline:#}");
    let review: Value = serde_json::from_str(r["http"]["review"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(review["messages"], 1, "MessageHasBeenPosted counted bob's message: {review:#}");
    let export = &r["http"]["export"];
    assert_eq!(export["status"], 200, "{export:#}");

    let health = &r["http"]["health"];
    assert_eq!(health["status"], 200, "{health:#}");
    let body: Value = serde_json::from_str(health["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(health["content_type"], "application/json");
    // The 200 KiB body crosses the yamux window (256 KiB with headers) and reaches the router.
    let post = &r["http"]["post_200k"];
    assert!(post["status"].as_i64().unwrap() < 500, "{post:#}");
}

#[tokio::test]
async fn sdk_api_calls_round_trip_through_go() {
    let work = scratch("netrpc-probe");
    let manifest = r#"{"id":"com.example.probe","version":"0.0.1","server":{"executables":{
        "linux-amd64":"server/dist/plugin-linux-x86_64","linux-arm64":"server/dist/plugin-linux-aarch64"}}}"#;
    let plugin = stage_native(&work, manifest, &probe_binary());
    let (r, stderr) =
        run_host(&work, &["-plugin", plugin.to_str().unwrap(), "-probe", "-commands", "/probe fail"]).await;
    assert_clean_lifecycle(&r, &stderr);

    let failed = &r["commands"]["/probe fail"];
    assert_eq!(failed["error"], "probe.failed (418)", "an AppError reaches Go as *model.AppError");
    let p: Value = serde_json::from_str(r["commands"]["/probe"]["text"].as_str().unwrap()).unwrap();
    assert_eq!(p["kv_set"], true);
    assert_eq!(p["kv_get"], "v1");
    assert_eq!(p["kv_get_missing"], Value::Null);
    assert_eq!((p["kv_cas_lost"].clone(), p["kv_cas_won"].clone()), (Value::Bool(false), Value::Bool(true)));
    assert_eq!(p["kv_list"], serde_json::json!(["k1"]));
    assert_eq!(p["kv_list_after_delete"], serde_json::json!([]));
    assert_eq!(p["create_post"]["id"], "post1");
    assert_eq!(p["create_post"]["props"], serde_json::json!({"from": "probe", "n": 2, "list": ["a", true]}));
    assert_eq!(p["ephemeral"], "user1");
    assert_eq!(p["get_channel"]["display_name"], "Town Square");
    assert_eq!(p["get_channel_missing"]["status"], 404);
    assert_eq!(p["get_user"], "alice");
    assert_eq!((p["perm_admin"].clone(), p["perm_user"].clone()), (Value::Bool(true), Value::Bool(false)));
    assert_eq!(p["config"], serde_json::json!({"EnableThing": true}));
    assert!(p["bot_without_name"]["error"].as_str().unwrap().contains("a bot needs a username"), "{p:#}");

    let api = &r["api"];
    assert_eq!(strings(&api["Logs"]), ["Info probe ran k v"]);
    assert_eq!(strings(&api["Events"]), [r#"incident_updated {"id":"i1","nested":{"a":[true,3]}} to town-square"#]);
    assert_eq!(api["Posts"][0]["Props"]["from"], "probe");

    // 200 KiB each way: the body stream in, `Write` calls out; byte for byte.
    let post = &r["http"]["post_200k"];
    assert_eq!(post["status"], 200);
    assert_eq!(post["body_len"], 200 * 1024);
    assert_eq!(post["sha256"], r["sent_sha256"]);
}

#[tokio::test]
async fn go_decodes_the_committed_rust_transcripts() {
    let work = scratch("netrpc-check");
    let fixtures = incident_tests::root().join("server/mm/src/netrpc/fixtures");
    let (r, _) = run_host(&work, &["-check", fixtures.to_str().unwrap()]).await;
    for (name, v) in r.as_object().unwrap() {
        assert!(v.is_object(), "{name}: Go could not decode it: {v}");
    }
    assert_eq!(r["rust_on_activate_reply"]["body"]["A"], "*model.AppError");
    assert_eq!(r["rust_on_activate_reply"]["body"]["AppError"]["Id"], "incident.activate.failed");
    assert_eq!(r["rust_execute_command_reply"]["body"]["A"]["Text"], "hi");
    assert_eq!(r["rust_execute_command_error"]["body"]["B"]["StatusCode"], 500);
    assert_eq!(r["rust_implemented_reply"]["body"], serde_json::json!(["OnActivate", "ExecuteCommand"]));
    assert_eq!(r["rust_create_post_call"]["body"]["A"]["Props"]["from"], "probe");
    assert_eq!(r["rust_kv_set_with_options_call"]["body"]["C"]["ExpireInSeconds"], 60);
    assert_eq!(r["rust_log_call"]["body"]["B"], serde_json::json!(["k", "v"]));
    assert_eq!(r["rust_sync_header_call"]["body"]["Content-Type"], serde_json::json!(["application/json"]));
}
