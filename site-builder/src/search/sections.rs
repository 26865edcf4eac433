//! A rendered page as search sections: the page itself (its `<h1>` and the text before the first
//! heading) and every `<h2 id>`/`<h3 id>` with the text up to the next heading, so a result can
//! link to the heading that answers. Only `<article data-search-body>` counts; anything marked
//! `data-search-ignore` (heading links, a very large page's rest), the page's table of contents
//! and its date line are left out: they would make every page match its own headings' words. The
//! two markers keep the names Pagefind gave them (templates, `markdown.rs` and `site.js` write and
//! read them); this indexer is now the only reader besides `site.js`.

use std::cell::RefCell;
use std::rc::Rc;

use lol_html::{doc_text, element, EndTagHandler, HtmlRewriter, Settings};

/// An end-tag handler that runs `f`.
fn at_end(f: impl FnOnce() + 'static) -> EndTagHandler<'static> {
    Box::new(move |_| {
        f();
        Ok(())
    })
}

/// One searchable part of a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    /// The page's address, with `#id` for a heading.
    pub url: String,
    /// The heading (or the page title, for the page itself).
    pub title: String,
    /// The page title, for a heading; empty for the page itself.
    pub page: String,
    /// For an `<h3>`, the `<h2>` above it (操作步骤 above 注销主体); else empty. Part of the
    /// section's name, as documentation searches read a heading under its parents: 注销主体的步骤
    /// finds 操作步骤 › 注销主体 rather than 操作步骤.
    pub parent: String,
    pub body: String,
    /// The text of links to elsewhere (a "related" list, a term linked in a sentence): it names
    /// another page's subject, so it weighs less than the section's own words.
    pub links: String,
    /// The first paragraph, as plain text: what "copy answer" pastes.
    pub first: String,
    /// How customers ask what this section answers (front matter `asked`, `[asked_at]`), one
    /// phrase a line: question text, from `<template data-asked>` blocks (`crate::asked`).
    pub asked: String,
    /// What kind of page it is part of, from `<article data-search-kind>`: `tool` (a form that
    /// checks, chooses, lists or looks up), `definition` (the glossary), or empty.
    pub kind: String,
}

#[derive(Default)]
struct State {
    sections: Vec<Section>,
    in_body: usize,
    ignored: usize,
    in_heading: bool,
    in_first: bool,
    in_link: usize,
    page_title: String,
    /// The last `<h2>`'s text: the parent of the `<h3>`s that follow it.
    h2_title: String,
    /// Inside a `<template data-asked>`: the number of the section it belongs to (if the page has it).
    asked_for: Option<Option<usize>>,
    /// Each section's number by its address (the first section of an address): an asked-as block
    /// finds its section once, not by a search of every section per phrase.
    by_url: std::collections::HashMap<String, usize>,
    /// The article's `data-search-kind`.
    kind: String,
}

impl State {
    fn current(&mut self) -> Option<&mut Section> {
        self.sections.last_mut()
    }
}

/// The sections of one page at `url` (`/guides/x/`).
pub fn sections(url: &str, html: &str) -> Vec<Section> {
    let state = Rc::new(RefCell::new(State::default()));
    let (s1, s2, s3, s4, s5, s6, s7, s8) = (state.clone(), state.clone(), state.clone(), state.clone(), state.clone(), state.clone(), state.clone(), state.clone());
    let url = url.to_string();
    let page_url = url.clone();
    let mut rewriter = HtmlRewriter::new(
        Settings::new()
            .append_element_content_handler(element!("article[data-search-body]", move |el| {
                    let mut st = s1.borrow_mut();
                    st.in_body += 1;
                    if let Some(kind) = el.get_attribute("data-search-kind") {
                        st.kind = kind;
                    }
                    drop(st);
                    let s = s1.clone();
                    el.on_end_tag(at_end(move || {
                        s.borrow_mut().in_body -= 1;
                    }))?;
                    Ok(())
                }))
            .append_element_content_handler(element!("[data-search-ignore], nav, p.updated, p.entry-of", move |el| {
                    if el.can_have_content() {
                        s2.borrow_mut().ignored += 1;
                        let s = s2.clone();
                        el.on_end_tag(at_end(move || {
                            s.borrow_mut().ignored -= 1;
                        }))?;
                    }
                    Ok(())
                }))
            .append_element_content_handler(element!("h1, h2[id], h3[id]", move |el| {
                    let mut st = s3.borrow_mut();
                    if st.in_body == 0 || st.ignored > 0 {
                        return Ok(());
                    }
                    let top = el.tag_name() == "h1";
                    let sub = el.tag_name() == "h3";
                    let page = st.page_title.clone();
                    // At most as long as a title: the parent is indexed again with every <h3> under
                    // it, so a 20,000-character <h2> over 999 <h3>s wrote 420 MB of index.
                    let parent = if sub { st.h2_title.chars().take(crate::check::MAX_TITLE_CHARS).collect() } else { String::new() };
                    let address = if top { url.clone() } else { format!("{url}#{}", el.get_attribute("id").unwrap_or_default()) };
                    let number = st.sections.len();
                    st.by_url.entry(address.clone()).or_insert(number);
                    st.sections.push(Section { url: address, page: if top { String::new() } else { page }, parent, ..Section::default() });
                    if !sub {
                        st.h2_title.clear();
                    }
                    st.in_heading = true;
                    let s = s3.clone();
                    el.on_end_tag(at_end(move || {
                        let mut st = s.borrow_mut();
                        st.in_heading = false;
                        if let Some(sec) = st.sections.last_mut() {
                            sec.title = sec.title.split_whitespace().collect::<Vec<_>>().join(" ");
                            let t = sec.title.clone();
                            if sec.page.is_empty() {
                                st.page_title = t;
                            } else if !sub {
                                st.h2_title = t;
                            }
                        }
                    }))?;
                    Ok(())
                }))
            .append_element_content_handler(element!("template[data-asked]", move |el| {
                    let mut st = s8.borrow_mut();
                    if st.in_body == 0 || st.ignored > 0 {
                        return Ok(());
                    }
                    let id = el.get_attribute("data-asked").unwrap_or_default();
                    let target = if id.is_empty() { page_url.clone() } else { format!("{page_url}#{id}") };
                    st.asked_for = Some(st.by_url.get(&target).copied());
                    let s = s8.clone();
                    el.on_end_tag(at_end(move || {
                        s.borrow_mut().asked_for = None;
                    }))?;
                    Ok(())
                }))
            .append_element_content_handler(element!("p, li, td, th, dd, dt, blockquote, pre", move |el| {
                    let mut st = s4.borrow_mut();
                    if let Some(target) = st.asked_for {
                        if let Some(sec) = target.and_then(|n| st.sections.get_mut(n)) {
                            sec.asked.push('\n');
                        }
                        return Ok(());
                    }
                    if let Some(sec) = st.current() {
                        sec.body.push(' ');
                    }
                    let wants_first = el.tag_name() == "p" && st.in_body > 0 && st.ignored == 0 && st.current().is_some_and(|s| s.first.is_empty());
                    if wants_first {
                        st.in_first = true;
                        let s = s4.clone();
                        el.on_end_tag(at_end(move || {
                            s.borrow_mut().in_first = false;
                        }))?;
                    }
                    Ok(())
                }))
            .append_element_content_handler(element!("a[href]", move |el| {
                    let mut st = s7.borrow_mut();
                    st.in_link += 1;
                    if let Some(sec) = st.current() {
                        sec.links.push(' ');
                        sec.body.push(' ');
                    }
                    let s = s7.clone();
                    el.on_end_tag(at_end(move || {
                        let mut st = s.borrow_mut();
                        st.in_link -= 1;
                        if let Some(sec) = st.current() {
                            sec.body.push(' ');
                        }
                    }))?;
                    Ok(())
                }))
            .append_document_content_handler(doc_text!(move |t| {
                let mut st = s5.borrow_mut();
                if st.in_body == 0 || st.ignored > 0 {
                    return Ok(());
                }
                let text = decode(t.as_str());
                if let Some(target) = st.asked_for {
                    if let Some(sec) = target.and_then(|n| st.sections.get_mut(n)) {
                        sec.asked.push_str(&text);
                    }
                    return Ok(());
                }
                let (heading, first, link) = (st.in_heading, st.in_first, st.in_link > 0);
                if let Some(sec) = st.current() {
                    if heading {
                        sec.title.push_str(&text);
                    } else {
                        if link {
                            sec.links.push_str(&text);
                        } else {
                            sec.body.push_str(&text);
                        }
                        if first {
                            sec.first.push_str(&text);
                        }
                    }
                }
                Ok(())
            })),
        |_: &[u8]| {},
    );
    // The builder's own pages are well-formed; a page lol_html cannot read simply has no sections.
    if rewriter.write(html.as_bytes()).is_err() || rewriter.end().is_err() {
        return Vec::new();
    }
    let mut out = std::mem::take(&mut s6.borrow_mut().sections);
    let kind = s6.borrow().kind.clone();
    for s in &mut out {
        s.kind = kind.clone();
        s.first = s.first.split_whitespace().collect::<Vec<_>>().join(" ");
        s.asked = s.asked.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n");
    }
    out
}

/// The character references our templates and Markdown renderer write.
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| match &rest[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "nbsp" => Some(' '),
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16).ok().and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_become_sections_and_ignored_parts_are_left_out() {
        let html = r##"<nav>导航</nav><article data-search-body><h1>什么是 A&amp;B？</h1><p class="updated">最后更新</p>
<nav class="toc"><a href="#x">目录里的字</a></nav><p>开头一段。</p><p>第二段，见<a href="/b/">别页</a></p>
<h2 id="x">第一节 <a class="anchor" href="#x" data-search-ignore>#</a></h2><p>正文<br>一</p><ul><li>条目</li></ul>
<h3 id="y">小节</h3><p>小节正文</p><div data-search-ignore="all"><p>不要</p></div></article><p>页外</p>"##;
        let s = sections("/a/", html);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!((s[0].url.as_str(), s[0].title.as_str(), s[0].page.as_str()), ("/a/", "什么是 A&B？", ""));
        assert_eq!(s[0].first, "开头一段。");
        assert!(!s[0].body.contains("目录") && !s[0].body.contains("最后更新") && s[0].body.contains("第二段"));
        assert!(!s[0].body.contains("别页") && s[0].links.contains("别页"), "link text is its own field: {:?}", s[0]);
        assert_eq!((s[1].url.as_str(), s[1].title.as_str(), s[1].page.as_str()), ("/a/#x", "第一节", "什么是 A&B？"));
        assert!(s[1].body.contains("条目"));
        assert_eq!(s[2].url, "/a/#y");
        assert!(!s[2].body.contains("不要") && !s[2].body.contains("页外"));
    }

    #[test]
    fn an_h3_is_named_with_the_h2_above_it() {
        let html = r##"<article data-search-body><h1>注销</h1><p>a</p><h2 id="steps">操作步骤</h2><p>b</p><h3 id="subject">注销主体</h3><p>c</p><h2 id="after">之后</h2><h3 id="x">再看</h3></article>"##;
        let s = sections("/c/", html);
        let parents: Vec<(&str, &str)> = s.iter().map(|s| (s.url.as_str(), s.parent.as_str())).collect();
        assert_eq!(parents, [("/c/", ""), ("/c/#steps", ""), ("/c/#subject", "操作步骤"), ("/c/#after", ""), ("/c/#x", "之后")]);
    }

    /// Red-team 7, F1: a long <h2> was indexed again, whole, with every <h3> under it.
    #[test]
    fn an_h3_s_parent_name_is_cut_to_a_title_s_length_regression() {
        let long = "长".repeat(5_000);
        let html = format!(r##"<article data-search-body><h1>页</h1><h2 id="a">{long}</h2>{}</article>"##, (0..3).map(|i| format!(r#"<h3 id="b{i}">小{i}</h3>"#)).collect::<String>());
        let s = sections("/p/", &html);
        assert_eq!(s.len(), 5);
        assert!(s[2..].iter().all(|s| s.parent.chars().count() == crate::check::MAX_TITLE_CHARS), "{:?}", s[2].parent.len());
    }

    #[test]
    fn asked_as_blocks_go_to_their_section_and_nowhere_else() {
        let html = r##"<article data-search-body><h1>页</h1><h2 id="x">第一节</h2><p>正文</p>
<template data-asked=""><p>整页的问法</p></template><template data-asked="x"><p>一种问法</p><p>另一种 &amp; 问法</p></template></article>"##;
        let s = sections("/a/", html);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].asked, "整页的问法");
        assert_eq!(s[1].asked, "一种问法\n另一种 & 问法");
        assert_eq!(s[1].body.trim(), "正文");
        assert_eq!(s[0].first, "");
        assert_eq!(s[0].kind, "");
        let tool = sections("/t/", r#"<article data-search-body data-search-kind="tool"><h1>工具</h1><h2 id="a">一节</h2></article>"#);
        assert!(tool.iter().all(|s| s.kind == "tool"), "{tool:?}");
    }

    #[test]
    fn references_are_decoded() {
        assert_eq!(decode("a&amp;b &#x27;c&#39; &lt;&gt; &bogus"), "a&b 'c' <> &bogus");
    }
}
