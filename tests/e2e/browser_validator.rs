//! The validator in headless Chromium, on a fixture site built and served by the real binary (which
//! compiles the wasm module): one-field checks with their fix, the whole form on /check/, scans, and
//! privacy — no request and nothing stored while checking, no module on pages without fields.

use e2e::browser::{Browser, Served};
use e2e::Site;
use fantoccini::Locator::Css;
use serde_json::{json, Value};

/// Waits until the module has loaded and attached its listeners.
async fn ready(b: &Browser) {
    b.wait_for("document.documentElement.dataset.fieldChecks === 'ready'", "the validator module").await;
}

/// Sets a control of the check form by name, as typing and leaving it would.
async fn set(b: &Browser, name: &str, value: &str) {
    b.client
        .execute(
            "const el = document.querySelector(`[name=\"${arguments[0]}\"]`);
             el.value = arguments[1];
             el.dispatchEvent(new Event('input', {bubbles: true}));
             el.dispatchEvent(new FocusEvent('focusout', {bubbles: true}));",
            vec![json!(name), json!(value)],
        )
        .await
        .unwrap_or_else(|e| panic!("setting {name}: {e}"));
}

async fn eval(b: &Browser, script: &str) -> Value {
    b.client.execute(&format!("return {script};"), vec![]).await.expect("script runs")
}

/// Resources the page has fetched so far (but the dev server's live-reload poll, which a built
/// site does not have), and whether anything is stored.
const RESOURCES: &str = "performance.getEntriesByType('resource').filter(e => !e.name.includes('/__livereload')).length";
const STORED: &str = "localStorage.length + sessionStorage.length + document.cookie.length";

#[tokio::test(flavor = "multi_thread")]
async fn one_field_checks_fix_a_lowercase_x_and_pages_without_fields_do_not_load_the_module() {
    let site = Site::copy_of("validator");
    let served = Served::start(site.root());
    let b = Browser::start().await;
    let c = &b.client;

    c.goto(&served.url("/plain/")).await.unwrap();
    b.wait_for("document.readyState === 'complete'", "the plain page").await;
    let loaded = eval(&b, "performance.getEntriesByType('resource').filter(e => e.name.includes('/assets/validator/')).length + document.querySelectorAll('script[src*=\"validator\"]').length").await;
    assert_eq!(loaded, 0, "a page without fields loads no validator");

    c.goto(&served.url("/id-check/")).await.unwrap();
    ready(&b).await;
    let input = c.find(Css("input[data-check='id-number']")).await.unwrap();
    input.send_keys("44011320141005001x").await.unwrap();
    let message = b.wait_for("document.querySelector('#' + document.querySelector('input[data-check=\"id-number\"]').getAttribute('aria-describedby')).textContent.includes('1015') && document.querySelector('input[data-check=\"id-number\"]').getAttribute('aria-describedby')", "the 1015 message").await;
    let message = format!("#{}", message.as_str().unwrap());
    assert_eq!(input.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    assert_eq!(eval(&b, &format!("document.querySelector('{message}').getAttribute('aria-live')")).await, "polite");
    assert_eq!(eval(&b, &format!("document.querySelector('{message} a.field-help').getAttribute('href')")).await, "/codes/1015/");

    c.find(Css(&format!("{message} button.field-fix"))).await.unwrap().click().await.unwrap();
    assert_eq!(input.prop("value").await.unwrap().as_deref(), Some("44011320141005001X"));
    b.wait_for("document.querySelector('input[data-check=\"id-number\"]').getAttribute('aria-invalid') === 'false'", "the fixed value accepted").await;
    assert_eq!(eval(&b, &format!("document.querySelector('{message}').className")).await, "field-message ok");

    // The homepage field reads the domains typed above it.
    c.find(Css("textarea[id$='-domains']")).await.unwrap().send_keys("example.com").await.unwrap();
    c.find(Css("input[data-check='homepage']")).await.unwrap().send_keys("www.example.net").await.unwrap();
    b.wait_for("document.querySelector('input[data-check=\"homepage\"]').getAttribute('aria-invalid') === 'true'", "1041 on the one-field homepage check").await;

    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_check_page_finds_1041_passes_a_clean_form_and_sends_nothing() {
    let site = Site::copy_of("validator");
    let served = Served::start(site.root());
    let scan = tempfile::tempdir().unwrap();
    let small = scan.path().join("small.png");
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend(640u32.to_be_bytes());
    png.extend(480u32.to_be_bytes());
    png.extend([8, 2, 0, 0, 0]);
    std::fs::write(&small, png).unwrap();

    let b = Browser::start().await;
    let c = &b.client;
    c.goto(&served.url("/check/")).await.unwrap();
    ready(&b).await;
    b.wait_for("document.readyState === 'complete'", "the page and its resources").await;
    let before = eval(&b, RESOURCES).await;

    // A homepage outside the domains: typed, then left.
    c.find(Css("#websites-0-domains")).await.unwrap().send_keys("example.com").await.unwrap();
    c.find(Css("#websites-0-homepage")).await.unwrap().send_keys("www.example.net").await.unwrap();
    c.find(Css("h1")).await.unwrap().click().await.unwrap();
    let text = b.wait_for("document.querySelector('#websites-0-homepage-msg').textContent.includes('1041') && document.querySelector('#websites-0-homepage-msg').textContent", "1041").await;
    assert!(text.as_str().unwrap().contains("example.com"), "{text}");
    assert_eq!(eval(&b, "document.querySelector('#websites-0-homepage').getAttribute('aria-invalid')").await, "true");
    assert_eq!(eval(&b, "document.querySelector('#websites-0-homepage-msg a.field-help').getAttribute('href')").await, "/codes/1041/");

    // Submitting the half-filled form lists everything to fix, each with its link.
    c.find(Css("form[data-check-form] button[type='submit']")).await.unwrap().click().await.unwrap();
    let items = b.wait_for("document.querySelectorAll('[data-check-summary] li').length", "the summary").await;
    assert!(items.as_u64().unwrap() > 5, "required fields are listed: {items}");
    assert_eq!(eval(&b, "[...document.querySelectorAll('[data-check-summary] li')].every(li => li.querySelector('a.field-help'))").await, true);

    // The clean example form (wasm-validator/examples/form-clean.json), as a customer fills it in.
    let person = [("name", "张三"), ("id_number", "33010619850301003X"), ("mobile", "13800138000"), ("email", "zhangsan@example.com")];
    let mut fields = vec![
        ("filing_type", "first"),
        ("subject.type", "personal"),
        ("subject.name", "张三"),
        ("subject.certificate_type", "id-card"),
        ("subject.certificate_number", "33010619850301003X"),
        ("subject.province", "浙江"),
        ("subject.certificate_address", "浙江省杭州市西湖区示例路 1 号"),
        ("subject.mailing_address", "浙江省杭州市西湖区示例路 1 号 2 幢 301 室"),
        ("websites[0].name", "读书笔记分享"),
        ("websites[0].domains", "zhangsan-notes.cn"),
        ("websites[0].homepage", "www.zhangsan-notes.cn"),
        ("websites[0].service_content", "其他"),
        ("websites[0].access.ips", "192.0.2.10"),
    ];
    let names: Vec<(String, &str)> = person
        .iter()
        .flat_map(|(k, v)| [(format!("subject.principal.{k}"), *v), (format!("websites[0].principal.{k}"), *v)])
        .collect();
    fields.extend(names.iter().map(|(k, v)| (k.as_str(), *v)));
    for (name, value) in &fields {
        set(&b, name, value).await;
    }
    c.find(Css("form[data-check-form] button[type='submit']")).await.unwrap().click().await.unwrap();
    b.wait_for("document.querySelector('[data-check-summary]').classList.contains('ok')", "no problems found").await;
    assert_eq!(eval(&b, "document.querySelectorAll('[aria-invalid=\"true\"]').length").await, 0);
    assert_eq!(eval(&b, "document.querySelectorAll('.field-message.error').length").await, 0);

    // A scan that is too small, read in the page.
    c.find(Css("#scan-file")).await.unwrap().send_keys(small.to_str().unwrap()).await.unwrap();
    let text = b.wait_for("document.querySelector('#scan-file-msg').textContent.includes('640×480') && document.querySelector('#scan-file-msg').textContent", "the scan check").await;
    assert!(text.as_str().unwrap().contains("800×600"), "{text}");

    // Everything above ran in the page: no request since load, nothing stored.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(eval(&b, RESOURCES).await, before, "no network request while checking");
    assert_eq!(eval(&b, STORED).await, 0, "nothing stored");

    b.close().await;
}
