//! Plays the Mattermost server against the real plugin process: env, handshake, health, hooks,
//! ServeHTTP streaming, deactivation and exit, plus the start-up failures an admin can meet.

use incident_tests::fake_api::FakeApi;
use incident_tests::process::{launch, read_handshake, scratch, server_env, stage_plugin_dir, wait_exit};
use mm::pb::goplugin::grpc_controller_client::GrpcControllerClient;
use mm::pb::v1 as pb;
use mm::pb::v1::plugin_hooks_client::PluginHooksClient;
use std::time::Duration;
use tonic::transport::Channel;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

async fn connect(addr: &str) -> Channel {
    Channel::from_shared(format!("http://{addr}")).unwrap().connect().await.expect("dial the plugin")
}

fn http_request(method: &str, url: &str, body: &[u8]) -> Vec<pb::ServeHttpRequest> {
    let init = pb::ServeHttpRequestInit {
        method: method.into(),
        url: url.into(),
        request_uri: format!("/plugins/org.incidentcollab.incidents{url}"),
        proto: "HTTP/1.1".into(),
        proto_major: 1,
        proto_minor: 1,
        headers: vec![
            pb::HttpHeader { key: "Mattermost-User-Id".into(), values: vec!["useraaaaaaaaaaaaaaaaaaaaaa".into()] },
            pb::HttpHeader { key: "Content-Type".into(), values: vec!["application/json".into()] },
        ],
        content_length: body.len() as i64,
        ..Default::default()
    };
    // As the server does: init with the first ≤ 64 KiB, then chunks, `body_complete` on the last.
    let chunks: Vec<&[u8]> = body.chunks(64 * 1024).collect();
    if chunks.len() <= 1 {
        return vec![pb::ServeHttpRequest { init: Some(init), body_chunk: body.to_vec(), body_complete: true }];
    }
    let last = chunks.len() - 1;
    chunks
        .iter()
        .enumerate()
        .map(|(i, c)| pb::ServeHttpRequest {
            init: (i == 0).then(|| init.clone()),
            body_chunk: c.to_vec(),
            body_complete: i == last,
        })
        .collect()
}

/// Sends one ServeHTTP exchange and returns (status, headers, body, number of response messages).
async fn serve_http(
    hooks: &mut PluginHooksClient<Channel>,
    method: &str,
    url: &str,
    body: &[u8],
) -> (i32, Vec<pb::HttpHeader>, Vec<u8>, usize) {
    let messages = http_request(method, url, body);
    let mut stream = hooks.serve_http(tokio_stream::iter(messages)).await.expect("ServeHTTP").into_inner();
    let first = stream.message().await.unwrap().expect("a first response message");
    let init = first.init.expect("the first response message carries init");
    let mut body = first.body_chunk;
    let mut count = 1;
    let mut complete = first.body_complete;
    while !complete {
        let Some(msg) = stream.message().await.unwrap() else { break };
        assert!(msg.init.is_none(), "only the first response message carries init");
        body.extend(msg.body_chunk);
        complete = msg.body_complete;
        count += 1;
    }
    (init.status_code, init.headers, body, count)
}

#[tokio::test]
async fn server_lifecycle_through_the_real_process() {
    let fake = FakeApi::default();
    let api = fake.serve().await;
    let dir = stage_plugin_dir(&scratch("lifecycle"));
    let mut child = launch(&dir, &server_env(&api));
    let addr = read_handshake(&mut child).await;
    let channel = connect(&addr).await;

    // Health, as go-plugin pings it.
    let mut health = HealthClient::new(channel.clone());
    for service in ["plugin", ""] {
        let status = health.check(HealthCheckRequest { service: service.into() }).await.unwrap().into_inner();
        assert_eq!(status.status(), ServingStatus::Serving, "health of {service:?}");
    }

    // Implemented lists exactly what the plugin serves; other hooks are refused.
    let mut hooks = PluginHooksClient::new(channel.clone());
    let implemented = hooks.implemented(pb::ImplementedRequest::default()).await.unwrap().into_inner();
    assert!(implemented.error.is_none());
    let mut names = implemented.hooks.clone();
    names.sort();
    assert_eq!(
        names,
        [
            "ExecuteCommand",
            "MessageHasBeenPosted",
            "OnActivate",
            "OnConfigurationChange",
            "OnDeactivate",
            "OnPluginClusterEvent",
            "ServeHTTP",
            "UserHasJoinedChannel",
            "UserHasLeftChannel",
        ]
    );
    // OnConfigurationChange reads the System Console settings (every SDK hook is now implemented, so the
    // Unimplemented gate is covered by the SDK's own tests and the net/rpc probe).
    let changed = hooks.on_configuration_change(pb::OnConfigurationChangeRequest::default()).await.unwrap();
    assert!(changed.into_inner().error.is_none());
    assert!(fake.recorded.lock().unwrap().calls.contains(&"load_plugin_configuration"));

    // Activation registers /incident with autocomplete and creates the bot.
    let activated = hooks.on_activate(pb::OnActivateRequest::default()).await.unwrap().into_inner();
    assert!(activated.error.is_none(), "activation failed: {:?}", activated.error);
    {
        let seen = fake.recorded.lock().unwrap();
        let command = seen.commands.first().expect("RegisterCommand reached the API");
        assert_eq!(command.trigger, "incident");
        assert!(command.auto_complete);
        assert!(command.auto_complete_hint.contains("start") && command.auto_complete_hint.contains("timeline"));
        assert_eq!(seen.bots.len(), 1, "one bot ensured");
        assert!(
            seen.calls.iter().position(|c| *c == "ensure_bot_user")
                < seen.calls.iter().position(|c| *c == "register_command")
        );
    }

    // /incident help answers with real help text.
    let args = pb::CommandArgs {
        user_id: "useraaaaaaaaaaaaaaaaaaaaaa".into(),
        channel_id: "channelaaaaaaaaaaaaaaaaaaa".into(),
        team_id: "teamaaaaaaaaaaaaaaaaaaaaaa".into(),
        command: "/incident help".into(),
        ..Default::default()
    };
    let reply = hooks
        .execute_command(pb::ExecuteCommandRequest { args: Some(args.clone()), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert!(reply.error.is_none());
    let response = reply.response.expect("a command response");
    assert_eq!(response.response_type, "ephemeral");
    for sub in [
        "start",
        "end",
        "update",
        "check",
        "checkadd",
        "checkremove",
        "announce",
        "list",
        "commander",
        "info",
        "timeline",
    ] {
        assert!(response.text.contains(&format!("/incident {sub}")), "help mentions {sub}: {}", response.text);
    }
    let unknown = pb::CommandArgs { command: "/incident frobnicate".into(), ..args };
    let reply = hooks
        .execute_command(pb::ExecuteCommandRequest { args: Some(unknown), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    let text = reply.response.unwrap().text;
    assert!(text.starts_with("`/incident frobnicate` is not a command. Here is what `/incident` can do:"), "{text}");
    assert!(text.contains("/incident help"), "the help follows: {text}");

    // ServeHTTP: the health endpoint, a streamed body over 64 KiB, an unknown path, an oversized body.
    let (status, headers, body, _) = serve_http(&mut hooks, "GET", "/api/v0/health", b"").await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["id"], "org.incidentcollab.incidents");
    assert!(headers.iter().any(|h| h.key == "Content-Type" && h.values[0].contains("application/json")));

    let big = vec![b'x'; 200 * 1024];
    let (status, _, _, _) = serve_http(&mut hooks, "POST", "/api/v0/health", &big).await;
    assert_eq!(status, 405, "a 200 KiB body streamed in chunks reaches the router, which refuses the method");

    let (status, _, body, _) = serve_http(&mut hooks, "GET", "/api/v0/nope", b"").await;
    assert_eq!(status, 404);
    let json: serde_json::Value = serde_json::from_slice(&body).expect("404 is JSON");
    assert_eq!(json["error"], "not_found");
    assert!(json["detail"].as_str().unwrap().contains("/api/v0/nope"));

    let huge = vec![b'x'; 17 * 1024 * 1024];
    let (status, _, _, _) = serve_http(&mut hooks, "POST", "/api/v0/health", &huge).await;
    assert_eq!(status, 413);

    // Deactivation: the hook answers, then the process leaves on its own.
    let deactivated = hooks.on_deactivate(pb::OnDeactivateRequest::default()).await.unwrap().into_inner();
    assert!(deactivated.error.is_none());
    let (ok, stderr) = wait_exit(child, Duration::from_secs(3)).await;
    assert!(ok, "clean exit after OnDeactivate; stderr:\n{stderr}");
    for line in stderr.lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|_| panic!("stderr line is not hclog JSON: {line}"));
        assert!(v["@level"].is_string() && v["@message"].is_string() && v["@timestamp"].is_string(), "{line}");
    }
}

#[tokio::test]
async fn go_plugin_shutdown_ends_the_process() {
    let api = FakeApi::default().serve().await;
    let dir = stage_plugin_dir(&scratch("shutdown"));
    let mut child = launch(&dir, &server_env(&api));
    let addr = read_handshake(&mut child).await;
    let mut controller = GrpcControllerClient::new(connect(&addr).await);
    controller.shutdown(mm::pb::goplugin::Empty {}).await.expect("Shutdown answers");
    let (ok, _) = wait_exit(child, Duration::from_secs(3)).await;
    assert!(ok);
}

/// Starts the plugin with a broken setup and returns its (success, stderr).
async fn failed_start(
    name: &str,
    env: Vec<(&'static str, String)>,
    break_dir: impl FnOnce(&std::path::Path),
) -> (bool, String) {
    let dir = stage_plugin_dir(&scratch(name));
    break_dir(&dir);
    let child = launch(&dir, &env);
    wait_exit(child, Duration::from_secs(10)).await
}

fn one_error_line(stderr: &str) -> &str {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "exactly one stderr line, got:\n{stderr}");
    lines[0]
}

#[tokio::test]
async fn started_by_hand_says_so() {
    let api = FakeApi::default().serve().await;
    let env: Vec<_> = server_env(&api).into_iter().filter(|(k, _)| *k != mm::MAGIC_COOKIE_KEY).collect();
    let (ok, stderr) = failed_start("nocookie", env, |_| {}).await;
    assert!(!ok);
    assert!(one_error_line(&stderr).contains("must be started by the Mattermost server"), "{stderr}");
}

#[tokio::test]
async fn unreachable_api_target_says_so() {
    // Bind then drop a listener, so the port is closed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    let (ok, stderr) = failed_start("noapi", server_env(&closed), |_| {}).await;
    assert!(!ok);
    let line = one_error_line(&stderr);
    assert!(line.contains("unreachable") && line.contains(&closed), "{line}");
}

#[tokio::test]
async fn malformed_manifest_says_so() {
    let api = FakeApi::default().serve().await;
    let (ok, stderr) = failed_start("badmanifest", server_env(&api), |dir| {
        std::fs::write(dir.join("plugin.json"), "{ not json").unwrap()
    })
    .await;
    assert!(!ok);
    assert!(one_error_line(&stderr).contains("not a valid plugin manifest"), "{stderr}");
}

#[tokio::test]
async fn exits_when_the_server_process_is_gone() {
    // A shell stands in for the server: it starts the plugin in the background, reports its pid, and is killed.
    let api = FakeApi::default().serve().await;
    let dir = stage_plugin_dir(&scratch("orphan"));
    let mut server = tokio::process::Command::new("sh")
        .arg("-c")
        .arg("venv/bin/python plugin.py 2>/dev/null & echo $!; wait")
        .current_dir(&dir)
        .envs(server_env(&api))
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    // The plugin's stdout is the shell's: read its pid and its handshake line (in either order), so the plugin is
    // serving before its server dies.
    let mut out = tokio::io::BufReader::new(server.stdout.take().unwrap());
    let (mut pid, mut handshake) = (String::new(), String::new());
    for _ in 0..2 {
        let mut line = String::new();
        tokio::time::timeout(Duration::from_secs(10), tokio::io::AsyncBufReadExt::read_line(&mut out, &mut line))
            .await
            .expect("the pid and the handshake within 10 s")
            .unwrap();
        if line.starts_with("1|1|tcp|") { handshake = line } else { pid = line.trim().to_owned() }
    }
    assert!(!handshake.is_empty() && !pid.is_empty(), "pid {pid:?}, handshake {handshake:?}");
    let alive = |pid: &str| {
        std::path::Path::new(&format!("/proc/{pid}")).exists()
            && !std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default().contains(") Z ")
    };
    assert!(std::fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap_or_default().contains("plugin-linux"));
    server.kill().await.unwrap();
    // The plugin polls its parent every 500 ms; the bound is generous for a loaded CI machine.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while alive(&pid) {
        assert!(std::time::Instant::now() < deadline, "the plugin outlived its server by more than 20 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
