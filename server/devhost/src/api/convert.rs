//! Store rows ⇄ protobuf messages, `google.protobuf.Struct` ⇄ JSON, and the two error styles.

use mm::pb::v1 as pb;
use prost_types::value::Kind;
use serde_json::{Map, Number, Value};

use crate::ids::new_id;
use crate::store::{Channel, ChannelMember, Post, StoreError, Team, TeamMember, User};

/// An API failure with Mattermost's error id, message and HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{id}: {message}")]
pub struct ApiError {
    pub status: u16,
    pub id: String,
    pub message: String,
}

impl ApiError {
    pub fn new(status: u16, id: &str, message: impl Into<String>) -> Self {
        Self { status, id: id.to_string(), message: message.into() }
    }
    pub fn bad_request(id: &str, message: impl Into<String>) -> Self {
        Self::new(400, id, message)
    }

    /// Style F: the error in the response body with gRPC OK.
    pub fn to_app_error(&self, r#where: &str) -> pb::AppError {
        pb::AppError {
            id: self.id.clone(),
            message: self.message.clone(),
            detailed_error: self.message.clone(),
            request_id: String::new(),
            status_code: i32::from(self.status),
            r#where: r#where.to_string(),
            params: None,
        }
    }

    /// Style S: a gRPC status mapped from the HTTP status, message `"<id>: <message>"`.
    pub fn to_status(&self) -> tonic::Status {
        let code = match self.status {
            400 => tonic::Code::InvalidArgument,
            401 => tonic::Code::Unauthenticated,
            403 => tonic::Code::PermissionDenied,
            404 => tonic::Code::NotFound,
            409 => tonic::Code::AlreadyExists,
            413 | 429 => tonic::Code::ResourceExhausted,
            501 => tonic::Code::Unimplemented,
            503 => tonic::Code::Unavailable,
            _ => tonic::Code::Internal,
        };
        tonic::Status::new(code, format!("{}: {}", self.id, self.message))
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        Self { status: e.status(), id: e.error_id().to_string(), message: e.to_string() }
    }
}

pub fn json_to_value(v: &Value) -> prost_types::Value {
    let kind = match v {
        Value::Null => Kind::NullValue(0),
        Value::Bool(b) => Kind::BoolValue(*b),
        Value::Number(n) => Kind::NumberValue(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => Kind::StringValue(s.clone()),
        Value::Array(items) => {
            Kind::ListValue(prost_types::ListValue { values: items.iter().map(json_to_value).collect() })
        }
        Value::Object(map) => Kind::StructValue(json_to_struct(map)),
    };
    prost_types::Value { kind: Some(kind) }
}

pub fn json_to_struct(map: &Map<String, Value>) -> prost_types::Struct {
    prost_types::Struct { fields: map.iter().map(|(k, v)| (k.clone(), json_to_value(v))).collect() }
}

pub fn value_to_json(v: &prost_types::Value) -> Value {
    match &v.kind {
        None | Some(Kind::NullValue(_)) => Value::Null,
        Some(Kind::BoolValue(b)) => Value::Bool(*b),
        Some(Kind::NumberValue(n)) => {
            // Whole numbers come back as integers, as Go's JSON does for them.
            if n.fract() == 0.0 && n.abs() < 9.0e15 {
                Value::Number(Number::from(*n as i64))
            } else {
                Number::from_f64(*n).map(Value::Number).unwrap_or(Value::Null)
            }
        }
        Some(Kind::StringValue(s)) => Value::String(s.clone()),
        Some(Kind::ListValue(l)) => Value::Array(l.values.iter().map(value_to_json).collect()),
        Some(Kind::StructValue(s)) => Value::Object(struct_to_json(s)),
    }
}

pub fn struct_to_json(s: &prost_types::Struct) -> Map<String, Value> {
    s.fields.iter().map(|(k, v)| (k.clone(), value_to_json(v))).collect()
}

pub fn user_to_pb(u: &User) -> pb::User {
    pb::User {
        id: u.id.clone(),
        create_at: u.create_at,
        update_at: u.update_at,
        delete_at: u.delete_at,
        username: u.username.clone(),
        email: u.email.clone(),
        email_verified: true,
        nickname: u.nickname.clone(),
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
        roles: u.roles.clone(),
        locale: "en".into(),
        is_bot: u.is_bot,
        bot_description: u.bot_description.clone(),
        ..Default::default()
    }
}

pub fn team_to_pb(t: &Team) -> pb::Team {
    pb::Team {
        id: t.id.clone(),
        create_at: t.create_at,
        update_at: t.update_at,
        delete_at: t.delete_at,
        display_name: t.display_name.clone(),
        name: t.name.clone(),
        r#type: if t.kind == "I" { pb::TeamType::Invite as i32 } else { pb::TeamType::Open as i32 },
        ..Default::default()
    }
}

pub fn team_member_to_pb(m: &TeamMember) -> pb::TeamMember {
    let admin = m.roles.split_whitespace().any(|r| r == "team_admin");
    pb::TeamMember {
        team_id: m.team_id.clone(),
        user_id: m.user_id.clone(),
        roles: m.roles.clone(),
        delete_at: m.delete_at,
        scheme_user: true,
        scheme_admin: admin,
        create_at: m.create_at,
        ..Default::default()
    }
}

pub fn channel_type_to_pb(kind: &str) -> i32 {
    match kind {
        "O" => pb::ChannelType::Open as i32,
        "P" => pb::ChannelType::Private as i32,
        "D" => pb::ChannelType::Direct as i32,
        "G" => pb::ChannelType::Group as i32,
        _ => pb::ChannelType::Unspecified as i32,
    }
}

pub fn channel_to_pb(c: &Channel) -> pb::Channel {
    pb::Channel {
        id: c.id.clone(),
        create_at: c.create_at,
        update_at: c.update_at,
        delete_at: c.delete_at,
        team_id: c.team_id.clone(),
        r#type: channel_type_to_pb(&c.kind),
        display_name: c.display_name.clone(),
        name: c.name.clone(),
        header: c.header.clone(),
        purpose: c.purpose.clone(),
        last_post_at: c.last_post_at,
        total_msg_count: c.total_msg_count,
        creator_id: c.creator_id.clone(),
        last_root_post_at: c.last_post_at,
        total_msg_count_root: c.total_msg_count,
        ..Default::default()
    }
}

/// A channel from the wire; only open and private channels can be made here.
pub fn channel_from_pb(c: &pb::Channel) -> Result<Channel, ApiError> {
    let kind = match pb::ChannelType::try_from(c.r#type) {
        Ok(pb::ChannelType::Open) => "O",
        Ok(pb::ChannelType::Private) => "P",
        Ok(pb::ChannelType::Direct | pb::ChannelType::Group) => {
            return Err(ApiError::bad_request(
                "model.channel.is_valid.type.app_error",
                "direct and group channels are not supported by the dev host",
            ));
        }
        _ => {
            return Err(ApiError::bad_request(
                "model.channel.is_valid.type.app_error",
                "the channel type must be CHANNEL_TYPE_OPEN or CHANNEL_TYPE_PRIVATE",
            ));
        }
    };
    Ok(Channel {
        id: c.id.clone(),
        team_id: c.team_id.clone(),
        name: c.name.clone(),
        display_name: c.display_name.clone(),
        kind: kind.to_string(),
        header: c.header.clone(),
        purpose: c.purpose.clone(),
        creator_id: c.creator_id.clone(),
        create_at: c.create_at,
        update_at: c.update_at,
        delete_at: c.delete_at,
        last_post_at: c.last_post_at,
        total_msg_count: c.total_msg_count,
    })
}

pub fn member_to_pb(m: &ChannelMember) -> pb::ChannelMember {
    pb::ChannelMember {
        channel_id: m.channel_id.clone(),
        user_id: m.user_id.clone(),
        roles: m.roles.clone(),
        last_viewed_at: m.last_viewed_at,
        msg_count: m.msg_count,
        msg_count_root: m.msg_count,
        notify_props: [("desktop", "default"), ("mark_unread", "all"), ("push", "default"), ("email", "default")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        last_update_at: m.last_update_at,
        scheme_user: true,
        ..Default::default()
    }
}

pub fn post_to_pb(p: &Post) -> pb::Post {
    pb::Post {
        id: p.id.clone(),
        create_at: p.create_at,
        update_at: p.update_at,
        edit_at: p.edit_at,
        delete_at: p.delete_at,
        is_pinned: p.is_pinned,
        user_id: p.user_id.clone(),
        channel_id: p.channel_id.clone(),
        root_id: p.root_id.clone(),
        message: p.message.clone(),
        r#type: p.kind.clone(),
        props: Some(json_to_struct(&p.props)),
        ..Default::default()
    }
}

pub fn post_from_pb(p: &pb::Post) -> Post {
    let mut props = p.props.as_ref().map(struct_to_json).unwrap_or_default();
    ensure_action_ids(&mut props);
    Post {
        id: p.id.clone(),
        create_at: p.create_at,
        update_at: p.update_at,
        edit_at: p.edit_at,
        delete_at: p.delete_at,
        is_pinned: p.is_pinned,
        user_id: p.user_id.clone(),
        channel_id: p.channel_id.clone(),
        root_id: p.root_id.clone(),
        message: p.message.clone(),
        kind: p.r#type.clone(),
        props,
    }
}

/// Gives every attachment action without an id a fresh one (Mattermost's `GenerateActionIds`).
pub fn ensure_action_ids(props: &mut Map<String, Value>) {
    let Some(Value::Array(attachments)) = props.get_mut("attachments") else { return };
    for attachment in attachments {
        let Some(Value::Array(actions)) = attachment.get_mut("actions") else { continue };
        for action in actions {
            if let Value::Object(a) = action {
                let missing = a.get("id").and_then(Value::as_str).is_none_or(str::is_empty);
                if missing {
                    a.insert("id".into(), Value::String(new_id()));
                }
            }
        }
    }
}
