//! Gob on a yamux stream: one `gob.Encoder`/`gob.Decoder` per direction for the life of the stream,
//! length-prefixed messages, and net/rpc's `Request`/`Response` headers (`golang/go:src/net/rpc`).

use super::yamux::{StreamReader, StreamWriter, YamuxError};
use gobwire::{Decode, Encode, Gob, Progress};

/// Go's `rpc.Request`: written before every call's arguments.
#[derive(Debug, Clone, Default, PartialEq, Eq, Gob)]
#[gob(name = "Request")]
pub struct RequestHeader {
    #[gob(name = "ServiceMethod")]
    pub service_method: String,
    #[gob(name = "Seq")]
    pub seq: u64,
}

/// Go's `rpc.Response`: written before every reply; a non-empty `Error` means the body is `struct{}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Gob)]
#[gob(name = "Response")]
pub struct ResponseHeader {
    #[gob(name = "ServiceMethod")]
    pub service_method: String,
    #[gob(name = "Seq")]
    pub seq: u64,
    #[gob(name = "Error")]
    pub error: String,
}

/// `struct{}`: net/rpc's body for a failed call, and the reply of calls without results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Gob)]
#[gob(name = "")]
pub struct Empty {}

/// Why reading or writing gob on a stream failed.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("{0}")]
    Yamux(#[from] YamuxError),
    #[error("gob: {0}")]
    Gob(#[from] gobwire::Error),
    #[error("gob: a message of {0} bytes is too large")]
    TooLarge(u64),
    #[error("gob: the stream ended inside a value")]
    Truncated,
}

/// Messages larger than this are refused (Go's gob allows up to 1 GiB; our largest is a request body).
pub const MAX_MESSAGE: u64 = 64 * 1024 * 1024;

/// The reading half: a gob decoder fed from one stream.
pub struct GobReader {
    reader: StreamReader,
    decoder: gobwire::Decoder,
}

impl GobReader {
    pub fn new(reader: StreamReader) -> Self {
        Self { reader, decoder: gobwire::Decoder::new() }
    }

    /// Reads messages until one value is complete. `Ok(false)` at a clean end of the stream.
    pub async fn next_value(&mut self) -> Result<bool, CodecError> {
        let mut started = false;
        loop {
            let Some(first) = self.reader.read_some(1).await else {
                return if started { Err(CodecError::Truncated) } else { Ok(false) };
            };
            started = true;
            let len = if first[0] < 0x80 {
                u64::from(first[0])
            } else {
                let width = usize::from(first[0].wrapping_neg());
                if width > 8 {
                    return Err(CodecError::Gob(gobwire::Error::BadUint));
                }
                let raw = self.reader.read_exact(width).await?;
                raw.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
            };
            if len > MAX_MESSAGE {
                return Err(CodecError::TooLarge(len));
            }
            let body = self.reader.read_exact(len as usize).await?;
            if self.decoder.push_message(&body)? == Progress::Ready {
                return Ok(true);
            }
        }
    }

    /// Decodes the buffered value (after `next_value` returned true).
    pub fn decode<T: Decode + Default>(&mut self) -> Result<T, gobwire::Error> {
        self.decoder.decode()
    }

    /// Drops the buffered value, keeping any types it defined.
    pub fn discard(&mut self) -> Result<(), gobwire::Error> {
        self.decoder.discard()
    }

    pub fn decoder(&mut self) -> &mut gobwire::Decoder {
        &mut self.decoder
    }
}

/// The writing half: a gob encoder whose output goes to one stream.
pub struct GobWriter {
    writer: StreamWriter,
    encoder: gobwire::Encoder,
}

impl GobWriter {
    pub fn new(writer: StreamWriter) -> Self {
        Self { writer, encoder: gobwire::Encoder::new() }
    }

    /// Encodes a header and a body and writes them as one unit, as net/rpc's codec does.
    pub async fn write_pair(
        &mut self,
        head: &(dyn Encode + Sync),
        body: &(dyn Encode + Sync),
    ) -> Result<(), CodecError> {
        let mut buf = Vec::new();
        self.encoder.encode_into(head, &mut buf)?;
        self.encoder.encode_into(body, &mut buf)?;
        self.writer.write_all(&buf).await?;
        Ok(())
    }

    pub fn close(&self) {
        self.writer.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// Go's bytes for `Control.Ping` (Seq 0) on a fresh stream: Request's type, the header, `true`.
    #[test]
    fn ping_call_matches_go_bytes() {
        let mut enc = gobwire::Encoder::new();
        let mut out = Vec::new();
        let head = RequestHeader { service_method: "Control.Ping".into(), seq: 0 };
        enc.encode_into(&head, &mut out).unwrap();
        enc.encode_into(&true, &mut out).unwrap();
        let mut expected = hex("2f ff81 03 01 01 07");
        expected.extend_from_slice(b"Request");
        expected.extend(hex("01 ff82 00 01 02 01 0d"));
        expected.extend_from_slice(b"ServiceMethod");
        expected.extend(hex("01 0c 00 01 03"));
        expected.extend_from_slice(b"Seq");
        expected.extend(hex("01 06 00 00 00 11 ff82 01 0c"));
        expected.extend_from_slice(b"Control.Ping");
        expected.extend(hex("00 03 02 00 01"));
        assert_eq!(out, expected);
    }
}
