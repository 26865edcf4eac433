//! The built site as a real host gets it: a `.gz` beside each asset that decompresses to the file
//! (pages and search shards are compressed as they are sent), changing assets under content-hashed
//! names that every page and script follows, and `serve` sending the precompressed copies.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Child;

use e2e::{text, Site};

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("a valid gzip stream");
    out
}

#[test]
fn every_asset_gets_a_gz_that_decompresses_to_it_and_pages_and_search_shards_get_none() {
    let site = Site::copy_of("basic");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("compress"), "the step is timed in the report: {}", text(&out));
    let public = site.public("");
    let all = e2e::files_below(&public);
    let mut with_copy = 0;
    for f in all.iter().filter(|f| [".html", ".css", ".js", ".json", ".xml", ".txt", ".wasm"].iter().any(|e| f.ends_with(e))) {
        let plain = std::fs::read(public.join(f)).unwrap();
        if f.ends_with(".html") || f.starts_with("assets/search/t/") || f.starts_with("assets/search/d/") {
            assert!(!public.join(format!("{f}.gz")).exists(), "{f}: a page or search shard is compressed by the host as it is sent");
            continue;
        }
        match std::fs::read(public.join(format!("{f}.gz"))) {
            Ok(gz) => {
                assert_eq!(gunzip(&gz), plain, "{f}.gz decompresses to {f}");
                assert!((gz.len() as f64) <= plain.len() as f64 * 0.95, "{f}.gz saves at least 5%");
                with_copy += 1;
            }
            Err(_) => {
                let would = e2e_gzip_len(&plain);
                assert!(would as f64 > plain.len() as f64 * 0.95, "{f} ({} bytes) would shrink to {would}, so it needs a .gz", plain.len());
            }
        }
    }
    assert!(with_copy > 10, "scripts, styles, data, the search index's entry, the wasm: {with_copy} copies");
    assert!(!public.join("guides/first/index.html.gz").exists(), "a page has no copy");
    let wasm = site.asset("assets/validator/validator_bg.wasm");
    assert!(public.join(format!("{wasm}.gz")).is_file(), "the wasm has its copy");
    assert!(!all.iter().any(|f| f.ends_with(".gz.gz") || f.ends_with(".br")), "no copy of a copy, and no .br (see precompress.rs)");
}

fn e2e_gzip_len(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).unwrap();
    e.finish().unwrap().len()
}

/// Every `/assets/…` address in the built HTML and JS (quoted, or in `src=`/`href=`) — and every
/// relative import or wasm URL in the modules — names a file that exists. Returns how many.
fn assert_every_asset_reference_resolves(public: &Path) -> usize {
    let mut checked = 0;
    for f in e2e::files_below(public).iter().filter(|f| f.ends_with(".html") || f.ends_with(".js")) {
        let body = std::fs::read_to_string(public.join(f)).unwrap();
        for (i, _) in body.match_indices("/assets/") {
            let before = body[..i].chars().next_back();
            if !matches!(before, Some('"' | '\'' | '`' | '(')) {
                continue; // prose in a comment, or a longer URL
            }
            let end = body[i..].find(|c: char| !(c.is_ascii_alphanumeric() || "._-/".contains(c))).map_or(body.len(), |n| i + n);
            let url = &body[i..end];
            if url.ends_with('/') {
                continue; // a folder the script appends to (the search index's BASE)
            }
            if f.ends_with(".js") && url.starts_with("/assets/data/") {
                continue; // the site's own data, built only if content/_data has it (the wizard's and materials' tests load it)
            }
            assert!(public.join(&url[1..]).is_file(), "{f} refers to {url}, which was not built");
            checked += 1;
        }
        if f.ends_with(".js") {
            let dir = Path::new(f).parent().unwrap();
            for quote in ["'./", "new URL('"] {
                for (i, _) in body.match_indices(quote) {
                    let start = i + quote.len();
                    let name = &body[start..start + body[start..].find('\'').unwrap()];
                    if name.ends_with(".js") || name.ends_with(".wasm") {
                        assert!(public.join(dir).join(name).is_file(), "{f} loads {name}, which was not built beside it");
                        checked += 1;
                    }
                }
            }
        }
    }
    checked
}

#[test]
fn changing_assets_carry_a_content_hash_that_follows_their_content_and_every_reference_resolves() {
    // The fixture with /check/, which loads the validator module.
    let site = Site::copy_of("validator");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let names = |site: &Site| {
        ["assets/style.css", "assets/site.js", "assets/search-box.js", "assets/search-engine.js", "assets/search.js", "assets/validator/field-checks.js", "assets/validator/validator.js", "assets/validator/validator_bg.wasm", "assets/validator/guide.js", "assets/validator/guide_bg.wasm", "assets/check.js", "assets/wizard.js"]
            .map(|p| site.asset(p))
    };
    let before = names(&site);
    let checked = assert_every_asset_reference_resolves(&site.public(""));
    assert!(checked >= 15, "the pages' scripts and styles, the imports, the wasm: {checked} references");
    for plain in ["assets/style.css", "assets/validator/validator_bg.wasm", "assets/search-engine.js"] {
        assert!(!site.public(plain).exists(), "{plain} is only written under its hashed name");
    }
    // Pages and the files the engine fetches by name keep theirs.
    for stable in ["index.html", "search/index.html", "sitemap.xml", "assets/search/meta.json"] {
        assert!(site.public(stable).is_file(), "{stable}");
    }
    let page = site.read("check/index.html");
    assert!(page.contains(&format!("src=\"/{}\"", before[5])), "/check/ loads field-checks.js by its hashed name");
    let validator = site.read(&before[6]);
    let wasm_name = before[7].rsplit('/').next().unwrap();
    assert!(validator.contains(&format!("new URL(\"{wasm_name}\",import.meta.url)")), "the (minified) glue loads the hashed wasm");
    assert!(site.read(&before[5]).contains(&format!("'./{}'", before[6].rsplit('/').next().unwrap())), "field-checks imports the hashed glue");

    // The site's own search engine script: it, the scripts that import it and nothing else are renamed.
    let engine = std::fs::read_to_string(e2e::workspace().join("templates/assets/search-engine.js")).unwrap();
    site.write("templates/assets/search-engine.js", &format!("{engine}\n// a provider's change\n"));
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let after = names(&site);
    let changed: Vec<&str> = before.iter().zip(&after).filter(|(b, a)| b != a).map(|(b, _)| b.as_str()).collect();
    assert_eq!(changed.len(), 3, "search-engine.js and its importers search-box.js and search.js: {changed:?}");
    for p in ["search-engine.", "search-box.", "/search."] {
        assert!(changed.iter().any(|c| c.contains(p)), "{p} in {changed:?}");
    }
    assert_every_asset_reference_resolves(&site.public(""));
    assert!(site.read("index.html").contains(&format!("/{}", after[2])), "pages follow the new name");
}

#[test]
fn a_template_naming_an_unknown_asset_fails_the_build() {
    let site = Site::copy_of("basic");
    site.write("templates/page.html", "{% extends \"base.html\" %}{% block main %}<script src=\"{{ asset(path='/assets/nope.js') }}\"></script>{% endblock main %}");
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("/assets/nope.js") && text(&out).contains("no such asset"), "{}", text(&out));
}

/// `serve --no-reload` on a site, killed when dropped.
struct Serving {
    child: Child,
    addr: String,
}

impl Serving {
    fn start(root: &Path) -> Serving {
        let (child, port) = e2e::browser::start_serve(&e2e::site_builder(), root, &["--no-reload"]);
        let addr = format!("127.0.0.1:{port}");
        // serve answers before its first build is in place: wait for it.
        let start = std::time::Instant::now();
        while e2e::browser::http_get(&format!("http://{addr}"), "/__builds").1.trim() == "0" {
            assert!(start.elapsed() < std::time::Duration::from_secs(60), "no first build within 60 s");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Serving { child, addr }
    }

    /// The headers (lower-cased names) and body of `GET path` with this `Accept-Encoding`.
    fn get(&self, path: &str, accept: Option<&str>) -> (String, Vec<u8>) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        let accept = accept.map(|a| format!("Accept-Encoding: {a}\r\n")).unwrap_or_default();
        write!(s, "GET {path} HTTP/1.0\r\nHost: {}\r\n{accept}\r\n", self.addr).unwrap();
        let mut response = Vec::new();
        s.read_to_end(&mut response).unwrap();
        let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        (String::from_utf8_lossy(&response[..split]).to_lowercase(), response[split + 4..].to_vec())
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_sends_the_precompressed_copy_the_request_accepts() {
    let site = Site::copy_of("basic");
    let served = Serving::start(site.root());
    let page = site.public("guides/first/index.html");
    let plain = std::fs::read(&page).unwrap();

    // A page has no copy: gzipped as it is sent, as a host with `gzip on` does.
    let (head, body) = served.get("/guides/first/", Some("gzip, deflate, br"));
    assert!(head.contains("content-encoding: gzip") && head.contains("vary: accept-encoding") && head.contains("content-type: text/html"), "{head}");
    assert!(!site.public("guides/first/index.html.gz").exists());
    assert_eq!(gunzip(&body), plain);

    let (head, body) = served.get("/guides/first/", Some("gzip;q=0, identity"));
    assert!(!head.contains("content-encoding"), "{head}");
    assert_eq!(body, plain);

    let wasm = format!("/{}", site.asset("assets/validator/validator_bg.wasm"));
    let (head, body) = served.get(&wasm, Some("gzip"));
    assert!(head.contains("content-type: application/wasm") && head.contains("content-encoding: gzip"), "{head}");
    assert_eq!(body, std::fs::read(site.public(&format!("{}.gz", &wasm[1..]))).unwrap(), "the build's .gz, as written");
    assert_eq!(gunzip(&body), std::fs::read(site.public(&wasm[1..])).unwrap());

    // The README's host settings give the header serve sends, word for word.
    let csp = head.lines().find_map(|l| l.strip_prefix("content-security-policy: ")).expect("a CSP header").trim().to_string();
    let readme = std::fs::read_to_string(e2e::workspace().join("README.md")).unwrap();
    assert!(readme.contains(&csp), "the README gives {csp}");
    // The README's nginx settings are deploy/nginx/ (run by deploy_nginx.rs).
    let nginx = std::fs::read_to_string(e2e::workspace().join("deploy/nginx/help-centre-headers.conf")).unwrap();
    assert!(nginx.contains(&format!("add_header Content-Security-Policy \"{csp}\" always;")), "the nginx settings carry {csp}");

    // A file without a copy (too small to shrink) is sent as before.
    let (head, body) = served.get("/robots.txt", Some("gzip"));
    assert!(!site.public("robots.txt.gz").exists());
    assert!(!head.contains("content-encoding"), "{head}");
    assert!(String::from_utf8(body).unwrap().contains("Sitemap:"));
}

#[test]
fn serve_without_live_reload_keeps_each_copy_the_gzip_of_its_file_after_an_edit() {
    let site = Site::copy_of("basic");
    let served = Serving::start(site.root());
    let builds = || String::from_utf8(served.get("/__builds", None).1).unwrap().trim().parse::<u64>().unwrap();
    let before = builds();
    let source = site.root().join("content/guides/first.md");
    let text = std::fs::read_to_string(&source).unwrap();
    std::fs::write(&source, format!("{text}\n改过以后的一句话。\n")).unwrap();
    let start = std::time::Instant::now();
    while builds() <= before {
        assert!(start.elapsed() < std::time::Duration::from_secs(30), "no rebuild within 30 s");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let page = std::fs::read(site.public("guides/first/index.html")).unwrap();
    assert!(String::from_utf8_lossy(&page).contains("改过以后的一句话"));
    assert!(!site.public("guides/first/index.html.gz").exists(), "a page has no copy to go stale");
    // Every copy there is, is the gzip of its file as it is now.
    let public = site.public("");
    let copies: Vec<String> = e2e::files_below(&public).into_iter().filter(|f| f.ends_with(".gz")).collect();
    assert!(!copies.is_empty());
    for copy in copies {
        let file = std::fs::read(public.join(copy.strip_suffix(".gz").unwrap())).unwrap();
        assert_eq!(gunzip(&std::fs::read(public.join(&copy)).unwrap()), file, "{copy} is the gzip of its file");
    }
}
