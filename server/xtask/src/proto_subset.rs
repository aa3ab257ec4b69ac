//! Writes `proto/` from the upstream reference: only the RPCs we call or serve, and the messages they reach.
//!
//! Names, numbers and types are carried over exactly (the wire contract); comments and unused
//! definitions are not. `tests/` holds the drift test that compares the result with the reference.

use anyhow::{Context, Result, bail};
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorSet};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

const PACKAGE: &str = "mattermost.pluginapi.v1";

/// Hooks the plugin serves (`PluginHooks`).
pub const HOOKS: &[&str] = &[
    "Implemented",
    "OnActivate",
    "OnDeactivate",
    "OnConfigurationChange",
    "ExecuteCommand",
    "ServeHTTP",
    "MessageHasBeenPosted",
    "UserHasJoinedChannel",
    "UserHasLeftChannel",
    "OnPluginClusterEvent",
];

/// PluginAPI calls the plugin makes (and the dev host serves).
pub const API: &[&str] = &[
    // KV store
    "KVGet",
    "KVSet",
    "KVSetWithExpiry",
    "KVSetWithOptions",
    "KVCompareAndSet",
    "KVCompareAndDelete",
    "KVDelete",
    "KVList",
    // posts
    "CreatePost",
    "UpdatePost",
    "GetPost",
    "DeletePost",
    "SendEphemeralPost",
    "UpdateEphemeralPost",
    "GetPostsForChannel",
    // channels and members
    "CreateChannel",
    "GetChannel",
    "GetChannelByName",
    "UpdateChannel",
    "AddChannelMember",
    "AddUserToChannel",
    "DeleteChannelMember",
    "GetChannelMember",
    "GetChannelMembers",
    // users and teams
    "GetUser",
    "GetUserByUsername",
    "GetUsersByIds",
    "GetUsersInChannel",
    "GetTeam",
    "GetTeamMember",
    "GetTeamsForUser",
    // commands, dialogs, events
    "RegisterCommand",
    "UnregisterCommand",
    "OpenInteractiveDialog",
    "PublishWebSocketEvent",
    "PublishPluginClusterEvent",
    // permissions
    "HasPermissionTo",
    "HasPermissionToTeam",
    "HasPermissionToChannel",
    // bots, logging, configuration
    "EnsureBotUser",
    "LogDebug",
    "LogInfo",
    "LogWarn",
    "LogError",
    "LoadPluginConfiguration",
    "GetConfig",
];

pub fn run(root: &Path, reference: &Path) -> Result<()> {
    let fds = compile_reference(reference)?;
    let index = Index::new(&fds);
    let mut wanted = Wanted::default();
    let hooks = index.service_subset("PluginHooks", HOOKS, &mut wanted)?;
    let api = index.service_subset("PluginAPI", API, &mut wanted)?;
    while let Some(name) = wanted.queue.pop() {
        index.reach(&name, &mut wanted)?;
    }

    let out = root.join("proto");
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join("mattermost_types.proto"), types_file(&index, &wanted))?;
    std::fs::write(out.join("mattermost_hooks.proto"), service_file("PluginHooks", &hooks))?;
    std::fs::write(out.join("mattermost_api.proto"), service_file("PluginAPI", &api))?;
    eprintln!(
        "proto subset: {} hooks, {} API calls, {} messages, {} enums",
        hooks.len(),
        api.len(),
        wanted.messages.len(),
        wanted.enums.len()
    );
    Ok(())
}

/// Compiles every `.proto` in a directory with protox (no system protoc).
pub fn compile_reference(dir: &Path) -> Result<FileDescriptorSet> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("reading reference protos in {}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".proto"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no .proto files in {}", dir.display());
    }
    Ok(protox::compile(&files, [dir])?)
}

struct Index<'a> {
    messages: BTreeMap<String, &'a DescriptorProto>,
    enums: BTreeMap<String, &'a EnumDescriptorProto>,
    services: BTreeMap<String, &'a prost_types::ServiceDescriptorProto>,
}

#[derive(Default)]
struct Wanted {
    messages: BTreeSet<String>,
    enums: BTreeSet<String>,
    queue: Vec<String>,
}

impl Wanted {
    fn want(&mut self, full_name: &str) {
        let name = full_name.trim_start_matches('.').to_owned();
        if name.starts_with("google.") || self.messages.contains(&name) || self.enums.contains(&name) {
            return;
        }
        self.queue.push(name);
    }
}

/// An RPC as we write it: name, request and response message (short names), streaming flags.
pub struct Rpc {
    name: String,
    input: String,
    output: String,
    client_streaming: bool,
    server_streaming: bool,
}

impl<'a> Index<'a> {
    fn new(fds: &'a FileDescriptorSet) -> Self {
        let mut index = Index { messages: BTreeMap::new(), enums: BTreeMap::new(), services: BTreeMap::new() };
        for file in &fds.file {
            let pkg = file.package();
            for m in &file.message_type {
                index.messages.insert(format!("{pkg}.{}", m.name()), m);
            }
            for e in &file.enum_type {
                index.enums.insert(format!("{pkg}.{}", e.name()), e);
            }
            for s in &file.service {
                index.services.insert(s.name().to_owned(), s);
            }
        }
        index
    }

    fn service_subset(&self, service: &str, names: &[&str], wanted: &mut Wanted) -> Result<Vec<Rpc>> {
        let svc = self.services.get(service).with_context(|| format!("reference has no service {service}"))?;
        names
            .iter()
            .map(|name| {
                let m = svc
                    .method
                    .iter()
                    .find(|m| m.name() == *name)
                    .with_context(|| format!("reference {service} has no RPC {name}"))?;
                wanted.want(m.input_type());
                wanted.want(m.output_type());
                Ok(Rpc {
                    name: m.name().to_owned(),
                    input: short(m.input_type()),
                    output: short(m.output_type()),
                    client_streaming: m.client_streaming(),
                    server_streaming: m.server_streaming(),
                })
            })
            .collect()
    }

    fn reach(&self, name: &str, wanted: &mut Wanted) -> Result<()> {
        if let Some(e) = self.enums.get(name) {
            let _ = e;
            wanted.enums.insert(name.to_owned());
            return Ok(());
        }
        let msg = self.messages.get(name).with_context(|| format!("reference has no type {name}"))?;
        wanted.messages.insert(name.to_owned());
        for field in &msg.field {
            if let Some(entry) = map_entry(msg, field) {
                for f in &entry.field {
                    if matches!(f.r#type(), Type::Message | Type::Enum) {
                        wanted.want(f.type_name());
                    }
                }
            } else if matches!(field.r#type(), Type::Message | Type::Enum) {
                wanted.want(field.type_name());
            }
        }
        if !msg.nested_type.iter().all(|n| n.options.as_ref().is_some_and(|o| o.map_entry())) {
            bail!("{name} has nested messages; the subset writer only knows map entries");
        }
        Ok(())
    }
}

fn short(full: &str) -> String {
    let name = full.trim_start_matches('.');
    name.strip_prefix(&format!("{PACKAGE}.")).unwrap_or(name).to_owned()
}

fn map_entry<'m>(msg: &'m DescriptorProto, field: &FieldDescriptorProto) -> Option<&'m DescriptorProto> {
    if field.label() != Label::Repeated || field.r#type() != Type::Message {
        return None;
    }
    let entry_name = field.type_name().rsplit('.').next()?;
    msg.nested_type.iter().find(|n| n.name() == entry_name && n.options.as_ref().is_some_and(|o| o.map_entry()))
}

fn scalar(t: Type) -> &'static str {
    match t {
        Type::Double => "double",
        Type::Float => "float",
        Type::Int64 => "int64",
        Type::Uint64 => "uint64",
        Type::Int32 => "int32",
        Type::Fixed64 => "fixed64",
        Type::Fixed32 => "fixed32",
        Type::Bool => "bool",
        Type::String => "string",
        Type::Bytes => "bytes",
        Type::Uint32 => "uint32",
        Type::Sfixed32 => "sfixed32",
        Type::Sfixed64 => "sfixed64",
        Type::Sint32 => "sint32",
        Type::Sint64 => "sint64",
        Type::Group | Type::Message | Type::Enum => unreachable!("not a scalar"),
    }
}

fn type_of(field: &FieldDescriptorProto) -> String {
    match field.r#type() {
        Type::Message | Type::Enum => short(field.type_name()),
        t => scalar(t).to_owned(),
    }
}

const HEADER: &str = "// Our subset of the Mattermost plugin gRPC protocol (package mattermost.pluginapi.v1).\n\
// Written by `cargo xtask proto-subset` from the upstream reference; names, field numbers and\n\
// types are the upstream wire contract and must not drift (tests/proto_drift.rs checks it).\n\n\
syntax = \"proto3\";\n\npackage mattermost.pluginapi.v1;\n\n";

fn types_file(index: &Index<'_>, wanted: &Wanted) -> String {
    let mut out = String::from(HEADER);
    out.push_str("import \"google/protobuf/struct.proto\";\nimport \"google/protobuf/wrappers.proto\";\n");
    for name in &wanted.enums {
        let e = index.enums[name];
        let _ = write!(out, "\nenum {} {{\n", short(name));
        for v in &e.value {
            let _ = writeln!(out, "  {} = {};", v.name(), v.number());
        }
        out.push_str("}\n");
    }
    for name in &wanted.messages {
        let msg = index.messages[name];
        let _ = write!(out, "\nmessage {} {{\n", short(name));
        for field in &msg.field {
            let decl = if let Some(entry) = map_entry(msg, field) {
                format!("map<{}, {}>", type_of(&entry.field[0]), type_of(&entry.field[1]))
            } else if field.label() == Label::Repeated {
                format!("repeated {}", type_of(field))
            } else if field.proto3_optional() {
                format!("optional {}", type_of(field))
            } else {
                type_of(field)
            };
            let _ = writeln!(out, "  {decl} {} = {};", field.name(), field.number());
        }
        out.push_str("}\n");
    }
    out
}

fn service_file(service: &str, rpcs: &[Rpc]) -> String {
    let mut out = String::from(HEADER);
    let _ = write!(out, "import \"mattermost_types.proto\";\n\nservice {service} {{\n");
    for r in rpcs {
        let stream = |s: bool| if s { "stream " } else { "" };
        let _ = writeln!(
            out,
            "  rpc {}({}{}) returns ({}{});",
            r.name,
            stream(r.client_streaming),
            r.input,
            stream(r.server_streaming),
            r.output
        );
    }
    out.push_str("}\n");
    out
}
