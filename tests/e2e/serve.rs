//! `site-builder serve` end to end: an open page reloads itself after an edit, a broken edit keeps the
//! last good build online, and requests that try to leave the output folder are refused.

use e2e::browser::{http_get, Browser, Served};
use e2e::Site;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_reloads_the_open_page() {
    let site = Site::copy_of("basic");
    let served = Served::start(site.root());
    let browser = Browser::start().await;
    browser.client.goto(&served.url("/guides/second/")).await.unwrap();
    browser.wait_for("document.body.textContent.includes('回到')", "the page").await;
    // The page's live-reload script has seen the current build before the edit.
    browser.wait_for("document.documentElement.dataset.liveReload", "the live-reload script's first poll").await;
    site.write("content/guides/second.md", "# 变更备案\n\n这一段是刚刚改的。\n");
    browser.wait_for("document.body.textContent.includes('这一段是刚刚改的')", "the edited text after a reload").await;
    browser.close().await;
}

#[test]
fn a_broken_edit_keeps_serving_the_last_good_build() {
    let site = Site::copy_of("basic");
    let served = Served::start(site.root());
    let (status, body) = http_get(&served.base, "/guides/second/");
    assert_eq!(status, 200);
    assert!(body.contains("回到"));
    let builds = served.counter("builds");
    site.write("content/guides/second.md", "+++\ntitle = = \n+++\n坏的\n");
    served.wait_for_build_after(builds);
    let (status, body) = http_get(&served.base, "/guides/second/");
    assert_eq!(status, 200);
    assert!(body.contains("回到") && !body.contains("坏的"), "the last good build is still served");
    // Fixing the file brings the new content.
    site.write("content/guides/second.md", "# 变更备案\n\n修好了。\n");
    let start = Instant::now();
    while !http_get(&served.base, "/guides/second/").1.contains("修好了") {
        assert!(start.elapsed() < Duration::from_secs(30), "rebuilt after the fix");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn requests_outside_the_output_are_refused() {
    let site = Site::copy_of("basic");
    site.write("secret.txt", "do not serve");
    let served = Served::start(site.root());
    for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/guides/%2E%2E/%2E%2E/secret.txt", "/..%2fsecret.txt", "/%2e%2e%5csecret.txt"] {
        let (status, body) = http_get(&served.base, path);
        assert_eq!(status, 403, "{path}");
        assert!(!body.contains("do not serve"), "{path}");
    }
    let (status, body) = http_get(&served.base, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("找不到这个页面"), "the site's 404 page");
}

/// A page opens several keep-alive connections at once and leaves them idle. The first server
/// (tiny_http) could leave a request on a new connection unread behind them, and the page never
/// finished loading: the /check/ test hung for five minutes.
#[test]
fn idle_keep_alive_connections_do_not_hold_up_a_new_request_regression() {
    use std::io::{Read, Write};
    use std::net::TcpStream;

    let site = Site::copy_of("basic");
    let served = Served::start(site.root());
    let addr = served.base.trim_start_matches("http://").to_string();
    let request = |stream: &mut TcpStream| {
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: keep-alive\r\n\r\n").unwrap();
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).expect("a response within 10 s");
        assert_eq!(&head, b"HTTP/1.1 200");
    };
    // Opened together, answered once, then left open and idle, as a browser does.
    let mut idle: Vec<TcpStream> = (0..16).map(|_| TcpStream::connect(&addr).unwrap()).collect();
    std::thread::scope(|s| {
        for stream in idle.iter_mut() {
            s.spawn(|| request(stream));
        }
    });
    for _ in 0..8 {
        request(&mut TcpStream::connect(&addr).unwrap());
    }
    drop(idle);
}

/// A raw HTTP/1.1 request with the given method and Host: the status code.
fn status_of(base: &str, method: &str, host: &str) -> u16 {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(stream, "{method} / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[test]
fn only_get_and_head_for_this_servers_own_host_are_answered() {
    let site = Site::copy_of("basic");
    let served = Served::start(site.root());
    let own = served.base.trim_start_matches("http://").to_string();
    let port = own.rsplit(':').next().unwrap().to_string();
    assert_eq!(status_of(&served.base, "GET", &own), 200);
    assert_eq!(status_of(&served.base, "HEAD", &format!("localhost:{port}")), 200);
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        assert_eq!(status_of(&served.base, method, &own), 405, "{method}");
    }
    // DNS rebinding: a page on evil.example resolved to 127.0.0.1 sends its own host name.
    for host in [format!("evil.example:{port}"), "evil.example".to_string(), format!("127.0.0.1:{}", port.parse::<u16>().unwrap() + 1)] {
        assert_eq!(status_of(&served.base, "GET", &host), 421, "{host}");
    }
}

#[test]
fn an_output_inside_the_watched_sources_is_refused_before_serving() {
    let site = Site::copy_of("basic");
    let out = std::process::Command::new(e2e::site_builder())
        .args(["serve", "--port", "0", "--output"])
        .arg(site.root().join("content/out"))
        .arg("--root")
        .arg(site.root())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(e2e::text(&out).contains("inside the site's content/ folder"), "{}", e2e::text(&out));
    assert!(!site.root().join("content/out").exists());
}

#[test]
fn a_failed_first_build_shows_its_errors_until_a_build_succeeds() {
    let site = Site::copy_of("basic");
    site.write("content/guides/second.md", "+++\ntitle = = \n+++\n坏的\n");
    let served = Served::start(site.root());
    let (status, body) = http_get(&served.base, "/guides/first/");
    assert_eq!(status, 500);
    assert!(body.contains("构建失败") && body.contains("content/guides/second.md:2"), "{body}");
    site.write("content/guides/second.md", "# 变更备案\n\n修好了。\n");
    let start = Instant::now();
    while http_get(&served.base, "/guides/second/").0 != 200 {
        assert!(start.elapsed() < Duration::from_secs(30), "the site is served once it builds");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(http_get(&served.base, "/guides/second/").1.contains("修好了"));
}

/// serve renders again only what an edit changed (live.rs): the edited entry and its FAQ page, every
/// page when a title changes (the previous/next links), and a removed page is removed.
#[test]
fn a_rebuild_updates_every_page_that_shows_the_edit_and_removes_what_is_gone() {
    let site = Site::copy_of("basic");
    let served = Served::start(site.root());
    let edit = |path: &str, from: &str, to: &str| {
        let builds = served.counter("builds");
        let text = std::fs::read_to_string(site.root().join(path)).unwrap();
        assert!(text.contains(from), "{path} holds {from}");
        site.write(path, &text.replacen(from, to, 1));
        served.wait_for_build_after(builds);
    };
    // An FAQ entry's body: its own page and the FAQ page that shows it.
    edit("content/faq/password-lost.md", "或者请管局重置", "或者请管局重置（刚改的）");
    assert!(http_get(&served.base, "/faq/password-lost/").1.contains("刚改的"));
    assert!(http_get(&served.base, "/faq/").1.contains("刚改的"), "the collection page shows the entry's new text");
    // A title: the neighbour's previous/next link shows it too.
    edit("content/guides/first.md", "title = \"首次备案\"", "title = \"第一次备案\"");
    assert!(http_get(&served.base, "/guides/second/").1.contains("第一次备案"), "the neighbour's link follows the new title");
    // A removed page is removed from the served folder, and only it.
    let builds = served.counter("builds");
    std::fs::remove_file(site.root().join("content/guides/second.md")).unwrap();
    served.wait_for_build_after(builds);
    assert_eq!(http_get(&served.base, "/guides/second/").0, 404);
    assert_eq!(http_get(&served.base, "/guides/first/").0, 200);
}
