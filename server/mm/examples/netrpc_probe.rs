//! A probe plugin for the SDK's transports: `/probe` runs one of every common PluginAPI call and answers
//! with what came back (as JSON), and `POST /api/v0/echo` answers with the request body. The net/rpc
//! integration test drives it from a real go-plugin host (tests/it/netrpc.rs).

use async_trait::async_trait;
use bytes::Bytes;
use mm::model::{AppError, Bot, Broadcast, Command, CommandArgs, CommandResponse, KvSetOptions, LogLevel, Post};
use mm::{Api, ApiError, Hook, Hooks, HttpRequest, HttpResponse};
use serde_json::{Map, Value, json};

struct Probe {
    api: Api,
}

fn err(e: ApiError) -> Value {
    json!({ "error": e.to_string(), "status": e.status() })
}

impl Probe {
    async fn run(&self) -> Value {
        let api = &self.api;
        let mut out = Map::new();
        let mut put = |k: &str, v: Value| {
            out.insert(k.to_owned(), v);
        };
        put("kv_set", json!(api.kv_set("k1", b"v1").await.is_ok()));
        put("kv_get", json!(api.kv_get("k1").await.map(|v| v.map(|b| String::from_utf8_lossy(&b).into_owned())).ok()));
        put("kv_get_missing", json!(api.kv_get("missing").await.ok()));
        let lost = KvSetOptions { atomic: true, old_value: None, expire_in_seconds: 0 };
        put("kv_cas_lost", json!(api.kv_set_with_options("k1", b"x", lost).await.ok()));
        let won = KvSetOptions { atomic: true, old_value: Some(b"v1".to_vec()), expire_in_seconds: 60 };
        put("kv_cas_won", json!(api.kv_set_with_options("k1", b"v2", won).await.ok()));
        put("kv_list", json!(api.kv_list(0, 100).await.ok()));
        put("kv_delete", json!(api.kv_delete("k1").await.is_ok()));
        put("kv_list_after_delete", json!(api.kv_list(0, 100).await.ok()));

        let mut props = Map::new();
        props.insert("from".into(), json!("probe"));
        props.insert("n".into(), json!(2));
        props.insert("list".into(), json!(["a", true]));
        let post = Post { channel_id: "town-square".into(), message: "hello".into(), props, ..Post::default() };
        put(
            "create_post",
            match api.create_post(post.clone()).await {
                Ok(p) => json!({ "id": p.id, "create_at": p.create_at, "message": p.message, "props": p.props }),
                Err(e) => err(e),
            },
        );
        put("ephemeral", json!(api.send_ephemeral_post("user1", post).await.map(|p| p.user_id).ok()));
        put(
            "get_channel",
            match api.get_channel("town-square").await {
                Ok(c) => json!({ "name": c.name, "team_id": c.team_id, "display_name": c.display_name }),
                Err(e) => err(e),
            },
        );
        put("get_channel_missing", api.get_channel("nope").await.map_or_else(err, |c| json!(c.name)));
        put("get_user", json!(api.get_user("user1").await.map(|u| u.username).ok()));
        put("perm_admin", json!(api.has_permission_to("admin", "manage_system").await.ok()));
        put("perm_user", json!(api.has_permission_to("user1", "manage_system").await.ok()));
        let mut payload = Map::new();
        payload.insert("id".into(), json!("i1"));
        payload.insert("nested".into(), json!({ "a": [true, 3] }));
        let broadcast = Broadcast { channel_id: "town-square".into(), ..Broadcast::default() };
        put("websocket", json!(api.publish_websocket_event("incident_updated", payload, broadcast).await.is_ok()));
        let mut fields = Map::new();
        fields.insert("k".into(), json!("v"));
        put("log", json!(api.log(LogLevel::Info, "probe ran", fields).await.is_ok()));
        put("config", api.load_plugin_configuration().await.unwrap_or_else(err));
        put("bot_without_name", api.ensure_bot_user(Bot::default()).await.map_or_else(err, Value::String));
        Value::Object(out)
    }
}

#[async_trait]
impl Hooks for Probe {
    fn implemented(&self) -> &'static [Hook] {
        &[Hook::OnActivate, Hook::OnDeactivate, Hook::ExecuteCommand, Hook::ServeHttp]
    }

    async fn on_activate(&self) -> Result<(), AppError> {
        let fail = |e: ApiError| AppError::new("probe.activate", e.to_string(), 500);
        self.api.ensure_bot_user(Bot { username: "probe".into(), ..Bot::default() }).await.map_err(fail)?;
        let command = Command { trigger: "probe".into(), auto_complete: true, ..Command::default() };
        self.api.register_command(command).await.map_err(fail)
    }

    async fn execute_command(&self, args: CommandArgs) -> Result<CommandResponse, AppError> {
        match args.command.trim() {
            "/probe" => Ok(CommandResponse::ephemeral(self.run().await.to_string())),
            "/probe fail" => Err(AppError::new("probe.failed", "asked to fail", 418)),
            other => Ok(CommandResponse::ephemeral(format!("unknown: {other}"))),
        }
    }

    async fn serve_http(&self, request: HttpRequest) -> HttpResponse {
        let mut response = HttpResponse::new(request.body().clone());
        if request.uri().path() != "/api/v0/echo" {
            *response.body_mut() = Bytes::from_static(b"{\"status\":\"ok\"}");
        }
        response.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
        response
    }
}

fn main() -> std::process::ExitCode {
    mm::run(|plugin| Probe { api: plugin.api })
}
