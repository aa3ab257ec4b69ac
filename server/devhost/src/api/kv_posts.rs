//! PluginAPI: the KV store and posts (errors in the response body, "style F").

use mm::pb::v1 as pb;

use super::ApiService;
use super::convert::{ApiError, post_from_pb, post_to_pb};
use crate::effects;
use crate::events::{Broadcast, post_event_data};
use crate::ids::now_ms;
use crate::store::KvSetOptions;

fn need_post(post: Option<pb::Post>) -> Result<pb::Post, ApiError> {
    post.ok_or_else(|| ApiError::bad_request("api.context.invalid_body_param.app_error", "post is required"))
}

impl ApiService {
    pub(super) fn kv_get(&self, r: pb::KvGetRequest) -> Result<pb::KvGetResponse, ApiError> {
        let value = self.shared.store.kv_get(self.pid(), &r.key)?;
        Ok(pb::KvGetResponse { error: None, value })
    }

    pub(super) fn kv_set(&self, r: pb::KvSetRequest) -> Result<pb::KvSetResponse, ApiError> {
        self.shared.store.kv_set(self.pid(), &r.key, &r.value, 0)?;
        Ok(pb::KvSetResponse::default())
    }

    pub(super) fn kv_set_with_expiry(
        &self,
        r: pb::KvSetWithExpiryRequest,
    ) -> Result<pb::KvSetWithExpiryResponse, ApiError> {
        self.shared.store.kv_set(self.pid(), &r.key, &r.value, r.expire_in_seconds)?;
        Ok(pb::KvSetWithExpiryResponse::default())
    }

    pub(super) fn kv_set_with_options(
        &self,
        r: pb::KvSetWithOptionsRequest,
    ) -> Result<pb::KvSetWithOptionsResponse, ApiError> {
        let o = r.options.unwrap_or_default();
        let options = KvSetOptions { atomic: o.atomic, old_value: o.old_value, expire_in_seconds: o.expire_in_seconds };
        let success = self.shared.store.kv_set_with_options(self.pid(), &r.key, &r.value, &options)?;
        Ok(pb::KvSetWithOptionsResponse { error: None, success })
    }

    pub(super) fn kv_compare_and_set(
        &self,
        r: pb::KvCompareAndSetRequest,
    ) -> Result<pb::KvCompareAndSetResponse, ApiError> {
        let success = self.shared.store.kv_compare_and_set(self.pid(), &r.key, &r.old_value, &r.new_value)?;
        Ok(pb::KvCompareAndSetResponse { error: None, success })
    }

    pub(super) fn kv_compare_and_delete(
        &self,
        r: pb::KvCompareAndDeleteRequest,
    ) -> Result<pb::KvCompareAndDeleteResponse, ApiError> {
        let success = self.shared.store.kv_compare_and_delete(self.pid(), &r.key, &r.old_value)?;
        Ok(pb::KvCompareAndDeleteResponse { error: None, success })
    }

    pub(super) fn kv_delete(&self, r: pb::KvDeleteRequest) -> Result<pb::KvDeleteResponse, ApiError> {
        self.shared.store.kv_delete(self.pid(), &r.key)?;
        Ok(pb::KvDeleteResponse::default())
    }

    pub(super) fn kv_list(&self, r: pb::KvListRequest) -> Result<pb::KvListResponse, ApiError> {
        let keys = self.shared.store.kv_list(self.pid(), r.page, r.per_page)?;
        Ok(pb::KvListResponse { error: None, keys })
    }

    pub(super) fn create_post(&self, r: pb::CreatePostRequest) -> Result<pb::CreatePostResponse, ApiError> {
        let post = post_from_pb(&need_post(r.post)?);
        let stored = self.shared.store.create_post(post)?;
        effects::post_created(&self.shared, &stored);
        Ok(pb::CreatePostResponse { error: None, post: Some(post_to_pb(&stored)) })
    }

    pub(super) fn update_post(&self, r: pb::UpdatePostRequest) -> Result<pb::UpdatePostResponse, ApiError> {
        let post = post_from_pb(&need_post(r.post)?);
        if post.id.is_empty() {
            return Err(ApiError::bad_request("api.post.update_post.find.app_error", "the post id is required"));
        }
        let old = self.shared.store.get_post(&post.id)?;
        if old.channel_id != post.channel_id && !post.channel_id.is_empty() {
            return Err(ApiError::bad_request(
                "api.post.update_post.permissions.app_error",
                "a post cannot move to another channel",
            ));
        }
        let stored = self.shared.store.update_post(&post)?;
        effects::post_updated(&self.shared, &stored);
        Ok(pb::UpdatePostResponse { error: None, post: Some(post_to_pb(&stored)) })
    }

    pub(super) fn get_post(&self, r: pb::GetPostRequest) -> Result<pb::GetPostResponse, ApiError> {
        let post = self.shared.store.get_post(&r.post_id)?;
        Ok(pb::GetPostResponse { error: None, post: Some(post_to_pb(&post)) })
    }

    pub(super) fn delete_post(&self, r: pb::DeletePostRequest) -> Result<pb::DeletePostResponse, ApiError> {
        let post = self.shared.store.delete_post(&r.post_id)?;
        self.shared.events.publish("post_deleted", post_event_data(&post), Broadcast::channel(&post.channel_id));
        Ok(pb::DeletePostResponse::default())
    }

    pub(super) fn send_ephemeral_post(
        &self,
        r: pb::SendEphemeralPostRequest,
    ) -> Result<pb::SendEphemeralPostResponse, ApiError> {
        let post = post_from_pb(&need_post(r.post)?);
        let sent = effects::send_ephemeral(&self.shared, &r.user_id, post);
        Ok(pb::SendEphemeralPostResponse { error: None, post: Some(post_to_pb(&sent)) })
    }

    pub(super) fn update_ephemeral_post(
        &self,
        r: pb::UpdateEphemeralPostRequest,
    ) -> Result<pb::UpdateEphemeralPostResponse, ApiError> {
        let mut post = post_from_pb(&need_post(r.post)?);
        if post.id.is_empty() {
            return Err(ApiError::bad_request("api.post.update_ephemeral_post.app_error", "the post id is required"));
        }
        post.update_at = now_ms();
        post.kind = "system_ephemeral".into();
        self.shared.events.publish("post_edited", post_event_data(&post), Broadcast::user(&r.user_id));
        Ok(pb::UpdateEphemeralPostResponse { error: None, post: Some(post_to_pb(&post)) })
    }

    pub(super) fn get_posts_for_channel(
        &self,
        r: pb::GetPostsForChannelRequest,
    ) -> Result<pb::GetPostsForChannelResponse, ApiError> {
        let posts = self.shared.store.posts_for_channel(&r.channel_id, r.page, r.per_page)?;
        let list = pb::PostList {
            order: posts.iter().map(|p| p.id.clone()).collect(),
            posts: posts.iter().map(|p| (p.id.clone(), post_to_pb(p))).collect(),
            ..Default::default()
        };
        Ok(pb::GetPostsForChannelResponse { error: None, post_list: Some(list) })
    }
}
