//! In headless Chromium: the header box answers as you type, not during IME composition;
//! it is a keyboard-usable ARIA combobox; Enter without a chosen answer opens /search/?q=…; "copy
//! answer" puts the question, its first paragraph and the link on the clipboard, from a result and
//! from a heading or FAQ entry on its own page; and on a site of one long document without a FAQ
//! collection, a code and a term lead to the heading that holds them. Issue 18: results grouped by
//! page (two sections, the rest folded), an asked-as phrasing reaching its section, the dropdown's
//! answer line, and the quieter copy actions by keyboard and on a touch-sized window.

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
    browser.wait_for("document.querySelector('#materials .copy-actions .copy-link')", "the heading's buttons").await;
    c.execute(SPY, vec![]).await.unwrap();
    c.find(Locator::Css("#materials .copy-actions .copy-link")).await.unwrap().click().await.unwrap();
    let link = browser.wait_for("window.__copied", "copied link").await;
    assert_eq!(link, served.url("/guides/first/#materials"));
    c.find(Locator::Css("#materials .copy-actions .copy-answer")).await.unwrap().click().await.unwrap();
    let answer = browser.wait_for("window.__copied && window.__copied.includes('\\n') && window.__copied", "copied answer").await;
    let answer = answer.as_str().unwrap().to_string();
    let lines: Vec<&str> = answer.lines().collect();
    assert_eq!(lines.len(), 3, "{answer}");
    assert_eq!(lines[0], "准备材料", "the heading without its # link: {answer}");
    assert!(lines[1].starts_with("扫描件要求") && !lines[1].contains('<'), "the first paragraph as plain text: {answer}");
    assert_eq!(lines[2], served.url("/guides/first/#materials"));
    let pressed = c.execute("return document.querySelector('#materials .copy-actions .copy-answer').textContent;", vec![]).await.unwrap();
    assert_eq!(pressed, "已复制", "the button says it copied");

    // A FAQ entry's own page: the question, the answer's first paragraph and the page's address.
    c.goto(&served.url("/faq/password-lost/")).await.unwrap();
    browser.wait_for("document.querySelector('h1 .copy-actions .copy-answer')", "the entry's buttons").await;
    c.execute(SPY, vec![]).await.unwrap();
    c.find(Locator::Css("h1 .copy-actions .copy-answer")).await.unwrap().click().await.unwrap();
    let answer = browser.wait_for("window.__copied", "copied answer").await;
    let answer = answer.as_str().unwrap().to_string();
    assert_eq!(answer, format!("忘记备案密码怎么办？\n在管局网站上找回备案密码，或者请管局重置。详见首次备案。\n{}", served.url("/faq/password-lost/")));
    c.find(Locator::Css("h1 .copy-actions .copy-link")).await.unwrap().click().await.unwrap();
    let link = browser.wait_for("window.__copied.startsWith('http') && !window.__copied.includes('\\n') && window.__copied", "copied link").await;
    assert_eq!(link, served.url("/faq/password-lost/"));
    browser.close().await;
}

/// A copy of the basic site with a guide of several sections on one task (注销), one of them with an
/// asked-as phrasing that shares no word with its heading or text, and a FAQ entry on the same task.
fn cancel_site() -> Site {
    let site = Site::copy_of("basic");
    site.write(
        "content/guides/cancel.md",
        "+++\ntitle = \"注销指南\"\nweight = 3\n\n[asked_at]\naccess = [\"网站搬去别处以后这边怎么办\"]\n+++\n注销有三种，按情况选。\n\n## 注销主体 {#subject}\n\n注销主体会取消全部备案号。之后要用只能重新备案。\n\n## 注销网站 {#site}\n\n注销网站只取消一个网站的备案号。其他网站不变。\n\n## 取消接入 {#access}\n\n取消接入后备案号还在。注销前先想清楚。\n\n## 注销之后 {#after}\n\n注销提交后等管局审核。注销结果会发短信。\n",
    );
    site.write(
        "content/faq/cancel.md",
        "+++\ntitle = \"注销和取消接入有什么区别？\"\nweight = 2\n[extra]\ntopic = \"account\"\n+++\n注销会取消备案号，取消接入只是不在这里接入。\n",
    );
    site
}

#[tokio::test(flavor = "multi_thread")]
async fn results_are_grouped_by_page_with_the_rest_folded_and_asked_as_phrases_reach_their_section() {
    let site = cancel_site();
    let served = Served::start(site.root());
    let browser = Browser::start().await;
    let c = &browser.client;

    // Five sections of the guide say 注销: two stand in the list, the others are folded under them,
    // and the FAQ entry is on the first screen.
    c.goto(&served.url("/search/?q=注销")).await.unwrap();
    browser.wait_for("document.getElementById('search-status').dataset.state === 'done'", "the search").await;
    let top: Vec<String> = serde_json::from_value(c.execute("return [...document.querySelectorAll('#search-results > li > a.result-link')].map(a => a.getAttribute('href'));", vec![]).await.unwrap()).unwrap();
    let of_guide = top.iter().filter(|u| u.starts_with("/guides/cancel/")).count();
    assert_eq!(of_guide, 2, "two sections of the guide in the list: {top:?}");
    assert!(top.iter().take(4).any(|u| u == "/faq/cancel/"), "the FAQ entry on the first screen: {top:?}");
    let folded = c.execute("const d = document.querySelector('#search-results > li > details.more-here'); return d && [d.querySelector('summary').textContent, d.open];", vec![]).await.unwrap();
    assert_eq!(folded[1], false, "folded until opened: {folded}");
    c.find(Locator::Css("#search-results > li > details.more-here > summary")).await.unwrap().click().await.unwrap();
    let inside = browser.wait_for("[...document.querySelectorAll('#search-results > li > details.more-here a.result-link')].map(a => a.getAttribute('href'))", "the folded sections, once opened").await;
    let inside: Vec<String> = serde_json::from_value(inside).unwrap();
    assert_eq!(folded[0].as_str().unwrap_or_default(), format!("同一页还有 {} 处", inside.len()), "{folded}");
    assert!(inside.len() >= 2 && inside.iter().all(|u| u.starts_with("/guides/cancel/")), "the guide's other sections: {inside:?}");

    // A customer's own words, written as the section's asked-as phrase, lead to that section.
    c.goto(&served.url("/search/?q=网站搬去别处以后这边怎么办")).await.unwrap();
    let first = browser.wait_for("document.getElementById('search-status').dataset.state === 'done' && document.querySelector('#search-results > li > a.result-link')?.getAttribute('href')", "results").await;
    assert_eq!(first, "/guides/cancel/#access");
    let page = site.read("guides/cancel/index.html");
    assert!(page.contains("<template data-asked=\"access\">"), "the phrase rides in an inert template");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dropdown_shows_each_answer_s_first_sentence_with_the_query_marked() {
    let site = cancel_site();
    let served = Served::start(site.root());
    let browser = Browser::start().await;
    let c = &browser.client;
    c.goto(&served.url("/guides/second/")).await.unwrap();
    let input = c.find(Locator::Css("#site-search")).await.unwrap();
    input.click().await.unwrap();
    input.send_keys("注销主体").await.unwrap();
    let first = browser.wait_for("document.querySelector('#site-search-answers [role=option] a')?.getAttribute('href')", "answers").await;
    assert_eq!(first, "/guides/cancel/#subject");
    let line = c.execute("const l = document.querySelector('#site-search-answers [role=option] .answer-line'); return [l.textContent, [...l.querySelectorAll('mark')].map(m => m.textContent)];", vec![]).await.unwrap();
    assert_eq!(line[0], "注销主体会取消全部备案号。", "the first sentence, not the paragraph: {line}");
    let marks: Vec<String> = serde_json::from_value(line[1].clone()).unwrap();
    assert!(marks.iter().any(|m| m.contains("注销") || m.contains("主体")), "the query's words are marked: {line}");
    let options = c.execute("return [...document.querySelectorAll('#site-search-answers [role=option] a')].map(a => a.getAttribute('href'));", vec![]).await.unwrap();
    let options: Vec<String> = serde_json::from_value(options).unwrap();
    assert!(options.iter().filter(|u| u.starts_with("/guides/cancel/")).count() <= 2, "grouped as on the search page: {options:?}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn copy_actions_are_quiet_until_hover_or_focus_work_by_keyboard_and_show_on_a_touch_sized_window() {
    let site = cancel_site();
    let served = Served::start(site.root());
    let browser = Browser::start().await;
    let c = &browser.client;
    c.goto(&served.url("/guides/cancel/")).await.unwrap();
    browser.wait_for("document.querySelector('#site .copy-actions .copy-link')", "the heading's buttons").await;
    c.execute(SPY, vec![]).await.unwrap();
    let style = c.execute("const b = document.querySelector('#site .copy-link'); const s = getComputedStyle(b); return [getComputedStyle(b.parentElement).opacity, s.backgroundColor, b.closest('h2').id];", vec![]).await.unwrap();
    assert_eq!(style[0], "0", "hidden until hover or focus: {style}");
    assert_eq!(style[1], "rgba(0, 0, 0, 0)", "a text button, not a solid one: {style}");
    assert_eq!(style[2], "site", "beside its heading: {style}");

    // Keyboard: from the heading's # link, Tab reaches "复制链接", which shows itself; Enter copies.
    c.execute("document.querySelector('#site a.anchor').focus(); return true;", vec![]).await.unwrap();
    c.active_element().await.unwrap().send_keys(&Key::Tab.to_string()).await.unwrap();
    let focused = c.execute("return document.activeElement.className;", vec![]).await.unwrap();
    assert_eq!(focused, "copy-link");
    browser.wait_for("getComputedStyle(document.querySelector('#site .copy-actions')).opacity === '1'", "shown on focus").await;
    c.active_element().await.unwrap().send_keys(&Key::Enter.to_string()).await.unwrap();
    let copied = browser.wait_for("window.__copied", "copied by keyboard").await;
    assert_eq!(copied, served.url("/guides/cancel/#site"));
    c.active_element().await.unwrap().send_keys(&Key::Tab.to_string()).await.unwrap();
    assert_eq!(c.execute("return document.activeElement.className;", vec![]).await.unwrap(), "copy-answer");

    // A touch-sized window: always shown, each button a finger's size.
    c.set_window_size(390, 800).await.unwrap();
    c.goto(&served.url("/guides/cancel/")).await.unwrap();
    browser.wait_for("document.querySelector('#subject .copy-actions')", "the buttons").await;
    let touch = browser.wait_for("(() => { const a = document.querySelector('#subject .copy-actions'); const r = a.querySelector('button').getBoundingClientRect(); return getComputedStyle(a).opacity === '1' && [r.width, r.height]; })()", "shown without hover").await;
    assert!(touch[1].as_f64().unwrap() >= 44.0 && touch[0].as_f64().unwrap() >= 44.0, "a finger's size: {touch}");

    // None on the home page's navigation sections.
    c.goto(&served.url("/")).await.unwrap();
    browser.wait_for("document.readyState === 'complete'", "the home page").await;
    let on_home = c.execute("return document.querySelectorAll('.copy-actions').length;", vec![]).await.unwrap();
    assert_eq!(on_home, 0);
    browser.close().await;
}

fn urlencode(q: &str) -> String {
    q.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}
