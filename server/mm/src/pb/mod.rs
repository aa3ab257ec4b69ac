//! Generated protobuf and gRPC code (see `cargo xtask codegen`); the only place prost types are defined.
#![allow(clippy::all, clippy::pedantic, missing_docs, rust_2018_idioms, unreachable_pub)]

/// `mattermost.pluginapi.v1`: the PluginHooks and PluginAPI services and their messages.
pub mod v1 {
    include!("mattermost.pluginapi.v1.rs");
}

/// go-plugin's `plugin` package: the GRPCController service.
pub mod goplugin {
    include!("plugin.rs");
}
