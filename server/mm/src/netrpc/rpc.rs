//! Go's net/rpc over one brokered stream: a server that runs every call as its own task (replies may
//! leave out of order, matched by `Seq`), and a client that multiplexes concurrent calls.

use super::codec::{CodecError, Empty, GobReader, GobWriter, RequestHeader, ResponseHeader};
use super::yamux::Stream;
use futures::future::BoxFuture;
use gobwire::{Decode, Encode};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RpcError {
    /// The other side answered with an error string (`rpc.ServerError`).
    #[error("{0}")]
    Remote(String),
    /// The stream or session ended before the answer.
    #[error("the connection to the Mattermost server is closed")]
    Closed,
    /// The bytes could not be read or written.
    #[error("{0}")]
    Codec(String),
}

impl From<CodecError> for RpcError {
    fn from(e: CodecError) -> Self {
        RpcError::Codec(e.to_string())
    }
}

impl From<gobwire::Error> for RpcError {
    fn from(e: gobwire::Error) -> Self {
        RpcError::Codec(format!("gob: {e}"))
    }
}

/// What a method returns: a reply body, or the error string net/rpc sends instead.
pub type Reply = Result<Box<dyn Encode + Send + Sync>, String>;

/// Boxes a reply body.
pub fn reply<T: Encode + Send + Sync + 'static>(value: T) -> Reply {
    Ok(Box::new(value))
}

/// The decoded arguments of one call, handed to [`Service::dispatch`].
pub struct Args<'a> {
    reader: &'a mut GobReader,
    consumed: bool,
}

impl Args<'_> {
    /// Decodes the arguments as `T`; errors carry Go's wording closely enough for logs.
    pub fn decode<T: Decode + Default>(&mut self) -> Result<T, String> {
        self.consumed = true;
        self.reader.decode().map_err(|e| format!("rpc: reading body: gob: {e}"))
    }
}

/// A call to run, or the error to answer at once.
pub enum Dispatch {
    Run(BoxFuture<'static, Reply>),
    /// Run, answer, then call the closure (once the answer is queued on the stream): `Control.Quit`.
    RunThen(BoxFuture<'static, Reply>, Box<dyn FnOnce() + Send>),
    Fail(String),
}

/// Boxes a call.
pub fn run(call: impl std::future::Future<Output = Reply> + Send + 'static) -> Dispatch {
    Dispatch::Run(Box::pin(call))
}

/// A set of net/rpc methods, addressed as `Service.Method`.
pub trait Service: Send + Sync + 'static {
    fn dispatch(self: Arc<Self>, service_method: &str, args: &mut Args<'_>) -> Dispatch;
}

/// Go's answer to a method it does not have; Mattermost tests for this exact text.
pub fn not_found(service_method: &str) -> Dispatch {
    Dispatch::Fail(format!("rpc: can't find method {service_method}"))
}

/// Serves `service` on `stream` until the host closes it.
pub async fn serve<S: Service>(stream: Stream, service: Arc<S>) {
    let (r, w) = stream.into_split();
    let mut reader = GobReader::new(r);
    let writer = Arc::new(tokio::sync::Mutex::new(GobWriter::new(w)));
    loop {
        let head: RequestHeader = match reader.next_value().await {
            Ok(true) => match reader.decode() {
                Ok(h) => h,
                Err(e) => {
                    tracing::warn!(error = %e, "net/rpc: unreadable request header; closing the stream");
                    break;
                }
            },
            Ok(false) => break,
            Err(e) => {
                tracing::debug!(error = %e, "net/rpc: stream ended");
                break;
            }
        };
        match reader.next_value().await {
            Ok(true) => {}
            _ => break,
        }
        let mut args = Args { reader: &mut reader, consumed: false };
        let dispatch = service.clone().dispatch(&head.service_method, &mut args);
        if !args.consumed && reader.discard().is_err() {
            break;
        }
        let writer = writer.clone();
        tokio::spawn(async move {
            let (outcome, then) = match dispatch {
                Dispatch::Run(call) => (call.await, None),
                Dispatch::RunThen(call, then) => (call.await, Some(then)),
                Dispatch::Fail(message) => (Err(message), None),
            };
            let (error, body): (String, Box<dyn Encode + Send + Sync>) = match outcome {
                Ok(body) => (String::new(), body),
                Err(message) => (message, Box::new(Empty {})),
            };
            let response = ResponseHeader { service_method: head.service_method, seq: head.seq, error };
            if let Err(e) = writer.lock().await.write_pair(&response, &*body).await {
                tracing::debug!(error = %e, "net/rpc: could not send a reply");
            }
            if let Some(then) = then {
                then();
            }
        });
    }
}

type Completion = Box<dyn FnOnce(Result<&mut GobReader, RpcError>) + Send>;

/// A net/rpc client on one stream. Calls may be issued concurrently.
pub struct Client {
    writer: tokio::sync::Mutex<GobWriter>,
    pending: Arc<Mutex<Option<HashMap<u64, Completion>>>>,
    seq: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Client {
    /// Starts the reply reader on `stream`.
    pub fn new(stream: Stream) -> Arc<Self> {
        let (r, w) = stream.into_split();
        let pending: Arc<Mutex<Option<HashMap<u64, Completion>>>> = Arc::new(Mutex::new(Some(HashMap::new())));
        tokio::spawn(read_replies(GobReader::new(r), pending.clone()));
        Arc::new(Self { writer: tokio::sync::Mutex::new(GobWriter::new(w)), pending, seq: AtomicU64::new(0) })
    }

    /// Calls `method` and decodes the reply as `R`.
    pub async fn call<R: Decode + Default + Send + 'static>(
        &self,
        method: &str,
        args: &(dyn Encode + Sync),
    ) -> Result<R, RpcError> {
        self.call_with(method, args, |reader| reader.decode::<R>().map_err(RpcError::from)).await
    }

    /// Calls `method` and ignores the reply body (Go's `Call(..., nil)`).
    pub async fn call_discard(&self, method: &str, args: &(dyn Encode + Sync)) -> Result<(), RpcError> {
        self.call_with(method, args, |reader| reader.discard().map_err(RpcError::from)).await
    }

    async fn call_with<R: Send + 'static>(
        &self,
        method: &str,
        args: &(dyn Encode + Sync),
        decode: impl FnOnce(&mut GobReader) -> Result<R, RpcError> + Send + 'static,
    ) -> Result<R, RpcError> {
        let seq = self.seq.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        let completion: Completion = Box::new(move |outcome| {
            let _ = tx.send(outcome.and_then(decode));
        });
        match lock(&self.pending).as_mut() {
            Some(table) => table.insert(seq, completion),
            None => return Err(RpcError::Closed),
        };
        let head = RequestHeader { service_method: method.to_owned(), seq };
        let sent = self.writer.lock().await.write_pair(&head, args).await;
        if let Err(e) = sent {
            lock(&self.pending).as_mut().and_then(|t| t.remove(&seq));
            return Err(e.into());
        }
        rx.await.unwrap_or(Err(RpcError::Closed))
    }

    /// Half-closes the stream; the host's server ends its loop.
    pub async fn close(&self) {
        self.writer.lock().await.close();
    }
}

async fn read_replies(mut reader: GobReader, pending: Arc<Mutex<Option<HashMap<u64, Completion>>>>) {
    loop {
        let head: ResponseHeader = match reader.next_value().await {
            Ok(true) => match reader.decode() {
                Ok(h) => h,
                Err(_) => break,
            },
            _ => break,
        };
        if !matches!(reader.next_value().await, Ok(true)) {
            break;
        }
        let completion = lock(&pending).as_mut().and_then(|t| t.remove(&head.seq));
        match completion {
            Some(done) if head.error.is_empty() => done(Ok(&mut reader)),
            Some(done) => {
                let _ = reader.discard();
                done(Err(RpcError::Remote(head.error)));
            }
            None => {
                let _ = reader.discard();
            }
        }
    }
    let table = lock(&pending).take();
    for (_, done) in table.into_iter().flatten() {
        done(Err(RpcError::Closed));
    }
}
