//! Hand-written fakes of the ports: one in-memory chat server that records every call (feature `fakes`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use incident_core::{Audience, ChannelId, Delta, IncidentId, PostId, TeamId, Timestamp, UserId};
use incident_store::{Kv, Store};

use crate::app::{App, Ports};
use crate::ports::{ChannelInfo, Chat, ChatError, Events, Ids, NewChannel, People, Person, PostInfo};

/// Pads a readable name to a valid 26-character id: `id("alice")` → `alice000000000000000000000`.
pub fn id<T: TryFrom<String>>(name: &str) -> T
where
    T::Error: std::fmt::Debug,
{
    let mut s = name.to_owned();
    while s.len() < 26 {
        s.push('0');
    }
    T::try_from(s).expect("fixture id")
}

/// A channel of the fake server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeChannel {
    /// Team.
    pub team: TeamId,
    /// URL name.
    pub name: String,
    /// Display name.
    pub display_name: String,
    /// Private.
    pub private: bool,
    /// Purpose.
    pub purpose: String,
    /// Members.
    pub members: BTreeSet<UserId>,
}

/// A post the fake received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakePost {
    /// Where.
    pub channel: ChannelId,
    /// As whom (None: the bot).
    pub author: Option<UserId>,
    /// Text.
    pub text: String,
    /// The reminder it is (incident, due time), for reminder posts.
    pub reminder: Option<(IncidentId, Timestamp)>,
}

/// Everything the fake server knows and saw.
#[derive(Debug, Default)]
pub struct World {
    /// Users.
    pub users: BTreeMap<UserId, Person>,
    /// Team members.
    pub teams: BTreeMap<TeamId, BTreeSet<UserId>>,
    /// Channels.
    pub channels: BTreeMap<ChannelId, FakeChannel>,
    /// Posts, in order.
    pub posts: Vec<FakePost>,
    /// Ephemeral posts (user, channel, text).
    pub ephemerals: Vec<(UserId, ChannelId, String)>,
    /// Websocket events.
    pub published: Vec<(Audience, Delta)>,
    /// Cluster events (incident, version).
    pub cluster: Vec<(IncidentId, u64)>,
    /// Every port call by name.
    pub calls: Vec<&'static str>,
    /// Port calls that fail with `Unavailable`.
    pub failing: BTreeSet<&'static str>,
    /// Channels where nobody may post.
    pub read_only: BTreeSet<ChannelId>,
    /// Message posts to look up (start from a message).
    pub messages: BTreeMap<PostId, PostInfo>,
    next_id: u64,
}

/// The fake chat server.
#[derive(Debug, Default)]
pub struct FakeServer {
    world: Mutex<World>,
}

/// The seeded team.
pub fn team() -> TeamId {
    id("team")
}

impl FakeServer {
    /// One team with admin (system admin), alice, bob and carol, channels town-square and off-topic with everyone
    /// in them; dave exists but is in no team.
    pub fn seeded() -> Arc<Self> {
        let server = FakeServer::default();
        {
            let mut w = server.world();
            for name in ["admin", "alice", "bob", "carol", "dave"] {
                let person = Person { id: id(name), username: name.into(), is_system_admin: name == "admin" };
                w.users.insert(person.id.clone(), person);
            }
            let members: BTreeSet<UserId> = ["admin", "alice", "bob", "carol"].iter().map(|n| id(n)).collect();
            w.teams.insert(team(), members.clone());
            for name in ["town-square", "off-topic"] {
                let channel = FakeChannel {
                    team: team(),
                    name: name.into(),
                    display_name: name.into(),
                    private: false,
                    purpose: String::new(),
                    members: members.clone(),
                };
                w.channels.insert(id(&name.replace('-', "")), channel);
            }
        }
        Arc::new(server)
    }

    /// The world, locked.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The id of the channel named `name`.
    pub fn channel_id(&self, name: &str) -> Option<ChannelId> {
        self.world().channels.iter().find(|(_, c)| c.name == name).map(|(id, _)| id.clone())
    }

    /// Posts in `channel`, texts only.
    pub fn posts_in(&self, channel: &ChannelId) -> Vec<String> {
        self.world().posts.iter().filter(|p| p.channel == *channel).map(|p| p.text.clone()).collect()
    }

    /// Makes the port call named `call` fail (or succeed again).
    pub fn fail(&self, call: &'static str, failing: bool) {
        let mut w = self.world();
        if failing {
            w.failing.insert(call);
        } else {
            w.failing.remove(call);
        }
    }

    /// Adds or removes a channel member directly (as a user would in the UI).
    pub fn set_member(&self, channel: &ChannelId, user: &UserId, member: bool) {
        if let Some(c) = self.world().channels.get_mut(channel) {
            if member {
                c.members.insert(user.clone());
            } else {
                c.members.remove(user);
            }
        }
    }

    /// Records `call` and fails it if asked to.
    fn call(&self, call: &'static str) -> Result<MutexGuard<'_, World>, ChatError> {
        let mut w = self.world();
        w.calls.push(call);
        if w.failing.contains(call) {
            return Err(ChatError::Unavailable(format!("{call} failed (injected)")));
        }
        Ok(w)
    }
}

/// An app over `kv` and `server`, with an empty read model.
pub fn app(kv: Arc<dyn Kv>, server: Arc<FakeServer>) -> App {
    let ports = Ports { chat: server.clone(), people: server.clone(), events: server.clone(), ids: server };
    App::new(Store::new(kv), ports)
}

#[async_trait]
impl Chat for FakeServer {
    async fn create_channel(&self, c: &NewChannel) -> Result<ChannelId, ChatError> {
        let mut w = self.call("create_channel")?;
        if w.channels.values().any(|x| x.team == c.team && x.name == c.name) {
            return Err(ChatError::NameTaken);
        }
        w.next_id += 1;
        let channel: ChannelId = id(&format!("ch{}", w.next_id));
        let fake = FakeChannel {
            team: c.team.clone(),
            name: c.name.clone(),
            display_name: c.display_name.clone(),
            private: c.private,
            purpose: c.purpose.clone(),
            members: BTreeSet::new(),
        };
        w.channels.insert(channel.clone(), fake);
        Ok(channel)
    }

    async fn retire_channel(&self, channel: &ChannelId, name: &str, display_name: &str) -> Result<(), ChatError> {
        let mut w = self.call("retire_channel")?;
        let c = w.channels.get_mut(channel).ok_or_else(|| ChatError::Refused("no such channel".into()))?;
        c.name = name.into();
        c.display_name = display_name.into();
        Ok(())
    }

    async fn set_channel_privacy(&self, channel: &ChannelId, private: bool) -> Result<(), ChatError> {
        let mut w = self.call("set_channel_privacy")?;
        if let Some(c) = w.channels.get_mut(channel) {
            c.private = private;
        }
        Ok(())
    }

    async fn add_member(&self, channel: &ChannelId, user: &UserId) -> Result<(), ChatError> {
        let mut w = self.call("add_member")?;
        let c = w.channels.get_mut(channel).ok_or_else(|| ChatError::Refused("no such channel".into()))?;
        c.members.insert(user.clone());
        Ok(())
    }

    async fn remove_member(&self, channel: &ChannelId, user: &UserId) -> Result<(), ChatError> {
        let mut w = self.call("remove_member")?;
        if let Some(c) = w.channels.get_mut(channel) {
            c.members.remove(user);
        }
        Ok(())
    }

    async fn post(&self, channel: &ChannelId, author: Option<&UserId>, text: &str) -> Result<(), ChatError> {
        let mut w = self.call("post")?;
        w.posts.push(FakePost { channel: channel.clone(), author: author.cloned(), text: text.into(), reminder: None });
        Ok(())
    }

    async fn post_reminder(
        &self,
        channel: &ChannelId,
        incident: &IncidentId,
        due: Timestamp,
        text: &str,
    ) -> Result<(), ChatError> {
        let mut w = self.call("post_reminder")?;
        let reminder = Some((incident.clone(), due));
        w.posts.push(FakePost { channel: channel.clone(), author: None, text: text.into(), reminder });
        Ok(())
    }

    async fn has_reminder(
        &self,
        channel: &ChannelId,
        incident: &IncidentId,
        due: Timestamp,
    ) -> Result<bool, ChatError> {
        let w = self.call("has_reminder")?;
        let wanted = Some((incident.clone(), due));
        Ok(w.posts.iter().any(|p| p.channel == *channel && p.reminder == wanted))
    }

    async fn ephemeral(&self, user: &UserId, channel: &ChannelId, text: &str) -> Result<(), ChatError> {
        let mut w = self.call("ephemeral")?;
        w.ephemerals.push((user.clone(), channel.clone(), text.into()));
        Ok(())
    }

    async fn channel_by_name(&self, team: &TeamId, name: &str) -> Result<Option<ChannelInfo>, ChatError> {
        let w = self.call("channel_by_name")?;
        Ok(w.channels.iter().find(|(_, c)| c.team == *team && c.name == name).map(|(id, c)| ChannelInfo {
            id: id.clone(),
            team: c.team.clone(),
            name: c.name.clone(),
            purpose: c.purpose.clone(),
        }))
    }

    async fn channel(&self, channel: &ChannelId) -> Result<Option<ChannelInfo>, ChatError> {
        let w = self.call("channel")?;
        Ok(w.channels.get(channel).map(|c| ChannelInfo {
            id: channel.clone(),
            team: c.team.clone(),
            name: c.name.clone(),
            purpose: c.purpose.clone(),
        }))
    }

    async fn post_info(&self, post: &PostId) -> Result<Option<PostInfo>, ChatError> {
        let w = self.call("post_info")?;
        Ok(w.messages.get(post).cloned())
    }

    async fn transcript(
        &self,
        channel: &ChannelId,
        limit: usize,
    ) -> Result<(Vec<incident_core::review::TranscriptLine>, bool), ChatError> {
        let w = self.call("transcript")?;
        let all: Vec<_> = w
            .posts
            .iter()
            .filter(|p| p.channel == *channel)
            .map(|p| incident_core::review::TranscriptLine {
                at: incident_core::Timestamp(0),
                author: p.author.clone(),
                message: p.text.clone(),
            })
            .collect();
        let skip = all.len().saturating_sub(limit);
        Ok((all[skip..].to_vec(), skip > 0))
    }
}

#[async_trait]
impl People for FakeServer {
    async fn users(&self, ids: &[UserId]) -> Result<Vec<Person>, ChatError> {
        let w = self.call("users")?;
        Ok(ids.iter().filter_map(|id| w.users.get(id).cloned()).collect())
    }

    async fn by_username(&self, username: &str) -> Result<Option<Person>, ChatError> {
        let w = self.call("by_username")?;
        Ok(w.users.values().find(|p| p.username == username).cloned())
    }

    async fn is_channel_member(&self, channel: &ChannelId, user: &UserId) -> Result<bool, ChatError> {
        let w = self.call("is_channel_member")?;
        Ok(w.channels.get(channel).is_some_and(|c| c.members.contains(user)))
    }

    async fn is_team_member(&self, team: &TeamId, user: &UserId) -> Result<bool, ChatError> {
        let w = self.call("is_team_member")?;
        Ok(w.teams.get(team).is_some_and(|t| t.contains(user)))
    }

    async fn can_post(&self, user: &UserId, channel: &ChannelId) -> Result<bool, ChatError> {
        let w = self.call("can_post")?;
        let member = w.channels.get(channel).is_some_and(|c| c.members.contains(user) || !c.private);
        Ok(member && !w.read_only.contains(channel))
    }
}

#[async_trait]
impl Events for FakeServer {
    async fn publish(&self, audience: &Audience, delta: &Delta) -> Result<(), ChatError> {
        let mut w = self.call("publish")?;
        w.published.push((audience.clone(), delta.clone()));
        Ok(())
    }

    async fn incident_changed(&self, incident: &IncidentId, version: u64) -> Result<(), ChatError> {
        let mut w = self.call("incident_changed")?;
        w.cluster.push((incident.clone(), version));
        Ok(())
    }
}

impl Ids for FakeServer {
    fn new_id(&self) -> String {
        let mut w = self.world();
        w.next_id += 1;
        format!("inc{:023}", w.next_id)
    }
}
