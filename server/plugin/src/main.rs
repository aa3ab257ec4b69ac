//! The Incident Collaboration plugin process: the Mattermost server starts it, `mm` serves it.

mod command;
mod config;
mod dialogs;
mod dto;
mod http;
mod ids;
mod permissions;
mod plugin;
mod ports;
mod scheduler;
mod ts_types;
mod webhooks;

fn main() -> std::process::ExitCode {
    mm::run(plugin::IncidentPlugin::new)
}
