//! `cargo xtask deploy`: uploads the bundle to a Mattermost server and enables it, through the REST API (curl).

use crate::dist::manifest;
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;

pub fn run(root: &Path) -> Result<()> {
    let site = std::env::var("MM_SERVICESETTINGS_SITEURL")
        .context("set MM_SERVICESETTINGS_SITEURL to the server's URL, e.g. https://chat.example.com")?;
    let token =
        std::env::var("MM_ADMIN_TOKEN").context("set MM_ADMIN_TOKEN to a system admin's personal access token")?;
    let m = manifest(root)?;
    let bundle = root.join("dist").join(format!("{}-{}.tar.gz", m.id, m.version));
    if !bundle.is_file() {
        bail!("{} is missing: run `make dist`", bundle.display());
    }
    let site = site.trim_end_matches('/');
    let auth = format!("Authorization: Bearer {token}");
    eprintln!("deploy: uploading {} to {site}", bundle.display());
    let upload = format!("plugin=@{}", bundle.display());
    let url = format!("{site}/api/v4/plugins");
    curl("uploading the bundle", &["-H", &auth, "-F", &upload, "-F", "force=true", &url])?;
    eprintln!("deploy: enabling {}", m.id);
    curl("enabling the plugin", &["-X", "POST", "-H", &auth, &format!("{site}/api/v4/plugins/{}/enable", m.id)])
}

/// Runs curl without echoing its arguments on failure (they hold the token).
fn curl(what: &str, args: &[&str]) -> Result<()> {
    let status = Command::new("curl").args(["-fsS", "-o", "/dev/null"]).args(args).status().context("running curl")?;
    if !status.success() {
        bail!(
            "{what} failed (curl exit code {:?}); check the URL, the token and PluginSettings.EnableUploads",
            status.code()
        );
    }
    Ok(())
}
