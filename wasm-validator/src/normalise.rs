//! Input clean-up shared by every format: full-width look-alikes, Unicode dashes and spaces.
//!
//! People type with a Chinese IME, which gives full-width digits (`１２３`), letters (`Ｘ`), the
//! ideographic full stop (`。`) and dashes such as `－` and `—`. Every check folds them to ASCII first
//! and remembers whether it had to, so it can say so (a full-width ID number is MIIT 1015). Checks
//! on digits then use ASCII only: `char::is_ascii_digit`, never `char::is_numeric`.

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

/// Folds every character (see [`fold_char`]), trims, and drops the characters in `remove`
/// (after folding): `fold(" １２３ ４ ", &[' '])` is `1234`, changed.
///
/// ```
/// use wasm_validator::normalise::fold;
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
    for c in input.trim_matches(|c: char| c.is_whitespace() || fold_char(c) == ' ').chars() {
        let folded = fold_char(c);
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

/// Shortens a value for quoting in a message: at most `max` characters, with `…` when cut, and
/// control characters shown as `�` so a message never carries them.
pub fn quote(input: &str, max: usize) -> String {
    let mut out: String = input
        .chars()
        .take(max)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if input.chars().nth(max).is_some() {
        out.push('…');
    }
    out
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
        assert_eq!(quote("abc", 2), "ab…");
        assert_eq!(quote("a\u{0}b", 5), "a\u{FFFD}b");
    }

    #[test]
    fn han() {
        assert!(is_han('网'));
        assert!(!is_han('a'));
        assert!(!is_han('。'));
    }
}
