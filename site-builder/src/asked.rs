//! "Also asked as": the ways customers put the question a page or a heading answers, in
//! their words and their situations, written in front matter (`asked = ["…"]` for the page itself,
//! `[asked_at]` with `heading-id = ["…"]` for a guide's sections). They are not shown: the page
//! carries them in `<template data-asked="ID">` elements (inert, never displayed), and the search
//! index reads them as the section's question text ([`crate::search::sections`]).
//!
//! `check` refuses an empty list or phrase, a heading id the page does not have, and a phrase
//! written for two places (two pages, or two headings of one page): a phrasing leads to one answer.

use std::collections::{HashMap, HashSet};

use crate::bodies::Body;
use crate::error::{ContentError, ContentErrors};
use crate::load::Sources;

/// The attribute marking an asked-as block; its value is the heading id, empty for the page.
pub const ATTRIBUTE: &str = "data-asked";

/// A phrase as compared for duplicates: NFKC, lower case, letters and digits only.
fn key(phrase: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    phrase.nfkc().collect::<String>().to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The file lines of the phrases: each phrase's line is that of its first quoted occurrence in the
/// front matter (else its key's), found in one pass over the front matter instead of one search per
/// phrase (quadratic in a page of thousands of phrases).
struct Lines<'a> {
    quoted: crate::error::QuotedStrings<'a>,
    lines: crate::error::LineIndex,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let end = text.match_indices("\n+++").next().map_or(text.len(), |(i, _)| i);
        Lines { quoted: crate::error::QuotedStrings::new(&text[..end]), lines: crate::error::LineIndex::new(&text[..end]) }
    }

    /// The file line of `phrase`, else `fallback`.
    fn of(&self, phrase: &str, fallback: Option<usize>) -> Option<usize> {
        self.quoted.find(phrase).map(|at| self.lines.line(at)).or(fallback)
    }
}

/// The checks above, with file and line.
pub fn check(sources: &Sources, bodies: &[Body], errors: &mut ContentErrors) {
    let mut seen: HashMap<String, (usize, String)> = HashMap::new();
    for (i, p) in sources.content.pages.iter().enumerate() {
        if p.front.asked.is_empty() && p.front.asked_at.is_empty() {
            continue;
        }
        let text = crate::read::text(&sources.root.join(&p.file)).unwrap_or_default();
        let phrase_lines = Lines::new(&text);
        let key_lines: HashMap<&str, usize> = p.key_lines.iter().rev().map(|(k, l)| (k.as_str(), *l)).collect();
        let line_of_key = |key: &str| key_lines.get(key).copied();
        let heading_ids: HashSet<&str> = bodies[i].headings.iter().map(|h| h.id.as_str()).collect();
        // A body that failed to render has no headings: its own error says why, and its ids are not
        // checked against nothing.
        let body_failed = bodies[i].headings.is_empty() && errors.0.iter().any(|e| e.file == p.file);
        let mut places: Vec<(String, &Vec<String>, Option<usize>)> = Vec::new();
        if line_of_key("asked").is_some() {
            places.push((String::new(), &p.front.asked, line_of_key("asked")));
        }
        for (id, phrases) in &p.front.asked_at {
            let line = line_of_key(id).or_else(|| line_of_key("asked_at"));
            if !body_failed && !heading_ids.contains(id.as_str()) {
                errors.push(ContentError::new(&p.file, line, format!("[asked_at] names the heading id `{id}`, which this page does not have: use the id written after a heading ({{#id}})")));
            }
            places.push((id.clone(), phrases, line));
        }
        for (id, phrases, line) in places {
            let place = if id.is_empty() { p.url.clone() } else { format!("{}#{id}", p.url) };
            if phrases.is_empty() {
                errors.push(ContentError::new(&p.file, line, format!("the asked-as list for {place} is empty: write the ways customers ask it, or remove the key")));
            }
            for phrase in phrases {
                let k = key(phrase);
                let at = phrase_lines.of(phrase, line);
                if k.is_empty() {
                    errors.push(ContentError::new(&p.file, at, format!("an asked-as phrase for {place} is empty: write how a customer asks it, or remove it")));
                    continue;
                }
                match seen.get(&k) {
                    Some((j, other)) => {
                        let other_file = sources.content.pages[*j].file.display();
                        errors.push(ContentError::new(&p.file, at, format!("the asked-as phrase “{phrase}” is also written for {other} ({other_file}): a phrasing leads to one answer, keep it in one place")));
                    }
                    None => {
                        seen.insert(k, (i, place.clone()));
                    }
                }
            }
        }
    }
}

/// The page's asked-as blocks as HTML, for the end of its content: one inert `<template>` per place.
pub fn html(front: &crate::front_matter::FrontMatter) -> String {
    let mut out = String::new();
    let block = |out: &mut String, id: &str, phrases: &[String]| {
        if phrases.is_empty() {
            return;
        }
        out.push_str(&format!("<template {ATTRIBUTE}=\"{}\">", html_escape::encode_double_quoted_attribute(id)));
        for p in phrases {
            out.push_str("<p>");
            out.push_str(&html_escape::encode_text(p));
            out.push_str("</p>");
        }
        out.push_str("</template>");
    };
    block(&mut out, "", &front.asked);
    for (id, phrases) in &front.asked_at {
        block(&mut out, id, phrases);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_compare_without_punctuation_or_case() {
        assert_eq!(key("网站不用了，怎么办？"), key("网站不用了怎么办"));
        assert_eq!(key("ICP 证"), key("icp证"));
        assert_eq!(key(" ， "), "");
    }

    #[test]
    fn the_line_is_the_phrase_s_own() {
        let text = "+++\ntitle = \"a\"\nasked = [\n  \"一\",\n  \"二\",\n]\n+++\n\"二\"\n";
        let lines = Lines::new(text);
        assert_eq!(lines.of("二", Some(3)), Some(5));
        assert_eq!(lines.of("三", Some(3)), Some(3));
    }

    /// `check` on a small site: each mistake is an error at its file and line.
    #[test]
    fn check_names_empty_duplicate_and_unknown_with_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| crate::test_site::write(dir.path(), rel, text);
        write("content/_index.md", "+++\ntitle = \"首页\"\n+++\n首页。\n");
        write("content/a.md", "+++\ntitle = \"甲\"\nasked = [\n  \"网站不用了怎么办\",\n  \" \",\n]\n\n[asked_at]\nmissing = [\"没有这个标题\"]\nempty = []\n+++\n## 有 {#empty}\n\n正文。\n");
        write("content/b.md", "+++\ntitle = \"乙\"\n\n[asked_at]\nx = [\"网站不用了，怎么办？\"]\n+++\n## 一节 {#x}\n\n正文。\n");
        let errors = match crate::check(dir.path()) {
            Err(crate::BuildError::Content(e)) => e.0,
            other => panic!("errors expected: {other:?}"),
        };
        let found = |file: &str, line: usize, words: &str| errors.iter().any(|e| e.file.ends_with(file) && e.line == Some(line) && e.message.contains(words));
        assert!(found("a.md", 5, "empty"), "an empty phrase: {errors:#?}");
        assert!(found("a.md", 9, "missing"), "an unknown heading id: {errors:#?}");
        assert!(found("a.md", 10, "is empty"), "an empty list: {errors:#?}");
        assert!(found("b.md", 5, "/a/"), "a phrase written for two places names the other: {errors:#?}");
        assert_eq!(errors.len(), 4, "{errors:#?}");
    }

    #[test]
    fn blocks_are_inert_templates_keyed_by_heading() {
        let front: crate::front_matter::FrontMatter = toml::from_str("asked = [\"a<b\"]\n[asked_at]\nbefore = [\"c\"]\n").unwrap();
        assert_eq!(html(&front), "<template data-asked=\"\"><p>a&lt;b</p></template><template data-asked=\"before\"><p>c</p></template>");
    }
}
