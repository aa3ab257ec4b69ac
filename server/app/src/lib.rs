//! Incident Collaboration's use cases: load → `incident_core::decide` → save with compare-and-set (re-load and
//! re-decide on conflict, bounded) → execute the `Effect`s through small ports owned here.
//!
//! The plugin implements the ports ([`Chat`], [`People`], [`Events`], [`Ids`]) over the PluginAPI and calls
//! [`App::command`], [`App::start`], [`App::list`], [`App::get`] and the hook methods. Errors are [`AppError`], whose
//! Display is the user's text and whose [`ErrorKind`] picks an HTTP status.

mod access;
mod act;
mod app;
mod automation;
mod commands;
mod error;
#[cfg(feature = "fakes")]
pub mod fakes;
mod hooks;
pub mod playbook_input;
pub mod playbooks;
pub mod ports;
mod recovery;
mod reminders;
mod rest;
pub mod review;
mod select;
mod start;
mod views;

pub use access::{AccessEntry, AccessState};
pub use act::SAVE_ATTEMPTS;
pub use app::{App, Ctx, Ports};
pub use commands::{Outcome, UpdatePrefill};
pub use error::{AppError, ErrorKind};
pub use incident_store::{Page, Query, Row, Sort};
pub use ports::{
    AccessQuestion, ChannelInfo, Chat, ChatError, Events, Ids, NewChannel, Outbox, People, Person, PostInfo, WebhookJob,
};
pub use recovery::{Recovered, START_TIMEOUT_MS};
pub use rest::{Acted, needs_confirmation};
pub use start::{StartRequest, Started};
pub use views::name_from_message;
