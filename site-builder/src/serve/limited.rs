//! The connections `serve` holds, and what each is doing, so that no number of connections that send
//! nothing, send half a request, wait for a build or stop reading can keep a new request waiting:
//!
//! - each connection is *idle* (no request yet, or between two), *busy* (a request being answered,
//!   until its response is sent) or *long polling* (a live-reload request waiting for a build);
//! - at most `max` connections are idle or busy. When a new one comes and all places are taken, the
//!   connection idle the longest (for a quarter of a second at least) is closed to make room (as a
//!   browser's idle keep-alive connection may be closed at any time; the browser opens another). A
//!   new connection that has sent a whole request head may also take the place of one that has held
//!   its place for [`HALF_SENT_FOR`] without sending one (half a request line, or nothing), else of
//!   a response whose client has taken none of it for [`STALLED`] (the longest stalled first), else
//!   of a response still being sent after [`SLOW`] (a client that reads, but slowly; the one that
//!   wrote last the longest ago). A response is *stalled* when the socket will take no more of it:
//!   on 127.0.0.1 a client that reads never leaves it so for a quarter of a second. A connection
//!   closed while its response is stalled is reset (`SO_LINGER` 0), so the kernel does not keep its
//!   unsent bytes either;
//! - while a new connection waits, every response carries `Connection: close`, so clients that
//!   keep their connections busy (64 clients each asking every 100 ms are never idle for a quarter
//!   of a second) each give up their place after their next answer, and the waiting connection
//!   takes one within that time;
//! - a new connection is always accepted at once and waits here, never in the kernel's listen queue
//!   (about 200 clients that send half a request and reconnect when closed filled that queue, and a
//!   normal client waited 7–30 s to connect). Its first bytes are looked at (`peek`, nothing is
//!   consumed) as soon as it is accepted, and again as more come while it waits. Those that have
//!   sent a whole request head get places in the order they sent it, before any that has not (a
//!   line, [`Queue::line`]): 300 clients that each send a whole request for a 6 MB page, read none
//!   of it and connect again held each place for 2 s, and a normal request, competing for a freed
//!   place on equal terms with them, waited 1.2–6 s or was refused; now each holds a place for
//!   about a quarter of a second, and the line is served in turn. At most [`MAX_WAITING`] wait;
//!   when more come, the one waiting the longest without a whole request head gives up its turn,
//!   after one last look at its bytes (a request that has come since, not yet looked at, keeps it
//!   waiting: 1,500 silent clients connecting again as soon as closed, 3,500 connections a second,
//!   crowded out a normal request before its first look, and it was answered 503); when every
//!   waiting connection has sent a whole head, the new one is answered 503 (`Connection: close`);
//! - long polls have places of their own, `max_long_polls`; a long poll beyond them is refused by
//!   closing its connection (the page's script asks again a second later);
//! - a connection idle for longer than the idle timeout (hyper's header timeout closes it first), or
//!   busy with a response the client has not read any of for [`STALL_TIMEOUT`], is closed.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, AtomicUsize, Ordering};
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
/// A response still being sent after this long may be given up when a new connection that has sent
/// a whole request needs its place: on 127.0.0.1 a browser takes a 10 MB page in milliseconds, so
/// such a client reads slowly.
pub const SLOW: Duration = Duration::from_secs(2);
/// A response the socket has taken none of for this long (the client reads nothing) may be given up
/// when a new connection that has sent a whole request needs its place. A client on 127.0.0.1 that
/// reads empties the socket's buffer in well under a millisecond. Short, because clients that stall
/// come in bursts: 300 that connect together take the 64 places and fill the line behind them, and a
/// normal request that comes after them waits until the line has gone by, 64 places each
/// [`STALLED`] (with 250 ms, up to 1 s; with 100 ms, 0.35 s).
pub const STALLED: Duration = Duration::from_millis(100);
/// A connection that has had its place this long without sending a whole request head (half a
/// request line, or nothing) gives its place to a waiting connection that has sent one. A client on
/// 127.0.0.1 sends its request within a millisecond of connecting.
pub const HALF_SENT_FOR: Duration = Duration::from_millis(100);
/// New connections waiting for a place at most (each an open file; the usual limit is 1,024).
pub const MAX_WAITING: usize = 256;
/// How much of a waiting connection's first bytes are looked at for the end of a request head; a
/// request with longer headers waits like one that has sent half a request.
const PEEK: usize = 8 * 1024;

/// [`Slot::blocked`] when the socket takes what is written.
const NOT_BLOCKED: u64 = u64::MAX;

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
    /// New connections waiting for a place (at most [`MAX_WAITING`]).
    queue: Mutex<Queue>,
    /// How many there are (read for each response: see [`Busy::should_close`]).
    waiting: AtomicUsize,
}

/// Why a new connection got no place.
#[derive(Debug, PartialEq, Eq)]
pub enum NoPlace {
    /// It closed, or sent no whole request head within the idle timeout: close it.
    Gone,
    /// Too many are waiting: answer 503 and close it.
    Busy,
}

/// The new connections waiting for a place.
#[derive(Default)]
struct Queue {
    /// Every one, in the order they came.
    all: Vec<Arc<Queued>>,
    /// Those that have sent a whole request head, in the order they did: the first has the next place
    /// that comes free or can be made, and until the line is empty no connection without a whole
    /// request head gets one.
    line: VecDeque<Arc<Queued>>,
}

/// A new connection waiting for a place.
struct Queued {
    /// It has sent a whole request head.
    ready: AtomicBool,
    /// Told to give up (too many waiting).
    evicted: Notify,
}

/// One connection's state.
struct Slot {
    state: AtomicU8,
    /// When it entered its state.
    since: AtomicU64,
    /// When it last sent anything.
    wrote: AtomicU64,
    /// Since when the socket has taken nothing of what it is given (a write waits for room), or
    /// [`NOT_BLOCKED`].
    blocked: AtomicU64,
    close: Notify,
    /// It has sent a whole request head (it was seen when it waited, or it has been busy).
    asked: AtomicBool,
    /// It was closed while blocked: reset it rather than close it, so that the kernel drops its
    /// unsent bytes instead of keeping them for a client that reads nothing.
    reset: AtomicBool,
}

impl Slot {
    fn blocked_for(&self, at: u64) -> Option<u64> {
        let since = self.blocked.load(Ordering::SeqCst);
        (since != NOT_BLOCKED).then(|| at.saturating_sub(since))
    }

    /// Tells the connection to close; reset when its response is stuck in the socket.
    fn close(&self) {
        if self.blocked.load(Ordering::SeqCst) != NOT_BLOCKED {
            self.reset.store(true, Ordering::SeqCst);
        }
        self.close.notify_one();
    }
}

impl Connections {
    /// `idle_timeout` is hyper's header timeout; a connection found idle for two seconds more (a
    /// response whose last bytes are never read) is closed here.
    pub fn new(max: usize, max_long_polls: usize, idle_timeout: Duration) -> Arc<Connections> {
        Arc::new(Connections {
            open: Mutex::new(Vec::new()),
            changed: Notify::new(),
            max,
            max_long_polls,
            idle_timeout,
            queue: Mutex::new(Queue::default()),
            waiting: AtomicUsize::new(0),
        })
    }

    /// A place for the new connection `stream` (already accepted): a free one, else the place of the
    /// connection idle the longest (which is closed), else, once `stream` has sent a whole request
    /// head and its turn has come, the place of one that has not sent one for [`HALF_SENT_FOR`], or
    /// of a stalled or slow response, else the first to come free.
    pub async fn admit(self: &Arc<Self>, stream: &TcpStream) -> Result<Place, NoPlace> {
        let deadline = tokio::time::Instant::now() + self.idle_timeout;
        let mut queued: Option<InQueue> = None;
        let mut head = Head::default();
        // A request that came with the connection makes it ready from the start.
        if !head.look_now(stream) {
            return Err(NoPlace::Gone);
        }
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if self.turn(queued.as_ref(), head.ready) {
                if let Some(place) = self.place(head.ready) {
                    return Ok(place);
                }
            }
            match &queued {
                None => queued = Some(self.enqueue(head.ready)?),
                Some(queued) if head.ready => queued.ready(),
                Some(_) => {}
            }
            let waiting = queued.as_ref().expect("just queued");
            let peeking = !head.ready;
            // A busy connection's response may stall meanwhile, and a place grow old enough to be
            // given up, which nothing announces: the first in line looks often.
            let first = head.ready && self.turn(Some(waiting), true);
            let recheck = Duration::from_millis(if first { 20 } else { 250 });
            tokio::select! {
                _ = &mut changed => {}
                () = tokio::time::sleep(recheck) => {}
                () = waiting.0.evicted.notified() => {
                    // Its turn given up to a newer connection: unless its request has come since
                    // it was last looked at, and it can take the turn of another.
                    if !head.look_now(stream) {
                        return Err(NoPlace::Gone);
                    }
                    if !head.ready {
                        return Err(NoPlace::Busy);
                    }
                    drop(queued.take());
                    queued = Some(self.enqueue(true)?);
                }
                () = tokio::time::sleep_until(deadline) => return Err(NoPlace::Gone),
                open = head.peek(stream), if peeking => if !open { return Err(NoPlace::Gone) },
            }
        }
    }

    /// Whether a connection may take a place now: one that has sent a whole request head when it is
    /// first in line (or, not waiting yet, when no one is in line), one that has not when no one is.
    fn turn(&self, queued: Option<&InQueue>, ready: bool) -> bool {
        let queue = self.queue.lock().expect("no panic while holding the lock");
        match queued {
            Some(queued) if ready => queue.line.front().is_some_and(|first| Arc::ptr_eq(first, &queued.0)),
            _ => queue.line.is_empty(),
        }
    }

    /// A place, if one is free or can be made (see [`Connections::admit`]); `asked`: the new
    /// connection has sent a whole request head.
    fn place(self: &Arc<Self>, asked: bool) -> Option<Place> {
        let mut open = self.open.lock().expect("no panic while holding the lock");
        let taken = open.iter().filter(|s| s.state.load(Ordering::SeqCst) != LONG_POLL).count();
        let room = taken < self.max || closable(&open, asked).map(|i| open.swap_remove(i).close()).is_some();
        if !room {
            return None;
        }
        let at = now();
        let slot = Arc::new(Slot {
            state: AtomicU8::new(IDLE),
            since: AtomicU64::new(at),
            wrote: AtomicU64::new(at),
            blocked: AtomicU64::new(NOT_BLOCKED),
            close: Notify::new(),
            asked: AtomicBool::new(asked),
            reset: AtomicBool::new(false),
        });
        open.push(Arc::clone(&slot));
        Some(Place { slot, all: Arc::clone(self) })
    }

    /// Joins the connections waiting for a place (in line, when `ready`: it has sent a whole request
    /// head); when [`MAX_WAITING`] already wait, the one waiting the longest without a whole request
    /// head gives up its turn, else this one is refused.
    fn enqueue(self: &Arc<Self>, ready: bool) -> Result<InQueue, NoPlace> {
        let mut queue = self.queue.lock().expect("no panic while holding the lock");
        if queue.all.len() >= MAX_WAITING {
            // In the order they came: the first without a whole head has waited the longest.
            let Some(oldest) = queue.all.iter().position(|q| !q.ready.load(Ordering::SeqCst)) else {
                return Err(NoPlace::Busy);
            };
            // Its guard still counts it until it has gone.
            queue.all.remove(oldest).evicted.notify_one();
        }
        let queued = Arc::new(Queued { ready: AtomicBool::new(ready), evicted: Notify::new() });
        queue.all.push(Arc::clone(&queued));
        if ready {
            queue.line.push_back(Arc::clone(&queued));
        }
        self.waiting.fetch_add(1, Ordering::SeqCst);
        Ok(InQueue(queued, Arc::clone(self)))
    }

    /// How many connections are open: idle or busy, and long polling.
    #[cfg(test)]
    fn counts(&self) -> (usize, usize) {
        let open = self.open.lock().expect("no panic while holding the lock");
        let polls = open.iter().filter(|s| s.state.load(Ordering::SeqCst) == LONG_POLL).count();
        (open.len() - polls, polls)
    }
}

/// A connection's turn in the queue of those waiting for a place, while it lives.
struct InQueue(Arc<Queued>, Arc<Connections>);

impl InQueue {
    /// It has sent a whole request head: it joins the end of the line (once), unless it has just
    /// been told to give up its turn.
    fn ready(&self) {
        if self.0.ready.swap(true, Ordering::SeqCst) {
            return;
        }
        let mut queue = self.1.queue.lock().expect("no panic while holding the lock");
        if queue.all.iter().any(|q| Arc::ptr_eq(q, &self.0)) {
            queue.line.push_back(Arc::clone(&self.0));
        }
    }
}

impl Drop for InQueue {
    fn drop(&mut self) {
        let mut queue = self.1.queue.lock().expect("no panic while holding the lock");
        queue.all.retain(|q| !Arc::ptr_eq(q, &self.0));
        let in_line = queue.line.len();
        queue.line.retain(|q| !Arc::ptr_eq(q, &self.0));
        let moved = queue.line.len() != in_line;
        drop(queue);
        self.1.waiting.fetch_sub(1, Ordering::SeqCst);
        // The line has moved: the next is first.
        if moved {
            self.1.changed.notify_waiters();
        }
    }
}

/// What a waiting connection has sent so far, looked at without being read (hyper reads it once the
/// connection has a place).
#[derive(Default)]
struct Head {
    /// It holds a whole request head.
    ready: bool,
    /// How many bytes the last look saw.
    seen: usize,
    /// When to look again, after a look that saw bytes but no whole head: sooner after new bytes,
    /// later and later while none come (so half-sent connections cost few system calls).
    next: Option<(tokio::time::Instant, Duration)>,
}

/// Whether `bytes` hold a whole request head.
fn whole_head(bytes: &[u8]) -> bool {
    bytes.windows(4).any(|w| w == b"\r\n\r\n") || bytes.windows(2).any(|w| w == b"\n\n")
}

impl Head {
    /// Looks at what the connection has sent so far, now, without waiting (a `peek` through a
    /// duplicate of the socket: tokio's own peeks wait until its event loop has seen the socket
    /// readable, which, with thousands of connections a second, comes later); false if it has closed.
    fn look_now(&mut self, stream: &TcpStream) -> bool {
        let Ok(copy) = socket2::SockRef::from(stream).try_clone() else {
            // Out of file descriptors for a moment: nothing learnt.
            return true;
        };
        let mut bytes = vec![0u8; PEEK];
        match std::net::TcpStream::from(copy).peek(&mut bytes) {
            Ok(0) => false,
            Ok(n) => {
                self.ready = whole_head(&bytes[..n]);
                self.seen = n;
                true
            }
            Err(e) => matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted),
        }
    }

    /// Waits for the connection's bytes (or more of them) and looks at them; false once it has closed.
    async fn peek(&mut self, stream: &TcpStream) -> bool {
        if let Some((at, _)) = self.next {
            tokio::time::sleep_until(at).await;
        }
        let mut bytes = vec![0u8; PEEK];
        let n = match stream.peek(&mut bytes).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        self.ready = whole_head(&bytes[..n]);
        let pause = match self.next {
            Some((_, pause)) if n == self.seen => (pause * 2).min(Duration::from_secs(1)),
            _ => Duration::from_millis(20),
        };
        self.seen = n;
        self.next = Some((tokio::time::Instant::now() + pause, pause));
        true
    }
}

/// The connection to close to make room for a new one, if any: the one idle the longest, if for at
/// least [`IDLE_FOR`]; for a new one that has sent a whole request head (`asked`), else one that has
/// not sent one since it got its place [`HALF_SENT_FOR`] ago or more (the one that got its place
/// first), else among the responses the socket has taken nothing of for [`STALLED`], the one stalled
/// the longest, else among those sent for at least [`SLOW`], the one that has written nothing for
/// the longest.
fn closable(open: &[Arc<Slot>], asked: bool) -> Option<usize> {
    let at = now();
    let ms = |d: Duration| d.as_millis() as u64;
    let state = |s: &Slot| s.state.load(Ordering::SeqCst);
    let held = |s: &Slot| at.saturating_sub(s.since.load(Ordering::SeqCst));
    let quiet = |s: &Slot| at.saturating_sub(s.since.load(Ordering::SeqCst).max(s.wrote.load(Ordering::SeqCst)));
    let longest = |keep: &dyn Fn(&Slot) -> bool, key: &dyn Fn(&Slot) -> (u64, u64)| open.iter().enumerate().filter(|(_, s)| keep(s)).max_by_key(|(_, s)| key(s)).map(|(i, _)| i);
    let idle = longest(&|s| state(s) == IDLE && held(s) >= ms(IDLE_FOR), &|s| (held(s), 0));
    if idle.is_some() || !asked {
        return idle;
    }
    let half_sent = || longest(&|s| state(s) == IDLE && !s.asked.load(Ordering::SeqCst) && held(s) >= ms(HALF_SENT_FOR), &|s| (held(s), 0));
    let stalled = || longest(&|s| state(s) == BUSY && s.blocked_for(at).is_some_and(|b| b >= ms(STALLED)), &|s| (s.blocked_for(at).unwrap_or(0), 0));
    let slow = || longest(&|s| state(s) == BUSY && held(s) >= ms(SLOW), &|s| (quiet(s), held(s)));
    half_sent().or_else(stalled).or_else(slow)
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
        self.slot.asked.store(true, Ordering::SeqCst);
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
        let overdue = match state {
            IDLE => Duration::from_millis(now().saturating_sub(since)) > self.all.idle_timeout + Duration::from_secs(2),
            BUSY => quiet > STALL_TIMEOUT,
            _ => false,
        };
        if overdue && self.slot.blocked.load(Ordering::SeqCst) != NOT_BLOCKED {
            self.slot.reset.store(true, Ordering::SeqCst);
        }
        overdue
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

/// An accepted connection's stream; records when it last wrote, and since when a write has waited
/// for room in the socket.
pub struct Tracked {
    stream: TcpStream,
    slot: Arc<Slot>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if self.slot.reset.load(Ordering::SeqCst) {
            // Closed with a stalled response: a reset, and the unsent bytes are dropped at once.
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl AsyncRead for Tracked {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl Tracked {
    fn wrote(&self, result: &Poll<io::Result<usize>>) {
        match result {
            Poll::Ready(Ok(n)) if *n > 0 => {
                self.slot.wrote.store(now(), Ordering::SeqCst);
                self.slot.blocked.store(NOT_BLOCKED, Ordering::SeqCst);
            }
            Poll::Pending => {
                let _ = self.slot.blocked.compare_exchange(NOT_BLOCKED, now(), Ordering::SeqCst, Ordering::SeqCst);
            }
            _ => {}
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
    use tokio::io::AsyncWriteExt;

    /// A connection on 127.0.0.1 that has sent `sent`: the server's end and the client's.
    async fn connection(sent: &[u8]) -> (TcpStream, TcpStream) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
        client.write_all(sent).await.unwrap();
        (listener.accept().await.unwrap().0, client)
    }

    /// The connection at `place` has closed (what [`Place::watch`] does when it ends).
    fn gone(place: &Place) {
        place.all.open.lock().unwrap().retain(|s| !Arc::ptr_eq(s, &place.slot));
        place.all.changed.notify_waiters();
    }

    #[tokio::test]
    async fn a_new_connection_takes_the_place_of_the_one_idle_the_longest() {
        let all = Connections::new(2, 1, Duration::from_secs(5));
        let (a, _ca) = connection(b"").await;
        let (b, _cb) = connection(b"").await;
        let (c, _cc) = connection(b"").await;
        let first = all.admit(&a).await.unwrap();
        let second = all.admit(&b).await.unwrap();
        let _busy = second.busy();
        let third = tokio::time::timeout(Duration::from_secs(1), all.admit(&c)).await.expect("room made within a second").unwrap();
        assert_eq!(all.counts(), (2, 0));
        assert!(tokio::time::timeout(Duration::from_millis(100), first.slot.close.notified()).await.is_ok(), "the idle one is told to close");
        // Both busy: the next waits until one is done.
        let _busy_too = third.busy();
        let waiting = tokio::spawn({
            let all = Arc::clone(&all);
            async move {
                let (d, _cd) = connection(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await;
                all.admit(&d).await.map(|_| ())
            }
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!waiting.is_finished(), "no idle connection to close, even for a whole request");
        drop(_busy);
        tokio::time::timeout(Duration::from_secs(1), waiting).await.expect("admitted once one is idle").unwrap().unwrap();
    }

    #[tokio::test]
    async fn long_polls_have_places_of_their_own() {
        let all = Connections::new(1, 1, Duration::from_secs(5));
        let (a, _ca) = connection(b"").await;
        let (b, _cb) = connection(b"").await;
        let first = all.admit(&a).await.unwrap();
        let _busy = first.busy();
        let poll = first.long_poll().expect("a long-poll place");
        let second = tokio::time::timeout(Duration::from_secs(1), all.admit(&b)).await.expect("the long poll leaves its place").unwrap();
        let _busy_too = second.busy();
        assert!(second.long_poll().is_none(), "only one long poll");
        assert_eq!(all.counts(), (1, 1));
        drop(poll);
        assert_eq!(all.counts(), (2, 0));
    }

    /// The attack review's F4: clients that send half a request line and reconnect when closed kept
    /// every place, and new connections waited in the kernel's queue. A connection that has sent a
    /// whole request now takes the place of a half-sent one before half-sent ones waiting longer do.
    #[tokio::test]
    async fn a_whole_request_takes_the_place_of_a_half_sent_one_regression() {
        let all = Connections::new(1, 1, Duration::from_secs(5));
        let (held, _c1) = connection(b"GET / HTTP/1.1\r\n").await;
        let holder = all.admit(&held).await.unwrap();
        let half = tokio::spawn({
            let all = Arc::clone(&all);
            async move {
                let (s, _c) = connection(b"GET / HTTP/1.1\r\n").await;
                all.admit(&s).await.map(|_| ())
            }
        });
        let (whole, _c3) = connection(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await;
        let place = tokio::time::timeout(IDLE_FOR, all.admit(&whole)).await.expect("in well under the idle rule's quarter second").unwrap();
        assert!(place.slot.asked.load(Ordering::SeqCst));
        assert!(tokio::time::timeout(Duration::from_millis(100), holder.slot.close.notified()).await.is_ok(), "the half-sent one is told to close");
        assert!(!half.is_finished(), "the half-sent one waiting does not get the place first");
        assert_eq!(all.counts(), (1, 0));
    }

    #[tokio::test]
    async fn beyond_the_waiting_places_the_oldest_half_sent_one_is_refused_regression() {
        let all = Connections::new(1, 1, Duration::from_secs(5));
        let (held, _c) = connection(b"").await;
        let holder = all.admit(&held).await.unwrap();
        let _busy = holder.busy();
        let mut waiting = Vec::new();
        for _ in 0..MAX_WAITING {
            let all = Arc::clone(&all);
            let (s, c) = connection(b"GET / HTTP/1.1\r\n").await;
            waiting.push((tokio::spawn(async move { all.admit(&s).await.map(|_| ()) }), c));
            tokio::task::yield_now().await;
        }
        while all.waiting.load(Ordering::SeqCst) < MAX_WAITING {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let (s, _c) = connection(b"GET / HTTP/1.1\r\n").await;
        let newest = tokio::spawn({
            let all = Arc::clone(&all);
            async move { all.admit(&s).await.map(|_| ()) }
        });
        let first = &mut waiting[0].0;
        assert_eq!(tokio::time::timeout(Duration::from_secs(1), first).await.expect("refused at once").unwrap(), Err(NoPlace::Busy));
        assert!(!newest.is_finished());
        assert_eq!(all.waiting.load(Ordering::SeqCst), MAX_WAITING);
    }

    /// Red-team review 4, F8a: a response the client takes nothing of held its place for 2 s. It now
    /// gives it up to a whole request once stalled for [`STALLED`], and is reset; a response that
    /// is being taken is left alone.
    #[tokio::test]
    async fn a_stalled_response_gives_its_place_to_a_whole_request_regression() {
        let all = Connections::new(2, 1, Duration::from_secs(5));
        let (a, _ca) = connection(b"").await;
        let (b, _cb) = connection(b"").await;
        let stalled = all.admit(&a).await.unwrap();
        let reading = all.admit(&b).await.unwrap();
        let (_busy, _busy_too) = (stalled.busy(), reading.busy());
        stalled.slot.blocked.store(now(), Ordering::SeqCst);
        let (c, _cc) = connection(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await;
        let started = Instant::now();
        let place = tokio::time::timeout(Duration::from_secs(1), all.admit(&c)).await.expect("a place within a second").unwrap();
        assert!(started.elapsed() >= STALLED - Duration::from_millis(10), "not before it has stalled for {STALLED:?}: {:?}", started.elapsed());
        assert!(tokio::time::timeout(Duration::from_millis(100), stalled.slot.close.notified()).await.is_ok(), "the stalled one is told to close");
        assert!(stalled.slot.reset.load(Ordering::SeqCst), "and is reset");
        assert!(!reading.slot.reset.load(Ordering::SeqCst));
        drop(place);
    }

    /// Only a connection that has sent a whole request may close a busy one: a silent one waits.
    #[tokio::test]
    async fn a_silent_connection_does_not_close_a_stalled_response() {
        let all = Connections::new(1, 1, Duration::from_secs(5));
        let (a, _ca) = connection(b"").await;
        let stalled = all.admit(&a).await.unwrap();
        let _busy = stalled.busy();
        stalled.slot.blocked.store(now().saturating_sub(10_000), Ordering::SeqCst);
        let (b, _cb) = connection(b"").await;
        assert!(tokio::time::timeout(Duration::from_millis(300), all.admit(&b)).await.is_err(), "still waiting");
    }

    /// Whole requests get places in the order they were sent, and a connection that has sent none
    /// gets no place while they wait.
    #[tokio::test]
    async fn waiting_whole_requests_get_places_in_turn() {
        let all = Connections::new(1, 1, Duration::from_secs(5));
        let (held, _c) = connection(b"").await;
        let holder = all.admit(&held).await.unwrap();
        let busy = holder.busy();
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut waiting = Vec::new();
        for i in 0..3 {
            let (connections, order) = (Arc::clone(&all), Arc::clone(&order));
            let (s, c) = connection(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await;
            waiting.push((
                tokio::spawn(async move {
                    let place = connections.admit(&s).await.unwrap();
                    order.lock().unwrap().push(i);
                    // Busy a moment, then gone: the next takes its place.
                    let busy = place.busy();
                    tokio::time::sleep(Duration::from_millis(30)).await;
                    drop(busy);
                    gone(&place);
                }),
                c,
            ));
            while all.queue.lock().unwrap().line.len() < i + 1 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
        let silent = tokio::spawn({
            let all = Arc::clone(&all);
            async move {
                let (s, _c) = connection(b"").await;
                all.admit(&s).await.map(|_| ())
            }
        });
        drop(busy);
        gone(&holder);
        for (task, _c) in waiting {
            tokio::time::timeout(Duration::from_secs(2), task).await.expect("each in turn").unwrap();
        }
        assert_eq!(*order.lock().unwrap(), [0, 1, 2]);
        tokio::time::timeout(Duration::from_secs(1), silent).await.expect("the silent one once the line is empty").unwrap().unwrap();
    }

    /// Red-team review 4, F8b: with thousands of silent connections a second, a normal request was
    /// the one waiting the longest without a whole request head when its bytes had come but had not
    /// been looked at yet, and was refused. It is looked at once more before it is refused.
    #[tokio::test]
    async fn a_request_that_came_unseen_is_not_refused_for_a_newer_connection_regression() {
        let all = Connections::new(1, 1, Duration::from_secs(5));
        let (held, _c) = connection(b"").await;
        let holder = all.admit(&held).await.unwrap();
        let busy = holder.busy();
        // Half a request: looked at again later and later while nothing more comes.
        let (s, mut first_client) = connection(b"GET / HTTP/1.1\r\n").await;
        let first = tokio::spawn({
            let all = Arc::clone(&all);
            async move { all.admit(&s).await.map(|_| ()) }
        });
        tokio::time::sleep(Duration::from_millis(650)).await;
        // The rest comes, and before its next look, the queue fills behind it.
        first_client.write_all(b"Host: x\r\n\r\n").await.unwrap();
        let mut waiting = Vec::new();
        for _ in 0..MAX_WAITING {
            let all = Arc::clone(&all);
            let (s, c) = connection(b"GET / HTTP/1.1\r\n").await;
            waiting.push((tokio::spawn(async move { all.admit(&s).await.map(|_| ()) }), c));
        }
        let second = &mut waiting[0].0;
        assert_eq!(tokio::time::timeout(Duration::from_secs(1), second).await.expect("refused at once").unwrap(), Err(NoPlace::Busy), "the next oldest half-sent one gives up its turn instead");
        assert!(!first.is_finished(), "the whole request still waits");
        drop(busy);
        gone(&holder);
        tokio::time::timeout(Duration::from_secs(1), first).await.expect("and gets the place").unwrap().unwrap();
    }
}
