//! The checks on a form we did not build (docs/embedding.md): a provider's filing form
//! (tests/fixtures/provider-form/: its own field names and stylesheet) served from one origin with
//! the vendored package (scripts/build-package.sh), the help centre from another. In Chromium:
//! each kind of field is flagged with its message and a help link to the help centre's address;
//! the page's values and its own markup stay as they were; the whole-form check maps the page's
//! fields to the form's names; nothing is requested while checking.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use fantoccini::Locator::Css;

use e2e::browser::{http_get, Browser, Served};
use e2e::{copy_dir, fixture, text, workspace};

/// A static server for `root` on a port the system chose (bound here, before anything asks for it),
/// counting the requests it answers.
pub struct Static {
    pub base: String,
    pub requests: Arc<AtomicUsize>,
}

pub fn serve_static(root: PathBuf) -> Static {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&requests);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let root = root.clone();
            let counter = Arc::clone(&counter);
            std::thread::spawn(move || {
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let path = line.split_whitespace().nth(1).unwrap_or("/").split('?').next().unwrap().to_owned();
                let mut file = root.join(path.trim_start_matches('/'));
                if file.is_dir() {
                    file = file.join("index.html");
                }
                let kind = match file.extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("js") => "text/javascript",
                    Some("css") => "text/css",
                    Some("wasm") => "application/wasm",
                    _ => "text/plain; charset=utf-8",
                };
                let (status, body) = match std::fs::read(&file) {
                    Ok(b) if !path.contains("..") => ("200 OK", b),
                    _ => ("404 Not Found", b"not found".to_vec()),
                };
                let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = stream.write_all(&body);
            });
        }
    });
    Static { base, requests }
}

/// The provider's site: its form (with the help centre's address put in) and the package in
/// /vendor/beian-checks/, assembled by the script a provider's web team runs.
fn provider_site(help_base: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("provider-form"), dir.path());
    let page = dir.path().join("index.html");
    let html = std::fs::read_to_string(&page).unwrap().replace("HELP_BASE", help_base);
    std::fs::write(&page, html).unwrap();
    build_package(&dir.path().join("vendor/beian-checks"));
    dir
}

pub fn build_package(out: &Path) {
    let run = Command::new("bash").arg(workspace().join("scripts/build-package.sh")).arg(out).output().unwrap();
    assert!(run.status.success(), "{}", text(&run));
}

/// Each control's value and attributes, except the two the checks own (aria-invalid, aria-describedby).
const SNAPSHOT: &str = "[...document.querySelectorAll('#beian-apply input, #beian-apply button, #beian-apply fieldset, #beian-apply .tip, #beian-apply .portal-msg')]
  .map((el) => [el.tagName, el.value ?? '', [...el.attributes].filter((a) => !['aria-invalid', 'aria-describedby'].includes(a.name)).map((a) => `${a.name}=${a.value}`).join(' ')].join('|'))";

#[tokio::test]
async fn a_providers_own_form_gets_the_checks_with_links_to_the_help_centre() {
    // The help centre: this repository's site (its /codes/ pages are the links' targets).
    let help = tempfile::tempdir().unwrap();
    for part in ["content", "templates"] {
        copy_dir(&workspace().join(part), &help.path().join(part));
    }
    std::fs::copy(workspace().join("site.toml"), help.path().join("site.toml")).unwrap();
    let centre = Served::start(help.path());
    let help_base = format!("{}/", centre.base);
    let provider = provider_site(&help_base);
    let portal = serve_static(provider.path().to_path_buf());
    assert_ne!(portal.base, centre.base, "two origins");

    let b = Browser::start().await;
    let c = &b.client;
    c.goto(&format!("{}/", portal.base)).await.unwrap();
    b.wait_for("document.documentElement.dataset.beianChecks === 'ready'", "the package started, tables included").await;
    let markup_before = b.client.execute(&format!("return {SNAPSHOT};"), vec![]).await.unwrap();
    let (portal_before, centre_before) = (portal.requests.load(Ordering::SeqCst), centre.counter("requests"));

    // Each kind of field, typed and left as a customer would.
    let cases = [
        ("#ownerCert", "33010619850301003x", "1015"),
        ("#orgCode", "91350100M000100Y4X", ""),
        ("#mobile", "1380013800", "手机"),
        ("#mail", "zhangsan@", ""),
        ("#siteName", "张三企业网", ""),
        ("#siteDomain", "example.com", ""),
        ("#siteHome", "www.example.net", "1041"),
        ("#siteIcp", "京ICP备10206937号", ""),
    ];
    for (selector, value, expected) in cases {
        c.find(Css(selector)).await.unwrap().send_keys(value).await.unwrap();
        c.find(Css(".portal-header")).await.unwrap().click().await.unwrap();
        if selector == "#siteDomain" {
            continue; // a good domain: no message, and the homepage below is checked against it
        }
        let script = format!("document.querySelector('{selector}').getAttribute('aria-invalid') === 'true'");
        b.wait_for(&script, selector).await;
        let shown = b
            .client
            .execute(
                "const el = document.querySelector(arguments[0]);
                 const box = document.getElementById(el.getAttribute('aria-describedby').split(' ').pop());
                 return { text: box.textContent, links: [...box.querySelectorAll('a.beian-check-help')].map((a) => a.href), describedby: el.getAttribute('aria-describedby'),
                          next: el.nextElementSibling && el.nextElementSibling.className, parent: box.parentElement.id };",
                vec![serde_json::json!(selector)],
            )
            .await
            .unwrap();
        let text = shown["text"].as_str().unwrap();
        assert!(!text.is_empty() && text.contains(expected), "{selector}: {shown}");
        let links = shown["links"].as_array().unwrap();
        assert!(!links.is_empty() && links.iter().all(|l| l.as_str().unwrap().starts_with(&help_base)), "{selector}: help links on the help centre: {shown}");
        if selector == "#ownerCert" {
            assert!(shown["describedby"].as_str().unwrap().starts_with("ownerCertTip "), "the page's own description stays first: {shown}");
            assert_eq!(links[0], format!("{help_base}codes/1015/"));
        }
        if selector == "#siteHome" {
            assert_eq!(shown["next"], "portal-msg", "nothing added after the homepage field: {shown}");
            assert_eq!(shown["parent"], "siteHomeMsg", "its messages go in the page's own element (data-beian-message): {shown}");
        } else {
            assert_eq!(shown["next"], "beian-check-message beian-check-error", "{selector}: a message element after the field: {shown}");
        }
    }

    // The whole form, the page's fields mapped to the form's names.
    let result = b
        .client
        .execute(
            "return window.beianChecks.checkForm({
               'subject.name': '#ownerName', 'subject.certificate_number': '#ownerCert', 'subject.principal.mobile': '#mobile',
               'subject.principal.email': '#mail', 'websites[0].name': '#siteName', 'websites[0].domains': '#siteDomain',
               'websites[0].homepage': '#siteHome',
             }, { show: true, today: '2026-11-23' }).then((r) => ({ ok: r.ok, fields: r.findings.map((f) => f.field),
               helps: r.findings.map((f) => f.help), placed: r.findings.filter((f) => f.element).map((f) => f.element.id) }));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(result["ok"], false, "{result}");
    let fields: Vec<&str> = result["fields"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    for f in ["subject.certificate_number", "subject.principal.mobile", "websites[0].homepage"] {
        assert!(fields.contains(&f), "{f} among the findings: {result}");
    }
    assert!(result["helps"].as_array().unwrap().iter().all(|h| h.as_str().unwrap().starts_with(&help_base)), "{result}");
    assert!(result["placed"].as_array().unwrap().iter().any(|id| id == "ownerCert"), "{result}");

    // Nothing was sent while checking, and the page's values and markup are its own.
    assert_eq!(portal.requests.load(Ordering::SeqCst), portal_before, "no request to the page's host while checking");
    assert_eq!(centre.counter("requests"), centre_before, "no request to the help centre while checking");
    let markup_after = b.client.execute(&format!("return {SNAPSHOT};"), vec![]).await.unwrap();
    let typed: serde_json::Value = b.client.execute("return ['#ownerCert', '#siteHome', '#mail'].map((s) => document.querySelector(s).value);", vec![]).await.unwrap();
    assert_eq!(typed, serde_json::json!(["33010619850301003x", "www.example.net", "zhangsan@"]), "values as typed");
    let before: Vec<&str> = markup_before.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    let after: Vec<&str> = markup_after.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    // Values changed only by typing: compare the attributes.
    let attrs = |rows: &[&str]| rows.iter().map(|r| r.rsplit('|').next().unwrap().to_owned()).collect::<Vec<_>>();
    assert_eq!(attrs(&after), attrs(&before), "the page's own markup is unchanged");

    // The help links lead to real pages of the help centre.
    assert_eq!(http_get(&centre.base, "/codes/1015/").0, 200);
    assert_eq!(http_get(&centre.base, "/codes/1041/").0, 200);
    b.close().await;
}
