//! What a response sends: bytes already in memory (counters, error pages, the live-reload script), or
//! a file streamed from disk in [`CHUNK`]-byte pieces, gzipped on the way when asked.
//!
//! A piece is read only when the one before has been taken: hyper polls a body only when its write
//! buffer has room, and the piece waits in a channel of one. A client that stops reading therefore
//! holds a few pieces in memory whatever the file's size (a 10 MB page to 64 such clients cost 716 MB
//! when whole files were read). Each piece takes one of the piece-reading places only while it is
//! read (and compressed), so slow readers never keep the files from anyone else, and opening a new
//! request's file has places of its own.

use std::io::{self, Read, Write};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use flate2::write::GzEncoder;
use hyper::body::{Bytes, Frame, SizeHint};
use tokio::sync::{mpsc, Semaphore};

use super::limited::Busy;

/// Bytes read from a file at a time.
pub const CHUNK: usize = 32 * 1024;

/// A response body; it holds its connection's [`Busy`] mark until hyper has sent it and drops it.
pub struct Reply {
    kind: Kind,
    /// The exact length, when it is known before sending (not for a file gzipped on the way).
    length: Option<u64>,
    _busy: Option<Busy>,
}

enum Kind {
    Bytes(Option<Bytes>),
    /// A file not started yet: reading starts at the first poll, so a `HEAD` response (never
    /// polled) reads nothing.
    File(Option<(Source, Arc<Semaphore>)>),
    Streaming(mpsc::Receiver<io::Result<Bytes>>),
}

/// An open file, and the encoder when it is gzipped on the way.
pub struct Source {
    file: std::fs::File,
    gzip: Option<GzEncoder<Vec<u8>>>,
}

impl Source {
    /// The next piece to send; empty at the end.
    fn next_piece(&mut self) -> io::Result<Vec<u8>> {
        loop {
            let mut piece = Vec::with_capacity(CHUNK);
            (&mut self.file).take(CHUNK as u64).read_to_end(&mut piece)?;
            let Some(encoder) = &mut self.gzip else { return Ok(piece) };
            if piece.is_empty() {
                let encoder = self.gzip.take().expect("checked above");
                return encoder.finish();
            }
            encoder.write_all(&piece)?;
            let packed = std::mem::take(encoder.get_mut());
            // The encoder may hold a small piece back; read on rather than send nothing.
            if !packed.is_empty() {
                return Ok(packed);
            }
        }
    }

    fn finished(&self) -> bool {
        self.gzip.is_none()
    }
}

impl Reply {
    pub fn bytes(bytes: impl Into<Bytes>) -> Reply {
        let bytes = bytes.into();
        Reply { length: Some(bytes.len() as u64), kind: Kind::Bytes(Some(bytes)), _busy: None }
    }

    /// `file` as it is (its length is sent ahead), or gzipped on the way.
    pub fn file(file: std::fs::File, length: u64, gzip: bool, reads: Arc<Semaphore>) -> Reply {
        let gzip = gzip.then(|| GzEncoder::new(Vec::new(), flate2::Compression::default()));
        let length = gzip.is_none().then_some(length);
        Reply { kind: Kind::File(Some((Source { file, gzip }, reads))), length, _busy: None }
    }

    /// Marks the connection busy until this body has been sent.
    pub fn holding(mut self, busy: Busy) -> Reply {
        self._busy = Some(busy);
        self
    }
}

/// Reads `source` piece by piece into `pieces`, each read holding one of the file-read places; stops
/// when the response is dropped (the connection closed).
async fn pump(mut source: Source, reads: Arc<Semaphore>, pieces: mpsc::Sender<io::Result<Bytes>>) {
    loop {
        // Wait for room in the channel before reading: nothing is read ahead of the client.
        let Ok(room) = pieces.reserve().await else { return };
        let Ok(place) = reads.acquire().await else { return };
        let Ok((back, piece)) = tokio::task::spawn_blocking(move || {
            let piece = source.next_piece();
            (source, piece)
        })
        .await
        else {
            return;
        };
        drop(place);
        source = back;
        match piece {
            Ok(piece) if piece.is_empty() && source.finished() => return,
            Ok(piece) => room.send(Ok(Bytes::from(piece))),
            Err(e) => return room.send(Err(e)),
        }
    }
}

impl hyper::body::Body for Reply {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        loop {
            match &mut this.kind {
                Kind::Bytes(bytes) => return Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
                Kind::File(start) => {
                    let Some((source, reads)) = start.take() else { return Poll::Ready(None) };
                    let (tx, rx) = mpsc::channel(1);
                    tokio::spawn(pump(source, reads, tx));
                    this.kind = Kind::Streaming(rx);
                }
                Kind::Streaming(pieces) => return pieces.poll_recv(cx).map(|piece| piece.map(|p| p.map(Frame::data))),
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self.kind, Kind::Bytes(None)) || self.length == Some(0)
    }

    fn size_hint(&self) -> SizeHint {
        self.length.map_or_else(SizeHint::default, SizeHint::with_exact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(mut source: Source) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            let piece = source.next_piece().unwrap();
            if piece.is_empty() && source.finished() {
                return out;
            }
            out.push(piece);
        }
    }

    #[test]
    fn a_file_is_read_in_pieces_and_gzipped_on_the_way() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("big.html");
        let text: Vec<u8> = (0..CHUNK * 5 / 2).map(|i| b"abcdefghij"[(i * 7 + i / 13) % 10]).collect();
        std::fs::write(&path, &text).unwrap();
        let plain = pieces(Source { file: std::fs::File::open(&path).unwrap(), gzip: None });
        assert_eq!(plain.iter().map(Vec::len).collect::<Vec<_>>(), [CHUNK, CHUNK, CHUNK / 2]);
        assert_eq!(plain.concat(), text);
        let gzip = Some(GzEncoder::new(Vec::new(), flate2::Compression::default()));
        let packed = pieces(Source { file: std::fs::File::open(&path).unwrap(), gzip }).concat();
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(&packed[..]).read_to_end(&mut unpacked).unwrap();
        assert_eq!(unpacked, text);
    }
}
