//! The build's checks, after the bodies are rendered and before anything is written: routes and
//! aliases, templates, FAQ topics, the data files, and every internal link and anchor (pages and
//! data). Each check adds what it finds to one list, so the author sees every error at once; `check`
//! and `build` run exactly these.

use std::collections::{HashMap, HashSet};

use crate::bodies::Body;
use crate::error::{ContentError, ContentErrors};
use crate::load::Sources;
use crate::markdown::SEARCHABLE_TEXT_PER_PAGE;
use crate::special_pages::{builders_own, GENERATED_PATHS};
use crate::{data_check, links, paths, templates};

/// Runs every check, adding errors to `errors`; returns the warnings (the build still succeeds).
pub fn check(sources: &Sources, bodies: &[Body], errors: &mut ContentErrors, pages: crate::typed_by_hand::PagesToRead, addresses: Addresses) -> Vec<ContentError> {
    if addresses == Addresses::Check {
        routes(sources, errors);
    }
    titles(sources, errors);
    page_templates(sources, errors);
    topics(sources, errors);
    site_headings(sources, bodies, MAX_SITE_HEADINGS, errors);
    let anchors = anchors(sources, bodies, errors);
    links::check(&sources.content, &bodies.iter().map(|b| b.links.as_slice()).collect::<Vec<_>>(), &anchors, errors);
    let data_links = data_check::check(&sources.content.data_sources, sources.content.website_name_words.as_ref(), errors);
    links::check_data(&sources.content, &data_links, &anchors, errors);
    errors.0.extend(crate::typed_by_hand::check(&sources.content, &sources.config.provider, pages));
    warnings(sources, bodies)
}

/// Whether the pages' addresses and aliases are checked ([`routes`]): `serve` knows when they, the
/// settings and the data are those of its last good build, which passed the same check (a tenth of
/// a one-page edit at 10,000 pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addresses {
    Check,
    SameAsLastGoodBuild,
}

/// URL → page, with errors for two files on one URL, pages in the builder's own folders, and
/// aliases that leave the site or collide with any file the build writes.
fn routes(sources: &Sources, errors: &mut ContentErrors) {
    // Addresses are compared in lower case: on a case-insensitive disk or host (macOS, Windows, many
    // object stores) `/Index.html` and `/index.html` are one file, and whichever is written last wins.
    // And in one Unicode form: macOS disks store `café` composed or not as one name (red-team 10, F11).
    let key = |file: &str| {
        use unicode_normalization::UnicodeNormalization;
        file.nfc().collect::<String>().to_lowercase()
    };
    let pages = &sources.content.pages;
    let mut routes: HashMap<String, usize> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        if let Some(&j) = routes.get(&key(&p.url)) {
            errors.push(ContentError::new(&p.file, None, format!("this file and {} both become the page {} (addresses that differ only in letter case, or in how an accented letter is encoded, are one file on many hosts): rename or remove one", pages[j].file.display(), p.url)));
        } else if let Some(why) = builders_own(&paths::output_file(&p.url)) {
            errors.push(ContentError::new(&p.file, None, format!("this file becomes the page {}, but {why}: rename or move it", p.url)));
        } else {
            routes.insert(key(&p.url), i);
        }
    }
    let page_files: HashMap<String, usize> = routes.values().map(|&i| (key(&paths::output_file(&pages[i].url)), i)).collect();
    // Each alias file with its page and the alias that writes it.
    let mut aliases: HashMap<String, (usize, &str)> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        for alias in &p.front.aliases {
            let line = p.line_of_key("aliases");
            if let Some(why) = paths::alias_problem(alias) {
                errors.push(ContentError::new(&p.file, line, format!("alias `{}` is refused: {why}", alias.escape_debug())));
                continue;
            }
            let file = paths::alias_file(alias);
            if let Some(&j) = page_files.get(&key(&file)) {
                errors.push(ContentError::new(&p.file, line, format!("alias {alias} is the address of {} (letter case aside): an alias must be an old address no page uses", pages[j].file.display())));
            } else if let Some(&(j, _)) = aliases.get(&key(&file)) {
                errors.push(ContentError::new(&p.file, line, format!("alias {alias} is also an alias of {} (letter case aside): an old address can redirect to one page only", pages[j].file.display())));
            } else if let Some(why) = builders_own(&file) {
                errors.push(ContentError::new(&p.file, line, format!("alias {alias} would be written to {file}, but {why}")));
            } else {
                aliases.insert(key(&file), (i, alias.as_str()));
            }
        }
    }
    // A file the build writes cannot also be a folder it writes into: alias `/a.html` beside the
    // page `a.html.md` (written to `a.html/index.html`), or aliases `/a.html` and `/a.html/b/`.
    // One error per alias file that is also a folder, however many files are inside it (a search
    // for the alias per clash made 20,000 aliases take 40 s).
    let mut reported = std::collections::HashSet::new();
    for file in page_files.keys().chain(aliases.keys()) {
        for (at, _) in file.match_indices('/') {
            let folder = &file[..at];
            if let Some(&(i, alias)) = aliases.get(folder) {
                if !reported.insert(folder.to_string()) {
                    continue;
                }
                let p = &pages[i];
                errors.push(ContentError::new(&p.file, p.line_of_key("aliases"), format!(
                    "alias {alias} would be written as the file {folder}, but the build also writes {file} inside a folder of that name: choose another old address"
                )));
            }
        }
    }
}

/// The longest page title, in characters (this site's longest is 37). Search writes a page's title
/// into every one of its sections (a heading's result reads 页标题 › 小节), so a title of thousands of
/// characters on a page of thousands of headings made an index of hundreds of megabytes.
pub const MAX_TITLE_CHARS: usize = 100;

/// A title longer than [`MAX_TITLE_CHARS`] is an error at its line (`title = …`, or the `# ` line).
fn titles(sources: &Sources, errors: &mut ContentErrors) {
    for p in &sources.content.pages {
        let chars = p.title.chars().count();
        if chars > MAX_TITLE_CHARS {
            let line = p.line_of_key("title").or(Some(p.body_line_offset));
            errors.push(ContentError::new(&p.file, line, format!(
                "the title is {chars} characters long: a title may have at most {MAX_TITLE_CHARS} (search shows it with every heading of the page); say the rest in the page"
            )));
        }
    }
}

fn page_templates(sources: &Sources, errors: &mut ContentErrors) {
    for p in &sources.content.pages {
        let t = sources.template_of(p);
        if !templates::exists(&sources.tera, &t) {
            errors.push(ContentError::new(&p.file, p.line_of_key("template"), format!("unknown template `{t}`: add templates/{t} or use one of page.html, section.html")));
        } else if let Some(why) = templates::not_a_page_layout(&sources.tera, &t) {
            // A part (macros.html, a shortcode) rendered a near-empty page that search still
            // indexed (red-team 6, F6).
            errors.push(ContentError::new(&p.file, p.line_of_key("template"), format!("template `{t}` {why}: use one of page.html, section.html, or a template of your own that extends base.html")));
        }
    }
}

/// An entry's `topic` must be one of its collection's topics.
fn topics(sources: &Sources, errors: &mut ContentErrors) {
    for s in sources.content.sections.iter().filter(|s| s.collection) {
        let topics = sources.topics(s);
        for &i in &s.pages {
            let p = &sources.content.pages[i];
            if let Some(topic) = p.front.extra.get("topic").and_then(|t| t.as_str()) {
                if !topics.is_empty() && !topics.iter().any(|(id, _)| id == topic) {
                    errors.push(ContentError::new(&p.file, p.line_of_key("topic"), format!(
                        "topic `{topic}` is not one of the topics of {}: {}",
                        s.index.map(|j| sources.content.pages[j].file.display().to_string()).unwrap_or_default(),
                        topics.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>().join(", ")
                    )));
                }
            }
        }
    }
}

/// Every anchor of every page URL: its headings, and on a collection's page its topics, its
/// entries and their headings (prefixed, as the entries' copies write them). An id that a
/// collection's page would hold twice (an entry's prefixed heading id equal to another entry's, to
/// a topic's or to the index's own; raw HTML ids, which entries' copies keep as written) is an error
/// at the line that makes the second one.
fn anchors(sources: &Sources, bodies: &[Body], errors: &mut ContentErrors) -> HashMap<String, HashSet<String>> {
    let pages = &sources.content.pages;
    let mut anchors: HashMap<String, HashSet<String>> = HashMap::new();
    for (p, b) in pages.iter().zip(bodies) {
        let ids = anchors.entry(p.url.clone()).or_default();
        ids.extend(b.headings.iter().map(|h| h.id.clone()));
        // A body that failed to render has no headings: its own error says why, and the links
        // into it are not held against nothing (one bad page gave 29 errors in 20 other files).
        if b.headings.is_empty() && errors.0.iter().any(|e| e.file == p.file) {
            ids.insert(crate::links::ANY_ANCHOR.to_string());
        }
    }
    for s in &sources.content.sections {
        let set = anchors.entry(s.url.clone()).or_default();
        if s.collection {
            let mut claim = |id: String, file: &std::path::Path, line: Option<usize>, errors: &mut ContentErrors| {
                if !set.insert(id.clone()) {
                    errors.push(ContentError::new(file, line, format!(
                        "this makes the id `{id}` on {}, which the page already has (entries' heading ids are prefixed with the file's name and a -): give it another id or rename the file",
                        s.url
                    )));
                }
            };
            if let Some(index) = s.index {
                for (line, id) in &bodies[index].raw_ids {
                    claim(id.clone(), &pages[index].file, Some(*line), errors);
                }
            }
            for (id, _) in sources.topics(s) {
                claim(format!("topic-{id}"), s.index.map(|i| pages[i].file.as_path()).unwrap_or(std::path::Path::new("content")), None, errors);
            }
            for &i in &s.pages {
                let stem = &pages[i].stem;
                claim(stem.clone(), &pages[i].file, None, errors);
                for h in &bodies[i].headings {
                    claim(format!("{stem}-{}", h.id), &pages[i].file, Some(h.line), errors);
                }
                for (line, id) in &bodies[i].raw_ids {
                    claim(id.clone(), &pages[i].file, Some(*line), errors);
                }
            }
        }
    }
    for path in GENERATED_PATHS {
        anchors.entry(path.to_string()).or_default();
    }
    anchors
}

/// Headings the whole site may hold. Each is a section of the search index, written with its page's
/// title: pages each just under the per-page limit (1,800 × 999 headings, 9 MB of sources) wrote
/// 460,585 files and took 1.3 GB. A site of 30,000 help pages has about 60,000.
pub const MAX_SITE_HEADINGS: usize = 300_000;

/// An error at the heading where the site's pages, in order, pass `limit` headings.
fn site_headings(sources: &Sources, bodies: &[Body], limit: usize, errors: &mut ContentErrors) {
    if let Some((page, nth)) = where_headings_pass(bodies.iter().map(|b| b.headings.len()), limit) {
        let line = bodies[page].headings.get(nth).map(|h| h.line);
        errors.push(ContentError::new(&sources.content.pages[page].file, line, format!(
            "the site's pages pass {limit} headings here: each is a search result of its own, so keep the headings a reader looks for"
        )));
    }
}

/// The page (by index) and the heading in it where the pages' heading counts, added in order,
/// pass `limit`.
fn where_headings_pass(counts: impl Iterator<Item = usize>, limit: usize) -> Option<(usize, usize)> {
    let mut total = 0;
    for (page, count) in counts.enumerate() {
        if total + count > limit {
            return Some((page, limit - total));
        }
        total += count;
    }
    None
}

/// What the author should know although the build succeeds: pages too large to search whole.
fn warnings(sources: &Sources, bodies: &[Body]) -> Vec<ContentError> {
    sources
        .content
        .pages
        .iter()
        .zip(bodies)
        .filter_map(|(p, b)| {
            let line = b.search_cut_at_line?;
            Some(ContentError::new(&p.file, Some(line), format!(
                "this page is very large: search reads its first {} KB of text, up to here, and the rest is shown but not searchable. Split it into several pages",
                SEARCHABLE_TEXT_PER_PAGE / 1024
            )))
        })
        .collect()
}

/// The assets the rendered pages name, noted a part of the site at a time, then held against the
/// files the build writes: assets carry content hashes in their names, so a template that names one
/// by hand names a file that is not there.
#[derive(Debug, Default)]
pub struct AssetReferences {
    /// Each asset file named, with the output path of the first file naming it, in order.
    named: Vec<(String, String)>,
    seen: HashSet<String>,
    written: HashSet<String>,
}

impl AssetReferences {
    /// Notes the assets among `files` and the assets their pages name.
    pub fn note(&mut self, files: &[crate::output::OutputFile]) {
        self.written.extend(files.iter().filter(|f| f.path.starts_with("assets/")).map(|f| f.path.clone()));
        for f in files.iter().filter(|f| f.path.ends_with(".html")) {
            let html = String::from_utf8_lossy(&f.bytes);
            // Raw HTML may quote with `'` (and writes attribute names in lower case).
            for attr in ["src=\"/assets/", "href=\"/assets/", "src='/assets/", "href='/assets/"] {
                for rest in html.split(attr).skip(1) {
                    let path = rest.split(['"', '\'', '?', '#']).next().unwrap_or("");
                    if !path.starts_with("search/") && self.seen.insert(format!("{}\0assets/{path}", f.path)) {
                        self.named.push((format!("assets/{path}"), f.path.clone()));
                    }
                }
            }
        }
    }

    /// An error for each page that names an asset no noted file is.
    pub fn check(self, sources: &Sources) -> Result<(), ContentErrors> {
        let missing: Vec<&(String, String)> = self.named.iter().filter(|(file, _)| !self.written.contains(file)).collect();
        if missing.is_empty() {
            // Each page's output file is looked up only for a message: a map of 10,000 pages took
            // a tenth of a one-page edit in serve.
            return Ok(());
        }
        let page_of: HashMap<String, &crate::content::Page> = sources.content.pages.iter().map(|p| (paths::output_file(&p.url), &**p)).collect();
        let mut errors = ContentErrors::default();
        for (file, named_in) in missing {
            let (source, template) = match page_of.get(named_in) {
                Some(p) => (p.file.clone(), sources.template_of(p)),
                None => (std::path::PathBuf::from("templates"), named_in.clone()),
            };
            errors.push(ContentError::new(source, None, format!(
                "its page ({template}) refers to /{file}, which the build does not write: assets carry content hashes in their names, so write {{{{ asset(path=\"/{file}\") }}}} in the template"
            )));
        }
        errors.0.dedup();
        errors.into_result()
    }
}

/// [`AssetReferences`] for a site whose files are all at hand.
pub fn asset_references(sources: &Sources, files: &[crate::output::OutputFile]) -> Result<(), ContentErrors> {
    let mut references = AssetReferences::default();
    references.note(files);
    references.check(sources)
}

#[cfg(test)]
mod tests {
    /// The fourth attack review: 1,800 pages of 999 headings each passed the per-page limit and
    /// wrote 460,585 index files; the site as a whole has a limit too.
    #[test]
    fn many_pages_at_the_heading_limit_pass_the_sites_regression() {
        assert_eq!(super::where_headings_pass([999; 1_800].into_iter(), super::MAX_SITE_HEADINGS), Some((300, 300)));
        assert_eq!(super::where_headings_pass([3, 5, 5].into_iter(), 7), Some((1, 4)));
        assert_eq!(super::where_headings_pass([3, 4, 5].into_iter(), 7), Some((2, 0)));
        assert_eq!(super::where_headings_pass([3, 4].into_iter(), 7), None);
    }

    #[test]
    fn the_registrar_is_not_folded_into_the_provider_regression() {
        // Issue 19: search folded 服务商 in 注册域名的服务商 into 接入商.
        let phrasing: crate::search::terms::Phrasing = toml::from_str(include_str!("../../content/_data/search.toml")).unwrap();
        let folder = crate::search::terms::Folder::new(&phrasing);
        for registrar in ["域名注册商", "域名注册服务商", "注册域名的服务商"] {
            let folded = folder.fold(&format!("向{registrar}索取证书"));
            assert!(folded.contains("域名注册商") && !folded.contains("接入商"), "{registrar} → {folded}");
        }
        assert!(folder.fold("换服务商").contains("转接入"), "the provider's names still fold");
    }
}
