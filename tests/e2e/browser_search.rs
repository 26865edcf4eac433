//! In headless Chromium: search the built fixture site for a Chinese phrase and for a return code,
//! follow the first result and land on the right anchor.

use e2e::browser::{Browser, Served};
use e2e::Site;

#[tokio::test(flavor = "multi_thread")]
async fn search_finds_chinese_and_codes_and_links_to_the_anchor() {
    search_flow(&Site::copy_of("basic")).await;
}

async fn search_flow(site: &Site) {
    let served = Served::start(site.root());
    let browser = Browser::start().await;
    let c = &browser.client;

    // The header search box leads to /search/?q=….
    c.goto(&served.url("/guides/second/")).await.unwrap();
    let box_ = c.find(fantoccini::Locator::Css("#site-search")).await.unwrap();
    box_.send_keys("备案密码").await.unwrap();
    c.find(fantoccini::Locator::Css(".search-box button")).await.unwrap().click().await.unwrap();
    browser.wait_for("document.querySelectorAll('#search-results > li').length", "results for 备案密码").await;
    let url = c.current_url().await.unwrap();
    assert!(url.as_str().contains("/search/?q="), "{url}");
    let first = browser.wait_for("document.querySelector('#search-results > li > a.result-link').getAttribute('href')", "first link").await;
    assert_eq!(first, "/faq/password-lost/", "the FAQ entry about the password comes first");
    let marks = browser
        .wait_for("[...document.querySelectorAll('#search-results > li:first-child mark')].map(m => m.textContent).join('|')", "marked matches")
        .await;
    assert!(marks.as_str().unwrap().contains("密码"), "the excerpt marks the matched words: {marks}");

    // A phrase inside a guide's section links to that heading.
    c.goto(&served.url("/search/?q=%E6%89%AB%E6%8F%8F%E4%BB%B6%E8%A6%81%E6%B1%82")).await.unwrap();
    let first = browser.wait_for("document.querySelector('#search-results > li > a.result-link')?.getAttribute('href')", "扫描件要求").await;
    assert_eq!(first, "/guides/first/#materials");
    c.find(fantoccini::Locator::Css("#search-results > li > a.result-link")).await.unwrap().click().await.unwrap();
    browser.wait_for("location.pathname === '/guides/first/' && location.hash === '#materials'", "landing on #materials").await;

    // A return code typed alone puts its page first.
    c.goto(&served.url("/search/?q=1041")).await.unwrap();
    let first = browser.wait_for("document.querySelector('#search-results > li > a.result-link')?.getAttribute('href')", "1041").await;
    assert_eq!(first, "/codes/1041/");
    c.find(fantoccini::Locator::Css("#search-results > li > a.result-link")).await.unwrap().click().await.unwrap();
    browser.wait_for("location.pathname === '/codes/1041/'", "the 1041 page").await;
    let h1 = browser.wait_for("document.querySelector('h1').textContent", "h1").await;
    assert!(h1.as_str().unwrap().contains("1041"));

    browser.close().await;
}
