//! The render step: every page through its template, once, with a typed context (a misspelled key
//! does not compile). A collection's section page shows its entries from the entries' own bodies,
//! their headings moved down and their ids prefixed.

use rayon::prelude::*;
use serde::Serialize;
use std::hash::{Hash, Hasher};

use crate::bodies::Body;
use crate::config::SiteContext;
use crate::content::{Page, Section};
use crate::error::{ContentError, ContentErrors};
use crate::load::Sources;
use crate::markdown::{Heading, HeadingStyle};
use crate::paths;
use crate::output::OutputFile;

/// How pages are rendered.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Serve mode: pages load the live-reload script.
    pub live_reload: bool,
}

/// A link to a page: breadcrumbs, previous and next, the sidebar.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink<'a> {
    pub title: &'a str,
    pub url: String,
}

/// A sidebar entry: a top-level page, or a section with its pages.
#[derive(Debug, Serialize)]
pub struct NavItem<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub pages: Vec<PageLink<'a>>,
}

/// One line of a section's listing.
#[derive(Debug, Serialize)]
pub struct Listed<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub description: Option<&'a str>,
}

/// The table of contents: h2 entries, each with its h3 children.
#[derive(Debug, Serialize)]
pub struct TocItem<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub children: Vec<TocItem<'a>>,
}

/// An entry as its collection's page shows it.
#[derive(Debug, Serialize)]
pub struct Entry<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    pub content: String,
}

/// The entries of one topic (or all entries, without topics).
#[derive(Debug, Serialize)]
pub struct Group<'a> {
    pub id: Option<String>,
    pub title: Option<String>,
    pub entries: Vec<Entry<'a>>,
}

/// A return code, for the search page's list.
#[derive(Debug, Serialize)]
pub struct Code<'a> {
    pub code: &'a str,
    pub title: &'a str,
    pub url: &'a str,
}

/// `page` in the templates.
#[derive(Debug, Serialize, Default)]
pub struct PageContext<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub content: String,
    pub description: String,
    pub toc: Vec<TocItem<'a>>,
    pub updated: Option<String>,
    pub extra: Option<&'a toml::Table>,
    pub is_section: bool,
    pub has_field_checks: bool,
    pub breadcrumbs: Vec<PageLink<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<Vec<Listed<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<Group<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<PageLink<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<PageLink<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry_of: Option<PageLink<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codes: Option<Vec<Code<'a>>>,
}

/// Renders the pages with these indices (in parallel): what a rebuild in `serve` needs after an edit.
pub fn render_some_pages(sources: &Sources, bodies: &[Body], options: RenderOptions, pages: &[usize]) -> Result<Vec<OutputFile>, ContentErrors> {
    let nav = nav(sources);
    pages
        .par_iter()
        .map(|&i| render_page(sources, i, bodies, &nav, options))
        .collect::<Result<_, _>>()
        .map_err(|e| ContentErrors(vec![e]))
}

/// The page's own heading style.
fn own_style(sources: &Sources) -> HeadingStyle<'_> {
    HeadingStyle { shift: 0, id_prefix: "", link_label: &sources.config.words.section_link }
}

fn render_page(sources: &Sources, i: usize, bodies: &[Body], nav: &[NavItem], options: RenderOptions) -> Result<OutputFile, ContentError> {
    let pages = &sources.content.pages;
    let p = &pages[i];
    let body = &bodies[i];
    let section = sources.content.section_of_dir(&p.dir);
    let content = body.html(own_style(sources));
    let link = |j: usize| PageLink { title: &pages[j].title, url: pages[j].url.clone() };
    let mut page = PageContext {
        title: &p.title,
        url: &p.url,
        description: p.front.description.clone().unwrap_or_else(|| summary(&content, &sources.config.description, sources.config.layout.summary_chars)),
        content,
        toc: toc(&body.headings),
        updated: sources.updated(p),
        extra: Some(&p.front.extra),
        is_section: p.is_section_index,
        has_field_checks: body.has_field_checks || (p.is_section_index && section.collection && section.pages.iter().any(|&j| bodies[j].has_field_checks)),
        breadcrumbs: breadcrumbs(sources, p),
        ..PageContext::default()
    };
    // How customers ask what this page answers: inert blocks the search index reads (crate::asked).
    page.content.push_str(&crate::asked::html(&p.front));
    if p.is_section_index {
        page.pages = Some(section_listing(sources, section));
        if section.collection {
            page.groups = Some(collection_groups(sources, section, bodies));
        }
    } else {
        let pos = section.pages.iter().position(|&j| j == i).expect("page in its section");
        page.prev = pos.checked_sub(1).map(|k| link(section.pages[k]));
        page.next = section.pages.get(pos + 1).map(|&j| link(j));
        if section.collection {
            page.entry_of = Some(PageLink { title: &section.title, url: format!("{}#{}", section.url, p.stem) });
        }
    }
    let content_ids = ids_in(&page.content);
    let html = render_template(sources, &sources.template_of(p), &page, nav, options).map_err(|m| ContentError::new(&p.file, None, m))?;
    let page_ids = ids_in(&html);
    if let Some(e) = clash_with_template(p, &sources.template_of(p), body, &content_ids, &page_ids) {
        return Err(e);
    }
    if let Some(e) = repeated_id(p, &page_ids) {
        return Err(e);
    }
    Ok(OutputFile { path: paths::output_file(&p.url), bytes: html.into_bytes() })
}

/// What every page shows of the others: the sidebar and the home crumb. `serve` renders every page
/// again when it changes.
pub fn sidebar_key(sources: &Sources) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for item in nav(sources) {
        (item.title, item.url).hash(&mut h);
        item.pages.iter().for_each(|l| (l.title, &l.url).hash(&mut h));
    }
    home_crumb(sources).title.hash(&mut h);
    h.finish()
}

/// What page `i`'s render reads of the site besides its own body, the sidebar and the settings:
/// its title, description, template and extra; its breadcrumbs; its previous and next pages and
/// its collection; a section page's listing and its entries' names. `serve` renders a page again
/// when this changes, so that a title edit renders the pages that show that title, not all of them.
pub fn view_key(sources: &Sources, i: usize) -> u64 {
    let content = &sources.content;
    let p = &content.pages[i];
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&p.title, &p.front.description, sources.template_of(p), p.front.extra.to_string()).hash(&mut h);
    breadcrumbs(sources, p).iter().for_each(|l| (l.title, &l.url).hash(&mut h));
    let section = content.section_of_dir(&p.dir);
    if p.is_section_index {
        section_listing(sources, section).iter().for_each(|l| (l.title, l.url, l.description).hash(&mut h));
        if section.collection {
            sources.topics(section).hash(&mut h);
            section.pages.iter().for_each(|&j| (&content.pages[j].stem, &content.pages[j].title, content.pages[j].front.extra.get("topic").map(ToString::to_string)).hash(&mut h));
        }
    } else {
        let pos = section.pages.iter().position(|&j| j == i);
        let link = |j: Option<&usize>| j.map(|&j| (&content.pages[j].title, &content.pages[j].url));
        (link(pos.and_then(|k| k.checked_sub(1)).and_then(|k| section.pages.get(k))), link(pos.and_then(|k| section.pages.get(k + 1)))).hash(&mut h);
        if section.collection {
            (&section.title, &section.url).hash(&mut h);
        }
    }
    h.finish()
}

/// The values of the `id="…"` attributes in `html`, each with how often it occurs.
fn ids_in(html: &str) -> std::collections::HashMap<&str, usize> {
    let mut ids = std::collections::HashMap::new();
    for (at, _) in html.match_indices("id=\"") {
        if !html[..at].ends_with(|c: char| c.is_ascii_whitespace()) {
            continue;
        }
        let value = &html[at + 4..];
        if let Some(end) = value.find('"') {
            *ids.entry(&value[..end]).or_insert(0) += 1;
        }
    }
    ids
}

/// A heading, raw element or footnote of the body that has an id the template also gives the page
/// (`main`, `site-search`, a status's or a question's id): the skip link, the search box or a
/// script would find the body's element instead. An error at the body's line.
fn clash_with_template(p: &Page, template: &str, body: &Body, in_content: &std::collections::HashMap<&str, usize>, in_page: &std::collections::HashMap<&str, usize>) -> Option<ContentError> {
    let from_template = |id: &str| in_page.get(id).copied().unwrap_or(0) > in_content.get(id).copied().unwrap_or(0);
    let headings = body.headings.iter().map(|h| (h.line, h.id.as_str()));
    let others = body.raw_ids.iter().map(|(line, id)| (*line, id.as_str()));
    let (line, id) = headings.chain(others).find(|(_, id)| from_template(id))?;
    Some(ContentError::new(&p.file, Some(line), format!(
        "the id `{id}` is also given by the page's template ({template}), whose skip link, search box or script would find this element instead: give it another id (a heading takes one as {{#id}})"
    )))
}

/// An id the rendered page gives two elements, whatever wrote them (a data file's id that the
/// template also gives, two entries of a collection whose field checks sit at the same place): a
/// link, the skip link or a script finds the first only (red-team 10, F4 and F6).
fn repeated_id(p: &Page, page_ids: &std::collections::HashMap<&str, usize>) -> Option<ContentError> {
    let mut repeated: Vec<(&str, usize)> = page_ids.iter().filter(|(_, n)| **n > 1).map(|(id, n)| (*id, *n)).collect();
    repeated.sort_unstable();
    let (id, n) = repeated.first()?;
    Some(ContentError::new(&p.file, None, format!(
        "its page {} gives the id `{}` to {n} elements, and a link or a script finds the first only: an id in a data file that the template also gives (`main`, `all`), or two entries whose field checks sit at the same place in their files, or two headings given one id; give each its own",
        p.url,
        id.escape_debug()
    )))
}

/// Renders one template with the context every page has.
pub fn render_template(sources: &Sources, name: &str, page: &PageContext, nav: &[NavItem], options: RenderOptions) -> Result<String, String> {
    // What every page shares is in the lent context already: inserting `data` here copied every
    // data file for every page (crate::contexts).
    let mut ctx = sources.contexts.pages.lend(|| {
        let mut shared = tera::Context::new();
        shared.insert("site", &SiteContext::of(&sources.config));
        shared.insert("provider", &sources.config.provider);
        shared.insert("data", &sources.content.data);
        shared.insert("materials_cases", &sources.materials_cases);
        shared.insert("form", &sources.form_words);
        shared.insert("website_name_words", &sources.content.website_name_words.as_ref().map(|w| w.text.as_str()));
        shared
    });
    ctx.insert("page", page);
    ctx.insert("nav", nav);
    ctx.insert("live_reload", &options.live_reload);
    sources.tera.render(name, ctx.context()).map_err(|e| format!("template {name}: {}", crate::templates::describe(&e)))
}

/// The sidebar: each top-level page, and each top-level section with its pages (a section with
/// more than `[layout] sidebar_max_pages` lists only itself). Top-level pages are held to the same
/// number, the first in the site's order: every page carries the sidebar, so an unbounded list of
/// them made the build quadratic (4,000 root pages: 50 s and 1.1 GB of output).
pub fn nav(sources: &Sources) -> Vec<NavItem<'_>> {
    let content = &sources.content;
    let root = content.root();
    let mut nav: Vec<NavItem> = root.pages.iter().take(sources.config.layout.sidebar_max_pages).map(|&i| NavItem { title: &content.pages[i].title, url: &content.pages[i].url, pages: Vec::new() }).collect();
    // Top-level sections count against the same number: a thousand folders made every page list
    // a thousand links (the build went quadratic again).
    let room = sources.config.layout.sidebar_max_pages.saturating_sub(nav.len());
    for &si in root.subsections.iter().take(room) {
        let s = &content.sections[si];
        let pages = if s.pages.len() <= sources.config.layout.sidebar_max_pages {
            s.pages.iter().map(|&i| PageLink { title: &content.pages[i].title, url: content.pages[i].url.clone() }).collect()
        } else {
            Vec::new()
        };
        nav.push(NavItem { title: &s.title, url: &s.url, pages });
    }
    nav
}

/// Home, then each section above the page.
pub fn breadcrumbs<'a>(sources: &'a Sources, p: &Page) -> Vec<PageLink<'a>> {
    if p.url == "/" {
        return Vec::new();
    }
    let mut crumbs = vec![home_crumb(sources)];
    let mut dir = String::new();
    for part in p.dir.split('/').filter(|s| !s.is_empty()) {
        dir = if dir.is_empty() { part.to_string() } else { format!("{dir}/{part}") };
        let s = sources.content.section_of_dir(&dir);
        if s.url != p.url {
            crumbs.push(PageLink { title: &s.title, url: s.url.clone() });
        }
    }
    crumbs
}

pub fn home_crumb(sources: &Sources) -> PageLink<'_> {
    PageLink { title: &sources.config.words.home, url: "/".into() }
}

fn section_listing<'a>(sources: &'a Sources, s: &Section) -> Vec<Listed<'a>> {
    let content = &sources.content;
    let subsections = s.subsections.iter().map(|&si| {
        let sub = &content.sections[si];
        Listed { title: &sub.title, url: &sub.url, description: sub.index.and_then(|i| content.pages[i].front.description.as_deref()) }
    });
    let pages = s.pages.iter().map(|&i| {
        let p = &content.pages[i];
        Listed { title: &p.title, url: &p.url, description: p.front.description.as_deref() }
    });
    subsections.chain(pages).collect()
}

/// A collection's entries by topic (in the topics' order, then those without a topic), each from
/// its own body with headings moved down and ids prefixed.
fn collection_groups<'a>(sources: &'a Sources, s: &Section, bodies: &[Body]) -> Vec<Group<'a>> {
    let pages = &sources.content.pages;
    let shift = sources.entry_heading_shift(s);
    let entry = |i: usize| {
        let p = &pages[i];
        let prefix = format!("{}-", p.stem);
        let style = HeadingStyle { shift, id_prefix: &prefix, link_label: &sources.config.words.section_link };
        Entry { id: &p.stem, title: &p.title, url: &p.url, content: bodies[i].html(style) }
    };
    let topic_of = |i: usize| pages[i].front.extra.get("topic").and_then(|t| t.as_str());
    let topics = sources.topics(s);
    if topics.is_empty() {
        return vec![Group { id: None, title: None, entries: s.pages.iter().map(|&i| entry(i)).collect() }];
    }
    // The entries of each topic, in the section's order, gathered in one pass (filtering every
    // entry once per topic grew as topics × entries).
    let mut by_topic: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    let mut untopical = Vec::new();
    for &i in &s.pages {
        match topic_of(i) {
            Some(t) => by_topic.entry(t).or_default().push(i),
            None => untopical.push(i),
        }
    }
    let mut groups: Vec<Group> = topics
        .into_iter()
        .map(|(id, title)| Group {
            entries: by_topic.get(id.as_str()).map_or(Vec::new(), |list| list.iter().map(|&i| entry(i)).collect()),
            id: Some(format!("topic-{id}")),
            title: Some(title),
        })
        .collect();
    groups.push(Group {
        id: Some("topic-other".into()),
        title: Some(sources.config.words.other_topic.clone()),
        entries: untopical.into_iter().map(entry).collect(),
    });
    groups.retain(|g| !g.entries.is_empty());
    groups
}

/// The table of contents: h2 entries, each with its h3 children.
fn toc(headings: &[Heading]) -> Vec<TocItem<'_>> {
    let mut items: Vec<TocItem> = Vec::new();
    for h in headings {
        let item = TocItem { id: &h.id, title: &h.title, children: Vec::new() };
        match (h.level, items.last_mut()) {
            (2, _) | (3, None) => items.push(item),
            (3, Some(parent)) => parent.children.push(item),
            _ => {}
        }
    }
    items
}

/// A description from the start of the page's text, for link previews when none is written.
pub fn summary(html: &str, fallback: &str, chars: usize) -> String {
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
    let text = html_escape::decode_html_entities(&text);
    if text.is_empty() {
        return fallback.to_string();
    }
    let mut s: String = text.chars().take(chars).collect();
    if text.chars().count() > chars {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_strips_tags_and_cuts() {
        assert_eq!(summary("<p>第一段<a href=\"/x/\">链接</a>。</p><p>二</p>", "x", 110), "第一段链接。 二");
        assert_eq!(summary("", "默认", 110), "默认");
        assert_eq!(summary(&"字".repeat(200), "", 110).chars().count(), 111);
    }
}

#[cfg(test)]
mod shared_context_tests {
    use super::*;

    /// Red-team 5 F2, the page side: every page render inserted `data`, `provider` and
    /// `materials_cases` into a new context (4 MB of data × 2,000 small pages took 6.3 s of CPU).
    /// Now the shared keys are serialised once per context the pool makes, not once per page.
    #[test]
    fn page_renders_do_not_copy_the_data_files_regression() {
        let tmp = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| crate::test_site::write(tmp.path(), rel, text);
        write("content/_index.md", "# 首页\n");
        write("content/_data/big.toml", &(0..4_000).map(|i| format!("k{i} = \"{}\"\n", "备案".repeat(40))).collect::<String>());
        for i in 0..300 {
            write(&format!("content/s/p{i}.md"), &format!("# 页{i}\n\n正文\n"));
        }
        let sources = crate::load::load(tmp.path()).unwrap();
        let (bodies, errors) = crate::bodies::render_bodies(&sources);
        assert!(errors.0.is_empty(), "{errors:?}");
        let all: Vec<usize> = (0..sources.content.pages.len()).collect();
        let files = render_some_pages(&sources, &bodies, RenderOptions::default(), &all).unwrap();
        assert_eq!(files.len(), sources.content.pages.len());
        let built = sources.contexts.pages.built();
        assert!((1..=rayon::current_num_threads() + 1).contains(&built), "{built} contexts for {} pages", files.len());
        // The same page rendered again with a context the pool lends again is the same.
        let again = render_some_pages(&sources, &bodies, RenderOptions::default(), &all[..1]).unwrap();
        assert_eq!(again[0].bytes, files[0].bytes);
    }
}
