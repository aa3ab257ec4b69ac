//! `make bench` (protocol): process start → handshake line, and the `/incident help` round trip through the
//! real release binary over loopback, against a bare gRPC round trip (health check) as the floor.

use incident_tests::fake_api::FakeApi;
use incident_tests::process::{launch, read_handshake, scratch, server_env, stage_plugin_dir, wait_exit};
use incident_tests::report::{ms, percentiles, write_section};
use mm::pb::goplugin::grpc_controller_client::GrpcControllerClient;
use mm::pb::v1 as pb;
use mm::pb::v1::plugin_hooks_client::PluginHooksClient;
use std::time::{Duration, Instant};
use tonic::transport::Channel;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

const STARTS: usize = 30;
const CALLS: usize = 2000;

#[tokio::main]
async fn main() {
    require_release_binary();
    let api = FakeApi::default().serve().await;
    let dir = stage_plugin_dir(&scratch("bench-protocol"));
    let size = std::fs::metadata(dir.join("server/dist/plugin-linux-x86_64")).unwrap().len();

    let mut starts = Vec::new();
    for _ in 0..STARTS {
        let began = Instant::now();
        let mut child = launch(&dir, &server_env(&api));
        let addr = read_handshake(&mut child).await;
        starts.push(began.elapsed());
        let channel = Channel::from_shared(format!("http://{addr}")).unwrap().connect().await.unwrap();
        GrpcControllerClient::new(channel).shutdown(mm::pb::goplugin::Empty {}).await.unwrap();
        wait_exit(child, Duration::from_secs(5)).await;
    }

    let mut child = launch(&dir, &server_env(&api));
    let addr = read_handshake(&mut child).await;
    let channel = Channel::from_shared(format!("http://{addr}")).unwrap().connect().await.unwrap();
    let mut hooks = PluginHooksClient::new(channel.clone());
    hooks.on_activate(pb::OnActivateRequest::default()).await.unwrap();
    let request = pb::ExecuteCommandRequest {
        args: Some(pb::CommandArgs { command: "/incident help".into(), ..Default::default() }),
        ..Default::default()
    };
    let mut help = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let began = Instant::now();
        let reply = hooks.execute_command(request.clone()).await.unwrap().into_inner();
        help.push(began.elapsed());
        assert!(reply.response.is_some());
    }
    let mut health = HealthClient::new(channel.clone());
    let mut floor = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let began = Instant::now();
        health.check(HealthCheckRequest { service: "plugin".into() }).await.unwrap();
        floor.push(began.elapsed());
    }
    hooks.on_deactivate(pb::OnDeactivateRequest::default()).await.unwrap();
    wait_exit(child, Duration::from_secs(5)).await;

    let (s50, s99, smax) = percentiles(&mut starts);
    let (h50, h99, hmax) = percentiles(&mut help);
    let (f50, f99, fmax) = percentiles(&mut floor);
    let body = format!(
        "| figure | p50 | p99 | max | runs |\n|---|---|---|---|---|\n\
         | process start → handshake line (goal < 20 ms; via the sh launcher) | {} | {} | {} | {STARTS} |\n\
         | ExecuteCommand `/incident help` round trip | {} | {} | {} | {CALLS} |\n\
         | floor: bare gRPC round trip (health check, same connection) | {} | {} | {} | {CALLS} |\n\n\
         `/incident help` costs {:.2}× the bare round trip at p50. Release binary: {} bytes (host target).\n",
        ms(s50),
        ms(s99),
        ms(smax),
        ms(h50),
        ms(h99),
        ms(hmax),
        ms(f50),
        ms(f99),
        ms(fmax),
        h50.as_secs_f64() / f50.as_secs_f64(),
        size,
    );
    write_section(
        "protocol",
        "Plugin process and protocol",
        "make bench (cargo bench -p incident-tests --bench protocol)",
        &body,
    );
    eprintln!("{body}");
}

/// Asks the support code for the release binary (read once, before any plugin is built).
fn require_release_binary() {
    // `set_var` is unsafe in edition 2024 and `unsafe_code` is forbidden, so `make bench` sets it.
    assert!(
        std::env::var_os("INCIDENT_RELEASE_PLUGIN").is_some(),
        "run benchmarks through `make bench`, which sets INCIDENT_RELEASE_PLUGIN=1 to measure the release binary"
    );
}
