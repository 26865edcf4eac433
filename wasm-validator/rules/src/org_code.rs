//! Organisation code (组织机构代码, GB 11714-1997).
//!
//! Nine characters, usually written `XXXXXXXX-X`:
//!
//! | positions | content |
//! |---|---|
//! | 1–8 | body: digits or capital letters (value = index in `0-9A-Z`) |
//! | 9 | check character: `0`–`9` or `X` |
//!
//! The check: weights `3 7 9 10 5 8 4 2`, C = 11 − (Σ value × weight) mod 11, with 10 → `X` and
//! 11 → `0`. Organisation codes are also positions 9–17 of every unified social credit code
//! ([`crate::uscc`]).
//!
//! Sources: GB 11714-1997; validation-rules.md.
//!
//! ```
//! use beian_rules::org_code;
//! assert!(org_code::is_valid("60003734-1"));
//! assert_eq!(org_code::format("600037341"), "60003734-1");
//! assert_eq!(org_code::calc_check_digit("60003734"), Some('1'));
//! let r = org_code::check("600037342");
//! assert_eq!(r.findings[0].rule, "org_code.checksum");
//! assert_eq!(org_code::check("60003734").findings[0].rule, "org_code.length");
//! ```

use crate::finding::{Checked, Findings, Rule, Severity::*};
use crate::normalise::{fold, quote, invisible_finding};

const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
const HELP: &str = "/codes/5001/";

/// Empty field.
pub const EMPTY: Rule = Rule::miit("org_code.empty", 5001, Error, HELP);
/// Not nine characters.
pub const LENGTH: Rule = Rule::miit("org_code.length", 5001, Error, HELP);
/// Characters other than digits and capital letters (check: digit or X).
pub const CHARACTERS: Rule = Rule::miit("org_code.characters", 5001, Error, HELP);
/// The check character does not match.
pub const CHECKSUM: Rule = Rule::miit("org_code.checksum", 5001, Error, HELP);

/// Folds full-width characters, removes spaces and dashes, upper-cases.
pub fn compact(input: &str) -> String {
    fold(input, &[' ', '-']).text.to_ascii_uppercase()
}

/// `XXXXXXXX-X`.
pub fn format(input: &str) -> String {
    let number = compact(input);
    match number.get(..8) {
        Some(body) if number.len() == 9 => format!("{body}-{}", &number[8..]),
        _ => number,
    }
}

fn value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'A'..=b'Z' => Some(u32::from(b - b'A') + 10),
        _ => None,
    }
}

/// The check character of an 8-character body (`None` if the body is malformed).
pub fn calc_check_digit(body: &str) -> Option<char> {
    let b = body.as_bytes();
    if b.len() != 8 {
        return None;
    }
    let mut sum = 0;
    for (&c, w) in b.iter().zip(WEIGHTS) {
        sum += value(c)? * w;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from(b'0' + d as u8),
    })
}

/// Checks an organisation code; findings carry the field name `org_code`.
pub fn check(input: &str) -> Checked {
    check_field(input, "org_code")
}

/// Checks an organisation code for the form field at `field`.
pub fn check_field(input: &str, field: &str) -> Checked {
    let mut out = Findings::new(field);
    out.extend(invisible_finding(input, out.field()));
    let number = compact(input);
    if number.is_empty() {
        out.add(&EMPTY, "请填写组织机构代码（9 位）。");
    } else if number.chars().count() != 9 {
        out.add(&LENGTH, format!("组织机构代码应为 9 位（8 位本体 + 1 位校验码），现在是 {} 位（“{}”）。", number.chars().count(), quote(&number, 20)));
    } else if !number[..8].bytes().all(|b| value(b).is_some()) || !matches!(number.as_bytes()[8], b'0'..=b'9' | b'X') {
        out.add(&CHARACTERS, "组织机构代码前 8 位是数字或大写字母，最后一位是数字或 X，请核对。");
    } else if calc_check_digit(&number[..8]).map(u32::from) != number[8..].chars().next().map(u32::from) {
        out.add(&CHECKSUM, "组织机构代码校验不通过：多半是某一位输错了，请对照证件核对。");
    }
    out.done(number)
}

/// The compact code, or the first error.
pub fn validate(input: &str) -> Result<String, crate::Finding> {
    check(input).into_result()
}

/// True when [`validate`] succeeds.
pub fn is_valid(input: &str) -> bool {
    validate(input).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        assert!(is_valid("600037341"));
        assert!(is_valid("６０００３７３４－１"));
        assert!(!is_valid("60003734X"));
        assert!(!is_valid("6000373a1x"));
        assert!(!is_valid(""));
    }

    #[test]
    fn check_values_ten_and_eleven() {
        // Find bodies whose check is X and 0, and make sure they round-trip.
        let mut seen = (false, false);
        for n in 10_000_000u32..10_000_200 {
            let body = n.to_string();
            let c = calc_check_digit(&body).unwrap();
            assert!(is_valid(&format!("{body}{c}")));
            seen.0 |= c == 'X';
            seen.1 |= c == '0';
        }
        assert!(seen.0 && seen.1);
    }
}
