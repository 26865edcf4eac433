//! Browser tests' plumbing: serve a built site with the real `site-builder serve`, start chromedriver
//! with Debian's headless Chromium, and hand back a WebDriver client. Every process is killed on drop.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

use crate::site_builder;

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for_port(port: u16, what: &str, child: &mut Child) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited before listening: {status}");
        }
        assert!(start.elapsed() < Duration::from_secs(180), "{what} did not listen on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
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
        let port = free_port();
        let mut child = Command::new(binary)
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(root)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("site-builder serve starts");
        wait_for_port(port, "site-builder serve", &mut child);
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
        let port = free_port();
        let mut driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that dropping the Browser stops Chromium with it.
            .process_group(0)
            .spawn()
            .expect("chromedriver is installed (the README's test command installs chromium-driver)");
        wait_for_port(port, "chromedriver", &mut driver);
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
