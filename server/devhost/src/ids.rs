//! Mattermost-style identifiers (26 lowercase `[a-z0-9]` characters) and the millisecond clock.

use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
static SEQ: AtomicU64 = AtomicU64::new(0);

/// Milliseconds since the Unix epoch, as Mattermost stores times.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)).unwrap_or(0)
}

/// A fresh 26-character id from randomly keyed hashing of the clock and a process-wide counter.
pub fn new_id() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    let mut out = String::with_capacity(26);
    let mut word = 0u64;
    let mut left = 0u32;
    let mut round = 0u64;
    while out.len() < 26 {
        if left < 6 {
            // RandomState::new() is keyed from OS randomness once per thread and then incremented.
            let mut h = RandomState::new().build_hasher();
            h.write_u128(nanos);
            h.write_u64(seq);
            h.write_u64(round);
            word = h.finish();
            left = 64;
            round += 1;
        }
        let idx = usize::try_from(word % 36).unwrap_or(0);
        out.push(char::from(ALPHABET[idx]));
        word /= 36;
        left -= 6;
    }
    out
}

/// True for a well-formed 26-character id.
pub fn is_valid_id(id: &str) -> bool {
    id.len() == 26 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}
