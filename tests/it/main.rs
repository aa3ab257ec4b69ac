//! The integration-test binary: each module drives real artifacts (process, bundle, proto files).

mod access_e2e;
mod big_inputs;
mod bundle;
mod crash_e2e;
mod devhost_e2e;
mod faults;
mod fresh_host;
mod incidents_e2e;
mod limits;
mod netrpc;
mod openapi;
mod playbooks_e2e;
mod plugin_process;
mod privacy;
mod proto_drift;
mod reminders_e2e;
mod rest_props;
mod review_e2e;
mod rhs_actions;
mod scenarios;
mod webhooks_e2e;
