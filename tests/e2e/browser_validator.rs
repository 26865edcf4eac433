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
    // The module fetches its two tables (regions, public suffixes) once it has started, whatever
    // is typed: they are part of loading, not of checking.
    b.wait_for("document.documentElement.dataset.fieldChecksTables === 'ready'", "the validator's tables").await;
    let before = eval(&b, RESOURCES).await;
    let requests_before = served.counter("requests");

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

    // The clean example form (wasm-validator/rules/examples/form-clean.json), as a customer fills it in.
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

    // Everything above ran in the page: the server saw no request since load (counted at the
    // server, so nothing the page does escapes the count), the page made none, nothing is stored.
    assert_eq!(served.counter("requests"), requests_before, "no request reached the server while checking");
    assert_eq!(eval(&b, RESOURCES).await, before, "no network request while checking");
    assert_eq!(eval(&b, STORED).await, 0, "nothing stored");

    b.close().await;
}

/// The text of a field's message element, once `needle` is in it.
async fn message_with(b: &Browser, msg: &str, needle: &str) -> String {
    let script = format!("document.querySelector('#{msg}').textContent.includes({needle:?}) && document.querySelector('#{msg}').textContent");
    b.wait_for(&script, &format!("{needle} in #{msg}")).await.as_str().unwrap().to_owned()
}

async fn help_of(b: &Browser, msg: &str) -> Value {
    eval(b, &format!("[...document.querySelectorAll('#{msg} a.field-help')].map(a => a.getAttribute('href'))")).await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_check_page_shows_the_rules_customers_still_trip_on() {
    let site = Site::copy_of("validator");
    let served = Served::start(site.root());
    let b = Browser::start().await;
    let c = &b.client;
    c.goto(&served.url("/check/")).await.unwrap();
    ready(&b).await;

    // 14.1: a personal filing's website name with the owner's name.
    set(&b, "subject.type", "personal").await;
    set(&b, "subject.name", "张三").await;
    set(&b, "websites[0].name", "张三读书笔记").await;
    message_with(&b, "websites-0-name-msg", "个人姓名").await;
    assert!(help_of(&b, "websites-0-name-msg").await.to_string().contains("/faq/website-name-rules/"));

    // 14.6: a domain certificate's holder who is not the subject.
    set(&b, "websites[0].domains", "zhangsan-notes.cn").await;
    set(&b, "websites[0].domain_holders", "李四").await;
    let text = message_with(&b, "websites-0-domain_holders-msg", "不一致").await;
    assert!(text.contains("李四") && text.contains("张三"), "{text}");
    assert!(help_of(&b, "websites-0-domain_holders-msg").await.to_string().contains("/faq/domain-certificate/"));
    set(&b, "websites[0].domain_holders", "张 三").await;
    b.wait_for("!document.querySelector('#websites-0-domain_holders-msg').textContent.includes('不一致')", "the holder accepted").await;

    // 14.5: zero-width characters in an ID number are counted, named and removed from the offered value.
    set(&b, "subject.principal.id_number", "4401\u{200B}132014\u{200B}1005001X").await;
    let text = message_with(&b, "subject-principal-id_number-msg", "看不见的字符").await;
    assert!(text.contains("有 2 个看不见的字符") && !text.contains("20 位"), "{text}");
    assert_eq!(eval(&b, "document.querySelector('#subject-principal-id_number-msg button.field-fix').dataset.fix").await, "44011320141005001X");
    assert_eq!(eval(&b, "document.querySelector('#subject-principal-id_number-msg button.field-fix bdi').textContent").await, "44011320141005001X");

    // 14.3 and 14.4: an app's number where a website number is wanted; the sequence before 号.
    set(&b, "filing_type", "transfer").await;
    set(&b, "websites[0].filing_number", "京ICP备10206937号-2A").await;
    let text = message_with(&b, "websites-0-filing_number-msg", "App").await;
    assert!(text.contains("不是网站备案号"), "{text}");
    set(&b, "websites[0].filing_number", "京ICP备16059763-1号").await;
    message_with(&b, "websites-0-filing_number-msg", "“号”的后面").await;
    c.find(Css("#websites-0-filing_number-msg button.field-fix")).await.unwrap().click().await.unwrap();
    assert_eq!(eval(&b, "document.querySelector('#websites-0-filing_number').value").await, "京ICP备16059763号-1");

    // 9.8: an unclosed U+202E typed in a domain reverses neither the message nor its help link.
    set(&b, "websites[0].domains", "a\u{202E}moc.elpmaxe").await;
    let text = message_with(&b, "websites-0-domains-msg", "elpmaxe").await;
    assert!(!text.contains('\u{202E}') && text.contains("\u{2068}elpmaxe\u{2069}"), "{text:?}");
    let in_order = eval(
        &b,
        "(() => { const m = document.querySelector('#websites-0-domains-msg'); m.style.whiteSpace = 'nowrap';
           const t = [...m.childNodes].find(n => n.nodeType === 3 && n.textContent.includes('elpmaxe'));
           const link = t.nextSibling.nextSibling; const r = document.createRange(); r.setStart(t, t.length - 1); r.setEnd(t, t.length);
           return link.matches('a.field-help') && link.getBoundingClientRect().left >= r.getBoundingClientRect().right - 1; })()",
    )
    .await;
    assert_eq!(in_order, true, "the help link follows the message, left to right");

    // 14.2 and 14.7, for an organisation: a credit code whose embedded organisation code fails is a
    // warning; a different website principal with the same mobile number is an error.
    set(&b, "subject.type", "organisation").await;
    set(&b, "subject.certificate_type", "uscc").await;
    set(&b, "subject.certificate_number", "91110000600037342P").await;
    let text = message_with(&b, "subject-certificate_number-msg", "对照营业执照").await;
    assert!(text.contains("第 9–17 位"), "{text}");
    assert_eq!(eval(&b, "document.querySelector('#subject-certificate_number-msg').className").await, "field-message warning");
    for (k, subject, site) in [("name", "李四", "王五"), ("id_number", "330106197001010019", "330106199001010026"), ("mobile", "13900139000", "13900139000"), ("email", "lisi@example.com", "wangwu@example.com")] {
        set(&b, &format!("subject.principal.{k}"), subject).await;
        set(&b, &format!("websites[0].principal.{k}"), site).await;
    }
    let text = message_with(&b, "websites-0-principal-mobile-msg", "四项都要不同").await;
    assert!(text.contains("手机号码相同"), "{text}");

    b.close().await;
}

/// A provider's own website-name word lists (content/_data/website-name-words.txt) reach the same
/// browser module through the page: a word only the provider lists is flagged, and a built-in word
/// the provider's lists leave out is not.
#[tokio::test(flavor = "multi_thread")]
async fn the_providers_own_word_lists_reach_the_browser_module() {
    let site = Site::copy_of("validator");
    site.write("content/_data/website-name-words.txt", "[forbidden-prefixes]\n\n[restricted-words]\n示例禁词\n\n[personal-refused]\n");
    let served = Served::start(site.root());
    let b = Browser::start().await;
    b.client.goto(&served.url("/check/")).await.unwrap();
    ready(&b).await;
    set(&b, "subject.type", "organisation").await;
    set(&b, "websites[0].name", "示例禁词资讯网").await;
    message_with(&b, "websites-0-name-msg", "示例禁词").await;
    // 信访 is on the built-in list only: with the provider's lists it passes.
    set(&b, "websites[0].name", "信访资讯服务网").await;
    b.wait_for("!document.querySelector('#websites-0-name-msg').textContent.includes('示例禁词')", "the message updated").await;
    let text = eval(&b, "document.querySelector('#websites-0-name-msg').textContent").await;
    assert!(!text.as_str().unwrap().contains("信访"), "{text}");
    b.close().await;
}
