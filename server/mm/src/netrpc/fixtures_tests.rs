//! Byte transcripts of net/rpc messages: `go_*.hex` were written by Go's `encoding/gob` (the test host's
//! `-fixtures` mode) and must decode here; `rust_*.hex` are what we send, pinned so a codec change that
//! alters the wire fails fast (the integration test has Go decode them). `NETRPC_BLESS=1` rewrites them.

use super::calls::{ErrorReturns, ExecuteCommandArgs, ServeHttpArgs, Z1, Z2, Z3};
use super::codec::{RequestHeader, ResponseHeader};
use super::dynamic::interface_to_json;
use super::gomodel::*;
use crate::model::{self, AppError};
use gobwire::{Decode, Encode, Interface, Progress};
use serde_json::json;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/netrpc/fixtures")
}

fn load(name: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(dir().join(format!("{name}.hex"))).expect("fixture present");
    let t = text.trim();
    (0..t.len()).step_by(2).map(|i| u8::from_str_radix(&t[i..i + 2], 16).expect("hex")).collect()
}

/// Splits a gob stream into values: each decoded in turn by `take`.
struct Values {
    bytes: Vec<u8>,
    pos: usize,
    decoder: gobwire::Decoder,
}

impl Values {
    fn new(name: &str) -> Self {
        Self { bytes: load(name), pos: 0, decoder: gobwire::Decoder::new() }
    }

    fn take<T: Decode + Default>(&mut self) -> T {
        loop {
            let rest = &self.bytes[self.pos..];
            let (width, len) = gobwire::parse_length_prefix(rest).unwrap().expect("another message");
            self.pos += width + len;
            if self.decoder.push_message(&rest[width..width + len]).unwrap() == Progress::Ready {
                return self.decoder.decode().unwrap();
            }
        }
    }

    fn done(&self) {
        assert_eq!(self.pos, self.bytes.len(), "trailing bytes");
    }
}

#[test]
fn go_execute_command_call_decodes_skipping_session_and_mentions() {
    let mut v = Values::new("go_execute_command_call");
    let head: RequestHeader = v.take();
    assert_eq!((head.service_method.as_str(), head.seq), ("Plugin.ExecuteCommand", 7));
    let args: ExecuteCommandArgs = v.take();
    v.done();
    let ctx = args.a.unwrap();
    assert_eq!((ctx.session_id.as_str(), ctx.ip_address.as_str()), ("s1", "10.0.0.1"));
    let cmd: model::CommandArgs = args.b.unwrap().into();
    assert_eq!(cmd.command, "/incident help");
    assert_eq!((cmd.user_id.as_str(), cmd.channel_id.as_str(), cmd.team_id.as_str()), ("u1", "c1", "t1"));
    assert_eq!((cmd.trigger_id.as_str(), cmd.site_url.as_str()), ("tr1", "http://localhost:8065"));
}

#[test]
fn go_errors_arrive_as_registered_interfaces() {
    let mut v = Values::new("go_on_activate_app_error");
    let r: ErrorReturns = v.take();
    v.done();
    let e = r.a.expect("an error");
    assert_eq!(e.name, "*model.AppError");
    let e = error_from_interface(&e);
    assert_eq!((e.id.as_str(), e.message.as_str(), e.status_code), ("x.y", "m", 500));
    assert_eq!((e.detailed_error.as_str(), e.r#where.as_str()), ("d", "OnActivate"));

    let mut v = Values::new("go_on_activate_error_string");
    let e = v.take::<ErrorReturns>().a.expect("an error");
    assert_eq!(e.name, "*plugin.ErrorString");
    assert_eq!(error_from_interface(&e).message, "sql: no rows");
}

#[test]
fn go_serve_http_args_carry_url_headers_and_stream_ids() {
    let mut v = Values::new("go_serve_http_args");
    let a: ServeHttpArgs = v.take();
    v.done();
    assert_eq!((a.response_writer_stream, a.request_body_stream), (3, 4));
    assert_eq!(a.context.unwrap().request_id, "r1");
    let r = a.request.unwrap();
    assert_eq!(r.method, "POST");
    assert_eq!(r.url.0, b"/api/v0/incidents?x=1");
    assert_eq!((r.proto.as_str(), r.proto_major, r.proto_minor), ("HTTP/1.1", 1, 1));
    assert_eq!(r.header["Mattermost-User-Id"], ["u1"]);
    assert_eq!((r.host.as_str(), r.remote_addr.as_str()), ("localhost", "127.0.0.1:5555"));
}

#[test]
fn go_results_with_props_and_app_errors_decode() {
    let mut v = Values::new("go_channel_returns");
    let r: Z2<Option<GoChannel>, Option<GoAppError>> = v.take();
    v.done();
    assert!(r.b.is_none());
    let c: model::Channel = r.a.unwrap().into();
    assert_eq!((c.id.as_str(), c.r#type, c.display_name.as_str()), ("c1", model::ChannelType::Private, "War room"));
    assert_eq!(c.create_at, 1_700_000_000_000);

    let mut v = Values::new("go_not_found_returns");
    let r: Z2<Option<GoChannel>, Option<GoAppError>> = v.take();
    assert!(r.a.is_none());
    let e: AppError = r.b.unwrap().into();
    assert_eq!((e.id.as_str(), e.status_code), ("app.not_found", 404));
}

#[test]
fn go_any_slices_and_nested_maps_become_json() {
    let mut v = Values::new("go_log_args");
    let r: Z2<String, Vec<Option<Interface>>> = v.take();
    v.done();
    assert_eq!(r.a, "hello");
    let names: Vec<&str> = r.b.iter().map(|i| i.as_ref().unwrap().name.as_str()).collect();
    assert_eq!(names, ["string", "string", "string", "int", "string", "map[string]interface {}"]);
    let values: Vec<_> = r.b.iter().map(|i| interface_to_json(i.as_ref().unwrap())).collect();
    assert_eq!(serde_json::Value::from(values), json!(["k", "v", "n", 3, "nested", {"a": [true, 1.5]}]));
}

#[test]
fn go_time_values_decode_as_go_time() {
    let mut v = Values::new("go_time");
    let t: gobwire::GoTime = v.take();
    v.done();
    // 2024-01-02T03:04:05.000000006Z
    assert_eq!((t.unix(), t.nsec), (1_704_164_645, 6));
}

/// Our messages, header then body, exactly as the net/rpc codec writes them on a fresh stream.
fn ours() -> Vec<(&'static str, Vec<u8>)> {
    fn pair(head: &(dyn Encode + Sync), body: &(dyn Encode + Sync)) -> Vec<u8> {
        let mut enc = gobwire::Encoder::new();
        let mut out = Vec::new();
        enc.encode_into(head, &mut out).unwrap();
        enc.encode_into(body, &mut out).unwrap();
        out
    }
    let response = |m: &str, seq| ResponseHeader { service_method: m.into(), seq, error: String::new() };
    let request = |m: &str, seq| RequestHeader { service_method: m.into(), seq };
    let boom = AppError::new("incident.activate.failed", "boom", 500);
    let mut props = serde_json::Map::new();
    props.insert("from".into(), json!("probe"));
    let post = model::Post { channel_id: "town-square".into(), message: "hello".into(), props, ..Default::default() };
    let mut header = std::collections::BTreeMap::new();
    header.insert("Content-Type".to_owned(), vec!["application/json".to_owned()]);
    let reply = GoCommandResponse::from(model::CommandResponse::ephemeral("hi"));
    vec![
        (
            "rust_on_activate_reply",
            pair(&response("Plugin.OnActivate", 1), &ErrorReturns { a: error_interface(boom.clone()) }),
        ),
        (
            "rust_execute_command_reply",
            pair(&response("Plugin.ExecuteCommand", 2), &Z2 { a: Some(reply), b: None::<GoAppError> }),
        ),
        (
            "rust_execute_command_error",
            pair(
                &response("Plugin.ExecuteCommand", 3),
                &Z2 { a: None::<GoCommandResponse>, b: Some(GoAppError::from(boom)) },
            ),
        ),
        (
            "rust_implemented_reply",
            pair(&response("Plugin.Implemented", 0), &vec!["OnActivate".to_owned(), "ExecuteCommand".to_owned()]),
        ),
        ("rust_create_post_call", pair(&request("Plugin.CreatePost", 4), &Z1 { a: Some(GoPost::from(post)) })),
        (
            "rust_kv_set_with_options_call",
            pair(
                &request("Plugin.KVSetWithOptions", 5),
                &Z3 {
                    a: "k1".to_owned(),
                    b: b"v2".to_vec(),
                    c: GoKvSetOptions { atomic: true, old_value: b"v1".to_vec(), expire_in_seconds: 60 },
                },
            ),
        ),
        (
            "rust_log_call",
            pair(
                &request("Plugin.LogInfo", 6),
                &Z2 { a: "hello".to_owned(), b: vec![Some(Interface::string("k")), Some(Interface::string("v"))] },
            ),
        ),
        ("rust_sync_header_call", pair(&request("Plugin.SyncHeader", 0), &header)),
    ]
}

#[test]
fn our_messages_match_the_committed_transcripts() {
    let bless = std::env::var_os("NETRPC_BLESS").is_some();
    for (name, bytes) in ours() {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let path = dir().join(format!("{name}.hex"));
        if bless {
            std::fs::write(&path, format!("{hex}\n")).unwrap();
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            committed.trim(),
            hex,
            "{name}: the bytes we send changed; if intended, rerun with NETRPC_BLESS=1 and the Go check"
        );
    }
}
