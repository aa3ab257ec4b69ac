//! The end-to-end tests' common start: a dev host running the freshly built plugin, staged like the bundle, and the
//! channel messages they seed its store with.

use devhost::{DevHost, DevHostConfig, PluginState};
use incident_tests::process::{scratch, stage_plugin_dir};

/// Starts a dev host in a scratch directory named `name` and checks the plugin activated.
pub(crate) async fn host(name: &str) -> DevHost {
    let dir = scratch(name);
    let plugin = stage_plugin_dir(&dir);
    let mut config = DevHostConfig::new(plugin, dir.join("data"));
    config.page_dir = incident_tests::root().join("webapp/dist");
    let host = DevHost::start(config).await.expect("the dev host starts");
    assert_eq!(host.plugin_state().state, PluginState::Active, "{:?}", host.plugin_state());
    host
}

/// A message by `user` in `channel`, for seeding the dev host's store.
pub(crate) fn mm_post(channel: &str, user: &str, message: &str) -> devhost::store::Post {
    devhost::store::Post {
        channel_id: channel.into(),
        user_id: user.into(),
        message: message.into(),
        ..Default::default()
    }
}
