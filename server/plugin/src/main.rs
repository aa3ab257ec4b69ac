//! The Incident Collaboration plugin process: the Mattermost server starts it, `mm` serves it.

mod command;
mod http;
mod plugin;

fn main() -> std::process::ExitCode {
    mm::run(plugin::IncidentPlugin::new)
}
