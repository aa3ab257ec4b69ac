//! Fresh ids in Mattermost's shape (26 characters of `[a-z0-9]`) and the clock, read once per request at the edge.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use incident_core::Timestamp;

const ALPHABET: &[u8; 32] = b"abcdefghijkmnopqrstuvwxyz2345678";

/// Random ids from the process's randomly seeded hasher, a counter and the time (unique, not secret).
pub struct RandomIds {
    seed: RandomState,
    counter: AtomicU64,
}

impl RandomIds {
    pub fn new() -> Self {
        RandomIds { seed: RandomState::new(), counter: AtomicU64::new(0) }
    }

    fn word(&self, n: u64, lane: u64) -> u64 {
        let mut h = self.seed.build_hasher();
        h.write_u64(n);
        h.write_u64(lane);
        h.write_i64(now().millis());
        h.finish()
    }
}

impl incident_app::Ids for RandomIds {
    fn new_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut bits = (u128::from(self.word(n, 0)) << 64) | u128::from(self.word(n, 1));
        (0..26)
            .map(|_| {
                let c = ALPHABET[(bits & 31) as usize] as char;
                bits >>= 5;
                c
            })
            .collect()
    }
}

/// Now, in ms since the epoch. The only clock read of the plugin.
pub fn now() -> Timestamp {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    Timestamp(i64::try_from(ms).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use incident_app::Ids;

    #[test]
    fn ids_are_valid_and_distinct() {
        let ids = RandomIds::new();
        let a = ids.new_id();
        let b = ids.new_id();
        assert_ne!(a, b);
        assert!(incident_core::IncidentId::try_from(a.as_str()).is_ok(), "{a}");
    }
}
