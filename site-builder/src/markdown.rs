//! Markdown to HTML with pulldown-cmark, plus what the site needs on top: every heading gets an id
//! (hand-written `{#id}` kept, others generated and made unique) and a link to itself, headings can be
//! shifted down and their ids prefixed (an FAQ entry shown inside the FAQ page), links to `.md` files
//! become site paths, and every link is reported with its line for the link check.
//!
//! What the author writes is held to the content rules: raw HTML must pass [`raw_html`], link and
//! image addresses must use a safe scheme, and a hand-written id only safe characters. Lines are
//! looked up in an index of line starts, so a large page costs linear time.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;

use crate::error::LineIndex;
use crate::{paths, raw_html};

/// How to render one body.
#[derive(Debug, Clone, Default)]
pub struct BodyOptions<'a> {
    /// The file's folder relative to `content/`, to resolve relative `.md` links.
    pub source_dir: &'a str,
    /// Lines before the body in the file.
    pub line_offset: usize,
    /// Byte ranges of the body that shortcodes wrote (their HTML is the templates', not the author's).
    pub generated: &'a [Range<usize>],
}

/// How much of a page's text the search index reads; the rest of a larger page is shown but not
/// indexed. The project's index (`search`) grows with the text, about 75 ms and 6–16 MB per MB of
/// one page: measured with the release builder (`scripts/measure-big-input.sh` pages), a
/// 10 MB page built in 1.39 s uncapped (index 0.75 s, peak 257 MB) against 0.28 s capped (index
/// 0.17 s, 197 MB), 10 MB in one paragraph in 0.87 s (peak 308 MB) against 0.11 s (146 MB). One
/// huge page would also fill the word files with pairs no other page has. 512 KB is about 170,000
/// Chinese characters, far more than any help page.
pub const SEARCHABLE_TEXT_PER_PAGE: usize = 512 * 1024;

/// A heading as the table of contents and the link check see it, with its rendered inner HTML so
/// that the page and an entry's copy on its section page can each write it ([`write_html`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// The file line it is written on.
    pub line: usize,
    pub title: String,
    pub inner_html: String,
}

/// Where heading `i` stands in [`Rendered::html`]. No NUL reaches the HTML from the body: sources
/// holding one are refused when read (`content::no_nul`), and [`render`] turns any that a setting or
/// a data value brought in into a space before parsing (raw HTML would pass it through), so content
/// cannot forge a marker.
fn heading_marker(i: usize) -> String {
    // The newline ends the block, as the heading's own HTML did.
    format!("\u{0}{i}\u{0}\n")
}

/// How headings are written: levels added (an h2 becomes an h3 in an FAQ entry on its section
/// page), a prefix on every id (`password-lost-`), and the words of the self-link's label.
#[derive(Debug, Clone, Copy)]
pub struct HeadingStyle<'a> {
    pub shift: u8,
    pub id_prefix: &'a str,
    /// The self-link's accessible name, before the heading's text: 本节链接.
    pub link_label: &'a str,
}

/// The body's HTML with its headings written in `style`: the page itself (no shift, no prefix) or an
/// entry's copy; the body is rendered from Markdown once for both.
pub fn write_html(html: &str, headings: &[Heading], style: HeadingStyle) -> String {
    let mut out = String::with_capacity(html.len() + headings.len() * 120);
    let ids: std::collections::HashSet<&str> = headings.iter().map(|h| h.id.as_str()).collect();
    let mut parts = html.split('\u{0}');
    push_with_local_links(&mut out, parts.next().unwrap_or(""), &ids, style.id_prefix);
    while let (Some(index), Some(rest)) = (parts.next(), parts.next()) {
        if let Some(h) = index.parse::<usize>().ok().and_then(|i| headings.get(i)) {
            let id = escape_attr(&format!("{}{}", style.id_prefix, h.id));
            let level = (h.level + style.shift).min(6);
            out.push_str(&format!(
                "<h{level} id=\"{id}\">{} <a class=\"anchor\" href=\"#{id}\" data-search-ignore aria-label=\"{}：{}\">#</a></h{level}>",
                h.inner_html,
                escape_attr(style.link_label),
                escape_attr(&h.title)
            ));
        }
        push_with_local_links(&mut out, rest, &ids, style.id_prefix);
    }
    out
}

/// Pushes body HTML, with its links to the page's own headings (`href="#fix"`) given the headings'
/// prefix: an entry's copy on its collection page has `#1016-fix`, where a bare `#fix` would lead
/// nowhere. Links to anything else (other pages, footnotes, raw ids) stay as written.
fn push_with_local_links(out: &mut String, html: &str, ids: &std::collections::HashSet<&str>, prefix: &str) {
    const LOCAL: &str = "href=\"#";
    if prefix.is_empty() {
        out.push_str(html);
        return;
    }
    let mut rest = html;
    while let Some(at) = rest.find(LOCAL) {
        let (before, after) = rest.split_at(at + LOCAL.len());
        out.push_str(before);
        let end = after.find('"').unwrap_or(after.len());
        if ids.contains(&after[..end]) {
            out.push_str(&escape_attr(prefix));
        }
        rest = after;
    }
    out.push_str(rest);
}

/// A link written in the body, as resolved, with its file line.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub href: String,
    pub line: usize,
}

#[derive(Debug, Default)]
pub struct Rendered {
    /// The HTML with a marker where each heading goes: write it with [`write_html`].
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    /// (file line, message) for what the content rules refuse: ids written twice or unsafe, raw
    /// HTML off the allow-list, unsafe link schemes.
    pub errors: Vec<(usize, String)>,
    /// (file line, id) of every id written in raw HTML and of every footnote; with the headings' ids,
    /// unique in the page.
    pub raw_ids: Vec<(usize, String)>,
    /// The file line where the search index stops reading, on a page over [`SEARCHABLE_TEXT_PER_PAGE`].
    pub search_cut_at_line: Option<usize>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What a footnote's id starts with: `[^1]` is `fn-1`.
pub const FOOTNOTE_ID_PREFIX: &str = "fn-";

/// Containers (block quotes, list items) one line may open: deeper nesting is no help to a reader
/// and costs the parser memory per level.
pub const MAX_NESTING: usize = 32;

/// Markdown punctuation one page may hold. The parser keeps a node of several hundred bytes for each
/// (`[`, `*`, `>`, …: 4 MB of `[` took 2.27 GB); a long help page has a few thousand, so this bounds
/// a page's memory near 100 MB without touching real content.
pub const MAX_MARKUP_CHARACTERS: usize = 200_000;

/// Lines one page may hold. Markdown without any of the counted marks costs the parser too: a
/// paragraph, a list item or a heading underlined with `-` on every line (10 MB of `a` / `-` lines took
/// 3.85 GB); the longest help page has a few hundred lines.
pub const MAX_LINES: usize = 50_000;

/// Headings one page may hold: each is a section of the search index (a page of 250,000 headings
/// underlined with `-` wrote 62,501 index files); the longest help page has a few dozen.
pub const MAX_HEADINGS: usize = 1_000;

/// Where `body` nests containers deeper than [`MAX_NESTING`] on one line, or passes
/// [`MAX_MARKUP_CHARACTERS`] or [`MAX_LINES`]: the byte offset and what to do. Read before parsing, so such a page
/// costs a scan, not the parser's memory.
fn too_deep_or_too_marked(body: &str) -> Option<(usize, String)> {
    let mut offset = 0;
    let mut marks = 0usize;
    for (number, line) in body.split_inclusive('\n').enumerate() {
        if number >= MAX_LINES {
            return Some((offset, format!("the page passes {MAX_LINES} lines here: split it into several pages")));
        }
        let depth = containers_opened(line);
        if depth > MAX_NESTING {
            return Some((offset, format!("this line nests {depth} block quotes or list items; at most {MAX_NESTING} are allowed")));
        }
        marks += line.bytes().filter(|b| b"[]*_>`~!<|\\#".contains(b)).count();
        if marks > MAX_MARKUP_CHARACTERS {
            return Some((offset, format!("the page passes {MAX_MARKUP_CHARACTERS} Markdown marks ([ ] * _ > ` ~ ! < | \\ #) here: split it into several pages")));
        }
        offset += line.len();
    }
    None
}

/// How many block quotes (`>`) and list items (`-`, `*`, `+`, `1.`, `1)` before a space) open at
/// the start of `line`: `> - > x` opens three.
fn containers_opened(line: &str) -> usize {
    let bytes = line.as_bytes();
    let (mut i, mut depth) = (0, 0);
    while i < bytes.len() {
        let spaced = |j: usize| matches!(bytes.get(j), Some(b' ' | b'\t'));
        match bytes[i] {
            b' ' | b'\t' => i += 1,
            b'>' => (depth, i) = (depth + 1, i + 1),
            b'-' | b'*' | b'+' if spaced(i + 1) => (depth, i) = (depth + 1, i + 2),
            b'0'..=b'9' => {
                let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                if matches!(bytes.get(i + digits), Some(b'.' | b')')) && spaced(i + digits + 1) {
                    (depth, i) = (depth + 1, i + digits + 2);
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    depth
}

/// A heading being read: its level, its written id, its inner events, its text, its line.
type OpenHeading<'a> = (u8, Option<String>, Vec<Event<'a>>, String, usize);

/// Renders `body`.
pub fn render(body: &str, opts: &BodyOptions) -> Rendered {
    // A space for a NUL keeps every byte offset (lines, shortcode ranges) where it was.
    let without_nul;
    let body = if body.contains('\0') {
        without_nul = body.replace('\0', " ");
        without_nul.as_str()
    } else {
        body
    };
    let mut out = Rendered::default();
    if let Some((at, why)) = too_deep_or_too_marked(body) {
        out.errors.push((LineIndex::new(body).line(at) + opts.line_offset, why));
        return out;
    }
    let mut used_ids = UsedIds::default();
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<OpenHeading> = None;
    let lines = LineIndex::new(body);
    let line_at = |offset: usize| lines.line(offset) + opts.line_offset;
    let mut html_checker = raw_html::Checker::default();
    // The line of the raw HTML that left a comment or a carried tag open, while one is.
    let mut opened_at: Option<usize> = None;

    let mut depth = 0usize;
    let mut in_image = 0usize;
    let mut search = SearchCut::default();

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match &event {
            Event::Start(tag) => {
                depth += 1;
                in_image += usize::from(matches!(tag, Tag::Image { .. }));
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                in_image -= usize::from(matches!(tag, TagEnd::Image));
            }
            _ => {}
        }
        let block_ended = depth == 0 && matches!(event, Event::End(_));
        let event = match event {
            // Image text is the image's alt attribute: nothing may be put inside it.
            Event::Text(_) | Event::Code(_) if in_image == 0 => {
                let (before, this, after) = search.text(event, || line_at(range.start));
                for e in before {
                    push(&mut heading, &mut events, e);
                }
                if let Some(e) = after {
                    if let Event::Text(ref t) | Event::Code(ref t) = this {
                        if let Some(h) = heading.as_mut() {
                            h.3.push_str(t);
                        }
                    }
                    push(&mut heading, &mut events, this);
                    push(&mut heading, &mut events, e);
                    continue;
                }
                this
            }
            other => other,
        };
        match event {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                let line = line_at(range.start);
                if out.headings.len() == MAX_HEADINGS {
                    out.errors.push((line, format!("the page passes {MAX_HEADINGS} headings here: each is a search result of its own, so split the page")));
                }
                if !classes.is_empty() || !attrs.is_empty() {
                    out.errors.push((line, "a heading takes only an id, as {#id}: classes and other attributes are not supported".into()));
                }
                if let Some(Err(why)) = id.as_deref().map(raw_html::safe_id) {
                    out.errors.push((line, format!("heading {why}")));
                }
                heading = Some((level as u8, id.map(|i| i.to_string()), Vec::new(), String::new(), line));
            }
            Event::End(TagEnd::Heading(_)) => {
                let (level, written, inner, text, line) = heading.take().expect("heading start");
                let text = text.trim().to_string();
                let id = match written {
                    Some(id) => {
                        if !used_ids.claim(&id) {
                            out.errors.push((line, format!("heading id `{id}` is written twice in this page: give each heading its own id")));
                        }
                        id
                    }
                    None => used_ids.unique(&slugify(&text)),
                };
                let mut inner_html = String::new();
                pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                events.push(Event::Html(CowStr::from(heading_marker(out.headings.len()))));
                out.headings.push(Heading { level, id, line, title: text, inner_html });
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let line = line_at(range.start);
                if let Err(why) = raw_html::safe_url(&dest_url) {
                    out.errors.push((line, format!("link: {why}")));
                }
                let href = rewrite_href(&dest_url, opts.source_dir);
                out.links.push(Link { href: href.clone(), line });
                push(&mut heading, &mut events, Event::Start(Tag::Link { link_type, dest_url: href.into(), title, id }));
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                if let Err(why) = raw_html::safe_url(dest_url).and_then(|()| raw_html::image_url(dest_url)) {
                    out.errors.push((line_at(range.start), format!("image: {why}")));
                }
                push(&mut heading, &mut events, event);
            }
            // A footnote's id is its label with `fn-` before it, so `[^note]` does not take the
            // id of a heading `{#note}`; it is claimed with the raw HTML's ids, a clash an error.
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let id = format!("{FOOTNOTE_ID_PREFIX}{label}");
                out.raw_ids.push((line_at(range.start), id.clone()));
                push(&mut heading, &mut events, Event::Start(Tag::FootnoteDefinition(id.into())));
            }
            Event::FootnoteReference(label) => push(&mut heading, &mut events, Event::FootnoteReference(format!("{FOOTNOTE_ID_PREFIX}{label}").into())),
            Event::Start(Tag::Table(_)) => {
                events.push(Event::Html("<div class=\"table-wrap\">".into()));
                events.push(event);
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                events.push(Event::Html("</div>".into()));
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                // What is checked is the HTML as it is written out (the event's text), not the
                // source: the source of a tag split over block-quote lines still holds the `> `
                // markers the browser never sees. An event wholly written by a shortcode is the
                // templates' HTML; one that mixes shortcode output with the author's is checked
                // whole, since the browser reads the two as one tag or comment.
                let authored_pieces: Vec<Range<usize>> =
                    authored(range.clone(), opts.generated).into_iter().filter(|p| !body[p.clone()].trim().is_empty()).collect();
                if !authored_pieces.is_empty() {
                    let line = line_at(authored_pieces[0].start);
                    if let Err(why) = html_checker.check(html) {
                        out.errors.push((line, why));
                    }
                    opened_at = if html_checker.is_open() { opened_at.or(Some(line)) } else { None };
                    for id in html_checker.ids.drain(..) {
                        out.raw_ids.push((line, id));
                    }
                    // The author's links as the browser reads them (`HREF='…'`, `&Tab;` decoded).
                    for href in html_checker.links.drain(..) {
                        out.links.push(Link { href, line });
                    }
                } else if html.contains("href=\"") {
                    // The templates' HTML (a shortcode's), which writes `href="…"`.
                    let line = line_at(range.start);
                    for href in html_hrefs(html) {
                        out.links.push(Link { href: href.to_string(), line });
                    }
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
        if block_ended {
            events.extend(search.block_ended());
        }
    }
    events.extend(search.finish());
    if let (Some(line), Err(why)) = (opened_at, html_checker.finish()) {
        out.errors.push((line, why));
    }
    out.search_cut_at_line = search.line;
    for (line, id) in &out.raw_ids {
        if !used_ids.claim(id) {
            out.errors.push((*line, format!("the id `{id}` is already used in this page (by a heading or another element): give each its own id")));
        }
    }
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out
}

/// Keeps the search index to the first [`SEARCHABLE_TEXT_PER_PAGE`] bytes of a page's text: the text
/// event that crosses the limit is cut at a sentence end, the text after it up to the end of the
/// block goes into ignored spans, and every later block into one ignored `<div>`.
#[derive(Debug, Default)]
struct SearchCut {
    text_bytes: usize,
    state: CutState,
    /// The file line of the cut.
    line: Option<usize>,
}

#[derive(Debug, Default, PartialEq)]
enum CutState {
    #[default]
    Indexed,
    /// Past the limit, inside the block where it was crossed.
    Spans,
    /// Past the limit, in the ignored `<div>`.
    Div,
}

const IGNORED_SPAN: &str = "<span data-search-ignore=\"all\">";

impl SearchCut {
    /// A text or code event as events to push: those before it, the event, and one after it when it
    /// is wrapped (the caller pushes `this` and then `after`).
    fn text<'a>(&mut self, event: Event<'a>, line: impl Fn() -> usize) -> (Vec<Event<'a>>, Event<'a>, Option<Event<'a>>) {
        let len = match &event {
            Event::Text(t) | Event::Code(t) => t.len(),
            _ => 0,
        };
        let room = SEARCHABLE_TEXT_PER_PAGE.saturating_sub(self.text_bytes);
        self.text_bytes += len;
        match self.state {
            CutState::Div => (Vec::new(), event, None),
            CutState::Spans => (vec![Event::Html(IGNORED_SPAN.into())], event, Some(Event::Html("</span>".into()))),
            CutState::Indexed if len <= room => (Vec::new(), event, None),
            CutState::Indexed => {
                self.state = CutState::Spans;
                self.line = Some(line());
                match event {
                    Event::Text(t) => {
                        let at = sentence_end_before(&t, room);
                        let (kept, rest) = t.split_at(at);
                        (
                            vec![Event::Text(kept.to_string().into()), Event::Html(IGNORED_SPAN.into())],
                            Event::Text(rest.to_string().into()),
                            Some(Event::Html("</span>".into())),
                        )
                    }
                    other => (vec![Event::Html(IGNORED_SPAN.into())], other, Some(Event::Html("</span>".into()))),
                }
            }
        }
    }

    /// A top-level block has ended: past the limit, the rest of the page goes into the ignored div.
    fn block_ended(&mut self) -> Option<Event<'static>> {
        (self.state == CutState::Spans).then(|| {
            self.state = CutState::Div;
            Event::Html("<div data-search-ignore=\"all\">\n".into())
        })
    }

    fn finish(&self) -> Option<Event<'static>> {
        (self.state == CutState::Div).then(|| Event::Html("</div>\n".into()))
    }
}

/// The byte offset just after the last sentence end (or space) at or before `limit` in `text`, else
/// the character boundary at `limit`.
fn sentence_end_before(text: &str, limit: usize) -> usize {
    let mut boundary = 0;
    let mut sentence = None;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if end > limit {
            break;
        }
        boundary = end;
        if matches!(c, '。' | '！' | '？' | '；' | '.' | '!' | '?' | ';' | '\n') || c.is_whitespace() {
            sentence = Some(end);
        }
    }
    sentence.unwrap_or(boundary)
}

/// The parts of `range` that the author wrote: `range` split at every shortcode output inside it
/// (also an empty one, so text on either side of a call is never read as one tag).
fn authored(range: Range<usize>, generated: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let mut start = range.start;
    let first = generated.partition_point(|g| g.end < range.start);
    for g in generated[first..].iter().take_while(|g| g.start <= range.end) {
        if g.start > start {
            pieces.push(start..g.start.min(range.end));
        }
        start = start.max(g.end);
    }
    if start < range.end {
        pieces.push(start..range.end);
    }
    pieces
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
    let path = paths::decode_path(path);
    let joined = if let Some(abs) = path.strip_prefix('/') {
        abs.to_string()
    } else {
        paths::normalise(&format!("{source_dir}/{path}"))
    };
    let mut url = paths::encode_path(&paths::url_for_source(&joined));
    if let Some(a) = anchor {
        url.push('#');
        url.push_str(a);
    }
    url
}

/// An id from heading text: letters and digits of any script kept (lower-cased where they have
/// case, so Chinese stays as written), every run of anything else as one `-`.
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

/// The ids a page has given out, and for each generated base the next number to try, so that a
/// page of thousands of headings with the same text gets its ids in linear time.
#[derive(Debug, Default)]
struct UsedIds {
    used: HashSet<String>,
    next_number: std::collections::HashMap<String, usize>,
}

impl UsedIds {
    /// Takes `id` as written by hand; false if the page already uses it.
    fn claim(&mut self, id: &str) -> bool {
        self.used.insert(id.to_string())
    }

    /// `base`, or `base-1`, `base-2`, … the first the page does not use yet.
    fn unique(&mut self, base: &str) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.next_number.entry(base.to_string()).or_insert(1);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// Text for a double-quoted attribute value (`&`, `<`, `>` and `"` escaped), by html-escape.
pub fn escape_attr(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(body: &str) -> Rendered {
        render(body, &BodyOptions { source_dir: "guides", ..Default::default() })
    }

    const PAGE: HeadingStyle = HeadingStyle { shift: 0, id_prefix: "", link_label: "本节链接" };

    fn html(out: &Rendered) -> String {
        write_html(&out.html, &out.headings, PAGE)
    }

    #[test]
    fn written_ids_are_kept_and_others_generated_unique() {
        let out = r("## 忘记备案密码 {#password-lost}\n\n## 材料\n\n## 材料\n");
        let ids: Vec<_> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["password-lost", "材料", "材料-1"]);
        assert!(html(&out).contains("<h2 id=\"password-lost\">忘记备案密码 <a class=\"anchor\" href=\"#password-lost\""));
    }

    #[test]
    fn an_id_written_twice_is_an_error_with_its_line() {
        let out = render("## A {#x}\n\n## B {#x}\n", &BodyOptions { line_offset: 4, ..Default::default() });
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].0, 7);
    }

    #[test]
    fn an_entry_s_links_to_its_own_headings_follow_the_prefix_on_the_collection_page_regression() {
        // /codes/ showed 1016's `[怎么改](#fix)` as href="#fix", an id only the entry's own page has.
        let out = r("## 含义 {#meaning}\n\n见[怎么改](#fix)，或[别页](/x/#fix)、[脚注](#fn-1)。\n\n## 怎么改 {#fix}\n\n步骤。\n");
        let entry = write_html(&out.html, &out.headings, HeadingStyle { shift: 1, id_prefix: "1016-", link_label: "本节链接" });
        assert!(entry.contains("href=\"#1016-fix\">怎么改"), "{entry}");
        assert!(entry.contains("href=\"/x/#fix\""), "{entry}");
        assert!(entry.contains("href=\"#fn-1\""), "{entry}");
        let page = write_html(&out.html, &out.headings, PAGE);
        assert!(page.contains("href=\"#fix\">怎么改"), "{page}");
    }

    #[test]
    fn shift_and_prefix_for_entries_from_one_rendering() {
        let out = r("前言\n\n## 步骤 {#steps}\n\n正文\n");
        let entry = write_html(&out.html, &out.headings, HeadingStyle { shift: 1, id_prefix: "faq1-", link_label: "本节链接" });
        assert!(entry.contains("<p>前言</p>\n<h3 id=\"faq1-steps\">步骤 <a class=\"anchor\" href=\"#faq1-steps\""), "{entry}");
        assert!(entry.ends_with("<p>正文</p>\n"));
        assert!(html(&out).contains("<h2 id=\"steps\">"));
        assert!(!entry.contains('\u{0}') && !html(&out).contains('\u{0}'));
    }

    #[test]
    fn md_links_become_site_paths_and_are_reported_with_lines() {
        let out = r("a\n\n[x](../faq/password-lost.md#y) [c](/codes/1015/)\n");
        assert_eq!(out.links[0], Link { href: "/faq/password-lost/#y".into(), line: 3 });
        assert_eq!(out.links[1].href, "/codes/1015/");
        assert!(html(&out).contains("href=\"/faq/password-lost/#y\""));
    }

    #[test]
    fn links_to_files_with_spaces_are_escaped() {
        let out = r("[a](<my page.md>) [b](my%20page.md#x)\n");
        assert_eq!(out.links[0].href, "/guides/my%20page/");
        assert_eq!(out.links[1].href, "/guides/my%20page/#x");
    }

    #[test]
    fn unsafe_html_links_and_ids_are_errors_with_their_lines() {
        let out = r("a\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n## t {#a\"onmouseover=\"alert(5)}\n\n![i](data:image/png,x)\n");
        let lines: Vec<usize> = out.errors.iter().map(|e| e.0).collect();
        assert_eq!(lines, [3, 5, 7, 9], "{:?}", out.errors);
        assert!(!html(&out).contains("onmouseover=\"alert"));
    }

    #[test]
    fn shortcode_output_is_not_the_authors_html() {
        let body = "<kbd>x</kbd> <form>\n";
        let out = render(body, &BodyOptions { generated: &[13..19], ..Default::default() });
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        // `<scr{{ empty() }}ipt>`: the call wrote nothing, and the two halves are not one tag.
        let joined = "<script>alert(1)</script>\n";
        let out = render(joined, &BodyOptions { generated: &[4..4], ..Default::default() });
        assert!(!out.errors.is_empty(), "text around a shortcode is never read as one tag");
    }

    #[test]
    fn a_large_page_renders_in_linear_time() {
        // Just under the line limit (MAX_LINES).
        let body = "段落，有一个[链接](/faq/)。\n\n".repeat(24_000);
        let start = std::time::Instant::now();
        let out = r(&body);
        assert_eq!(out.links.len(), 24_000);
        assert_eq!(out.links[23_999].line, 47_999);
        assert!(start.elapsed() < std::time::Duration::from_secs(20), "quadratic counting took minutes here");
    }

    #[test]
    fn the_search_index_reads_a_bounded_part_of_a_huge_page() {
        let para = "备案需要准备主体证件和负责人证件。\n\n";
        let small = r(&para.repeat(100));
        assert_eq!(small.search_cut_at_line, None);
        assert!(!small.html.contains("data-search-ignore=\"all\""));
        let huge = r(&para.repeat(SEARCHABLE_TEXT_PER_PAGE / para.len() * 2));
        let line = huge.search_cut_at_line.expect("cut");
        assert!(line > 1000 && line % 2 == 1, "cut after a whole paragraph, at line {line}");
        assert!(huge.html.contains("</p>\n<div data-search-ignore=\"all\">\n<p>"));
        assert!(huge.html.ends_with("</div>\n"));
    }

    #[test]
    fn one_huge_paragraph_is_cut_at_a_sentence_end() {
        let sentence = "备案需要准备主体证件。";
        let body = format!("{}\n\n后面一段。\n", sentence.repeat(SEARCHABLE_TEXT_PER_PAGE / sentence.len() + 100));
        let out = r(&body);
        assert_eq!(out.search_cut_at_line, Some(1));
        let cut = out.html.find(IGNORED_SPAN).expect("a span");
        assert!(out.html[..cut].ends_with('。'), "cut after a sentence");
        assert!(cut - "<p>".len() <= SEARCHABLE_TEXT_PER_PAGE);
        assert!(out.html.contains("</span></p>\n<div data-search-ignore=\"all\">\n<p>后面一段。</p>\n</div>\n"));
        assert_eq!(sentence_end_before("一二。三四", 9), 9);
        assert_eq!(sentence_end_before("一二三四", 7), 6, "a character boundary when no sentence ends");
    }

    #[test]
    fn tables_footnotes_strikethrough() {
        let out = r("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~[^1]\n\n[^1]: n\n");
        assert!(out.html.contains("<div class=\"table-wrap\"><table>"));
        assert!(out.html.contains("<del>x</del>"));
        assert!(out.html.contains("footnote"));
    }

    #[test]
    fn a_footnote_does_not_take_a_headings_id_regression() {
        let out = r("## 说明 {#note}\n\n正文[^note]\n\n[^note]: 注\n");
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert!(out.html.contains("href=\"#fn-note\"") && out.html.contains("id=\"fn-note\""), "{}", out.html);
        let out = r("## 说明 {#fn-note}\n\n正文[^note]\n\n[^note]: 注\n");
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
        assert!(out.errors[0].1.contains("`fn-note`"), "{:?}", out.errors);
    }

    #[test]
    fn nesting_is_counted_at_the_start_of_a_line() {
        assert_eq!(containers_opened("> - > x"), 3);
        assert_eq!(containers_opened("1. 2) - x"), 3);
        assert_eq!(containers_opened("---------- a rule, not a list"), 0);
        assert_eq!(containers_opened("**bold**"), 0);
        let deep = format!("{}x\n", "> ".repeat(MAX_NESTING + 1));
        assert!(too_deep_or_too_marked(&deep).is_some());
        assert!(too_deep_or_too_marked(&format!("{}x\n", "> ".repeat(MAX_NESTING))).is_none());
    }

    #[test]
    fn thousands_of_same_headings_get_unique_ids_in_linear_time() {
        let body = "## 标题\n\n".repeat(20_000);
        let out = render(&body, &BodyOptions::default());
        let ids: HashSet<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids.len(), 20_000);
        assert_eq!(out.headings[19_999].id, "标题-19999");
    }

    #[test]
    fn slugify_keeps_chinese() {
        assert_eq!(slugify("首次备案 Step 1!"), "首次备案-step-1");
        assert_eq!(slugify("？"), "section");
    }
}
