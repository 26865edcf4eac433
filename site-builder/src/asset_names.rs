//! Content-hashed names for the assets that change between builds (the CSS, the scripts, the browser
//! modules and their wasm), so that a host can cache them for a year (`immutable`) while pages stay
//! `no-cache`: a build that changes a file gives it a new name, and the pages naming it change too.
//!
//! A file is named by the hash of its bytes *after* its own references were rewritten, so a change to
//! `validator_bg.wasm` renames `validator.js` (which loads it), `field-checks.js` (which imports that),
//! and so on up. References are the quoted strings (and CSS `url()`s) in an asset's text that resolve,
//! relative to the asset, to another hashed asset — `'/assets/search-engine.js'`, `'./validator.js'`,
//! `new URL('validator_bg.wasm', import.meta.url)` — and only their file name is rewritten, so a
//! relative reference stays relative. Templates ask for a name with
//! `{{ asset(path="/assets/style.css") }}`; a path that is no asset fails the render.
//!
//! Not hashed, and so revalidated by hosts (`no-cache`): the data files (`/assets/data/`) and the
//! search index (`/assets/search/`), whose file names the search engine computes at run time from a
//! word's hash and which is written after the pages; type declarations; the live-reload script, which
//! only `serve` adds.

use std::collections::{BTreeMap, HashSet};

use sha2::{Digest, Sha256};

/// Hex digits of the SHA-256 in a hashed name: 48 bits, so two versions of one file never meet.
pub const HASH_LEN: usize = 12;

/// Whether the file at `path` (below the output, `assets/...`) gets a hashed name.
pub fn is_hashed(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("assets/") else { return false };
    if rest.starts_with("data/") || rest.starts_with("search/") || rest == "livereload.js" {
        return false;
    }
    matches!(extension(path), "css" | "js" | "mjs" | "wasm")
}

/// Texts in which references are looked for and rewritten.
fn is_text(path: &str) -> bool {
    matches!(extension(path), "css" | "js" | "mjs")
}

fn extension(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or("", |(_, e)| e)
}

/// `assets/style.css` with hash `h` → `assets/style.h.css`.
pub fn hashed_name(path: &str, hash: &str) -> String {
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let named = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{hash}.{ext}"),
        _ => format!("{name}.{hash}"),
    };
    if dir.is_empty() { named } else { format!("{dir}/{named}") }
}

/// The assets with their final names and rewritten references, and the site path of each asset by
/// the path it was written as (`/assets/style.css` → `/assets/style.0123456789ab.css`; a file that is
/// not hashed maps to itself).
#[derive(Debug, Default)]
pub struct Named {
    pub files: Vec<(String, Vec<u8>)>,
    pub urls: BTreeMap<String, String>,
}

/// Names every asset (`(path below the output, bytes)`). Fails only if hashed assets reference each
/// other in a cycle, which no order of hashing can name.
pub fn name(files: Vec<(String, Vec<u8>)>) -> Result<Named, String> {
    let hashed: HashSet<String> = files.iter().map(|(p, _)| p.clone()).filter(|p| is_hashed(p)).collect();
    let refs: Vec<Vec<Reference>> =
        files.iter().map(|(p, b)| if is_text(p) { references(p, &String::from_utf8_lossy(b), &hashed) } else { Vec::new() }).collect();
    let mut final_names: BTreeMap<String, String> = BTreeMap::new();
    let mut out: Vec<Option<(String, Vec<u8>)>> = vec![None; files.len()];
    loop {
        let mut progressed = false;
        for (i, (path, bytes)) in files.iter().enumerate() {
            if out[i].is_some() || !refs[i].iter().all(|r| r.target == *path || final_names.contains_key(&r.target)) {
                continue;
            }
            if refs[i].iter().any(|r| r.target == *path) {
                return Err(format!("templates/{path} refers to itself, so it cannot carry the hash of its own content"));
            }
            let bytes = rewrite(bytes, &refs[i], &final_names);
            let name = if hashed.contains(path) { hashed_name(path, &hash(&bytes)) } else { path.clone() };
            final_names.insert(path.clone(), name.clone());
            out[i] = Some((name, bytes));
            progressed = true;
        }
        if out.iter().all(Option::is_some) {
            break;
        }
        if !progressed {
            let stuck: Vec<&str> = files.iter().zip(&out).filter(|(_, o)| o.is_none()).map(|((p, _), _)| p.as_str()).collect();
            return Err(format!("these assets import or load each other in a cycle, so none can carry the hash of the others: {}", stuck.join(", ")));
        }
    }
    let urls = final_names.into_iter().map(|(from, to)| (format!("/{from}"), format!("/{to}"))).collect();
    Ok(Named { files: out.into_iter().map(|f| f.expect("every file named")).collect(), urls })
}

fn hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(HASH_LEN / 2).map(|b| format!("{b:02x}")).collect()
}

/// Six hex digits of the SHA-256 of `bytes`: a name part that tells sources apart (the shortcodes'
/// `nth`).
pub fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(3).map(|b| format!("{b:02x}")).collect()
}

/// A reference to a hashed asset: where its file name is in the text, and the asset it names.
#[derive(Debug, PartialEq, Eq)]
struct Reference {
    /// Byte range of the file name (the last segment of the written path).
    name: std::ops::Range<usize>,
    target: String,
}

/// The references in `text` (the asset at `from`) to assets in `known`.
fn references(from: &str, text: &str, known: &HashSet<String>) -> Vec<Reference> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let (start, end) = if matches!(b[i], b'\'' | b'"' | b'`') {
            let close = b[i + 1..].iter().position(|&c| c == b[i] || c == b'\n').map(|n| i + 1 + n);
            match close {
                Some(c) if b[c] == b[i] => (i + 1, c),
                _ => {
                    i += 1;
                    continue;
                }
            }
        } else if b[i..].starts_with(b"url(") && b.get(i + 4).is_some_and(|c| !matches!(c, b'\'' | b'"')) {
            let Some(close) = b[i + 4..].iter().position(|&c| c == b')' || c == b'\n').map(|n| i + 4 + n) else { break };
            (i + 4, close)
        } else {
            i += 1;
            continue;
        };
        let written = text[start..end].trim();
        let offset = start + text[start..end].find(written).unwrap_or(0);
        match resolve(from, written).filter(|t| known.contains(t)) {
            Some(target) => {
                let name_start = offset + written.rfind('/').map_or(0, |s| s + 1);
                out.push(Reference { name: name_start..offset + written.len(), target });
                i = end + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// The output path a reference written in the asset at `from` names, if it is a plain path.
fn resolve(from: &str, written: &str) -> Option<String> {
    if written.is_empty() || !written.bytes().all(|c| c.is_ascii_alphanumeric() || b"._~/-".contains(&c)) || written.starts_with("//") {
        return None;
    }
    let joined = match written.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{}/{written}", from.rsplit_once('/').map_or("", |(d, _)| d)),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn rewrite(bytes: &[u8], refs: &[Reference], names: &BTreeMap<String, String>) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + refs.len() * (HASH_LEN + 1));
    let mut at = 0;
    for r in refs {
        let new_name = names[&r.target].rsplit('/').next().expect("a name");
        out.extend_from_slice(&bytes[at..r.name.start]);
        out.extend_from_slice(new_name.as_bytes());
        at = r.name.end;
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

/// Gives templates `asset(path="/assets/style.css")`: the asset's final site path.
pub fn register(tera: &mut tera::Tera, urls: BTreeMap<String, String>) {
    tera.register_function("asset", move |args: &std::collections::HashMap<String, tera::Value>| {
        let path = args.get("path").and_then(tera::Value::as_str).ok_or_else(|| tera::Error::msg("asset() needs path=\"/assets/...\""))?;
        match urls.get(path) {
            Some(url) => Ok(tera::Value::String(url.clone())),
            None => Err(tera::Error::msg(format!(
                "asset(path=\"{path}\"): no such asset; the assets are {}",
                urls.keys().map(String::as_str).collect::<Vec<_>>().join(", ")
            ))),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> (String, Vec<u8>) {
        (path.to_string(), text.as_bytes().to_vec())
    }

    fn named(files: Vec<(String, Vec<u8>)>) -> BTreeMap<String, String> {
        let n = name(files).unwrap();
        let mut texts = BTreeMap::new();
        for (p, b) in n.files {
            texts.insert(p, String::from_utf8(b).unwrap());
        }
        texts
    }

    fn site() -> Vec<(String, Vec<u8>)> {
        vec![
            file("assets/validator/field-checks.js", "import init from './validator.js';\n"),
            file("assets/validator/validator.js", "x = new URL('validator_bg.wasm', import.meta.url);\n"),
            file("assets/validator/validator_bg.wasm", "\0asm wasm bytes"),
            file("assets/search.js", "import { s } from '/assets/search-engine.js';\n// it's the page's script: '/assets/search-engine.js' here too\n"),
            file("assets/search-engine.js", "const BASE = '/assets/search/'; fetch('/assets/data/x.json');\n"),
            file("assets/style.css", "a { background: url(/assets/icon.svg) } b { background: url('img/x.css') }\n"),
            file("assets/img/x.css", ""),
            file("assets/icon.svg", "<svg/>"),
            file("assets/data/x.json", "{}"),
            file("assets/livereload.js", "fetch('/__livereload')"),
        ]
    }

    #[test]
    fn only_changing_assets_are_hashed() {
        assert!(is_hashed("assets/style.css") && is_hashed("assets/validator/validator_bg.wasm") && is_hashed("assets/site.js"));
        assert!(!is_hashed("assets/data/wizard.json") && !is_hashed("assets/search/meta.json") && !is_hashed("assets/search/t/1.json"));
        assert!(!is_hashed("assets/livereload.js") && !is_hashed("assets/validator/validator.d.ts") && !is_hashed("index.html"));
        assert_eq!(hashed_name("assets/validator/validator_bg.wasm", "abc"), "assets/validator/validator_bg.abc.wasm");
        assert_eq!(hashed_name("assets/x.min.js", "abc"), "assets/x.min.abc.js");
    }

    #[test]
    fn every_reference_follows_its_target_and_relative_ones_stay_relative() {
        let n = name(site()).unwrap();
        let url = |p: &str| n.urls[p].clone();
        let texts = named(site());
        let field_checks = &texts[&url("/assets/validator/field-checks.js")[1..]];
        let validator = url("/assets/validator/validator.js");
        assert!(field_checks.contains(&format!("'./{}'", validator.rsplit('/').next().unwrap())), "{field_checks}");
        let wasm = url("/assets/validator/validator_bg.wasm");
        assert!(wasm.starts_with("/assets/validator/validator_bg.") && wasm.ends_with(".wasm") && wasm.len() == "/assets/validator/validator_bg..wasm".len() + HASH_LEN);
        assert!(texts[&validator[1..]].contains(&format!("new URL('{}', import.meta.url)", wasm.rsplit('/').next().unwrap())));
        let search = &texts[&url("/assets/search.js")[1..]];
        assert_eq!(search.matches(&url("/assets/search-engine.js")).count(), 2, "{search}");
        let engine = &texts[&url("/assets/search-engine.js")[1..]];
        assert!(engine.contains("'/assets/search/'") && engine.contains("'/assets/data/x.json'"), "data and index keep their names: {engine}");
        let css = &texts[&url("/assets/style.css")[1..]];
        assert!(css.contains("url(/assets/icon.svg)"), "an svg is not hashed: {css}");
        assert!(css.contains(&format!("url('img/{}')", url("/assets/img/x.css").rsplit('/').next().unwrap())), "{css}");
        assert_eq!(url("/assets/livereload.js"), "/assets/livereload.js");
        assert_eq!(url("/assets/data/x.json"), "/assets/data/x.json");
    }

    #[test]
    fn a_change_renames_the_file_and_every_file_that_loads_it() {
        let before = name(site()).unwrap().urls;
        let mut changed = site();
        changed.iter_mut().find(|(p, _)| p.ends_with("validator_bg.wasm")).unwrap().1 = b"\0asm other bytes".to_vec();
        let after = name(changed).unwrap().urls;
        for p in ["/assets/validator/validator_bg.wasm", "/assets/validator/validator.js", "/assets/validator/field-checks.js"] {
            assert_ne!(before[p], after[p], "{p}");
        }
        for p in ["/assets/search.js", "/assets/style.css"] {
            assert_eq!(before[p], after[p], "{p} does not load the wasm");
        }
    }

    #[test]
    fn a_cycle_is_an_error_naming_the_files() {
        let e = name(vec![file("assets/a.js", "import './b.js'"), file("assets/b.js", "import './a.js'")]).unwrap_err();
        assert!(e.contains("assets/a.js") && e.contains("assets/b.js"), "{e}");
    }

    #[test]
    fn text_that_only_looks_like_a_reference_is_left_alone() {
        let known: HashSet<String> = ["assets/a.js".to_string()].into();
        assert!(references("assets/x.js", "'a js' \"https://x/assets/a.js\" `${b}/a.js` 'assets/b.js'", &known).is_empty());
        assert_eq!(references("assets/v/x.js", "'../a.js'", &known).len(), 1);
        assert!(references("assets/x.js", "'../../a.js'", &known).is_empty(), "above the root is no asset");
    }

    #[test]
    fn templates_get_the_final_names_and_unknown_paths_fail() {
        let n = name(site()).unwrap();
        let mut tera = tera::Tera::default();
        tera.add_raw_template("t", "{{ asset(path=\"/assets/style.css\") }}").unwrap();
        tera.add_raw_template("bad", "{{ asset(path=\"/assets/nope.css\") }}").unwrap();
        let style = n.urls["/assets/style.css"].clone();
        register(&mut tera, n.urls);
        assert_eq!(tera.render("t", &tera::Context::new()).unwrap(), style);
        let e = tera.render("bad", &tera::Context::new()).unwrap_err();
        assert!(crate::templates::describe(&e).contains("no such asset"));
    }
}
