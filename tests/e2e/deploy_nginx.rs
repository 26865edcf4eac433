//! The README's nginx deployment, run: this site built, served by Debian's nginx with
//! `deploy/nginx/help-centre.conf` and its headers snippet — the files the README points to, changed
//! only in `listen`, `server_name` and `root` by sed — and checked with raw HTTP requests and in
//! headless Chromium: every page and asset loads, `.gz` copies go to clients that accept gzip,
//! hashed assets are cached for a year and everything else revalidated, an unknown path is the
//! 404 page with status 404, the wasm starts under the CSP with no violation, and search works.
//!
//! The port: nginx cannot take port 0 and say which it got, so it binds a port itself, chosen at
//! random from 20000–59999; if another process holds it, nginx logs `Address already in use` and
//! exits, and the test tries another. It is ready once its log says it started its worker, which it
//! does only after binding. No port is chosen, released and re-bound, so nothing can take it in
//! between. Needs nginx (`scripts/setup.sh --browser` installs Debian's).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator::Css};

use e2e::browser::spawn_and_read_port;
use e2e::{copy_dir, site_builder, text, workspace};

/// The README's Content-Security-Policy.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'";

fn nginx_binary() -> PathBuf {
    ["/usr/sbin/nginx", "/usr/bin/nginx"].iter().map(PathBuf::from).find(|p| p.is_file()).expect("nginx is installed (scripts/setup.sh --browser installs Debian's)")
}

/// nginx serving `public` with the repository's configuration.
struct Nginx {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // The master and its worker: their own process group.
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.child.id())]).status();
        let _ = self.child.wait();
    }
}

/// `deploy/nginx/help-centre.conf` with its `listen`, `server_name` and `root` lines changed by sed,
/// and nothing else.
fn adapted_config(port: u16, public: &Path) -> String {
    let file = workspace().join("deploy/nginx/help-centre.conf");
    let out = Command::new("sed")
        .args(["-E", "-e", &format!("s|^([ ]*)listen [^;]*;|\\1listen 127.0.0.1:{port};|"), "-e", "s|^([ ]*)server_name [^;]*;|\\1server_name 127.0.0.1;|"])
        .args(["-e", &format!("s|^([ ]*)root [^;]*;|\\1root {};|", public.display())])
        .arg(&file)
        .output()
        .expect("sed runs");
    assert!(out.status.success(), "sed: {}", text(&out));
    let adapted = String::from_utf8(out.stdout).unwrap();
    let original = std::fs::read_to_string(&file).unwrap();
    let changed: Vec<&str> = original.lines().zip(adapted.lines()).filter(|(a, b)| a != b).map(|(a, _)| a.trim()).collect();
    assert_eq!(changed.len(), 3, "exactly listen, server_name and root change: {changed:?}");
    adapted
}

fn start_nginx(public: &Path) -> Nginx {
    let dir = tempfile::tempdir().unwrap();
    // nginx's worker runs as nobody when the tests run as root: it must be able to read the site.
    for d in [dir.path(), public.parent().unwrap()] {
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("snippets")).unwrap();
    std::fs::copy(workspace().join("deploy/nginx/help-centre-headers.conf"), dir.path().join("snippets/help-centre-headers.conf")).unwrap();
    let d = dir.path().display();
    let main = format!(
        "daemon off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log notice;\nevents {{ worker_connections 64; }}\n\
         http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log {d}/access.log;\n\
         client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
         include {d}/help-centre.conf;\n}}\n"
    );
    std::fs::write(dir.path().join("nginx.conf"), main).unwrap();
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos() ^ std::process::id().rotate_left(16);
    for attempt in 0..20u32 {
        let port = 20_000 + (seed.wrapping_mul(2_654_435_761).wrapping_add(attempt.wrapping_mul(40_503)) % 40_000) as u16;
        std::fs::write(dir.path().join("help-centre.conf"), adapted_config(port, public)).unwrap();
        let log = dir.path().join("error.log");
        let _ = std::fs::remove_file(&log);
        let mut child = Command::new(nginx_binary())
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(dir.path().join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("nginx starts");
        let start = Instant::now();
        loop {
            let logged = std::fs::read_to_string(&log).unwrap_or_default();
            if let Some(status) = child.try_wait().unwrap() {
                if logged.contains("Address already in use") {
                    break; // someone else's port: another
                }
                panic!("nginx exited ({status}):\n{logged}");
            }
            if logged.contains("start worker process") {
                return Nginx { child, port, _dir: dir };
            }
            assert!(start.elapsed() < Duration::from_secs(10), "nginx did not start within 10 s:\n{logged}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    panic!("20 ports in use");
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Reads one HTTP/1.1 response: the header block, then `Content-Length` bytes (or to the end).
fn read_response(stream: &mut TcpStream) -> Response {
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    let split = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "the connection closed before the headers ended: {}", String::from_utf8_lossy(&raw));
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let headers: Vec<(String, String)> = lines.filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned())).collect();
    let mut body = raw[split + 4..].to_vec();
    let length = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("Content-Length")).and_then(|(_, v)| v.parse::<usize>().ok());
    match length {
        Some(len) => {
            while body.len() < len {
                let n = stream.read(&mut buf).unwrap();
                assert!(n > 0, "the connection closed {} bytes into a {len}-byte body", body.len());
                body.extend_from_slice(&buf[..n]);
            }
        }
        None => {
            stream.read_to_end(&mut body).unwrap();
        }
    }
    let chunked = headers.iter().any(|(n, v)| n.eq_ignore_ascii_case("Transfer-Encoding") && v.eq_ignore_ascii_case("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response { status, headers, body }
}

/// The body of a chunked response (nginx sends one for a file it compresses as it sends it).
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n").expect("a chunk size line");
        let size = usize::from_str_radix(String::from_utf8_lossy(&raw[..line_end]).split(';').next().unwrap().trim(), 16).expect("a hexadecimal chunk size");
        if size == 0 {
            return body;
        }
        let start = line_end + 2;
        body.extend_from_slice(&raw[start..start + size]);
        raw = &raw[start + size + 2..];
    }
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("a valid gzip stream");
    out
}

/// A raw HTTP/1.1 GET with the given extra header lines.
fn get(port: u16, path: &str, extra: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("nginx reachable");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n{extra}\r\n").unwrap();
    read_response(&mut stream)
}

fn is_hashed(path: &str) -> bool {
    let mut parts = path.rsplit('.');
    let (ext, hash) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    matches!(ext, "css" | "js" | "wasm") && e2e::is_content_hash(hash)
}

/// This repository's site, built into a temporary folder: its `public/`.
fn built_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "templates"] {
        copy_dir(&workspace().join(part), &dir.path().join(part));
    }
    std::fs::copy(workspace().join("site.toml"), dir.path().join("site.toml")).unwrap();
    let out = Command::new(site_builder()).args(["build", "--root"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let public = dir.path().join("public");
    (dir, public)
}

#[test]
fn every_file_goes_out_with_the_readmes_headers_and_unknown_paths_get_the_404_page() {
    let (_site, public) = built_site();
    let nginx = start_nginx(&public);
    let port = nginx.port;
    let all = e2e::files_below(&public);
    let (mut pages, mut gz, mut hashed, mut sent_gzipped) = (0, 0, 0, 0);
    for f in all.iter().filter(|f| !f.ends_with(".gz") && !f.starts_with('.')) {
        let plain = std::fs::read(public.join(f)).unwrap();
        let url = match f.strip_suffix("index.html") {
            Some(dir) => {
                pages += 1;
                format!("/{dir}")
            }
            None => format!("/{f}"),
        };
        let r = get(port, &url, "");
        assert_eq!(r.status, 200, "{url}");
        assert_eq!(r.body, plain, "{url}: the file as it is");
        assert_eq!(r.header("Content-Encoding"), None, "{url}: not compressed for a client that did not ask");
        assert_eq!(r.header("Content-Security-Policy"), Some(CSP), "{url}");
        assert_eq!(r.header("X-Content-Type-Options"), Some("nosniff"), "{url}");
        let cache = r.header("Cache-Control");
        if is_hashed(f) {
            hashed += 1;
            assert_eq!(cache, Some("public, max-age=31536000, immutable"), "{url}");
        } else {
            assert_eq!(cache, Some("no-cache"), "{url}");
        }
        let kind = r.header("Content-Type").unwrap_or_default().to_owned();
        match f.rsplit('.').next() {
            Some("wasm") => assert_eq!(kind, "application/wasm", "{url}"),
            Some("html") => assert_eq!(kind, "text/html; charset=utf-8", "{url}"),
            Some("js") => assert!(kind.contains("javascript"), "{url}: {kind}"),
            Some("css") => assert!(kind.starts_with("text/css"), "{url}: {kind}"),
            _ => {}
        }
        let on_the_fly = f.ends_with(".html") || f.starts_with("assets/search/t/") || f.starts_with("assets/search/d/");
        if on_the_fly {
            // No copy: nginx's `gzip on` compresses it as it sends it.
            assert!(!public.join(format!("{f}.gz")).exists(), "{f}: no copy");
            let r = get(port, &url, "Accept-Encoding: gzip, deflate, br\r\n");
            assert_eq!(r.status, 200, "{url} (gzip)");
            assert_eq!(r.header("Content-Encoding"), Some("gzip"), "{url}: compressed as it is sent");
            assert_eq!(gunzip(&r.body), plain, "{url}: decompresses to the file");
            assert_eq!(r.header("Content-Security-Policy"), Some(CSP), "{url} (gzip)");
            sent_gzipped += 1;
        }
        if let Ok(copy) = std::fs::read(public.join(format!("{f}.gz"))) {
            gz += 1;
            let r = get(port, &url, "Accept-Encoding: gzip, deflate, br\r\n");
            assert_eq!(r.status, 200, "{url} (gzip)");
            assert_eq!(r.header("Content-Encoding"), Some("gzip"), "{url}: the .gz copy for a client that accepts gzip");
            assert_eq!(r.body, copy, "{url}: the .gz copy's bytes");
            assert_eq!(r.header("Vary"), Some("Accept-Encoding"), "{url}");
            assert_eq!(r.header("Content-Security-Policy"), Some(CSP), "{url} (gzip)");
        }
    }
    assert!(pages > 50 && gz > 10 && hashed >= 8 && sent_gzipped > pages, "pages {pages}, .gz copies {gz}, hashed assets {hashed}, compressed as sent {sent_gzipped}");

    let missing = get(port, "/no/such/page/", "");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body, std::fs::read(public.join("404.html")).unwrap(), "the site's 404 page");
    assert_eq!(missing.header("Content-Security-Policy"), Some(CSP));
    assert_eq!(missing.header("Cache-Control"), Some("no-cache"));
    let missing = get(port, "/assets/validator/validator_bg.000000000000.wasm", "Accept-Encoding: gzip\r\n");
    assert_eq!(missing.status, 404, "an unknown hashed name");
}

/// A raw WebDriver call to chromedriver (for Chromium's DevTools commands, which fantoccini has no
/// call for).
fn driver_post(port: u16, path: &str, body: &serde_json::Value) -> serde_json::Value {
    let body = body.to_string();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    let r = read_response(&mut stream);
    serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("{path}: {e}: {}", String::from_utf8_lossy(&r.body)))
}

/// chromedriver (its own process group) and a Chromium session on it.
struct Chromium {
    driver: Child,
    port: u16,
    client: Client,
    _profile: tempfile::TempDir,
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.driver.id())]).status();
        let _ = self.driver.wait();
    }
}

impl Chromium {
    async fn start() -> Chromium {
        let mut command = Command::new("chromedriver");
        command.arg("--port=0").stderr(Stdio::null()).process_group(0);
        let (driver, port) = spawn_and_read_port(&mut command, "started successfully on port ", "chromedriver");
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", format!("--user-data-dir={}", profile.path().display())]
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session");
        Chromium { driver, port, client, _profile: profile }
    }

    async fn cdp(&self, cmd: &str, params: serde_json::Value) {
        let session = self.client.session_id().await.unwrap().expect("a session");
        let r = driver_post(self.port, &format!("/session/{session}/goog/cdp/execute"), &serde_json::json!({ "cmd": cmd, "params": params }));
        assert!(r["value"].get("error").is_none(), "{cmd}: {r}");
    }

    async fn eval(&self, script: &str) -> serde_json::Value {
        self.client.execute(&format!("return {script};"), vec![]).await.expect("script runs")
    }

    async fn wait_for(&self, script: &str, what: &str) -> serde_json::Value {
        let start = Instant::now();
        loop {
            let v = self.eval(script).await;
            if !(v.is_null() || v == false || v == "" || v == 0) {
                return v;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Before any script of a page: collect CSP violations.
const WATCH_CSP: &str = "window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`), true);";

#[tokio::test]
async fn every_page_loads_in_chromium_under_the_csp_the_checks_run_and_search_works() {
    let (_site, public) = built_site();
    let nginx = start_nginx(&public);
    let base = format!("http://127.0.0.1:{}", nginx.port);
    let b = Chromium::start().await;
    b.cdp("Page.enable", serde_json::json!({})).await;
    b.cdp("Page.addScriptToEvaluateOnNewDocument", serde_json::json!({ "source": WATCH_CSP })).await;

    // Every page, with everything it loads: no failed request, no violation.
    let pages: Vec<String> = e2e::files_below(&public).into_iter().filter_map(|f| f.strip_suffix("index.html").map(|d| format!("/{d}"))).collect();
    for page in &pages {
        b.client.goto(&format!("{base}{page}")).await.unwrap();
        b.wait_for("document.readyState === 'complete'", page).await;
        let failed = b.eval("performance.getEntriesByType('resource').filter((e) => e.responseStatus >= 400).map((e) => e.name)").await;
        assert_eq!(failed, serde_json::json!([]), "{page}: requests that failed");
        assert_eq!(b.eval("window.__csp").await, serde_json::json!([]), "{page}: CSP violations");
    }

    // The self-check page: the wasm starts under the CSP, its tables arrive, a field is checked.
    b.client.goto(&format!("{base}/check/")).await.unwrap();
    b.wait_for("document.documentElement.dataset.fieldChecks === 'ready'", "the validator module").await;
    b.wait_for("document.documentElement.dataset.fieldChecksTables === 'ready'", "the validator's tables").await;
    b.client.find(Css("#subject-certificate_number")).await.unwrap().send_keys("33010619850301003x").await.unwrap();
    b.client.find(Css("h1")).await.unwrap().click().await.unwrap();
    let msg = b.wait_for("document.querySelector('#subject-certificate_number-msg').textContent.includes('1015') && document.querySelector('#subject-certificate_number-msg').textContent", "1015").await;
    assert!(msg.as_str().unwrap().contains('X'), "{msg}");
    let loaded = b.eval("performance.getEntriesByType('resource').map((e) => e.name.split('/').pop())").await.to_string();
    for name in ["validator_bg.", "regions.txt", "public-suffixes.txt"] {
        assert!(loaded.contains(name), "{name} was loaded: {loaded}");
    }
    assert_eq!(b.eval("window.__csp").await, serde_json::json!([]), "/check/: CSP violations");

    // The wizard runs the guide's wasm.
    b.client.goto(&format!("{base}/wizard/")).await.unwrap();
    b.wait_for("document.querySelector('[data-wizard]').dataset.kind === 'question'", "the wizard's first question, from the guide's wasm").await;
    assert_eq!(b.eval("window.__csp").await, serde_json::json!([]), "/wizard/: CSP violations");

    // Search, through nginx: the index files are fetched as the engine computes their names.
    b.client.goto(&format!("{base}/search/?q=1041")).await.unwrap();
    let first = b.wait_for("document.querySelector('#search-results > li > a.result-link')?.getAttribute('href')", "results for 1041").await;
    assert_eq!(first, "/codes/1041/");
    b.client.goto(&format!("{base}/search/?q=%E5%A4%87%E6%A1%88%E5%AF%86%E7%A0%81")).await.unwrap();
    b.wait_for("document.querySelectorAll('#search-results > li').length", "results for 备案密码").await;
    assert_eq!(b.eval("window.__csp").await, serde_json::json!([]), "/search/: CSP violations");

    let _ = b.client.clone().close().await;
}
