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

/// In the bundle's static musl builds: dlmalloc instead of musl's allocator (see `Cargo.toml`).
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

fn main() -> std::process::ExitCode {
    mm::run(plugin::IncidentPlugin::new)
}
