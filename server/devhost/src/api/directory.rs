//! PluginAPI: channels, channel members, users and teams (errors as gRPC statuses, "style S").

use mm::pb::v1 as pb;
use serde_json::json;

use super::ApiService;
use super::convert::{
    ApiError, channel_from_pb, channel_to_pb, member_to_pb, team_member_to_pb, team_to_pb, user_to_pb,
};
use crate::effects;
use crate::events::Broadcast;

fn need<T>(v: Option<T>, what: &str) -> Result<T, ApiError> {
    v.ok_or_else(|| ApiError::bad_request("api.context.invalid_body_param.app_error", format!("{what} is required")))
}

impl ApiService {
    pub(super) fn create_channel(&self, r: pb::CreateChannelRequest) -> Result<pb::CreateChannelResponse, ApiError> {
        let channel = channel_from_pb(&need(r.channel, "channel")?)?;
        let created = self.shared.store.create_channel(channel)?;
        let audience =
            if created.kind == "O" { Broadcast::team(&created.team_id) } else { Broadcast::user(&created.creator_id) };
        self.shared.events.publish(
            "channel_created",
            json!({ "channel_id": created.id, "team_id": created.team_id }),
            audience,
        );
        Ok(pb::CreateChannelResponse { error: None, channel: Some(channel_to_pb(&created)) })
    }

    pub(super) fn get_channel(&self, r: pb::GetChannelRequest) -> Result<pb::GetChannelResponse, ApiError> {
        let c = self.shared.store.get_channel(&r.channel_id)?;
        Ok(pb::GetChannelResponse { error: None, channel: Some(channel_to_pb(&c)) })
    }

    pub(super) fn get_channel_by_name(
        &self,
        r: pb::GetChannelByNameRequest,
    ) -> Result<pb::GetChannelByNameResponse, ApiError> {
        let c = self.shared.store.get_channel_by_name(&r.team_id, &r.name, r.include_deleted)?;
        Ok(pb::GetChannelByNameResponse { error: None, channel: Some(channel_to_pb(&c)) })
    }

    pub(super) fn update_channel(&self, r: pb::UpdateChannelRequest) -> Result<pb::UpdateChannelResponse, ApiError> {
        let channel = channel_from_pb(&need(r.channel, "channel")?)?;
        let updated = self.shared.store.update_channel(&channel)?;
        let event = if updated.delete_at != 0 { "channel_deleted" } else { "channel_updated" };
        self.shared.events.publish(
            event,
            json!({ "channel_id": updated.id, "team_id": updated.team_id }),
            Broadcast::channel(&updated.id),
        );
        Ok(pb::UpdateChannelResponse { error: None, channel: Some(channel_to_pb(&updated)) })
    }

    fn add_member(&self, channel_id: &str, user_id: &str, actor: Option<&str>) -> Result<pb::ChannelMember, ApiError> {
        if let Some(actor) = actor {
            self.shared.store.get_user(actor)?;
        }
        let (member, added) = self.shared.store.add_channel_member(channel_id, user_id)?;
        if added {
            effects::member_added(&self.shared, &member, actor)?;
        }
        Ok(member_to_pb(&member))
    }

    pub(super) fn add_channel_member(
        &self,
        r: pb::AddChannelMemberRequest,
    ) -> Result<pb::AddChannelMemberResponse, ApiError> {
        let m = self.add_member(&r.channel_id, &r.user_id, None)?;
        Ok(pb::AddChannelMemberResponse { error: None, channel_member: Some(m) })
    }

    pub(super) fn add_user_to_channel(
        &self,
        r: pb::AddUserToChannelRequest,
    ) -> Result<pb::AddUserToChannelResponse, ApiError> {
        let actor = Some(r.as_user_id.as_str()).filter(|a| !a.is_empty());
        let m = self.add_member(&r.channel_id, &r.user_id, actor)?;
        Ok(pb::AddUserToChannelResponse { error: None, channel_member: Some(m) })
    }

    pub(super) fn delete_channel_member(
        &self,
        r: pb::DeleteChannelMemberRequest,
    ) -> Result<pb::DeleteChannelMemberResponse, ApiError> {
        let member = self.shared.store.remove_channel_member(&r.channel_id, &r.user_id)?;
        effects::member_removed(&self.shared, &member);
        Ok(pb::DeleteChannelMemberResponse::default())
    }

    pub(super) fn get_channel_member(
        &self,
        r: pb::GetChannelMemberRequest,
    ) -> Result<pb::GetChannelMemberResponse, ApiError> {
        let m = self.shared.store.get_channel_member(&r.channel_id, &r.user_id)?;
        Ok(pb::GetChannelMemberResponse { error: None, channel_member: Some(member_to_pb(&m)) })
    }

    pub(super) fn get_channel_members(
        &self,
        r: pb::GetChannelMembersRequest,
    ) -> Result<pb::GetChannelMembersResponse, ApiError> {
        let ms = self.shared.store.channel_members(&r.channel_id, r.page, r.per_page)?;
        Ok(pb::GetChannelMembersResponse { error: None, channel_members: ms.iter().map(member_to_pb).collect() })
    }

    pub(super) fn get_user(&self, r: pb::GetUserRequest) -> Result<pb::GetUserResponse, ApiError> {
        let u = self.shared.store.get_user(&r.user_id)?;
        Ok(pb::GetUserResponse { error: None, user: Some(user_to_pb(&u)) })
    }

    pub(super) fn get_user_by_username(
        &self,
        r: pb::GetUserByUsernameRequest,
    ) -> Result<pb::GetUserByUsernameResponse, ApiError> {
        let u = self.shared.store.get_user_by_username(&r.name)?;
        Ok(pb::GetUserByUsernameResponse { error: None, user: Some(user_to_pb(&u)) })
    }

    pub(super) fn get_users_by_ids(&self, r: pb::GetUsersByIdsRequest) -> Result<pb::GetUsersByIdsResponse, ApiError> {
        let users = self.shared.store.get_users_by_ids(&r.user_ids)?;
        Ok(pb::GetUsersByIdsResponse { error: None, users: users.iter().map(user_to_pb).collect() })
    }

    pub(super) fn get_users_in_channel(
        &self,
        r: pb::GetUsersInChannelRequest,
    ) -> Result<pb::GetUsersInChannelResponse, ApiError> {
        if !matches!(r.sort_by.as_str(), "" | "username" | "status") {
            return Err(ApiError::bad_request(
                "api.context.invalid_param.app_error",
                format!("sort_by {:?} must be \"username\" or \"status\"", r.sort_by),
            ));
        }
        let users = self.shared.store.users_in_channel(&r.channel_id, r.page, r.per_page)?;
        Ok(pb::GetUsersInChannelResponse { error: None, users: users.iter().map(user_to_pb).collect() })
    }

    pub(super) fn get_team(&self, r: pb::GetTeamRequest) -> Result<pb::GetTeamResponse, ApiError> {
        let t = self.shared.store.get_team(&r.team_id)?;
        Ok(pb::GetTeamResponse { error: None, team: Some(team_to_pb(&t)) })
    }

    pub(super) fn get_team_member(&self, r: pb::GetTeamMemberRequest) -> Result<pb::GetTeamMemberResponse, ApiError> {
        let m = self.shared.store.get_team_member(&r.team_id, &r.user_id)?;
        Ok(pb::GetTeamMemberResponse { error: None, team_member: Some(team_member_to_pb(&m)) })
    }

    pub(super) fn get_teams_for_user(
        &self,
        r: pb::GetTeamsForUserRequest,
    ) -> Result<pb::GetTeamsForUserResponse, ApiError> {
        let teams = self.shared.store.teams_for_user(&r.user_id)?;
        Ok(pb::GetTeamsForUserResponse { error: None, teams: teams.iter().map(team_to_pb).collect() })
    }
}
