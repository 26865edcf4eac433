//! In headless Chromium (issue 11): the header box answers as you type, not during IME composition;
//! it is a keyboard-usable ARIA combobox; Enter without a chosen answer opens /search/?q=…; "copy
//! answer" puts the question, its first paragraph and the link on the clipboard, from a result and
//! from a heading or FAQ entry on its own page; and on a site of one long document without a FAQ
//! collection, a code and a term lead to the heading that holds them.

use e2e::browser::{Browser, Served};
use e2e::Site;
use fantoccini::{key::Key, Locator};

/// Records every query the popup showed answers for, and stubs the clipboard (headless Chromium
/// refuses it without a user gesture and permission) so a test can read what was copied.
const SPY: &str = "window.__queries = []; new MutationObserver(() => { const p = document.getElementById('site-search-answers'); if (p && p.dataset.query && window.__queries.at(-1) !== p.dataset.query) window.__queries.push(p.dataset.query); }).observe(document.body, { subtree: true, childList: true, attributes: true }); Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (t) => { window.__copied = t; } } }); return true;";

#[tokio::test(flavor = "multi_thread")]
async fn the_header_box_answers_as_you_type_after_composition_and_by_keyboard() {
    let site = Site::copy_of("basic");
    let served = Served::start(site.root());
    let browser = Browser::start().await;
    let c = &browser.client;
    c.goto(&served.url("/guides/second/")).await.unwrap();
    c.execute(SPY, vec![]).await.unwrap();
    let input = c.find(Locator::Css("#site-search")).await.unwrap();
    assert_eq!(input.attr("role").await.unwrap().as_deref(), Some("combobox"));
    assert_eq!(input.attr("aria-expanded").await.unwrap().as_deref(), Some("false"));
    input.click().await.unwrap();

    // Pinyin being composed is not searched: an input event during composition shows nothing, even
    // once a search for the same text has had time to finish.
    c.execute("const i = document.getElementById('site-search'); i.dispatchEvent(new CompositionEvent('compositionstart', { data: '' })); i.value = 'mima'; i.dispatchEvent(new InputEvent('input', { isComposing: true, data: 'mima', inputType: 'insertCompositionText' })); return true;", vec![]).await.unwrap();
    let engine = site.asset("assets/search-engine.js");
    browser.wait_for(&format!("import('/{engine}').then(m => m.search('mima')).then(() => true)"), "the engine").await;
    let shown = c.execute("return [document.getElementById('site-search-answers').hidden, window.__queries.length];", vec![]).await.unwrap();
    assert_eq!(shown, serde_json::json!([true, 0]), "nothing is searched during composition");
    c.execute("const i = document.getElementById('site-search'); i.value = '备案密码'; i.dispatchEvent(new CompositionEvent('compositionend', { data: '备案密码' })); return true;", vec![]).await.unwrap();
    browser.wait_for("document.querySelectorAll('#site-search-answers [role=option]').length", "answers after composition").await;
    let queries = c.execute("return window.__queries;", vec![]).await.unwrap();
    assert_eq!(queries, serde_json::json!(["备案密码"]));
    assert_eq!(input.attr("aria-expanded").await.unwrap().as_deref(), Some("true"));
    let first = browser.wait_for("document.querySelector('#site-search-answers [role=option] a').getAttribute('href')", "first answer").await;
    assert_eq!(first, "/faq/password-lost/");

    // Keyboard: ↓ chooses the first answer (aria-activedescendant), Enter opens it.
    input.send_keys(&Key::Down.to_string()).await.unwrap();
    let chosen = browser.wait_for("document.getElementById('site-search').getAttribute('aria-activedescendant')", "a chosen answer").await;
    let selected = c.execute(&format!("return document.getElementById({chosen}).getAttribute('aria-selected');"), vec![]).await.unwrap();
    assert_eq!(selected, "true");
    input.send_keys(&Key::Enter.to_string()).await.unwrap();
    browser.wait_for("location.pathname === '/faq/password-lost/'", "the chosen answer opens").await;

    // Typing and Enter with nothing chosen: the search page, whose ?q= link works on its own.
    let input = c.find(Locator::Css("#site-search")).await.unwrap();
    input.send_keys("扫描件要求").await.unwrap();
    browser.wait_for("document.querySelectorAll('#site-search-answers [role=option]').length", "answers while typing").await;
    input.send_keys(&Key::Enter.to_string()).await.unwrap();
    browser.wait_for("location.pathname === '/search/' && new URLSearchParams(location.search).get('q') === '扫描件要求'", "the search page").await;
    let first = browser.wait_for("document.querySelector('#search-results > li a.result-link')?.getAttribute('href')", "results").await;
    assert_eq!(first, "/guides/first/#materials");

    // Copy answer: the question, the first paragraph as plain text, and the full link.
    c.execute(SPY, vec![]).await.unwrap();
    c.find(Locator::Css("#search-results > li:first-child .copy-answer")).await.unwrap().click().await.unwrap();
    let copied = browser.wait_for("window.__copied", "copied answer").await;
    let copied = copied.as_str().unwrap();
    let lines: Vec<&str> = copied.lines().collect();
    assert_eq!(lines.len(), 3, "{copied}");
    assert!(lines[0].contains('›'), "the heading with its page: {copied}");
    assert!(!lines[1].contains('<') && !lines[1].is_empty(), "plain text: {copied}");
    assert_eq!(lines[2], served.url("/guides/first/#materials"));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_search_for_nothing_says_so_and_offers_help() {
    let site = Site::copy_of("basic");
    let served = Served::start(site.root());
    let browser = Browser::start().await;
    browser.client.goto(&served.url("/search/?q=qqqzzz")).await.unwrap();
    browser.wait_for("document.getElementById('search-status').dataset.state === 'done'", "the search").await;
    let help = browser.wait_for("!document.getElementById('search-none').hidden && document.getElementById('search-none').textContent", "help").await;
    let help = help.as_str().unwrap();
    assert!(help.contains("/wizard/") || browser.client.execute("return !!document.querySelector('#search-none a[href=\"/wizard/\"]');", vec![]).await.unwrap() == true);
    assert!(help.contains("400-000-0000"), "the provider's phone from site.toml: {help}");
    let status = browser.client.execute("return document.getElementById('search-status').textContent;", vec![]).await.unwrap();
    assert!(status.as_str().unwrap().contains("没有找到"));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_one_long_document_codes_and_terms_lead_to_their_heading() {
    let site = Site::copy_of("long-doc");
    let served = Served::start(site.root());
    let browser = Browser::start().await;
    for (q, want) in [("1041", "/manual/#code-1041"), ("1018", "/manual/#code-1018"), ("空壳网站", "/manual/#shell-website"), ("首页网址", "/manual/#homepage")] {
        browser.client.goto(&served.url(&format!("/search/?q={}", urlencode(q)))).await.unwrap();
        let first = browser.wait_for("document.getElementById('search-status').dataset.state === 'done' && document.querySelector('#search-results > li a.result-link')?.getAttribute('href')", q).await;
        assert_eq!(first, want, "{q}");
    }
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn headings_and_faq_entries_on_their_own_page_offer_copy_link_and_copy_answer() {
    let site = Site::copy_of("basic");
    let served = Served::start(site.root());
    let browser = Browser::start().await;
    let c = &browser.client;

    // A guide's heading: the link to that heading, and the heading, its first paragraph and the link.
    c.goto(&served.url("/guides/first/")).await.unwrap();
    browser.wait_for("document.querySelector('#materials + .copy-actions .copy-link')", "the heading's buttons").await;
    c.execute(SPY, vec![]).await.unwrap();
    c.find(Locator::Css("#materials + .copy-actions .copy-link")).await.unwrap().click().await.unwrap();
    let link = browser.wait_for("window.__copied", "copied link").await;
    assert_eq!(link, served.url("/guides/first/#materials"));
    c.find(Locator::Css("#materials + .copy-actions .copy-answer")).await.unwrap().click().await.unwrap();
    let answer = browser.wait_for("window.__copied && window.__copied.includes('\\n') && window.__copied", "copied answer").await;
    let answer = answer.as_str().unwrap().to_string();
    let lines: Vec<&str> = answer.lines().collect();
    assert_eq!(lines.len(), 3, "{answer}");
    assert_eq!(lines[0], "准备材料", "the heading without its # link: {answer}");
    assert!(lines[1].starts_with("扫描件要求") && !lines[1].contains('<'), "the first paragraph as plain text: {answer}");
    assert_eq!(lines[2], served.url("/guides/first/#materials"));
    let pressed = c.execute("return document.querySelector('#materials + .copy-actions .copy-answer').textContent;", vec![]).await.unwrap();
    assert_eq!(pressed, "已复制", "the button says it copied");

    // A FAQ entry's own page: the question, the answer's first paragraph and the page's address.
    c.goto(&served.url("/faq/password-lost/")).await.unwrap();
    browser.wait_for("document.querySelector('h1 + .copy-actions .copy-answer')", "the entry's buttons").await;
    c.execute(SPY, vec![]).await.unwrap();
    c.find(Locator::Css("h1 + .copy-actions .copy-answer")).await.unwrap().click().await.unwrap();
    let answer = browser.wait_for("window.__copied", "copied answer").await;
    let answer = answer.as_str().unwrap().to_string();
    assert_eq!(answer, format!("忘记备案密码怎么办？\n在管局网站上找回备案密码，或者请管局重置。详见首次备案。\n{}", served.url("/faq/password-lost/")));
    c.find(Locator::Css("h1 + .copy-actions .copy-link")).await.unwrap().click().await.unwrap();
    let link = browser.wait_for("window.__copied.startsWith('http') && !window.__copied.includes('\\n') && window.__copied", "copied link").await;
    assert_eq!(link, served.url("/faq/password-lost/"));
    browser.close().await;
}

fn urlencode(q: &str) -> String {
    q.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}
