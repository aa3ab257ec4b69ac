//! Conversions between the generated protobuf types and the SDK's model types (gRPC transport only).

use crate::model;
use crate::pb::v1 as pb;
use prost_types::value::Kind;
use serde_json::{Map, Number, Value};

pub fn struct_to_json(s: Option<prost_types::Struct>) -> Map<String, Value> {
    s.map(|s| s.fields.into_iter().map(|(k, v)| (k, value_to_json(v))).collect()).unwrap_or_default()
}

pub fn json_to_struct(map: Map<String, Value>) -> Option<prost_types::Struct> {
    if map.is_empty() {
        return None;
    }
    Some(prost_types::Struct { fields: map.into_iter().map(|(k, v)| (k, json_to_value(v))).collect() })
}

pub fn value_to_json(v: prost_types::Value) -> Value {
    match v.kind {
        None | Some(Kind::NullValue(_)) => Value::Null,
        Some(Kind::NumberValue(n)) => {
            if n.fract() == 0.0 && n.abs() < 9.0e15 {
                Value::Number(Number::from(n as i64))
            } else {
                Number::from_f64(n).map_or(Value::Null, Value::Number)
            }
        }
        Some(Kind::StringValue(s)) => Value::String(s),
        Some(Kind::BoolValue(b)) => Value::Bool(b),
        Some(Kind::StructValue(s)) => Value::Object(struct_to_json(Some(s))),
        Some(Kind::ListValue(l)) => Value::Array(l.values.into_iter().map(value_to_json).collect()),
    }
}

pub fn json_to_value(v: Value) -> prost_types::Value {
    let kind = match v {
        Value::Null => Kind::NullValue(0),
        Value::Bool(b) => Kind::BoolValue(b),
        Value::Number(n) => Kind::NumberValue(n.as_f64().unwrap_or_default()),
        Value::String(s) => Kind::StringValue(s),
        Value::Array(a) => {
            Kind::ListValue(prost_types::ListValue { values: a.into_iter().map(json_to_value).collect() })
        }
        Value::Object(o) => Kind::StructValue(prost_types::Struct {
            fields: o.into_iter().map(|(k, v)| (k, json_to_value(v))).collect(),
        }),
    };
    prost_types::Value { kind: Some(kind) }
}

pub fn app_error_from_pb(e: pb::AppError) -> model::AppError {
    model::AppError {
        id: e.id,
        message: e.message,
        detailed_error: e.detailed_error,
        status_code: e.status_code,
        r#where: e.r#where,
    }
}

pub fn app_error_to_pb(e: model::AppError) -> pb::AppError {
    pb::AppError {
        id: e.id,
        message: e.message,
        detailed_error: e.detailed_error,
        status_code: e.status_code,
        r#where: e.r#where,
        ..Default::default()
    }
}

pub fn post_from_pb(p: pb::Post) -> model::Post {
    model::Post {
        id: p.id,
        create_at: p.create_at,
        update_at: p.update_at,
        delete_at: p.delete_at,
        user_id: p.user_id,
        channel_id: p.channel_id,
        root_id: p.root_id,
        message: p.message,
        r#type: p.r#type,
        props: struct_to_json(p.props),
    }
}

pub fn post_to_pb(p: model::Post) -> pb::Post {
    pb::Post {
        id: p.id,
        create_at: p.create_at,
        update_at: p.update_at,
        delete_at: p.delete_at,
        user_id: p.user_id,
        channel_id: p.channel_id,
        root_id: p.root_id,
        message: p.message,
        r#type: p.r#type,
        props: json_to_struct(p.props),
        ..Default::default()
    }
}

pub fn channel_type_from_pb(t: i32) -> model::ChannelType {
    match pb::ChannelType::try_from(t) {
        Ok(pb::ChannelType::Private) => model::ChannelType::Private,
        Ok(pb::ChannelType::Direct) => model::ChannelType::Direct,
        Ok(pb::ChannelType::Group) => model::ChannelType::Group,
        _ => model::ChannelType::Open,
    }
}

pub fn channel_type_to_pb(t: model::ChannelType) -> i32 {
    (match t {
        model::ChannelType::Open => pb::ChannelType::Open,
        model::ChannelType::Private => pb::ChannelType::Private,
        model::ChannelType::Direct => pb::ChannelType::Direct,
        model::ChannelType::Group => pb::ChannelType::Group,
    }) as i32
}

pub fn channel_from_pb(c: pb::Channel) -> model::Channel {
    model::Channel {
        id: c.id,
        team_id: c.team_id,
        name: c.name,
        display_name: c.display_name,
        r#type: channel_type_from_pb(c.r#type),
        header: c.header,
        purpose: c.purpose,
        creator_id: c.creator_id,
        create_at: c.create_at,
        delete_at: c.delete_at,
    }
}

pub fn channel_to_pb(c: model::Channel) -> pb::Channel {
    pb::Channel {
        id: c.id,
        team_id: c.team_id,
        name: c.name,
        display_name: c.display_name,
        r#type: channel_type_to_pb(c.r#type),
        header: c.header,
        purpose: c.purpose,
        creator_id: c.creator_id,
        create_at: c.create_at,
        delete_at: c.delete_at,
        ..Default::default()
    }
}

pub fn member_from_pb(m: pb::ChannelMember) -> model::ChannelMember {
    model::ChannelMember { channel_id: m.channel_id, user_id: m.user_id, roles: m.roles }
}

pub fn user_from_pb(u: pb::User) -> model::User {
    model::User {
        id: u.id,
        username: u.username,
        email: u.email,
        nickname: u.nickname,
        first_name: u.first_name,
        last_name: u.last_name,
        roles: u.roles,
        locale: u.locale,
        is_bot: u.is_bot,
        delete_at: u.delete_at,
    }
}

pub fn team_from_pb(t: pb::Team) -> model::Team {
    model::Team { id: t.id, name: t.name, display_name: t.display_name, delete_at: t.delete_at }
}

pub fn team_member_from_pb(m: pb::TeamMember) -> model::TeamMember {
    model::TeamMember { team_id: m.team_id, user_id: m.user_id, roles: m.roles, delete_at: m.delete_at }
}

pub fn command_to_pb(c: model::Command) -> pb::Command {
    pb::Command {
        trigger: c.trigger,
        team_id: c.team_id,
        display_name: c.display_name,
        description: c.description,
        auto_complete: c.auto_complete,
        auto_complete_desc: c.auto_complete_desc,
        auto_complete_hint: c.auto_complete_hint,
        ..Default::default()
    }
}

pub fn command_args_from_pb(a: pb::CommandArgs) -> model::CommandArgs {
    model::CommandArgs {
        user_id: a.user_id,
        channel_id: a.channel_id,
        team_id: a.team_id,
        root_id: a.root_id,
        trigger_id: a.trigger_id,
        command: a.command,
        site_url: a.site_url,
    }
}

pub fn command_response_to_pb(r: model::CommandResponse) -> pb::CommandResponse {
    pb::CommandResponse {
        response_type: match r.response_type {
            model::ResponseType::Ephemeral => "ephemeral".into(),
            model::ResponseType::InChannel => "in_channel".into(),
        },
        text: r.text,
        goto_location: r.goto_location,
        props: json_to_struct(r.props),
        ..Default::default()
    }
}

pub fn dialog_to_pb(d: model::OpenDialog) -> pb::OpenDialogRequest {
    let model::Dialog { callback_id, title, introduction_text, elements, submit_label, notify_on_cancel, state } =
        d.dialog;
    pb::OpenDialogRequest {
        trigger_id: d.trigger_id,
        url: d.url,
        dialog: Some(pb::Dialog {
            callback_id,
            title,
            introduction_text,
            submit_label,
            notify_on_cancel,
            state,
            icon_url: String::new(),
            elements: elements
                .into_iter()
                .map(|e| pb::DialogElement {
                    display_name: e.display_name,
                    name: e.name,
                    r#type: e.r#type,
                    subtype: e.subtype,
                    default: e.default,
                    placeholder: e.placeholder,
                    help_text: e.help_text,
                    optional: e.optional,
                    min_length: e.min_length,
                    max_length: e.max_length,
                    data_source: e.data_source,
                    options: e
                        .options
                        .into_iter()
                        .map(|o| pb::DialogElementOption { text: o.text, value: o.value })
                        .collect(),
                })
                .collect(),
        }),
    }
}

pub fn broadcast_to_pb(b: model::Broadcast) -> pb::WebsocketBroadcast {
    pb::WebsocketBroadcast {
        user_id: b.user_id,
        channel_id: b.channel_id,
        team_id: b.team_id,
        omit_users: b.omit_users,
        ..Default::default()
    }
}
