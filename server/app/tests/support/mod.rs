//! Shared setup for the app tests: a seeded fake server, an in-memory KV, a manual clock.

#![allow(dead_code)]

use std::sync::Arc;

use incident_app::fakes::{self, FakeServer, id};
use incident_app::{App, Ctx, Outcome};
use incident_core::{ChannelId, Timestamp, UserId};
use incident_store::MemoryKv;

pub struct World {
    pub kv: Arc<MemoryKv>,
    pub server: Arc<FakeServer>,
    pub app: App,
    pub now: i64,
}

impl World {
    pub fn seeded() -> Self {
        let kv = Arc::new(MemoryKv::new());
        let server = FakeServer::seeded();
        let app = fakes::app(kv.clone(), server.clone());
        World { kv, server, app, now: 1_000_000 }
    }

    /// Another node on the same KV and chat server.
    pub fn node(&self) -> App {
        fakes::app(self.kv.clone(), self.server.clone())
    }

    pub fn ctx(&self, user: &str, channel: &str) -> Ctx {
        Ctx {
            user: id(user),
            team: Some(fakes::team()),
            channel: Some(self.channel(channel)),
            now: Timestamp(self.now),
        }
    }

    pub fn channel(&self, name: &str) -> ChannelId {
        self.server.channel_id(name).unwrap_or_else(|| panic!("no channel {name}"))
    }

    pub fn user(name: &str) -> UserId {
        id(name)
    }

    /// Runs a command and returns the reply text (errors as their user text).
    pub async fn run(&self, user: &str, channel: &str, text: &str) -> String {
        match self.app.command(&self.ctx(user, channel), text).await {
            Ok(Outcome::Reply(t)) => t,
            Ok(Outcome::ConfirmEnd { text, .. }) => format!("CONFIRM: {text}"),
            Ok(other) => format!("{other:?}"),
            Err(e) => format!("ERROR: {e}"),
        }
    }
}
