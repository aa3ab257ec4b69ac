//! The process id of a dev host's plugin, for benchmarks that read `/proc/<pid>/…` (memory, CPU time).

use devhost::DevHost;

/// The plugin process of the host's first node, checked to be the plugin binary (the launcher `exec`s it).
pub async fn plugin_pid(host: &DevHost) -> u32 {
    let pid = host.node_pids().await[0].expect("the node runs a process");
    let exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap();
    let name = exe.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("plugin-linux-"), "pid {pid} is the plugin binary, not {}", exe.display());
    pid
}
