//! ICP filing numbers (ICP 备案号) and the numbers people confuse with them.
//!
//! | kind | shape | example |
//! |---|---|---|
//! | subject number 主体备案号 | `<省>ICP备<serial>号` | 京ICP备10206937号 |
//! | website number 网站备案号 | subject number + `-N` | 京ICP备10206937号-1 |
//! | commercial licence 经营许可证 | `<省>B2-<8 digits>`, `B1`, `B1.B2`, `<省>ICP证<6 digits>号` | 浙B2-20080101 |
//! | app, mini program, quick app 小程序 / 快应用 | website number + `A`, `X` or `K` | 京ICP备10206937号-2A |
//! | public-security number 公安备案号 | `<省>公网安备<14 digits>号` | 京公网安备11010802020134号 |
//!
//! The province is one character (京 津 冀 … 新); 川/蜀, 贵/黔, 云/滇, 甘/陇 and 陕/秦 are both
//! in use. The serial is 8 digits (`YY` + 6) in older numbers, some very old ones 6, and 10 digits
//! (`YYYY` + 6) since 2019; 2019 has both. `N` numbers the subject's websites and may have several
//! digits (京ICP备15039648号-15).
//!
//! Spaces, full-width digits and letters and Unicode dashes (－, —) are normalised first: the seeds
//! themselves write "京 ICP 备 10206937 号-1". A field can ask for a subject number (a new website
//! under a subject filed elsewhere) or a website number (adding access, 转接入), and is told which one
//! it got. A public-security number is recognised and named, never accepted as an ICP number; an
//! app's number or a licence number where a website number is wanted is named too, with what to
//! enter instead. Miswritings with a certain fix get it offered: 号 missing, the sequence written
//! before 号 (京ICP备16059763-1号 → 京ICP备16059763号-1).
//!
//! Sources: seeds 000, 003, 004 #28, #29; validation-rules.md.
//!
//! ```
//! use beian_rules::filing_number::{self, Expect, Kind};
//! let r = filing_number::check("京 ICP 备 10206937 号－1", Expect::Website);
//! assert!(r.ok);
//! assert_eq!(r.value, "京ICP备10206937号-1");
//! assert_eq!(filing_number::parse("蜀ICP备2023023736号-3").unwrap().kind, Kind::Website);
//!
//! // A website number where the subject number was asked for: the subject number is offered.
//! let r = filing_number::check("京ICP备10206937号-1", Expect::Subject);
//! assert_eq!((r.ok, r.value.as_str()), (false, "京ICP备10206937号"));
//! assert_eq!(r.findings[0].rule, "filing.expected_subject");
//!
//! // Not an ICP number at all.
//! let r = filing_number::check("京公网安备11010802020134号", Expect::Any);
//! assert_eq!(r.findings[0].rule, "filing.public_security");
//! assert_eq!(filing_number::check("浙B2-20080101", Expect::Website).findings[0].rule, "filing.licence");
//! ```

use crate::finding::{Checked, Finding, Findings, Rule, Severity::*};
pub use crate::model::Expect;
use crate::normalise::{fold, quote, invisible_finding};
use crate::regions::{province_by_abbreviation, Province};

const HELP: &str = "/faq/subject-vs-website-number/";

/// Empty field.
pub const EMPTY: Rule = Rule::miit("filing.empty", 5001, Error, "/codes/5001/");
/// Not the shape of any filing number.
pub const FORMAT: Rule = Rule::new("filing.format", Error, HELP);
/// The first character is no province abbreviation.
pub const PROVINCE: Rule = Rule::new("filing.province", Error, HELP);
/// The serial is not 6, 8 or 10 digits (8 historically, some very old ones 6, 10 since 2019:
/// validation-rules.md, from real numbers; the seeds show 8-digit ones).
pub const SERIAL: Rule = Rule::new("filing.serial", Error, HELP);
/// A 10-digit serial whose year is before 2019.
pub const SERIAL_YEAR: Rule = Rule::new("filing.serial_year", Warning, HELP);
/// A website number where a subject number was asked for.
pub const EXPECTED_SUBJECT: Rule = Rule::new("filing.expected_subject", Error, HELP);
/// A subject number where a website number was asked for.
pub const EXPECTED_WEBSITE: Rule = Rule::new("filing.expected_website", Error, "/guides/transfer/");
/// A commercial licence number where a filing number was asked for.
pub const LICENCE: Rule = Rule::new("filing.licence", Error, "/faq/commercial-vs-noncommercial/");
/// An app's, mini program's or quick app's number where a website's was asked for.
pub const APP_NUMBER: Rule = Rule::new("filing.app_number", Error, HELP);
/// The website's sequence written before 号 (京ICP备16059763-1号).
pub const SEQUENCE_ORDER: Rule = Rule::new("filing.sequence_order", Error, HELP);
/// A public-security filing number.
pub const PUBLIC_SECURITY: Rule = Rule::new("filing.public_security", Error, HELP);

/// What a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 主体备案号.
    Subject,
    /// 网站备案号.
    Website,
    /// An app's, mini program's or quick app's number: the website number's shape with a letter
    /// after the sequence, A, X or K (京ICP备10206937号-2A).
    App,
    /// 经营许可证编号 (B1/B2, ICP证).
    Licence,
    /// 公安联网备案号.
    PublicSecurity,
}

/// A recognised number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingNumber {
    /// What it is.
    pub kind: Kind,
    /// The province of its prefix (none for 合字 joint-venture licences).
    pub province: Option<&'static Province>,
    /// The serial digits.
    pub serial: String,
    /// `N` of a website number.
    pub site: Option<u32>,
    /// The canonical spelling.
    pub canonical: String,
}

impl FilingNumber {
    /// The subject number a website number belongs to (itself for a subject number).
    pub fn subject_number(&self) -> Option<String> {
        match self.kind {
            Kind::Subject | Kind::Website | Kind::App => Some(self.canonical.split('-').next().unwrap_or_default().to_owned()),
            _ => None,
        }
    }
}

/// Folds full-width characters and dashes, removes all spaces, upper-cases `icp`, `b`.
pub fn compact(input: &str) -> String {
    let mut text = fold(input, &[]).text;
    text.retain(|c| !c.is_whitespace() && !c.is_control());
    text.make_ascii_uppercase();
    text
}

/// The canonical spelling, or the compact text if it is not a filing number.
pub fn format(input: &str) -> String {
    parse(input).map(|n| n.canonical).unwrap_or_else(|_| compact(input))
}

/// Recognises a number; `Err` carries the first error (with field `filing_number`).
pub fn parse(input: &str) -> Result<FilingNumber, Finding> {
    parse_compact(&compact(input), "filing_number").map(|(n, _)| n)
}

/// Parses a compact text: the number, and a finding when its spelling had to be repaired
/// (missing 号 or 备), in which case the canonical spelling is the offered correction.
fn parse_compact(s: &str, field: &str) -> Result<(FilingNumber, Option<Finding>), Finding> {
    let err = |rule: &Rule, msg: String| Err(rule.finding(field, msg));
    let mut chars = s.chars();
    let first = chars.next().unwrap_or_default();
    let rest = chars.as_str();
    if let Some(digits) = rest.strip_prefix("公网安备") {
        let serial: String = digits.chars().take_while(char::is_ascii_digit).collect();
        return err(&PUBLIC_SECURITY, format!("“{}”是公安联网备案号（公网安备），不是 ICP 备案号。ICP 备案号的样子是“{first}ICP备12345678号-1”，请在工信部备案网站上查询后填写。", quote(&format!("{first}公网安备{serial}号"), 40)));
    }
    if let Some(n) = licence(first, rest) {
        return Ok((n, None));
    }
    let Some(province) = province_by_abbreviation(first) else {
        return err(&if s.contains("ICP") { PROVINCE } else { FORMAT }, format!("“{}”不是备案号的格式。备案号以省份简称开头，如“浙ICP备12345678号”（主体备案号）或“浙ICP备12345678号-1”（网站备案号）。", quote(s, 40)));
    };
    let Some(body) = rest.strip_prefix("ICP") else {
        return err(&FORMAT, format!("“{}”不是备案号的格式：省份简称后面应是“ICP备”，如“{first}ICP备12345678号-1”。", quote(s, 40)));
    };
    let (body, had_bei) = match body.strip_prefix('备') {
        Some(b) => (b, true),
        None => (body, false),
    };
    let serial_len = body.bytes().take_while(u8::is_ascii_digit).count();
    let serial = &body[..serial_len];
    let after = &body[serial_len..];
    let (after, had_hao, hao_last) = match (after.strip_prefix('号'), after.strip_suffix('号')) {
        (Some(a), _) => (a, true, false),
        // 京ICP备16059763-1号: the sequence written before 号.
        (None, Some(a)) if a.starts_with('-') => (a, true, true),
        _ => (after, false, false),
    };
    // -N, or -NA / -NX / -NK for an app, a mini program or a quick app (工信部信管〔2023〕105号).
    let (after, app) = match after.strip_suffix(['A', 'X', 'K']) {
        Some(a) if a.len() > 1 => (a, after.chars().last()),
        _ => (after, None),
    };
    let site = match after {
        "" => None,
        _ => match after.strip_prefix('-').filter(|n| !n.is_empty() && n.len() <= 6 && n.bytes().all(|b| b.is_ascii_digit())) {
            Some(n) => Some(n.parse::<u32>().unwrap_or(0)),
            None => return err(&FORMAT, format!("“{}”不是备案号的格式：号码应以“号”结尾，网站备案号再加“-序号”，如“{first}ICP备12345678号-1”。", quote(s, 40))),
        },
    };
    if serial.is_empty() {
        return err(&FORMAT, format!("“{}”里没有备案序号：应是“{first}ICP备”加 8 位或 10 位数字再加“号”。", quote(s, 40)));
    }
    if !matches!(serial.len(), 6 | 8 | 10) {
        return err(&SERIAL, format!("备案号里的序号“{}”有 {} 位：序号是 8 位或 10 位（10 位的从 2019 年起才有，很早的号码也有 6 位），请对照工信部备案网站上的记录核对。", quote(serial, 20), serial.len()));
    }
    if site == Some(0) {
        return err(&FORMAT, "网站备案号“-”后面的序号从 1 开始，请核对。".to_owned());
    }
    let kind = match (site, app) {
        (None, _) => Kind::Subject,
        (Some(_), None) => Kind::Website,
        (Some(_), Some(_)) => Kind::App,
    };
    let mut canonical = format!("{first}ICP备{serial}号");
    if let Some(n) = site {
        canonical.push_str(&format!("-{n}"));
        canonical.extend(app);
    }
    let repaired = if hao_last {
        Some(SEQUENCE_ORDER.finding(field, format!("网站序号要写在“号”的后面：应写作 {canonical}。")))
    } else {
        (!had_bei || !had_hao).then(|| FORMAT.finding(field, format!("备案号的写法不完整，应写作 {canonical}。")))
    };
    let number = FilingNumber { kind, province: Some(province), serial: serial.to_owned(), site, canonical };
    Ok((number, repaired))
}

/// Commercial licence numbers: `浙B2-20080101`, `苏B1-20130063`, `合字B1.B2-20130004`, `京ICP证110507号`.
fn licence(first: char, rest: &str) -> Option<FilingNumber> {
    let (province, rest) = match (first, rest.strip_prefix('字')) {
        ('合', Some(r)) => (None, r),
        _ => (Some(province_by_abbreviation(first)?), rest),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let serial = if let Some(r) = rest.strip_prefix("ICP证") {
        // 京ICP证030173号, also written with a website's sequence: 京ICP证030173号-1.
        let (serial, site) = r.split_once('号')?;
        if !digits(serial) || !(site.is_empty() || site.strip_prefix('-').is_some_and(digits)) {
            return None;
        }
        serial
    } else {
        let (class, serial) = rest.split_once('-')?;
        if !matches!(class, "B1" | "B2" | "B1.B2" | "B1B2") || !digits(serial) {
            return None;
        }
        serial
    };
    let canonical = match province {
        Some(_) => format!("{first}{rest}"),
        None => format!("合字{rest}"),
    };
    Some(FilingNumber { kind: Kind::Licence, province, serial: serial.to_owned(), site: None, canonical })
}

/// Checks a filing number; findings carry the field name `filing_number`.
pub fn check(input: &str, expect: Expect) -> Checked {
    check_field(input, "filing_number", expect)
}

/// Checks a filing number for the form field at `field`, which asks for `expect`.
pub fn check_field(input: &str, field: &str, expect: Expect) -> Checked {
    let mut out = Findings::new(field);
    out.extend(invisible_finding(input, out.field()));
    let text = compact(input);
    if text.is_empty() {
        out.add(&EMPTY, match expect {
            Expect::Website => "请填写网站备案号（形如“浙ICP备12345678号-1”）。",
            _ => "请填写备案号（形如“浙ICP备12345678号”）。",
        });
        return out.done(text);
    }
    let (number, repaired) = match parse_compact(&text, field) {
        Ok(parsed) => parsed,
        Err(finding) => {
            out.list.push(finding);
            return out.done(text);
        }
    };
    out.list.extend(repaired);
    if number.serial.len() == 10 && number.serial[..4] < *"2019" {
        out.add(&SERIAL_YEAR, format!("10 位的序号从 2019 年起才有，前 4 位是年份；“{}”的年份在 2019 年以前，请核对。", number.serial));
    }
    let app = match number.canonical.chars().last() {
        Some('A') => "App",
        Some('X') => "小程序",
        _ => "快应用",
    };
    let value = match (expect, number.kind) {
        (Expect::Subject, Kind::Website | Kind::App) => {
            let subject = number.subject_number().unwrap_or_default();
            let given = if number.kind == Kind::App { app } else { "网站" };
            out.add(&EXPECTED_SUBJECT, format!("这里要填主体备案号（不带“-”和后面的序号）：{subject}。你填的是{given}备案号。"));
            subject
        }
        (Expect::Website, Kind::App) => {
            let subject = number.subject_number().unwrap_or_default();
            out.add(&APP_NUMBER, format!("{} 是{app}的备案号（序号后面带字母），不是网站备案号。这里要填这个网站的备案号，形如 {subject}-1（序号后面没有字母），请在工信部备案网站上查到后填写。", number.canonical));
            number.canonical
        }
        (Expect::Website, Kind::Subject) => {
            out.add(&EXPECTED_WEBSITE, format!("这里要填网站备案号，即主体备案号后面加“-序号”，如 {}-1。你填的 {} 是主体备案号，请在工信部备案网站上查到这个网站的编号后填写。", number.canonical, number.canonical));
            number.canonical
        }
        (Expect::Subject | Expect::Website, Kind::Licence) => {
            let p = number.province.map_or('浙', |p| p.abbreviations[0]);
            let (wanted, example) = if expect == Expect::Website { ("网站备案号", "号-1") } else { ("主体备案号", "号") };
            out.add(&LICENCE, format!("{} 是增值电信业务经营许可证的编号（经营许可证编号），不是 ICP 备案号。这里要填{wanted}，形如 {p}ICP备12345678{example}：请在工信部备案网站上查这个主体的备案信息，填写其中的{wanted}。", number.canonical));
            number.canonical
        }
        _ => number.canonical,
    };
    out.done(value)
}

/// The canonical number, or the first error, for a field that asks for `expect`.
pub fn validate(input: &str, expect: Expect) -> Result<String, Finding> {
    check(input, expect).into_result()
}

/// True when [`validate`] succeeds.
pub fn is_valid(input: &str, expect: Expect) -> bool {
    validate(input, expect).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_rule(input: &str, expect: Expect) -> Option<&'static str> {
        check(input, expect).findings.first().map(|f| f.rule)
    }

    #[test]
    fn real_numbers_pass() {
        for n in ["京ICP备10206937号-1", "京ICP备15039648号-15", "京ICP备2019036842号-1", "豫ICP备2020028892号-1", "蜀ICP备2023023736号-3", "川ICP备15095485号-1", "贵ICP备2021004806号-1", "陇ICP备19001358号-1", "滇ICP备2023006063号-1"] {
            assert_eq!(first_rule(n, Expect::Website), None, "{n}");
        }
        for n in ["粤ICP备2023007649号", "京ICP备06003845号", "京ICP备10206937号"] {
            assert_eq!(first_rule(n, Expect::Subject), None, "{n}");
        }
    }

    #[test]
    fn licences_are_recognised() {
        for n in ["浙B2-20040180", "苏B1-20130063", "合字B1.B2-20130004", "京ICP证110507号"] {
            let parsed = parse(n).unwrap();
            assert_eq!(parsed.kind, Kind::Licence, "{n}");
            assert_eq!(first_rule(n, Expect::Any), None);
            assert_eq!(first_rule(n, Expect::Subject), Some("filing.licence"));
        }
    }

    #[test]
    fn normalises_spaces_and_width() {
        assert_eq!(check("京 ICP 备 10206937 号-1", Expect::Website).value, "京ICP备10206937号-1");
        assert_eq!(check("京icp备１０２０６９３７号—1", Expect::Website).value, "京ICP备10206937号-1");
    }

    #[test]
    fn repairs_are_offered() {
        let r = check("京ICP备10206937-1", Expect::Website);
        assert_eq!((r.ok, r.value.as_str(), r.findings[0].rule), (false, "京ICP备10206937号-1", "filing.format"));
        assert_eq!(check("京ICP10206937号", Expect::Subject).value, "京ICP备10206937号");
    }

    #[test]
    fn app_mini_program_and_quick_app_numbers_are_named_where_a_website_number_is_expected() {
        for (n, what) in [("京ICP备10206937号-2A", "App"), ("京ICP备10206937号-3x", "小程序"), ("粤ICP备2023007649号-4K", "快应用")] {
            assert_eq!(parse(n).unwrap().kind, Kind::App, "{n}");
            assert_eq!(first_rule(n, Expect::Any), None, "{n}");
            let r = check(n, Expect::Website);
            assert_eq!(r.findings[0].rule, "filing.app_number", "{n}");
            assert!(r.findings[0].message.contains(what) && r.findings[0].message.contains("号-1"), "{}", r.findings[0].message);
            let r = check(n, Expect::Subject);
            assert_eq!((r.findings[0].rule, r.value.split('号').count()), ("filing.expected_subject", 2), "{n}");
        }
    }

    #[test]
    fn licence_numbers_say_which_number_to_enter_instead() {
        let r = check("粤B2-20090059", Expect::Website);
        assert_eq!(r.findings[0].rule, "filing.licence");
        assert!(r.findings[0].message.contains("经营许可证") && r.findings[0].message.contains("网站备案号，形如 粤ICP备12345678号-1"), "{}", r.findings[0].message);
        assert!(check("京ICP证030173号", Expect::Subject).findings[0].message.contains("主体备案号，形如 京ICP备12345678号："));
        assert_eq!(parse("京ICP证030173号-1").unwrap().kind, Kind::Licence);
    }

    #[test]
    fn sequence_written_before_hao_is_offered_in_the_right_order() {
        let r = check("京ICP备16059763-1号", Expect::Website);
        assert_eq!((r.ok, r.value.as_str(), r.findings[0].rule), (false, "京ICP备16059763号-1", "filing.sequence_order"));
        assert!(r.findings[0].message.contains("京ICP备16059763号-1"));
        assert_eq!(check("京 ICP 备 16059763－12 号", Expect::Any).value, "京ICP备16059763号-12");
        assert_eq!(check("京ICP备16059763-2A号", Expect::Any).value, "京ICP备16059763号-2A");
        assert_eq!(first_rule("京ICP备16059763-号", Expect::Any), Some("filing.format"));
    }

    #[test]
    fn wrong_shapes() {
        assert_eq!(first_rule("", Expect::Any), Some("filing.empty"));
        assert_eq!(first_rule("港ICP备10206937号", Expect::Any), Some("filing.province"));
        assert_eq!(first_rule("京ICP备1020693号", Expect::Any), Some("filing.serial"));
        assert_eq!(first_rule("京ICP备10206937号-0", Expect::Any), Some("filing.format"));
        assert_eq!(first_rule("京ICP备10206937号-1y", Expect::Any), Some("filing.format"));
        assert_eq!(first_rule("京ICP备10206937号-1AX", Expect::Any), Some("filing.format"));
        assert_eq!(first_rule("hello", Expect::Any), Some("filing.format"));
        assert_eq!(first_rule("京ICP备2015036842号", Expect::Any), Some("filing.serial_year"));
        assert_eq!(first_rule("京ICP备10206937号", Expect::Website), Some("filing.expected_website"));
    }
}
