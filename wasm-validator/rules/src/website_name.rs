//! Website names (网站名称).
//!
//! The bureau's rules (seed 004 #54): at least three Chinese characters; not a person's name, a
//! domain, a homepage URL, a place name, English letters or digits; a subject that is not
//! national-level may not begin the name with 中华, 中国, 国家, 国际, 全国 (unless approved); a personal
//! filing may not use an organisation-like name ("文明网", "***企业网").
//!
//! Checks, in order: URL or domain, letters and digits, length (Chinese characters counted), place
//! name (the region table: [`crate::regions::is_place_name`]), then the word lists. The word lists
//! vary between bureaus and providers, so they are data: `data/website-name-words.txt` is compiled
//! in as [`WebsiteNameWords::builtin`], and a provider can pass its own text to
//! [`WebsiteNameWords::parse`]. A person's name cannot be recognised by a machine in general, but in
//! a personal filing the names on the form are known: a website name that contains the subject's or
//! a principal's name is refused ([`person_name`], checked by the whole form and by `beian-check
//! name --owner`).
//!
//! ```
//! use beian_rules::website_name::{self, WebsiteNameWords};
//! use beian_rules::form::SubjectKind::{Organisation, Personal};
//! let words = WebsiteNameWords::builtin();
//! assert!(website_name::check("读书笔记分享", Personal).ok);
//! // In a personal filing, not the owner's name (seed 004 #54).
//! assert_eq!(website_name::person_name("张三读书笔记", &["张三"], "name").unwrap().rule, "name.personal_name");
//! assert_eq!(website_name::check("博客", Personal).findings[0].rule, "name.too_short");
//! assert_eq!(website_name::check("www.example.com", Personal).findings[0].rule, "name.url");
//! assert_eq!(website_name::check("杭州市", Organisation).findings[0].rule, "name.place_name");
//! assert_eq!(website_name::check("中国美食大全", Organisation).findings[0].rule, "name.forbidden_prefix");
//! assert_eq!(website_name::check("张三企业网", Personal).findings[0].rule, "name.personal_word");
//!
//! // A provider's own list.
//! let mine = WebsiteNameWords::parse("[personal-refused]\n博客\n").unwrap();
//! let r = website_name::check_field("张三的博客", "name", Personal, false, &mine);
//! assert_eq!(r.findings[0].rule, "name.personal_word");
//! ```

use crate::finding::{Checked, Findings, Rule, Severity::*};
use crate::model::SubjectKind;
use crate::normalise::{fold, is_han, quote, invisible_finding};
use crate::regions::is_place_name;
use std::sync::OnceLock;

const HELP: &str = "/faq/website-name-rules/";
const BUILTIN: &str = include_str!("../data/website-name-words.txt");

/// Empty field.
pub const EMPTY: Rule = Rule::miit("name.empty", 5001, Error, "/codes/5001/");
/// A URL or domain as the name.
pub const URL: Rule = Rule::new("name.url", Error, HELP);
/// Latin letters or digits in the name.
pub const LETTERS_DIGITS: Rule = Rule::new("name.letters_digits", Error, HELP);
/// Fewer than three Chinese characters.
pub const TOO_SHORT: Rule = Rule::new("name.too_short", Error, HELP);
/// The name is a place name.
pub const PLACE_NAME: Rule = Rule::new("name.place_name", Error, HELP);
/// A prefix reserved for national-level subjects.
pub const FORBIDDEN_PREFIX: Rule = Rule::new("name.forbidden_prefix", Error, HELP);
/// A word many bureaus refuse.
pub const RESTRICTED_WORD: Rule = Rule::new("name.restricted_word", Warning, HELP);
/// An organisation-like word in a personal filing.
pub const PERSONAL_WORD: Rule = Rule::new("name.personal_word", Error, HELP);
/// A personal filing's website name containing the owner's (or a principal's) name.
pub const PERSONAL_NAME: Rule = Rule::new("name.personal_name", Error, HELP);

/// For a personal filing: a finding when the website name contains one of `persons` (the
/// subject's name, the principals' names), spaces ignored. Names of one character are not
/// looked for, since a single character is in too many names (seed 004 #54: 不得填写个人姓名).
pub fn person_name(name: &str, persons: &[&str], field: &str) -> Option<crate::Finding> {
    let folded: Vec<String> = persons.iter().map(|p| fold_person(p)).collect();
    person_name_folded(name, &folded.iter().map(String::as_str).collect::<Vec<_>>(), field)
}

/// A person's name as [`person_name`] looks for it.
pub fn fold_person(person: &str) -> String {
    fold(person, &[' ']).text
}

/// [`person_name`] with the persons' names already folded ([`fold_person`]): a form folds the
/// subject's once, not once for each of its websites.
pub fn person_name_folded(name: &str, persons: &[&str], field: &str) -> Option<crate::Finding> {
    let name = fold(name, &[' ']).text;
    let person = persons.iter().find(|p| p.chars().count() > 1 && name.contains(**p))?;
    Some(PERSONAL_NAME.finding(field, format!("个人备案的网站名称不能含个人姓名（“{}”）。请去掉姓名，用说明网站内容的名称，如“读书笔记分享”。", quote(person, 20))))
}

/// The editable word lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebsiteNameWords {
    /// Prefixes refused for subjects that are not national-level.
    pub forbidden_prefixes: Vec<String>,
    /// Words refused (by many bureaus) anywhere in the name of such subjects.
    pub restricted_words: Vec<String>,
    /// Organisation-like words refused for personal filings.
    pub personal_refused: Vec<String>,
}

/// Why a word-list file cannot be read, and on which line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordListError {
    pub line: usize,
    pub problem: WordListProblem,
}

/// What is wrong with a line of a word-list file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordListProblem {
    /// A `[section]` that is not one of the three.
    UnknownSection(String),
    /// A word before the first `[section]`.
    WordBeforeSection,
}

impl std::fmt::Display for WordListProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WordListProblem::UnknownSection(name) => write!(f, "unknown section [{name}]"),
            WordListProblem::WordBeforeSection => f.write_str("word before any [section]"),
        }
    }
}

impl std::fmt::Display for WordListError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.problem)
    }
}

impl std::error::Error for WordListError {}

impl WebsiteNameWords {
    /// Parses the line format of `data/website-name-words.txt`; `Err` names the bad line.
    pub fn parse(text: &str) -> Result<WebsiteNameWords, WordListError> {
        let mut words = WebsiteNameWords::default();
        let mut section: Option<&mut Vec<String>> = None;
        for (n, line) in text.strip_prefix('\u{feff}').unwrap_or(text).lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = Some(match name {
                    "forbidden-prefixes" => &mut words.forbidden_prefixes,
                    "restricted-words" => &mut words.restricted_words,
                    "personal-refused" => &mut words.personal_refused,
                    _ => return Err(WordListError { line: n + 1, problem: WordListProblem::UnknownSection(name.to_owned()) }),
                });
            } else {
                match section.as_deref_mut() {
                    Some(list) => list.push(line.to_owned()),
                    None => return Err(WordListError { line: n + 1, problem: WordListProblem::WordBeforeSection }),
                }
            }
        }
        Ok(words)
    }

    /// The lists compiled in from `data/website-name-words.txt`.
    pub fn builtin() -> &'static WebsiteNameWords {
        static WORDS: OnceLock<WebsiteNameWords> = OnceLock::new();
        WORDS.get_or_init(|| WebsiteNameWords::parse(BUILTIN).unwrap_or_default())
    }
}

/// Checks a website name with the built-in word lists, for a subject that is not national-level;
/// findings carry the field name `website_name`.
pub fn check(input: &str, subject: SubjectKind) -> Checked {
    check_field(input, "website_name", subject, false, WebsiteNameWords::builtin())
}

/// Checks a website name for the form field at `field`.
pub fn check_field(input: &str, field: &str, subject: SubjectKind, national_level: bool, words: &WebsiteNameWords) -> Checked {
    let mut out = Findings::new(field);
    out.extend(invisible_finding(input, out.field()));
    let name = fold(input, &[]).text;
    if name.is_empty() {
        out.add(&EMPTY, "请填写网站名称（至少三个汉字）。");
        return out.done(name);
    }
    let lower = name.to_ascii_lowercase();
    let looks_like_domain = name.split('.').count() > 1 && name.split('.').all(|l| !l.is_empty() && !l.chars().any(char::is_whitespace));
    if lower.contains("://") || lower.starts_with("www") || lower.contains("http") || looks_like_domain {
        out.add(&URL, format!("网站名称不能是域名或网址（“{}”）。请用三个以上汉字概括网站内容，如“读书笔记分享”。", quote(&name, 40)));
        return out.done(name);
    }
    if name.chars().any(|c| c.is_ascii_alphanumeric()) {
        out.add(&LETTERS_DIGITS, "网站名称不能含英文字母或数字，请全部用汉字。");
    }
    let han = name.chars().filter(|&c| is_han(c)).count();
    if han < 3 {
        out.add(&TOO_SHORT, format!("网站名称至少要三个汉字，现在是 {han} 个。"));
    }
    if is_place_name(&name) {
        let q = quote(&name, 40);
        out.add(&PLACE_NAME, format!("网站名称不能只是地名（“{q}”）。请写明网站的内容，如“{q}美食分享”。"));
    }
    if !national_level {
        if let Some(p) = words.forbidden_prefixes.iter().find(|p| name.starts_with(p.as_str())) {
            out.add(&FORBIDDEN_PREFIX, format!("非国家级单位的网站名称不能以“{p}”开头（确需使用要提供相关部门的批准文件）。请换一个开头。"));
        }
        if let Some(w) = words.restricted_words.iter().find(|w| name.contains(w.as_str())) {
            out.add(&RESTRICTED_WORD, format!("网站名称含“{w}”，多数管局不允许非国家级单位使用，建议换掉。"));
        }
    }
    if subject == SubjectKind::Personal {
        if let Some(w) = words.personal_refused.iter().find(|w| name.contains(w.as_str())) {
            out.add(&PERSONAL_WORD, format!("个人备案的网站名称不能带有单位性质的词（“{w}”）。请用体现个人内容的名称，如“读书笔记分享”。"));
        }
    }
    out.done(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lists_are_loaded() {
        let words = WebsiteNameWords::builtin();
        assert!(words.forbidden_prefixes.iter().any(|w| w == "中华"));
        assert!(words.restricted_words.iter().any(|w| w == "信访"));
        assert!(words.personal_refused.iter().any(|w| w == "文明网"));
        assert!(words.personal_refused.iter().any(|w| w == "企业网"));
        // Review 11, M1: the page on website names says these two too (validation-rules.md).
        assert!(["博客", "个人空间"].iter().all(|x| words.personal_refused.iter().any(|w| w == x)));
        for unsupported in ["企业", "公司", "集团", "官方", "官网", "政府", "门户"] {
            assert!(!words.personal_refused.iter().any(|w| w == unsupported), "{unsupported}: no source lists it");
        }
    }

    #[test]
    fn parse_errors_name_the_line() {
        assert_eq!(WebsiteNameWords::parse("词").unwrap_err().to_string(), "line 1: word before any [section]");
        assert_eq!(WebsiteNameWords::parse("\n[nope]").unwrap_err(), WordListError { line: 2, problem: WordListProblem::UnknownSection("nope".into()) });
    }

    #[test]
    fn the_owners_name_in_a_personal_website_name_is_refused() {
        let rule = |name: &str, persons: &[&str]| person_name(name, persons, "n").map(|f| f.rule);
        assert_eq!(rule("张三读书笔记", &["张三"]), Some("name.personal_name"));
        assert_eq!(rule("我的读书笔记李 四", &["王五", "李四"]), Some("name.personal_name"));
        assert_eq!(rule("读书笔记分享", &["张三", "张三"]), None);
        assert_eq!(rule("三味书屋笔记", &["三", ""]), None); // one character: not a name to look for
        assert!(person_name("张三读书笔记", &["张三"], "n").unwrap().message.contains("张三"));
    }

    #[test]
    fn rules() {
        let rules = |n: &str, s| check(n, s).findings.iter().map(|f| f.rule).collect::<Vec<_>>();
        assert_eq!(rules("", SubjectKind::Personal), ["name.empty"]);
        assert_eq!(rules("张三的blog", SubjectKind::Personal), ["name.letters_digits"]);
        assert_eq!(rules("内蒙古", SubjectKind::Organisation), ["name.place_name"]);
        assert_eq!(rules("示例科技信访之窗", SubjectKind::Organisation), ["name.restricted_word"]);
        assert!(check_field("中国示例网", "f", SubjectKind::Organisation, true, WebsiteNameWords::builtin()).ok);
        assert!(check("示例科技资讯平台", SubjectKind::Organisation).ok); // personal-refused words: fine for a unit
        assert_eq!(rules("示例科技资讯平台", SubjectKind::Personal), ["name.personal_word"]);
    }
}
