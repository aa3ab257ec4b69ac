//! A hashicorp/yamux session over one byte stream, as go-plugin uses it (`hashicorp/yamux:spec.md`).
//!
//! Frames carry a 12-byte big-endian header: version 0, type (Data, WindowUpdate, Ping, GoAway), flags
//! (SYN, ACK, FIN, RST), stream id, length. Each stream starts with a 256 KiB window in both directions;
//! we never send more than the peer granted, and grant more as the application consumes what it read.
//! The plugin is the yamux *server*: the host opens odd-numbered streams, we open even-numbered ones.

use bytes::Bytes;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufWriter};
use tokio::sync::{Notify, mpsc, watch};

/// The window every stream starts with (yamux `initialStreamWindow`).
pub const INITIAL_WINDOW: u32 = 256 * 1024;
/// The largest Data frame payload we send.
const MAX_FRAME: usize = 64 * 1024;
const HEADER_LEN: usize = 12;

const TYPE_DATA: u8 = 0;
const TYPE_WINDOW_UPDATE: u8 = 1;
const TYPE_PING: u8 = 2;
const TYPE_GO_AWAY: u8 = 3;

const SYN: u16 = 1;
const ACK: u16 = 2;
const FIN: u16 = 4;
const RST: u16 = 8;

/// Why a session or stream operation failed.
#[derive(Debug, thiserror::Error)]
pub enum YamuxError {
    #[error("yamux: unsupported protocol version {0}")]
    Version(u8),
    #[error("yamux: unknown frame type {0}")]
    FrameType(u8),
    #[error("yamux: the peer overran the receive window of stream {0}")]
    WindowExceeded(u32),
    #[error("yamux: the session is closed")]
    SessionClosed,
    #[error("yamux: stream {0} was reset by the peer")]
    Reset(u32),
    #[error("yamux: stream {0} is closed for writing")]
    WriteClosed(u32),
    #[error("yamux: stream {0} ended before {1} more bytes arrived")]
    UnexpectedEof(u32, usize),
    #[error("yamux i/o: {0}")]
    Io(#[from] std::io::Error),
}

/// Which end of the session we are: it decides the parity of the stream ids we open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Client,
    Server,
}

fn header(kind: u8, flags: u16, stream: u32, length: u32) -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    h[1] = kind;
    h[2..4].copy_from_slice(&flags.to_be_bytes());
    h[4..8].copy_from_slice(&stream.to_be_bytes());
    h[8..12].copy_from_slice(&length.to_be_bytes());
    h
}

enum Out {
    Frame(Bytes),
    /// Flush and shut the write half down.
    Shutdown,
}

struct SendState {
    window: u32,
    local_closed: bool,
    reset: bool,
}

/// What the session and both halves of a stream share.
struct StreamShared {
    id: u32,
    /// Where the reader task delivers payloads; `None` once the peer sent FIN or RST.
    inbound: Mutex<Option<mpsc::UnboundedSender<Bytes>>>,
    send: Mutex<SendState>,
    send_ready: Notify,
    /// Bytes the peer may still send before it needs a window update from us.
    recv_budget: AtomicI64,
}

struct Inner {
    out: mpsc::UnboundedSender<Out>,
    streams: Mutex<HashMap<u32, Arc<StreamShared>>>,
    next_id: AtomicU32,
    closed: AtomicBool,
    closed_tx: watch::Sender<bool>,
}

impl Inner {
    fn send(&self, frame: Bytes) -> Result<(), YamuxError> {
        if self.closed.load(Ordering::Acquire) {
            return Err(YamuxError::SessionClosed);
        }
        self.out.send(Out::Frame(frame)).map_err(|_| YamuxError::SessionClosed)
    }

    fn control(&self, kind: u8, flags: u16, stream: u32, length: u32) -> Result<(), YamuxError> {
        self.send(Bytes::copy_from_slice(&header(kind, flags, stream, length)))
    }

    fn register(self: &Arc<Self>, id: u32) -> Stream {
        let (tx, rx) = mpsc::unbounded_channel();
        let shared = Arc::new(StreamShared {
            id,
            inbound: Mutex::new(Some(tx)),
            send: Mutex::new(SendState { window: INITIAL_WINDOW, local_closed: false, reset: false }),
            send_ready: Notify::new(),
            recv_budget: AtomicI64::new(i64::from(INITIAL_WINDOW)),
        });
        lock(&self.streams).insert(id, shared.clone());
        let guard = Arc::new(Guard { shared: shared.clone(), inner: self.clone() });
        Stream {
            reader: StreamReader { guard: guard.clone(), rx, pending: Bytes::new(), unacked: 0 },
            writer: StreamWriter { guard },
        }
    }

    /// Ends the session: every reader sees EOF, every writer an error, `accept` returns `None`.
    fn shut(&self) {
        if self.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        let streams: Vec<_> = lock(&self.streams).drain().map(|(_, s)| s).collect();
        for s in streams {
            lock(&s.inbound).take();
            lock(&s.send).reset = true;
            s.send_ready.notify_waiters();
        }
        let _ = self.out.send(Out::Shutdown);
        let _ = self.closed_tx.send(true);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One yamux session. Cheap to share behind an `Arc`.
pub struct Session {
    inner: Arc<Inner>,
    accept: tokio::sync::Mutex<mpsc::UnboundedReceiver<Stream>>,
    closed_rx: watch::Receiver<bool>,
}

impl Session {
    /// Starts the reader and writer tasks over `io`.
    pub fn new<T: AsyncRead + AsyncWrite + Send + 'static>(io: T, role: Role) -> Self {
        let (read, write) = tokio::io::split(io);
        let (out_tx, out_rx) = mpsc::unbounded_channel();
        let (accept_tx, accept_rx) = mpsc::unbounded_channel();
        let (closed_tx, closed_rx) = watch::channel(false);
        let inner = Arc::new(Inner {
            out: out_tx,
            streams: Mutex::new(HashMap::new()),
            next_id: AtomicU32::new(if role == Role::Client { 1 } else { 2 }),
            closed: AtomicBool::new(false),
            closed_tx,
        });
        tokio::spawn(write_loop(write, out_rx));
        let reader_inner = inner.clone();
        tokio::spawn(async move {
            if let Err(e) = read_loop(read, &reader_inner, accept_tx).await {
                tracing::debug!(error = %e, "yamux session ended");
            }
            reader_inner.shut();
        });
        Self { inner, accept: tokio::sync::Mutex::new(accept_rx), closed_rx }
    }

    /// The next stream the peer opened; `None` once the session is over.
    pub async fn accept(&self) -> Option<Stream> {
        self.accept.lock().await.recv().await
    }

    /// Opens a stream (SYN on a window update, as go's yamux does).
    pub fn open(&self) -> Result<Stream, YamuxError> {
        let id = self.inner.next_id.fetch_add(2, Ordering::Relaxed);
        let stream = self.inner.register(id);
        self.inner.control(TYPE_WINDOW_UPDATE, SYN, id, 0)?;
        Ok(stream)
    }

    /// Sends GoAway and closes the session.
    pub fn close(&self) {
        let _ = self.inner.control(TYPE_GO_AWAY, 0, 0, 0);
        self.inner.shut();
    }

    /// Resolves when the session has ended (EOF, GoAway, error or `close`).
    pub async fn closed(&self) {
        let mut rx = self.closed_rx.clone();
        let _ = rx.wait_for(|c| *c).await;
    }

    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::Acquire)
    }
}

async fn write_loop<W: AsyncWrite + Unpin>(write: W, mut rx: mpsc::UnboundedReceiver<Out>) {
    let mut w = BufWriter::with_capacity(MAX_FRAME + HEADER_LEN, write);
    'outer: while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        while let Some(out) = next.take() {
            match out {
                Out::Frame(bytes) => {
                    if w.write_all(&bytes).await.is_err() {
                        break 'outer;
                    }
                }
                Out::Shutdown => {
                    let _ = w.flush().await;
                    let _ = w.shutdown().await;
                    break 'outer;
                }
            }
            next = rx.try_recv().ok();
        }
        if w.flush().await.is_err() {
            break;
        }
    }
}

async fn read_loop<R: AsyncRead + Unpin>(
    mut read: R,
    inner: &Arc<Inner>,
    accept: mpsc::UnboundedSender<Stream>,
) -> Result<(), YamuxError> {
    let mut h = [0u8; HEADER_LEN];
    loop {
        read.read_exact(&mut h).await?;
        if h[0] != 0 {
            return Err(YamuxError::Version(h[0]));
        }
        let kind = h[1];
        let flags = u16::from_be_bytes([h[2], h[3]]);
        let id = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
        let length = u32::from_be_bytes([h[8], h[9], h[10], h[11]]);
        match kind {
            TYPE_DATA | TYPE_WINDOW_UPDATE => {
                if flags & SYN != 0 && !lock(&inner.streams).contains_key(&id) {
                    let stream = inner.register(id);
                    inner.control(TYPE_WINDOW_UPDATE, ACK, id, 0)?;
                    let _ = accept.send(stream);
                }
                let shared = lock(&inner.streams).get(&id).cloned();
                if kind == TYPE_DATA {
                    let mut payload = vec![0u8; length as usize];
                    read.read_exact(&mut payload).await?;
                    if let Some(s) = &shared {
                        if s.recv_budget.fetch_sub(i64::from(length), Ordering::AcqRel) < i64::from(length) {
                            return Err(YamuxError::WindowExceeded(id));
                        }
                        if let Some(tx) = lock(&s.inbound).as_ref() {
                            let _ = tx.send(Bytes::from(payload));
                        }
                    }
                } else if let Some(s) = &shared {
                    let mut send = lock(&s.send);
                    send.window = send.window.saturating_add(length);
                    drop(send);
                    s.send_ready.notify_waiters();
                }
                if let Some(s) = shared
                    && flags & (FIN | RST) != 0
                {
                    lock(&s.inbound).take();
                    let mut send = lock(&s.send);
                    if flags & RST != 0 {
                        send.reset = true;
                    }
                    let done = send.local_closed || send.reset;
                    drop(send);
                    s.send_ready.notify_waiters();
                    if done {
                        lock(&inner.streams).remove(&id);
                    }
                }
            }
            TYPE_PING => {
                if flags & SYN != 0 {
                    inner.control(TYPE_PING, ACK, 0, length)?;
                }
            }
            TYPE_GO_AWAY => return Ok(()),
            other => return Err(YamuxError::FrameType(other)),
        }
    }
}

/// Closes the stream (FIN) when both halves are gone.
struct Guard {
    shared: Arc<StreamShared>,
    inner: Arc<Inner>,
}

impl Guard {
    fn close(&self) {
        let mut send = lock(&self.shared.send);
        if send.local_closed || send.reset {
            return;
        }
        send.local_closed = true;
        drop(send);
        let _ = self.inner.control(TYPE_WINDOW_UPDATE, FIN, self.shared.id, 0);
        if lock(&self.shared.inbound).is_none() {
            lock(&self.inner.streams).remove(&self.shared.id);
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.close();
    }
}

/// A yamux stream; split it to read and write from different tasks.
pub struct Stream {
    reader: StreamReader,
    writer: StreamWriter,
}

impl Stream {
    pub fn id(&self) -> u32 {
        self.writer.guard.shared.id
    }

    pub fn into_split(self) -> (StreamReader, StreamWriter) {
        (self.reader, self.writer)
    }

    pub async fn read_exact(&mut self, n: usize) -> Result<Bytes, YamuxError> {
        self.reader.read_exact(n).await
    }

    pub async fn write_all(&self, data: &[u8]) -> Result<(), YamuxError> {
        self.writer.write_all(data).await
    }
}

/// The receiving half of a stream.
pub struct StreamReader {
    guard: Arc<Guard>,
    rx: mpsc::UnboundedReceiver<Bytes>,
    pending: Bytes,
    /// Bytes consumed since the last window update we sent.
    unacked: u32,
}

impl StreamReader {
    /// The next bytes available, at most `max`; `None` at the end of the stream.
    pub async fn read_some(&mut self, max: usize) -> Option<Bytes> {
        if self.pending.is_empty() {
            let chunk = self.rx.recv().await?;
            self.credit(chunk.len());
            self.pending = chunk;
        }
        let n = max.min(self.pending.len());
        Some(self.pending.split_to(n))
    }

    /// Exactly `n` bytes, or an error if the stream ends first.
    pub async fn read_exact(&mut self, n: usize) -> Result<Bytes, YamuxError> {
        if self.pending.len() >= n {
            return Ok(self.pending.split_to(n));
        }
        let mut buf = Vec::with_capacity(n);
        while buf.len() < n {
            match self.read_some(n - buf.len()).await {
                Some(chunk) => buf.extend_from_slice(&chunk),
                None => return Err(YamuxError::UnexpectedEof(self.guard.shared.id, n - buf.len())),
            }
        }
        Ok(Bytes::from(buf))
    }

    /// Grants the peer what we consumed once it reaches half a window (yamux's own threshold).
    fn credit(&mut self, n: usize) {
        self.unacked += n as u32;
        if self.unacked >= INITIAL_WINDOW / 2 {
            let delta = std::mem::take(&mut self.unacked);
            self.guard.shared.recv_budget.fetch_add(i64::from(delta), Ordering::AcqRel);
            let _ = self.guard.inner.control(TYPE_WINDOW_UPDATE, 0, self.guard.shared.id, delta);
        }
    }
}

/// The sending half of a stream. Clones write to the same stream; callers serialize whole messages.
#[derive(Clone)]
pub struct StreamWriter {
    guard: Arc<Guard>,
}

impl StreamWriter {
    /// Writes all of `data`, waiting for window updates as needed.
    pub async fn write_all(&self, mut data: &[u8]) -> Result<(), YamuxError> {
        let shared = &self.guard.shared;
        while !data.is_empty() {
            let ready = shared.send_ready.notified();
            tokio::pin!(ready);
            ready.as_mut().enable();
            let n = {
                let mut send = lock(&shared.send);
                if send.reset {
                    return Err(if self.guard.inner.closed.load(Ordering::Acquire) {
                        YamuxError::SessionClosed
                    } else {
                        YamuxError::Reset(shared.id)
                    });
                }
                if send.local_closed {
                    return Err(YamuxError::WriteClosed(shared.id));
                }
                let n = (send.window as usize).min(data.len()).min(MAX_FRAME);
                send.window -= n as u32;
                n
            };
            if n == 0 {
                ready.await;
                continue;
            }
            let mut frame = Vec::with_capacity(HEADER_LEN + n);
            frame.extend_from_slice(&header(TYPE_DATA, 0, shared.id, n as u32));
            frame.extend_from_slice(&data[..n]);
            self.guard.inner.send(Bytes::from(frame))?;
            data = &data[n..];
        }
        Ok(())
    }

    /// Half-closes the stream (FIN): the peer reads EOF after what we sent.
    pub fn close(&self) {
        self.guard.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (Session, Session) {
        let (a, b) = tokio::io::duplex(64 * 1024);
        (Session::new(a, Role::Client), Session::new(b, Role::Server))
    }

    #[test]
    fn header_layout_is_big_endian() {
        assert_eq!(header(TYPE_WINDOW_UPDATE, SYN, 3, 0x01020304), [0, 1, 0, 1, 0, 0, 0, 3, 1, 2, 3, 4]);
    }

    #[tokio::test]
    async fn streams_open_accept_and_carry_data_both_ways() {
        let (client, server) = pair();
        let mut c = client.open().unwrap();
        assert_eq!(c.id(), 1);
        c.write_all(b"hello").await.unwrap();
        let mut s = server.accept().await.unwrap();
        assert_eq!(&s.read_exact(5).await.unwrap()[..], b"hello");
        let s2 = server.open().unwrap();
        assert_eq!(s2.id(), 2);
        s2.write_all(b"x").await.unwrap();
        let mut c2 = client.accept().await.unwrap();
        assert_eq!(&c2.read_exact(1).await.unwrap()[..], b"x");
        s.write_all(b"back").await.unwrap();
        assert_eq!(&c.read_exact(4).await.unwrap()[..], b"back");
    }

    #[tokio::test]
    async fn bodies_larger_than_the_window_flow_through_updates() {
        let (client, server) = pair();
        let c = client.open().unwrap();
        let body: Vec<u8> = (0..(3 * INITIAL_WINDOW as usize + 17)).map(|i| (i % 251) as u8).collect();
        let sent = body.clone();
        let writer = tokio::spawn(async move {
            c.write_all(&sent).await.unwrap();
            c.writer.close();
            c
        });
        let s = server.accept().await.unwrap();
        let (mut r, _w) = s.into_split();
        let mut got = Vec::new();
        while let Some(chunk) = r.read_some(10_000).await {
            got.extend_from_slice(&chunk);
        }
        assert_eq!(got, body);
        writer.await.unwrap();
    }

    #[tokio::test]
    async fn pings_are_answered_and_go_away_ends_the_session() {
        let (a, b) = tokio::io::duplex(1024);
        let server = Session::new(b, Role::Server);
        let (mut read, mut write) = tokio::io::split(a);
        write.write_all(&header(TYPE_PING, SYN, 0, 77)).await.unwrap();
        let mut h = [0u8; HEADER_LEN];
        read.read_exact(&mut h).await.unwrap();
        assert_eq!(h, header(TYPE_PING, ACK, 0, 77));
        write.write_all(&header(TYPE_GO_AWAY, 0, 0, 0)).await.unwrap();
        server.closed().await;
        assert!(server.accept().await.is_none());
        assert!(server.open().is_err());
    }

    #[tokio::test]
    async fn fin_gives_eof_after_the_data() {
        let (client, server) = pair();
        let c = client.open().unwrap();
        c.write_all(b"abc").await.unwrap();
        drop(c);
        let mut s = server.accept().await.unwrap();
        assert_eq!(&s.read_exact(3).await.unwrap()[..], b"abc");
        assert!(matches!(s.read_exact(1).await, Err(YamuxError::UnexpectedEof(1, 1))));
    }
}
