//! Runs a build: load the sources, render every page in memory, check every link, then (for `build`)
//! write the files and the search index into a fresh folder and swap it in. `Site::render` reads like
//! the script it is: a flat run of steps, each of which collects the errors it finds.

use rayon::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use tera::Tera;

use crate::config::SiteConfig;
use crate::content::{Content, Page, Section};
use crate::error::{line_of, ContentError, ContentErrors};
use crate::markdown::{self, Heading, RenderOptions};
use crate::form_words::{self, FormWords};
use crate::{data_check, git_dates, links, paths, shortcodes, templates};

/// Everything a build needs, loaded.
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub content: Content,
    pub tera: Tera,
    /// The names of the shortcodes the templates define, read once for every page.
    shortcodes: Vec<String>,
    /// Static files for `/assets/`, by output path.
    assets: Vec<(String, Vec<u8>)>,
    dates: HashMap<String, String>,
    /// Serve mode: pages load the live-reload script.
    pub live_reload: bool,
    /// The form's choices, from the rules' types (`form` in the templates).
    form_words: FormWords,
    /// `materials_cases[type][entity]`: the documents of each case of `materials.toml`.
    materials_cases: Value,
}

/// One file of the built site.
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A page's body rendered, with what the link check and templates need.
#[derive(Default)]
struct Body {
    html: String,
    headings: Vec<Heading>,
    links: Vec<markdown::Link>,
    has_field_checks: bool,
    search_cut_at_line: Option<usize>,
}

/// Every file of the site, and what the author should know although the build succeeds.
pub struct SiteFiles {
    pub files: Vec<OutputFile>,
    pub warnings: Vec<ContentError>,
}

/// Paths the builder writes that are not pages, for the link check.
pub const GENERATED_PATHS: &[&str] = &["/search/", "/404.html", "/sitemap.xml", "/robots.txt"];
/// The files behind [`GENERATED_PATHS`] (and the home page's), which no page or alias may take.
const SPECIAL_FILES: &[&str] = &["search/index.html", "404.html", "sitemap.xml", "robots.txt"];

impl Site {
    /// Reads settings, content, templates and dates.
    pub fn load(root: &Path) -> Result<Site, ContentErrors> {
        let mut errors = ContentErrors::default();
        let config = SiteConfig::load(root).map_err(|e| errors.push(e)).ok();
        let content_dir = root.join("content");
        if !content_dir.is_dir() {
            errors.push(ContentError::new("content", None, format!("no content folder in {}: create content/ with Markdown files", root.display())));
            return Err(errors);
        }
        let content = Content::load(&content_dir).map_err(|e| errors.0.extend(e.0)).ok();
        let tera = templates::load(root).map_err(|e| errors.0.extend(e.0)).ok();
        let assets = templates::assets(root).map_err(|e| errors.0.extend(e.0)).ok();
        errors.into_result()?;
        let tera = tera.expect("no errors");
        let materials_cases = materials_cases(&content_data(&content));
        Ok(Site {
            root: root.to_path_buf(),
            config: config.expect("no errors"),
            content: content.expect("no errors"),
            shortcodes: templates::shortcode_names(&tera),
            tera,
            assets: assets.expect("no errors"),
            dates: git_dates::last_commit_dates(root),
            live_reload: false,
            form_words: form_words::form_words(),
            materials_cases,
        })
    }

    /// Renders every file of the site in memory, or every error found.
    pub fn render(&self) -> Result<SiteFiles, ContentErrors> {
        let mut errors = ContentErrors::default();
        self.check_routes(&mut errors);
        let bodies = self.render_bodies(&mut errors);
        let entries = self.render_collection_entries(&mut errors);
        let anchors = self.anchors(&bodies, &entries);
        links::check(&self.content, &bodies.iter().map(|b| b.links.as_slice()).collect::<Vec<_>>(), &anchors, &mut errors);
        let data_links = data_check::check(&self.content.data_sources, &mut errors);
        links::check_data(&self.content, &data_links, &anchors, &mut errors);
        self.check_templates(&mut errors);
        errors.into_result()?;

        let nav = self.nav();
        let mut files: Vec<OutputFile> = (0..self.content.pages.len())
            .into_par_iter()
            .map(|i| self.render_page(i, &bodies, &entries, &nav))
            .collect::<Result<_, _>>()
            .map_err(|e| ContentErrors(vec![e]))?;
        files.extend(self.render_aliases());
        files.extend(self.render_special_pages(&nav).map_err(|e| ContentErrors(vec![e]))?);
        files.push(self.sitemap());
        files.push(OutputFile { path: "robots.txt".into(), bytes: format!("User-agent: *\nAllow: /\nSitemap: {}/sitemap.xml\n", self.config.base_url).into_bytes() });
        files.extend(self.data_files());
        for (name, bytes) in &self.assets {
            if name != "assets/livereload.js" || self.live_reload {
                files.push(OutputFile { path: name.clone(), bytes: bytes.clone() });
            }
        }
        let warnings = self
            .content
            .pages
            .iter()
            .zip(&bodies)
            .filter_map(|(p, b)| {
                let line = b.search_cut_at_line?;
                Some(ContentError::new(&p.file, Some(line), format!(
                    "this page is very large: search reads its first {} KB of text, up to here, and the rest is shown but not searchable. Split it into several pages",
                    markdown::SEARCHABLE_TEXT_PER_PAGE / 1024)))
            })
            .collect();
        Ok(SiteFiles { files, warnings })
    }

    /// Each data file as JSON at `/assets/data/NAME.json`, for the pages' scripts (the wizard, the
    /// materials checklist) to hand to the validator module.
    fn data_files(&self) -> Vec<OutputFile> {
        self.content
            .data
            .iter()
            .map(|(name, value)| OutputFile { path: format!("assets/data/{name}.json"), bytes: serde_json::to_vec(value).expect("data is JSON") })
            .collect()
    }

    /// URL → page, with errors for two files on one URL, pages in the builder's own folders, and
    /// aliases that leave the site or collide with any file the build writes.
    fn check_routes(&self, errors: &mut ContentErrors) {
        let mut routes: HashMap<String, usize> = HashMap::new();
        for (i, p) in self.content.pages.iter().enumerate() {
            if let Some(&j) = routes.get(&p.url) {
                errors.push(ContentError::new(&p.file, None, format!(
                    "this file and {} both become the page {}: rename or remove one", self.content.pages[j].file.display(), p.url)));
            } else if let Some(why) = self.builders_own(&paths::output_file(&p.url)) {
                errors.push(ContentError::new(&p.file, None, format!("this file becomes the page {}, but {why}: rename or move it", p.url)));
            } else {
                routes.insert(p.url.clone(), i);
            }
        }
        let page_files: HashMap<String, usize> = routes.values().map(|&i| (paths::output_file(&self.content.pages[i].url), i)).collect();
        let mut aliases: HashMap<String, usize> = HashMap::new();
        for (i, p) in self.content.pages.iter().enumerate() {
            for alias in &p.front.aliases {
                let line = p.line_of_key("aliases");
                if let Some(why) = paths::alias_problem(alias) {
                    errors.push(ContentError::new(&p.file, line, format!("alias `{}` is refused: {why}", alias.escape_debug())));
                    continue;
                }
                let file = paths::alias_file(alias);
                if let Some(&j) = page_files.get(&file) {
                    errors.push(ContentError::new(&p.file, line, format!(
                        "alias {alias} is the address of {}: an alias must be an old address no page uses", self.content.pages[j].file.display())));
                } else if let Some(&j) = aliases.get(&file) {
                    errors.push(ContentError::new(&p.file, line, format!(
                        "alias {alias} is also an alias of {}: an old address can redirect to one page only", self.content.pages[j].file.display())));
                } else if let Some(why) = self.builders_own(&file) {
                    errors.push(ContentError::new(&p.file, line, format!("alias {alias} would be written to {file}, but {why}")));
                } else {
                    aliases.insert(file, i);
                }
            }
        }
    }

    /// Why an output file belongs to the builder (a special page, an asset, the search index), if so.
    fn builders_own(&self, file: &str) -> Option<String> {
        let top = file.split('/').next().unwrap_or("");
        if SPECIAL_FILES.contains(&file) {
            return Some(format!("{file} is a page the builder writes"));
        }
        if top == "assets" || top == "pagefind" || top.starts_with("pagefind-") || file == crate::output_guard::MARKER {
            return Some(format!("/{top}/ is the builder's own folder (assets and the search index)"));
        }
        None
    }
    /// Shortcodes and Markdown of every page, as the page itself shows it.
    fn render_bodies(&self, errors: &mut ContentErrors) -> Vec<Body> {
        let results: Vec<Result<Body, Vec<ContentError>>> = self
            .content
            .pages
            .par_iter()
            .map(|p| self.render_body(p, 0, ""))
            .collect();
        results.into_iter().map(|r| r.unwrap_or_else(|e| { errors.0.extend(e); Body::default() })).collect()
    }

    fn render_body(&self, page: &Page, heading_shift: u8, id_prefix: &str) -> Result<Body, Vec<ContentError>> {
        let calls = shortcodes::find_calls(&page.body).map_err(|e| {
            vec![ContentError::new(&page.file, Some(line_of(&page.body, e.offset) + page.body_line_offset), e.message)]
        })?;
        let expanded = shortcodes::expand(&page.body, &calls, |call| self.render_shortcode(page, call, &self.shortcodes))
            .map_err(|errs| {
                errs.into_iter()
                    .map(|e| ContentError::new(&page.file, Some(line_of(&page.body, e.offset) + page.body_line_offset), e.message))
                    .collect::<Vec<_>>()
            })?;
        let out = markdown::render(&expanded.text, &RenderOptions {
            heading_shift,
            id_prefix,
            source_dir: &page.dir,
            line_offset: page.body_line_offset,
            generated: &expanded.generated,
        });
        if !out.errors.is_empty() {
            return Err(out.errors.into_iter().map(|(line, m)| ContentError::new(&page.file, Some(line), m)).collect());
        }
        Ok(Body {
            html: out.html,
            headings: out.headings,
            links: out.links,
            has_field_checks: calls.iter().any(|c| c.name == "field_check"),
            search_cut_at_line: out.search_cut_at_line,
        })
    }

    fn render_shortcode(&self, page: &Page, call: &shortcodes::Call, known: &[String]) -> Result<String, String> {
        if !known.iter().any(|k| k == &call.name) {
            return Err(format!(
                "unknown shortcode `{}`: the shortcodes are {} (a shortcode is a template templates/shortcodes/NAME.html)",
                call.name,
                known.join(", ")
            ));
        }
        let mut ctx = tera::Context::new();
        ctx.insert("config", &self.site_value());
        ctx.insert("provider", &self.config.provider);
        ctx.insert("data", &self.content.data);
        ctx.insert("materials_cases", &self.materials_cases);
        ctx.insert("page_url", &page.url);
        ctx.insert("nth", &call.start);
        for (k, v) in &call.args {
            ctx.insert(k.as_str(), v);
        }
        self.tera.render(&format!("shortcodes/{}.html", call.name), &ctx).map_err(|e| {
            let detail = templates::describe(&e);
            if detail.contains("not found in context") {
                format!("shortcode `{}` is missing an argument or names a value that does not exist ({detail})", call.name)
            } else {
                format!("shortcode `{}` failed: {detail}", call.name)
            }
        })
    }

    /// Entries of collection sections as shown on their section page: headings shifted, ids prefixed.
    fn render_collection_entries(&self, errors: &mut ContentErrors) -> HashMap<usize, Body> {
        let mut entries = HashMap::new();
        for s in self.content.sections.iter().filter(|s| s.collection) {
            let shift = if self.topics(s).is_empty() { 1 } else { 2 };
            let rendered: Vec<(usize, Result<Body, Vec<ContentError>>)> = s
                .pages
                .par_iter()
                .map(|&i| {
                    let p = &self.content.pages[i];
                    (i, self.render_body(p, shift, &format!("{}-", p.stem)))
                })
                .collect();
            // A failed entry is reported by the page's own rendering, with the same errors.
            entries.extend(rendered.into_iter().filter_map(|(i, r)| Some((i, r.ok()?))));
            for &i in &s.pages {
                let p = &self.content.pages[i];
                if let Some(topic) = p.front.extra.get("topic").and_then(|t| t.as_str()) {
                    let topics = self.topics(s);
                    if !topics.is_empty() && !topics.iter().any(|(id, _)| id == topic) {
                        errors.push(ContentError::new(&p.file, p.line_of_key("topic"), format!(
                            "topic `{topic}` is not one of the topics of {}: {}",
                            s.index.map(|j| self.content.pages[j].file.display().to_string()).unwrap_or_default(),
                            topics.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>().join(", "))));
                    }
                }
            }
        }
        entries
    }

    /// `[extra] topics` of a collection: (id, title) in order.
    fn topics(&self, s: &Section) -> Vec<(String, String)> {
        let Some(index) = s.index else { return Vec::new() };
        let Some(topics) = self.content.pages[index].front.extra.get("topics").and_then(|t| t.as_array()) else {
            return Vec::new();
        };
        topics
            .iter()
            .filter_map(|t| Some((t.get("id")?.as_str()?.to_string(), t.get("title")?.as_str()?.to_string())))
            .collect()
    }

    /// Every anchor of every page URL.
    fn anchors(&self, bodies: &[Body], entries: &HashMap<usize, Body>) -> HashMap<String, HashSet<String>> {
        let mut anchors: HashMap<String, HashSet<String>> = HashMap::new();
        for (p, b) in self.content.pages.iter().zip(bodies) {
            anchors.entry(p.url.clone()).or_default().extend(b.headings.iter().map(|h| h.id.clone()));
        }
        for s in &self.content.sections {
            let set = anchors.entry(s.url.clone()).or_default();
            if s.collection {
                set.extend(self.topics(s).into_iter().map(|(id, _)| format!("topic-{id}")));
                for &i in &s.pages {
                    set.insert(self.content.pages[i].stem.clone());
                    if let Some(b) = entries.get(&i) {
                        set.extend(b.headings.iter().map(|h| h.id.clone()));
                    }
                }
            }
        }
        for path in GENERATED_PATHS {
            anchors.entry(path.to_string()).or_default();
        }
        anchors
    }

    fn template_of(&self, p: &Page) -> String {
        if let Some(t) = &p.front.template {
            return t.clone();
        }
        match (p.is_section_index, p.url.as_str()) {
            (true, "/") => "index.html".into(),
            (true, _) => "section.html".into(),
            _ => "page.html".into(),
        }
    }

    fn check_templates(&self, errors: &mut ContentErrors) {
        for p in &self.content.pages {
            let t = self.template_of(p);
            if !templates::exists(&self.tera, &t) {
                errors.push(ContentError::new(&p.file, p.line_of_key("template"), format!(
                    "unknown template `{t}`: add templates/{t} or use one of page.html, section.html")));
            }
        }
    }

    fn site_value(&self) -> Value {
        json!({
            "title": self.config.title,
            "description": self.config.description,
            "base_url": self.config.base_url,
            "language": self.config.language,
        })
    }

    /// The sidebar: each top-level section with its pages (only the current one's are shown).
    fn nav(&self) -> Vec<Value> {
        let root = self.content.root();
        let mut nav: Vec<Value> = root
            .pages
            .iter()
            .map(|&i| json!({"title": self.content.pages[i].title, "url": self.content.pages[i].url, "pages": []}))
            .collect();
        for &si in &root.subsections {
            let s = &self.content.sections[si];
            let pages: Vec<Value> = if s.pages.len() <= 30 {
                s.pages.iter().map(|&i| json!({"title": self.content.pages[i].title, "url": self.content.pages[i].url})).collect()
            } else {
                Vec::new()
            };
            nav.push(json!({"title": s.title, "url": s.url, "pages": pages}));
        }
        nav
    }

    fn render_page(&self, i: usize, bodies: &[Body], entries: &HashMap<usize, Body>, nav: &[Value]) -> Result<OutputFile, ContentError> {
        let p = &self.content.pages[i];
        let body = &bodies[i];
        let section = self.content.section_of_dir(&p.dir);
        let mut page = Map::new();
        page.insert("title".into(), json!(p.title));
        page.insert("url".into(), json!(p.url));
        page.insert("content".into(), json!(body.html));
        page.insert("description".into(), json!(p.front.description.clone().unwrap_or_else(|| summary(&body.html, &self.config.description))));
        page.insert("toc".into(), toc(&body.headings));
        page.insert("updated".into(), json!(p.updated().or_else(|| self.dates.get(&p.source).cloned())));
        page.insert("extra".into(), json!(p.front.extra));
        page.insert("is_section".into(), json!(p.is_section_index));
        page.insert("has_field_checks".into(), json!(body.has_field_checks || (p.is_section_index && section.collection && section.pages.iter().any(|j| bodies[*j].has_field_checks))));
        page.insert("breadcrumbs".into(), json!(self.breadcrumbs(p)));
        if p.is_section_index {
            page.insert("pages".into(), json!(self.section_listing(section)));
            if section.collection {
                page.insert("groups".into(), json!(self.collection_groups(section, entries)));
            }
        } else {
            let pos = section.pages.iter().position(|&j| j == i).expect("page in its section");
            let link = |j: usize| json!({"title": self.content.pages[j].title, "url": self.content.pages[j].url});
            page.insert("prev".into(), pos.checked_sub(1).map(|k| link(section.pages[k])).unwrap_or(Value::Null));
            page.insert("next".into(), section.pages.get(pos + 1).map(|&j| link(j)).unwrap_or(Value::Null));
            if section.collection {
                page.insert("entry_of".into(), json!({"title": section.title, "url": format!("{}#{}", section.url, p.stem)}));
            }
        }
        let html = self.render_template(&self.template_of(p), Value::Object(page), nav).map_err(|m| ContentError::new(&p.file, None, m))?;
        Ok(OutputFile { path: paths::output_file(&p.url), bytes: html.into_bytes() })
    }

    fn render_template(&self, name: &str, page: Value, nav: &[Value]) -> Result<String, String> {
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site_value());
        ctx.insert("provider", &self.config.provider);
        ctx.insert("page", &page);
        ctx.insert("nav", nav);
        ctx.insert("data", &self.content.data);
        ctx.insert("materials_cases", &self.materials_cases);
        ctx.insert("live_reload", &self.live_reload);
        ctx.insert("form", &self.form_words);
        self.tera.render(name, &ctx).map_err(|e| format!("template {name}: {}", templates::describe(&e)))
    }

    fn breadcrumbs(&self, p: &Page) -> Vec<Value> {
        let mut crumbs = vec![json!({"title": "首页", "url": "/"})];
        let mut dir = String::new();
        for part in p.dir.split('/').filter(|s| !s.is_empty()) {
            dir = if dir.is_empty() { part.to_string() } else { format!("{dir}/{part}") };
            let s = self.content.section_of_dir(&dir);
            if s.url != p.url {
                crumbs.push(json!({"title": s.title, "url": s.url}));
            }
        }
        if p.url == "/" {
            crumbs.clear();
        }
        crumbs
    }

    fn section_listing(&self, s: &Section) -> Vec<Value> {
        let mut list: Vec<Value> = s
            .subsections
            .iter()
            .map(|&si| {
                let sub = &self.content.sections[si];
                json!({"title": sub.title, "url": sub.url, "description": sub.index.and_then(|i| self.content.pages[i].front.description.clone())})
            })
            .collect();
        list.extend(s.pages.iter().map(|&i| {
            let p = &self.content.pages[i];
            json!({"title": p.title, "url": p.url, "description": p.front.description})
        }));
        list
    }

    fn collection_groups(&self, s: &Section, entries: &HashMap<usize, Body>) -> Vec<Value> {
        let entry = |i: usize| {
            let p = &self.content.pages[i];
            json!({"id": p.stem, "title": p.title, "url": p.url, "content": entries.get(&i).map(|b| b.html.as_str()).unwrap_or("")})
        };
        let topics = self.topics(s);
        if topics.is_empty() {
            return vec![json!({"id": null, "title": null, "entries": s.pages.iter().map(|&i| entry(i)).collect::<Vec<_>>()})];
        }
        topics
            .iter()
            .map(|(id, title)| {
                let list: Vec<Value> = s
                    .pages
                    .iter()
                    .filter(|&&i| self.content.pages[i].front.extra.get("topic").and_then(|t| t.as_str()) == Some(id))
                    .map(|&i| entry(i))
                    .collect();
                json!({"id": format!("topic-{id}"), "title": title, "entries": list})
            })
            .chain(std::iter::once({
                let rest: Vec<Value> = s
                    .pages
                    .iter()
                    .filter(|&&i| self.content.pages[i].front.extra.get("topic").is_none())
                    .map(|&i| entry(i))
                    .collect();
                json!({"id": "topic-other", "title": "其他", "entries": rest})
            }))
            .filter(|g| g["entries"].as_array().is_some_and(|a| !a.is_empty()))
            .collect()
    }

    fn render_aliases(&self) -> Vec<OutputFile> {
        let mut files = Vec::new();
        for p in &self.content.pages {
            for alias in &p.front.aliases {
                let mut ctx = tera::Context::new();
                ctx.insert("target", &p.url);
                ctx.insert("title", &p.title);
                ctx.insert("site", &self.site_value());
                let html = self.tera.render("alias.html", &ctx).unwrap_or_else(|e| templates::describe(&e));
                files.push(OutputFile { path: paths::alias_file(alias), bytes: html.into_bytes() });
            }
        }
        files
    }

    fn render_special_pages(&self, nav: &[Value]) -> Result<Vec<OutputFile>, ContentError> {
        let codes: Vec<Value> = self
            .content
            .sections
            .iter()
            .filter(|s| s.collection)
            .flat_map(|s| s.pages.iter())
            .map(|&i| &self.content.pages[i])
            .filter(|p| !p.stem.is_empty() && p.stem.chars().all(|c| c.is_ascii_digit()))
            .map(|p| json!({"code": p.stem, "title": p.title, "url": p.url}))
            .collect();
        let search = json!({"title": "搜索", "url": "/search/", "description": format!("在{}中搜索", self.config.title), "codes": codes, "breadcrumbs": [{"title": "首页", "url": "/"}]});
        let not_found = json!({"title": "找不到这个页面", "url": "/404.html", "description": "这个地址没有页面。", "breadcrumbs": []});
        let render = |name: &str, page: Value, path: &str| {
            self.render_template(name, page, nav)
                .map(|html| OutputFile { path: path.into(), bytes: html.into_bytes() })
                .map_err(|m| ContentError::new(Path::new("templates").join(name), None, m))
        };
        Ok(vec![render("search.html", search, "search/index.html")?, render("404.html", not_found, "404.html")?])
    }

    fn sitemap(&self) -> OutputFile {
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        let mut pages: Vec<&Page> = self.content.pages.iter().collect();
        pages.sort_by(|a, b| a.url.cmp(&b.url));
        for p in pages {
            xml.push_str(&format!("  <url><loc>{}{}</loc>", markdown::escape_attr(&self.config.base_url), markdown::escape_attr(&paths::encode_path(&p.url))));
            if let Some(d) = p.updated().or_else(|| self.dates.get(&p.source).cloned()) {
                xml.push_str(&format!("<lastmod>{}</lastmod>", markdown::escape_attr(&d)));
            }
            xml.push_str("</url>\n");
        }
        xml.push_str("</urlset>\n");
        OutputFile { path: "sitemap.xml".into(), bytes: xml.into_bytes() }
    }
}

/// The data of `content/`, if it was read.
fn content_data(content: &Option<Content>) -> serde_json::Map<String, Value> {
    content.as_ref().map(|c| c.data.clone()).unwrap_or_default()
}

/// Every case of the materials data, by filing type and subject kind, through the guide crate's one
/// filter ([`beian_guide::materials::Materials::for_case`]). Unreadable data gives none: the data
/// check reports why.
fn materials_cases(data: &serde_json::Map<String, Value>) -> Value {
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

/// The table of contents: h2 entries, each with its h3 children.
fn toc(headings: &[Heading]) -> Value {
    let mut items: Vec<Value> = Vec::new();
    for h in headings {
        let item = json!({"id": h.id, "title": h.title, "children": []});
        match (h.level, items.last_mut()) {
            (2, _) | (3, None) => items.push(item),
            (3, Some(parent)) => parent["children"].as_array_mut().expect("children").push(item),
            _ => {}
        }
    }
    Value::Array(items)
}

/// A description from the start of the page's text, for link previews when none is written.
fn summary(html: &str, fallback: &str) -> String {
    const BLOCK: &[&str] = &["p", "/p", "li", "/li", "br", "td", "/td", "th", "/th", "div", "/div", "h2", "/h2", "h3", "/h3", "h4", "/h4"];
    let mut text = String::new();
    let mut tag: Option<String> = None;
    for c in html.chars() {
        match (&mut tag, c) {
            (None, '<') => tag = Some(String::new()),
            (Some(name), '>') => {
                let name = name.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
                if BLOCK.contains(&name.as_str()) {
                    text.push(' ');
                }
                tag = None;
            }
            (Some(name), c) => name.push(c),
            (None, c) => text.push(c),
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text.replace("&amp;", "&").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">");
    if text.is_empty() {
        return fallback.to_string();
    }
    let mut s: String = text.chars().take(110).collect();
    if text.chars().count() > 110 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_strips_tags_and_cuts() {
        assert_eq!(summary("<p>第一段<a href=\"/x/\">链接</a>。</p><p>二</p>", "x"), "第一段链接。 二");
        assert_eq!(summary("", "默认"), "默认");
        assert_eq!(summary(&"字".repeat(200), "").chars().count(), 111);
    }
}
