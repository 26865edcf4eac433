//! Business registration number (工商注册号), the 15-digit number on business licences issued
//! before the unified social credit code (2015).
//!
//! | positions | content |
//! |---|---|
//! | 1–6 | administrative division code of the registering office |
//! | 7–14 | serial number |
//! | 15 | check digit, ISO 7064 MOD 11,10 |
//!
//! MOD 11,10: p = 10; for each digit d of positions 1–14: s = (p + d) mod 10, or 10 if that is 0;
//! p = 2s mod 11. The check digit c makes (p + c) mod 10 = 1.
//!
//! Sources: GB/T 17710 (ISO 7064); validation-rules.md.
//!
//! ```
//! use beian_rules::business_reg_number as brn;
//! assert_eq!(brn::calc_check_digit("11010800000001"), Some('6'));
//! assert!(brn::is_valid("110108000000016"));
//! assert_eq!(brn::check("110108000000017").findings[0].rule, "brn.checksum");
//! assert_eq!(brn::check("11010800000001").findings[0].rule, "brn.length");
//! ```

use crate::finding::{Checked, Findings, Rule, Severity::*};
use crate::normalise::{fold, quote, invisible_finding};

const HELP: &str = "/codes/5001/";

/// Empty field.
pub const EMPTY: Rule = Rule::miit("brn.empty", 5001, Error, HELP);
/// Not 15 characters.
pub const LENGTH: Rule = Rule::miit("brn.length", 5001, Error, HELP);
/// Not all digits.
pub const CHARACTERS: Rule = Rule::miit("brn.characters", 5001, Error, HELP);
/// The check digit does not match.
pub const CHECKSUM: Rule = Rule::miit("brn.checksum", 5001, Error, HELP);

/// Folds full-width digits and removes spaces and dashes.
pub fn compact(input: &str) -> String {
    fold(input, &[' ', '-']).text
}

/// The check digit of the first 14 digits.
pub fn calc_check_digit(first14: &str) -> Option<char> {
    let b = first14.as_bytes();
    if b.len() != 14 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let p = b.iter().fold(10u32, |p, &d| {
        let s = match (p + u32::from(d - b'0')) % 10 {
            0 => 10,
            s => s,
        };
        2 * s % 11
    });
    Some(char::from(b'0' + ((11 - p) % 10) as u8))
}

/// Checks a business registration number; findings carry the field name `business_reg_number`.
pub fn check(input: &str) -> Checked {
    check_field(input, "business_reg_number")
}

/// Checks a business registration number for the form field at `field`.
pub fn check_field(input: &str, field: &str) -> Checked {
    let mut out = Findings::new(field);
    out.extend(invisible_finding(input, out.field()));
    let number = compact(input);
    let len = number.chars().count();
    if number.is_empty() {
        out.add(&EMPTY, "请填写 15 位工商注册号。");
    } else if len != 15 {
        out.add(&LENGTH, format!("工商注册号应为 15 位数字，现在是 {len} 位（“{}”）。已换发新营业执照的，请改填 18 位统一社会信用代码。", quote(&number, 20)));
    } else if !number.bytes().all(|b| b.is_ascii_digit()) {
        out.add(&CHARACTERS, "工商注册号只能是数字，请核对。");
    } else if calc_check_digit(&number[..14]) != number[14..].chars().next() {
        out.add(&CHECKSUM, "工商注册号校验不通过：多半是某一位输错了，请对照营业执照核对。");
    }
    out.done(number)
}

/// The compact number, or the first error.
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
    fn every_single_digit_change_is_caught() {
        let valid = "110108000000016";
        assert!(is_valid(valid));
        for i in 0..15 {
            for d in b'0'..=b'9' {
                let mut b = valid.as_bytes().to_vec();
                if b[i] == d {
                    continue;
                }
                b[i] = d;
                assert!(!is_valid(std::str::from_utf8(&b).unwrap()));
            }
        }
    }
}
