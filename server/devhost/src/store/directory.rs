//! Users, bots, teams, team members, registered slash commands and plugin settings.

use rusqlite::{OptionalExtension, Row, params};
use serde_json::{Map, Value};

use super::{Command, Store, StoreError, StoreResult, Team, TeamMember, User, qualified};
use crate::ids::{new_id, now_ms};

const USER_COLS: &str = "id, username, email, first_name, last_name, nickname, roles, is_bot, bot_description, \
                         create_at, update_at, delete_at";

fn user_row(r: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        username: r.get(1)?,
        email: r.get(2)?,
        first_name: r.get(3)?,
        last_name: r.get(4)?,
        nickname: r.get(5)?,
        roles: r.get(6)?,
        is_bot: r.get(7)?,
        bot_description: r.get(8)?,
        create_at: r.get(9)?,
        update_at: r.get(10)?,
        delete_at: r.get(11)?,
    })
}

fn team_row(r: &Row<'_>) -> rusqlite::Result<Team> {
    Ok(Team {
        id: r.get(0)?,
        name: r.get(1)?,
        display_name: r.get(2)?,
        kind: r.get(3)?,
        create_at: r.get(4)?,
        update_at: r.get(5)?,
        delete_at: r.get(6)?,
    })
}

fn command_row(r: &Row<'_>) -> rusqlite::Result<Command> {
    Ok(Command {
        plugin_id: r.get(0)?,
        team_id: r.get(1)?,
        trigger: r.get(2)?,
        display_name: r.get(3)?,
        description: r.get(4)?,
        auto_complete: r.get(5)?,
        auto_complete_desc: r.get(6)?,
        auto_complete_hint: r.get(7)?,
        username: r.get(8)?,
        icon_url: r.get(9)?,
        create_at: r.get(10)?,
    })
}

/// Mattermost's username rule: 3–22 characters of `[a-z0-9.-_]`, starting with a letter.
pub fn is_valid_username(name: &str) -> bool {
    (3..=22).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
}

impl Store {
    pub fn get_user(&self, id: &str) -> StoreResult<User> {
        self.lock()
            .query_row(&format!("SELECT {USER_COLS} FROM users WHERE id = ?1"), [id], user_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found("app.user.missing_account.const", format!("user {id}")))
    }

    pub fn get_user_by_username(&self, username: &str) -> StoreResult<User> {
        self.lock()
            .query_row(
                &format!("SELECT {USER_COLS} FROM users WHERE username = ?1"),
                [username.to_lowercase()],
                user_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::not_found("app.user.get_by_username.app_error", format!("user @{username}")))
    }

    /// The users with these ids that exist, sorted by username.
    pub fn get_users_by_ids(&self, ids: &[String]) -> StoreResult<Vec<User>> {
        let mut users = Vec::new();
        for id in ids {
            match self.get_user(id) {
                Ok(u) => users.push(u),
                Err(StoreError::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        users.sort_by(|a, b| a.username.cmp(&b.username));
        Ok(users)
    }

    /// Every user, people first, sorted by username.
    pub fn list_users(&self) -> StoreResult<Vec<User>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!("SELECT {USER_COLS} FROM users ORDER BY is_bot, username"))?;
        let users = stmt.query_map([], user_row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(users)
    }

    /// Members of a team (people first, then by username), as `GET /api/v4/users?in_team=` answers; `active_only`
    /// leaves out deactivated accounts (`&active=true`).
    pub fn users_in_team(&self, team_id: &str, active_only: bool) -> StoreResult<Vec<User>> {
        self.get_team(team_id)?;
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {} FROM users u JOIN team_members m ON m.user_id = u.id
             WHERE m.team_id = ?1 AND m.delete_at = 0 AND (?2 = 0 OR u.delete_at = 0) ORDER BY u.is_bot, u.username",
            qualified(USER_COLS, "u")
        ))?;
        let users = stmt.query_map(params![team_id, active_only], user_row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(users)
    }

    /// Active members of a channel, sorted by username, one page.
    pub fn users_in_channel(&self, channel_id: &str, page: i32, per_page: i32) -> StoreResult<Vec<User>> {
        check_paging(page, per_page)?;
        self.get_channel(channel_id)?;
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {} FROM users u JOIN channel_members m ON m.user_id = u.id
             WHERE m.channel_id = ?1 AND u.delete_at = 0 ORDER BY u.username LIMIT ?2 OFFSET ?3",
            qualified(USER_COLS, "u")
        ))?;
        let offset = i64::from(page) * i64::from(per_page);
        let users = stmt.query_map(params![channel_id, per_page, offset], user_row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(users)
    }

    /// `EnsureBotUser`: returns the id of the bot with this username, creating it (owned by `owner_id`) if absent.
    pub fn ensure_bot(
        &self,
        owner_id: &str,
        username: &str,
        display_name: &str,
        description: &str,
    ) -> StoreResult<String> {
        let username = username.trim().to_lowercase();
        if !is_valid_username(&username) {
            return Err(StoreError::invalid(
                "model.user.is_valid.username.app_error",
                format!(
                    "invalid bot username {username:?}: 3-22 characters of a-z, 0-9, '.', '-', '_', starting with a letter"
                ),
            ));
        }
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let existing: Option<(String, bool, String)> = tx
            .query_row("SELECT id, is_bot, bot_owner_id FROM users WHERE username = ?1", [&username], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let now = now_ms();
        let id = match existing {
            Some((_, false, _)) => {
                return Err(StoreError::invalid(
                    "app.bot.createbot.username_exists.app_error",
                    format!("username {username} belongs to a user who is not a bot"),
                ));
            }
            Some((id, true, _)) => {
                tx.execute(
                    "UPDATE users SET first_name = CASE WHEN ?2 = '' THEN first_name ELSE ?2 END,
                     bot_description = CASE WHEN ?3 = '' THEN bot_description ELSE ?3 END, update_at = ?4
                     WHERE id = ?1",
                    params![id, display_name, description, now],
                )?;
                id
            }
            None => {
                let id = new_id();
                tx.execute(
                    "INSERT INTO users VALUES (?1, ?2, ?3, ?4, '', '', 'system_user', 1, ?5, ?6, ?7, ?7, 0)",
                    params![
                        id,
                        username,
                        format!("{username}@bots.devhost.local"),
                        display_name,
                        description,
                        owner_id,
                        now
                    ],
                )?;
                id
            }
        };
        tx.commit()?;
        Ok(id)
    }

    pub fn get_team(&self, id: &str) -> StoreResult<Team> {
        self.lock()
            .query_row("SELECT * FROM teams WHERE id = ?1", [id], team_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found("app.team.get.find.app_error", format!("team {id}")))
    }

    pub fn get_team_by_name(&self, name: &str) -> StoreResult<Team> {
        self.lock()
            .query_row("SELECT * FROM teams WHERE name = ?1", [name], team_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found("app.team.get_by_name.missing.app_error", format!("team {name}")))
    }

    /// Teams the user is an active member of, sorted by display name.
    pub fn teams_for_user(&self, user_id: &str) -> StoreResult<Vec<Team>> {
        self.get_user(user_id)?;
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT t.* FROM teams t JOIN team_members m ON m.team_id = t.id
             WHERE m.user_id = ?1 AND m.delete_at = 0 AND t.delete_at = 0 ORDER BY t.display_name",
        )?;
        let teams = stmt.query_map([user_id], team_row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(teams)
    }

    pub fn get_team_member(&self, team_id: &str, user_id: &str) -> StoreResult<TeamMember> {
        self.lock()
            .query_row(
                "SELECT team_id, user_id, roles, create_at, delete_at FROM team_members
                 WHERE team_id = ?1 AND user_id = ?2",
                [team_id, user_id],
                |r| {
                    Ok(TeamMember {
                        team_id: r.get(0)?,
                        user_id: r.get(1)?,
                        roles: r.get(2)?,
                        create_at: r.get(3)?,
                        delete_at: r.get(4)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::not_found(
                    "app.team.get_member.missing.app_error",
                    format!("member {user_id} of team {team_id}"),
                )
            })
    }

    /// `RegisterCommand`: triggers are unique per team; the same plugin may re-register (replace) its own.
    pub fn register_command(&self, cmd: &Command) -> StoreResult<()> {
        let trigger = cmd.trigger.trim().to_lowercase();
        if trigger.is_empty()
            || trigger.starts_with('/')
            || trigger.contains(char::is_whitespace)
            || trigger.len() > 128
        {
            return Err(StoreError::invalid(
                "model.command.is_valid.trigger.app_error",
                format!("invalid trigger {:?}: 1-128 characters, no leading '/', no spaces", cmd.trigger),
            ));
        }
        if !cmd.team_id.is_empty() {
            self.get_team(&cmd.team_id)?;
        }
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let owner: Option<String> = tx
            .query_row(
                "SELECT plugin_id FROM commands WHERE team_id = ?1 AND trigger = ?2",
                [&cmd.team_id, &trigger],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(owner) = owner.filter(|o| o != &cmd.plugin_id) {
            return Err(StoreError::invalid(
                "plugin.api.register_command.trigger_conflict",
                format!("the trigger /{trigger} is already registered by plugin {owner}"),
            ));
        }
        tx.execute(
            "INSERT OR REPLACE INTO commands VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                cmd.plugin_id,
                cmd.team_id,
                trigger,
                cmd.display_name,
                cmd.description,
                cmd.auto_complete,
                cmd.auto_complete_desc,
                cmd.auto_complete_hint,
                cmd.username,
                cmd.icon_url,
                now_ms()
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// `UnregisterCommand`: removing an unknown command is not an error (as in Mattermost).
    pub fn unregister_command(&self, plugin_id: &str, team_id: &str, trigger: &str) -> StoreResult<()> {
        self.lock().execute(
            "DELETE FROM commands WHERE plugin_id = ?1 AND team_id = ?2 AND trigger = ?3",
            params![plugin_id, team_id, trigger.trim().to_lowercase()],
        )?;
        Ok(())
    }

    /// Drops every command of a plugin (on deactivation).
    pub fn unregister_plugin_commands(&self, plugin_id: &str) -> StoreResult<()> {
        self.lock().execute("DELETE FROM commands WHERE plugin_id = ?1", [plugin_id])?;
        Ok(())
    }

    /// Commands usable in a team: team-specific ones and those registered for all teams, by trigger.
    pub fn commands_for_team(&self, team_id: &str) -> StoreResult<Vec<Command>> {
        let conn = self.lock();
        let mut stmt = conn.prepare("SELECT * FROM commands WHERE team_id = ?1 OR team_id = '' ORDER BY trigger")?;
        let cmds = stmt.query_map([team_id], command_row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(cmds)
    }

    /// The plugin's stored setting overrides (keys lower-cased, values JSON).
    pub fn plugin_settings(&self, plugin_id: &str) -> StoreResult<Map<String, Value>> {
        let conn = self.lock();
        let mut stmt = conn.prepare("SELECT key, value FROM plugin_settings WHERE plugin_id = ?1 ORDER BY key")?;
        let rows = stmt
            .query_map([plugin_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut map = Map::new();
        for (k, v) in rows {
            map.insert(k, serde_json::from_str(&v).unwrap_or(Value::String(v)));
        }
        Ok(map)
    }

    /// Overrides one plugin setting.
    pub fn set_plugin_setting(&self, plugin_id: &str, key: &str, value: &Value) -> StoreResult<()> {
        self.lock().execute(
            "INSERT OR REPLACE INTO plugin_settings VALUES (?1, ?2, ?3)",
            params![plugin_id, key.to_lowercase(), serde_json::to_string(value)?],
        )?;
        Ok(())
    }
}

pub(crate) fn check_paging(page: i32, per_page: i32) -> StoreResult<()> {
    if page < 0 || per_page <= 0 {
        return Err(StoreError::invalid(
            "api.context.invalid_param.app_error",
            format!("invalid paging: page {page} must be >= 0 and per_page {per_page} must be > 0"),
        ));
    }
    Ok(())
}
