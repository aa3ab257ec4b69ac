//! go-plugin's MuxBroker over our yamux session: streams named by a `u32` id instead of by yamux id.
//!
//! `dial(id)` opens a stream, writes `id` (u32 little-endian) and waits for the same 4 bytes back.
//! Streams the host opens (after the first three) start with such an id; `accept(id)` claims one,
//! waiting at most 5 s as go-plugin does, and acknowledges it. Each side counts its own ids.

use super::yamux::{Session, Stream, YamuxError};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;

/// go-plugin's wait for the other side of a brokered connection.
pub const BROKER_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a brokered connection could not be made.
#[derive(Debug, thiserror::Error)]
pub enum BrokerError {
    #[error("broker: {0}")]
    Yamux(#[from] YamuxError),
    #[error("broker: stream {0} was not opened by the host within 5 s")]
    AcceptTimeout(u32),
    #[error("broker: bad ack {got} for stream {expected}")]
    BadAck { expected: u32, got: u32 },
}

enum Pending {
    Waiting(oneshot::Sender<Stream>),
    Arrived(Stream),
}

/// The plugin's MuxBroker.
pub struct Broker {
    session: Arc<Session>,
    next_id: AtomicU32,
    pending: Arc<Mutex<HashMap<u32, Pending>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Broker {
    pub fn new(session: Arc<Session>) -> Arc<Self> {
        Arc::new(Self { session, next_id: AtomicU32::new(0), pending: Arc::default() })
    }

    pub fn session(&self) -> &Arc<Session> {
        &self.session
    }

    /// A fresh id for a stream we will `accept`.
    pub fn next_id(&self) -> u32 {
        self.next_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Reads the id off every stream the host opens from now on and parks it for `accept`.
    pub async fn run(self: Arc<Self>) {
        while let Some(mut stream) = self.session.accept().await {
            let pending = self.pending.clone();
            tokio::spawn(async move {
                let Ok(raw) = stream.read_exact(4).await else { return };
                let id = u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]);
                let parked = {
                    let mut table = lock(&pending);
                    match table.remove(&id) {
                        Some(Pending::Waiting(tx)) => {
                            let _ = tx.send(stream);
                            false
                        }
                        _ => {
                            table.insert(id, Pending::Arrived(stream));
                            true
                        }
                    }
                };
                if parked {
                    // Unclaimed streams are dropped (closed) after the same 5 s.
                    tokio::time::sleep(BROKER_TIMEOUT).await;
                    let mut table = lock(&pending);
                    if matches!(table.get(&id), Some(Pending::Arrived(_))) {
                        table.remove(&id);
                    }
                }
            });
        }
    }

    /// Claims the stream the host opened for `id` and acknowledges it.
    pub async fn accept(&self, id: u32) -> Result<Stream, BrokerError> {
        let arrived = {
            let mut table = lock(&self.pending);
            match table.remove(&id) {
                Some(Pending::Arrived(stream)) => Ok(stream),
                _ => {
                    let (tx, rx) = oneshot::channel();
                    table.insert(id, Pending::Waiting(tx));
                    Err(rx)
                }
            }
        };
        let rx = match arrived {
            Ok(stream) => return ack(stream, id).await,
            Err(rx) => rx,
        };
        match tokio::time::timeout(BROKER_TIMEOUT, rx).await {
            Ok(Ok(stream)) => ack(stream, id).await,
            _ => {
                lock(&self.pending).remove(&id);
                Err(BrokerError::AcceptTimeout(id))
            }
        }
    }

    /// Connects to the stream the host reserved as `id`.
    pub async fn dial(&self, id: u32) -> Result<Stream, BrokerError> {
        let mut stream = self.session.open()?;
        stream.write_all(&id.to_le_bytes()).await?;
        let raw = stream.read_exact(4).await?;
        let got = u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]);
        if got != id {
            return Err(BrokerError::BadAck { expected: id, got });
        }
        Ok(stream)
    }
}

async fn ack(stream: Stream, id: u32) -> Result<Stream, BrokerError> {
    stream.write_all(&id.to_le_bytes()).await?;
    Ok(stream)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netrpc::yamux::Role;

    #[tokio::test]
    async fn dial_and_accept_meet_by_id_whichever_comes_first() {
        let (a, b) = tokio::io::duplex(64 * 1024);
        let host = Broker::new(Arc::new(Session::new(a, Role::Client)));
        let plugin = Broker::new(Arc::new(Session::new(b, Role::Server)));
        tokio::spawn(host.clone().run());
        tokio::spawn(plugin.clone().run());

        // The host reserves, the plugin dials (OnActivate's API stream).
        let id = host.next_id();
        let accepting = tokio::spawn({
            let host = host.clone();
            async move { host.accept(id).await }
        });
        let mut dialed = plugin.dial(id).await.unwrap();
        let accepted = accepting.await.unwrap().unwrap();
        accepted.write_all(b"ok").await.unwrap();
        assert_eq!(&dialed.read_exact(2).await.unwrap()[..], b"ok");

        // The plugin reserves, the host dials first and the plugin accepts later (Dispense).
        let id = plugin.next_id();
        assert_eq!(id, 1, "ids repeat across directions, as in go-plugin");
        let host2 = host.clone();
        let dialing = tokio::spawn(async move { host2.dial(id).await });
        let mut accepted = plugin.accept(id).await.unwrap();
        let dialed = dialing.await.unwrap().unwrap();
        dialed.write_all(b"hi").await.unwrap();
        assert_eq!(&accepted.read_exact(2).await.unwrap()[..], b"hi");
    }
}
