//! Bounded retries with backoff, waiting on a [`Clock`] (so tests drive them with a [`crate::ManualClock`]). Used for
//! outgoing webhooks: a receiver that is down gets a few more chances, then the caller records the failure.

use incident_core::Timestamp;

use crate::Clock;

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt<T, E> {
    /// Success: stop.
    Done(T),
    /// A failure worth another try (connection refused, timeout, 5xx).
    Retry(E),
    /// A failure no retry will fix (4xx): stop.
    GiveUp(E),
}

/// The final result and how many attempts it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome<T, E> {
    /// The last attempt's result.
    pub result: Result<T, E>,
    /// How many attempts ran (1 ..= delays + 1).
    pub attempts: usize,
}

/// Runs `attempt` until it is done or gives up, waiting `delays_ms[i]` after the (i+1)-th retryable failure; at
/// most `delays_ms.len() + 1` attempts.
pub async fn with_backoff<T, E, F, Fut>(clock: &dyn Clock, delays_ms: &[u64], mut attempt: F) -> Outcome<T, E>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Attempt<T, E>>,
{
    let mut n = 0;
    loop {
        n += 1;
        match attempt(n).await {
            Attempt::Done(v) => return Outcome { result: Ok(v), attempts: n },
            Attempt::GiveUp(e) => return Outcome { result: Err(e), attempts: n },
            Attempt::Retry(e) => match delays_ms.get(n - 1) {
                None => return Outcome { result: Err(e), attempts: n },
                Some(ms) => {
                    let at = Timestamp(clock.now().millis().saturating_add(i64::try_from(*ms).unwrap_or(i64::MAX)));
                    clock.sleep_until(at).await;
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::ManualClock;

    /// Advances the manual clock whenever the retry loop is asleep, and records when each attempt ran.
    async fn run(results: Vec<Attempt<u16, &'static str>>) -> (Outcome<u16, &'static str>, Vec<i64>) {
        let clock = ManualClock::new(0);
        let times = Arc::new(std::sync::Mutex::new(Vec::new()));
        let calls = Arc::new(AtomicUsize::new(0));
        let (c, t, k) = (clock.clone(), times.clone(), calls.clone());
        let task = tokio::spawn(async move {
            with_backoff(&*c, &[500, 2_000, 8_000], |n| {
                let (c, t, k, r) = (c.clone(), t.clone(), k.clone(), results[n - 1].clone());
                async move {
                    t.lock().unwrap().push(c.now().millis());
                    k.fetch_add(1, Ordering::SeqCst);
                    r
                }
            })
            .await
        });
        while !task.is_finished() {
            tokio::task::yield_now().await;
            clock.advance(100);
        }
        let outcome = task.await.unwrap();
        let times = times.lock().unwrap().clone();
        (outcome, times)
    }

    #[tokio::test]
    async fn retries_with_growing_pauses_until_done() {
        let (outcome, times) = run(vec![Attempt::Retry("503"), Attempt::Retry("refused"), Attempt::Done(200)]).await;
        assert_eq!(outcome, Outcome { result: Ok(200), attempts: 3 });
        assert_eq!(times.len(), 3);
        assert!(times[1] - times[0] >= 500 && times[2] - times[1] >= 2_000, "{times:?}");
    }

    #[tokio::test]
    async fn gives_up_after_the_last_delay_or_at_once_when_told() {
        let (outcome, times) =
            run(vec![Attempt::Retry("a"), Attempt::Retry("b"), Attempt::Retry("c"), Attempt::Retry("d")]).await;
        assert_eq!((outcome.result, outcome.attempts, times.len()), (Err("d"), 4, 4));
        let (outcome, times) = run(vec![Attempt::Retry("503"), Attempt::GiveUp("404")]).await;
        assert_eq!((outcome.result, outcome.attempts, times.len()), (Err("404"), 2, 2));
    }
}
