//! The integration-test binary: each module drives real artifacts (process, bundle, proto files).

mod bundle;
mod devhost_e2e;
mod faults;
mod incidents_e2e;
mod limits;
mod netrpc;
mod plugin_process;
mod proto_drift;
mod scenarios;
