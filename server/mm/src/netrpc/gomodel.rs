//! Mattermost's model types in the shape Go's gob sends them (`server/public/model`), and the
//! conversions to and from the transport-neutral [`crate::model`] types.
//!
//! gob matches struct fields by **name** and skips what one side lacks, so each struct lists only the
//! fields the SDK uses, with Go's exact names and kinds (`int64` → `i64`, `int` → `i64`, `uint32` → `u32`).

use super::dynamic::{interface_to_json, json_to_interface};
use crate::model::{self, ChannelType, ResponseType};
use gobwire::{BinaryBytes, Gob, Interface};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// `map[string]any` (`model.StringInterface`).
pub type GoProps = BTreeMap<String, Option<Interface>>;

/// The name `gob.Register(&model.AppError{})` gives the type inside `error` values.
pub const APP_ERROR_NAME: &str = "*model.AppError";
/// `*plugin.ErrorString`: any other error the Go glue sends.
pub const ERROR_STRING_NAME: &str = "*plugin.ErrorString";

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "AppError")]
pub struct GoAppError {
    pub id: String,
    pub message: String,
    pub detailed_error: String,
    pub request_id: String,
    pub status_code: i64,
    pub r#where: String,
    #[gob(name = "IsOAuth")]
    pub is_oauth: bool,
}

/// `plugin.ErrorString{Code int; Err string}`.
#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "ErrorString")]
pub struct GoErrorString {
    pub code: i64,
    pub err: String,
}

impl From<model::AppError> for GoAppError {
    fn from(e: model::AppError) -> Self {
        Self {
            id: e.id,
            message: e.message,
            detailed_error: e.detailed_error,
            request_id: String::new(),
            status_code: i64::from(e.status_code),
            r#where: e.r#where,
            is_oauth: false,
        }
    }
}

impl From<GoAppError> for model::AppError {
    fn from(e: GoAppError) -> Self {
        Self {
            id: e.id,
            message: e.message,
            detailed_error: e.detailed_error,
            status_code: i32::try_from(e.status_code).unwrap_or(500),
            r#where: e.r#where,
        }
    }
}

/// An `error` value carrying our AppError, as Go's glue sends `encodableError(err)`.
pub fn error_interface(error: model::AppError) -> Option<Interface> {
    Interface::new(APP_ERROR_NAME, &GoAppError::from(error)).ok()
}

/// Reads an `error` value: an AppError, an ErrorString, or anything else by its text.
pub fn error_from_interface(error: &Interface) -> model::AppError {
    if error.name == APP_ERROR_NAME
        && let Ok(e) = error.downcast::<GoAppError>()
    {
        return e.into();
    }
    let text = match error.downcast::<GoErrorString>() {
        Ok(e) if !e.err.is_empty() => e.err,
        _ => interface_to_json(error).to_string(),
    };
    let mut e = model::AppError::new("plugin.rpc.error", text, 500);
    e.detailed_error.clear();
    e
}

/// `plugin.Context`.
#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "Context")]
pub struct GoContext {
    pub session_id: String,
    pub request_id: String,
    #[gob(name = "IPAddress")]
    pub ip_address: String,
    pub accept_language: String,
    pub user_agent: String,
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "CommandArgs")]
pub struct GoCommandArgs {
    pub user_id: String,
    pub channel_id: String,
    pub team_id: String,
    pub root_id: String,
    pub trigger_id: String,
    pub command: String,
    #[gob(name = "SiteURL")]
    pub site_url: String,
}

impl From<GoCommandArgs> for model::CommandArgs {
    fn from(a: GoCommandArgs) -> Self {
        Self {
            user_id: a.user_id,
            channel_id: a.channel_id,
            team_id: a.team_id,
            root_id: a.root_id,
            trigger_id: a.trigger_id,
            command: a.command,
            site_url: a.site_url,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "CommandResponse")]
pub struct GoCommandResponse {
    pub response_type: String,
    pub text: String,
    pub props: GoProps,
    pub goto_location: String,
}

impl From<model::CommandResponse> for GoCommandResponse {
    fn from(r: model::CommandResponse) -> Self {
        let response_type = match r.response_type {
            ResponseType::Ephemeral => "ephemeral",
            ResponseType::InChannel => "in_channel",
        };
        Self {
            response_type: response_type.into(),
            text: r.text,
            props: props_to_go(r.props),
            goto_location: r.goto_location,
        }
    }
}

pub fn props_to_go(props: Map<String, Value>) -> GoProps {
    props.into_iter().map(|(k, v)| (k, json_to_interface(&v))).collect()
}

pub fn props_from_go(props: GoProps) -> Map<String, Value> {
    props.into_iter().map(|(k, v)| (k, v.as_ref().map_or(Value::Null, interface_to_json))).collect()
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "Post")]
pub struct GoPost {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub user_id: String,
    pub channel_id: String,
    pub root_id: String,
    pub message: String,
    pub r#type: String,
    pub props: GoProps,
}

impl From<model::Post> for GoPost {
    fn from(p: model::Post) -> Self {
        Self {
            id: p.id,
            create_at: p.create_at,
            update_at: p.update_at,
            delete_at: p.delete_at,
            user_id: p.user_id,
            channel_id: p.channel_id,
            root_id: p.root_id,
            message: p.message,
            r#type: p.r#type,
            props: props_to_go(p.props),
        }
    }
}

impl From<GoPost> for model::Post {
    fn from(p: GoPost) -> Self {
        Self {
            id: p.id,
            create_at: p.create_at,
            update_at: p.update_at,
            delete_at: p.delete_at,
            user_id: p.user_id,
            channel_id: p.channel_id,
            root_id: p.root_id,
            message: p.message,
            r#type: p.r#type,
            props: props_from_go(p.props),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "PostList")]
pub struct GoPostList {
    pub order: Vec<String>,
    pub posts: BTreeMap<String, Option<GoPost>>,
}

impl From<GoPostList> for model::PostList {
    fn from(l: GoPostList) -> Self {
        let posts = l.posts.into_iter().filter_map(|(k, p)| p.map(|p| (k, p.into()))).collect();
        Self { order: l.order, posts }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "Channel")]
pub struct GoChannel {
    pub id: String,
    pub create_at: i64,
    pub delete_at: i64,
    pub team_id: String,
    pub r#type: String,
    pub display_name: String,
    pub name: String,
    pub header: String,
    pub purpose: String,
    pub creator_id: String,
}

fn channel_type_code(t: ChannelType) -> &'static str {
    match t {
        ChannelType::Open => "O",
        ChannelType::Private => "P",
        ChannelType::Direct => "D",
        ChannelType::Group => "G",
    }
}

impl From<model::Channel> for GoChannel {
    fn from(c: model::Channel) -> Self {
        Self {
            id: c.id,
            create_at: c.create_at,
            delete_at: c.delete_at,
            team_id: c.team_id,
            r#type: channel_type_code(c.r#type).into(),
            display_name: c.display_name,
            name: c.name,
            header: c.header,
            purpose: c.purpose,
            creator_id: c.creator_id,
        }
    }
}

impl From<GoChannel> for model::Channel {
    fn from(c: GoChannel) -> Self {
        let r#type = match c.r#type.as_str() {
            "P" => ChannelType::Private,
            "D" => ChannelType::Direct,
            "G" => ChannelType::Group,
            _ => ChannelType::Open,
        };
        Self {
            id: c.id,
            team_id: c.team_id,
            name: c.name,
            display_name: c.display_name,
            r#type,
            header: c.header,
            purpose: c.purpose,
            creator_id: c.creator_id,
            create_at: c.create_at,
            delete_at: c.delete_at,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "ChannelMember")]
pub struct GoChannelMember {
    pub channel_id: String,
    pub user_id: String,
    pub roles: String,
}

impl From<GoChannelMember> for model::ChannelMember {
    fn from(m: GoChannelMember) -> Self {
        Self { channel_id: m.channel_id, user_id: m.user_id, roles: m.roles }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "User")]
pub struct GoUser {
    pub id: String,
    pub delete_at: i64,
    pub username: String,
    pub email: String,
    pub nickname: String,
    pub first_name: String,
    pub last_name: String,
    pub roles: String,
    pub locale: String,
    pub is_bot: bool,
}

impl From<GoUser> for model::User {
    fn from(u: GoUser) -> Self {
        Self {
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
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "Team")]
pub struct GoTeam {
    pub id: String,
    pub delete_at: i64,
    pub display_name: String,
    pub name: String,
}

impl From<GoTeam> for model::Team {
    fn from(t: GoTeam) -> Self {
        Self { id: t.id, name: t.name, display_name: t.display_name, delete_at: t.delete_at }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "TeamMember")]
pub struct GoTeamMember {
    pub team_id: String,
    pub user_id: String,
    pub roles: String,
    pub delete_at: i64,
}

impl From<GoTeamMember> for model::TeamMember {
    fn from(m: GoTeamMember) -> Self {
        Self { team_id: m.team_id, user_id: m.user_id, roles: m.roles, delete_at: m.delete_at }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "Bot")]
pub struct GoBot {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "Command")]
pub struct GoCommand {
    pub team_id: String,
    pub trigger: String,
    pub auto_complete: bool,
    pub auto_complete_desc: String,
    pub auto_complete_hint: String,
    pub display_name: String,
    pub description: String,
}

impl From<model::Command> for GoCommand {
    fn from(c: model::Command) -> Self {
        Self {
            team_id: c.team_id,
            trigger: c.trigger,
            auto_complete: c.auto_complete,
            auto_complete_desc: c.auto_complete_desc,
            auto_complete_hint: c.auto_complete_hint,
            display_name: c.display_name,
            description: c.description,
        }
    }
}

/// `model.PluginKVSetOptions`, passed by value.
#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "PluginKVSetOptions")]
pub struct GoKvSetOptions {
    pub atomic: bool,
    pub old_value: Vec<u8>,
    pub expire_in_seconds: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "WebsocketBroadcast")]
pub struct GoBroadcast {
    pub omit_users: BTreeMap<String, bool>,
    pub user_id: String,
    pub channel_id: String,
    pub team_id: String,
}

/// `model.PluginClusterEvent`, by value.
#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "PluginClusterEvent")]
pub struct GoClusterEvent {
    pub id: String,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "PluginClusterEventSendOptions")]
pub struct GoClusterSendOptions {
    pub send_type: String,
    pub target_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "Permission")]
pub struct GoPermission {
    pub id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "OpenDialogRequest")]
pub struct GoOpenDialog {
    pub trigger_id: String,
    #[gob(name = "URL")]
    pub url: String,
    pub dialog: GoDialog,
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "Dialog")]
pub struct GoDialog {
    pub callback_id: String,
    pub title: String,
    pub introduction_text: String,
    pub elements: Vec<GoDialogElement>,
    pub submit_label: String,
    pub notify_on_cancel: bool,
    pub state: String,
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "DialogElement")]
pub struct GoDialogElement {
    pub display_name: String,
    pub name: String,
    pub r#type: String,
    #[gob(name = "SubType")]
    pub subtype: String,
    pub default: String,
    pub placeholder: String,
    pub help_text: String,
    pub optional: bool,
    pub min_length: i64,
    pub max_length: i64,
    pub data_source: String,
    pub options: Vec<Option<GoDialogOption>>,
}

/// `model.PostActionOptions`.
#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "PostActionOptions")]
pub struct GoDialogOption {
    pub text: String,
    pub value: String,
}

impl From<model::OpenDialog> for GoOpenDialog {
    fn from(o: model::OpenDialog) -> Self {
        let d = o.dialog;
        let elements = d
            .elements
            .into_iter()
            .map(|e| GoDialogElement {
                display_name: e.display_name,
                name: e.name,
                r#type: e.r#type,
                subtype: e.subtype,
                default: e.default,
                placeholder: e.placeholder,
                help_text: e.help_text,
                optional: e.optional,
                min_length: i64::from(e.min_length),
                max_length: i64::from(e.max_length),
                data_source: e.data_source,
                options: e.options.into_iter().map(|o| Some(GoDialogOption { text: o.text, value: o.value })).collect(),
            })
            .collect();
        Self {
            trigger_id: o.trigger_id,
            url: o.url,
            dialog: GoDialog {
                callback_id: d.callback_id,
                title: d.title,
                introduction_text: d.introduction_text,
                elements,
                submit_label: d.submit_label,
                notify_on_cancel: d.notify_on_cancel,
                state: d.state,
            },
        }
    }
}

/// `plugin.HTTPRequestSubset` (newer servers) or `http.Request` (older ones): the fields both share.
#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "HTTPRequestSubset")]
pub struct GoHttpRequest {
    pub method: String,
    /// `*url.URL`, a BinaryMarshaler: the URL as text.
    #[gob(name = "URL")]
    pub url: BinaryBytes,
    pub proto: String,
    pub proto_major: i64,
    pub proto_minor: i64,
    pub header: BTreeMap<String, Vec<String>>,
    pub host: String,
    pub remote_addr: String,
    #[gob(name = "RequestURI")]
    pub request_uri: String,
}
