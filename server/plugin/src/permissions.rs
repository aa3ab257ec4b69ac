//! Permission gates from the System Console settings, answered with Mattermost's own permission checks
//! (HasPermissionTo / ToTeam / ToChannel). System admins (`manage_system`) are never restricted.

use mm::Api;

use crate::config::{self, PlaybookCreators};

/// Mattermost's permission ids.
pub const MANAGE_SYSTEM: &str = "manage_system";
pub const MANAGE_TEAM: &str = "manage_team";
pub const VIEW_TEAM: &str = "view_team";

/// The answer when `/incident` or the API is used in a team the plugin is not enabled in.
pub const TEAM_DISABLED: &str =
    "Incident Collaboration is not enabled in this team. A system admin can enable it in the System Console.";
/// The answer when a private incident is asked for while the setting is off.
pub const PRIVATE_DISABLED: &str =
    "Private incidents are turned off. A system admin can enable them in the System Console.";

/// Whether `user` is a system admin; a failed check counts as "no" (least privilege).
pub async fn is_system_admin(api: &Api, user: &str) -> bool {
    api.has_permission_to(user, MANAGE_SYSTEM).await.unwrap_or(false)
}

/// Whether the plugin works in `team` (the setting lists names or ids; the name is looked up only when needed).
pub async fn team_enabled(api: &Api, team: &str) -> bool {
    let config = config::current();
    if config.team_enabled(team, None) {
        return true;
    }
    match api.get_team(team).await {
        Ok(t) => config.team_enabled(team, Some(&t.name)),
        Err(e) => {
            tracing::warn!(error = %e, team, "looking up a team for the enabled-teams setting failed; treating it as disabled");
            false
        }
    }
}

/// Whether `user` may create playbooks in `team` under the "Who can create playbooks" setting.
pub async fn may_create_playbooks(api: &Api, user: &str, team: &str) -> bool {
    if is_system_admin(api, user).await {
        return true;
    }
    if !api.has_permission_to_team(user, team, VIEW_TEAM).await.unwrap_or(false) {
        return false;
    }
    match &config::current().playbook_creators {
        PlaybookCreators::Everyone => true,
        PlaybookCreators::TeamAdmins => api.has_permission_to_team(user, team, MANAGE_TEAM).await.unwrap_or(false),
        PlaybookCreators::Listed(names) => match api.get_user(user).await {
            Ok(u) => names.iter().any(|n| n.eq_ignore_ascii_case(&u.username)),
            Err(_) => false,
        },
    }
}
