//! The repository's own content, built end to end: every FAQ answer and return code has its page and
//! anchor, each code page names its code, and the same content builds for a second provider with none
//! of the first provider's details left in it.

use e2e::{text, workspace, Site};
use std::path::Path;

/// The FAQ ids listed in docs/site-map.md (`| 12 | some-id | topic |`).
fn faq_ids() -> Vec<String> {
    let map = std::fs::read_to_string(workspace().join("docs/site-map.md")).unwrap();
    let ids: Vec<String> = map
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells.len() == 5 && cells[1].parse::<u32>().is_ok()).then(|| cells[2].to_string())
        })
        .collect();
    assert_eq!(ids.len(), 58, "the site map lists all 58 questions of the FAQ");
    ids
}

const CODES: [&str; 15] = ["1003", "1004", "1005", "1015", "1016", "1018", "1019", "1029", "1039", "1040", "1041", "1046", "1048", "1051", "5001"];

/// A copy of the repository's site (content, templates, settings) in a temporary folder.
fn repository_site() -> Site {
    let site = Site { dir: tempfile::tempdir().unwrap() };
    for dir in ["content", "templates"] {
        e2e::copy_dir(&workspace().join(dir), &site.root().join(dir));
    }
    std::fs::copy(workspace().join("site.toml"), site.root().join("site.toml")).unwrap();
    site
}

fn all_html(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            if !path.ends_with("pagefind") {
                all_html(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "html" || e == "xml" || e == "txt") {
            out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn every_faq_answer_and_return_code_has_its_page_and_anchor() {
    let site = repository_site();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let faq = site.read("faq/index.html");
    for id in faq_ids() {
        assert!(site.public(&format!("faq/{id}/index.html")).exists(), "/faq/{id}/ exists");
        assert!(faq.contains(&format!("id=\"{id}\"")), "/faq/#{id} exists");
    }
    let codes = site.read("codes/index.html");
    for code in CODES {
        let page = site.read(&format!("codes/{code}/index.html"));
        let h1 = page.split("<h1>").nth(1).and_then(|s| s.split("</h1>").next()).unwrap_or("");
        assert!(h1.contains(code), "/codes/{code}/ names its code in the title: {h1}");
        assert!(codes.contains(&format!("id=\"{code}\"")), "/codes/#{code} exists");
        assert!(site.read(&format!("faq/code-{code}/index.html")).contains(&format!("/codes/{code}/")), "the FAQ entry links the code page");
    }
}

#[test]
fn the_content_builds_for_a_second_provider_without_the_first_ones_details() {
    let site = repository_site();
    std::fs::copy(e2e::fixture("second-provider/site.toml"), site.root().join("site.toml")).unwrap();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", text(&out));

    let first: toml_like::Provider = toml_like::provider(&std::fs::read_to_string(workspace().join("site.toml")).unwrap());
    let mut files = Vec::new();
    all_html(&site.public(""), &mut files);
    assert!(files.len() > 80);
    for (path, html) in &files {
        for value in &first {
            assert!(!html.contains(value.as_str()), "{path} still contains the first provider's `{value}`");
        }
    }
    let joined: String = files.iter().map(|(_, h)| h.as_str()).collect();
    assert!(joined.contains("另一家云主机公司") && joined.contains("icp@other-host.test"), "the second provider's details are used");
    assert!(site.read("guides/first-filing/index.html").contains("1024×768"), "upload limits come from site.toml");
}

/// Reads the `[provider]` strings of a site.toml without a TOML dependency in the tests: the values
/// that identify a provider (not the generic ones like a province shared by many).
mod toml_like {
    pub type Provider = Vec<String>;

    pub fn provider(text: &str) -> Provider {
        let mut in_provider = false;
        let mut values = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                in_provider = line == "[provider]";
                continue;
            }
            let Some((key, value)) = line.split_once('=') else { continue };
            if in_provider && ["name", "short_name", "email", "phone", "address", "postcode", "system_url"].contains(&key.trim()) {
                values.push(value.trim().trim_matches('"').to_string());
            }
        }
        values
    }
}
