//! The dev host's single SQLite file (WAL): schema, seed data, row types and typed errors.

mod channels;
mod directory;
mod kv;
mod perms;
mod teams;

pub use kv::{KV_KEY_MAX_RUNES, KvSetOptions};
pub use perms::Scope;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::ids::{new_id, now_ms};

/// A failure of a store operation, carrying the Mattermost-style error id and HTTP status it maps to.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{what} not found")]
    NotFound { id: &'static str, what: String },
    #[error("{message}")]
    Invalid { id: &'static str, message: String },
    #[error("{message}")]
    Forbidden { id: &'static str, message: String },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("could not open the dev host database {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("could not encode JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl StoreError {
    pub(crate) fn not_found(id: &'static str, what: impl Into<String>) -> Self {
        Self::NotFound { id, what: what.into() }
    }
    pub(crate) fn invalid(id: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { id, message: message.into() }
    }
    pub(crate) fn forbidden(id: &'static str, message: impl Into<String>) -> Self {
        Self::Forbidden { id, message: message.into() }
    }

    /// The HTTP status Mattermost would attach to this error.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound { .. } => 404,
            Self::Invalid { .. } => 400,
            Self::Forbidden { .. } => 403,
            Self::Sql(_) | Self::Open { .. } | Self::Json(_) => 500,
        }
    }

    /// The Mattermost-style error id (`app.…`/`api.…`).
    pub fn error_id(&self) -> &'static str {
        match self {
            Self::NotFound { id, .. } | Self::Invalid { id, .. } | Self::Forbidden { id, .. } => id,
            Self::Sql(_) | Self::Open { .. } | Self::Json(_) => "app.devhost.store.app_error",
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A user (people and bots).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct User {
    pub id: String,
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub nickname: String,
    pub roles: String,
    pub is_bot: bool,
    pub bot_description: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
}

impl User {
    pub fn is_system_admin(&self) -> bool {
        self.roles.split_whitespace().any(|r| r == "system_admin")
    }
}

/// A team.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub display_name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
}

/// A user's membership of a team.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TeamMember {
    pub team_id: String,
    pub user_id: String,
    pub roles: String,
    pub create_at: i64,
    pub delete_at: i64,
}

/// A channel: `kind` is `"O"` (open) or `"P"` (private).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Channel {
    pub id: String,
    pub team_id: String,
    pub name: String,
    pub display_name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub header: String,
    pub purpose: String,
    pub creator_id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub last_post_at: i64,
    pub total_msg_count: i64,
}

/// A user's membership of a channel.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChannelMember {
    pub channel_id: String,
    pub user_id: String,
    pub roles: String,
    pub last_viewed_at: i64,
    pub msg_count: i64,
    pub last_update_at: i64,
}

/// A post; `props` is Mattermost's free-form property map (attachments live in `props.attachments`).
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Post {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub edit_at: i64,
    pub delete_at: i64,
    pub is_pinned: bool,
    pub user_id: String,
    pub channel_id: String,
    pub root_id: String,
    pub message: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub props: Map<String, Value>,
}

/// A slash command registered by a plugin.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Command {
    pub plugin_id: String,
    pub team_id: String,
    pub trigger: String,
    pub display_name: String,
    pub description: String,
    pub auto_complete: bool,
    pub auto_complete_desc: String,
    pub auto_complete_hint: String,
    pub username: String,
    pub icon_url: String,
    pub create_at: i64,
}

/// Names of the seeded data, so the web page and tests can find them.
pub const SEED_TEAM: &str = "dev";
pub const SEED_USERS: [&str; 4] = ["admin", "alice", "bob", "carol"];

/// The store: one SQLite connection in WAL mode behind a mutex; every multi-step write is a transaction.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS kv (
  plugin_id TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, expire_at INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (plugin_id, key));
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT NOT NULL, first_name TEXT NOT NULL,
  last_name TEXT NOT NULL, nickname TEXT NOT NULL, roles TEXT NOT NULL, is_bot INTEGER NOT NULL,
  bot_description TEXT NOT NULL, bot_owner_id TEXT NOT NULL, create_at INTEGER NOT NULL,
  update_at INTEGER NOT NULL, delete_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS teams (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, type TEXT NOT NULL,
  create_at INTEGER NOT NULL, update_at INTEGER NOT NULL, delete_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS team_members (
  team_id TEXT NOT NULL, user_id TEXT NOT NULL, roles TEXT NOT NULL, create_at INTEGER NOT NULL,
  delete_at INTEGER NOT NULL, PRIMARY KEY (team_id, user_id));
CREATE TABLE IF NOT EXISTS channels (
  id TEXT PRIMARY KEY, team_id TEXT NOT NULL, name TEXT NOT NULL, display_name TEXT NOT NULL,
  type TEXT NOT NULL, header TEXT NOT NULL, purpose TEXT NOT NULL, creator_id TEXT NOT NULL,
  create_at INTEGER NOT NULL, update_at INTEGER NOT NULL, delete_at INTEGER NOT NULL,
  last_post_at INTEGER NOT NULL, total_msg_count INTEGER NOT NULL, UNIQUE (team_id, name));
CREATE TABLE IF NOT EXISTS channel_members (
  channel_id TEXT NOT NULL, user_id TEXT NOT NULL, roles TEXT NOT NULL, last_viewed_at INTEGER NOT NULL,
  msg_count INTEGER NOT NULL, last_update_at INTEGER NOT NULL, PRIMARY KEY (channel_id, user_id));
CREATE TABLE IF NOT EXISTS posts (
  id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, user_id TEXT NOT NULL, root_id TEXT NOT NULL,
  message TEXT NOT NULL, type TEXT NOT NULL, props TEXT NOT NULL, is_pinned INTEGER NOT NULL,
  create_at INTEGER NOT NULL, update_at INTEGER NOT NULL, edit_at INTEGER NOT NULL, delete_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS posts_by_channel ON posts (channel_id, create_at);
CREATE TABLE IF NOT EXISTS commands (
  plugin_id TEXT NOT NULL, team_id TEXT NOT NULL, trigger TEXT NOT NULL, display_name TEXT NOT NULL,
  description TEXT NOT NULL, auto_complete INTEGER NOT NULL, auto_complete_desc TEXT NOT NULL,
  auto_complete_hint TEXT NOT NULL, username TEXT NOT NULL, icon_url TEXT NOT NULL, create_at INTEGER NOT NULL,
  PRIMARY KEY (team_id, trigger));
CREATE TABLE IF NOT EXISTS plugin_settings (
  plugin_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (plugin_id, key));
";

impl Store {
    /// Opens (creating if needed) the database file, switches to WAL and seeds an empty database.
    pub fn open(path: &Path) -> StoreResult<Self> {
        let conn = Connection::open(path).map_err(|source| StoreError::Open { path: path.to_path_buf(), source })?;
        Self::init(conn)
    }

    /// An in-memory store (tests).
    pub fn open_in_memory() -> StoreResult<Self> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> StoreResult<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(SCHEMA)?;
        let store = Self { conn: Mutex::new(conn) };
        store.seed()?;
        Ok(store)
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Seeds the dev team, its users and channels when the database has no team yet.
    fn seed(&self) -> StoreResult<()> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let teams: i64 = tx.query_row("SELECT COUNT(*) FROM teams", [], |r| r.get(0))?;
        if teams > 0 {
            return Ok(());
        }
        let now = now_ms();
        let team_id = new_id();
        tx.execute(
            "INSERT INTO teams VALUES (?1, ?2, 'Dev Team', 'O', ?3, ?3, 0)",
            rusqlite::params![team_id, SEED_TEAM, now],
        )?;
        let people = [
            ("admin", "Ada", "Admin", "system_admin system_user", "team_admin team_user"),
            ("alice", "Alice", "Anders", "system_user", "team_user"),
            ("bob", "Bob", "Baker", "system_user", "team_user"),
            ("carol", "Carol", "Chen", "system_user", "team_user"),
        ];
        let mut ids = Vec::new();
        for (username, first, last, roles, team_roles) in people {
            let id = new_id();
            tx.execute(
                "INSERT INTO users VALUES (?1, ?2, ?3, ?4, ?5, '', ?6, 0, '', '', ?7, ?7, 0)",
                rusqlite::params![id, username, format!("{username}@devhost.local"), first, last, roles, now],
            )?;
            tx.execute(
                "INSERT INTO team_members VALUES (?1, ?2, ?3, ?4, 0)",
                rusqlite::params![team_id, id, team_roles, now],
            )?;
            ids.push(id);
        }
        for (name, display, members) in [("town-square", "Town Square", 4), ("off-topic", "Off-Topic", 3)] {
            let channel_id = new_id();
            tx.execute(
                "INSERT INTO channels VALUES (?1, ?2, ?3, ?4, 'O', '', '', '', ?5, ?5, 0, 0, 0)",
                rusqlite::params![channel_id, team_id, name, display, now],
            )?;
            for user_id in ids.iter().take(members) {
                tx.execute(
                    "INSERT INTO channel_members VALUES (?1, ?2, 'channel_user', 0, 0, ?3)",
                    rusqlite::params![channel_id, user_id, now],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// A `"a, b, c"` column list qualified by a table alias (`"t.a, t.b, t.c"`), for the SELECT of a join.
fn qualified(cols: &str, alias: &str) -> String {
    cols.split(", ").map(|c| format!("{alias}.{c}")).collect::<Vec<_>>().join(", ")
}

/// Parses a stored JSON props column (always an object).
fn props_from_sql(text: &str) -> Map<String, Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}
