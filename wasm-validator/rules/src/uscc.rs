//! Unified social credit code (统一社会信用代码, GB 32100-2015).
//!
//! Eighteen characters from `0123456789ABCDEFGHJKLMNPQRTUWXY` (no I, O, Z, S, V; values 0–30):
//!
//! | positions | content |
//! |---|---|
//! | 1 | registering authority: `1`–`9`, `A`, `N` or `Y` (9 = market regulation, 5 = civil affairs…) |
//! | 2 | entity type within that authority |
//! | 3–8 | administrative division code (digits) |
//! | 9–17 | organisation code (GB 11714-1997, with its own check character: [`crate::org_code`]) |
//! | 18 | check character |
//!
//! The check: weights `1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28` for positions 1–17,
//! check value = (31 − S mod 31) mod 31, mapped back to the character set.
//!
//! Checks, in order: length, characters, checksum, then the parts (authority, embedded
//! organisation code). Compared with python-stdnum 2.2 `stdnum.cn.uscc`, on purpose: we also check
//! the embedded organisation code and the registering authority (stricter; but an organisation code
//! that fails while the code's own check character passes is only a warning, since such codes were
//! issued), and we accept `A`, `N`
//! and `Y` as first character, which GB 32100 allows and stdnum refuses (looser). Letters are
//! upper-cased silently: the bureau compares the code, not its case.
//!
//! Sources: GB 32100-2015, GB 11714-1997; validation-rules.md.
//!
//! ```
//! use beian_rules::uscc;
//! assert!(uscc::is_valid("91110000600037341L"));
//! assert_eq!(uscc::calc_check_digit("91110000600037341"), Some('L'));
//! assert_eq!(uscc::check("91110000600037341M").findings[0].rule, "uscc.checksum");
//! assert_eq!(uscc::check("9111000060003734IL").findings[0].rule, "uscc.characters");
//! assert_eq!(uscc::check(" 9111 0000 6000 3734 1l ").value, "91110000600037341L");
//! ```

use crate::finding::{Checked, Findings, Rule, Severity::*};
use crate::normalise::{fold, quote, invisible_finding};
use crate::org_code;

/// The 31 characters, in value order.
pub const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const HELP: &str = "/codes/5001/";

/// Empty field.
pub const EMPTY: Rule = Rule::miit("uscc.empty", 5001, Error, HELP);
/// Not 18 characters.
pub const LENGTH: Rule = Rule::miit("uscc.length", 5001, Error, HELP);
/// Characters outside the alphabet, or positions 3–8 not digits.
pub const CHARACTERS: Rule = Rule::miit("uscc.characters", 5001, Error, HELP);
/// The check character does not match.
pub const CHECKSUM: Rule = Rule::miit("uscc.checksum", 5001, Error, HELP);
/// Position 1 is not a registering authority.
pub const AUTHORITY: Rule = Rule::miit("uscc.authority", 5001, Error, HELP);
/// Positions 9–17 are not a valid organisation code, and the code's own check fails too.
pub const ORG_CODE: Rule = Rule::miit("uscc.org_code", 5001, Error, HELP);
/// Positions 9–17 fail the organisation-code check, but the code's own check character passes:
/// such codes were issued, so the customer is asked to compare with the licence (issue 14.2).
pub const ORG_CODE_UNVERIFIED: Rule = Rule::new("uscc.org_code_unverified", Warning, HELP);

fn value(b: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == b).map(|v| v as u32)
}

/// Folds full-width characters, removes spaces and dashes, upper-cases.
pub fn compact(input: &str) -> String {
    fold(input, &[' ', '-']).text.to_ascii_uppercase()
}

/// The standard presentation: the compact form.
pub fn format(input: &str) -> String {
    compact(input)
}

/// The check character of the first 17 characters (`None` if malformed).
pub fn calc_check_digit(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (&c, w) in b.iter().zip(WEIGHTS) {
        sum += value(c)? * w;
    }
    Some(char::from(ALPHABET[((31 - sum % 31) % 31) as usize]))
}

/// Checks a credit code; findings carry the field name `uscc`.
pub fn check(input: &str) -> Checked {
    check_field(input, "uscc")
}

/// Checks a credit code for the form field at `field`.
pub fn check_field(input: &str, field: &str) -> Checked {
    let mut out = Findings::new(field);
    out.extend(invisible_finding(input, out.field()));
    let number = compact(input);
    let len = number.chars().count();
    if number.is_empty() {
        out.add(&EMPTY, "请填写 18 位统一社会信用代码。");
        return out.done(number);
    }
    if len != 18 {
        let hint = if len == 15 { "（15 位的是旧的工商注册号，请改填新营业执照上的统一社会信用代码）" } else { "" };
        out.add(&LENGTH, format!("统一社会信用代码应为 18 位，现在是 {len} 位（“{}”）{hint}。", quote(&number, 24)));
        return out.done(number);
    }
    let b = number.as_bytes();
    if let Some(pos) = b.iter().position(|&c| value(c).is_none()) {
        let hint = if matches!(b[pos], b'I' | b'O' | b'Z' | b'S' | b'V') { "（代码不用字母 I、O、Z、S、V，多半是数字 1、0、2、5 或字母 U 看错了）" } else { "" };
        out.add(&CHARACTERS, format!("统一社会信用代码第 {} 位的字符不对{hint}，请对照营业执照核对。", pos + 1));
        return out.done(number);
    }
    if !b[2..8].iter().all(u8::is_ascii_digit) {
        out.add(&CHARACTERS, "统一社会信用代码第 3–8 位是行政区划代码，只能是数字，请核对。");
        return out.done(number);
    }
    let own_check = calc_check_digit(&number[..17]).map(u32::from) == Some(u32::from(b[17]));
    if !own_check {
        out.add(&CHECKSUM, "统一社会信用代码校验不通过：多半是某一位输错了，请对照营业执照逐位核对。");
    }
    if !matches!(b[0], b'1'..=b'9' | b'A' | b'N' | b'Y') {
        out.add(&AUTHORITY, format!("统一社会信用代码第 1 位是登记管理部门代码，“{}”不是有效的代码，请核对。", char::from(b[0])));
    }
    if !org_code::check(&number[8..17]).ok {
        if own_check {
            out.add(&ORG_CODE_UNVERIFIED, "统一社会信用代码第 9–17 位（组织机构代码）的校验不通过，但整个代码的校验位是对的。确有这样发放的代码：请对照营业执照逐位核对，一致的话照填即可。");
        } else {
            out.add(&ORG_CODE, "统一社会信用代码第 9–17 位是组织机构代码，它的校验不通过，请核对这几位。");
        }
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
    fn rules_in_order() {
        let rule = |s: &str| check(s).findings.first().map(|f| f.rule);
        assert_eq!(rule(""), Some("uscc.empty"));
        assert_eq!(rule("91110000600037341"), Some("uscc.length"));
        assert_eq!(rule("9111000060003734OL"), Some("uscc.characters"));
        assert_eq!(rule("91A10000600037341L"), Some("uscc.characters"));
        assert_eq!(rule("91110000600037341M"), Some("uscc.checksum"));
        assert_eq!(rule("91110000600037341L"), None);
    }

    #[test]
    fn a_code_whose_own_check_passes_but_embedded_org_code_fails_is_a_warning() {
        // Issue 14.2: such codes were issued; the customer compares with the licence.
        let first17 = "91110000600037342";
        let code = format!("{first17}{}", calc_check_digit(first17).unwrap());
        let r = check(&code);
        assert!(r.ok);
        assert_eq!(r.findings.iter().map(|f| (f.rule, f.severity)).collect::<Vec<_>>(), [("uscc.org_code_unverified", Warning)]);
        assert!(r.findings[0].message.contains("对照营业执照"));
        // Where the code's own check fails as well, both stay errors.
        let r = check(&format!("{first17}{}", if code.ends_with('0') { '1' } else { '0' }));
        assert_eq!(r.findings.iter().map(|f| (f.rule, f.severity)).collect::<Vec<_>>(), [("uscc.checksum", Error), ("uscc.org_code", Error)]);
    }

    #[test]
    fn embedded_org_code_and_authority() {
        let first17 = "01110000600037341";
        let code = format!("{first17}{}", calc_check_digit(first17).unwrap());
        assert_eq!(check(&code).findings[0].rule, "uscc.authority");
    }
}
