//! Browser tests' plumbing: serve a built site with the real `site-builder serve`, start chromedriver
//! with Debian's headless Chromium, and hand back a WebDriver client. Every process is killed on drop.

use std::net::TcpStream;
use std::path::Path;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

use crate::site_builder;

/// Starts `command` (a server told to take any free port), reads its stdout until a line holds
/// `marker` followed by the port, and returns that port. The server binds the port itself, so no
/// other process can take it between choosing and binding; the rest of stdout is drained in the
/// background so the server never blocks writing to it.
// The child is the caller's, who kills and waits for it (the harness's servers do so when dropped).
#[allow(clippy::zombie_processes)]
pub fn spawn_and_read_port(command: &mut Command, marker: &str, what: &str) -> (Child, u16) {
    use std::io::{BufRead, BufReader};
    let mut child = command.stdout(Stdio::piped()).spawn().unwrap_or_else(|e| panic!("{what} starts: {e}"));
    let mut lines = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).unwrap_or(0) == 0 {
            let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
            panic!("{what} exited before saying its port ({status}); its output:\n{seen}");
        }
        if let Some(port) = port_after(&line, marker) {
            std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
            return (child, port);
        }
        seen.push_str(&line);
    }
}

/// The number right after `marker` in `line`: `port_after("serving http://127.0.0.1:4242/", "127.0.0.1:")`.
fn port_after(line: &str, marker: &str) -> Option<u16> {
    let rest = &line[line.find(marker)? + marker.len()..];
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok().filter(|&p| p != 0)
}

/// `site-builder serve --port 0` (and any further arguments) on a site folder: the child and the
/// port it bound.
pub fn start_serve(binary: &Path, root: &Path, extra: &[&str]) -> (Child, u16) {
    let mut command = Command::new(binary);
    command.args(["serve", "--port", "0"]).args(extra).arg("--root").arg(root).stderr(Stdio::inherit());
    spawn_and_read_port(&mut command, "serving http://127.0.0.1:", "site-builder serve")
}

/// `site-builder serve` running on a site folder.
pub struct Served {
    child: Child,
    pub base: String,
}

impl Served {
    pub fn start(root: &Path) -> Served {
        Served::start_binary(&site_builder(), root)
    }

    /// The same with a given build of the builder (the benchmarks use the release one).
    pub fn start_binary(binary: &Path, root: &Path) -> Served {
        let (child, port) = start_serve(binary, root, &[]);
        Served { child, base: format!("http://127.0.0.1:{port}") }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// One of the server's counters: `builds` (finished build attempts) or `requests` (requests for
    /// the site's files).
    pub fn counter(&self, name: &str) -> u64 {
        let (status, body) = http_get(&self.base, &format!("/__{name}"));
        assert_eq!(status, 200, "/__{name}");
        body.trim().parse().unwrap_or_else(|_| panic!("/__{name} is a number: {body}"))
    }

    /// Waits until a build attempt after the `before`th has finished (30 s at most): what a test does
    /// after an edit, instead of sleeping.
    pub fn wait_for_build_after(&self, before: u64) {
        let start = Instant::now();
        while self.counter("builds") <= before {
            assert!(start.elapsed() < Duration::from_secs(30), "no rebuild within 30 s of the edit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// chromedriver and a session in headless Chromium.
pub struct Browser {
    driver: Child,
    _profile: tempfile::TempDir,
    pub client: Client,
}

impl Browser {
    pub async fn start() -> Browser {
        // chromedriver takes a free port itself with --port=0 and says which.
        let mut command = Command::new("chromedriver");
        command
            .arg("--port=0")
            .stderr(Stdio::null())
            // Its own process group, so that dropping the Browser stops Chromium with it.
            .process_group(0);
        let (driver, port) = spawn_and_read_port(&mut command, "started successfully on port ", "chromedriver (the README's test command installs chromium-driver)");
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                         "--window-size=1280,900", format!("--user-data-dir={}", profile.path().display())]
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session");
        Browser { driver, _profile: profile, client }
    }

    /// Waits until `script` (a JS expression) is truthy, returning its value.
    pub async fn wait_for(&self, script: &str, what: &str) -> serde_json::Value {
        let start = Instant::now();
        loop {
            let v = self.client.execute(&format!("return {script};"), vec![]).await.expect("script runs");
            if !(v.is_null() || v == false || v == "" || v == 0) {
                return v;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Ends the session; chromedriver is stopped on drop.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // chromedriver, Chromium and its helpers: a failed test must not leave browsers running.
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.driver.id())]).status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A raw HTTP/1.0 GET (the path is sent exactly as given, unnormalised): status code and body.
pub fn http_get(base: &str, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).expect("server reachable");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}
