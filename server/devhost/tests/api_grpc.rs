//! PluginAPI over real gRPC: the KV CAS race between two clients, both error styles, side effects, counters.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use devhost::bundle::PluginDir;
use devhost::context::Shared;
use devhost::manifest::Manifest;
use devhost::store::Store;
use devhost::supervisor::Supervisor;
use mm::pb::v1 as pb;
use mm::pb::v1::plugin_api_client::PluginApiClient;
use tonic::transport::Channel;

const PLUGIN_ID: &str = "com.example.devhost-test";

fn write_plugin(dir: &Path) {
    let manifest = serde_json::json!({
        "id": PLUGIN_ID, "version": "1.2.3",
        "server": { "executable": "plugin.py", "runtime": "python" },
        "settings_schema": { "settings": [ { "key": "DefaultChannel", "default": "town-square" } ] }
    });
    std::fs::write(dir.join("plugin.json"), manifest.to_string()).unwrap();
    std::fs::write(dir.join("plugin.py"), "# dummy\n").unwrap();
}

async fn setup(dir: &Path) -> (Arc<Shared>, PluginApiClient<Channel>, PluginApiClient<Channel>) {
    write_plugin(dir);
    let sup = Supervisor::new(2, Duration::from_secs(30), Duration::from_secs(10));
    let shared = Arc::new(Shared::new(
        Store::open(&dir.join("test.db")).unwrap(),
        "http://127.0.0.1:8065".into(),
        dir.to_path_buf(),
        sup,
    ));
    let manifest = Manifest::load(dir).unwrap();
    shared.plugin.set(PluginDir { dir: dir.to_path_buf(), manifest }).unwrap();
    let (a1, s1) = devhost::api::serve(Arc::clone(&shared), 0).await.unwrap();
    let (a2, s2) = devhost::api::serve(Arc::clone(&shared), 1).await.unwrap();
    std::mem::forget((s1, s2));
    let c1 = PluginApiClient::connect(format!("http://{a1}")).await.unwrap();
    let c2 = PluginApiClient::connect(format!("http://{a2}")).await.unwrap();
    (shared, c1, c2)
}

fn only_if_absent(key: &str, value: &[u8]) -> pb::KvSetWithOptionsRequest {
    pb::KvSetWithOptionsRequest {
        key: key.into(),
        value: value.to_vec(),
        options: Some(pb::PluginKvSetOptions { atomic: true, old_value: Vec::new(), expire_in_seconds: 0 }),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kv_cas_race_between_two_api_clients_has_exactly_one_winner() {
    let tmp = tempfile::tempdir().unwrap();
    let (shared, c1, c2) = setup(tmp.path()).await;
    for round in 0..25 {
        let key = format!("lock-{round}");
        let (mut a, mut b) = (c1.clone(), c2.clone());
        let (r1, r2) = tokio::join!(
            a.kv_set_with_options(only_if_absent(&key, b"node-1")),
            b.kv_set_with_options(only_if_absent(&key, b"node-2"))
        );
        let (r1, r2) = (r1.unwrap().into_inner(), r2.unwrap().into_inner());
        assert!(r1.error.is_none() && r2.error.is_none());
        assert!(r1.success ^ r2.success, "round {round}: exactly one winner, got {} and {}", r1.success, r2.success);
        let stored = shared.store.kv_get(PLUGIN_ID, &key).unwrap();
        assert_eq!(stored, if r1.success { b"node-1".to_vec() } else { b"node-2".to_vec() });
    }
    // Optimistic increments from both clients: no update is lost.
    async fn increment(mut c: PluginApiClient<Channel>, times: usize) {
        for _ in 0..times {
            loop {
                let old = c.kv_get(pb::KvGetRequest { key: "counter".into() }).await.unwrap().into_inner().value;
                let n: u64 = if old.is_empty() { 0 } else { String::from_utf8(old.clone()).unwrap().parse().unwrap() };
                let r = c
                    .kv_compare_and_set(pb::KvCompareAndSetRequest {
                        key: "counter".into(),
                        old_value: old,
                        new_value: (n + 1).to_string().into_bytes(),
                    })
                    .await
                    .unwrap()
                    .into_inner();
                if r.success {
                    break;
                }
            }
        }
    }
    tokio::join!(increment(c1.clone(), 30), increment(c2.clone(), 30));
    assert_eq!(shared.store.kv_get(PLUGIN_ID, "counter").unwrap(), b"60");
    let calls = shared.counters.snapshot();
    assert!(calls.per_rpc["KVSetWithOptions"] >= 50);
    assert!(calls.per_rpc["KVCompareAndSet"] >= 60);
}

#[tokio::test]
async fn errors_come_back_in_the_two_mattermost_styles() {
    let tmp = tempfile::tempdir().unwrap();
    let (_shared, mut c, _) = setup(tmp.path()).await;
    // Style F: KV and posts carry an AppError in the body with gRPC OK.
    let r = c.kv_set(pb::KvSetRequest { key: String::new(), value: b"x".to_vec() }).await.unwrap().into_inner();
    let e = r.error.expect("AppError in the body");
    assert_eq!(e.status_code, 400);
    assert_eq!(e.r#where, "KVSet");
    let r = c.create_post(pb::CreatePostRequest { post: Some(pb::Post::default()) }).await.unwrap().into_inner();
    assert_eq!(r.error.expect("missing channel").status_code, 404);
    // Style S: channels, users, dialogs answer a gRPC status mapped from the HTTP status.
    let s = c.get_channel(pb::GetChannelRequest { channel_id: "nope".into() }).await.unwrap_err();
    assert_eq!(s.code(), tonic::Code::NotFound);
    assert!(s.message().starts_with("app.channel.get.existing.app_error: "), "{}", s.message());
    let s = c.get_user_by_username(pb::GetUserByUsernameRequest { name: "nobody".into() }).await.unwrap_err();
    assert_eq!(s.code(), tonic::Code::NotFound);
    let s = c
        .open_interactive_dialog(pb::OpenInteractiveDialogRequest {
            dialog: Some(pb::OpenDialogRequest { trigger_id: "unknown".into(), url: "/x".into(), dialog: None }),
        })
        .await
        .unwrap_err();
    assert_eq!(s.code(), tonic::Code::InvalidArgument);
    let s = c
        .create_channel(pb::CreateChannelRequest {
            channel: Some(pb::Channel { name: "x".into(), display_name: "X".into(), r#type: 3, ..Default::default() }),
        })
        .await
        .unwrap_err();
    assert_eq!(s.code(), tonic::Code::InvalidArgument);
    // HasPermission* never errors.
    let r = c
        .has_permission_to(pb::HasPermissionToRequest {
            user_id: "nobody".into(),
            permission_id: "manage_system".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(!r.has_permission);
}

#[tokio::test]
async fn api_side_effects_reach_the_websocket_hub() {
    let tmp = tempfile::tempdir().unwrap();
    let (shared, mut c, _) = setup(tmp.path()).await;
    let mut events = shared.events.subscribe();
    let team = c.get_teams_for_user(pb::GetTeamsForUserRequest {
        user_id: shared.store.get_user_by_username("alice").unwrap().id,
    });
    let team = team.await.unwrap().into_inner().teams.remove(0);
    let bot = c
        .ensure_bot_user(pb::EnsureBotUserRequest {
            bot: Some(pb::Bot { username: "incident".into(), display_name: "Incident".into(), ..Default::default() }),
        })
        .await
        .unwrap()
        .into_inner()
        .bot_user_id;
    let channel = c
        .create_channel(pb::CreateChannelRequest {
            channel: Some(pb::Channel {
                team_id: team.id.clone(),
                name: "inc-1".into(),
                display_name: "Incident 1".into(),
                r#type: pb::ChannelType::Private as i32,
                creator_id: bot.clone(),
                ..Default::default()
            }),
        })
        .await
        .unwrap()
        .into_inner()
        .channel
        .unwrap();
    assert_eq!(channel.r#type, pb::ChannelType::Private as i32);
    let alice = shared.store.get_user_by_username("alice").unwrap().id;
    let m = c
        .add_user_to_channel(pb::AddUserToChannelRequest {
            channel_id: channel.id.clone(),
            user_id: alice.clone(),
            as_user_id: bot.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(m.channel_member.unwrap().user_id, alice);
    let post = c
        .create_post(pb::CreatePostRequest {
            post: Some(pb::Post {
                channel_id: channel.id.clone(),
                user_id: bot.clone(),
                message: "hi".into(),
                ..Default::default()
            }),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(post.error.is_none());
    c.publish_web_socket_event(pb::PublishWebSocketEventRequest {
        event: "incident_updated".into(),
        payload: Some(prost_types::Struct::default()),
        broadcast: Some(pb::WebsocketBroadcast { user_id: alice.clone(), ..Default::default() }),
    })
    .await
    .unwrap();
    let mut seen = Vec::new();
    while let Ok(Ok(e)) = tokio::time::timeout(Duration::from_secs(2), events.recv()).await {
        seen.push(e.event.clone());
        if e.event.starts_with("custom_") {
            assert_eq!(e.event, format!("custom_{PLUGIN_ID}_incident_updated"));
            assert!(e.broadcast.reaches(&shared.store, &alice));
            assert!(!e.broadcast.reaches(&shared.store, &bot));
            break;
        }
    }
    assert!(seen.contains(&"user_added".to_string()), "{seen:?}");
    assert!(seen.contains(&"posted".to_string()), "{seen:?}");
    let cfg = c.load_plugin_configuration(pb::LoadPluginConfigurationRequest {}).await.unwrap().into_inner();
    let cfg: serde_json::Value = serde_json::from_slice(&cfg.config_json).unwrap();
    assert_eq!(cfg["defaultchannel"], "town-square");
    let site = c.get_config(pb::GetConfigRequest {}).await.unwrap().into_inner();
    let site: serde_json::Value = serde_json::from_slice(&site.config_json).unwrap();
    assert_eq!(site["ServiceSettings"]["SiteURL"], "http://127.0.0.1:8065");
}
