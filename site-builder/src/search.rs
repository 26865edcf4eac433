//! The search index: Pagefind, used as a library, indexes the rendered pages of the staging folder
//! with Chinese segmentation (feature `extended`) and writes its bundle to `/pagefind/`. Only
//! `<article data-pagefind-body>` is indexed, so navigation and the FAQ page's copies of entries do
//! not produce duplicate results.
//!
//! A large site is indexed as several bundles of at most [`PAGES_PER_BUNDLE`] pages, two at a time,
//! which the search page merges at query time (`mergeIndex`; the list is `/pagefind/bundles.json`).
//! Pagefind keeps every word of a bundle in memory until it is written, and compresses the bundle's
//! files on one thread: one bundle of 10,000 pages took 4.4 GB and left a core idle for most of its
//! 20 s of writing. A small site (this one) is one bundle, as before.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The most pages in one Pagefind bundle, unless `site.toml` says otherwise (`[search]`).
pub const PAGES_PER_BUNDLE: usize = 1500;
/// Bundles indexed at once: this machine's two cores.
const BUNDLES_AT_ONCE: usize = 2;
/// The list of extra bundles the search page merges, inside the first bundle.
pub const BUNDLE_LIST: &str = "pagefind/bundles.json";

/// What indexing did, and where its time went.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchStats {
    pub pages: usize,
    pub bundles: usize,
    /// Reading and segmenting the pages (summed over bundles).
    pub parse: Duration,
    /// Building the index and writing its files (summed over bundles).
    pub write: Duration,
}

/// Indexes every HTML page below `site_dir` and writes the bundles to `site_dir/pagefind` (and
/// `site_dir/pagefind-1`, … when there are more than `pages_per_bundle` pages).
pub fn index_site(site_dir: &Path, pages_per_bundle: usize) -> anyhow::Result<SearchStats> {
    let pages = html_files(site_dir);
    let bundles: Vec<&[PathBuf]> = pages.chunks(pages_per_bundle.max(1)).collect();
    let stats = if bundles.len() <= 1 {
        index_directory(site_dir)?
    } else {
        index_in_bundles(site_dir, &bundles)?
    };
    let extra: Vec<String> = (1..stats.bundles).map(|i| format!("/{}/", bundle_dir(i))).collect();
    std::fs::write(site_dir.join(BUNDLE_LIST), serde_json::to_string(&extra)?)?;
    Ok(stats)
}

/// The folder of bundle `i`: `pagefind` for the first, which the search page imports.
fn bundle_dir(i: usize) -> String {
    if i == 0 {
        "pagefind".into()
    } else {
        format!("pagefind-{i}")
    }
}

fn new_index() -> anyhow::Result<PagefindIndex> {
    let options = PagefindServiceConfig::builder().force_language("zh".to_string()).build();
    PagefindIndex::new(Some(options))
}

/// One bundle: Pagefind walks the folder itself and parses the pages on every core.
fn index_directory(site_dir: &Path) -> anyhow::Result<SearchStats> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let mut index = new_index()?;
        let start = Instant::now();
        let pages = index.add_directory(site_dir.to_string_lossy().into_owned(), None).await?;
        let parse = start.elapsed();
        index.write_files(Some(site_dir.join(bundle_dir(0)).to_string_lossy().into_owned())).await?;
        Ok(SearchStats { pages, bundles: 1, parse, write: start.elapsed() - parse })
    })
}

/// Several bundles, [`BUNDLES_AT_ONCE`] at a time, each on its own thread and runtime.
fn index_in_bundles(site_dir: &Path, bundles: &[&[PathBuf]]) -> anyhow::Result<SearchStats> {
    let next = AtomicUsize::new(0);
    let total = Mutex::new(SearchStats { bundles: bundles.len(), ..SearchStats::default() });
    let first_error = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..BUNDLES_AT_ONCE.min(bundles.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(files) = bundles.get(i) else { break };
                match index_files(site_dir, files, &site_dir.join(bundle_dir(i))) {
                    Ok(s) => {
                        let mut t = total.lock().expect("no panic while holding the lock");
                        t.pages += s.pages;
                        t.parse += s.parse;
                        t.write += s.write;
                    }
                    Err(e) => {
                        first_error.lock().expect("no panic while holding the lock").get_or_insert(e);
                        break;
                    }
                }
            });
        }
    });
    match first_error.into_inner().expect("threads have ended") {
        Some(e) => Err(e),
        None => Ok(total.into_inner().expect("threads have ended")),
    }
}

/// One bundle of the given pages, written to `out`.
fn index_files(site_dir: &Path, files: &[PathBuf], out: &Path) -> anyhow::Result<SearchStats> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let mut index = new_index()?;
        let start = Instant::now();
        let mut pages = 0;
        for file in files {
            let html = std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let relative = file.strip_prefix(site_dir).unwrap_or(file);
            index.add_html_file(None, Some(url_of(relative)), html).await?;
            pages += 1;
        }
        let parse = start.elapsed();
        index.write_files(Some(out.to_string_lossy().into_owned())).await?;
        Ok(SearchStats { pages, bundles: 1, parse, write: start.elapsed() - parse })
    })
}

/// The address Pagefind gives a page it finds itself: `guides/x/index.html` → `/guides/x/`.
fn url_of(relative: &Path) -> String {
    let path = relative.to_string_lossy().replace('\\', "/");
    match path.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{path}"),
    }
}

/// Every `.html` file below `site_dir`, in a stable order (by path).
fn html_files(site_dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(site_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_the_ones_pagefind_gives() {
        assert_eq!(url_of(Path::new("index.html")), "/");
        assert_eq!(url_of(Path::new("guides/first/index.html")), "/guides/first/");
        assert_eq!(url_of(Path::new("404.html")), "/404.html");
    }

    #[test]
    fn the_first_bundle_is_the_one_the_search_page_imports() {
        assert_eq!(bundle_dir(0), "pagefind");
        assert_eq!(bundle_dir(2), "pagefind-2");
    }
}
