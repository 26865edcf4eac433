//! The package a provider's web team vendors: scripts/build-package.sh's folder, turned
//! into a tarball by `npm pack`, installed into a scratch project with npm (offline: it has no
//! dependencies), and used as its README says — in node, the rules without the DOM, the wasm and
//! the tables read from their files; in Chromium, the drop-in from node_modules/.

use std::process::Command;

use fantoccini::Locator::Css;

use e2e::browser::Browser;
use e2e::{text, workspace};

use crate::embedding::{build_package, serve_static};

fn run(command: &mut Command) -> String {
    let out = command.output().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(out.status.success(), "{command:?}: {}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The tarball, installed into a new project: the project's folder.
fn installed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("package");
    build_package(&package);
    let packed = run(Command::new("npm").args(["pack", "--silent", "--pack-destination"]).arg(dir.path()).arg(&package));
    let tarball = dir.path().join(packed.lines().last().expect("npm pack names the tarball").trim());
    assert!(tarball.is_file(), "{}", tarball.display());
    let app = dir.path().join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(app.join("package.json"), r#"{ "name": "scratch", "version": "1.0.0", "private": true, "type": "module" }"#).unwrap();
    run(Command::new("npm").args(["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"]).arg(&tarball).current_dir(&app));
    for f in ["beian-checks.js", "beian-checks.d.ts", "validator.js", "validator.d.ts", "validator_bg.wasm", "regions.txt", "public-suffixes.txt", "README.md", "package.json"] {
        assert!(app.join("node_modules/beian-checks").join(f).is_file(), "{f} is in the installed package");
    }
    dir
}

#[test]
fn in_node_the_installed_package_checks_values_and_whole_forms() {
    let dir = installed();
    let app = dir.path().join("app");
    // The README's example, with a whole form (the command line's clean example) and a bad one.
    let form = std::fs::read_to_string(workspace().join("wasm-validator/rules/examples/form-clean.json")).unwrap();
    let script = format!(
        r#"import {{ readFileSync }} from 'node:fs';
import init, {{ checkIdNumber, checkForm, checkUscc, loadTables, tablesLoaded }} from 'beian-checks/rules';
const file = (name) => new URL(import.meta.resolve(`beian-checks/${{name}}`));
await init({{ module_or_path: readFileSync(file('validator_bg.wasm')) }});
let threw = false;
try {{ checkIdNumber('33010619850301003X'); }} catch {{ threw = true; }}
const uscc = checkUscc('91350100M000100Y43').ok;
loadTables(readFileSync(file('regions.txt'), 'utf8'), readFileSync(file('public-suffixes.txt'), 'utf8'));
const id = checkIdNumber('33010619850301003x');
const clean = {form};
const broken = structuredClone(clean);
broken.websites[0].homepage = 'www.example.net';
const options = {{ today: '2026-11-23' }};
console.log(JSON.stringify({{ threw, uscc, tables: tablesLoaded(), id, clean: checkForm(clean, options).ok, broken: checkForm(broken, options).findings.map((f) => f.miitCode) }}));
"#
    );
    std::fs::write(app.join("check.mjs"), script).unwrap();
    let out = run(Command::new("node").arg("check.mjs").current_dir(&app));
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(v["threw"], true, "a check that needs the tables throws before loadTables: {v}");
    assert_eq!(v["uscc"], true, "a check without tables works at once: {v}");
    assert_eq!(v["tables"], true);
    assert_eq!(v["id"]["value"], "33010619850301003X");
    assert_eq!(v["id"]["findings"][0]["miitCode"], 1015);
    assert_eq!(v["id"]["findings"][0]["help"], "/codes/1015/");
    assert_eq!(v["clean"], true, "the clean example form passes: {v}");
    assert!(v["broken"].as_array().unwrap().contains(&serde_json::json!(1041)), "{v}");
}

#[tokio::test]
async fn in_chromium_the_installed_package_is_the_drop_in() {
    let dir = installed();
    let app = dir.path().join("app");
    std::fs::write(
        app.join("index.html"),
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>scratch</title>
<script type="module" src="/node_modules/beian-checks/beian-checks.js" data-help-base="https://help.example.com/beian/"></script></head>
<body><form><label for="id">证件号码</label><input id="id" data-beian-check="id-number"> <p id="elsewhere">…</p></form></body></html>"#,
    )
    .unwrap();
    let server = serve_static(app);
    let b = Browser::start().await;
    b.client.goto(&format!("{}/", server.base)).await.unwrap();
    b.wait_for("document.documentElement.dataset.beianChecks === 'ready'", "the package started").await;
    b.client.find(Css("#id")).await.unwrap().send_keys("33010619850301003x").await.unwrap();
    b.client.find(Css("#elsewhere")).await.unwrap().click().await.unwrap();
    let link = b.wait_for("document.querySelector('.beian-check-message a.beian-check-help')?.href", "the message and its link").await;
    assert_eq!(link, "https://help.example.com/beian/codes/1015/");
    assert_eq!(b.client.execute("return document.querySelector('#id').value", vec![]).await.unwrap(), "33010619850301003x");
    b.close().await;
}
