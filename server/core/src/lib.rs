//! Incident Collaboration's pure domain core: commands, the incident record, the one decision function, access
//! rules and Markdown rendering.
//!
//! Nothing here does I/O, reads a clock, draws random numbers or iterates a hash map (`clippy.toml` bans
//! `SystemTime`, `Instant` and `HashMap`): the shell passes `now`, fresh ids and membership facts in, and carries out
//! the returned [`Effect`]s. The crate builds for `wasm32-unknown-unknown`.
//!
//! Flow of a slash command: [`parse`] → [`select`] the incident among those the user may read → [`decide()`] (which
//! checks access again) → the shell saves `Decision::incident` with compare-and-set on `version`, then executes
//! `Decision::effects`, rendering each [`Message`] with [`render::message`]. Scheduler: [`tick()`] at
//! [`Incident::next_deadline`].
//!
//! Module map: `ids`/`time` (validated values) · `command`/`spec`/`target` (the `/incident` language) ·
//! `incident` (the record) · `access` (who sees what) · `action`/`decide`/`start`/`tick` (transitions) ·
//! `effect`/`error` (outputs) · `render` (Markdown).
//!
//! ```
//! use incident_core::{Command, TaskAt, parse};
//! let invocation = parse("/incident check 1 2 --incident INC-00042").unwrap();
//! assert_eq!(invocation.command, Command::Check { at: TaskAt::from_ordinals(1, 2).unwrap() });
//! assert_eq!(invocation.target.unwrap().to_string(), "INC-00042");
//! ```

pub mod access;
pub mod action;
pub mod command;
pub mod decide;
pub mod effect;
pub mod error;
pub mod ids;
pub mod incident;
pub mod render;
pub mod review;
pub mod spec;
pub mod start;
mod step;
pub mod target;
pub mod tick;
pub mod time;

#[cfg(test)]
mod fixtures;

pub use access::{Access, Actor, DenyReason, Operation, Viewer, check};
pub use command::{Command, Invocation, ParseError, parse};
pub use decide::{ACCESS_REQUEST_INTERVAL_MS, Action, Decision, Member, decide};
pub use effect::{Audience, Author, Change, Delta, Effect, Message, WebhookEvent};
pub use error::DomainError;
pub use ids::{ChannelId, IdError, IncidentId, PlaybookId, PostId, TeamId, UserId};
pub use incident::{Incident, Status, TaskAt, Visibility};
pub use render::Directory;
pub use start::{StartIds, StartParams, channel_name, start, validate_name};
pub use target::{IncidentRef, SelectError, select};
pub use tick::{is_take_over, reminder_posted, tick};
pub use time::{HumanDuration, Timestamp};
