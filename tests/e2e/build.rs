//! Fixture sites built end to end by the real binary: what a good site produces, and how each kind of
//! broken site fails (file and line named, non-zero exit, previous output untouched).

use e2e::{text, Site};

#[test]
fn basic_site_builds_with_builtin_templates_and_settings() {
    let site = Site::copy_of("basic");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", text(&out));

    let page = site.read("guides/first/index.html");
    assert!(page.contains("<html lang=\"zh-CN\">"));
    assert!(page.contains("Content-Security-Policy"));
    assert!(!page.contains("<script>"), "no inline script");
    assert!(page.contains("示例主机服务商"), "provider shortcode from the embedded site.toml");
    assert!(page.contains("不小于 800×600 像素、不大于 100 KB"));
    assert!(page.contains("<h2 id=\"materials\">准备材料"));
    assert!(page.contains("id=\"提交步骤\"") && page.contains("id=\"提交步骤-1\""), "generated ids are unique");
    assert!(page.contains("href=\"/faq/password-lost/\""), "a .md link becomes a site path");
    assert!(page.contains("2026-11-01"), "updated date");
    assert!(page.contains("rel=\"prev\" href=\"/guides/second/\""), "previous/next: weight 0 (none written) comes first");
    assert!(page.contains("aria-label=\"当前位置\""), "breadcrumbs");
    assert!(page.contains("<meta name=\"description\" content=\"第一次办理网站备案的步骤。\">"));

    let second = site.read("guides/second/index.html");
    assert!(second.contains("<h1>变更备案</h1>"), "title from the first heading");
    assert!(second.contains("<meta name=\"description\" content=\"回到首次备案的材料"), "description from the text");

    let faq = site.read("faq/index.html");
    assert!(faq.contains("id=\"topic-account\""));
    assert!(faq.contains("<section class=\"entry\" id=\"password-lost\""));
    assert!(faq.find("password-lost").unwrap() < faq.find("code-1041").unwrap(), "entries in topic order");
    assert!(site.read("faq/password-lost/index.html").contains("忘记备案密码怎么办？"));
    assert!(site.read("codes/index.html").contains("id=\"1041-fix\""), "entry headings prefixed on the section page");

    let alias = site.read("old/first-filing/index.html");
    assert!(alias.contains("url=/guides/first/"));

    assert!(site.read("sitemap.xml").contains("/guides/first/</loc><lastmod>2026-11-01</lastmod>"));
    assert!(site.read("robots.txt").contains("Sitemap:"));
    assert!(site.read("404.html").contains("找不到这个页面"));
    assert!(site.read("search/index.html").contains("<ol id=\"search-results\""));
    assert!(site.public("assets/search/meta.json").exists(), "search index written");
    let style = site.asset("assets/style.css");
    assert!(page.contains(&format!("href=\"/{style}\"")), "pages name the stylesheet by its hashed name");
    assert!(!site.public("assets/style.css").exists(), "no copy under the plain name");
}

#[test]
fn check_passes_on_a_good_site_and_writes_nothing() {
    let site = Site::copy_of("basic");
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!site.public("").exists());
}

/// Builds a broken fixture over an existing output and checks the message and that nothing changed.
fn fails_with(fixture: &str, expected: &[&str]) {
    let site = Site::copy_of(&format!("invalid/{fixture}"));
    site.write("public/index.html", "previous build");
    site.write("public/.site-builder-output", "a previous build");
    let out = site.run(&["build"]);
    let msg = text(&out);
    assert!(!out.status.success(), "{fixture} should fail:\n{msg}");
    for e in expected {
        assert!(msg.contains(e), "{fixture}: expected `{e}` in:\n{msg}");
    }
    assert_eq!(site.read("index.html"), "previous build", "{fixture}: the previous output is untouched");
    assert!(msg.contains("was left as it was"), "{fixture}: says the previous build stays:\n{msg}");
    let leftovers: Vec<_> = std::fs::read_dir(site.root()).unwrap().filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public")).collect();
    assert!(leftovers.is_empty(), "{fixture}: no staging folder left");
    let check = site.run(&["check"]);
    assert!(!check.status.success(), "{fixture}: check fails too");
}

#[test]
fn invalid_front_matter_names_the_line() {
    fails_with("bad-toml", &["content/page.md:3:", "not valid TOML"]);
}

#[test]
fn a_page_without_title_or_heading_fails() {
    fails_with("no-title", &["content/page.md:1:", "no title"]);
}

#[test]
fn an_id_written_twice_fails() {
    fails_with("duplicate-id", &["content/page.md:6:", "`same` is written twice"]);
}

#[test]
fn a_link_to_a_missing_page_fails() {
    fails_with("broken-link", &["content/page.md:6:", "/nowhere/"]);
}

#[test]
fn a_link_to_a_missing_anchor_fails_with_a_hint() {
    fails_with("broken-anchor", &["content/page.md:6:", "no heading or entry with id `materail`", "did you mean `materials`"]);
}

#[test]
fn an_unknown_template_fails() {
    fails_with("unknown-template", &["content/page.md:3:", "unknown template `fancy.html`"]);
}

#[test]
fn an_unknown_shortcode_fails() {
    fails_with("unknown-shortcode", &["content/page.md:6:", "unknown shortcode `nosuch`"]);
}

#[test]
fn a_missing_shortcode_argument_fails() {
    fails_with("missing-shortcode-arg", &["content/page.md:4:", "shortcode `provider` failed", "not found in context", "docs/content-format.md"]);
}

#[test]
fn two_files_on_one_url_fail() {
    fails_with("same-url", &["/faq/", "both become the page"]);
}

#[test]
fn an_alias_colliding_with_a_page_fails() {
    fails_with("alias-collision", &["content/b.md:3:", "alias /a/"]);
}

#[test]
fn a_root_with_only_content_uses_builtin_defaults_and_own_templates_override() {
    let site = Site::copy_of("basic");
    site.write("templates/page.html", "{% extends \"base.html\" %}{% block main %}<p class=\"own\">{{ page.title }}</p>{% endblock main %}");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(site.read("guides/first/index.html").contains("<p class=\"own\">首次备案</p>"));

    site.write("templates/assets/style.css", "body { color: teal }");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(site.read(&site.asset("assets/style.css")), "body { color: teal }", "the site's own assets replace the built-in ones");
}

#[test]
fn the_repository_content_builds_and_every_link_is_checked() {
    let out = std::process::Command::new(e2e::site_builder())
        .args(["check", "--root"])
        .arg(e2e::workspace())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
}

/// A provider's broken data file fails `check` with its file and line, as a broken page does,
/// instead of failing in the customer's browser.
#[test]
fn a_broken_data_file_fails_check_with_its_file_and_line() {
    let site = Site::copy_of("basic");
    let wizard = std::fs::read_to_string(e2e::workspace().join("content/_data/wizard.toml")).unwrap();
    let broken = wizard.replacen("next = \"ever-filed\"", "next = \"ever-filled\"", 1);
    assert_ne!(broken, wizard);
    site.write("content/_data/wizard.toml", &broken);
    let statuses = std::fs::read_to_string(e2e::workspace().join("content/_data/statuses.toml")).unwrap();
    site.write("content/_data/statuses.toml", &statuses.replacen("who = \"you\"", "who = \"yuo\"", 1));
    let out = site.run(&["check"]);
    let msg = text(&out);
    assert!(!out.status.success(), "{msg}");
    // At the value itself: its line, and its column in characters.
    let at = broken.find("\"ever-filled\"").unwrap();
    let line = broken[..at].matches('\n').count() + 1;
    let column = broken[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    assert!(msg.contains(&format!("content/_data/wizard.toml:{line}:{column}: question `task`: answer `open` leads to `ever-filled`")), "{msg}");
    assert!(msg.contains("content/_data/statuses.toml:") && msg.contains("who = `yuo` is not a key of [who]"), "{msg}");
}

/// A template that names an asset by its plain path would point at nothing once assets carry content
/// hashes: `check` and `build` refuse it, naming the page and what to write instead. A template that
/// fails on a page fails `check` too, not only `build`.
#[test]
fn a_template_naming_an_asset_by_its_plain_path_fails_check_and_build() {
    let site = Site::copy_of("basic");
    site.write("templates/page.html", "{% extends \"base.html\" %}{% block main %}<img src=\"/assets/style.css\">{{ page.title }}{% endblock main %}");
    for command in ["check", "build"] {
        let out = site.run(&[command]);
        let msg = text(&out);
        assert!(!out.status.success(), "{command}: {msg}");
        assert!(msg.contains("content/guides/first.md: its page (page.html) refers to /assets/style.css") && msg.contains("asset(path="), "{command}: {msg}");
    }
    site.write("templates/page.html", "{% extends \"base.html\" %}{% block main %}{{ page.no_such_key.deeper }}{% endblock main %}");
    let out = site.run(&["check"]);
    assert!(!out.status.success() && text(&out).contains("page.html"), "{}", text(&out));
}
