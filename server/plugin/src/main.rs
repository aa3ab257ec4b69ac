//! The Incident Collaboration plugin process: the Mattermost server starts it, `mm` serves it.

mod command;
mod dialogs;
mod dto;
mod http;
mod ids;
mod plugin;
mod ports;

fn main() -> std::process::ExitCode {
    mm::run(plugin::IncidentPlugin::new)
}
