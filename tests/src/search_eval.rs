//! The search evaluation: every question of `tests/search-eval/questions.toml` is typed
//! into the real search page of a built site in headless Chromium, and the answers it links to are
//! compared with the ones the question names. Shared by the `search-eval` command (which prints the
//! figures) and the `search_eval` test (which fails below a floor).
//!
//! Bytes are counted per address the page fetched for the search, as the file's gzip size on disk
//! (or its own size when it is already compressed): what a host that
//! compresses would send, whatever the local server or the browser cache did.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::browser::Browser;
use crate::recording_server::RecordingServer;
use crate::{workspace, Site};

/// One question of the set.
#[derive(Debug, Clone)]
pub struct Question {
    pub q: String,
    /// Every acceptable answer (page path with `#anchor` where the answer is a heading).
    pub answers: Vec<String>,
    pub kind: String,
}

/// Reads a question file.
pub fn questions(file: &Path) -> Vec<Question> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let doc: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let list = doc["questions"].as_array().expect("questions = [ … ]");
    list.iter()
        .map(|v| Question {
            q: v["q"].as_str().expect("q").to_string(),
            answers: v["a"].as_array().expect("a").iter().map(|a| a.as_str().expect("a is text").to_string()).collect(),
            kind: v.get("kind").and_then(|k| k.as_str()).unwrap_or("").to_string(),
        })
        .collect()
}

/// The repository's evaluation set.
pub fn default_questions() -> PathBuf {
    workspace().join("tests/search-eval/questions.toml")
}

/// What one question gave.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub question: Question,
    /// Result addresses, in order.
    pub results: Vec<String>,
    /// 1-based rank of the first acceptable answer.
    pub rank: Option<usize>,
    /// Bytes fetched for this search on a fresh page (scripts, engine, index, fragments).
    pub first_bytes: u64,
}

/// The figures over a set.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
    /// Per query after a first search on the same page: bytes and milliseconds until results.
    pub warm_bytes: Vec<u64>,
    pub warm_ms: Vec<f64>,
}

impl Report {
    fn share(&self, k: usize) -> f64 {
        let hits = self.outcomes.iter().filter(|o| o.rank.is_some_and(|r| r <= k)).count();
        hits as f64 / self.outcomes.len().max(1) as f64
    }
    pub fn top1(&self) -> f64 {
        self.share(1)
    }
    pub fn top3(&self) -> f64 {
        self.share(3)
    }
    pub fn mrr(&self) -> f64 {
        let sum: f64 = self.outcomes.iter().filter_map(|o| o.rank).map(|r| 1.0 / r as f64).sum();
        sum / self.outcomes.len().max(1) as f64
    }
    pub fn zero_results(&self) -> Vec<&Outcome> {
        self.outcomes.iter().filter(|o| o.results.is_empty()).collect()
    }

    /// The summary the command prints (and a failing test shows).
    pub fn summary(&self) -> String {
        let mut first: Vec<u64> = self.outcomes.iter().map(|o| o.first_bytes).collect();
        first.sort_unstable();
        let pct = |v: &[u64], p: f64| v.get(((v.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0);
        let mut warm_b = self.warm_bytes.clone();
        warm_b.sort_unstable();
        let mut warm_ms = self.warm_ms.clone();
        warm_ms.sort_by(f64::total_cmp);
        let ms = |p: f64| warm_ms.get(((warm_ms.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(f64::NAN);
        let mut s = format!(
            "questions {}\ntop-1 {:.1}%  top-3 {:.1}%  MRR {:.3}  zero results {}\n\
             first search (fresh page): median {:.1} KB, p95 {:.1} KB, max {:.1} KB\n",
            self.outcomes.len(),
            100.0 * self.top1(),
            100.0 * self.top3(),
            self.mrr(),
            self.zero_results().len(),
            pct(&first, 0.5) as f64 / 1024.0,
            pct(&first, 0.95) as f64 / 1024.0,
            first.last().copied().unwrap_or(0) as f64 / 1024.0,
        );
        if !warm_ms.is_empty() {
            let total: u64 = warm_b.iter().sum();
            s += &format!(
                "later queries (same page): bytes median {:.1} KB, p95 {:.1} KB, mean {:.1} KB; time median {:.0} ms, p95 {:.0} ms, max {:.0} ms\n",
                pct(&warm_b, 0.5) as f64 / 1024.0,
                pct(&warm_b, 0.95) as f64 / 1024.0,
                total as f64 / 1024.0 / warm_b.len() as f64,
                ms(0.5),
                ms(0.95),
                ms(1.0)
            );
        }
        let mut by_kind: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
        for o in &self.outcomes {
            let e = by_kind.entry(&o.question.kind).or_default();
            e.0 += 1;
            e.1 += usize::from(o.rank == Some(1));
            e.2 += usize::from(o.rank.is_some_and(|r| r <= 3));
        }
        for (kind, (n, t1, t3)) in by_kind {
            s += &format!("  {kind:<11} {n:>3}: top-1 {t1:>3}, top-3 {t3:>3}\n");
        }
        s
    }

    /// Every question whose answer is not first, with what came instead.
    pub fn misses(&self) -> String {
        let mut s = String::new();
        for o in self.outcomes.iter().filter(|o| o.rank != Some(1)) {
            let rank = o.rank.map_or("-".to_string(), |r| r.to_string());
            let got: Vec<&str> = o.results.iter().take(3).map(String::as_str).collect();
            s += &format!("[{rank}] {}  want {}  got {}\n", o.question.q, o.question.answers[0], got.join(" "));
        }
        s
    }
}

/// A copy of the repository's site (content, templates, settings) in a temporary folder.
pub fn repository_site() -> Site {
    let site = Site { dir: tempfile::tempdir().unwrap() };
    for dir in ["content", "templates"] {
        crate::copy_dir(&workspace().join(dir), &site.root().join(dir));
    }
    std::fs::copy(workspace().join("site.toml"), site.root().join("site.toml")).unwrap();
    // SEARCH_EVAL_ASSETS=DIR: files laid over templates/assets, to measure a variant without a build.
    if let Some(dir) = std::env::var_os("SEARCH_EVAL_ASSETS") {
        crate::copy_dir(Path::new(&dir), &site.root().join("templates/assets"));
    }
    site
}

/// Compressed size of a served file, by its address.
struct Sizes {
    public: PathBuf,
    cache: std::collections::HashMap<String, u64>,
}

impl Sizes {
    fn of(&mut self, path: &str) -> u64 {
        if let Some(&n) = self.cache.get(path) {
            return n;
        }
        let mut file = self.public.join(path.trim_start_matches('/'));
        if path.ends_with('/') {
            file = file.join("index.html");
        }
        let raw = std::fs::read(&file).unwrap_or_default();
        let n = if raw.starts_with(&[0x1f, 0x8b]) { raw.len() as u64 } else { gzip_len(&raw).min(raw.len() as u64) };
        self.cache.insert(path.to_string(), n);
        n
    }
}

fn gzip_len(data: &[u8]) -> u64 {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(data).unwrap();
    gz.finish().unwrap().len() as u64
}

/// Addresses every page loads whatever it does: not counted as the search's.
fn page_asset(path: &str) -> bool {
    matches!(crate::without_hash(path).as_str(), "/assets/style.css" | "/assets/site.js" | "/__livereload.js" | "/__livereload" | "/favicon.ico")
}

/// Builds a site with `site-builder build` and runs the set on it.
pub async fn evaluate(site: &Site, questions: &[Question], warm: bool) -> Report {
    let out = site.run(&["build"]);
    assert!(out.status.success(), "the site builds: {}", crate::text(&out));
    let served = RecordingServer::start(&site.root().join("public"));
    let browser = Browser::start().await;
    let mut sizes = Sizes { public: site.root().join("public"), cache: Default::default() };
    let mut report = Report::default();
    for question in questions {
        let url = served.url(&format!("/search/?q={}", encode(&question.q)));
        served.take();
        browser.client.goto(&url).await.expect("search page opens");
        // Only the page's own mark: the status echoes the query while it searches, and a question
        // holding 找到 ("一直没找到…的密码") ended the wait on that echo, before any result.
        wait(&browser, "document.getElementById('search-status')?.dataset.state === 'done'", &question.q).await;
        let results: Vec<String> = serde_json::from_value(
            browser
                .client
                .execute("return [...document.querySelectorAll('#search-results > li > a.result-link, #search-results > li > a:first-child')].map(a => a.getAttribute('href'));", vec![])
                .await
                .unwrap(),
        )
        .unwrap();
        let fetched = served.take();
        let unique: HashSet<&String> = fetched.iter().filter(|p| !page_asset(p) && !p.ends_with('/')).collect();
        let first_bytes = unique.iter().map(|p| sizes.of(p)).sum();
        let rank = results.iter().position(|r| question.answers.contains(r)).map(|i| i + 1);
        report.outcomes.push(Outcome { question: question.clone(), results, rank, first_bytes });
    }
    if warm {
        let engine = format!("/{}", site.asset("assets/search-engine.js"));
        warm_queries(&browser, &served, &engine, &mut sizes, questions, &mut report).await;
    }
    browser.close().await;
    report
}

/// Every question again on one page, through the engine module the search box uses: time until
/// results and bytes fetched that earlier queries had not.
async fn warm_queries(browser: &Browser, served: &RecordingServer, engine: &str, sizes: &mut Sizes, questions: &[Question], report: &mut Report) {
    browser.client.goto(&served.url("/search/")).await.unwrap();
    let has_engine = browser.client.execute(&format!("return import('{engine}').then(() => true, () => false);"), vec![]).await.unwrap();
    if has_engine != true {
        return;
    }
    let mut seen: HashSet<String> = HashSet::new();
    let first = serde_json::json!(questions[0].q);
    let _ = browser.client.execute(&format!("return import('{engine}').then(m => m.search(arguments[0])).then(() => true);"), vec![first]).await;
    seen.extend(served.take());
    for question in questions {
        let v = browser
            .client
            .execute(
                &format!("return import('{engine}').then(async m => {{ const t = performance.now(); await m.search(arguments[0]); return performance.now() - t; }});"),
                vec![serde_json::json!(question.q)],
            )
            .await
            .unwrap();
        report.warm_ms.push(v.as_f64().unwrap_or(f64::NAN));
        let mut bytes = 0;
        for p in served.take() {
            if !page_asset(&p) && seen.insert(p.clone()) {
                bytes += sizes.of(&p);
            }
        }
        report.warm_bytes.push(bytes);
    }
}

async fn wait(browser: &Browser, condition: &str, what: &str) {
    let start = Instant::now();
    loop {
        let v = browser.client.execute(&format!("return !!({condition});"), vec![]).await.expect("script runs");
        if v == true {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "the search for {what:?} did not finish");
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
}

fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// Checks that every answer a question names exists in the built site (page and anchor).
pub fn check_answers_exist(site: &Site, questions: &[Question]) -> Vec<String> {
    let mut missing = Vec::new();
    for q in questions {
        for a in &q.answers {
            let (path, anchor) = a.split_once('#').unwrap_or((a, ""));
            let file = site.public(&format!("{}index.html", path.trim_start_matches('/')));
            let html = std::fs::read_to_string(&file).unwrap_or_default();
            if html.is_empty() || (!anchor.is_empty() && !html.contains(&format!("id=\"{anchor}\""))) {
                missing.push(format!("{}: {a}", q.q));
            }
        }
    }
    missing
}
