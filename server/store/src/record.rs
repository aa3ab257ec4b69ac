//! Versioned records: every value is `{"v":<version>,"data":…}`, upgraded step by step on read.
//!
//! To change a record's shape: bump [`CURRENT`], add a step to [`upgrade`] that turns the previous shape's JSON into
//! the new one, and add a fixture of the old shape to the tests. Writes always use the current version; a node that
//! reads a version newer than it knows refuses to touch the record (rolling upgrades never downgrade data).

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The version every write uses.
pub const CURRENT: u32 = 1;

/// Why stored bytes could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The bytes are not a record of the expected shape.
    #[error("the stored value under {key} is unreadable: {reason}")]
    Corrupt {
        /// The key.
        key: String,
        /// What was wrong.
        reason: String,
    },
    /// Written by a newer plugin version.
    #[error("the stored value under {key} has version {version}, newer than this plugin knows ({CURRENT})")]
    TooNew {
        /// The key.
        key: String,
        /// Its version.
        version: u64,
    },
}

/// The bytes stored for `data`.
pub fn encode<T: Serialize>(data: &T) -> Vec<u8> {
    #[derive(Serialize)]
    struct Envelope<'a, T> {
        v: u32,
        data: &'a T,
    }
    // Serializing our own types to JSON cannot fail (no maps with non-string keys, no custom errors).
    serde_json::to_vec(&Envelope { v: CURRENT, data }).unwrap_or_default()
}

/// Reads a record, upgrading older versions first.
pub fn decode<T: DeserializeOwned>(key: &str, bytes: &[u8]) -> Result<T, RecordError> {
    let corrupt = |reason: String| RecordError::Corrupt { key: key.to_owned(), reason };
    let value: Value = serde_json::from_slice(bytes).map_err(|e| corrupt(e.to_string()))?;
    let (mut version, mut data) = match value {
        Value::Object(mut map) if map.contains_key("v") && map.contains_key("data") => {
            let version = map.get("v").and_then(Value::as_u64).ok_or_else(|| corrupt("`v` is not a number".into()))?;
            (version, map.remove("data").unwrap_or(Value::Null))
        }
        // Version 0: a bare value without envelope (never written by a release; kept as the first upgrade step).
        other => (0, other),
    };
    if version > u64::from(CURRENT) {
        return Err(RecordError::TooNew { key: key.to_owned(), version });
    }
    while version < u64::from(CURRENT) {
        data = upgrade(version, data);
        version += 1;
    }
    serde_json::from_value(data).map_err(|e| corrupt(e.to_string()))
}

/// Turns version `from` JSON into version `from + 1` JSON.
fn upgrade(from: u64, data: Value) -> Value {
    match from {
        // 0 → 1: the envelope itself; the data is unchanged.
        0 => data,
        _ => data,
    }
}

/// A small record: a list of incident ids (channel index, team index shard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct IdList<T> {
    /// The ids, oldest first.
    pub ids: Vec<T>,
}

impl<T> Default for IdList<T> {
    fn default() -> Self {
        IdList { ids: Vec::new() }
    }
}

/// A counter record (team incident numbers, message counts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Counter {
    /// The current value.
    pub value: u64,
}

/// The envelope as JSON, for tests and debugging.
pub fn envelope(data: Value) -> Value {
    json!({ "v": CURRENT, "data": data })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_in_an_envelope() {
        let bytes = encode(&Counter { value: 42 });
        assert_eq!(String::from_utf8(bytes.clone()).unwrap(), r#"{"v":1,"data":{"value":42}}"#);
        assert_eq!(decode::<Counter>("k", &bytes).unwrap(), Counter { value: 42 });
    }

    #[test]
    fn bare_version_zero_values_are_upgraded() {
        assert_eq!(decode::<Counter>("k", br#"{"value":7}"#).unwrap(), Counter { value: 7 });
    }

    #[test]
    fn newer_and_corrupt_values_are_refused_with_the_key() {
        let err = decode::<Counter>("tno_x", br#"{"v":2,"data":{"value":1}}"#).unwrap_err();
        assert_eq!(err.to_string(), "the stored value under tno_x has version 2, newer than this plugin knows (1)");
        let err = decode::<Counter>("tno_x", b"not json").unwrap_err();
        assert!(matches!(err, RecordError::Corrupt { .. }), "{err}");
        let err = decode::<Counter>("tno_x", br#"{"v":1,"data":{"value":"x"}}"#).unwrap_err();
        assert!(err.to_string().starts_with("the stored value under tno_x is unreadable"), "{err}");
    }
}
