//! Site settings from `site.toml`. A root without one uses the settings embedded in the binary (the
//! repository's own `site.toml`, which describes a neutral example provider).

use serde::Deserialize;
use std::path::Path;

use crate::error::{line_of, ContentError};

/// The embedded default settings.
pub const DEFAULT_SITE_TOML: &str = include_str!("../../site.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// Provider details (`[provider]`): free-form, read by templates and the `provider` shortcode.
    #[serde(default)]
    pub provider: toml::Table,
    /// The builder's own words (`[words]`); the embedded settings' when absent.
    #[serde(default = "default_words")]
    pub words: Words,
    /// Numbers of the layout (`[layout]`); the embedded settings' when absent.
    #[serde(default = "default_layout")]
    pub layout: Layout,
}

/// `[words]`: the words of the pages and markup the builder writes itself (see `site.toml`).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub home: String,
    pub search_title: String,
    /// `{site}` is replaced by the site's title.
    pub search_description: String,
    pub not_found_title: String,
    pub not_found_description: String,
    pub other_topic: String,
    pub section_link: String,
}

/// `[layout]`: numbers of the layout, each with its reason in `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// A section with more pages lists only itself in the sidebar.
    pub sidebar_max_pages: usize,
    /// Characters of a page's text used as its description when it has none.
    pub summary_chars: usize,
}

/// The embedded settings' tables, where a provider's `site.toml` leaves one out.
#[derive(Deserialize)]
struct Embedded {
    words: Words,
    layout: Layout,
}

fn embedded() -> Embedded {
    toml::from_str(DEFAULT_SITE_TOML).expect("the embedded site.toml has [words] and [layout]")
}

fn default_words() -> Words {
    embedded().words
}

fn default_layout() -> Layout {
    embedded().layout
}

fn default_language() -> String {
    "zh-CN".into()
}

impl SiteConfig {
    /// Reads `root/site.toml`, or the embedded default when there is none.
    pub fn load(root: &Path) -> Result<SiteConfig, ContentError> {
        let path = root.join("site.toml");
        match crate::read::text(&path) {
            Ok(text) => Self::parse(&text).map_err(|(line, msg)| ContentError::new("site.toml", line, msg)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(Self::parse(DEFAULT_SITE_TOML).expect("the embedded site.toml is valid"))
            }
            Err(e) => Err(ContentError::new("site.toml", None, format!("cannot read: {e}"))),
        }
    }

    pub fn parse(text: &str) -> Result<SiteConfig, (Option<usize>, String)> {
        let mut config: SiteConfig = toml::from_str(text)
            .map_err(|e| (e.span().map(|s| line_of(text, s.start)), format!("not valid settings: {}", e.message())))?;
        config.base_url = config.base_url.trim_end_matches('/').to_string();
        let table = toml::from_str::<toml::Table>(text).ok();
        let line_of_setting = |key: &str| text.find(&format!("{key} ")).or_else(|| text.find(&format!("{key}="))).map(|at| line_of(text, at));
        if let Some(key) = table.as_ref().and_then(|t| key_with(t, &|s| s.contains('\0'))) {
            return Err((line_of_setting(&key), format!("`{key}` holds a NUL character (\\u0000), which no page may show: remove it")));
        }
        if let Some(key) = table.as_ref().and_then(|t| key_with(t, &|s| s.chars().count() > MAX_SETTING_CHARS)) {
            return Err((line_of_setting(&key), format!("`{key}` is longer than {MAX_SETTING_CHARS} characters: a setting is written on every page, so keep it to a name, an address or a sentence")));
        }
        // A list counts whole: 200,000 one-character items passed the bound for each text, and the
        // footer printed them on every page (red-team 8, F2).
        if let Some(key) = table.as_ref().and_then(list_past_bound) {
            return Err((line_of_setting(&key), format!("`{key}` holds more than {MAX_SETTING_CHARS} characters in all: a setting is written on every page, so keep a list to a few names")));
        }
        let line_of_key = |key: &str| text.find(&format!("{key} =")).or_else(|| text.find(&format!("{key}="))).map(|at| line_of(text, at));
        // The sidebar lists a section's pages on each of them, so its bound is what keeps a large
        // section's sidebars from growing as pages × pages (100,000,000 made 2,000 root pages 285 MB).
        for (key, value, most) in [("sidebar_max_pages", config.layout.sidebar_max_pages, MAX_SIDEBAR_PAGES), ("summary_chars", config.layout.summary_chars, MAX_SUMMARY_CHARS)] {
            if value > most {
                return Err((line_of_key(key), format!("`{key}` is {value}; it may be at most {most}: every page carries what it allows")));
            }
        }
        let web_address = |key: &str, url: &str| -> Result<(), (Option<usize>, String)> {
            let lower = url.to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://")) || crate::raw_html::safe_url(url).is_err() || url.contains(|c: char| c.is_control()) {
                return Err((line_of_key(key), format!("`{key}` must be an http:// or https:// address, not `{}`", url.escape_debug())));
            }
            Ok(())
        };
        if !config.base_url.is_empty() {
            web_address("base_url", &config.base_url)?;
        }
        for (key, value) in &config.provider {
            if let Some(url) = value.as_str().filter(|_| key.ends_with("_url")) {
                web_address(key, url)?;
            }
        }
        Ok(config)
    }
}

/// The key of the first string value, at any depth, for which `bad` holds: settings reach the
/// pages through the templates as well as through shortcodes.
fn key_with(table: &toml::Table, bad: &dyn Fn(&str) -> bool) -> Option<String> {
    fn holds(value: &toml::Value, bad: &dyn Fn(&str) -> bool) -> bool {
        match value {
            toml::Value::String(s) => bad(s),
            toml::Value::Array(items) => items.iter().any(|v| holds(v, bad)),
            toml::Value::Table(t) => key_with(t, bad).is_some(),
            _ => false,
        }
    }
    table.iter().find(|(_, v)| holds(v, bad)).map(|(k, v)| match v {
        toml::Value::Table(t) => key_with(t, bad).unwrap_or_else(|| k.clone()),
        _ => k.clone(),
    })
}

/// A key whose list holds more than [`MAX_SETTING_CHARS`] characters in all (its items' texts, and
/// one for each item that is not text), at any depth.
fn list_past_bound(table: &toml::Table) -> Option<String> {
    fn size(value: &toml::Value) -> usize {
        match value {
            toml::Value::String(s) => s.chars().count(),
            toml::Value::Array(items) => items.iter().map(|v| size(v).max(1)).sum(),
            toml::Value::Table(t) => t.values().map(size).sum(),
            _ => 1,
        }
    }
    table.iter().find_map(|(k, v)| match v {
        toml::Value::Table(t) => list_past_bound(t),
        toml::Value::Array(_) if size(v) > MAX_SETTING_CHARS => Some(k.clone()),
        _ => None,
    })
}

/// The longest text a setting may hold: settings (the site's title, the provider's name and
/// address) are written on every page, so a long one grew the output with the pages (1 MB of
/// title on 300 pages made 918 MB).
pub const MAX_SETTING_CHARS: usize = 500;
/// The most pages `[layout] sidebar_max_pages` may let a sidebar list. Every page carries the
/// sidebar: at 200, with titles of 100 characters, each page carried 88 KB of it, and 5 MB of
/// content built into 1.7 GB (red-team 8, F3); at 60 it is about a quarter of that.
pub const MAX_SIDEBAR_PAGES: usize = 60;
/// The longest description `[layout] summary_chars` may cut from a page's text.
pub const MAX_SUMMARY_CHARS: usize = 500;

/// `site` in the templates (and `config` in shortcodes).
#[derive(Debug, serde::Serialize)]
pub struct SiteContext<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub language: &'a str,
}

impl<'a> SiteContext<'a> {
    pub fn of(config: &'a SiteConfig) -> Self {
        SiteContext { title: &config.title, description: &config.description, base_url: &config.base_url, language: &config.language }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_default_parses_and_has_a_provider() {
        let c = SiteConfig::parse(DEFAULT_SITE_TOML).unwrap();
        assert!(c.provider.contains_key("email"));
        assert_eq!(c.language, "zh-CN");
    }

    #[test]
    fn words_and_layout_default_to_the_embedded_ones() {
        let c = SiteConfig::parse("title = \"另一家\"\n").unwrap();
        assert_eq!(c.words.home, "首页");
        assert_eq!(c.layout.sidebar_max_pages, 30);
        let huge = DEFAULT_SITE_TOML.replace("sidebar_max_pages = 30", "sidebar_max_pages = 100000000");
        assert_ne!(huge, DEFAULT_SITE_TOML, "the embedded settings name sidebar_max_pages = 30");
        let (line, why) = SiteConfig::parse(&huge).unwrap_err();
        assert!(line.is_some() && why.contains("at most 60"), "{line:?} {why}");
        let (line, msg) = SiteConfig::parse("title = \"x\"\n[words]\nhome = \"Home\"\n").unwrap_err();
        assert_eq!(line, Some(2), "{msg}");
        assert!(msg.contains("missing field `search_title`"), "{msg}");
    }

    /// Red-team 8, F2: a setting written as a list passed the bound for each text.
    #[test]
    fn a_setting_list_past_the_bound_in_all_is_an_error_at_its_line_regression() {
        let many = format!("title = \"x\"\n\n[provider]\nphone = [{}]\n", vec!["\"4\""; MAX_SETTING_CHARS + 1].join(", "));
        let (line, why) = SiteConfig::parse(&many).unwrap_err();
        assert_eq!(line, Some(4), "{why}");
        assert!(why.contains("`phone` holds more than 500 characters in all"), "{why}");
        let few = format!("title = \"x\"\n\n[provider]\nphone = [{}]\n", ["\"4\""; 10].join(", "));
        assert!(SiteConfig::parse(&few).is_ok());
    }

    #[test]
    fn error_has_a_line() {
        let (line, msg) = SiteConfig::parse("title = \"x\"\nbase_url = \n").unwrap_err();
        assert_eq!(line, Some(2), "{msg}");
    }
}
