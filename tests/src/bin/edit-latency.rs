//! `cargo run --release -p e2e --bin edit-latency -- [PAGES]`: edit to screen. Builds a
//! synthetic site of PAGES pages (default 1,000) with the release builder, serves it with live
//! reload, opens a page in headless Chromium, then appends a sentence to that page's file seven
//! times and measures, each time, how long until the open page shows it: the rebuild, the live
//! reload and the browser's reload together. Prints the median and the largest.

use e2e::browser::{Browser, Served};
use std::process::Command;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let pages: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let workspace = e2e::workspace();
    let status = Command::new(env!("CARGO")).args(["build", "--release", "-q", "-p", "site-builder", "--bins"]).current_dir(&workspace).status().unwrap();
    assert!(status.success(), "building the release builder");
    let bin = workspace.join("target/release");
    let site = tempfile::tempdir().unwrap();
    let root = site.path().join("site");
    let out = Command::new(bin.join("synth-site")).args(["--pages", &pages.to_string(), "--out"]).arg(&root).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let served = Served::start_binary(&bin.join("site-builder"), &root);
    let browser = Browser::start().await;
    let file = root.join("content/section-03/page-3.md");
    browser.client.goto(&served.url("/section-03/page-3/")).await.unwrap();
    let mut times = Vec::new();
    for i in 0..7 {
        browser.wait_for("document.documentElement.dataset.liveReload", "the live-reload script").await;
        let mark = format!("改过的第{i}句");
        let mut text = std::fs::read_to_string(&file).unwrap();
        text.push_str(&format!("\n{mark}。\n"));
        let start = Instant::now();
        std::fs::write(&file, text).unwrap();
        let script = format!("return document.body.textContent.includes('{mark}');");
        loop {
            let shown = browser.client.execute(&script, vec![]).await.map(|v| v == true).unwrap_or(false);
            if shown {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "the edit never showed");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        times.push(start.elapsed());
        // Let the background index run, as between a person's edits.
        tokio::time::sleep(Duration::from_millis(700)).await;
    }
    times.sort();
    println!(
        "{pages} pages: edit to screen in Chromium, median {:.0} ms, max {:.0} ms (7 edits)",
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0
    );
    browser.close().await;
}
