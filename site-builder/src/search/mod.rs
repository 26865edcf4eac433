//! The search index, built by this project: every rendered page, as the render step made it in
//! memory, is cut into sections at its headings ([`sections`]), their words are made the same way the
//! browser makes a query's ([`terms`]), and a BM25F index over sections is made as small JSON
//! files below `/assets/search/`, fetched on demand ([`index`]), which the output step writes with
//! the pages. The browser side is
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
use std::path::Path;

use crate::output::OutputFile;

/// Where the index is written, below the site folder.
pub const INDEX_DIR: &str = "assets/search";
/// The phrasing (synonyms, fillers) used when a site has no `content/_data/search.toml` of its own:
/// this repository's.
const DEFAULT_PHRASING: &str = include_str!("../../../content/_data/search.toml");

/// The site's phrasing, from its data files as the load step read them (`content/_data/search.toml`,
/// checked with the others), else the built-in one. The file is not read again here: what `check`
/// saw is what the index uses.
pub fn phrasing(data_sources: &[crate::content::DataSource]) -> anyhow::Result<terms::Phrasing> {
    match data_sources.iter().find(|d| d.name == "search") {
        Some(d) => toml::from_str(&d.text).map_err(|e| anyhow::anyhow!("{}: {e}", d.file.display())),
        None => Ok(toml::from_str(DEFAULT_PHRASING).expect("the built-in phrasing is valid")),
    }
}

/// The searchable sections of each rendered page (`.html`) among `files`, by output path (on every
/// core).
pub fn sections_of_pages(files: &[OutputFile]) -> Vec<(String, Vec<sections::Section>)> {
    files.par_iter().filter(|f| is_page(&f.path)).map(|f| (f.path.clone(), page_sections(f))).collect()
}

/// Whether the file at this output path is a page the index reads.
pub fn is_page(path: &str) -> bool {
    path.ends_with(".html")
}

/// The searchable sections of one rendered page.
pub fn page_sections(page: &OutputFile) -> Vec<sections::Section> {
    sections::sections(&url_of(Path::new(&page.path)), &String::from_utf8_lossy(&page.bytes))
}

/// The index files of pages already cut into sections, each given with its output path, in any
/// order (they are numbered in the order of their paths); and how many pages have sections.
pub fn index_sections<'a>(pages: impl IntoIterator<Item = (&'a str, &'a [sections::Section])>, phrasing: &terms::Phrasing) -> anyhow::Result<(Vec<OutputFile>, usize)> {
    index_pages(pages.into_iter().map(|(path, s)| (path.to_string(), s.to_vec())).collect(), phrasing)
}

/// [`index_sections`] for sections the caller no longer needs: they are moved, not copied.
pub fn index_pages(mut pages: Vec<(String, Vec<sections::Section>)>, phrasing: &terms::Phrasing) -> anyhow::Result<(Vec<OutputFile>, usize)> {
    pages.sort_by(|a, b| Path::new(&a.0).cmp(Path::new(&b.0)));
    let indexed = pages.iter().filter(|(_, s)| !s.is_empty()).count();
    let all: Vec<sections::Section> = pages.into_iter().flat_map(|(_, s)| s).collect();
    Ok((index::files(INDEX_DIR, &all, phrasing)?, indexed))
}

/// A page's address: `guides/x/index.html` → `/guides/x/`.
fn url_of(relative: &Path) -> String {
    let path = relative.to_string_lossy().replace('\\', "/");
    match path.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{path}"),
    }
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
