//! Logging to stderr in hclog's JSON form, so the Mattermost server keeps each line's level and fields.
//!
//! stdout belongs to the go-plugin handshake; nothing here ever writes to it.

use serde_json::{Map, Value};
use std::io::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Installs the stderr JSON logger; `RUST_LOG` filters (default `info`). Safe to call twice.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::registry().with(filter).with(HclogLayer).try_init();
}

struct HclogLayer;

impl<S: Subscriber> Layer<S> for HclogLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = FieldsVisitor(Map::new());
        event.record(&mut fields);
        let line = format_line(*event.metadata().level(), event.metadata().target(), fields.0, SystemTime::now());
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{line}");
    }
}

struct FieldsVisitor(Map<String, Value>);

impl Visit for FieldsVisitor {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), Value::String(format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), Value::String(value.to_owned()));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_owned(), Value::from(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), Value::from(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_owned(), Value::from(value));
    }
}

/// One hclog JSON line: `@level`, `@message`, `@timestamp`, `@module`, then the event's own fields.
pub fn format_line(level: Level, target: &str, mut fields: Map<String, Value>, now: SystemTime) -> String {
    let message = fields.remove("message").unwrap_or(Value::String(String::new()));
    let mut out = Map::new();
    let level = match level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    };
    out.insert("@level".into(), level.into());
    out.insert("@message".into(), message);
    out.insert("@timestamp".into(), timestamp(now).into());
    out.insert("@module".into(), target.into());
    out.extend(fields);
    Value::Object(out).to_string()
}

/// hclog's time format, `2006-01-02T15:04:05.000000Z07:00`, in UTC.
pub fn timestamp(now: SystemTime) -> String {
    let d = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, day) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        d.subsec_micros()
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_follow_hclog_format() {
        let t = UNIX_EPOCH + Duration::from_micros(1_764_084_245_123_456);
        assert_eq!(timestamp(t), "2025-11-25T15:24:05.123456Z");
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000000Z");
        // A leap day.
        assert_eq!(timestamp(UNIX_EPOCH + Duration::from_secs(951_782_400)), "2000-02-29T00:00:00.000000Z");
    }

    #[test]
    fn line_carries_level_message_and_fields() {
        let mut fields = Map::new();
        fields.insert("message".into(), "activated".into());
        fields.insert("nodes".into(), 3.into());
        let line = format_line(Level::WARN, "incident", fields, UNIX_EPOCH);
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["@level"], "warn");
        assert_eq!(v["@message"], "activated");
        assert_eq!(v["nodes"], 3);
        assert_eq!(v["@module"], "incident");
    }
}
