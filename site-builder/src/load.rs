//! The build's first step: read everything a build needs — settings, content and data, templates,
//! assets, dates — into one value, [`Sources`], that the later steps only read. Every error found
//! while reading is collected, so an author sees them all at once.

use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tera::Tera;

use crate::config::SiteConfig;
use crate::content::{Changed, Content, Page, ParsedPages, Section};
use crate::error::{ContentError, ContentErrors};
use crate::form_words::{self, FormWords};
use crate::{asset_names, browser_modules, git_dates, templates};

/// Everything a build reads, loaded.
pub struct Sources {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub content: Content,
    /// The templates, with `asset()` naming the assets.
    pub tera: Arc<Tera>,
    /// The names of the shortcodes the templates define.
    pub shortcodes: Arc<[String]>,
    /// The arguments of the shortcodes whose template is the built-in one (others: unchecked).
    pub shortcode_arguments: Arc<HashMap<String, &'static [&'static str]>>,
    /// Static files for `/assets/` and the browser modules, by output path: the changing ones under
    /// content-hashed names, every reference between them rewritten ([`asset_names`]).
    pub assets: Arc<[(String, Vec<u8>)]>,
    /// Last commit date of each content file, by its path below `content/`.
    pub dates: HashMap<String, String>,
    /// The form's choices, from the rules' types (`form` in the templates).
    pub form_words: FormWords,
    /// `materials_cases[type][entity]`: the documents of each case of `materials.toml`.
    pub materials_cases: Value,
    /// What the pages may hold in all once their shortcodes are written out.
    pub expansion: crate::shortcodes::ExpansionBudget,
    /// The shortcodes' and the pages' Tera contexts, their shared keys serialised once
    /// ([`crate::contexts`]), not for every call or page.
    pub contexts: crate::contexts::Contexts,
}

/// Reads the site at `root`.
pub fn load(root: &Path) -> Result<Sources, ContentErrors> {
    load_reusing(root, Reuse::default()).map(|(sources, _)| sources)
}

/// What a load reads from `templates/` and the browser modules: the same until a template or an
/// asset changes, so `serve` takes it again after an edit to pages (parsing the templates took a
/// tenth of a one-page edit).
#[derive(Clone)]
pub struct Theme {
    pub tera: Arc<Tera>,
    pub shortcodes: Arc<[String]>,
    /// The arguments of the shortcodes whose template is the built-in one.
    pub shortcode_arguments: Arc<HashMap<String, &'static [&'static str]>>,
    pub assets: Arc<[(String, Vec<u8>)]>,
}

impl Sources {
    /// This load's templates and assets, for [`Reuse::theme`].
    pub fn theme(&self) -> Theme {
        Theme { tera: Arc::clone(&self.tera), shortcodes: Arc::clone(&self.shortcodes), shortcode_arguments: Arc::clone(&self.shortcode_arguments), assets: Arc::clone(&self.assets) }
    }
}

/// What `serve` already knows from its last build, so a rebuild does not read it again.
#[derive(Default, Clone, Copy)]
pub struct Reuse<'a> {
    /// The pages' commit dates: they change only with a commit, and asking git costs a process.
    pub dates: Option<&'a HashMap<String, String>>,
    /// The pages as parsed, taken again where their file has not changed.
    pub pages: Option<&'a ParsedPages>,
    /// Which pages changed since then, if known.
    pub changed: Changed<'a>,
    /// The last build's templates and assets: taken again when `changed` says only pages changed.
    pub theme: Option<&'a Theme>,
}

/// The same, reusing what `reuse` holds; also returns the pages as parsed now.
pub fn load_reusing(root: &Path, reuse: Reuse) -> Result<(Sources, ParsedPages), ContentErrors> {
    let dates = reuse.dates;
    let mut errors = ContentErrors::default();
    let config = SiteConfig::load(root).map_err(|e| errors.push(e)).ok();
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        errors.push(ContentError::new("content", None, format!("no content folder in {}: create content/ with Markdown files", root.display())));
        return Err(errors);
    }
    let empty = ParsedPages::new();
    let loaded = Content::load_reusing(&content_dir, reuse.pages.unwrap_or(&empty), reuse.changed).map_err(|e| errors.0.extend(e.0)).ok();
    let (content, parsed) = match loaded {
        Some((c, p)) => (Some(c), p),
        None => (None, ParsedPages::new()),
    };
    let theme = match (reuse.changed, reuse.theme) {
        (Changed::Pages(_), Some(theme)) => Some(theme.clone()),
        _ => load_theme(root, &mut errors),
    };
    errors.into_result()?;
    let (config, mut content, theme) = (config.expect("no errors"), content.expect("no errors"), theme.expect("no errors"));
    // `{fact:key}` in the data files, titles and descriptions becomes the fact's text before anything
    // reads them; a fact typed by hand there is refused first, as written.
    let mut fact_errors = crate::facts::resolve_texts(&mut content.data, &content.data_sources, &config.provider);
    fact_errors.extend(crate::typed_by_hand::in_front_matter(&content, &config.provider));
    fact_errors.extend(crate::facts::resolve_data(&mut content.data, &content.data_sources, &config.provider));
    fact_errors.extend(crate::facts::resolve_front_matter(&mut content.pages, &content.data, &config.provider));
    if !fact_errors.is_empty() {
        return Err(ContentErrors(fact_errors));
    }
    let Theme { tera, shortcodes, shortcode_arguments, assets } = theme;
    Ok((Sources {
        root: root.to_path_buf(),
        materials_cases: materials_cases(&content.data),
        expansion: crate::shortcodes::ExpansionBudget::for_sources(content.pages.iter().map(|p| p.body.len()).sum()),
        shortcodes,
        shortcode_arguments,
        dates: dates.cloned().unwrap_or_else(|| git_dates::last_commit_dates(root)),
        form_words: form_words::form_words(),
        config,
        content,
        tera,
        assets,
        contexts: Default::default(),
    }, parsed))
}

/// The templates, with `asset()` naming the assets, and the assets.
fn load_theme(root: &Path, errors: &mut ContentErrors) -> Option<Theme> {
    let loaded = templates::load(root).map_err(|e| errors.0.extend(e.0)).ok();
    let assets = templates::assets(root)
        .map_err(|e| errors.0.extend(e.0))
        .ok()
        .and_then(|a| asset_names::name(a.into_iter().chain(browser_modules::files().into_iter().map(|f| (f.path, f.bytes))).collect()).map_err(|e| errors.push(ContentError::new("templates/assets", None, e))).ok());
    let (templates::Loaded { mut tera, shortcode_arguments }, assets) = (loaded?, assets?);
    asset_names::register(&mut tera, assets.urls);
    Some(Theme { shortcodes: templates::shortcode_names(&tera).into(), tera: Arc::new(tera), shortcode_arguments: Arc::new(shortcode_arguments), assets: assets.files.into() })
}

impl Sources {
    /// The template a page is rendered with.
    pub fn template_of(&self, p: &Page) -> String {
        if let Some(t) = &p.front.template {
            return t.clone();
        }
        match (p.is_section_index, p.url.as_str()) {
            (true, "/") => "index.html".into(),
            (true, _) => "section.html".into(),
            _ => "page.html".into(),
        }
    }

    /// `[extra] topics` of a collection: (id, title) in order.
    pub fn topics(&self, s: &Section) -> Vec<(String, String)> {
        let Some(index) = s.index else { return Vec::new() };
        let Some(topics) = self.content.pages[index].front.extra.get("topics").and_then(|t| t.as_array()) else {
            return Vec::new();
        };
        topics
            .iter()
            .filter_map(|t| Some((t.get("id")?.as_str()?.to_string(), t.get("title")?.as_str()?.to_string())))
            .collect()
    }

    /// How many levels a collection's entries' headings go down on the section page: below the
    /// entry's own heading, and below the topic's when there are topics.
    pub fn entry_heading_shift(&self, s: &Section) -> u8 {
        if self.topics(s).is_empty() {
            1
        } else {
            2
        }
    }

    /// The last change of a page: its front matter's `updated`, else its last commit.
    pub fn updated(&self, p: &Page) -> Option<String> {
        p.updated().or_else(|| self.dates.get(&p.source).cloned())
    }
}

/// Every case of the materials data, by filing type and subject kind, through the guide crate's one
/// filter ([`beian_guide::materials::Materials::for_case`]). Unreadable data gives none: the data
/// check reports why.
fn materials_cases(data: &Map<String, Value>) -> Value {
    use beian_guide::materials::Materials;
    use beian_rules::model::{FilingType, SubjectKind};
    let Some(materials) = data.get("materials").and_then(|v| serde_json::from_value::<Materials>(v.clone()).ok()) else {
        return json!({});
    };
    let mut cases = Map::new();
    for t in FilingType::ALL {
        let by_kind: Map<String, Value> =
            SubjectKind::ALL.iter().map(|&k| (k.id().to_string(), json!(materials.for_case(k, t).collect::<Vec<_>>()))).collect();
        cases.insert(t.id().to_string(), Value::Object(by_kind));
    }
    Value::Object(cases)
}
