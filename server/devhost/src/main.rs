//! `devhost`: run a Mattermost gRPC plugin bundle locally with a web page (`make run`).

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use devhost::{DevHost, DevHostConfig, PluginState};

const USAGE: &str = "usage: devhost [--bundle PATH | --plugin-dir DIR] [--data-dir DIR (default .devhost)] \
[--port N (default 8065, 0 = any)] [--nodes N (default 1)] [--page-dir DIR (default webapp/dist)]";

fn parse_args() -> anyhow::Result<DevHostConfig> {
    let mut source: Option<PathBuf> = None;
    let mut data_dir = PathBuf::from(".devhost");
    let mut port: u16 = 8065;
    let mut nodes: usize = 1;
    let mut page_dir: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().with_context(|| format!("{name} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--bundle" | "--plugin-dir" => {
                if source.is_some() {
                    bail!("give only one of --bundle and --plugin-dir\n{USAGE}");
                }
                source = Some(PathBuf::from(value(&arg)?));
            }
            "--data-dir" => data_dir = PathBuf::from(value("--data-dir")?),
            "--port" => port = value("--port")?.parse().context("--port must be a number 0-65535")?,
            "--nodes" => {
                nodes = value("--nodes")?.parse().context("--nodes must be a positive number")?;
                if !(1..=16).contains(&nodes) {
                    bail!("--nodes must be between 1 and 16");
                }
            }
            "--page-dir" => page_dir = Some(PathBuf::from(value("--page-dir")?)),
            "-h" | "--help" => {
                writeln!(std::io::stdout(), "{USAGE}")?;
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let source = source.with_context(|| format!("give the plugin with --bundle or --plugin-dir\n{USAGE}"))?;
    let mut config = DevHostConfig::new(source, data_dir);
    config.port = port;
    config.nodes = nodes;
    config.page_dir = page_dir.unwrap_or_else(default_page_dir);
    config.health_interval = Duration::from_secs(30);
    Ok(config)
}

/// `webapp/dist` under the current directory (the repo root for `make run`), else the one of the source tree
/// this binary was built from, so `cargo run -p devhost` finds the page from any directory of the checkout.
fn default_page_dir() -> PathBuf {
    let here = PathBuf::from("webapp/dist");
    if here.join("devhost.js").is_file() {
        return here;
    }
    let source_tree = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../webapp/dist");
    if source_tree.join("devhost.js").is_file() { source_tree } else { here }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,h2=warn,tower=warn,hyper=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = parse_args()?;
    let host = DevHost::start(config).await.context("the dev host could not start")?;
    let state = host.plugin_state();
    if state.state == PluginState::Failed {
        tracing::error!(
            "plugin {} failed: {} (the page stays up; fix the plugin and restart)",
            state.id,
            state.message
        );
    }
    writeln!(std::io::stdout(), "Dev host ready: {}", host.url())?;
    std::io::stdout().flush()?;
    shutdown_signal().await?;
    tracing::info!("stopping the plugin");
    host.stop().await;
    Ok(())
}

/// Ctrl-C (SIGINT) or SIGTERM (what `cargo xtask browser-test` and process managers send): both stop cleanly.
async fn shutdown_signal() -> anyhow::Result<()> {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("installing the SIGTERM handler")?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r.context("waiting for Ctrl-C")?,
        _ = term.recv() => {}
    }
    Ok(())
}
