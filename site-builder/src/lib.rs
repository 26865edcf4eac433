//! The help-site builder: Markdown with TOML front matter in `content/`, Tera templates in
//! `templates/` and settings in `site.toml` become a static site with a Chinese search index.
//!
//! [`pipeline`] runs the build as a flat list of steps, each in its own module:
//! [`load`] (with [`config`], [`content`], [`templates`], [`asset_names`]), [`bodies`] (with [`shortcodes`],
//! [`markdown`], [`raw_html`]), [`check`] (with [`links`], [`data_check`]), [`render`] (with [`contexts`]),
//! [`special_pages`] (with [`browser_modules`], [`form_words`]), then [`output`] writes beside the
//! old output and swaps, into a folder [`output_guard`] allows, [`search`] indexes the pages and
//! [`precompress`] writes the `.gz` copies hosts serve.
//! [`serve`] rebuilds on change through [`live`], which renders and writes only what changed, and
//! reloads the browser.

pub mod asked;
pub mod asset_names;
pub mod bodies;
pub mod browser_modules;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod contexts;
pub mod data_check;
pub mod error;
pub mod facts;
pub mod form_words;
pub mod front_matter;
mod git_dates;
pub mod links;
pub mod live;
pub mod load;
pub mod markdown;
pub mod output;
pub mod output_guard;
pub mod paths;
pub mod precompress;
pub mod pipeline;
pub mod raw_html;
pub mod read;
pub mod render;
pub mod search;
pub mod serve;
pub mod shortcodes;
pub mod special_pages;
pub mod templates;
pub mod typed_by_hand;

pub use error::{ContentError, ContentErrors};
pub use pipeline::{build, check, BuildError, BuildOptions, BuildReport};

/// What the unit tests share: a site written file by file into a temporary folder.
#[cfg(test)]
pub(crate) mod test_site {
    use std::path::Path;

    /// Writes `text` to `rel` below `root`, making its folders.
    pub fn write(root: &Path, rel: &str, text: &str) {
        let file = root.join(rel);
        std::fs::create_dir_all(file.parent().expect("a file below the root")).unwrap();
        std::fs::write(file, text).unwrap();
    }
}
