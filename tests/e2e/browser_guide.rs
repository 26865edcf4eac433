//! The guide tools on the repository's own content: /wizard/, /materials/ and /status/, each opened
//! from a link with its answer in the address and driven through its controls in headless Chromium
//! (the wizard and the checklist are evaluated by the Rust code in the validator's wasm module).
//! Also, without a browser: the data files are published as JSON and every question, result and
//! status has its anchor in the page without JavaScript.

use e2e::browser::{Browser, Served};
use e2e::{text, workspace, Site};
use fantoccini::Locator::Css;

/// A copy of the repository's site (content, templates, settings) in a temporary folder.
fn repository_site() -> Site {
    let site = Site { dir: tempfile::tempdir().unwrap() };
    for dir in ["content", "templates"] {
        e2e::copy_dir(&workspace().join(dir), &site.root().join(dir));
    }
    std::fs::copy(workspace().join("site.toml"), site.root().join("site.toml")).unwrap();
    site
}

#[test]
fn data_is_published_as_json_and_every_step_has_an_anchor_without_javascript() {
    let site = repository_site();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let wizard: serde_json::Value = serde_json::from_str(&site.read("assets/data/wizard.json")).unwrap();
    let materials: serde_json::Value = serde_json::from_str(&site.read("assets/data/materials.json")).unwrap();
    let statuses: serde_json::Value = serde_json::from_str(&site.read("assets/data/statuses.json")).unwrap();
    assert!(materials["documents"].as_array().unwrap().len() > 10);

    let page = site.read("wizard/index.html");
    assert!(!page.contains("<script>"), "no inline script");
    for q in wizard["questions"].as_array().unwrap() {
        assert!(page.contains(&format!("id=\"q-{}\"", q["id"].as_str().unwrap())));
        for a in q["answers"].as_array().unwrap() {
            let next = a["next"].as_str().unwrap();
            assert!(page.contains(&format!("href=\"#q-{next}\"")) || page.contains(&format!("href=\"#r-{next}\"")), "answer to {next}");
        }
    }
    for r in wizard["results"].as_array().unwrap() {
        assert!(page.contains(&format!("id=\"r-{}\"", r["id"].as_str().unwrap())));
        let guide = r["guide"].as_str().unwrap();
        assert!(site.public(&format!("{}index.html", guide.trim_start_matches('/'))).exists(), "guide {guide} exists");
    }
    let page = site.read("status/index.html");
    for s in statuses["statuses"].as_array().unwrap() {
        assert!(page.contains(&format!("id=\"{}\"", s["id"].as_str().unwrap())));
    }
    let page = site.read("materials/index.html");
    for t in ["first", "new-site", "new-site-no-subject", "transfer", "change", "cancel"] {
        for e in ["personal", "organisation"] {
            assert!(page.contains(&format!("id=\"{t}-{e}\"")), "table {t}-{e}");
        }
    }
    assert!(page.contains("action=\"/materials/\" data-materials-form") && page.contains("method=\"get\""));
    for (from, to) in [("index.html", "/wizard/"), ("guides/index.html", "/materials/"), ("index.html", "/status/")] {
        assert!(site.read(from).contains(&format!("href=\"{to}\"")), "{from} links to {to}");
    }
}

/// The ids of the visible checklist rows.
const ROWS: &str = "[...document.querySelectorAll('[data-checklist-rows] tr')].map(r => r.dataset.document).join(' ')";

/// The repository's site, served, and a browser: what each tool's test starts from.
async fn open() -> (Site, Served, Browser) {
    let site = repository_site();
    let served = Served::start(site.root());
    (site, served, Browser::start().await)
}

/// The link the wizard's commercial first-filing result gives (asserted in the wizard's test).
const COMMERCIAL_FIRST_MATERIALS: &str = "/materials/?entity=organisation&type=first&commercial=1";

#[tokio::test(flavor = "multi_thread")]
async fn the_wizard_from_a_link_and_through_its_controls() {
    let (_site, served, browser) = open().await;
    let c = &browser.client;
    let visible = "[...document.querySelectorAll('.wizard-node')].filter(n => !n.hidden).map(n => n.id).join(' ')";

    // A link support sends: the finished answer, without the words 无主体 anywhere in the questions.
    c.goto(&served.url("/wizard/?a=open,elsewhere,new,organisation")).await.unwrap();
    let ready = browser.wait_for("document.querySelector('[data-wizard]').dataset.wizardReady", "the wizard").await;
    assert_eq!(ready, "true", "the wizard runs on the wasm module");
    let modules = browser
        .client
        .execute("return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.wasm')).map(n => n.split('/').pop().replace(/\\.[0-9a-f]{12}\\.wasm$/, '.wasm'));", vec![])
        .await
        .unwrap();
    assert_eq!(modules, serde_json::json!(["guide_bg.wasm"]), "the wizard loads the guide module (its content hash taken off), not the form checks");
    assert_eq!(browser.wait_for(visible, "one node").await, "r-new-site-no-subject-organisation");
    let guide = browser.wait_for("document.querySelector('#r-new-site-no-subject-organisation [data-guide]').getAttribute('href')", "guide").await;
    assert_eq!(guide, "/guides/new-site-no-subject/");
    assert_eq!(browser.wait_for("document.querySelectorAll('[data-wizard-path] li').length", "path").await, 4);

    // Through the controls: one question at a time, each answer in the address.
    c.goto(&served.url("/wizard/")).await.unwrap();
    browser.wait_for("document.querySelector('[data-wizard]').dataset.wizardReady", "the wizard").await;
    assert_eq!(browser.wait_for(visible, "the first question").await, "q-task");
    for (value, expect) in [("open", "q-ever-filed"), ("never", "q-first-entity"), ("organisation", "q-first-commercial"), ("yes", "r-first-organisation-commercial")] {
        c.find(Css(&format!(".wizard-node:not([hidden]) a[data-answer=\"{value}\"]"))).await.unwrap().click().await.unwrap();
        assert_eq!(browser.wait_for(&format!("({visible}) === '{expect}' && location.search"), expect).await, format!("?a=open{}", match expect {
            "q-ever-filed" => "",
            "q-first-entity" => ",never",
            "q-first-commercial" => ",never,organisation",
            _ => ",never,organisation,yes",
        }));
    }
    // The result's materials link opens the checklist for that case.
    let materials = browser.wait_for("document.querySelector('#r-first-organisation-commercial [data-materials]').getAttribute('href')", "materials link").await;
    assert_eq!(materials, COMMERCIAL_FIRST_MATERIALS);
    // Change an earlier answer; the browser's back button returns to the result.
    c.find(Css("[data-wizard-path] li:nth-child(3) a")).await.unwrap().click().await.unwrap();
    browser.wait_for(&format!("({visible}) === 'q-first-entity'"), "back to the entity question").await;
    c.find(Css(".wizard-node:not([hidden]) a[data-answer=\"personal\"]")).await.unwrap().click().await.unwrap();
    browser.wait_for(&format!("({visible}) === 'r-first-personal' && location.search === '?a=open,never,personal'"), "first filing, personal").await;
    c.back().await.unwrap();
    browser.wait_for(&format!("({visible}) === 'q-first-entity'"), "back").await;
    // A broken link keeps what fits.
    c.goto(&served.url("/wizard/?a=open,sometimes")).await.unwrap();
    browser.wait_for(&format!("({visible}) === 'q-ever-filed' && !document.querySelector('[data-wizard-error]').hidden"), "the valid prefix").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_materials_checklist_from_the_wizards_link_and_its_controls() {
    let (_site, served, browser) = open().await;
    let c = &browser.client;
    // /materials/ from the wizard's link: the commercial licence is on the list.
    c.goto(&served.url(COMMERCIAL_FIRST_MATERIALS)).await.unwrap();
    let ready = browser.wait_for("document.querySelector('[data-materials-tool]').dataset.materialsReady", "the checklist").await;
    assert_eq!(ready, "true");
    assert_eq!(
        browser.wait_for(ROWS, "rows").await,
        "verification-form security-agreement organisation-certificate legal-rep-id domain-certificate telecom-licence"
    );
    assert_eq!(browser.wait_for("document.querySelector('#m-entity').value", "entity").await, "organisation");
    assert_eq!(browser.wait_for("document.querySelector('input[name=commercial]').checked", "box").await, true);
    // Ticking a condition adds exactly its documents, and the address follows.
    c.find(Css("input[name=\"principal-not-legal-rep\"]")).await.unwrap().click().await.unwrap();
    browser.wait_for(&format!("({ROWS}).includes('principal-id authorisation-letter') && location.search.includes('principal-not-legal-rep=1')"), "two more documents").await;
    // Another type from the select: a transfer needs two security agreements.
    c.find(Css("#m-type option[value=\"transfer\"]")).await.unwrap().click().await.unwrap();
    browser.wait_for("location.search.includes('type=transfer')", "type in the address").await;
    let copies = browser.wait_for("document.querySelector('[data-checklist-rows] tr[data-document=security-agreement] td:nth-child(3)').textContent", "copies").await;
    assert_eq!(copies, "2 份");
    // Tick boxes for the printed list.
    assert!(browser.wait_for("document.querySelectorAll('[data-checklist-rows] td.tick input[type=checkbox]').length", "tick boxes").await.as_u64().unwrap() >= 6);
    // New site after an earlier on-site verification: the form and a note only.
    c.goto(&served.url("/materials/?entity=personal&type=new-site&verified-before=1")).await.unwrap();
    assert_eq!(browser.wait_for(ROWS, "rows").await, "verification-form verified-before-note");
    // Change: no fixed list, the guide instead.
    c.goto(&served.url("/materials/?entity=organisation&type=change")).await.unwrap();
    browser.wait_for("!document.querySelector('[data-checklist-empty]').hidden", "no list for change").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_status_page_from_the_address_the_box_and_the_list() {
    let (_site, served, browser) = open().await;
    let c = &browser.client;
    // /status/ from a pasted string in the address.
    c.goto(&served.url("/status/?s=%E5%A4%87%E6%A1%88%E9%98%B6%E6%AE%B5%EF%BC%9A%E6%8A%A5%E5%A4%87%E9%98%B6%E6%AE%B5%E5%BE%85%E7%AE%A1%E5%B1%80%E5%AE%A1%E6%A0%B8")).await.unwrap();
    let id = browser.wait_for("document.querySelector('[data-status-found] [data-status-match]')?.dataset.statusMatch", "a match").await;
    assert_eq!(id, "reporting-pending-bureau");
    let card = browser.wait_for("document.querySelector('[data-status-found]').textContent", "card").await;
    assert!(card.as_str().unwrap().contains("20 个工作日") && card.as_str().unwrap().contains("管局"), "{card}");
    // Typed into the box: the FAQ's "备案完成 but a website is 尚未提交" case.
    let input = c.find(Css("#s-text")).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys("备案完成，网站状态：尚未提交").await.unwrap();
    c.find(Css("[data-status-form] button[type=submit]")).await.unwrap().click().await.unwrap();
    browser.wait_for("document.querySelector('[data-status-found] [data-status-match]')?.dataset.statusMatch === 'completed-site-not-submitted'", "completed, site not submitted").await;
    assert!(browser.wait_for("location.search", "s in the address").await.as_str().unwrap().starts_with("?s="));
    // Chosen from the list.
    c.find(Css("[data-status-choose] option[value=\"报备阶段退回主办者修改\"]")).await.unwrap().click().await.unwrap();
    browser.wait_for("document.querySelector('[data-status-found] [data-status-match]')?.dataset.statusMatch === 'returned-to-subject'", "returned").await;
    // Something unknown says so.
    c.goto(&served.url("/status/?s=xyz")).await.unwrap();
    browser.wait_for("!document.querySelector('[data-status-none]').hidden", "not recognised").await;

    browser.close().await;
}

/// Servers answer `//wizard/` with the wizard page; a tool that built its links from
/// `location.pathname` then linked to the host `wizard`, and its `history` calls threw (another
/// origin), so the wizard never started. Each tool links to its own page, at any such address.
#[tokio::test(flavor = "multi_thread")]
async fn a_tool_opened_at_a_doubled_slash_keeps_its_links_on_this_site_regression() {
    let (_site, served, browser) = open().await;
    let c = &browser.client;
    // A link kept from an older answer: the wizard says so and starts (replaceState would throw).
    c.goto(&served.url("//wizard/?a=bogus")).await.unwrap();
    browser.wait_for("document.querySelector('[data-wizard]').dataset.step === 'q-task' && !document.querySelector('[data-wizard-error]').hidden", "the wizard starts").await;
    c.goto(&served.url("//wizard/?a=open")).await.unwrap();
    let goto = browser.wait_for("document.querySelector('[data-wizard-goto]')?.getAttribute('href')", "the change-this-step link").await;
    assert_eq!(goto, "/wizard/");
    c.find(Css(".wizard-node:not([hidden]) a[data-answer=\"never\"]")).await.unwrap().click().await.unwrap();
    let here = browser.wait_for("location.search === '?a=open,never' && location.host + location.pathname", "the answer in the address").await;
    assert_eq!(here.as_str().unwrap(), served.url("/wizard/").trim_start_matches("http://"));

    c.goto(&served.url("//materials/?entity=personal&type=first")).await.unwrap();
    browser.wait_for("document.querySelector('[data-materials-tool]').dataset.materialsReady", "the checklist").await;
    let printed = browser.wait_for("document.querySelector('[data-checklist-url]').textContent", "the list's address").await;
    assert_eq!(printed.as_str().unwrap(), format!("本清单地址：{}", served.url("/materials/?entity=personal&type=first")));
    c.find(Css("input[name=\"principal-not-legal-rep\"]")).await.unwrap().click().await.unwrap();
    let path = browser.wait_for("location.search.includes('principal-not-legal-rep=1') && location.pathname", "a condition in the address").await;
    assert_eq!(path, "/materials/");

    c.goto(&served.url("//status/")).await.unwrap();
    let input = c.find(Css("#s-text")).await.unwrap();
    input.send_keys("报备阶段待管局审核").await.unwrap();
    c.find(Css("[data-status-form] button[type=submit]")).await.unwrap().click().await.unwrap();
    let path = browser.wait_for("document.querySelector('[data-status-found] [data-status-match]') && location.pathname", "a match").await;
    assert_eq!(path, "/status/");
    browser.close().await;
}

/// Red-team 9: the page joined a status's other spellings with `|` and split them again, so a
/// spelling holding `|` became two, one of them another status's (`check` compared it whole).
/// The spellings are a JSON list now: a pasted status finds its own card.
#[tokio::test(flavor = "multi_thread")]
async fn a_spelling_holding_a_bar_is_one_spelling_on_the_status_page_regression() {
    let site = repository_site();
    let path = "content/_data/statuses.toml";
    let statuses = std::fs::read_to_string(site.root().join(path)).unwrap();
    let first = statuses.find("[[statuses]]").unwrap();
    // Before every other card: the first card that matches wins.
    let early = "[[statuses]]\nid = \"bar-spelling\"\nstatus = \"完全不同的状态甲\"\nalso = [\"另一说法|报备阶段未提交\"]\nmeaning = \"测试用\"\nwho = \"you\"\nsource = \"测试\"\ntodo = \"测试用\"\n\n";
    std::fs::write(site.root().join(path), format!("{}{early}{}", &statuses[..first], &statuses[first..])).unwrap();
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", text(&out));
    let served = Served::start(site.root());
    let browser = Browser::start().await;
    browser.client.goto(&served.url("/status/?s=%E6%8A%A5%E5%A4%87%E9%98%B6%E6%AE%B5%E6%9C%AA%E6%8F%90%E4%BA%A4")).await.unwrap();
    let id = browser.wait_for("document.querySelector('[data-status-found] [data-status-match]')?.dataset.statusMatch", "a match").await;
    assert_eq!(id, "reporting-not-submitted");
    browser.client.goto(&served.url("/status/?s=%E5%8F%A6%E4%B8%80%E8%AF%B4%E6%B3%95%7C%E6%8A%A5%E5%A4%87%E9%98%B6%E6%AE%B5%E6%9C%AA%E6%8F%90%E4%BA%A4")).await.unwrap();
    let id = browser.wait_for("document.querySelector('[data-status-found] [data-status-match]')?.dataset.statusMatch", "a match").await;
    assert_eq!(id, "bar-spelling", "the whole spelling finds its card");
    browser.close().await;
}
