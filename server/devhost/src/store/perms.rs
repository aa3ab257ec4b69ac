//! A small role model with Mattermost's permission ids: system admin, team admin, team/channel member.

use super::Store;

/// Where a permission is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    System,
    Team(&'a str),
    Channel(&'a str),
}

/// `system_user`: what every active user may do anywhere.
const SYSTEM_USER: &[&str] = &[
    "create_team",
    "create_direct_channel",
    "create_group_channel",
    "list_public_teams",
    "join_public_teams",
    "view_members",
];

/// `team_user`: what a member may do in their team.
const TEAM_USER: &[&str] = &[
    "view_team",
    "list_team_channels",
    "join_public_channels",
    "read_public_channel",
    "create_public_channel",
    "create_private_channel",
    "invite_user",
    "add_user_to_team",
];

/// `team_admin`: team management, on top of `team_user` and `channel_user`.
const TEAM_ADMIN: &[&str] = &[
    "manage_team",
    "remove_user_from_team",
    "manage_team_roles",
    "manage_channel_roles",
    "manage_public_channel_members",
    "manage_private_channel_members",
    "manage_public_channel_properties",
    "manage_private_channel_properties",
    "delete_public_channel",
    "delete_private_channel",
    "delete_others_posts",
    "edit_others_posts",
    "manage_slash_commands",
    "manage_others_slash_commands",
    "import_team",
];

/// `channel_user`: what a member may do in their channel.
const CHANNEL_USER: &[&str] = &[
    "read_channel",
    "read_channel_content",
    "create_post",
    "add_reaction",
    "remove_reaction",
    "upload_file",
    "edit_post",
    "delete_post",
    "use_slash_commands",
    "use_channel_mentions",
    "manage_public_channel_members",
    "manage_private_channel_members",
    "manage_public_channel_properties",
    "manage_private_channel_properties",
];

impl Store {
    /// `HasPermissionTo*`: never errors; unknown users, teams or channels simply have no permission.
    pub fn has_permission(&self, user_id: &str, scope: Scope<'_>, permission: &str) -> bool {
        let Ok(user) = self.get_user(user_id) else {
            return false;
        };
        if user.delete_at != 0 {
            return false;
        }
        if user.is_system_admin() {
            return true;
        }
        if SYSTEM_USER.contains(&permission) {
            return true;
        }
        match scope {
            Scope::System => false,
            Scope::Team(team_id) => self.team_grants(user_id, team_id, permission),
            Scope::Channel(channel_id) => {
                let Ok(channel) = self.get_channel(channel_id) else {
                    return false;
                };
                let member = self.get_channel_member(channel_id, user_id).is_ok();
                if member && CHANNEL_USER.contains(&permission) {
                    return true;
                }
                if !member && channel.kind == "O" && matches!(permission, "read_channel" | "read_channel_content") {
                    // An open channel is readable by every team member (read_public_channel).
                    return self.team_grants(user_id, &channel.team_id, "read_public_channel");
                }
                self.team_grants(user_id, &channel.team_id, permission)
            }
        }
    }

    fn team_grants(&self, user_id: &str, team_id: &str, permission: &str) -> bool {
        let Ok(member) = self.get_team_member(team_id, user_id) else {
            return false;
        };
        if member.delete_at != 0 {
            return false;
        }
        let team_admin = member.roles.split_whitespace().any(|r| r == "team_admin");
        TEAM_USER.contains(&permission)
            || (team_admin && (TEAM_ADMIN.contains(&permission) || CHANNEL_USER.contains(&permission)))
    }
}
