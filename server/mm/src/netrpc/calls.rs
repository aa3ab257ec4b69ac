//! The argument and result structs of Mattermost's net/rpc glue (`Z_<Name>Args`, `Z_<Name>Returns`).
//!
//! On the wire only field names (`A`, `B`, …, in parameter order) and kinds matter, so a handful of
//! generic structs serve every call; nil results are omitted, exactly as Go omits them.

use super::gomodel::{GoCommandArgs, GoContext, GoHttpRequest};
use gobwire::{Gob, Interface};

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "Z_Args")]
pub struct Z0 {}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "Z_Args")]
pub struct Z1<A> {
    pub a: A,
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "Z_Args")]
pub struct Z2<A, B> {
    pub a: A,
    pub b: B,
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "Z_Args")]
pub struct Z3<A, B, C> {
    pub a: A,
    pub b: B,
    pub c: C,
}

#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "Z_Args")]
pub struct Z4<A, B, C, D> {
    pub a: A,
    pub b: B,
    pub c: C,
    pub d: D,
}

/// `{A error}`: what OnActivate, OnDeactivate and OnConfigurationChange return.
pub type ErrorReturns = Z1<Option<Interface>>;

/// `Z_OnActivateArgs`: where the host serves the API and the database driver.
#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "Z_OnActivateArgs")]
pub struct OnActivateArgs {
    #[gob(name = "APIMuxId")]
    pub api_mux_id: u32,
    #[gob(name = "DriverMuxId")]
    pub driver_mux_id: u32,
}

/// `Z_ExecuteCommandArgs{A *Context; B *model.CommandArgs}`.
pub type ExecuteCommandArgs = Z2<Option<GoContext>, Option<GoCommandArgs>>;

/// `Z_ServeHTTPArgs`.
#[derive(Debug, Clone, Default, PartialEq, Gob)]
#[gob(name = "Z_ServeHTTPArgs")]
pub struct ServeHttpArgs {
    pub response_writer_stream: u32,
    pub request: Option<GoHttpRequest>,
    pub context: Option<GoContext>,
    pub request_body_stream: u32,
}
