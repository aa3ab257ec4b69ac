//! What follows a write, wherever it came from (PluginAPI or page): websocket events, system posts, hooks.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::api::convert::{member_to_pb, post_to_pb, user_to_pb};
use crate::context::Shared;
use crate::events::{Broadcast, post_event_data};
use crate::ids::{new_id, now_ms};
use crate::store::{ChannelMember, Post, StoreResult};

/// A stored post: `posted` to the channel, then `MessageHasBeenPosted` (fired for every post, the plugin's too).
pub fn post_created(shared: &Arc<Shared>, post: &Post) {
    shared.events.publish("posted", post_event_data(post), Broadcast::channel(&post.channel_id));
    crate::hooks::message_posted(shared, post_to_pb(post));
}

/// An updated post: `post_edited` to the channel.
pub fn post_updated(shared: &Shared, post: &Post) {
    shared.events.publish("post_edited", post_event_data(post), Broadcast::channel(&post.channel_id));
}

/// An ephemeral post for one user: never stored, pushed as `ephemeral_message`.
pub fn send_ephemeral(shared: &Shared, user_id: &str, mut post: Post) -> Post {
    if post.id.is_empty() {
        post.id = new_id();
    }
    if post.create_at == 0 {
        post.create_at = now_ms();
    }
    post.update_at = post.create_at;
    post.kind = "system_ephemeral".into();
    shared.events.publish("ephemeral_message", post_event_data(&post), Broadcast::user(user_id));
    post
}

fn system_post(shared: &Arc<Shared>, channel_id: &str, user_id: &str, kind: &str, message: String, props: Value) {
    let post = Post {
        channel_id: channel_id.to_string(),
        user_id: user_id.to_string(),
        kind: kind.to_string(),
        message,
        props: props.as_object().cloned().unwrap_or_default(),
        ..Post::default()
    };
    match shared.store.create_post(post) {
        Ok(p) => post_created(shared, &p),
        Err(e) => tracing::warn!("could not post the system message: {e}"),
    }
}

fn username(shared: &Shared, id: &str) -> String {
    shared.store.get_user(id).map(|u| u.username).unwrap_or_else(|_| id.to_string())
}

/// A new channel member: `user_added`, the join/add system message, `UserHasJoinedChannel` with the actor.
pub fn member_added(shared: &Arc<Shared>, member: &ChannelMember, actor_id: Option<&str>) -> StoreResult<()> {
    let channel = shared.store.get_channel(&member.channel_id)?;
    shared.events.publish(
        "user_added",
        json!({ "channel_id": member.channel_id, "user_id": member.user_id, "team_id": channel.team_id }),
        Broadcast::channel(&member.channel_id),
    );
    let name = username(shared, &member.user_id);
    match actor_id.filter(|a| *a != member.user_id) {
        None => system_post(
            shared,
            &member.channel_id,
            &member.user_id,
            "system_join_channel",
            format!("@{name} joined the channel."),
            json!({ "username": name }),
        ),
        Some(actor) => {
            let actor_name = username(shared, actor);
            system_post(
                shared,
                &member.channel_id,
                actor,
                "system_add_to_channel",
                format!("@{name} added to the channel by @{actor_name}."),
                json!({ "userId": actor, "username": actor_name, "addedUserId": member.user_id, "addedUsername": name }),
            );
        }
    }
    let actor = actor_id.and_then(|a| shared.store.get_user(a).ok()).map(|u| user_to_pb(&u));
    crate::hooks::membership_changed(shared, true, member_to_pb(member), actor);
    Ok(())
}

/// A member who left: `user_removed`, the leave system message, `UserHasLeftChannel` (the actor is the user).
pub fn member_removed(shared: &Arc<Shared>, member: &ChannelMember) {
    shared.events.publish(
        "user_removed",
        json!({ "channel_id": member.channel_id, "user_id": member.user_id, "remover_id": member.user_id }),
        Broadcast::channel(&member.channel_id),
    );
    shared.events.publish(
        "user_removed",
        json!({ "channel_id": member.channel_id, "user_id": member.user_id, "remover_id": member.user_id }),
        Broadcast::user(&member.user_id),
    );
    let name = username(shared, &member.user_id);
    system_post(
        shared,
        &member.channel_id,
        &member.user_id,
        "system_leave_channel",
        format!("@{name} left the channel."),
        json!({ "username": name }),
    );
    let actor = shared.store.get_user(&member.user_id).ok().map(|u| user_to_pb(&u));
    crate::hooks::membership_changed(shared, false, member_to_pb(member), actor);
}
