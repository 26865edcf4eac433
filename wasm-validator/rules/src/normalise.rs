//! Input clean-up shared by every format: full-width look-alikes, Unicode dashes and spaces.
//!
//! People type with a Chinese IME, which gives full-width digits (`１２３`), letters (`Ｘ`), the
//! ideographic full stop (`。`) and dashes such as `－` and `—`. Every check folds them to ASCII first
//! and remembers whether it had to, so it can say so (a full-width ID number is MIIT 1015). Checks
//! on digits then use ASCII only: `char::is_ascii_digit`, never `char::is_numeric`.
//!
//! Characters the customer cannot see (zero-width, bidirectional controls, non-breaking spaces) are
//! removed by [`fold`] and reported once per field by [`invisible_finding`].

use crate::finding::{Finding, Rule, Severity::Error};

/// Folds one character: full-width ASCII to ASCII, Unicode dashes to `-`, the ideographic and
/// full-width full stops to `.`, Unicode spaces to ` `. Anything else is returned as it is.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3002}' | '\u{FF61}' => '.',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{30FC}' => '-',
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => ' ',
        _ => c,
    }
}

/// The folded text and whether any character changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    /// The text after folding (and removal, see [`fold`]).
    pub text: String,
    /// True when a full-width or other look-alike character was folded.
    pub changed: bool,
}

/// Folds every character (see [`fold_char`]), trims, drops the characters in `remove` (after
/// folding) and every invisible character ([`is_invisible`]; a non-breaking space becomes a space):
/// `fold(" １２３ ４ ", &[' '])` is `1234`, changed.
///
/// ```
/// use beian_rules::normalise::fold;
/// let folded = fold(" ４４０１ １３－x ", &[' ', '-']);
/// assert_eq!(folded.text, "440113x");
/// assert!(folded.changed);
/// ```
pub fn fold(input: &str, remove: &[char]) -> Folded {
    // Fast path: printable ASCII with nothing to remove is already folded (most input is).
    if input.bytes().all(|b| b.is_ascii_graphic() && !remove.contains(&char::from(b))) {
        return Folded { text: input.to_owned(), changed: false };
    }
    let mut text = String::with_capacity(input.len());
    let mut changed = false;
    for c in input.trim_matches(|c: char| c.is_whitespace() || fold_char(c) == ' ' || is_invisible(c)).chars() {
        let folded = fold_char(c);
        if folded != ' ' && is_invisible(c) {
            continue;
        }
        changed |= folded != c && folded != ' ';
        if !remove.contains(&folded) {
            text.push(folded);
        }
    }
    Folded { text, changed }
}

/// Drops every whitespace and control character: the seeds themselves write filing numbers as
/// "京 ICP 备 10206937 号-1".
pub fn without_spaces(input: &str) -> String {
    input.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect()
}

/// Shortens a value for quoting in a message: at most `max` characters, with `…` when cut, control
/// and invisible characters shown as `�` so a message never carries them, and the whole isolated
/// between U+2068 and U+2069 (first-strong isolate … pop directional isolate). A right-to-left
/// value (Arabic, Hebrew) then cannot reorder the message around it, in the browser or wherever a
/// message is shown. Every value the customer typed reaches a message through here.
pub fn quote(input: &str, max: usize) -> String {
    let mut out = String::from('\u{2068}');
    out.extend(input.chars().take(max).map(|c| if c.is_control() || is_invisible(c) { '\u{FFFD}' } else { c }));
    if input.chars().nth(max).is_some() {
        out.push('…');
    }
    out.push('\u{2069}');
    out
}

/// Characters that show nothing, or only a blank: zero-width characters (U+200B…U+200D, U+2060,
/// U+FEFF, the soft hyphen…), bidirectional controls (U+200E, U+200F, U+061C, U+202A…U+202E,
/// U+2066…U+2069) and non-breaking spaces (U+00A0, U+2007, U+202F). Pasted from web pages and
/// documents, they make a number look right and fail (issue 14.5).
pub fn is_invisible(c: char) -> bool {
    invisible_kind(c).is_some()
}

/// Which kind of invisible character `c` is: 0 zero-width, 1 bidirectional control, 2 non-breaking space.
fn invisible_kind(c: char) -> Option<usize> {
    match c {
        '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Some(1),
        '\u{00A0}' | '\u{2007}' | '\u{202F}' => Some(2),
        '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{180E}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{206A}'..='\u{206F}' | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}' | '\u{E0000}'..='\u{E007F}' => Some(0),
        _ => None,
    }
}

/// The customer typed (or pasted) characters they cannot see.
pub const INVISIBLE: Rule = Rule::new("input.invisible", Error, "/codes/5001/");

/// A finding for the invisible characters in `input`, if any: how many, and of which kinds. They
/// are removed from the checked value by [`fold`], so every count in other messages is of visible
/// characters.
pub fn invisible_finding(input: &str, field: &str) -> Option<Finding> {
    const KINDS: [&str; 3] = ["零宽字符", "文字方向控制符", "不换行空格"];
    let mut seen = [false; 3];
    let mut count = 0;
    for kind in input.chars().filter_map(invisible_kind) {
        seen[kind] = true;
        count += 1;
    }
    let kinds: Vec<&str> = KINDS.iter().zip(seen).filter(|(_, s)| *s).map(|(k, _)| *k).collect();
    (count > 0).then(|| INVISIBLE.finding(field, format!("填写的内容里有 {count} 个看不见的字符（{}），多半是复制粘贴时带进来的，已去掉。请在备案系统里手动输入这一项，不要直接粘贴。", kinds.join("、"))))
}

/// Is `c` a CJK unified ideograph (a Chinese character)?
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2EBEF}' | '\u{30000}'..='\u{3134F}' | '\u{F900}'..='\u{FAFF}' | '\u{3007}')
}

/// Lower-cases the ASCII letters of a host or e-mail domain and leaves every other character as it
/// is. Domains to be filed are letters, digits and hyphens, or Chinese, which has no case; full
/// Unicode lower-casing (`str::to_lowercase`) would put 7 KB gzipped of case tables into the
/// browser module for letters such as `Ü` that a filing never has.
pub fn lower_ascii(input: &str) -> String {
    input.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_ascii_keeps_chinese_and_other_letters() {
        assert_eq!(lower_ascii("WWW.食狮.COM.CN"), "www.食狮.com.cn");
        assert_eq!(lower_ascii("Ü.COM"), "Ü.com");
    }

    #[test]
    fn folds_full_width_and_dashes() {
        assert_eq!(fold_char('０'), '0');
        assert_eq!(fold_char('Ｘ'), 'X');
        assert_eq!(fold_char('ｘ'), 'x');
        assert_eq!(fold_char('－'), '-');
        assert_eq!(fold_char('—'), '-');
        assert_eq!(fold_char('。'), '.');
        assert_eq!(fold_char('　'), ' ');
        assert_eq!(fold_char('京'), '京');
    }

    #[test]
    fn fold_reports_changes_only_for_look_alikes() {
        assert!(!fold(" 123 ", &[' ']).changed);
        assert!(fold("１23", &[]).changed);
        assert_eq!(fold("　１ 2　", &[' ']).text, "12");
    }

    #[test]
    fn quote_cuts_and_hides_controls() {
        assert_eq!(quote("abc", 2), "\u{2068}ab…\u{2069}");
        assert_eq!(quote("a\u{0}b", 5), "\u{2068}a\u{FFFD}b\u{2069}");
    }

    #[test]
    fn quote_isolates_an_unclosed_right_to_left_override() {
        // Issue 9.8: an unclosed U+202E in a typed value cannot reverse the rest of the message.
        let q = quote("abc\u{202E}lmth.exe", 40);
        assert_eq!(q, "\u{2068}abc\u{FFFD}lmth.exe\u{2069}");
        assert!(!q.contains('\u{202E}'));
    }

    #[test]
    fn invisible_characters_are_removed_counted_and_named() {
        let input = "\u{200B}4401\u{200D}13\u{202E}2014\u{00A0}1005001X\u{FEFF}";
        assert_eq!(fold(input, &[' ']).text, "44011320141005001X");
        assert!(!fold(input, &[' ']).changed);
        assert_eq!(fold("示例路\u{00A0}1 号", &[]).text, "示例路 1 号");
        let f = invisible_finding(input, "id").unwrap();
        assert_eq!(f.rule, "input.invisible");
        assert!(f.message.contains("有 5 个看不见的字符（零宽字符、文字方向控制符、不换行空格）"), "{}", f.message);
        assert_eq!(invisible_finding("京ICP备10206937号　-1", "f"), None);
    }

    #[test]
    fn han() {
        assert!(is_han('网'));
        assert!(!is_han('a'));
        assert!(!is_han('。'));
    }
}
