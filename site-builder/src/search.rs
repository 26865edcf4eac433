//! The search index: Pagefind, used as a library, indexes the rendered pages of the staging folder
//! (its directory walk parses pages in parallel) with Chinese segmentation (feature `extended`), and
//! writes its bundle to `/pagefind/`. Only `<article data-pagefind-body>` is indexed, so navigation
//! and the FAQ page's copies of entries do not produce duplicate results.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::path::Path;

/// What indexing did, and where its time went.
#[derive(Debug, Clone, Copy)]
pub struct SearchStats {
    pub pages: usize,
    /// Reading and segmenting the pages.
    pub parse: std::time::Duration,
    /// Building the index and writing its files.
    pub write: std::time::Duration,
}

/// Indexes every HTML page below `site_dir` and writes the bundle to `site_dir/pagefind`.
pub fn index_site(site_dir: &Path) -> anyhow::Result<SearchStats> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let options = PagefindServiceConfig::builder().force_language("zh".to_string()).build();
        let mut index = PagefindIndex::new(Some(options))?;
        let start = std::time::Instant::now();
        let pages = index.add_directory(site_dir.to_string_lossy().into_owned(), None).await?;
        let parse = start.elapsed();
        index.write_files(Some(site_dir.join("pagefind").to_string_lossy().into_owned())).await?;
        Ok(SearchStats { pages, parse, write: start.elapsed() - parse })
    })
}
