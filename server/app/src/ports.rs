//! The small ports the use cases need from the chat server, owned here and implemented by the plugin over the
//! PluginAPI (and by `fakes` in tests).

use async_trait::async_trait;
use incident_core::review::TranscriptLine;
use incident_core::{Audience, ChannelId, Delta, IncidentId, PostId, TeamId, Timestamp, UserId};

/// A user as the use cases need them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Id.
    pub id: UserId,
    /// Username without `@`.
    pub username: String,
    /// System admins are never restricted.
    pub is_system_admin: bool,
}

/// A channel as the use cases need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelInfo {
    /// Id.
    pub id: ChannelId,
    /// Team.
    pub team: TeamId,
    /// URL name (without `~`).
    pub name: String,
    /// Purpose (a started incident's channel says `Incident INC-00042: …`).
    pub purpose: String,
}

/// A channel to create for a new incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChannel {
    /// Team.
    pub team: TeamId,
    /// URL name (`[a-z0-9-]`, at most 64).
    pub name: String,
    /// Display name.
    pub display_name: String,
    /// Private channel.
    pub private: bool,
    /// Purpose line.
    pub purpose: String,
    /// Who asked for it.
    pub creator: UserId,
}

/// A post as the start-from-message flow needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostInfo {
    /// Id.
    pub id: PostId,
    /// Channel.
    pub channel: ChannelId,
    /// Author (None for system messages).
    pub author: Option<UserId>,
    /// Text.
    pub message: String,
}

/// Which question an interactive access post asks the channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessQuestion {
    /// "@x asks for access": Allow / Deny.
    Request {
        /// Who asked.
        requester: UserId,
    },
    /// "@x left the channel; remove their access?": Remove / Keep.
    LeftChannel {
        /// Who left.
        user: UserId,
    },
}

/// Why the chat server refused or failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChatError {
    /// A channel with that name exists in the team.
    #[error("the channel name is taken")]
    NameTaken,
    /// The server refused (permissions, not found, invalid).
    #[error("{0}")]
    Refused(String),
    /// The server could not be reached.
    #[error("{0}")]
    Unavailable(String),
}

/// Channels and posts.
#[async_trait]
pub trait Chat: Send + Sync {
    /// Creates a channel; `NameTaken` when the name exists.
    async fn create_channel(&self, channel: &NewChannel) -> Result<ChannelId, ChatError>;
    /// Marks a channel whose incident could not be saved, so nobody mistakes it for an incident (rename; the
    /// PluginAPI subset has no archive call).
    async fn retire_channel(&self, channel: &ChannelId, name: &str, display_name: &str) -> Result<(), ChatError>;
    /// Public ⇄ private.
    async fn set_channel_privacy(&self, channel: &ChannelId, private: bool) -> Result<(), ChatError>;
    /// Adds a user to a channel.
    async fn add_member(&self, channel: &ChannelId, user: &UserId) -> Result<(), ChatError>;
    /// Removes a user from a channel.
    async fn remove_member(&self, channel: &ChannelId, user: &UserId) -> Result<(), ChatError>;
    /// Posts `text` as `author` (None: the plugin's bot).
    async fn post(&self, channel: &ChannelId, author: Option<&UserId>, text: &str) -> Result<(), ChatError>;
    /// Posts the reminder of `incident` due at `due` as the bot with Update / Snooze / Dismiss buttons, tagged with
    /// both so [`Chat::has_reminder`] can find it. Servers or fakes without interactive posts fall back to a plain
    /// post.
    async fn post_reminder(
        &self,
        channel: &ChannelId,
        incident: &IncidentId,
        due: Timestamp,
        text: &str,
    ) -> Result<(), ChatError> {
        let _ = (incident, due);
        self.post(channel, None, text).await
    }
    /// Whether the channel's posts since `due` hold the bot's reminder of `incident` due at `due`: a node taking over
    /// a claim looks before posting, since the claimant may have posted before it died. Fakes without the lookup
    /// never find one.
    async fn has_reminder(
        &self,
        channel: &ChannelId,
        incident: &IncidentId,
        due: Timestamp,
    ) -> Result<bool, ChatError> {
        let _ = (channel, incident, due);
        Ok(false)
    }
    /// Posts a question about someone's access as the bot with answer buttons (usable by channel members) for
    /// `incident`. Servers or fakes without interactive posts fall back to a plain post.
    async fn post_access_question(
        &self,
        channel: &ChannelId,
        incident: &IncidentId,
        question: AccessQuestion,
        text: &str,
    ) -> Result<(), ChatError> {
        let _ = (incident, question);
        self.post(channel, None, text).await
    }
    /// Shows `text` to `user` only.
    async fn ephemeral(&self, user: &UserId, channel: &ChannelId, text: &str) -> Result<(), ChatError>;
    /// A channel of `team` by URL name.
    async fn channel_by_name(&self, team: &TeamId, name: &str) -> Result<Option<ChannelInfo>, ChatError>;
    /// A channel by id.
    async fn channel(&self, id: &ChannelId) -> Result<Option<ChannelInfo>, ChatError>;
    /// A post by id.
    async fn post_info(&self, id: &PostId) -> Result<Option<PostInfo>, ChatError>;
    /// The newest `limit` messages of `channel`, oldest first, and whether older ones were left out.
    async fn transcript(&self, channel: &ChannelId, limit: usize) -> Result<(Vec<TranscriptLine>, bool), ChatError>;
}

/// Users, memberships and permissions.
#[async_trait]
pub trait People: Send + Sync {
    /// The users among `ids` that exist (one call).
    async fn users(&self, ids: &[UserId]) -> Result<Vec<Person>, ChatError>;
    /// A user by username.
    async fn by_username(&self, username: &str) -> Result<Option<Person>, ChatError>;
    /// Whether `user` is in `channel`.
    async fn is_channel_member(&self, channel: &ChannelId, user: &UserId) -> Result<bool, ChatError>;
    /// Whether `user` is in `team`.
    async fn is_team_member(&self, team: &TeamId, user: &UserId) -> Result<bool, ChatError>;
    /// Whether `user` may post in `channel`.
    async fn can_post(&self, user: &UserId, channel: &ChannelId) -> Result<bool, ChatError>;
    /// The users in `channel` (bots excluded). Without an implementation nobody is listed, so revoking refuses as
    /// for the last member (safe by default).
    async fn channel_members(&self, channel: &ChannelId) -> Result<Vec<UserId>, ChatError> {
        let _ = channel;
        Ok(Vec::new())
    }
}

/// Telling others that something changed.
#[async_trait]
pub trait Events: Send + Sync {
    /// A websocket event to the browsers in `audience`.
    async fn publish(&self, audience: &Audience, delta: &Delta) -> Result<(), ChatError>;
    /// Tells the other nodes that `incident` is now at `version`, so their read models refresh.
    async fn incident_changed(&self, incident: &IncidentId, version: u64) -> Result<(), ChatError>;
}

/// Fresh ids (random in the plugin, sequential in tests).
pub trait Ids: Send + Sync {
    /// A new 26-character `[a-z0-9]` id.
    fn new_id(&self) -> String;
}

/// An outgoing webhook, ready to send: the shell adds the links (site URL), signs and delivers it off the request
/// path with retries, then reports the outcome with [`crate::App::record_webhook`].
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookJob {
    /// The incident it is about.
    pub incident: IncidentId,
    /// Why it is sent.
    pub event: incident_core::WebhookEvent,
    /// Where to POST.
    pub url: String,
    /// The JSON body, without the links.
    pub payload: serde_json::Value,
}

/// Where webhooks are queued. `send` returns at once: a slow or failing receiver never holds up the caller.
pub trait Outbox: Send + Sync {
    /// Queues `job`.
    fn send(&self, job: WebhookJob);
}
