//! The connections `serve` holds, and what each is doing, so that no number of connections that send
//! nothing, send half a request, wait for a build or stop reading can keep a new request waiting:
//!
//! - each connection is *idle* (no request yet, or between two), *busy* (a request being answered,
//!   until its response is sent) or *long polling* (a live-reload request waiting for a build);
//! - at most `max` connections are idle or busy. When a new one comes and all places are taken, the
//!   connection idle the longest (for a quarter of a second at least) is closed to make room (as a
//!   browser's idle keep-alive connection may be closed at any time; the browser opens another), else
//!   of a response still being sent after [`SLOW`] (a client that reads slowly or not at all), the
//!   one that wrote last the longest ago; only when every place is newly busy does the new
//!   connection wait;
//! - while a new connection waits, every response carries `Connection: close`, so clients that
//!   keep their connections busy (64 clients each asking every 100 ms are never idle for a quarter
//!   of a second) each give up their place after their next answer, and the waiting connection
//!   takes one within that time;
//! - long polls have places of their own, `max_long_polls`; a long poll beyond them is refused by
//!   closing its connection (the page's script asks again a second later);
//! - a connection idle for longer than the idle timeout (hyper's header timeout closes it first), or
//!   busy with a response the client has not read any of for [`STALL_TIMEOUT`], is closed.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;

/// A response the client reads nothing of for this long is given up, and its connection closed.
pub const STALL_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection idle for this long may be closed when a new connection needs its place: long enough
/// for a keep-alive client to send its next request (a load of 500 clients each sending 20 requests
/// in a row does not lose one), short enough that a new request hardly waits.
pub const IDLE_FOR: Duration = Duration::from_millis(250);
/// A response still being sent after this long may be given up when a new connection needs its
/// place: on 127.0.0.1 a browser takes a 10 MB page in milliseconds, so such a client reads slowly
/// or not at all.
pub const SLOW: Duration = Duration::from_secs(2);

const IDLE: u8 = 0;
const BUSY: u8 = 1;
const LONG_POLL: u8 = 2;

/// Milliseconds since the server started.
fn now() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as u64
}

/// Every open connection and its state.
pub struct Connections {
    open: Mutex<Vec<Arc<Slot>>>,
    /// Wakes a connection waiting for a place: one closed, or went idle.
    changed: Notify,
    max: usize,
    max_long_polls: usize,
    idle_timeout: Duration,
    /// New connections waiting for a place.
    waiting: AtomicUsize,
}

/// One connection's state.
struct Slot {
    state: AtomicU8,
    /// When it entered its state.
    since: AtomicU64,
    /// When it last sent anything.
    wrote: AtomicU64,
    close: Notify,
}

impl Connections {
    /// `idle_timeout` is hyper's header timeout; a connection found idle for two seconds more (a
    /// response whose last bytes are never read) is closed here.
    pub fn new(max: usize, max_long_polls: usize, idle_timeout: Duration) -> Arc<Connections> {
        Arc::new(Connections { open: Mutex::new(Vec::new()), changed: Notify::new(), max, max_long_polls, idle_timeout, waiting: AtomicUsize::new(0) })
    }

    /// A place for a new connection: a free one, else the place of the connection idle the longest
    /// (which is closed), else the first to come free.
    pub async fn admit(self: &Arc<Self>) -> Place {
        let mut waiting = None;
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            {
                let mut open = self.open.lock().expect("no panic while holding the lock");
                let taken = open.iter().filter(|s| s.state.load(Ordering::SeqCst) != LONG_POLL).count();
                let room = taken < self.max || {
                    let victim = closable(&open);
                    victim.map(|i| open.swap_remove(i).close.notify_one()).is_some()
                };
                if room {
                    let at = now();
                    let slot = Arc::new(Slot { state: AtomicU8::new(IDLE), since: AtomicU64::new(at), wrote: AtomicU64::new(at), close: Notify::new() });
                    open.push(Arc::clone(&slot));
                    return Place { slot, all: Arc::clone(self) };
                }
            }
            waiting.get_or_insert_with(|| Waiting::new(&self.waiting));
            // A busy connection's response may stall meanwhile, which nothing announces.
            let _ = tokio::time::timeout(Duration::from_millis(250), changed).await;
        }
    }

    /// How many connections are open: idle or busy, and long polling.
    #[cfg(test)]
    fn counts(&self) -> (usize, usize) {
        let open = self.open.lock().expect("no panic while holding the lock");
        let polls = open.iter().filter(|s| s.state.load(Ordering::SeqCst) == LONG_POLL).count();
        (open.len() - polls, polls)
    }
}

/// Counts a connection waiting for a place while it lives.
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn new(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Waiting(count)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The connection to close to make room, if any: the one idle the longest, if for at least
/// [`IDLE_FOR`], else among the responses sent for at least [`SLOW`], the one that has written
/// nothing for the longest.
fn closable(open: &[Arc<Slot>]) -> Option<usize> {
    let at = now();
    let quiet = |s: &Slot| at.saturating_sub(s.since.load(Ordering::SeqCst).max(s.wrote.load(Ordering::SeqCst)));
    let state = |s: &Slot| s.state.load(Ordering::SeqCst);
    let idle_for = |s: &Slot| at.saturating_sub(s.since.load(Ordering::SeqCst));
    let idle = open.iter().enumerate().filter(|(_, s)| state(s) == IDLE && idle_for(s) >= IDLE_FOR.as_millis() as u64).max_by_key(|(_, s)| idle_for(s));
    let busy_for = |s: &Slot| at.saturating_sub(s.since.load(Ordering::SeqCst));
    let slow = || open.iter().enumerate().filter(|(_, s)| state(s) == BUSY && busy_for(s) >= SLOW.as_millis() as u64).max_by_key(|(_, s)| (quiet(s), busy_for(s)));
    idle.or_else(slow).map(|(i, _)| i)
}

/// A connection's place; clones are the same place.
#[derive(Clone)]
pub struct Place {
    slot: Arc<Slot>,
    all: Arc<Connections>,
}

impl Place {
    fn set(&self, state: u8) {
        self.slot.since.store(now(), Ordering::SeqCst);
        self.slot.state.store(state, Ordering::SeqCst);
    }

    /// Marks the connection busy until the mark is dropped (with the response it answered).
    pub fn busy(&self) -> Busy {
        self.set(BUSY);
        Busy(self.clone())
    }

    /// Moves the connection to a long-poll place while the value lives, if one is free.
    pub fn long_poll(&self) -> Option<LongPoll> {
        let open = self.all.open.lock().expect("no panic while holding the lock");
        if open.iter().filter(|s| s.state.load(Ordering::SeqCst) == LONG_POLL).count() >= self.all.max_long_polls {
            return None;
        }
        self.set(LONG_POLL);
        drop(open);
        // A busy place has come free.
        self.all.changed.notify_waiters();
        Some(LongPoll(self.clone()))
    }

    /// The stream, with its writes timed for [`Place::watch`].
    pub fn track(&self, stream: TcpStream) -> Tracked {
        Tracked { stream, slot: Arc::clone(&self.slot) }
    }

    fn overdue(&self) -> bool {
        let (state, since, wrote) = (self.slot.state.load(Ordering::SeqCst), self.slot.since.load(Ordering::SeqCst), self.slot.wrote.load(Ordering::SeqCst));
        let quiet = Duration::from_millis(now().saturating_sub(since.max(wrote)));
        match state {
            IDLE => Duration::from_millis(now().saturating_sub(since)) > self.all.idle_timeout + Duration::from_secs(2),
            BUSY => quiet > STALL_TIMEOUT,
            _ => false,
        }
    }

    /// Runs `connection` (hyper's) until it ends, is closed to make room, or is overdue; then frees
    /// the place.
    pub async fn watch<F: Future>(&self, connection: F) {
        tokio::pin!(connection);
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = &mut connection => break,
                () = self.slot.close.notified() => break,
                _ = tick.tick() => if self.overdue() { break },
            }
        }
        self.all.open.lock().expect("no panic while holding the lock").retain(|s| !Arc::ptr_eq(s, &self.slot));
        self.all.changed.notify_waiters();
    }
}

/// A connection busy answering a request; idle again when dropped.
pub struct Busy(Place);

impl Busy {
    /// Whether a new connection is waiting for a place: this response should then close its
    /// connection once sent (`Connection: close`), making room.
    pub fn should_close(&self) -> bool {
        self.0.all.waiting.load(Ordering::SeqCst) > 0
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.set(IDLE);
        self.0.all.changed.notify_waiters();
    }
}

/// A connection in a long-poll place; busy again when dropped.
pub struct LongPoll(Place);

impl Drop for LongPoll {
    fn drop(&mut self) {
        self.0.set(BUSY);
    }
}

/// An accepted connection's stream; records when it last wrote.
pub struct Tracked {
    stream: TcpStream,
    slot: Arc<Slot>,
}

impl AsyncRead for Tracked {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl Tracked {
    fn wrote(&self, result: &Poll<io::Result<usize>>) {
        if matches!(result, Poll::Ready(Ok(n)) if *n > 0) {
            self.slot.wrote.store(now(), Ordering::SeqCst);
        }
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.wrote(&result);
        result
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.wrote(&result);
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_new_connection_takes_the_place_of_the_one_idle_the_longest() {
        let all = Connections::new(2, 1, Duration::from_secs(5));
        let first = all.admit().await;
        let second = all.admit().await;
        let _busy = second.busy();
        let third = tokio::time::timeout(Duration::from_secs(1), all.admit()).await.expect("room made within a second");
        assert_eq!(all.counts(), (2, 0));
        assert!(tokio::time::timeout(Duration::from_millis(100), first.slot.close.notified()).await.is_ok(), "the idle one is told to close");
        // Both busy: the next waits until one is done.
        let _busy_too = third.busy();
        let waiting = tokio::spawn({
            let all = Arc::clone(&all);
            async move { all.admit().await }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!waiting.is_finished(), "no idle connection to close");
        drop(_busy);
        tokio::time::timeout(Duration::from_secs(1), waiting).await.expect("admitted once one is idle").unwrap();
    }

    #[tokio::test]
    async fn long_polls_have_places_of_their_own() {
        let all = Connections::new(1, 1, Duration::from_secs(5));
        let first = all.admit().await;
        let _busy = first.busy();
        let poll = first.long_poll().expect("a long-poll place");
        let second = tokio::time::timeout(Duration::from_secs(1), all.admit()).await.expect("the long poll leaves its place");
        let _busy_too = second.busy();
        assert!(second.long_poll().is_none(), "only one long poll");
        assert_eq!(all.counts(), (1, 1));
        drop(poll);
        assert_eq!(all.counts(), (2, 0));
    }
}
