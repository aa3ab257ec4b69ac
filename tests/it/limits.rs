//! Size limits at the edges: plugin-route bodies over 10 MiB answer 413 from the dev host without reaching the
//! plugin, hook payloads just under the 4 MiB gRPC default reach plugin code (real process and SDK server), and an
//! incident record at the KV write limit refuses changes with a clear answer and stays readable.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use devhost::PluginState;
use devhost::servehttp::MAX_PLUGIN_BODY;
use mm::grpc::{HooksService, MAX_MESSAGE_BYTES};
use mm::hooks::{Hook, Hooks};
use mm::model::Post;
use mm::pb::v1 as pb;
use mm::pb::v1::plugin_hooks_client::PluginHooksClient;
use mm::pb::v1::plugin_hooks_server::PluginHooksServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_stream::wrappers::TcpListenerStream;

use crate::devhost_e2e::{PLUGIN_ID, bundle, config, start};

/// A post message of ~3.9 MiB: under a default gRPC server's 4 MiB receive limit, with room for the envelope.
const NEAR_4_MIB: usize = 4 * 1024 * 1024 - 100 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plugin_route_bodies_over_10_mib_answer_413_without_reaching_the_plugin() {
    let host = start(config(&bundle(), "limits-413")).await;
    assert_eq!(host.plugin_state().state, PluginState::Active);
    host.reset_api_calls();

    // Over HTTP: one byte over the limit is refused once the limit is crossed, before the plugin is asked.
    let stream = tokio::net::TcpStream::connect(host.addr()).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let head = format!(
        "POST /plugins/{PLUGIN_ID}/api/v0/health HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\
         X-Requested-With: XMLHttpRequest\r\nContent-Length: {}\r\n\r\n",
        host.addr(),
        MAX_PLUGIN_BODY + 1
    );
    let writer = tokio::spawn(async move {
        write.write_all(head.as_bytes()).await?;
        write.write_all(&vec![b'x'; MAX_PLUGIN_BODY + 1]).await?;
        Ok::<_, std::io::Error>(write)
    });
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), read.read_to_end(&mut raw))
        .await
        .expect("the host answers within 30 s")
        .unwrap();
    let _ = writer.await;
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("api.plugin.body_too_large"), "{text}");

    // Through the library entry point: one byte over is refused, exactly the limit streams through to the plugin.
    let over = host.serve_http(Some("alice"), "POST", "/api/v0/health", vec![b'x'; MAX_PLUGIN_BODY + 1]).await;
    assert_eq!(over.status, 413, "{over:?}");
    assert!(!host.api_calls().per_hook.contains_key("ServeHTTP"), "413 is answered by the host alone");
    let at = host.serve_http(Some("alice"), "POST", "/api/v0/health", vec![b'x'; MAX_PLUGIN_BODY]).await;
    assert_eq!(at.status, 405, "the plugin's router saw the 10 MiB body and refused the method: {at:?}");
    assert_eq!(host.api_calls().per_hook["ServeHTTP"].invocations, 1);
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_near_the_4_mib_grpc_limit_reaches_the_real_plugin() {
    let host = start(config(&bundle(), "limits-4mib")).await;
    assert_eq!(host.plugin_state().state, PluginState::Active);
    let text = format!("/incident help {}", "x".repeat(NEAR_4_MIB));
    let reply = host.execute_command("alice", "town-square", &text).await.expect("the plugin answers");
    assert!(reply["text"].as_str().unwrap_or_default().contains("/incident start"), "help text: {reply}");
    assert_eq!(host.api_calls().per_hook["ExecuteCommand"].invocations, 1);
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incident_at_the_record_size_limit_refuses_changes_and_stays_readable() {
    let dir = incident_tests::process::scratch("limits-record");
    let host = start(config(&incident_tests::process::stage_plugin_dir(&dir), "limits-record-host")).await;
    host.execute_command("alice", "town-square", "/incident start Long haul").await.unwrap();
    let key = host
        .store()
        .kv_list(PLUGIN_ID, 0, 1000)
        .unwrap()
        .into_iter()
        .find(|k| k.starts_with("inc_"))
        .expect("the incident record");
    // A timeline grown to the limit (storage time travel: months of events in one summary). The extra event is
    // shaped as the plugin writes them, so re-encoding keeps the size; any change is then over the limit.
    let mut record: serde_json::Value = serde_json::from_slice(&host.store().kv_get(PLUGIN_ID, &key).unwrap()).unwrap();
    let timeline = record["data"]["timeline"].as_array_mut().unwrap();
    let mut event = timeline.last().expect("the start's events").clone();
    event["summary"] = serde_json::json!("");
    timeline.push(event);
    let room = incident_store::MAX_RECORD_BYTES - serde_json::to_vec(&record).unwrap().len();
    let last = record["data"]["timeline"].as_array_mut().unwrap().last_mut().unwrap();
    last["summary"] = serde_json::json!("x".repeat(room));
    let full = serde_json::to_vec(&record).unwrap();
    host.store().kv_set(PLUGIN_ID, &key, &full, 0).unwrap();

    let reply = host.execute_command("alice", "long-haul", "/incident checkadd 1 Rotate the keys").await.unwrap();
    let text = reply["text"].as_str().unwrap();
    assert!(text.contains("reached the size limit (2.0 MB") && text.contains("nothing was changed"), "{text}");
    assert_eq!(host.store().kv_get(PLUGIN_ID, &key).unwrap(), full, "the record is untouched");
    let info = host.execute_command("alice", "long-haul", "/incident info").await.unwrap();
    assert!(info["text"].as_str().unwrap().contains("Long haul"), "still readable: {info}");
    assert_eq!(host.plugin_state().state, PluginState::Active);
    host.stop().await;
}

/// Records the size of every post MessageHasBeenPosted delivers.
#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<usize>>,
}

#[async_trait::async_trait]
impl Hooks for Recorder {
    fn implemented(&self) -> &'static [Hook] {
        &[Hook::MessageHasBeenPosted]
    }
    async fn message_has_been_posted(&self, post: Post) {
        self.seen.lock().unwrap().push(post.message.len());
    }
}

#[tokio::test]
async fn a_post_near_4_mib_reaches_message_has_been_posted() {
    let recorder = Arc::new(Recorder::default());
    let (stop, _) = tokio::sync::watch::channel(false);
    // Configured as mm::run configures the plugin's hooks server.
    let service = PluginHooksServer::new(HooksService::new(Arc::clone(&recorder), stop, 16 * 1024 * 1024))
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(
        tonic::transport::Server::builder().add_service(service).serve_with_incoming(TcpListenerStream::new(listener)),
    );
    // The server's side: a default gRPC client (no send limit), as Mattermost's hooks client is.
    let mut hooks = PluginHooksClient::connect(format!("http://{addr}")).await.unwrap();
    let post = pb::Post {
        id: "postaaaaaaaaaaaaaaaaaaaaaa".into(),
        channel_id: "channelaaaaaaaaaaaaaaaaaaa".into(),
        user_id: "useraaaaaaaaaaaaaaaaaaaaaa".into(),
        message: "m".repeat(NEAR_4_MIB),
        ..Default::default()
    };
    let request = pb::MessageHasBeenPostedRequest { post: Some(post), ..Default::default() };
    hooks.message_has_been_posted(request).await.expect("a 3.9 MiB post is delivered");
    assert_eq!(*recorder.seen.lock().unwrap(), [NEAR_4_MIB]);
}
