//! Contact details: mobile numbers, e-mail addresses and postal addresses.
//!
//! - Mobile numbers (手机号码): 11 digits starting with 1 (then 3–9); `+86`/`0086` and separators are
//!   dropped. Some bureaus also want a landline: that is provider policy, not checked here.
//! - E-mail addresses: one `@`, a plain local part, and a domain with a dot. The bureau sends the
//!   filing password there (seed 003), so a typo costs a trip to the bureau.
//! - Addresses: "城镇的地址应该精确到门牌号" (seed 003): a town address reaches the house number
//!   (…号, …室, …栋). No source gives a rule for village addresses: one that names its village or
//!   group (…村, …组) is accepted, and the message states only the town rule. This is a heuristic,
//!   so it is a warning.
//!
//! ```
//! use beian_rules::contact;
//! assert_eq!(contact::check_mobile("+86 138-0013-8000", "mobile").value, "13800138000");
//! assert_eq!(contact::check_mobile("1380013800", "mobile").findings[0].rule, "contact.mobile");
//! assert!(contact::check_email("Zhang.San@Example.COM", "email").ok);
//! assert_eq!(contact::check_email("zhangsan@example", "email").findings[0].rule, "contact.email");
//! assert!(contact::check_address("浙江省杭州市西湖区示例路 1 号", "address").findings.is_empty());
//! assert_eq!(contact::check_address("浙江省杭州市西湖区", "address").findings[0].rule, "contact.address_detail");
//! ```

use crate::finding::{Checked, Findings, Rule, Severity::*};
use crate::normalise::{fold, lower_ascii, quote, invisible_finding};

const HELP: &str = "/codes/5001/";

/// A required field is empty.
pub const REQUIRED: Rule = Rule::miit("contact.required", 5001, Error, HELP);
/// Not an 11-digit mobile number.
pub const MOBILE: Rule = Rule::miit("contact.mobile", 5001, Error, HELP);
/// Not an e-mail address.
pub const EMAIL: Rule = Rule::miit("contact.email", 5001, Error, HELP);
/// The address does not reach the house number.
pub const ADDRESS_DETAIL: Rule = Rule::new("contact.address_detail", Warning, "/guides/first-filing/");

/// Checks a mobile number; the value is the 11 digits.
pub fn check_mobile(input: &str, field: &str) -> Checked {
    let mut out = Findings::new(field);
    out.extend(invisible_finding(input, out.field()));
    let text = fold(input, &[' ', '-', '(', ')']).text;
    if text.is_empty() {
        out.add(&REQUIRED, "请填写手机号码。");
        return out.done(text);
    }
    let digits = text.strip_prefix("+86").or_else(|| text.strip_prefix("0086")).unwrap_or(&text);
    let digits = if digits.len() == 13 && digits.starts_with("86") { &digits[2..] } else { digits };
    let ok = digits.len() == 11 && digits.bytes().all(|b| b.is_ascii_digit()) && digits.starts_with('1') && matches!(digits.as_bytes()[1], b'3'..=b'9');
    if !ok {
        out.add(&MOBILE, format!("“{}”不是有效的手机号码：应为 11 位数字，以 1 开头。", quote(&text, 30)));
        return out.done(text);
    }
    out.done(digits.to_owned())
}

/// Checks an e-mail address; the value has its domain lower-cased.
pub fn check_email(input: &str, field: &str) -> Checked {
    let mut out = Findings::new(field);
    out.extend(invisible_finding(input, out.field()));
    let text = fold(input, &[]).text;
    if text.is_empty() {
        out.add(&REQUIRED, "请填写电子邮箱。");
        return out.done(text);
    }
    let value = match text.rsplit_once('@') {
        Some((local, domain)) => format!("{local}@{}", lower_ascii(domain)),
        None => text.clone(),
    };
    if !email_ok(&value) {
        out.add(&EMAIL, format!("“{}”不是有效的电子邮箱地址，应写作 name@example.com。备案密码会发到这个邮箱，请仔细核对。", quote(&text, 60)));
    }
    out.done(value)
}

fn email_ok(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|tld| tld.chars().count() >= 2 && !tld.chars().all(|c| c.is_ascii_digit()));
    local_ok && domain_ok
}

/// Checks a postal address (证件住所 or 通信地址).
pub fn check_address(input: &str, field: &str) -> Checked {
    let mut out = Findings::new(field);
    out.extend(invisible_finding(input, out.field()));
    let text = fold(input, &[]).text;
    if text.is_empty() {
        out.add(&REQUIRED, "请填写地址，城镇地址要写到门牌号。");
        return out.done(text);
    }
    const DETAIL: [char; 10] = ['号', '室', '栋', '幢', '楼', '座', '村', '组', '屯', '庄'];
    if !text.contains(DETAIL) {
        out.add(&ADDRESS_DETAIL, "地址要写详细：城镇地址写到门牌号（如“示例路 1 号 2 幢 301 室”）。");
    }
    out.done(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles() {
        assert!(check_mobile("13800138000", "m").ok);
        assert!(check_mobile("8613800138000", "m").ok);
        assert!(check_mobile("１３８００１３８０００", "m").ok);
        assert!(!check_mobile("12800138000", "m").ok);
        assert!(!check_mobile("0571-88888888", "m").ok);
        assert!(!check_mobile("", "m").ok);
    }

    #[test]
    fn emails() {
        for ok in ["a@b.cn", "zhang.san+beian@example.com.cn", "a@食狮.中国", "zhangsan＠example.com"] {
            assert!(check_email(ok, "e").ok, "{ok}");
        }
        for bad in ["a@b", "@b.cn", "a b@c.cn", "a@@b.cn", "a@b..cn", "a.@b.cn", "a@-b.cn", "a@1.2"] {
            assert!(!check_email(bad, "e").ok, "{bad}");
        }
    }

    #[test]
    fn addresses() {
        assert!(check_address("浙江省温州市某某县某某镇三村五组", "a").findings.is_empty());
        assert!(!check_address("", "a").ok);
        assert!(check_address("杭州", "a").ok); // a warning only
    }
}
