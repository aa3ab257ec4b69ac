//! The websocket event hub: Mattermost-shaped events with an audience (user, channel, team or everyone).

use std::sync::Arc;

use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::broadcast;

use crate::store::{Post, Store};

/// Who receives an event; all empty = every connected user.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Broadcast {
    pub user_id: String,
    pub channel_id: String,
    pub team_id: String,
    #[serde(skip)]
    pub omit_users: Vec<String>,
}

impl Broadcast {
    pub fn user(id: &str) -> Self {
        Self { user_id: id.to_string(), ..Self::default() }
    }
    pub fn channel(id: &str) -> Self {
        Self { channel_id: id.to_string(), ..Self::default() }
    }
    pub fn team(id: &str) -> Self {
        Self { team_id: id.to_string(), ..Self::default() }
    }

    /// Whether `user_id` is in the audience.
    pub fn reaches(&self, store: &Store, user_id: &str) -> bool {
        if self.omit_users.iter().any(|u| u == user_id) {
            return false;
        }
        if !self.user_id.is_empty() {
            return self.user_id == user_id;
        }
        if !self.channel_id.is_empty() {
            return store.get_channel_member(&self.channel_id, user_id).is_ok();
        }
        if !self.team_id.is_empty() {
            return store.get_team_member(&self.team_id, user_id).is_ok_and(|m| m.delete_at == 0);
        }
        true
    }
}

/// One server → page websocket message (without its per-connection `seq`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct WsEvent {
    pub event: String,
    pub data: Value,
    pub broadcast: Broadcast,
}

/// Fan-out of events to websocket connections and test subscribers.
#[derive(Debug)]
pub struct EventHub {
    tx: broadcast::Sender<Arc<WsEvent>>,
}

impl Default for EventHub {
    fn default() -> Self {
        Self { tx: broadcast::channel(4096).0 }
    }
}

impl EventHub {
    pub fn publish(&self, event: impl Into<String>, data: Value, broadcast: Broadcast) {
        let event = WsEvent { event: event.into(), data, broadcast };
        tracing::debug!(event = %event.event, "websocket event");
        let _ = self.tx.send(Arc::new(event));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<WsEvent>> {
        self.tx.subscribe()
    }
}

/// The page-facing JSON of a post: attachment actions lose their `integration` (URL and context stay server-side).
pub fn post_json(post: &Post) -> Value {
    let mut props = post.props.clone();
    if let Some(Value::Array(attachments)) = props.get_mut("attachments") {
        for attachment in attachments {
            if let Some(Value::Array(actions)) = attachment.get_mut("actions") {
                for action in actions {
                    if let Value::Object(a) = action {
                        a.remove("integration");
                    }
                }
            }
        }
    }
    json!({
        "id": post.id,
        "create_at": post.create_at,
        "update_at": post.update_at,
        "edit_at": post.edit_at,
        "delete_at": post.delete_at,
        "is_pinned": post.is_pinned,
        "user_id": post.user_id,
        "channel_id": post.channel_id,
        "root_id": post.root_id,
        "message": post.message,
        "type": post.kind,
        "props": props,
    })
}

/// `data` of `posted` / `post_edited` / `ephemeral_message`: the post as a JSON string, as Mattermost sends it.
pub fn post_event_data(post: &Post) -> Value {
    json!({ "post": post_json(post).to_string(), "channel_id": post.channel_id })
}
