//! The app's ports and the store's `Kv`, implemented over Mattermost's PluginAPI (`mm::Api`).

use std::ops::ControlFlow;
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use incident_app::{AccessQuestion, ChannelInfo, Chat, ChatError, Events, NewChannel, People, Person, PostInfo};
use incident_core::review::TranscriptLine;
use incident_core::time::MINUTE_MS;
use incident_core::{Audience, ChannelId, Delta, IncidentId, PostId, TeamId, Timestamp, UserId};
use incident_store::{Expect, Kv, KvError};
use mm::model::{Broadcast, Channel, ChannelType, ClusterEvent, KvSetOptions, Post};
use mm::{Api, ApiError};
use serde_json::json;

/// The websocket event browsers receive as `custom_<plugin id>_incident_updated`.
pub const WS_EVENT: &str = "incident_updated";
/// The cluster event other nodes receive when an incident changed.
pub const CLUSTER_EVENT: &str = "incident_changed";
/// Keys per `KVList` page.
const KV_PAGE: i32 = 1000;

/// The plugin KV store as the incident store's [`Kv`].
pub struct MmKv(pub Api);

fn kv_error(e: ApiError) -> KvError {
    KvError::Unavailable(e.to_string())
}

#[async_trait]
impl Kv for MmKv {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        self.0.kv_get(key).await.map_err(kv_error)
    }

    async fn set(&self, key: &str, value: &[u8], expect: Expect<'_>, ttl_secs: Option<u64>) -> Result<bool, KvError> {
        let (atomic, old_value) = match expect {
            Expect::Anything => (false, None),
            Expect::Absent => (true, None),
            Expect::Bytes(old) => (true, Some(old.to_vec())),
        };
        let expire_in_seconds = ttl_secs.map_or(0, |s| i64::try_from(s).unwrap_or(i64::MAX));
        let options = KvSetOptions { atomic, old_value, expire_in_seconds };
        self.0.kv_set_with_options(key, value, options).await.map_err(kv_error)
    }

    async fn delete(&self, key: &str) -> Result<(), KvError> {
        self.0.kv_delete(key).await.map_err(kv_error)
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>, KvError> {
        let mut out = Vec::new();
        for page in 0.. {
            let keys = self.0.kv_list(page, KV_PAGE).await.map_err(kv_error)?;
            let last = keys.len() < KV_PAGE as usize;
            out.extend(keys.into_iter().filter(|k| k.starts_with(prefix)));
            if last {
                break;
            }
        }
        Ok(out)
    }
}

/// The post prop that tags a reminder with its incident and due time.
const REMINDER_TAG: &str = "incident_reminder";

/// How long before its due time a reminder's post may be stamped: nodes' and the server's clocks differ.
const CLOCK_SKEW_MS: u64 = 5 * MINUTE_MS;
/// Most pages a take-over reads (10,000 posts since the due time) before it gives up looking and posts.
const REMINDER_MAX_PAGES: i32 = 50;

/// `<incident id>:<due ms>`: a string, since post props cross the gRPC API as a protobuf `Struct`, where numbers
/// come back as floats.
fn reminder_tag(incident: &IncidentId, due: Timestamp) -> serde_json::Value {
    serde_json::Value::String(format!("{incident}:{}", due.millis()))
}

/// How a newest-first walk through a channel's posts ended.
#[derive(Debug, PartialEq, Eq)]
enum Walked<B> {
    /// The visitor stopped it with this answer.
    Stopped(B),
    /// It read the channel's oldest post.
    End,
    /// It read the most pages it was allowed to.
    Capped,
}

/// Posts per page of a newest-first walk.
const POSTS_PAGE: i32 = 200;

/// Chat, people and events over the PluginAPI.
pub struct MmPorts {
    api: Api,
    /// The bot's user id, known after activation.
    pub bot: Arc<OnceLock<String>>,
}

impl MmPorts {
    pub fn new(api: Api, bot: Arc<OnceLock<String>>) -> Self {
        MmPorts { api, bot }
    }

    /// The PluginAPI (permission checks and settings gates outside the app's ports).
    pub fn api(&self) -> &Api {
        &self.api
    }

    fn bot_id(&self) -> String {
        self.bot.get().cloned().unwrap_or_default()
    }

    /// A post of `text` in `channel` by the bot.
    fn bot_post(&self, channel: &ChannelId, text: &str) -> Post {
        Post { channel_id: channel.to_string(), user_id: self.bot_id(), message: text.to_owned(), ..Post::default() }
    }

    /// Shows `visit` the channel's posts newest first, [`POSTS_PAGE`] a page, until it breaks, the channel ends or
    /// `max_pages` pages were read.
    async fn newest_first<B>(
        &self,
        channel: &ChannelId,
        max_pages: Option<i32>,
        mut visit: impl FnMut(&Post) -> ControlFlow<B> + Send,
    ) -> Result<Walked<B>, ChatError> {
        let mut page = 0;
        while max_pages.is_none_or(|max| page < max) {
            let list = self.api.get_posts_for_channel(channel.as_str(), page, POSTS_PAGE).await.map_err(chat_error)?;
            for post in list.order.iter().filter_map(|id| list.posts.get(id)) {
                if let ControlFlow::Break(answer) = visit(post) {
                    return Ok(Walked::Stopped(answer));
                }
            }
            if list.order.len() < POSTS_PAGE as usize {
                return Ok(Walked::End);
            }
            page += 1;
        }
        Ok(Walked::Capped)
    }
}

fn chat_error(e: ApiError) -> ChatError {
    match e {
        ApiError::App { error, .. } => ChatError::Refused(error.message),
        ApiError::Transport { .. } => ChatError::Unavailable(e.to_string()),
    }
}

/// `Ok(None)` for a 404, the value otherwise.
fn found<T>(r: Result<T, ApiError>) -> Result<Option<T>, ChatError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(chat_error(e)),
    }
}

fn parse<T: TryFrom<String>>(s: String) -> Option<T> {
    T::try_from(s).ok()
}

fn channel_info(c: Channel) -> Option<ChannelInfo> {
    Some(ChannelInfo { id: parse(c.id)?, team: parse(c.team_id)?, name: c.name, purpose: c.purpose })
}

#[async_trait]
impl Chat for MmPorts {
    async fn create_channel(&self, c: &NewChannel) -> Result<ChannelId, ChatError> {
        let channel = Channel {
            team_id: c.team.to_string(),
            name: c.name.clone(),
            display_name: c.display_name.clone(),
            r#type: if c.private { ChannelType::Private } else { ChannelType::Open },
            purpose: c.purpose.clone(),
            creator_id: c.creator.to_string(),
            ..Channel::default()
        };
        match self.api.create_channel(channel).await {
            Ok(created) => {
                parse(created.id).ok_or_else(|| ChatError::Refused("the server returned a bad channel id".into()))
            }
            Err(ApiError::App { error, .. }) if error.id.contains("exists") => Err(ChatError::NameTaken),
            Err(e) => Err(chat_error(e)),
        }
    }

    async fn retire_channel(&self, channel: &ChannelId, name: &str, display_name: &str) -> Result<(), ChatError> {
        let mut c = self.api.get_channel(channel.as_str()).await.map_err(chat_error)?;
        c.name = name.to_owned();
        c.display_name = display_name.to_owned();
        self.api.update_channel(c).await.map(|_| ()).map_err(chat_error)
    }

    async fn set_channel_privacy(&self, channel: &ChannelId, private: bool) -> Result<(), ChatError> {
        let mut c = self.api.get_channel(channel.as_str()).await.map_err(chat_error)?;
        c.r#type = if private { ChannelType::Private } else { ChannelType::Open };
        self.api.update_channel(c).await.map(|_| ()).map_err(chat_error)
    }

    async fn add_member(&self, channel: &ChannelId, user: &UserId) -> Result<(), ChatError> {
        self.api.add_channel_member(channel.as_str(), user.as_str()).await.map(|_| ()).map_err(chat_error)
    }

    async fn remove_member(&self, channel: &ChannelId, user: &UserId) -> Result<(), ChatError> {
        self.api.delete_channel_member(channel.as_str(), user.as_str()).await.map_err(chat_error)
    }

    async fn post(&self, channel: &ChannelId, author: Option<&UserId>, text: &str) -> Result<(), ChatError> {
        let mut post = self.bot_post(channel, text);
        if let Some(author) = author {
            post.user_id = author.to_string();
        }
        self.api.create_post(post).await.map(|_| ()).map_err(chat_error)
    }

    async fn post_reminder(
        &self,
        channel: &ChannelId,
        incident: &IncidentId,
        due: Timestamp,
        text: &str,
    ) -> Result<(), ChatError> {
        let mut props = crate::http::reminders::buttons(incident);
        props.insert(REMINDER_TAG.into(), reminder_tag(incident, due));
        let post = Post { props, ..self.bot_post(channel, text) };
        self.api.create_post(post).await.map(|_| ()).map_err(chat_error)
    }

    async fn has_reminder(
        &self,
        channel: &ChannelId,
        incident: &IncidentId,
        due: Timestamp,
    ) -> Result<bool, ChatError> {
        // A claim is taken at or after the due time, so the claimant's post, if any, is newer than that: read
        // newest first until a post reaches back past it, however busy the channel was meanwhile.
        let (bot, tag) = (self.bot_id(), reminder_tag(incident, due));
        let since = due.millis().saturating_sub_unsigned(CLOCK_SKEW_MS);
        let walked = self
            .newest_first(channel, Some(REMINDER_MAX_PAGES), |p| {
                if p.user_id == bot && p.props.get(REMINDER_TAG) == Some(&tag) {
                    ControlFlow::Break(true)
                } else if p.create_at < since {
                    ControlFlow::Break(false)
                } else {
                    ControlFlow::Continue(())
                }
            })
            .await?;
        Ok(match walked {
            Walked::Stopped(found) => found,
            Walked::End => false,
            Walked::Capped => {
                tracing::warn!(
                    incident = %incident,
                    pages = REMINDER_MAX_PAGES,
                    "a reminder take-over stopped looking for the earlier post; if it was posted, it now shows twice"
                );
                false
            }
        })
    }

    async fn post_access_question(
        &self,
        channel: &ChannelId,
        incident: &IncidentId,
        question: AccessQuestion,
        text: &str,
    ) -> Result<(), ChatError> {
        let post =
            Post { props: crate::http::access::question_buttons(incident, &question), ..self.bot_post(channel, text) };
        self.api.create_post(post).await.map(|_| ()).map_err(chat_error)
    }

    async fn ephemeral(&self, user: &UserId, channel: &ChannelId, text: &str) -> Result<(), ChatError> {
        let post = self.bot_post(channel, text);
        self.api.send_ephemeral_post(user.as_str(), post).await.map(|_| ()).map_err(chat_error)
    }

    async fn channel_by_name(&self, team: &TeamId, name: &str) -> Result<Option<ChannelInfo>, ChatError> {
        Ok(found(self.api.get_channel_by_name(team.as_str(), name, false).await)?.and_then(channel_info))
    }

    async fn channel(&self, id: &ChannelId) -> Result<Option<ChannelInfo>, ChatError> {
        Ok(found(self.api.get_channel(id.as_str()).await)?.and_then(channel_info))
    }

    async fn post_info(&self, id: &PostId) -> Result<Option<PostInfo>, ChatError> {
        let post = found(self.api.get_post(id.as_str()).await)?;
        Ok(post.and_then(|p| {
            let author = parse(p.user_id);
            Some(PostInfo { id: parse(p.id)?, channel: parse(p.channel_id)?, author, message: p.message })
        }))
    }

    async fn transcript(&self, channel: &ChannelId, limit: usize) -> Result<(Vec<TranscriptLine>, bool), ChatError> {
        let mut newest_first = Vec::new();
        let walked = self
            .newest_first(channel, None, |p| {
                if newest_first.len() == limit {
                    // One more post exists beyond the limit: the transcript is cut.
                    return ControlFlow::Break(());
                }
                if p.delete_at == 0 {
                    newest_first.push(TranscriptLine {
                        at: Timestamp(p.create_at),
                        author: UserId::try_from(p.user_id.clone()).ok(),
                        message: p.message.clone(),
                    });
                }
                ControlFlow::Continue(())
            })
            .await?;
        newest_first.reverse();
        // Oldest first by time even where pages overlap a post created meanwhile.
        newest_first.sort_by_key(|l| l.at);
        Ok((newest_first, !matches!(walked, Walked::End)))
    }
}

#[async_trait]
impl People for MmPorts {
    async fn users(&self, ids: &[UserId]) -> Result<Vec<Person>, ChatError> {
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let users = self.api.get_users_by_ids(&ids).await.map_err(chat_error)?;
        Ok(users
            .into_iter()
            .filter_map(|u| {
                let is_system_admin = u.roles.split_whitespace().any(|r| r == "system_admin");
                Some(Person { id: parse(u.id)?, username: u.username, is_system_admin })
            })
            .collect())
    }

    async fn by_username(&self, username: &str) -> Result<Option<Person>, ChatError> {
        let user = found(self.api.get_user_by_username(username).await)?;
        Ok(user.and_then(|u| {
            let is_system_admin = u.roles.split_whitespace().any(|r| r == "system_admin");
            Some(Person { id: parse(u.id)?, username: u.username, is_system_admin })
        }))
    }

    async fn is_channel_member(&self, channel: &ChannelId, user: &UserId) -> Result<bool, ChatError> {
        Ok(found(self.api.get_channel_member(channel.as_str(), user.as_str()).await)?.is_some())
    }

    async fn is_team_member(&self, team: &TeamId, user: &UserId) -> Result<bool, ChatError> {
        Ok(found(self.api.get_team_member(team.as_str(), user.as_str()).await)?.is_some_and(|m| m.delete_at == 0))
    }

    async fn can_post(&self, user: &UserId, channel: &ChannelId) -> Result<bool, ChatError> {
        self.api.has_permission_to_channel(user.as_str(), channel.as_str(), "create_post").await.map_err(chat_error)
    }

    async fn channel_members(&self, channel: &ChannelId) -> Result<Vec<UserId>, ChatError> {
        let bot = self.bot_id();
        let mut out = Vec::new();
        for page in 0..50 {
            let members = self.api.get_channel_members(channel.as_str(), page, 200).await.map_err(chat_error)?;
            let done = members.len() < 200;
            out.extend(members.into_iter().filter(|m| m.user_id != bot).filter_map(|m| parse(m.user_id)));
            if done {
                break;
            }
        }
        Ok(out)
    }
}

#[async_trait]
impl Events for MmPorts {
    async fn publish(&self, audience: &Audience, delta: &Delta) -> Result<(), ChatError> {
        let broadcast = match audience {
            Audience::Team(team) => Broadcast { team_id: team.to_string(), ..Broadcast::default() },
            Audience::Channel(channel) => Broadcast { channel_id: channel.to_string(), ..Broadcast::default() },
        };
        let change = serde_json::to_value(delta.change).unwrap_or_default();
        let payload = json!({ "incident_id": delta.incident, "version": delta.version, "change": change });
        let serde_json::Value::Object(payload) = payload else { return Ok(()) };
        self.api.publish_websocket_event(WS_EVENT, payload, broadcast).await.map_err(chat_error)
    }

    async fn incident_changed(&self, incident: &IncidentId, version: u64) -> Result<(), ChatError> {
        let data = serde_json::to_vec(&json!({ "incident_id": incident, "version": version })).unwrap_or_default();
        let event = ClusterEvent { id: CLUSTER_EVENT.into(), data };
        self.api.publish_plugin_cluster_event(event).await.map_err(chat_error)
    }
}
