//! Domain names (域名) as the filing form wants them.
//!
//! A filed domain is a registrable domain: exactly one label more than its public suffix in the
//! ICANN part of the Public Suffix List ([`crate::public_suffix`]), so `example.com`, `example.com.cn`,
//! `食狮.中国` and `食狮.公司.cn`, but not `com.cn` (a suffix), `example.invalidtld` (no such TLD:
//! MIIT 1004) nor `www.example.com` (a host under a domain; second-level hosts need no filing of
//! their own, seed 004 #21). Domains are entered without `www.`, scheme, port or path (seed 003).
//!
//! Checks, in order: characters (after removing a scheme, path or port, each reported with the
//! corrected value), labels, top-level domain, then registrability. Upper case and full-width
//! characters (`ｅｘａｍｐｌｅ。ｃｏｍ`) are normalised silently. Chinese IDN domains may be given in
//! Unicode or as `xn--` Punycode; the value keeps the form given, [`to_ascii`] and [`to_unicode`]
//! convert.
//!
//! Sources: seed 003, seed 004 #3 (1004), #21; validation-rules.md; publicsuffix.org.
//!
//! ```
//! use beian_rules::domain;
//! assert!(domain::check("Example.COM").ok);
//! assert_eq!(domain::check("Example.COM").value, "example.com");
//! assert!(domain::check("食狮.中国").ok);
//! assert!(domain::check("xn--85x722f.xn--fiqs8s").ok);
//! assert_eq!(domain::to_ascii("食狮.中国").as_deref(), Some("xn--85x722f.xn--fiqs8s"));
//!
//! let r = domain::check("https://www.example.com/index.html");
//! assert_eq!(r.value, "example.com");
//! assert!(!r.ok);
//!
//! let r = domain::check("blog.example.com.cn");
//! assert_eq!((r.value.as_str(), r.findings[0].rule), ("example.com.cn", "domain.subdomain"));
//!
//! assert_eq!(domain::check("example.invalidtld").findings[0].miit_code, Some(1004));
//! assert_eq!(domain::check("com.cn").findings[0].rule, "domain.is_suffix");
//! ```

use crate::finding::{Checked, Findings, Rule, Severity::*};
use crate::normalise::{fold, lower_ascii, quote, invisible_finding};
use crate::public_suffix;
use crate::punycode::{label_to_ascii, label_to_unicode};

const HELP: &str = "/codes/1004/";

/// Empty field.
pub const EMPTY: Rule = Rule::miit("domain.empty", 5001, Error, "/codes/5001/");
/// A scheme (`http://`) before the domain.
pub const SCHEME: Rule = Rule::miit("domain.scheme", 1004, Error, HELP);
/// A path, query or port after the domain.
pub const PATH: Rule = Rule::miit("domain.path", 1004, Error, HELP);
/// Characters or labels that no domain has.
pub const CHARACTERS: Rule = Rule::miit("domain.characters", 1004, Error, HELP);
/// The top-level domain does not exist.
pub const UNKNOWN_TLD: Rule = Rule::miit("domain.unknown_tld", 1004, Error, HELP);
/// The domain is itself a public suffix (`com.cn`).
pub const IS_SUFFIX: Rule = Rule::miit("domain.is_suffix", 1004, Error, HELP);
/// `www.` in front of the domain.
pub const WWW: Rule = Rule::miit("domain.www", 1004, Error, "/faq/subdomain/");
/// A host under a registrable domain.
pub const SUBDOMAIN: Rule = Rule::miit("domain.subdomain", 1004, Error, "/faq/subdomain/");

/// Folds full-width characters (and `。`), trims, lower-cases.
pub fn compact(input: &str) -> String {
    lower_ascii(&fold(input, &[]).text)
}

/// The domain with every label in ASCII (`xn--` Punycode); `None` if a label cannot be converted.
pub fn to_ascii(domain: &str) -> Option<String> {
    let labels: Option<Vec<String>> = compact(domain).split('.').map(label_to_ascii).collect();
    labels.map(|l| l.join("."))
}

/// The domain with every `xn--` label decoded; `None` if one is not valid Punycode.
pub fn to_unicode(domain: &str) -> Option<String> {
    let labels: Option<Vec<String>> = compact(domain).split('.').map(label_to_unicode).collect();
    labels.map(|l| l.join("."))
}

/// The registrable domain of a host (`www.example.com.cn` → `example.com.cn`), in the host's own
/// spelling; `None` if the host is not under a registrable domain.
pub fn registrable_domain(host: &str) -> Option<String> {
    let host = compact(host);
    let host = host.trim_end_matches('.');
    let unicode = to_unicode(host)?;
    let labels: Vec<&str> = unicode.split('.').collect();
    let suffix = public_suffix::suffix_len(&labels)?;
    if labels.len() <= suffix {
        return None;
    }
    let keep = suffix + 1;
    let given: Vec<&str> = host.split('.').collect();
    Some(given[given.len() - keep..].join("."))
}

/// Is one label well formed? ASCII letters, digits and inner hyphens, or (IDN) letters of any script;
/// `xn--` labels must decode; at most 63 bytes in ASCII form.
fn label_ok(label: &str) -> bool {
    let chars_ok = label.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || (!c.is_ascii() && c.is_alphanumeric()));
    chars_ok
        && !label.is_empty()
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label_to_unicode(label).is_some()
        && label_to_ascii(label).is_some_and(|a| a.len() <= 63)
}

/// Checks a domain; findings carry the field name `domain`.
pub fn check(input: &str) -> Checked {
    check_field(input, "domain")
}

/// Checks a domain for the form field at `field`.
pub fn check_field(input: &str, field: &str) -> Checked {
    let mut out = Findings::new(field);
    out.extend(invisible_finding(input, out.field()));
    let mut text = compact(input);
    if text.is_empty() {
        out.add(&EMPTY, "请填写域名，如 example.com。");
        return out.done(text);
    }
    if let Some(i) = text.find("://") {
        text.drain(..i + 3);
        out.add(&SCHEME, format!("域名前面不要加“http://”或“https://”，请填写 {}。", quote(host_part(&text), 60)));
    }
    let host_len = host_part(&text).len();
    if host_len < text.len() {
        text.truncate(host_len);
        out.add(&PATH, format!("域名后面不要加端口、路径或“/”，请只填写域名：{}。", quote(&text, 60)));
    }
    if text.ends_with('.') {
        text.pop();
    }
    if text.chars().any(|c| c.is_whitespace() || matches!(c, ',' | ';' | '、' | '，' | '；')) {
        out.add(&CHARACTERS, "一个输入框只填写一个域名，中间不能有空格或逗号；有多个域名请分别填写。");
        return out.done(text);
    }
    if text.len() > 253 || !text.split('.').all(label_ok) || !text.contains('.') {
        out.add(&CHARACTERS, format!("“{}”不是有效的域名：域名由点分隔的几段组成，每段是字母、数字、连字符（不在首尾）或汉字，如 example.com、示例.中国。", quote(&text, 60)));
        return out.done(text);
    }
    check_registrable(text, out)
}

/// The host part: everything before a port, path, query or fragment.
fn host_part(text: &str) -> &str {
    let end = text.find(['/', '?', '#', ':', '\\']).unwrap_or(text.len());
    &text[..end]
}

fn check_registrable(text: String, mut out: Findings<'_>) -> Checked {
    let unicode = to_unicode(&text).unwrap_or_else(|| text.clone());
    let labels: Vec<&str> = unicode.split('.').collect();
    let tld = labels.last().copied().unwrap_or_default();
    let Some(suffix) = public_suffix::suffix_len(&labels) else {
        out.add(&UNKNOWN_TLD, format!("顶级域名“.{}”不存在（管局返回 1004 无效域名），请核对域名的拼写。", quote(tld, 30)));
        return out.done(text);
    };
    if labels.len() <= suffix {
        out.add(&IS_SUFFIX, format!("“{}”是公共域名后缀，不能备案。请填写你注册的完整域名，如 example.{}。", quote(&text, 60), quote(&unicode, 60)));
        return out.done(text);
    }
    let extra = labels.len() - suffix - 1;
    if extra == 0 {
        return out.done(text);
    }
    let given: Vec<&str> = text.split('.').collect();
    let registrable = given[extra..].join(".");
    let r = quote(&registrable, 60);
    if extra == 1 && given[0] == "www" {
        out.add(&WWW, format!("域名前面不要加“www.”，请填写 {r}。"));
    } else {
        out.add(&SUBDOMAIN, format!("“{}”是 {r} 下面的二级域名：备案填写注册的域名 {r}，二级域名不需要单独备案。如果这是平台分给你的二级域名（不是你自己注册的），它不能备案，请备案你自己注册的域名。", quote(&text, 60)));
    }
    out.done(registrable)
}

/// The normalised domain, or the first error.
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

    fn rules(input: &str) -> Vec<&'static str> {
        check(input).findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn registrable_domains_pass() {
        for d in ["example.com", "example.com.cn", "example.bj.cn", "食狮.中国", "食狮.公司.cn", "xn--85x722f.xn--fiqs8s", "a-b.net", "ＥＸＡＭＰＬＥ。ＣＯＭ"] {
            assert_eq!(rules(d), Vec::<&str>::new(), "{d}");
        }
    }

    #[test]
    fn mistakes() {
        assert_eq!(rules(""), ["domain.empty"]);
        assert_eq!(rules("http://example.com"), ["domain.scheme"]);
        assert_eq!(rules("example.com:8080"), ["domain.path"]);
        assert_eq!(rules("example.com/"), ["domain.path"]);
        assert_eq!(rules("www.example.com"), ["domain.www"]);
        assert_eq!(rules("a.b.example.com"), ["domain.subdomain"]);
        assert_eq!(rules("example.com, example.net"), ["domain.characters"]);
        assert_eq!(rules("-example.com"), ["domain.characters"]);
        assert_eq!(rules("exa_mple.com"), ["domain.characters"]);
        assert_eq!(rules("example"), ["domain.characters"]);
        assert_eq!(rules("example..com"), ["domain.characters"]);
        assert_eq!(rules("xn--zz!.com"), ["domain.characters"]);
        assert_eq!(rules("example.notatld"), ["domain.unknown_tld"]);
        assert_eq!(rules("com.cn"), ["domain.is_suffix"]);
        assert_eq!(rules("example.com."), Vec::<&str>::new());
    }

    #[test]
    fn conversions() {
        assert_eq!(to_unicode("xn--85x722f.xn--fiqs8s").as_deref(), Some("食狮.中国"));
        assert_eq!(registrable_domain("WWW.食狮.公司.cn").as_deref(), Some("食狮.公司.cn"));
        assert_eq!(registrable_domain("com.cn"), None);
    }
}
