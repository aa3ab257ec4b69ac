//! Time as plain data: the shell reads the clock once and passes `now` in, tests use a manual clock.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One minute in milliseconds.
pub const MINUTE_MS: u64 = 60_000;
/// One hour in milliseconds.
pub const HOUR_MS: u64 = 60 * MINUTE_MS;
/// One day in milliseconds.
pub const DAY_MS: u64 = 24 * HOUR_MS;

/// Milliseconds since the Unix epoch, as Mattermost stores `create_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Milliseconds since the epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// `self + ms`, clamped at the end of time instead of overflowing.
    pub fn saturating_add_ms(self, ms: u64) -> Timestamp {
        let ms = i64::try_from(ms).unwrap_or(i64::MAX);
        Timestamp(self.0.saturating_add(ms))
    }

    /// Milliseconds from `earlier` to `self`; zero when `earlier` is later (clock skew between nodes).
    pub fn since(self, earlier: Timestamp) -> u64 {
        u64::try_from(self.0.saturating_sub(earlier.0)).unwrap_or(0)
    }
}

/// A non-negative span of time, shown the way people say it ("2h 5m").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HumanDuration(pub u64);

impl fmt::Display for HumanDuration {
    /// Two most significant units: `3d 4h`, `2h 5m`, `7m`, `45s`, `0s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        let (d, h, m, s) = (ms / DAY_MS, ms % DAY_MS / HOUR_MS, ms % HOUR_MS / MINUTE_MS, ms % MINUTE_MS / 1000);
        match (d, h, m) {
            (0, 0, 0) => write!(f, "{s}s"),
            (0, 0, m) => write!(f, "{m}m"),
            (0, h, 0) => write!(f, "{h}h"),
            (0, h, m) => write!(f, "{h}h {m}m"),
            (d, 0, _) => write!(f, "{d}d"),
            (d, h, _) => write!(f, "{d}d {h}h"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturating_add_never_overflows() {
        assert_eq!(Timestamp(1).saturating_add_ms(2), Timestamp(3));
        assert_eq!(Timestamp(i64::MAX - 1).saturating_add_ms(10), Timestamp(i64::MAX));
        assert_eq!(Timestamp(0).saturating_add_ms(u64::MAX), Timestamp(i64::MAX));
    }

    #[test]
    fn since_clamps_negative_spans() {
        assert_eq!(Timestamp(10).since(Timestamp(4)), 6);
        assert_eq!(Timestamp(4).since(Timestamp(10)), 0);
    }

    #[test]
    fn human_durations() {
        let cases = [
            (0, "0s"),
            (45_000, "45s"),
            (7 * MINUTE_MS, "7m"),
            (2 * HOUR_MS, "2h"),
            (2 * HOUR_MS + 5 * MINUTE_MS + 30_000, "2h 5m"),
            (DAY_MS + 30 * MINUTE_MS, "1d"),
            (3 * DAY_MS + 4 * HOUR_MS + MINUTE_MS, "3d 4h"),
        ];
        for (ms, want) in cases {
            assert_eq!(HumanDuration(ms).to_string(), want, "{ms} ms");
        }
    }
}
