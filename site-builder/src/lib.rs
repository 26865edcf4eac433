//! The help-site builder: Markdown with TOML front matter in `content/`, Tera templates in
//! `templates/` and settings in `site.toml` become a static site with a Chinese search index.
//!
//! The build is a pipeline of small steps, each in its own module: [`content`] reads the tree,
//! [`shortcodes`] and [`markdown`] render bodies, [`links`] checks every internal link, [`site`] renders
//! the pages through the templates, [`output`] writes them beside the old output and swaps (into a folder [`output_guard`] allows), and
//! [`search`] indexes them with Pagefind. [`browser_modules`] adds the form checks, embedded as WebAssembly. [`serve`] rebuilds on change and reloads the browser.

pub mod browser_modules;
pub mod config;
pub mod content;
pub mod data_check;
pub mod form_words;
pub mod error;
pub mod front_matter;
mod git_dates;
pub mod links;
pub mod markdown;
pub mod output;
pub mod output_guard;
pub mod paths;
pub mod raw_html;
pub mod pipeline;
pub mod search;
pub mod serve;
pub mod shortcodes;
pub mod site;
pub mod templates;

pub use error::{ContentError, ContentErrors};
pub use pipeline::{build, check, BuildError, BuildOptions, BuildReport};
