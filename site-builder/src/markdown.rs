//! Markdown to HTML with pulldown-cmark, plus what the site needs on top: every heading gets an id
//! (hand-written `{#id}` kept, others generated and made unique) and a link to itself, headings can be
//! shifted down and their ids prefixed (an FAQ entry shown inside the FAQ page), links to `.md` files
//! become site paths, and every link is reported with its line for the link check.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

use crate::error::line_of;
use crate::paths;

/// How to render one body.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions<'a> {
    /// Levels to add to every heading (h2 becomes h3 with 1).
    pub heading_shift: u8,
    /// Prefix for every heading id, e.g. `password-lost-` for an entry shown on its section page.
    pub id_prefix: &'a str,
    /// The file's folder relative to `content/`, to resolve relative `.md` links.
    pub source_dir: &'a str,
    /// Lines before the body in the file.
    pub line_offset: usize,
}

/// A heading as the table of contents and the link check see it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A link written in the body, as resolved, with its file line.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub href: String,
    pub line: usize,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    /// (file line, message) for ids written twice.
    pub errors: Vec<(usize, String)>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A heading being read: its level, its written id, its inner events, its text, its line.
type OpenHeading<'a> = (u8, Option<String>, Vec<Event<'a>>, String, usize);

/// Renders `body`.
pub fn render(body: &str, opts: &RenderOptions) -> Rendered {
    let mut out = Rendered::default();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<OpenHeading> = None;

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let line = line_of(body, range.start) + opts.line_offset;
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level as u8, id.map(|i| i.to_string()), Vec::new(), String::new(), line));
            }
            Event::End(TagEnd::Heading(_)) => {
                let (level, written, inner, text, line) = heading.take().expect("heading start");
                let text = text.trim().to_string();
                let id = match written {
                    Some(id) => {
                        if !used_ids.insert(id.clone()) {
                            out.errors.push((line, format!("heading id `{id}` is written twice in this page: give each heading its own id")));
                        }
                        id
                    }
                    None => unique_id(&slugify(&text), &mut used_ids),
                };
                let id = format!("{}{}", opts.id_prefix, id);
                let level = (level + opts.heading_shift).min(6);
                let mut inner_html = String::new();
                pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                events.push(Event::Html(CowStr::from(format!(
                    "<h{level} id=\"{id}\">{inner_html} <a class=\"anchor\" href=\"#{id}\" data-pagefind-ignore aria-label=\"本节链接：{}\">#</a></h{level}>\n",
                    escape_attr(&text)
                ))));
                out.headings.push(Heading { level, id, title: text });
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let href = rewrite_href(&dest_url, opts.source_dir);
                out.links.push(Link { href: href.clone(), line });
                push(&mut heading, &mut events, Event::Start(Tag::Link { link_type, dest_url: href.into(), title, id }));
            }
            Event::Start(Tag::Table(_)) => {
                events.push(Event::Html("<div class=\"table-wrap\">".into()));
                events.push(event);
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                events.push(Event::Html("</div>".into()));
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                for href in html_hrefs(html) {
                    out.links.push(Link { href: href.to_string(), line });
                }
                push(&mut heading, &mut events, event);
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some(h) = heading.as_mut() {
                    h.3.push_str(t);
                }
                push(&mut heading, &mut events, event);
            }
            other => push(&mut heading, &mut events, other),
        }
    }
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out
}

fn push<'a>(heading: &mut Option<OpenHeading<'a>>, events: &mut Vec<Event<'a>>, e: Event<'a>) {
    match heading {
        Some(h) => h.2.push(e),
        None => events.push(e),
    }
}

/// `href="…"` values in raw HTML (shortcode output), so generated links are checked too.
fn html_hrefs(html: &str) -> impl Iterator<Item = &str> {
    html.split("href=\"").skip(1).filter_map(|s| s.split('"').next())
}

/// A link to a `.md` file (relative or from the content root) becomes the page's site path.
pub fn rewrite_href(dest: &str, source_dir: &str) -> String {
    if dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with("tel:") || dest.starts_with('#') {
        return dest.to_string();
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    if !path.ends_with(".md") {
        return dest.to_string();
    }
    let joined = if let Some(abs) = path.strip_prefix('/') {
        abs.to_string()
    } else {
        paths::normalise(&format!("{source_dir}/{path}"))
    };
    let mut url = paths::url_for_source(&joined);
    if let Some(a) = anchor {
        url.push('#');
        url.push_str(a);
    }
    url
}

/// An id from heading text: lower-case ASCII letters and digits, CJK kept, the rest as `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "section".into()
    } else {
        slug
    }
}

fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 1;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

pub fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(body: &str) -> Rendered {
        render(body, &RenderOptions { source_dir: "guides", ..Default::default() })
    }

    #[test]
    fn written_ids_are_kept_and_others_generated_unique() {
        let out = r("## 忘记备案密码 {#password-lost}\n\n## 材料\n\n## 材料\n");
        let ids: Vec<_> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["password-lost", "材料", "材料-1"]);
        assert!(out.html.contains("<h2 id=\"password-lost\">忘记备案密码 <a class=\"anchor\" href=\"#password-lost\""));
    }

    #[test]
    fn an_id_written_twice_is_an_error_with_its_line() {
        let out = render("## A {#x}\n\n## B {#x}\n", &RenderOptions { line_offset: 4, ..Default::default() });
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].0, 7);
    }

    #[test]
    fn shift_and_prefix_for_entries() {
        let out = render("## 步骤 {#steps}\n", &RenderOptions { heading_shift: 1, id_prefix: "faq1-", ..Default::default() });
        assert!(out.html.starts_with("<h3 id=\"faq1-steps\">"));
    }

    #[test]
    fn md_links_become_site_paths_and_are_reported_with_lines() {
        let out = r("a\n\n[x](../faq/password-lost.md#y) [c](/codes/1015/)\n");
        assert_eq!(out.links[0], Link { href: "/faq/password-lost/#y".into(), line: 3 });
        assert_eq!(out.links[1].href, "/codes/1015/");
        assert!(out.html.contains("href=\"/faq/password-lost/#y\""));
    }

    #[test]
    fn tables_footnotes_strikethrough() {
        let out = r("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~[^1]\n\n[^1]: n\n");
        assert!(out.html.contains("<div class=\"table-wrap\"><table>"));
        assert!(out.html.contains("<del>x</del>"));
        assert!(out.html.contains("footnote"));
    }

    #[test]
    fn slugify_keeps_chinese() {
        assert_eq!(slugify("首次备案 Step 1!"), "首次备案-step-1");
        assert_eq!(slugify("？"), "section");
    }
}
