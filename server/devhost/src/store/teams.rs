//! Creating more teams and users than the seed (tests: a user of another team for the privacy matrix).

use rusqlite::params;

use super::{Store, StoreResult, Team, User};
use crate::ids::{new_id, now_ms};

impl Store {
    /// Creates an open team named `name`.
    pub fn create_team(&self, name: &str, display_name: &str) -> StoreResult<Team> {
        let id = new_id();
        let now = now_ms();
        self.lock()
            .execute("INSERT INTO teams VALUES (?1, ?2, ?3, 'O', ?4, ?4, 0)", params![id, name, display_name, now])?;
        self.get_team(&id)
    }

    /// Creates a regular user (`system_user`) with `username`.
    pub fn create_user(&self, username: &str) -> StoreResult<User> {
        let id = new_id();
        let now = now_ms();
        self.lock().execute(
            "INSERT INTO users VALUES (?1, ?2, ?3, ?2, '', '', 'system_user', 0, '', '', ?4, ?4, 0)",
            params![id, username, format!("{username}@devhost.local"), now],
        )?;
        self.get_user(&id)
    }

    /// Adds `user_id` to `team_id` as a `team_user`.
    pub fn add_team_member(&self, team_id: &str, user_id: &str) -> StoreResult<()> {
        self.lock().execute(
            "INSERT OR REPLACE INTO team_members VALUES (?1, ?2, 'team_user', ?3, 0)",
            params![team_id, user_id, now_ms()],
        )?;
        Ok(())
    }
}
