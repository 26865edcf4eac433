//! The search index, built by this project (issue 11): every rendered page below the staging folder
//! is cut into sections at its headings ([`sections`]), their words are made the same way the
//! browser makes a query's ([`terms`]), and a BM25F index over sections is written to
//! `/assets/search/` as small JSON files fetched on demand ([`index`]). The browser side is
//! `templates/assets/search-engine.js`.
//!
//! This replaced Pagefind, measured on `tests/search-eval/questions.toml` (see its README): with a
//! query layer in front, Pagefind reached top-1 51.8%, top-3 68.0% at a 124 KB first search; this
//! index answers per heading, matches partially by character pairs, and a first search fetches a
//! median 29 KB, scripts included (top-1 91.9%, top-3 98.1%).

pub mod index;
pub mod sections;
pub mod terms;

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Where the index is written, below the site folder.
pub const INDEX_DIR: &str = "assets/search";
/// The phrasing file of a site (synonyms, fillers).
pub const PHRASING_FILE: &str = "content/_data/search.toml";
/// Used when a site has no phrasing file of its own: this repository's.
const DEFAULT_PHRASING: &str = include_str!("../../../content/_data/search.toml");

/// What indexing did, and where its time went.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchStats {
    pub pages: usize,
    /// Reading the pages and cutting them into sections.
    pub parse: Duration,
    /// Scoring and writing the files.
    pub write: Duration,
}

/// The phrasing of the site at `root`: its own file, else the built-in one.
pub fn phrasing(root: &Path) -> anyhow::Result<terms::Phrasing> {
    let file = root.join(PHRASING_FILE);
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => DEFAULT_PHRASING.to_string(),
        Err(e) => anyhow::bail!("cannot read {}: {e}", file.display()),
    };
    toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))
}

/// Indexes every HTML page below `site_dir`, with the phrasing of the site at `root`.
pub fn index_site(site_dir: &Path, root: &Path) -> anyhow::Result<SearchStats> {
    index_site_into(site_dir, &site_dir.join(INDEX_DIR), root)
}

/// The same, writing the index files into `index_dir` (for `serve`, which builds the index beside the
/// live one and then puts it in place).
pub fn index_site_into(site_dir: &Path, index_dir: &Path, root: &Path) -> anyhow::Result<SearchStats> {
    let phrasing = phrasing(root)?;
    let start = Instant::now();
    let pages = html_files(site_dir);
    let per_page: Vec<Vec<sections::Section>> = pages
        .par_iter()
        .map(|file| {
            let html = std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            Ok(sections::sections(&url_of(file.strip_prefix(site_dir).unwrap_or(file)), &html))
        })
        .collect::<anyhow::Result<_>>()?;
    let indexed = per_page.iter().filter(|s| !s.is_empty()).count();
    let all: Vec<sections::Section> = per_page.into_iter().flatten().collect();
    let parse = start.elapsed();
    index::write(index_dir, &all, &phrasing)?;
    Ok(SearchStats { pages: indexed, parse, write: start.elapsed() - parse })
}

/// A page's address: `guides/x/index.html` → `/guides/x/`.
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
    fn urls_are_site_paths() {
        assert_eq!(url_of(Path::new("index.html")), "/");
        assert_eq!(url_of(Path::new("guides/first/index.html")), "/guides/first/");
        assert_eq!(url_of(Path::new("404.html")), "/404.html");
    }

    /// The cases the browser engine is tested on too (`node tests/node/tokenizer.mjs`): one
    /// tokenizer, the same words on both sides.
    #[test]
    fn tokenizer_cases_are_the_browser_s() {
        let cases: serde_json::Value = serde_json::from_str(include_str!("tokenizer-cases.json")).unwrap();
        let synonyms: Vec<Vec<String>> = serde_json::from_value(cases["synonyms"].clone()).unwrap();
        let folder = terms::Folder::new(&terms::Phrasing { synonyms, ..Default::default() });
        let list = cases["cases"].as_array().unwrap();
        assert!(list.len() >= 10, "{list:?}");
        for case in list {
            let text = case["text"].as_str().unwrap();
            let want: Vec<String> = serde_json::from_value(case["words"].clone()).unwrap();
            let mut got = Vec::new();
            terms::words(&folder.fold(&terms::normalise(text)), &mut got);
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn the_built_in_phrasing_reads() {
        let p: terms::Phrasing = toml::from_str(DEFAULT_PHRASING).unwrap();
        assert!(p.synonyms.iter().any(|g| g.contains(&"账号".to_string())));
        assert!(p.fillers.contains(&"吗".to_string()));
    }
}
