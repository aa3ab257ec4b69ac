//! The whole key schema, in one place. Every key the plugin writes is built here.
//!
//! | key | value | written |
//! |---|---|---|
//! | `inc_<incident id>` | the incident record (`Incident`) | start (last: the commit point), every decision |
//! | `chx_<channel id>` | channel index: ids of the incidents in that channel | start |
//! | `tno_<team id>` | team counter: the last allocated incident number, and the start journal (starts that took a number and have not committed, `intents::TeamCounter`) | start (number allocation, then after the commit) |
//! | `teams` | registry of teams with incidents (`intents::TeamRegistry`) | a team's first start |
//! | `tix_<team id>_<shard>` | team index shard: ids of incidents numbered `shard*1000 …shard*1000+999` | start |
//! | `msg_<incident id>` | message count of the incident channel | MessageHasBeenPosted |
//! | `pbk_<playbook id>` | a playbook (`playbooks::Playbook`; archived, never deleted) | playbook create, edit, archive |
//! | `pbx_<team id>` | the team's playbook ids | playbook create |
//!
//! Values are versioned JSON envelopes (`{"v":1,"data":…}`, see `record`). Keys stay below Mattermost's 50-character
//! limit (a 26-character id plus at most 24). No key lists every incident: the team index is sharded by incident
//! number, so a shard holds at most [`SHARD_SIZE`] ids and only the newest shard is written.

use incident_core::{ChannelId, IncidentId, PlaybookId, TeamId};

/// Incident ids per team index shard.
pub const SHARD_SIZE: u64 = 1000;

/// Prefix of incident records.
pub const INCIDENT_PREFIX: &str = "inc_";
/// Prefix of team counters; listed once, to fill the team registry of a store written before it existed.
pub const TEAM_COUNTER_PREFIX: &str = "tno_";

/// The registry of teams with incidents: activation reads it instead of listing every key.
pub const TEAM_REGISTRY: &str = "teams";

/// Longest key Mattermost accepts.
pub const MAX_KEY_LEN: usize = 50;

/// The incident record.
pub fn incident(id: &IncidentId) -> String {
    format!("{INCIDENT_PREFIX}{id}")
}

/// The incidents of one channel.
pub fn channel_index(channel: &ChannelId) -> String {
    format!("chx_{channel}")
}

/// The team's incident-number counter.
pub fn team_counter(team: &TeamId) -> String {
    format!("{TEAM_COUNTER_PREFIX}{team}")
}

/// The team index shard holding incident `number`.
pub fn team_shard(team: &TeamId, number: u64) -> String {
    team_shard_at(team, shard_of(number))
}

/// The team index shard `shard`.
pub fn team_shard_at(team: &TeamId, shard: u64) -> String {
    format!("tix_{team}_{shard}")
}

/// Which shard incident `number` lives in.
pub fn shard_of(number: u64) -> u64 {
    number / SHARD_SIZE
}

/// The message counter of an incident channel.
pub fn message_count(id: &IncidentId) -> String {
    format!("msg_{id}")
}

/// A playbook record.
pub fn playbook(id: &PlaybookId) -> String {
    format!("pbk_{id}")
}

/// The ids of a team's playbooks.
pub fn team_playbooks(team: &TeamId) -> String {
    format!("pbx_{team}")
}

/// The team id of a team counter key.
pub fn team_of_counter(key: &str) -> Option<TeamId> {
    key.strip_prefix(TEAM_COUNTER_PREFIX).and_then(|id| TeamId::try_from(id).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id<T: TryFrom<&'static str>>(s: &'static str) -> T
    where
        T::Error: std::fmt::Debug,
    {
        T::try_from(s).unwrap()
    }

    #[test]
    fn keys_fit_mattermost_limit_and_round_trip() {
        let team: TeamId = id("tttttttttttttttttttttttttt");
        let longest = team_shard(&team, u64::MAX);
        assert!(longest.len() <= MAX_KEY_LEN, "{longest} is {} long", longest.len());
        assert_eq!(team_shard(&team, 0), "tix_tttttttttttttttttttttttttt_0");
        assert_eq!(team_shard(&team, 1999), team_shard_at(&team, 1));
        assert_eq!(team_of_counter(&team_counter(&team)), Some(team));
        assert_eq!(team_of_counter("tno_nope"), None);
        let inc: IncidentId = id("iiiiiiiiiiiiiiiiiiiiiiiiii");
        assert_eq!(incident(&inc), "inc_iiiiiiiiiiiiiiiiiiiiiiiiii");
        let chan: ChannelId = id("cccccccccccccccccccccccccc");
        assert!(channel_index(&chan).len() <= MAX_KEY_LEN);
        assert!(message_count(&inc).len() <= MAX_KEY_LEN);
    }
}
