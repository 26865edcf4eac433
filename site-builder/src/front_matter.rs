//! Splits a content file into its TOML front matter (between two `+++` lines) and its Markdown body,
//! and parses the front matter. Pure: it takes text, so tests pass strings.

use serde::Deserialize;

use crate::error::line_of;

/// The fields a page or section may set.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub weight: i64,
    pub template: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub updated: Option<toml::Value>,
    /// Sections only: every page is a short entry, also shown on the section page.
    #[serde(default)]
    pub collection: bool,
    #[serde(default)]
    pub extra: toml::Table,
    /// How customers put the question this page (a FAQ entry, a code, a tool) answers, in their
    /// words: indexed as question text for the page itself (see `crate::asked`).
    #[serde(default)]
    pub asked: Vec<String>,
    /// The same per heading, keyed by the heading's id: `[asked_at]` then `before = ["…"]`.
    #[serde(default)]
    pub asked_at: std::collections::BTreeMap<String, Vec<String>>,
}

/// A file split into front matter and body, with where the body starts.
#[derive(Debug)]
pub struct Split<'a> {
    pub front_matter: FrontMatter,
    pub body: &'a str,
    /// Lines before the body (the front-matter block), to turn body lines into file lines.
    pub body_line_offset: usize,
    /// Line of each top-level key in the front matter, for pointing at `template = …`.
    pub key_lines: Vec<(String, usize)>,
}

/// An error in the front matter: message and 1-based line in the file.
#[derive(Debug, PartialEq, Eq)]
pub struct FrontMatterError {
    pub line: usize,
    pub message: String,
}

/// Splits and parses. A file without a leading `+++` has empty front matter.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "+++" {
        return Ok(Split {
            front_matter: FrontMatter::default(),
            body: text,
            body_line_offset: 0,
            key_lines: Vec::new(),
        });
    }
    let toml_start = first_line_end;
    let mut pos = toml_start;
    let close = loop {
        if pos >= text.len() {
            return Err(FrontMatterError {
                line: 1,
                message: "front matter opened with `+++` is never closed: add a `+++` line after it".into(),
            });
        }
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "+++" {
            break (pos, end);
        }
        pos = end;
    };
    let toml_text = &text[toml_start..close.0];
    let front_matter: FrontMatter = toml::from_str(toml_text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(toml_text, s.start)) + 1;
        FrontMatterError {
            line,
            message: format!("front matter is not valid TOML: {}", e.message()),
        }
    })?;
    let key_lines = key_lines(toml_text);
    Ok(Split {
        front_matter,
        body: &text[close.1..],
        body_line_offset: line_of(text, close.1) - 1,
        key_lines,
    })
}

/// The file line of each key of the front matter and of its tables (`[extra]`'s `topic`), from the
/// TOML parser's own spans rather than a search of the text (which took a key inside a string or
/// a comment for one). The front matter starts on the file's second line.
fn key_lines(toml_text: &str) -> Vec<(String, usize)> {
    let Ok(table) = toml::de::DeTable::parse(toml_text) else { return Vec::new() };
    let index = crate::error::LineIndex::new(toml_text);
    let line = |span: std::ops::Range<usize>| index.line(span.start) + 1;
    let mut lines = Vec::new();
    for (key, value) in table.get_ref() {
        lines.push((key.get_ref().to_string(), line(key.span())));
        if let toml::de::DeValue::Table(inner) = value.get_ref() {
            lines.extend(inner.iter().map(|(k, _)| (k.get_ref().to_string(), line(k.span()))));
        }
    }
    lines.sort_by_key(|(_, l)| *l);
    lines
}

impl Split<'_> {
    /// File line of a front-matter key, if written.
    pub fn line_of_key(&self, key: &str) -> Option<usize> {
        self.key_lines.iter().find(|(k, _)| k == key).map(|(_, l)| *l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("# 标题\n正文").unwrap();
        assert_eq!(s.body, "# 标题\n正文");
        assert!(s.front_matter.title.is_none());
        assert_eq!(s.body_line_offset, 0);
    }

    #[test]
    fn front_matter_is_parsed_and_body_offset_counted() {
        let s = split("+++\ntitle = \"首次备案\"\nweight = 3\n+++\n正文\n").unwrap();
        assert_eq!(s.front_matter.title.as_deref(), Some("首次备案"));
        assert_eq!(s.front_matter.weight, 3);
        assert_eq!(s.body, "正文\n");
        assert_eq!(s.body_line_offset, 4);
        assert_eq!(s.line_of_key("weight"), Some(3));
    }

    #[test]
    fn invalid_toml_reports_the_file_line() {
        let e = split("+++\ntitle = \"a\"\nweight = = 3\n+++\n").unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        assert!(e.message.contains("not valid TOML"));
    }

    #[test]
    fn key_lines_come_from_the_parser_not_from_the_text() {
        let s = split("+++\ndescription = \"\"\"\ntemplate = x\n\"\"\"\n# template = y\ntemplate = \"page.html\"\n[extra]\ntopic = \"a\"\n+++\n").unwrap();
        assert_eq!(s.line_of_key("description"), Some(2));
        assert_eq!(s.line_of_key("template"), Some(6), "not the string's line 3 or the comment's line 5");
        assert_eq!(s.line_of_key("topic"), Some(8));
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(split("+++\ntitle = \"a\"\n").is_err());
    }

    #[test]
    fn asked_phrasings_are_read_for_the_page_and_per_heading() {
        let s = split("+++\ntitle = \"a\"\nasked = [\"网站不用了怎么办\"]\n[asked_at]\nbefore = [\"要先准备什么\", \"开始前\"]\n+++\n").unwrap();
        assert_eq!(s.front_matter.asked, ["网站不用了怎么办"]);
        assert_eq!(s.front_matter.asked_at["before"], ["要先准备什么", "开始前"]);
    }

    #[test]
    fn unknown_key_is_an_error() {
        let e = split("+++\ntitel = \"a\"\n+++\n").unwrap_err();
        assert!(e.message.contains("titel"), "{}", e.message);
    }
}
