//! `serve`: builds, serves the output on 127.0.0.1 only, rebuilds when a source changes and tells open
//! pages to reload. A failed rebuild prints its errors and keeps serving the last good output; when
//! there is none yet, every page shows the errors until a build succeeds.
//!
//! What a page on another site, a flood of requests or a hostile local client could do to it is
//! bounded:
//! - request paths are decoded and refused if they could leave the output folder (`..`, encoded or
//!   not, backslashes, NUL, symlinks out);
//! - only `GET` and `HEAD` are answered (405 otherwise), and only with exactly one `Host` header
//!   (400 otherwise) that names this server, in an absolute-form request line too (421 otherwise), so a
//!   page on another site cannot read it through DNS rebinding;
//! - `/__livereload`, `/__builds` and `/__requests` give the build, attempt and request counters that
//!   open pages (live reload) and the tests wait on;
//! - at most [`MAX_CONNECTIONS`] connections are idle or answering a request at once. A new
//!   connection never waits behind idle ones: the one idle the longest (for a quarter of a second
//!   at least) is closed to make room. One that has sent a whole request also takes the place of one
//!   that has sent none for [`limited::HALF_SENT_FOR`], else of a response the client has taken
//!   nothing of for [`limited::STALLED`] (a client that reads nothing; reset, so the kernel drops
//!   its unsent bytes), else of one still being sent after two seconds (a client that reads slowly;
//!   see [`limited`]); it waits only while every place is newly taken, and meanwhile every answer
//!   closes its connection (`Connection: close`), so clients that keep their connections busy make
//!   room after their next request;
//! - every connection is accepted at once, so the kernel's listen queue never fills (clients that
//!   send half a request and reconnect when closed kept a normal one out for 7–30 s); while no place
//!   can be made, it waits in the server. Its bytes are looked at when it is accepted: those that
//!   have sent a whole request head get places in the order they did, before those that have not;
//!   at most [`limited::MAX_WAITING`] wait, and beyond them the one waiting the longest without a
//!   whole request head (looked at once more) is answered 503 (`Connection: close`), or the new one
//!   when all have sent one;
//! - each connection's kernel send buffer is [`SEND_BUFFER`], so a client that reads nothing costs
//!   little to fill and little to hold;
//! - a connection must send its request's headers within [`IDLE_TIMEOUT`] of opening, or of its last
//!   response (keep-alive); one that does not (silent, half a request, idle) is closed;
//! - a response the client reads none of for [`limited::STALL_TIMEOUT`] is given up;
//! - live-reload requests waiting for a build take [`MAX_LONG_POLLS`] places of their own, outside
//!   the connections' limit; one more is closed at once (the page's script asks again a second later);
//! - files are streamed in [`body::CHUNK`]-byte pieces, read only as the client takes them, so memory
//!   does not grow with file size or slow readers (at most [`BUFFER`] bytes buffered per connection,
//!   plus a piece); at most [`MAX_FILE_READS`] files are read at once, which bounds threads, and
//!   [`OPENING`] of those places are kept for opening a new request's file, so a new request never
//!   waits behind the pieces of responses being sent;
//! - while it runs, serve holds a lock on its output folder ([`crate::output::serve_lock`]): a build
//!   into it, or a second serve of it, is refused.
//!
//! With 64 connections open that send nothing, 64 that sent half their headers or 64 waiting
//! live-reload requests, a new request is answered in 1–13 ms (it went unanswered for over 60 s
//! before); 64 connections that request a 10 MB page and read none of it grow the server by about
//! 14 MB, or 35 MB when it is gzipped on the way (676 MB before). Release figures from
//! `bash scripts/measure-serve-load.sh hostile`, also in the README. Beyond 64 (red-team review 4,
//! F8; `bash scripts/measure-serve-flood.sh`): 300 clients that each request a 6 MB page, read
//! nothing, close after 3 s and connect again kept a normal request out for up to 5 s, or had it
//! refused (503, or closed unanswered), as each held its place for 2 s and competed with it for a
//! freed one; 1,500 silent clients that connect again as soon as closed could have it refused 503.

mod body;
mod encoding;
mod limited;

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use hyper::header::{self, HeaderValue};
use hyper::{Method, StatusCode, Uri};
use notify::{RecursiveMode, Watcher};
use std::sync::Mutex;
use tokio::sync::Semaphore;

use crate::live::LiveSite;
use crate::output::{self, OutputError};
use crate::output_guard::{self, Existing};
use crate::pipeline::{self, BuildOptions};
use crate::render::RenderOptions;
use body::Reply;

/// Connections idle or answering a request at once; a browser opens about six per site, so this is
/// plenty for a person and bounds what a flood can cost.
pub const MAX_CONNECTIONS: usize = 64;
/// Live-reload requests waiting for a build at once (one per open page), beyond [`MAX_CONNECTIONS`].
pub const MAX_LONG_POLLS: usize = 64;
/// Files read from disk at once (a piece of each).
pub const MAX_FILE_READS: usize = 8;
/// Of those, the places kept for opening a request's file (the rest read the pieces of responses).
pub const OPENING: usize = 2;
/// How long a connection has to send a request's headers, from its opening or its last response: the
/// header timeout and the keep-alive timeout (Apache's default keep-alive timeout is the same).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// The most a connection's request headers, and its response waiting to be sent, may hold (hyper's
/// buffer limit).
pub const BUFFER: usize = 64 * 1024;
/// The kernel's send buffer of each connection (Linux doubles what is asked, for its bookkeeping).
/// Left to itself it grows to 4 MB for a client that reads nothing, and each such client made the
/// server read and copy 2 MB of a large page before its response stalled (300 of them, connecting
/// again every 3 s, kept both cores busy and a normal request waited up to 1.3 s); a client on
/// 127.0.0.1 that reads never leaves more than a few pieces in it.
pub const SEND_BUFFER: usize = 128 * 1024;
/// The kernel's queue of connections not accepted yet (the standard library asks for 128; the
/// system may allow fewer, `net.core.somaxconn`). serve accepts at once, but a flood of clients that
/// connect again as soon as closed (1,500 of them, tens of thousands of connections a second) fills
/// 128 faster than that; the kernel then drops a new client's handshake, and the client tries
/// again only after 1 s, then 3 s.
pub const LISTEN_QUEUE: i32 = 4096;
/// How long a live-reload request waits for a build before answering with the same counter.
const LONG_POLL_WAIT: Duration = Duration::from_secs(25);

/// The Content-Security-Policy every page carries (also as a `<meta>` in the templates).
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'";

/// Why a request path is not answered with a file.
#[derive(Debug, PartialEq, Eq)]
pub enum NotServed {
    /// It tried to leave the output folder.
    Outside,
    /// No such file.
    NotFound,
}

/// Maps a request path (`/faq/x/?q=1`) to a file under `root`, refusing anything outside it.
pub fn resolve(root: &Path, request_path: &str) -> Result<PathBuf, NotServed> {
    let path = request_path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().map_err(|_| NotServed::Outside)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return Err(NotServed::Outside);
    }
    let mut file = root.to_path_buf();
    for part in Path::new(decoded.trim_start_matches('/')).components() {
        match part {
            Component::Normal(p) => file.push(p),
            Component::CurDir => {}
            _ => return Err(NotServed::Outside),
        }
    }
    if decoded.split('/').any(|s| s == "..") {
        return Err(NotServed::Outside);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let real = file.canonicalize().map_err(|_| NotServed::NotFound)?;
    let real_root = root.canonicalize().map_err(|_| NotServed::NotFound)?;
    if !real.starts_with(&real_root) {
        return Err(NotServed::Outside);
    }
    Ok(real)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Builds, then serves `output` on `127.0.0.1:port` until interrupted, rebuilding on change.
///
/// The port is bound before the first build, so `--port 0` takes a free port from the system with no
/// window in which another process could take it: the `serving http://127.0.0.1:PORT/` line on
/// stdout says which (the tests read it).
///
/// The HTTP side is hyper's HTTP/1.1 server on tokio (the file watcher and the counters share its
/// runtime), driven connection by connection here so that each connection's state is known (see
/// [`limited`]). A browser keeps several keep-alive connections open per page; a server that gives
/// each connection a pool thread can leave one request unread behind idle connections, and the page
/// never finishes loading.
pub fn serve(root: &Path, output: &Path, port: u16, options: BuildOptions) -> anyhow::Result<()> {
    let existing = output_guard::check(output, root, options.force)?;
    // The folder is made now, empty, so that the lock below holds from the start, also while no
    // build has succeeded yet (an empty folder is one the builder may replace).
    let existing = match existing {
        Existing::Absent => {
            std::fs::create_dir_all(output).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", output.display()))?;
            Existing::Folder
        }
        folder => folder,
    };
    let _lock = output::serve_lock(output).map_err(|e| match e {
        OutputError::Served(_) => anyhow::anyhow!("another site-builder serve is serving {} right now: stop it first, or serve into another folder with --output", output.display()),
        e => e.into(),
    })?;
    let std_listener = listen(port).map_err(|e| anyhow::anyhow!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    std_listener.set_nonblocking(true)?;
    let port = std_listener.local_addr()?.port();
    let state = Served {
        output: Arc::new(output.to_path_buf()),
        version: Arc::new(AtomicU64::new(0)),
        changed: Arc::new(tokio::sync::Notify::new()),
        attempts: Arc::new(AtomicU64::new(0)),
        requests: Arc::new(AtomicU64::new(0)),
        errors: Arc::new(Mutex::new(None)),
        hosts: Arc::new([format!("127.0.0.1:{port}"), format!("localhost:{port}")]),
        opening: Arc::new(Semaphore::new(OPENING)),
        piece_reads: Arc::new(Semaphore::new(MAX_FILE_READS - OPENING)),
    };
    let address = format!("http://127.0.0.1:{port}/");
    let mut live = LiveSite::new(root, output, RenderOptions { live_reload: options.live_reload });

    // Watching from before the first build: a file saved while it runs is rebuilt after it.
    let (tx, rx) = mpsc::channel();
    // Symbolic links are not followed: one leading out of the site (refused by the load step) made
    // serve watch all of /usr (15,524 watches), and one to / ended it at start.
    let mut watcher = notify::RecommendedWatcher::new(tx, notify::Config::default().with_follow_symlinks(false))?;
    for dir in ["content", "templates"] {
        let d = root.join(dir);
        if d.is_dir() {
            watcher.watch(&d, RecursiveMode::Recursive)?;
        }
    }
    if root.join("site.toml").is_file() {
        watcher.watch(&root.join("site.toml"), RecursiveMode::NonRecursive)?;
    }
    rebuild(&mut live, &state, existing, &address, None);
    {
        // The watcher names files by absolute paths.
        let content = std::path::absolute(root.join("content"))?;
        let (state, address) = (state.clone(), address.clone());
        std::thread::spawn(move || {
            while let Ok(event) = rx.recv() {
                if !is_change(&event) {
                    continue;
                }
                // An editor's save is several events in a row: take those already queued, then
                // rebuild once.
                let mut events = vec![event];
                while let Ok(event) = rx.recv_timeout(SETTLE) {
                    events.push(event);
                }
                let pages = changed_pages(&events, &content);
                rebuild(&mut live, &state, existing, &address, pages.as_ref());
            }
        });
    }

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).max_blocking_threads(MAX_FILE_READS).enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(std_listener)?;
        println!("serving {address} (Ctrl-C to stop); watching {} for changes", root.display());
        let _watching = watcher;
        match accept(listener, state).await {}
    })
}

/// Listens on 127.0.0.1:`port` (0: a free one), with a listen queue of [`LISTEN_QUEUE`].
fn listen(port: u16) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    // As the standard library's `bind` does: a port left in TIME_WAIT by a serve just stopped is
    // taken again at once (on Windows the option means something else).
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.bind(&std::net::SocketAddr::from(([127, 0, 0, 1], port)).into())?;
    socket.listen(LISTEN_QUEUE)?;
    Ok(socket.into())
}

/// Accepts connections for ever, each in a place of [`limited::Connections`], served by hyper.
async fn accept(listener: tokio::net::TcpListener, served: Served) -> std::convert::Infallible {
    let connections = limited::Connections::new(MAX_CONNECTIONS, MAX_LONG_POLLS, IDLE_TIMEOUT);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(IDLE_TIMEOUT).max_buf_size(BUFFER);
    let http = Arc::new(http);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Too many open files and the like: wait a moment rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // See [`SEND_BUFFER`]; a socket that refuses it keeps the kernel's.
        let _ = socket2::SockRef::from(&stream).set_send_buffer_size(SEND_BUFFER);
        // Accepted at once, whatever the number of connections, so the kernel's listen queue never
        // fills: the place is decided here (see [`limited`]).
        let (served, http, connections) = (served.clone(), Arc::clone(&http), Arc::clone(&connections));
        tokio::spawn(async move {
            let place = match connections.admit(&stream).await {
                Ok(place) => place,
                Err(limited::NoPlace::Busy) => return refuse(stream),
                Err(limited::NoPlace::Gone) => return,
            };
            let io = hyper_util::rt::TokioIo::new(place.track(stream));
            let service = {
                let place = place.clone();
                hyper::service::service_fn(move |request| respond(served.clone(), place.clone(), request))
            };
            place.watch(http.serve_connection(io, service)).await;
        });
    }
}

/// Answers a connection that gets no place (too many waiting) with 503 and closes it, without
/// waiting: what the socket takes at once is sent, the rest dropped.
fn refuse(stream: tokio::net::TcpStream) {
    const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 21\r\n\r\ntoo many connections\n";
    let _ = stream.try_write(BUSY);
}

/// Only writes, creations, removals and renames rebuild: a rebuild reads every source, and counting
/// those reads (inotify reports opens) as changes would rebuild for ever.
fn is_change(event: &notify::Result<notify::Event>) -> bool {
    use notify::EventKind;
    matches!(event, Ok(e) if matches!(e.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)))
}

/// The pages (paths below `content/`) a batch of watcher events wrote to, when that is all they did;
/// `None` when they did anything else, or may have (a file added, removed or renamed, a template or
/// the settings written, events lost, an error): the rebuild then looks at every file. A path that is
/// not a page the last build read makes the rebuild look at every file too.
fn changed_pages(events: &[notify::Result<notify::Event>], content: &Path) -> Option<HashSet<String>> {
    use notify::event::{EventKind, ModifyKind};
    let mut pages = HashSet::new();
    for event in events {
        let Ok(event) = event else { return None };
        match event.kind {
            EventKind::Access(_) => continue,
            EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Metadata(_) | ModifyKind::Any) if !event.need_rescan() => {}
            _ => return None,
        }
        for path in &event.paths {
            let relative = path.strip_prefix(content).ok()?;
            let parts: Option<Vec<&str>> = relative.components().map(|c| c.as_os_str().to_str()).collect();
            pages.insert(parts?.join("/"));
        }
    }
    Some(pages)
}

/// How long to wait for more events of the same save before rebuilding: an editor's events come
/// within a millisecond of each other; a later one only costs a second rebuild.
const SETTLE: Duration = Duration::from_millis(2);

/// Rebuilds what changed, says how it went, and tells the open pages (live reload); on a failure
/// the last good build stays served, or, with none yet, every page shows the errors. Counts the
/// attempt either way.
fn rebuild(live: &mut LiveSite, state: &Served, existing: Existing, address: &str, changed: Option<&HashSet<String>>) {
    let had_build = pipeline::has_build(&state.output);
    match live.rebuild(existing, changed) {
        Ok(report) => {
            *state.errors.lock().expect("no panic while holding the lock") = None;
            state.version.fetch_add(1, Ordering::SeqCst);
            state.changed.notify_waiters();
            println!("built: {report}");
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
        }
        Err(e) if had_build => eprintln!("{e}\nbuild failed: the site keeps serving the last good build"),
        Err(e) => {
            eprintln!("{e}\nthe first build failed, so there is no site to serve yet: {address} shows these errors until a build succeeds");
            *state.errors.lock().expect("no panic while holding the lock") = Some(error_page(&e));
            state.version.fetch_add(1, Ordering::SeqCst);
            state.changed.notify_waiters();
        }
    }
    state.attempts.fetch_add(1, Ordering::SeqCst);
}

/// What every request handler sees.
#[derive(Clone)]
struct Served {
    output: Arc<PathBuf>,
    /// Counts builds (and first failures); live reload waits on it.
    version: Arc<AtomicU64>,
    /// Wakes the live-reload requests waiting for the next build.
    changed: Arc<tokio::sync::Notify>,
    /// Counts finished build attempts, good or not (`/__builds`): what a test waits on after an edit,
    /// instead of sleeping.
    attempts: Arc<AtomicU64>,
    /// Counts the requests for the site's files (`/__requests`; the `/__` paths are not counted), so a
    /// test can show that checking a form sends nothing.
    requests: Arc<AtomicU64>,
    /// The page of a failed build's errors while there is no good one to serve: made once per
    /// build and shared by every request (a clone of `Bytes` copies nothing).
    errors: Arc<Mutex<Option<hyper::body::Bytes>>>,
    /// The `Host` values this server answers to.
    hosts: Arc<[String; 2]>,
    /// Places for opening a request's file.
    opening: Arc<Semaphore>,
    /// Places for reading (and compressing) a piece of a file being sent.
    piece_reads: Arc<Semaphore>,
}

/// At most this many errors are listed on the error page; the rest are counted (a page holding
/// 200,000 errors, built again for each request, took the server to 1.9 GB with 60 clients).
const ERRORS_SHOWN: usize = 100;

/// The page shown while no build has succeeded: the first [`ERRORS_SHOWN`] errors, and the
/// live-reload script (served by the server itself, since there is no output) so the page turns
/// into the site once the errors are fixed.
fn error_page(error: &crate::pipeline::BuildError) -> hyper::body::Bytes {
    let errors = match error {
        crate::pipeline::BuildError::Content(all) if all.0.len() > ERRORS_SHOWN => {
            let mut shown: String = all.0.iter().take(ERRORS_SHOWN).map(|e| format!("error: {e}\n")).collect();
            shown.push_str(&format!("… and {} more errors: `site-builder check` lists them all", all.0.len() - ERRORS_SHOWN));
            shown
        }
        other => other.to_string(),
    };
    let page = format!(
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>构建失败</title>\
         <script src=\"{LIVE_RELOAD_PATH}\" defer></script></head>\
         <body><h1>构建失败</h1><p>网站还没有构建成功过。改正下面的错误并保存后，这个页面会自动刷新。</p>\
         <p>The build failed and there is no earlier build to show. Fix the errors below and save: this page reloads.</p>\
         <pre>{}</pre></body></html>\n",
        crate::markdown::escape_attr(&errors)
    );
    hyper::body::Bytes::from(page)
}

/// Where the server itself serves the live-reload script, for the error page.
const LIVE_RELOAD_PATH: &str = "/__livereload.js";

type Response = hyper::Response<Reply>;

/// Keeps the connection busy until the response has been sent.
trait Holding {
    fn holding(self, busy: limited::Busy) -> Self;
}

impl Holding for Response {
    fn holding(mut self, busy: limited::Busy) -> Self {
        if busy.should_close() {
            self.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        self.map(|body| body.holding(busy))
    }
}

/// A response of `status` with a short text or page.
fn text(status: StatusCode, kind: &'static str, body: impl Into<hyper::body::Bytes>) -> Response {
    let mut response = hyper::Response::new(Reply::bytes(body));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    response
}

/// Why a connection is closed without an answer.
#[derive(Debug)]
struct Closed(&'static str);

impl std::fmt::Display for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Closed {}

/// Whether a request is addressed to this server: one `Host` header that names it, and, in an
/// absolute-form request line (`GET http://host/ HTTP/1.1`), that same server. The status to answer
/// otherwise.
fn misaddressed(served: &Served, uri: &Uri, headers: &hyper::HeaderMap) -> Option<(StatusCode, String)> {
    let ours = |host: &str| served.hosts.iter().any(|h| h.eq_ignore_ascii_case(host));
    let answers_to = format!("this server answers only to http://{}/ and http://{}/\n", served.hosts[0], served.hosts[1]);
    let mut hosts = headers.get_all(header::HOST).iter();
    let (Some(host), None) = (hosts.next(), hosts.next()) else {
        return Some((StatusCode::BAD_REQUEST, "a request needs exactly one Host header\n".into()));
    };
    if !ours(host.to_str().unwrap_or("")) {
        return Some((StatusCode::MISDIRECTED_REQUEST, answers_to));
    }
    if let Some(authority) = uri.authority() {
        if uri.scheme_str() != Some("http") || !ours(authority.as_str()) {
            return Some((StatusCode::MISDIRECTED_REQUEST, answers_to));
        }
    }
    None
}

/// Answers one request on the connection at `place`, which is busy until the response is sent.
async fn respond(served: Served, place: limited::Place, request: hyper::Request<hyper::body::Incoming>) -> Result<Response, Closed> {
    let busy = place.busy();
    let (method, uri, headers) = (request.method(), request.uri(), request.headers());
    if let Some((status, message)) = misaddressed(&served, uri, headers) {
        return Ok(text(status, "text/plain; charset=utf-8", message).holding(busy));
    }
    if method != Method::GET && method != Method::HEAD {
        let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "only GET and HEAD\n");
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Ok(response.holding(busy));
    }
    if uri.path() == "/__livereload" {
        return Ok(live_reload(&served, &place, uri.query().unwrap_or("")).await?.holding(busy));
    }
    let counter = match uri.path() {
        "/__builds" => Some(&served.attempts),
        "/__requests" => Some(&served.requests),
        _ => None,
    };
    if let Some(counter) = counter {
        let value = counter.load(Ordering::SeqCst).to_string();
        return Ok(no_store(text(StatusCode::OK, "text/plain", value)).holding(busy));
    }
    if !uri.path().starts_with("/__") {
        served.requests.fetch_add(1, Ordering::SeqCst);
    }
    if uri.path() == LIVE_RELOAD_PATH {
        let script = crate::templates::BUILTIN_ASSETS.iter().find(|(n, _)| *n == "assets/livereload.js").map_or("", |(_, t)| t);
        return Ok(no_store(text(StatusCode::OK, "text/javascript; charset=utf-8", script)).holding(busy));
    }
    let errors = served.errors.lock().expect("no panic while holding the lock").clone();
    if let Some(errors) = errors {
        let mut response = no_store(text(StatusCode::INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", errors));
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
        return Ok(response.holding(busy));
    }
    let accept_encoding: String = headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    let gzip_ok = encoding::accepts(&accept_encoding, "gzip");
    let request_path = uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    let output = Arc::clone(&served.output);
    let opened = {
        let Ok(_reading) = served.opening.acquire().await else {
            return Ok(text(StatusCode::SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", "shutting down\n").holding(busy));
        };
        tokio::task::spawn_blocking(move || open(&output, &request_path, &accept_encoding)).await.unwrap_or((StatusCode::INTERNAL_SERVER_ERROR, None))
    };
    let (status, file) = opened;

    let mut response = match file {
        Some(Opened { path, coding: Some(coding), file, length }) => {
            let mut response = hyper::Response::new(Reply::file(file, length, false, Arc::clone(&served.piece_reads)));
            response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&path)));
            response.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
            response
        }
        Some(Opened { path, coding: None, file, length }) => {
            let kind = content_type(&path);
            let compress = gzip_ok && length > 1024 && (kind.starts_with("text/") || kind.starts_with("application/"));
            let mut response = hyper::Response::new(Reply::file(file, length, compress, Arc::clone(&served.piece_reads)));
            if compress {
                response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            response.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
            response
        }
        None => text(status, "text/plain; charset=utf-8", if status == StatusCode::FORBIDDEN { "forbidden" } else { "not found" }),
    };
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // A content-hashed asset never changes under its name: the browser keeps it across the live
    // reloads (a reload then fetches only the page), as a host's cache would.
    let immutable = status == StatusCode::OK && has_content_hash(uri.path());
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(if immutable { "public, max-age=31536000, immutable" } else { "no-cache" }));
    Ok(response.holding(busy))
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A file opened to be sent: the build's precompressed copy (and its coding) or the file itself.
struct Opened {
    path: PathBuf,
    coding: Option<&'static str>,
    file: std::fs::File,
    length: u64,
}

/// The status for `request_path` and the file to send with it (the site's 404 page when not found).
fn open(output: &Path, request_path: &str, accept_encoding: &str) -> (StatusCode, Option<Opened>) {
    let (status, path) = match resolve(output, request_path) {
        Ok(f) => (StatusCode::OK, f),
        Err(NotServed::Outside) => return (StatusCode::FORBIDDEN, None),
        Err(NotServed::NotFound) => (StatusCode::NOT_FOUND, output.join("404.html")),
    };
    // The build's copy when there is one, as a host sends it; else the file.
    let (coding, sent) = match encoding::precompressed(&path, accept_encoding) {
        Some((coding, copy)) => (Some(coding), copy),
        None => (None, path.clone()),
    };
    let opened = std::fs::File::open(&sent).and_then(|file| {
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(std::io::ErrorKind::InvalidInput.into());
        }
        Ok(Opened { path, coding, file, length: meta.len() })
    });
    (status, opened.ok())
}

/// Whether a path's file name carries a content hash (`style.0123456789ab.css`).
fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|p| p.len() == crate::asset_names::HASH_LEN && p.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
}

/// `/__livereload?since=N`: answers with the build counter as soon as it passes N (at once if it
/// already has), else after 25 s with the same N, so the page's script learns of a build the moment
/// it is served instead of polling. Without `since`, the counter at once. A request that waits takes
/// one of the [`MAX_LONG_POLLS`] places of its own (not one of the connections' places); when none
/// is free its connection is closed, and the page's script asks again a second later.
async fn live_reload(served: &Served, place: &limited::Place, query: &str) -> Result<Response, Closed> {
    let since = query.split('&').find_map(|kv| kv.strip_prefix("since=")).and_then(|v| v.parse::<u64>().ok());
    if let Some(since) = since.filter(|&s| s == served.version.load(Ordering::SeqCst)) {
        let Some(_polling) = place.long_poll() else {
            return Err(Closed("too many live-reload requests waiting"));
        };
        let deadline = tokio::time::Instant::now() + LONG_POLL_WAIT;
        loop {
            // Registered before the counter is read, so a build between the two is not missed.
            let waiting = served.changed.notified();
            tokio::pin!(waiting);
            waiting.as_mut().enable();
            if served.version.load(Ordering::SeqCst) != since {
                break;
            }
            if tokio::time::timeout_at(deadline, waiting).await.is_err() {
                break;
            }
        }
    }
    let value = served.version.load(Ordering::SeqCst).to_string();
    Ok(no_store(text(StatusCode::OK, "text/plain", value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes to pages are named; anything else (a file added, removed or renamed, a template,
    /// events lost) is not, and the rebuild looks at every file.
    #[test]
    fn the_pages_a_batch_of_events_wrote_to() {
        use notify::event::{AccessKind, AccessMode, CreateKind, DataChange, EventKind, Flag, ModifyKind, RenameMode};
        let content = Path::new("/site/content");
        let event = |kind: EventKind, path: &str| Ok(notify::Event::new(kind).add_path(PathBuf::from(path)));
        let write = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let pages = changed_pages(
            &[event(write, "/site/content/faq/a.md"), event(EventKind::Access(AccessKind::Close(AccessMode::Write)), "/site/content/faq/a.md"), event(write, "/site/content/./b.md")],
            content,
        );
        assert_eq!(pages, Some(["faq/a.md".to_string(), "b.md".to_string()].into()));
        for other in [
            event(EventKind::Create(CreateKind::File), "/site/content/c.md"),
            event(EventKind::Modify(ModifyKind::Name(RenameMode::Both)), "/site/content/c.md"),
            event(EventKind::Remove(notify::event::RemoveKind::Any), "/site/content/c.md"),
            event(write, "/site/templates/page.html"),
            Ok(notify::Event::new(write).add_path(PathBuf::from("/site/content/a.md")).set_flag(Flag::Rescan)),
            Err(notify::Error::generic("lost")),
        ] {
            assert_eq!(changed_pages(&[event(write, "/site/content/a.md"), other], content), None);
        }
    }

    #[test]
    fn resolves_pages_and_refuses_escapes() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("public");
        std::fs::create_dir_all(root.join("faq")).unwrap();
        std::fs::write(root.join("faq/index.html"), "x").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "s").unwrap();
        assert!(resolve(&root, "/faq/").unwrap().ends_with("faq/index.html"));
        assert!(resolve(&root, "/faq/?q=1").is_ok());
        for bad in ["/../secret.txt", "/%2e%2e/secret.txt", "/faq/%2E%2E/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%5c..%5csecret.txt", "/a%00b"] {
            assert_eq!(resolve(&root, bad), Err(NotServed::Outside), "{bad}");
        }
        assert_eq!(resolve(&root, "/nope/"), Err(NotServed::NotFound));
    }

    #[test]
    fn only_content_hashed_names_are_cached_for_ever() {
        assert!(has_content_hash("/assets/style.0123456789ab.css"));
        assert!(has_content_hash("/assets/validator/validator_bg.0123456789ab.wasm"));
        assert!(!has_content_hash("/assets/style.css"));
        assert!(!has_content_hash("/faq/index.html"));
        assert!(!has_content_hash("/assets/data/wizard.json"));
    }

    #[test]
    fn reading_a_source_does_not_count_as_a_change_regression() {
        use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
        use notify::{Event, EventKind};
        assert!(!is_change(&Ok(Event::new(EventKind::Access(AccessKind::Open(AccessMode::Any))))));
        assert!(!is_change(&Ok(Event::new(EventKind::Access(AccessKind::Close(AccessMode::Read))))));
        assert!(is_change(&Ok(Event::new(EventKind::Modify(ModifyKind::Any)))));
        assert!(is_change(&Ok(Event::new(EventKind::Create(CreateKind::File)))));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_output_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("public");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "s").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("link.txt")).unwrap();
        assert_eq!(resolve(&root, "/link.txt"), Err(NotServed::Outside));
    }
}
