//! Fuzzes the Markdown-to-HTML path with the raw-HTML allow-list (proptest): random pages made of
//! the pieces attacks are made of (comments a browser ends early, character references, NUL,
//! scripts, event handlers, blocked schemes, Markdown links) either fail with an error or render to
//! HTML that a real HTML tokenizer (lol_html, which reads as a browser does) finds only allowed
//! elements, attributes and URL schemes in. The number of cases is fixed, so the run is bounded
//! (about a second in the test build); `PROPTEST_CASES=100000` runs longer.

use std::cell::RefCell;

use lol_html::{element, rewrite_str, RewriteStrSettings};
use proptest::prelude::*;
use site_builder::markdown::{render, write_html, BodyOptions, HeadingStyle};
use site_builder::raw_html::{safe_url, ALLOWED_TAGS, GLOBAL_ATTRIBUTES};

/// What attacks are made of, and plain Markdown around them.
const PIECES: &[&str] = &[
    "<", ">", "</", "/>", "<!--", "-->", "<!-->", "<!--->", "--!>", "-", "!", "<!", "\"", "'", "=", " ", "\n", "\n\n", "\t", "\0",
    "script", "meta", "img", "a", "span", "div", "iframe", "svg", "style", "kbd", "details",
    " href=", " src=", " onerror=", " onclick=", " id=", " title=", " class=", " http-equiv=\"refresh\"", " content=\"0;url=//evil\"",
    "javascript:", "JaVaScRiPt:", "java\tscript:", "data:", "vbscript:", "&colon;", "&#106;", "&#x6a;", "&Tab;", "&NewLine;", "&amp;", "&lt;",
    "alert(1)", "/x", "https://example.com/", "#h", "{#h}",
    "[x](", ")", "![y](", "`", "*", "_", "# ", "## ", "> ", "- ", "1. ", "|", "---",
    "正文", "标题", "x",
];

/// Elements pulldown-cmark itself writes, beside the author's allowed ones.
const MARKDOWN_TAGS: &[&str] =
    &["p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "ul", "ol", "li", "blockquote", "pre", "code", "em", "strong", "del", "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "div", "sup", "section", "span"];
/// Attributes pulldown-cmark and the heading writer use, beside the author's allowed ones.
const MARKDOWN_ATTRIBUTES: &[&str] = &["href", "src", "alt", "title", "id", "class", "start", "aria-label", "data-search-ignore", "data-footnote-backref", "style"];

fn page() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 1..40).prop_map(|pieces| pieces.concat())
}

/// Every (element, attribute, value) the browser would see in `html`.
fn elements(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let found = RefCell::new(Vec::new());
    let settings = RewriteStrSettings::new().append_element_content_handler(element!("*", |el| {
        let attributes = el.attributes().iter().map(|a| (a.name(), a.value())).collect();
        found.borrow_mut().push((el.tag_name(), attributes));
        Ok(())
    }));
    rewrite_str(html, settings).expect("lol_html reads any text");
    found.into_inner()
}

fn allowed_tag(tag: &str) -> bool {
    MARKDOWN_TAGS.contains(&tag) || ALLOWED_TAGS.iter().any(|(t, _)| *t == tag)
}

fn allowed_attribute(tag: &str, name: &str, value: &str) -> bool {
    let listed = GLOBAL_ATTRIBUTES.contains(&name)
        || MARKDOWN_ATTRIBUTES.contains(&name)
        || ALLOWED_TAGS.iter().any(|(t, names)| *t == tag && names.contains(&name));
    // pulldown-cmark writes table alignment as a style; nothing else may carry one.
    let style_ok = name != "style" || (matches!(tag, "th" | "td") && value.starts_with("text-align:"));
    listed && style_ok && !name.starts_with("on")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn rendered_pages_hold_only_allowed_markup(body in page()) {
        let out = render(&body, &BodyOptions::default());
        if out.errors.is_empty() {
            let html = write_html(&out.html, &out.headings, HeadingStyle { shift: 0, id_prefix: "", link_label: "本节链接" });
            prop_assert!(!html.contains('\0'), "a NUL in {html:?}");
            for (tag, attributes) in elements(&html) {
                prop_assert!(allowed_tag(&tag), "<{}> in {:?} from {:?}", tag, html, body);
                for (name, value) in attributes {
                    prop_assert!(allowed_attribute(&tag, &name, &value), "{}={:?} on <{}> in {:?} from {:?}", name, value, tag, html, body);
                    if name == "href" || name == "src" {
                        // lol_html gives the value as written; the browser decodes references first.
                        let decoded = html_escape::decode_html_entities(&value);
                        prop_assert!(safe_url(&decoded).is_ok(), "{}={:?} on <{}> from {:?}", name, value, tag, body);
                    }
                }
            }
        }
    }
}
