//! The builder never deletes or writes what is not its own, whatever path or content it is given:
//! refused output folders are left byte for byte as they were, a build killed at any step leaves the
//! old output or the new one, two builds into one output do not race, aliases stay inside the site,
//! and content that names odd files still builds or fails with a message that names the file.

use e2e::{text, Site};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// Every file below `dir` (hidden ones too) with its bytes, to compare before and after.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                files.insert(path.strip_prefix(dir).unwrap().join(""), Vec::new());
                stack.push(path);
            } else {
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn build_into(site: &Site, output: &Path, extra: &[&str]) -> Output {
    Command::new(e2e::site_builder())
        .arg("build")
        .arg("--output")
        .arg(output)
        .args(extra)
        .arg("--root")
        .arg(site.root())
        .output()
        .expect("site-builder runs")
}

/// A folder of a user's own files, hidden ones included.
fn users_folder(parent: &Path) -> PathBuf {
    let mine = parent.join("mine");
    std::fs::create_dir_all(mine.join(".ssh")).unwrap();
    std::fs::write(mine.join(".ssh/id_ed25519"), "private key").unwrap();
    std::fs::write(mine.join("notes.txt"), "my notes").unwrap();
    mine
}

fn assert_refused(out: &Output, expected: &[&str]) {
    let msg = text(out);
    assert!(!out.status.success(), "must be refused:\n{msg}");
    for e in expected {
        assert!(msg.contains(e), "expected `{e}` in:\n{msg}");
    }
    assert!(!msg.contains("built "), "{msg}");
}

#[test]
fn a_folder_of_the_users_files_is_refused_and_left_byte_for_byte() {
    let site = Site::copy_of("basic");
    let mine = users_folder(site.root());
    let before = snapshot(&mine);
    let out = build_into(&site, &mine, &[]);
    assert_refused(&out, &["refusing to use", "mine", "did not write", "--force"]);
    assert_eq!(snapshot(&mine), before);
}

#[test]
fn force_replaces_a_users_folder_but_nothing_protected() {
    let site = Site::copy_of("basic");
    let mine = users_folder(&site.root().join("elsewhere"));
    let out = build_into(&site, &mine, &["--force"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(mine.join("index.html").is_file() && !mine.join("notes.txt").exists());
    assert!(mine.join(".site-builder-output").is_file(), "the marker: the next build needs no --force");
    let again = build_into(&site, &mine, &[]);
    assert!(again.status.success(), "{}", text(&again));
}

#[test]
fn the_site_its_sources_and_the_folders_above_are_refused_even_with_force() {
    let site = Site::copy_of("basic");
    site.write("site.toml", &std::fs::read_to_string(e2e::workspace().join("site.toml")).unwrap());
    site.write("templates/page.html", "{% extends \"base.html\" %}");
    let before = snapshot(site.root());
    let root = site.root().to_path_buf();
    for output in [root.clone(), root.join("content"), root.join("content/out"), root.join("templates"), root.join(".."), root.join("public/../content")] {
        let out = build_into(&site, &output, &["--force"]);
        assert_refused(&out, &["refusing to use", "Choose a folder of its own"]);
    }
    assert_eq!(snapshot(site.root()), before, "the site is byte for byte as it was");
}

#[test]
fn home_the_file_system_root_and_the_shared_temporary_folder_are_refused_even_with_force() {
    let site = Site::copy_of("basic");
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join(".bashrc"), "mine").unwrap();
    let before = snapshot(home.path());
    let out = Command::new(e2e::site_builder())
        .args(["build", "--force", "--output"])
        .arg(home.path())
        .arg("--root")
        .arg(site.root())
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert_refused(&out, &["your home folder"]);
    assert_eq!(snapshot(home.path()), before);
    assert_refused(&build_into(&site, Path::new("/"), &["--force"]), &["top of the file system"]);
    // (The test's site is itself in /tmp, so the refusal may name either reason.)
    assert_refused(&build_into(&site, Path::new("/tmp"), &["--force"]), &["refusing to use /tmp as the output folder"]);
}

#[test]
fn a_file_as_the_output_is_refused_and_nothing_is_moved_aside_regression() {
    let site = Site::copy_of("basic");
    site.write("site.toml", &std::fs::read_to_string(e2e::workspace().join("site.toml")).unwrap());
    let before = snapshot(site.root());
    let out = build_into(&site, &site.root().join("site.toml"), &["--force"]);
    assert_refused(&out, &["is a file"]);
    assert!(!text(&out).contains("left as it was"), "it never was an output");
    assert_eq!(snapshot(site.root()), before, "no .site.toml.old-PID, no folder in its place");
    let next = site.run(&["build"]);
    assert!(next.status.success(), "the next build works: {}", text(&next));
}

#[test]
fn a_failed_first_build_says_nothing_was_written() {
    let site = Site::copy_of("basic");
    site.write("content/broken.md", "+++\ntitle = = 1\n+++\n");
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("nothing was written to"), "{}", text(&out));
    assert!(!site.public("").exists());
}

/// A build started with the test-only stop point: it says `stopped at POINT` and waits for its
/// standard input to close.
fn stopped_build(site: &Site, point: &str) -> Child {
    let mut child = Command::new(e2e::site_builder())
        .args(["build", "--root"])
        .arg(site.root())
        .env("SITE_BUILDER_TEST_STOP_AT", point)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "the build ended before stopping at {point}");
        if line.trim() == format!("stopped at {point}") {
            break;
        }
    }
    // Keep reading, so that what the build prints later never meets a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    child
}

/// Folders beside the output other than the output itself (staging or old builds).
fn strays(site: &Site) -> Vec<String> {
    std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect()
}

#[test]
fn killed_at_any_step_the_output_holds_the_old_build_or_the_new_one() {
    let site = Site::copy_of("basic");
    let first = site.run(&["build"]);
    assert!(first.status.success(), "{}", text(&first));
    std::fs::write(site.public("old-build.txt"), "old").unwrap();
    site.write("content/guides/second.md", "# 变更备案\n\n新的一版。\n");

    let mut before_swap = stopped_build(&site, "before-swap");
    before_swap.kill().unwrap();
    before_swap.wait().unwrap();
    assert!(site.public("old-build.txt").is_file(), "killed before the swap: the old build");

    let mut after_swap = stopped_build(&site, "after-swap");
    after_swap.kill().unwrap();
    after_swap.wait().unwrap();
    assert!(site.read("guides/second/index.html").contains("新的一版"), "killed after the swap: the new build");
    assert!(!site.public("old-build.txt").exists());

    let next = site.run(&["build"]);
    assert!(next.status.success(), "{}", text(&next));
    assert_eq!(strays(&site), Vec::<String>::new(), "the next build cleans up what the killed ones left");
}

#[test]
fn two_builds_into_one_output_one_wins_and_the_other_says_so() {
    let site = Site::copy_of("basic");
    let mut first = stopped_build(&site, "before-swap");
    let second = site.run(&["build"]);
    assert!(!second.status.success());
    assert!(text(&second).contains("another site-builder is building into"), "{}", text(&second));
    drop(first.stdin.take());
    assert!(first.wait().unwrap().success(), "the first build finishes");
    assert!(site.public("index.html").is_file());
    assert_eq!(strays(&site), Vec::<String>::new());
}

#[test]
fn aliases_that_leave_the_site_are_errors_and_nothing_is_written_outside() {
    let site = Site::copy_of("basic");
    let victim = site.root().join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("notes.html"), "mine").unwrap();
    site.write(
        "content/moved.md",
        "+++\ntitle = \"搬走的页\"\naliases = [\n  \"/../../victim/notes.html\",\n  \"/a\\\\b/\",\n  \"/%2e%2e/x/\",\n  \"https://evil.example/\",\n]\n+++\n正文\n",
    );
    let out = site.run(&["build"]);
    let msg = text(&out);
    assert!(!out.status.success());
    for expected in ["content/moved.md:3: alias `/../../victim/notes.html` is refused", "backslash", "encode a dot", "another host"] {
        assert!(msg.contains(expected), "expected `{expected}` in:\n{msg}");
    }
    assert_eq!(std::fs::read_to_string(victim.join("notes.html")).unwrap(), "mine");
    assert!(!site.run(&["check"]).status.success(), "check reports them too");
}

#[test]
fn aliases_over_files_the_build_writes_are_errors() {
    let site = Site::copy_of("basic");
    site.write(
        "content/moved.md",
        "+++\ntitle = \"搬走的页\"\naliases = [\"/index.html\", \"/faq/index.html\", \"/404.html\", \"/sitemap.xml\", \"/assets/style.css\", \"/assets/search/index.json\"]\n+++\n正文\n",
    );
    let out = site.run(&["check"]);
    let msg = text(&out);
    assert!(!out.status.success());
    for expected in ["alias /index.html is the address of content/_index.md", "alias /faq/index.html is the address of", "404.html is a page the builder writes", "sitemap.xml is a page", "alias /assets/style.css would be written to assets/style.css/index.html, but /assets/ is the builder's own folder", "alias /assets/search/index.json would be written"] {
        assert!(msg.contains(expected), "expected `{expected}` in:\n{msg}");
    }
}

#[test]
fn raw_html_off_the_allow_list_is_an_error_with_its_line() {
    let site = Site::copy_of("basic");
    site.write(
        "content/evil.md",
        "+++\ntitle = \"坏页\"\n+++\n<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">\n\n<script>alert(1)</script>\n\n<iframe src=\"/\"></iframe>\n\n<img src=x onerror=alert(1)>\n\n[点我](javascript:alert(1))\n\n## 标题 {#a\"onmouseover=\"alert(5)}\n\n<form action=\"https://evil.example/\"></form>\n\n<base href=\"https://evil.example/\">\n",
    );
    let out = site.run(&["build"]);
    let msg = text(&out);
    assert!(!out.status.success());
    for line in [4, 6, 8, 10, 12, 14, 16, 18] {
        assert!(msg.contains(&format!("content/evil.md:{line}:")), "line {line} in:\n{msg}");
    }
    assert!(msg.contains("`<meta>` is not on the list") && msg.contains("onerror") && msg.contains("javascript:"), "{msg}");
}

#[test]
fn a_shortcode_after_a_long_fence_is_expanded_and_braces_in_code_are_left_alone_regression() {
    let site = Site::copy_of("basic");
    site.write(
        "content/code.md",
        "+++\ntitle = \"代码\"\n+++\n````\n```\n{{ provider(key=\"email\") }}\n```\n````\n\n    {{ not a call\n\n``a {{ b ` c``\n\n联系：{{ provider(key=\"name\") }}\n",
    );
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let page = site.read("code/index.html");
    assert!(page.contains("联系：示例主机服务商"), "the call after the fence is expanded");
    assert!(page.contains("{{ provider(key=&quot;email&quot;) }}") || page.contains("{{ provider(key=\"email\") }}"), "the call in code stays code");
    assert!(page.contains("{{ not a call"));
}

#[test]
fn a_file_name_with_spaces_links_and_is_escaped_in_the_sitemap() {
    let site = Site::copy_of("basic");
    site.write("content/guides/my page.md", "# 有空格的页\n\n正文\n");
    site.write("content/guides/linker.md", "# 链过去\n\n[看这里](<my page.md>) 或 [这里](my%20page.md)\n");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(site.public("guides/my page/index.html").is_file());
    assert!(site.read("guides/linker/index.html").contains("href=\"/guides/my%20page/\""));
    assert!(site.read("sitemap.xml").contains("/guides/my%20page/</loc>"));
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_named_in_the_error() {
    use std::os::unix::ffi::OsStrExt;
    let site = Site::copy_of("basic");
    let name = std::ffi::OsStr::from_bytes(b"bad-\xff.md");
    std::fs::write(site.root().join("content").join(name), "# 坏名字\n").unwrap();
    let out = site.run(&["check"]);
    let msg = text(&out);
    assert!(!out.status.success());
    assert!(msg.contains("bad-\u{fffd}.md") && msg.contains("not valid UTF-8"), "{msg}");
    assert!(!msg.contains("No such file"), "{msg}");
}

#[cfg(unix)]
#[test]
fn symlinked_pages_are_followed_inside_and_refused_outside() {
    let site = Site::copy_of("basic");
    site.write("content/guides/real.md", "# 真的页\n\n正文\n");
    std::os::unix::fs::symlink(site.root().join("content/guides/real.md"), site.root().join("content/guides/linked.md")).unwrap();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(site.read("guides/linked/index.html").contains("真的页"), "a link inside content/ is followed");

    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "# 秘密\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), site.root().join("content/secret.md")).unwrap();
    std::os::unix::fs::symlink(site.root().join("nowhere.md"), site.root().join("content/broken.md")).unwrap();
    let out = site.run(&["check"]);
    let msg = text(&out);
    assert!(!out.status.success());
    assert!(msg.contains("content/secret.md: this symbolic link leads outside the content folder"), "{msg}");
    assert!(msg.contains("content/broken.md: this symbolic link is broken"), "{msg}");
}

/// In Chromium: the raw HTML that content may hold renders, and the page carries nothing that runs
/// or navigates (no inline script, frame, base, meta refresh, form, event handler or javascript: URL).
#[tokio::test(flavor = "multi_thread")]
async fn allowed_raw_html_renders_in_chromium_and_nothing_runs_or_navigates() {
    let site = Site::copy_of("basic");
    site.write(
        "content/allowed.md",
        "+++\ntitle = \"允许的标记\"\n+++\n按 <kbd>Ctrl</kbd> + <kbd>F</kbd> 查找。<br>\n\n<details><summary>展开看例子</summary>\n\n例子：<mark>重点</mark> H<sub>2</sub>O\n\n</details>\n\n<a href=\"/faq/\" title=\"常见问题\">常见问题</a> <span class=\"note\" id=\"说明-1\">说明</span>\n",
    );
    let served = e2e::browser::Served::start(site.root());
    let browser = e2e::browser::Browser::start().await;
    let url = served.url("/allowed/");
    browser.client.goto(&url).await.unwrap();
    browser.wait_for("document.querySelectorAll('kbd').length === 2", "the kbd elements").await;
    let found = browser
        .wait_for(
            "JSON.stringify({details: !!document.querySelector('details > summary'), span: !!document.getElementById('说明-1'), \
             link: document.querySelector('article a[title]').getAttribute('href'), \
             bad: document.querySelectorAll('script:not([src]), iframe, base, meta[http-equiv=\"refresh\" i], object, embed').length, \
             forms_elsewhere: [...document.forms].filter(f => new URL(f.action).origin !== location.origin).length, \
             handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length, \
             js: [...document.querySelectorAll('[href],[src]')].filter(e => /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src'))).length})",
            "the page's elements",
        )
        .await;
    let found: serde_json::Value = serde_json::from_str(found.as_str().unwrap()).unwrap();
    assert_eq!(found, serde_json::json!({"details": true, "span": true, "link": "/faq/", "bad": 0, "forms_elsewhere": 0, "handlers": 0, "js": 0}));
    // No meta refresh (above), and the page is where it was.
    assert_eq!(browser.client.current_url().await.unwrap().as_str(), url);
    browser.close().await;
}
