//! Content errors carry the file and, where it can be known, the line, so an author can go straight
//! to the mistake: `content/faq/x.md:3: …`. A build collects every error it finds before failing.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in the site's sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line in that file.
    pub line: Option<usize>,
    /// 1-based column (in characters) in that line, where the place that found the error knows it.
    pub column: Option<usize>,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl ContentError {
    pub fn new(file: impl AsRef<Path>, line: Option<usize>, message: impl Into<String>) -> Self {
        ContentError { file: file.as_ref().to_path_buf(), line, column: None, message: message.into() }
    }

    /// An error at a (line, column) position, or in the file as a whole.
    pub fn at(file: impl AsRef<Path>, position: Option<(usize, usize)>, message: impl Into<String>) -> Self {
        ContentError { file: file.as_ref().to_path_buf(), line: position.map(|p| p.0), column: position.map(|p| p.1), message: message.into() }
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = Printable { text: &self.file.to_string_lossy(), keep_newlines: false };
        let message = Printable { text: &self.message, keep_newlines: true };
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{file}:{line}:{column}: {message}"),
            (Some(line), None) => write!(f, "{file}:{line}: {message}"),
            _ => write!(f, "{file}: {message}"),
        }
    }
}

/// Text from content (a file name, an id, a shortcode's name) as a terminal may show it: control
/// characters (ESC, BEL, the C1 range, DEL) written as `\u{1b}`, so an error never clears the
/// screen or retitles the terminal. A message's own line breaks are kept.
struct Printable<'a> {
    text: &'a str,
    keep_newlines: bool,
}

impl fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.text.chars() {
            if c.is_control() && !(self.keep_newlines && c == '\n') {
                write!(f, "{}", c.escape_unicode())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

/// Every error a build or check found; the build fails if there is at least one.
#[derive(Debug, Default)]
pub struct ContentErrors(pub Vec<ContentError>);

impl ContentErrors {
    pub fn push(&mut self, e: ContentError) {
        self.0.push(e);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// `Ok(())` when nothing was found, else the sorted errors.
    pub fn into_result(mut self) -> Result<(), ContentErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            self.0.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
            self.0.dedup();
            Err(self)
        }
    }
}

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.0 {
            writeln!(f, "error: {e}")?;
        }
        write!(f, "{} error{} found", self.0.len(), if self.0.len() == 1 { "" } else { "s" })
    }
}

impl std::error::Error for ContentErrors {}

/// 1-based line number of a byte offset in `text`, for one error. For many look-ups in one text,
/// use a [`LineIndex`]: counting from the start each time is quadratic on a large page.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Where each line of a text starts, to turn byte offsets into line numbers in O(log n).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0).chain(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1)).collect();
        LineIndex { starts }
    }

    /// The 1-based line of `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }

    /// The 1-based line and column (in characters) of `offset` in `text`, the text indexed.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let offset = offset.min(text.len());
        (line, text.get(start..offset).map_or(1, |before| before.chars().count() + 1))
    }
}

/// Ranges of a text (shortcode calls, placeholders, words already reported), to ask whether an
/// offset lies in any of them in O(log n): a list searched once per match was quadratic on a large
/// page. The ranges may overlap and come in any order.
#[derive(Debug, Clone, Default)]
pub struct Ranges {
    /// Sorted by start.
    ranges: Vec<std::ops::Range<usize>>,
    /// `max_end[i]`: the furthest end among `ranges[..=i]`.
    max_end: Vec<usize>,
}

impl Ranges {
    pub fn new(ranges: impl IntoIterator<Item = std::ops::Range<usize>>) -> Ranges {
        let mut ranges: Vec<_> = ranges.into_iter().collect();
        ranges.sort_unstable_by_key(|r| (r.start, r.end));
        let max_end = ranges.iter().scan(0, |m, r| {
            *m = (*m).max(r.end);
            Some(*m)
        }).collect();
        Ranges { ranges, max_end }
    }

    /// Whether some range holds `offset` (start ≤ offset < end).
    pub fn contains(&self, offset: usize) -> bool {
        self.covers(offset, offset + 1)
    }

    /// Whether some range holds all of `at..end` (its start ≤ at and end ≤ its end).
    pub fn covers(&self, at: usize, end: usize) -> bool {
        let n = self.ranges.partition_point(|r| r.start <= at);
        n > 0 && self.max_end[n - 1] >= end
    }

    /// These ranges and `more`, in one list.
    pub fn extend(&mut self, more: impl IntoIterator<Item = std::ops::Range<usize>>) {
        let before = self.ranges.len();
        self.ranges.extend(more);
        if self.ranges.len() > before {
            *self = Ranges::new(std::mem::take(&mut self.ranges));
        }
    }
}

/// Where each double-quoted string of a text (as written: `"…"` with no `"` inside) first occurs:
/// a data file's link, an asked-as phrase, found by its text in one pass instead of one search of
/// the file per string (quadratic on a file of many).
#[derive(Debug, Default)]
pub struct QuotedStrings<'a> {
    first: std::collections::HashMap<&'a str, usize>,
}

impl<'a> QuotedStrings<'a> {
    /// Every `"…"` of `text`: each text between two quotes that follow one another (the only
    /// places a quoted string without a quote inside can be found).
    pub fn new(text: &'a str) -> QuotedStrings<'a> {
        let mut first = std::collections::HashMap::new();
        let quotes: Vec<usize> = text.match_indices('"').map(|(at, _)| at).collect();
        for pair in quotes.windows(2) {
            first.entry(&text[pair[0] + 1..pair[1]]).or_insert(pair[0]);
        }
        QuotedStrings { first }
    }

    /// The offset of the first `"s"` in the text, as `text.find(&format!("\"{s}\""))` would give
    /// it (`None` for a string holding a quote: it is not written as it reads).
    pub fn find(&self, s: &str) -> Option<usize> {
        if s.contains('"') {
            return None;
        }
        self.first.get(s).copied()
    }
}

/// Where a value of a TOML text is: the (line, column) of the value at `at`, a path of keys and
/// array positions (`questions`, 3, `answers`, 1, `next`) as a data file's checks report it; for a
/// path that goes further than the text (a default value), the deepest place written. `None` for an
/// empty path or a text that is not TOML. For more than one path in a text, use [`TomlPositions`]:
/// this parses the text each time.
pub fn toml_position(text: &str, at: &[beian_guide::problem::Step]) -> Option<(usize, usize)> {
    TomlPositions::new(text).position(at)
}

/// The places of a TOML text's values, for many look-ups: the text is parsed once, when the first
/// path asks, and each path is then a walk down that one tree (a parse of the whole file for every
/// problem a data file had made problems × file size: 5,000 repeated ids in 384 KB took 33 s).
pub struct TomlPositions<'a> {
    text: &'a str,
    parsed: std::cell::OnceCell<Option<(toml::Spanned<toml::de::DeTable<'a>>, LineIndex)>>,
}

impl<'a> TomlPositions<'a> {
    pub fn new(text: &'a str) -> TomlPositions<'a> {
        TomlPositions { text, parsed: std::cell::OnceCell::new() }
    }

    /// As [`toml_position`].
    pub fn position(&self, at: &[beian_guide::problem::Step]) -> Option<(usize, usize)> {
        use beian_guide::problem::Step;
        use toml::de::DeValue;
        if at.is_empty() {
            return None;
        }
        let (root, lines) = self.parsed.get_or_init(|| toml::de::DeTable::parse(self.text).ok().map(|root| (root, LineIndex::new(self.text)))).as_ref()?;
        let mut span = None;
        let mut table = Some(root.get_ref());
        let mut array: Option<&toml::de::DeArray> = None;
        for step in at {
            let value = match step {
                // A look-up in the table's map, not a search of its keys: a table of thousands of
                // keys with a problem each stays linear.
                Step::Key(key) => table.and_then(|t| t.get_key_value(key.as_str())).map(|(k, v)| {
                    // A table's span is its whole header and body; its key's is where it starts.
                    if matches!(v.get_ref(), DeValue::Table(_)) { span = Some(k.span()) } else { span = Some(v.span()) }
                    v
                }),
                Step::Index(i) => array.and_then(|a| a.get(*i)).inspect(|v| span = Some(v.span())),
            };
            let Some(value) = value else { break };
            (table, array) = match value.get_ref() {
                DeValue::Table(t) => (Some(t), None),
                DeValue::Array(a) => (None, Some(a)),
                _ => (None, None),
            };
        }
        span.map(|s| lines.position(self.text, s.start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_column() {
        let e = ContentError::new("content/faq/x.md", Some(3), "bad");
        assert_eq!(e.to_string(), "content/faq/x.md:3: bad");
        let e = ContentError::at("content/_data/wizard.toml", Some((3, 9)), "bad");
        assert_eq!(e.to_string(), "content/_data/wizard.toml:3:9: bad");
    }

    /// The third attack review: a heading id, a shortcode's name or a file name holding ESC reached
    /// the terminal raw (`\e[2J` cleared the screen).
    #[test]
    fn terminal_escapes_from_content_are_printed_escaped_regression() {
        let e = ContentError::new("content/a\u{1b}[2J b.md", Some(1), "heading id `a\u{1b}]0;T\u{7}` and\nnext \u{9b}x \u{7f}");
        let shown = e.to_string();
        assert!(!shown.chars().any(|c| c.is_control() && c != '\n'), "{shown:?}");
        assert_eq!(shown, "content/a\\u{1b}[2J b.md:1: heading id `a\\u{1b}]0;T\\u{7}` and\nnext \\u{9b}x \\u{7f}");
    }

    #[test]
    #[allow(clippy::useless_vec)] // at! makes the Vec a Problem holds
    fn a_data_path_is_found_at_its_line_and_column() {
        use beian_guide::at;
        let text = "start = \"a\"\n\n[[questions]]\nid = \"a\"\nanswers = [\n  { value = \"x\", next = \"nowhere\" },\n  { value = \"y\", next = \"b\" },\n]\n\n[derived.paper]\nall = []\n";
        assert_eq!(toml_position(text, &at!["start"]), Some((1, 9)));
        assert_eq!(toml_position(text, &at!["questions", 0, "answers", 0, "next"]), Some((6, 25)));
        assert_eq!(toml_position(text, &at!["questions", 0, "answers", 1]), Some((7, 3)));
        assert_eq!(toml_position(text, &at!["derived", "paper"]), Some((10, 10)));
        // Not written (a default): the deepest place that is.
        assert_eq!(toml_position(text, &at!["questions", 0, "hint"]), Some((3, 1)));
        assert_eq!(toml_position(text, &[]), None);
    }

    #[test]
    fn the_line_index_agrees_with_counting() {
        let text = "a\nbb\n\nccc\n";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() {
            assert_eq!(index.line(offset), line_of(text, offset), "offset {offset}");
        }
    }

    #[test]
    fn ranges_answer_as_a_search_of_every_range_would() {
        let list = [3..8, 0..2, 5..12, 20..21, 6..7];
        let ranges = Ranges::new(list.clone());
        for at in 0..25 {
            assert_eq!(ranges.contains(at), list.iter().any(|r| r.start <= at && at < r.end), "offset {at}");
            for end in at..25 {
                assert_eq!(ranges.covers(at, end), list.iter().any(|r| r.start <= at && end <= r.end), "{at}..{end}");
            }
        }
        assert!(!Ranges::default().contains(0));
    }

    #[test]
    fn quoted_strings_are_found_as_a_search_would() {
        let text = "a = \"x\"\nb = [\"y\", \"x\"]\nc = 'q\"z' \"\"\n";
        let q = QuotedStrings::new(text);
        for s in ["x", "y", ", ", "z' ", "", "nope"] {
            assert_eq!(q.find(s), text.find(&format!("\"{s}\"")), "{s:?}");
        }
        assert_eq!(q.find("a\"b"), None);
    }

    #[test]
    fn line_of_counts_newlines() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }
}
