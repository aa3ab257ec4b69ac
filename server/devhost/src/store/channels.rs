//! Channels (open/private, archive), channel members and posts; member and post writes are transactional.

use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde_json::Value;

use super::directory::check_paging;
use super::{Channel, ChannelMember, Post, Store, StoreError, StoreResult, props_from_sql, qualified};
use crate::ids::{new_id, now_ms};

/// Mattermost's post message limit in runes.
pub const POST_MESSAGE_MAX_RUNES: usize = 16383;

const CHANNEL_COLS: &str = "id, team_id, name, display_name, type, header, purpose, creator_id, create_at, \
                            update_at, delete_at, last_post_at, total_msg_count";
const POST_COLS: &str = "id, channel_id, user_id, root_id, message, type, props, is_pinned, create_at, update_at, \
                         edit_at, delete_at";

fn channel_row(r: &Row<'_>) -> rusqlite::Result<Channel> {
    Ok(Channel {
        id: r.get(0)?,
        team_id: r.get(1)?,
        name: r.get(2)?,
        display_name: r.get(3)?,
        kind: r.get(4)?,
        header: r.get(5)?,
        purpose: r.get(6)?,
        creator_id: r.get(7)?,
        create_at: r.get(8)?,
        update_at: r.get(9)?,
        delete_at: r.get(10)?,
        last_post_at: r.get(11)?,
        total_msg_count: r.get(12)?,
    })
}

fn member_row(r: &Row<'_>) -> rusqlite::Result<ChannelMember> {
    Ok(ChannelMember {
        channel_id: r.get(0)?,
        user_id: r.get(1)?,
        roles: r.get(2)?,
        last_viewed_at: r.get(3)?,
        msg_count: r.get(4)?,
        last_update_at: r.get(5)?,
    })
}

fn post_row(r: &Row<'_>) -> rusqlite::Result<Post> {
    let props: String = r.get(6)?;
    Ok(Post {
        id: r.get(0)?,
        channel_id: r.get(1)?,
        user_id: r.get(2)?,
        root_id: r.get(3)?,
        message: r.get(4)?,
        kind: r.get(5)?,
        props: props_from_sql(&props),
        is_pinned: r.get(7)?,
        create_at: r.get(8)?,
        update_at: r.get(9)?,
        edit_at: r.get(10)?,
        delete_at: r.get(11)?,
    })
}

/// Mattermost's channel name rule: 1–64 characters of `[a-z0-9_-]`, not starting/ending with `-`/`_`… loosely.
pub fn is_valid_channel_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
}

fn validate_channel(c: &Channel) -> StoreResult<()> {
    if !is_valid_channel_name(&c.name) {
        return Err(StoreError::invalid(
            "model.channel.is_valid.name.app_error",
            format!("invalid channel name {:?}: 1-64 characters of a-z, 0-9, '-', '_'", c.name),
        ));
    }
    if c.display_name.trim().is_empty() || c.display_name.chars().count() > 64 {
        return Err(StoreError::invalid(
            "model.channel.is_valid.display_name.app_error",
            "the display name must have 1-64 characters",
        ));
    }
    if c.kind != "O" && c.kind != "P" {
        return Err(StoreError::invalid(
            "model.channel.is_valid.type.app_error",
            format!("channel type {:?} is not supported by the dev host (only open and private)", c.kind),
        ));
    }
    if c.header.chars().count() > 1024 || c.purpose.chars().count() > 250 {
        return Err(StoreError::invalid(
            "model.channel.is_valid.header.app_error",
            "the header (1024) or purpose (250) is too long",
        ));
    }
    Ok(())
}

fn validate_post(p: &Post) -> StoreResult<()> {
    if p.message.chars().count() > POST_MESSAGE_MAX_RUNES {
        return Err(StoreError::invalid(
            "model.post.is_valid.message_length.app_error",
            format!("the message is longer than {POST_MESSAGE_MAX_RUNES} characters"),
        ));
    }
    if !(p.kind.is_empty() || p.kind.starts_with("custom_") || p.kind.starts_with("system_")) {
        return Err(StoreError::invalid(
            "model.post.is_valid.type.app_error",
            format!("invalid post type {:?}: use \"\" or a \"custom_\" type", p.kind),
        ));
    }
    Ok(())
}

fn tx_channel(tx: &Transaction<'_>, id: &str) -> StoreResult<Channel> {
    tx.query_row(&format!("SELECT {CHANNEL_COLS} FROM channels WHERE id = ?1"), [id], channel_row)
        .optional()?
        .ok_or_else(|| StoreError::not_found("app.channel.get.existing.app_error", format!("channel {id}")))
}

fn tx_member(tx: &Transaction<'_>, channel_id: &str, user_id: &str) -> StoreResult<Option<ChannelMember>> {
    Ok(tx
        .query_row(
            "SELECT * FROM channel_members WHERE channel_id = ?1 AND user_id = ?2",
            [channel_id, user_id],
            member_row,
        )
        .optional()?)
}

impl Store {
    pub fn get_channel(&self, id: &str) -> StoreResult<Channel> {
        self.lock()
            .query_row(&format!("SELECT {CHANNEL_COLS} FROM channels WHERE id = ?1"), [id], channel_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found("app.channel.get.existing.app_error", format!("channel {id}")))
    }

    pub fn get_channel_by_name(&self, team_id: &str, name: &str, include_deleted: bool) -> StoreResult<Channel> {
        self.lock()
            .query_row(
                &format!(
                    "SELECT {CHANNEL_COLS} FROM channels WHERE team_id = ?1 AND name = ?2 AND (?3 OR delete_at = 0)"
                ),
                params![team_id, name, include_deleted],
                channel_row,
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::not_found(
                    "app.channel.get_by_name.missing.app_error",
                    format!("channel {name} in team {team_id}"),
                )
            })
    }

    /// Public, unarchived channels of a team, by display name.
    pub fn public_channels(&self, team_id: &str) -> StoreResult<Vec<Channel>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {CHANNEL_COLS} FROM channels WHERE team_id = ?1 AND type = 'O' AND delete_at = 0 ORDER BY display_name"
        ))?;
        let rows = stmt.query_map([team_id], channel_row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Channels of a team the user is a member of (archived ones included, as Mattermost lists them), by display name.
    pub fn channels_for_user(&self, team_id: &str, user_id: &str) -> StoreResult<Vec<Channel>> {
        let conn = self.lock();
        let cols = qualified(CHANNEL_COLS, "c");
        let mut stmt = conn.prepare(&format!(
            "SELECT {cols} FROM channels c JOIN channel_members m ON m.channel_id = c.id
             WHERE c.team_id = ?1 AND m.user_id = ?2 ORDER BY c.display_name"
        ))?;
        let rows = stmt.query_map([team_id, user_id], channel_row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// `CreateChannel`: validates, checks the team, enforces unique names per team.
    pub fn create_channel(&self, mut c: Channel) -> StoreResult<Channel> {
        validate_channel(&c)?;
        self.get_team(&c.team_id)?;
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM channels WHERE team_id = ?1 AND name = ?2)",
            [&c.team_id, &c.name],
            |r| r.get(0),
        )?;
        if taken {
            return Err(StoreError::invalid(
                "store.sql_channel.save_channel.exists.app_error",
                format!("a channel named {} already exists in this team", c.name),
            ));
        }
        let now = now_ms();
        c.id = new_id();
        c.create_at = now;
        c.update_at = now;
        c.delete_at = 0;
        c.last_post_at = 0;
        c.total_msg_count = 0;
        tx.execute(
            &format!(
                "INSERT INTO channels ({CHANNEL_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
            ),
            params![
                c.id,
                c.team_id,
                c.name,
                c.display_name,
                c.kind,
                c.header,
                c.purpose,
                c.creator_id,
                c.create_at,
                c.update_at,
                c.delete_at,
                c.last_post_at,
                c.total_msg_count
            ],
        )?;
        tx.commit()?;
        Ok(c)
    }

    /// `UpdateChannel`: name, display name, type, header, purpose; a non-zero `delete_at` archives it.
    /// An archived channel cannot be updated.
    pub fn update_channel(&self, c: &Channel) -> StoreResult<Channel> {
        validate_channel(c)?;
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let old = tx_channel(&tx, &c.id)?;
        if old.delete_at != 0 {
            return Err(StoreError::invalid(
                "api.channel.update_channel.deleted.app_error",
                format!("channel {} is archived and cannot be updated", old.name),
            ));
        }
        let clash: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM channels WHERE team_id = ?1 AND name = ?2 AND id <> ?3)",
            [&old.team_id, &c.name, &c.id],
            |r| r.get(0),
        )?;
        if clash {
            return Err(StoreError::invalid(
                "store.sql_channel.update.exists.app_error",
                format!("a channel named {} already exists in this team", c.name),
            ));
        }
        let now = now_ms();
        let delete_at = if c.delete_at != 0 { now } else { 0 };
        tx.execute(
            "UPDATE channels SET name = ?2, display_name = ?3, type = ?4, header = ?5, purpose = ?6, update_at = ?7,
             delete_at = ?8 WHERE id = ?1",
            params![c.id, c.name, c.display_name, c.kind, c.header, c.purpose, now, delete_at],
        )?;
        let updated = tx_channel(&tx, &c.id)?;
        tx.commit()?;
        Ok(updated)
    }

    /// Archives a channel (sets `delete_at`).
    pub fn archive_channel(&self, id: &str) -> StoreResult<Channel> {
        let mut c = self.get_channel(id)?;
        c.delete_at = 1;
        self.update_channel(&c)
    }

    /// Adds a user to a channel in one transaction: channel live, user active, user on the channel's team.
    /// Returns the member and whether it was newly added (an existing member is returned unchanged).
    pub fn add_channel_member(&self, channel_id: &str, user_id: &str) -> StoreResult<(ChannelMember, bool)> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let channel = tx_channel(&tx, channel_id)?;
        if channel.delete_at != 0 {
            return Err(StoreError::invalid(
                "api.channel.add_user.to.channel.failed.deleted.app_error",
                format!("channel {} is archived", channel.name),
            ));
        }
        let user_deleted: Option<i64> =
            tx.query_row("SELECT delete_at FROM users WHERE id = ?1", [user_id], |r| r.get(0)).optional()?;
        match user_deleted {
            None => return Err(StoreError::not_found("app.user.missing_account.const", format!("user {user_id}"))),
            Some(d) if d != 0 => {
                return Err(StoreError::invalid(
                    "api.channel.add_user.to.channel.failed.deleted.app_error",
                    format!("user {user_id} is deactivated"),
                ));
            }
            Some(_) => {}
        }
        if let Some(existing) = tx_member(&tx, channel_id, user_id)? {
            return Ok((existing, false));
        }
        let on_team: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM team_members WHERE team_id = ?1 AND user_id = ?2 AND delete_at = 0)",
            [&channel.team_id, user_id],
            |r| r.get(0),
        )?;
        let is_bot: bool = tx.query_row("SELECT is_bot FROM users WHERE id = ?1", [user_id], |r| r.get(0))?;
        if !on_team && !is_bot {
            return Err(StoreError::forbidden(
                "api.channel.add_user.to.channel.failed.app_error",
                format!("user {user_id} is not a member of the channel's team"),
            ));
        }
        let now = now_ms();
        tx.execute(
            "INSERT INTO channel_members VALUES (?1, ?2, 'channel_user', ?3, ?4, ?3)",
            params![channel_id, user_id, now, channel.total_msg_count],
        )?;
        let member = tx_member(&tx, channel_id, user_id)?
            .ok_or_else(|| StoreError::not_found("app.channel.get_member.missing.app_error", "new member"))?;
        tx.commit()?;
        Ok((member, true))
    }

    /// Removes a user from a channel; town-square cannot be left; not being a member is a 404.
    pub fn remove_channel_member(&self, channel_id: &str, user_id: &str) -> StoreResult<ChannelMember> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let channel = tx_channel(&tx, channel_id)?;
        if channel.name == "town-square" {
            return Err(StoreError::invalid(
                "api.channel.remove.default.app_error",
                "nobody can leave the town-square channel",
            ));
        }
        let member = tx_member(&tx, channel_id, user_id)?.ok_or_else(|| {
            StoreError::not_found(
                "app.channel.get_member.missing.app_error",
                format!("member {user_id} of channel {channel_id}"),
            )
        })?;
        tx.execute("DELETE FROM channel_members WHERE channel_id = ?1 AND user_id = ?2", [channel_id, user_id])?;
        tx.commit()?;
        Ok(member)
    }

    pub fn get_channel_member(&self, channel_id: &str, user_id: &str) -> StoreResult<ChannelMember> {
        self.lock()
            .query_row(
                "SELECT * FROM channel_members WHERE channel_id = ?1 AND user_id = ?2",
                [channel_id, user_id],
                member_row,
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::not_found(
                    "app.channel.get_member.missing.app_error",
                    format!("member {user_id} of channel {channel_id}"),
                )
            })
    }

    /// One page of a channel's members ordered by user id.
    pub fn channel_members(&self, channel_id: &str, page: i32, per_page: i32) -> StoreResult<Vec<ChannelMember>> {
        check_paging(page, per_page)?;
        self.get_channel(channel_id)?;
        let conn = self.lock();
        let mut stmt =
            conn.prepare("SELECT * FROM channel_members WHERE channel_id = ?1 ORDER BY user_id LIMIT ?2 OFFSET ?3")?;
        let offset = i64::from(page) * i64::from(per_page);
        let rows = stmt.query_map(params![channel_id, per_page, offset], member_row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Ids of all members of a channel (websocket audiences).
    pub fn channel_member_ids(&self, channel_id: &str) -> StoreResult<Vec<String>> {
        let conn = self.lock();
        let mut stmt = conn.prepare("SELECT user_id FROM channel_members WHERE channel_id = ?1")?;
        let rows = stmt.query_map([channel_id], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
        Ok(rows)
    }

    /// `CreatePost`: validates, checks channel (live), author and thread root, stores, bumps channel counters.
    pub fn create_post(&self, mut p: Post) -> StoreResult<Post> {
        validate_post(&p)?;
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let channel = tx_channel(&tx, &p.channel_id)?;
        if channel.delete_at != 0 {
            return Err(StoreError::invalid(
                "api.post.create_post.can_not_post_to_deleted.error",
                format!("channel {} is archived", channel.name),
            ));
        }
        let author: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1)", [&p.user_id], |r| r.get(0))?;
        if !author {
            return Err(StoreError::invalid(
                "model.post.is_valid.user_id.app_error",
                format!("post author {:?} does not exist", p.user_id),
            ));
        }
        if !p.root_id.is_empty() {
            let root_channel: Option<String> = tx
                .query_row("SELECT channel_id FROM posts WHERE id = ?1 AND delete_at = 0", [&p.root_id], |r| r.get(0))
                .optional()?;
            if root_channel.as_deref() != Some(p.channel_id.as_str()) {
                return Err(StoreError::invalid(
                    "api.post.create_post.root_id.app_error",
                    format!("root post {} does not exist in this channel", p.root_id),
                ));
            }
        }
        let now = now_ms();
        if p.id.is_empty() {
            p.id = new_id();
        }
        if p.create_at == 0 {
            p.create_at = now;
        }
        p.update_at = p.create_at;
        p.edit_at = 0;
        p.delete_at = 0;
        tx.execute(
            &format!("INSERT INTO posts ({POST_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
            params![
                p.id,
                p.channel_id,
                p.user_id,
                p.root_id,
                p.message,
                p.kind,
                Value::Object(p.props.clone()).to_string(),
                p.is_pinned,
                p.create_at,
                p.update_at,
                p.edit_at,
                p.delete_at
            ],
        )
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
                StoreError::invalid("app.post.save.existing.app_error", format!("post {} already exists", p.id))
            }
            other => other.into(),
        })?;
        tx.execute(
            "UPDATE channels SET last_post_at = MAX(last_post_at, ?2), total_msg_count = total_msg_count + 1 WHERE id = ?1",
            params![p.channel_id, p.create_at],
        )?;
        tx.commit()?;
        Ok(p)
    }

    /// `UpdatePost`: replaces message, props, type and pin state of a live post.
    pub fn update_post(&self, p: &Post) -> StoreResult<Post> {
        validate_post(p)?;
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let old = tx
            .query_row(&format!("SELECT {POST_COLS} FROM posts WHERE id = ?1"), [&p.id], post_row)
            .optional()?
            .filter(|old| old.delete_at == 0)
            .ok_or_else(|| StoreError::not_found("app.post.get.app_error", format!("post {}", p.id)))?;
        let now = now_ms();
        let edited = if old.message != p.message { now } else { old.edit_at };
        tx.execute(
            "UPDATE posts SET message = ?2, props = ?3, is_pinned = ?4, type = ?5, update_at = ?6, edit_at = ?7 WHERE id = ?1",
            params![p.id, p.message, Value::Object(p.props.clone()).to_string(), p.is_pinned, p.kind, now, edited],
        )?;
        let updated = tx.query_row(&format!("SELECT {POST_COLS} FROM posts WHERE id = ?1"), [&p.id], post_row)?;
        tx.commit()?;
        Ok(updated)
    }

    /// A live post.
    pub fn get_post(&self, id: &str) -> StoreResult<Post> {
        self.lock()
            .query_row(&format!("SELECT {POST_COLS} FROM posts WHERE id = ?1 AND delete_at = 0"), [id], post_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found("app.post.get.app_error", format!("post {id}")))
    }

    /// `DeletePost`: soft-deletes the post and its replies.
    pub fn delete_post(&self, id: &str) -> StoreResult<Post> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let mut post = tx
            .query_row(&format!("SELECT {POST_COLS} FROM posts WHERE id = ?1 AND delete_at = 0"), [id], post_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found("app.post.get.app_error", format!("post {id}")))?;
        let now = now_ms();
        tx.execute(
            "UPDATE posts SET delete_at = ?2, update_at = ?2 WHERE (id = ?1 OR root_id = ?1) AND delete_at = 0",
            params![id, now],
        )?;
        tx.commit()?;
        post.delete_at = now;
        post.update_at = now;
        Ok(post)
    }

    /// One page of a channel's live posts, newest first.
    pub fn posts_for_channel(&self, channel_id: &str, page: i32, per_page: i32) -> StoreResult<Vec<Post>> {
        check_paging(page, per_page)?;
        self.get_channel(channel_id)?;
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {POST_COLS} FROM posts WHERE channel_id = ?1 AND delete_at = 0
             ORDER BY create_at DESC, id DESC LIMIT ?2 OFFSET ?3"
        ))?;
        let offset = i64::from(page) * i64::from(per_page);
        let rows = stmt.query_map(params![channel_id, per_page, offset], post_row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}
