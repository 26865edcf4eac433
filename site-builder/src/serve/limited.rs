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
//! - a new connection is always accepted at once and waits here, never in the kernel's listen queue
//!   (about 200 clients that send half a request and reconnect when closed filled that queue, and a
//!   normal client waited 7–30 s to connect). While it waits, its first bytes are looked at
//!   (`peek`, nothing is consumed): one that has sent a whole request head may take the place of a
//!   connection that has had a place for [`HALF_SENT_FOR`] without sending a whole request (half a
//!   request, or nothing); at most [`MAX_WAITING`] wait, and when more come the one waiting the
//!   longest without a whole request head is answered 503 (`Connection: close`) and closed, or,
//!   when every waiting one has sent a whole head, the new one is;
//! - long polls have places of their own, `max_long_polls`; a long poll beyond them is refused by
//!   closing its connection (the page's script asks again a second later);
//! - a connection idle for longer than the idle timeout (hyper's header timeout closes it first), or
//!   busy with a response the client has not read any of for [`STALL_TIMEOUT`], is closed.

use std::future::Future;
use std::io;
use std::pin::Pin;
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
/// A response still being sent after this long may be given up when a new connection needs its
/// place: on 127.0.0.1 a browser takes a 10 MB page in milliseconds, so such a client reads slowly
/// or not at all.
pub const SLOW: Duration = Duration::from_secs(2);
/// A connection that has had its place this long without sending a whole request head (half a
/// request line, or nothing) gives its place to a waiting connection that has sent one. A client on
/// 127.0.0.1 sends its request within a millisecond of connecting.
pub const HALF_SENT_FOR: Duration = Duration::from_millis(100);
/// New connections waiting for a place at most (each an open file; the usual limit is 1,024).
pub const MAX_WAITING: usize = 256;
/// How much of a waiting connection's first bytes are looked at for the end of a request head; a
/// request with longer headers waits like one that has sent half a request.
const PEEK: usize = 8 * 1024;

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
    queue: Mutex<Vec<Arc<Queued>>>,
    /// How many there are (read for each response: see [`Busy::should_close`]).
    waiting: AtomicUsize,
}

/// Why a new connection got no place.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// It closed, or sent no whole request head within the idle timeout: close it.
    Gone,
    /// Too many are waiting: answer 503 and close it.
    Busy,
}

/// A new connection waiting for a place.
struct Queued {
    since: u64,
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
    close: Notify,
    /// It has sent a whole request head (it was seen when it waited, or it has been busy).
    asked: AtomicBool,
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
            queue: Mutex::new(Vec::new()),
            waiting: AtomicUsize::new(0),
        })
    }

    /// A place for the new connection `stream` (already accepted): a free one, else the place of the
    /// connection idle the longest (which is closed), else, once `stream` has sent a whole request
    /// head, the place of one that has not sent one for [`HALF_SENT_FOR`], else the first to come free.
    pub async fn admit(self: &Arc<Self>, stream: &TcpStream) -> Result<Place, Refused> {
        let deadline = tokio::time::Instant::now() + self.idle_timeout;
        let mut queued: Option<InQueue> = None;
        let mut head = Head::default();
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if let Some(place) = self.place(head.ready) {
                return Ok(place);
            }
            if queued.is_none() {
                queued = Some(self.enqueue()?);
            }
            let queued = queued.as_ref().expect("just queued");
            queued.0.ready.store(head.ready, Ordering::SeqCst);
            let peeking = !head.ready;
            // A busy connection's response may stall meanwhile, and a place grow old enough to be
            // given up, which nothing announces.
            let recheck = if head.ready { Duration::from_millis(20) } else { Duration::from_millis(250) };
            tokio::select! {
                _ = &mut changed => {}
                () = tokio::time::sleep(recheck) => {}
                () = queued.0.evicted.notified() => return Err(Refused::Busy),
                () = tokio::time::sleep_until(deadline) => return Err(Refused::Gone),
                open = head.peek(stream), if peeking => if !open { return Err(Refused::Gone) },
            }
        }
    }

    /// A place, if one is free or can be made (see [`Connections::admit`]); `asked`: the new
    /// connection has sent a whole request head.
    fn place(self: &Arc<Self>, asked: bool) -> Option<Place> {
        let mut open = self.open.lock().expect("no panic while holding the lock");
        let taken = open.iter().filter(|s| s.state.load(Ordering::SeqCst) != LONG_POLL).count();
        let room = taken < self.max || {
            let victim = closable(&open).or_else(|| if asked { half_sent(&open) } else { None });
            victim.map(|i| open.swap_remove(i).close.notify_one()).is_some()
        };
        if !room {
            return None;
        }
        let at = now();
        let slot = Arc::new(Slot { state: AtomicU8::new(IDLE), since: AtomicU64::new(at), wrote: AtomicU64::new(at), close: Notify::new(), asked: AtomicBool::new(asked) });
        open.push(Arc::clone(&slot));
        Some(Place { slot, all: Arc::clone(self) })
    }

    /// Joins the connections waiting for a place; when [`MAX_WAITING`] already wait, the one
    /// waiting the longest without a whole request head gives up its turn, else this one is refused.
    fn enqueue(self: &Arc<Self>) -> Result<InQueue, Refused> {
        let mut queue = self.queue.lock().expect("no panic while holding the lock");
        if queue.len() >= MAX_WAITING {
            let oldest = queue.iter().enumerate().filter(|(_, q)| !q.ready.load(Ordering::SeqCst)).min_by_key(|(_, q)| q.since).map(|(i, _)| i);
            let Some(oldest) = oldest else {
                return Err(Refused::Busy);
            };
            // Its guard still counts it until it has gone.
            queue.remove(oldest).evicted.notify_one();
        }
        let queued = Arc::new(Queued { since: now(), ready: AtomicBool::new(false), evicted: Notify::new() });
        queue.push(Arc::clone(&queued));
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

impl Drop for InQueue {
    fn drop(&mut self) {
        self.1.queue.lock().expect("no panic while holding the lock").retain(|q| !Arc::ptr_eq(q, &self.0));
        self.1.waiting.fetch_sub(1, Ordering::SeqCst);
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

impl Head {
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
        self.ready = bytes[..n].windows(4).any(|w| w == b"\r\n\r\n") || bytes[..n].windows(2).any(|w| w == b"\n\n");
        let pause = match self.next {
            Some((_, pause)) if n == self.seen => (pause * 2).min(Duration::from_secs(1)),
            _ => Duration::from_millis(20),
        };
        self.seen = n;
        self.next = Some((tokio::time::Instant::now() + pause, pause));
        true
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

/// The connection to close to make room for one that has sent a whole request head: among those
/// idle since they got their place [`HALF_SENT_FOR`] ago or more without ever sending one (half a
/// request line, or nothing), the one that got its place first.
fn half_sent(open: &[Arc<Slot>]) -> Option<usize> {
    let at = now();
    let held = |s: &Slot| at.saturating_sub(s.since.load(Ordering::SeqCst));
    open.iter()
        .enumerate()
        .filter(|(_, s)| s.state.load(Ordering::SeqCst) == IDLE && !s.asked.load(Ordering::SeqCst) && held(s) >= HALF_SENT_FOR.as_millis() as u64)
        .max_by_key(|(_, s)| held(s))
        .map(|(i, _)| i)
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
    use tokio::io::AsyncWriteExt;

    /// A connection on 127.0.0.1 that has sent `sent`: the server's end and the client's.
    async fn connection(sent: &[u8]) -> (TcpStream, TcpStream) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
        client.write_all(sent).await.unwrap();
        (listener.accept().await.unwrap().0, client)
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
        assert_eq!(tokio::time::timeout(Duration::from_secs(1), first).await.expect("refused at once").unwrap(), Err(Refused::Busy));
        assert!(!newest.is_finished());
        assert_eq!(all.waiting.load(Ordering::SeqCst), MAX_WAITING);
    }
}
