//! The homepage URL (首页网址).
//!
//! Exactly one URL (seed 003: "首页的网址…只能输入一个"); its host is one of the website's listed
//! domains or a host under one of them: domain `example.com`, homepage `www.example.com` (MIIT 1041,
//! seed 004 #13). A scheme is optional, and only `http` or `https`. The host is compared in Unicode,
//! so `www.食狮.中国` matches `xn--85x722f.xn--fiqs8s`.
//!
//! ```
//! use beian_rules::homepage;
//! assert!(homepage::check("www.example.com", &["example.com"]).ok);
//! assert!(homepage::check("https://WWW.Example.com/index.html", &["example.com"]).ok);
//! assert_eq!(homepage::check("https://WWW.Example.com/", &["example.com"]).value, "https://www.example.com/");
//!
//! let r = homepage::check("www.example.net", &["example.com"]);
//! assert_eq!(r.findings[0].miit_code, Some(1041));
//! assert_eq!(homepage::check("a.com b.com", &["a.com"]).findings[0].rule, "homepage.multiple");
//! ```

use crate::domain::{self, to_unicode};
use crate::finding::{Checked, Findings, Rule, Severity::*};
use crate::normalise::{fold, lower_ascii, quote, invisible_finding};

const HELP: &str = "/codes/1041/";

/// Empty field.
pub const EMPTY: Rule = Rule::miit("homepage.empty", 5001, Error, "/codes/5001/");
/// More than one URL.
pub const MULTIPLE: Rule = Rule::new("homepage.multiple", Error, "/faq/subdomain/");
/// A scheme other than http/https.
pub const SCHEME: Rule = Rule::miit("homepage.scheme", 5001, Error, "/codes/5001/");
/// The host is not a host name.
pub const HOST: Rule = Rule::miit("homepage.host", 5001, Error, "/codes/5001/");
/// The host is not under any listed domain.
pub const DOMAIN_MISMATCH: Rule = Rule::miit("homepage.domain_mismatch", 1041, Error, HELP);

/// Checks a homepage URL against the website's domains; findings carry the field name `homepage`.
pub fn check(input: &str, domains: &[&str]) -> Checked {
    check_field(input, "homepage", domains)
}

/// Checks a homepage URL for the form field at `field`.
pub fn check_field(input: &str, field: &str, domains: &[&str]) -> Checked {
    let mut out = Findings::new(field);
    out.extend(invisible_finding(input, out.field()));
    let text = fold(input, &[]).text;
    if text.is_empty() {
        out.add(&EMPTY, "请填写首页网址，如 www.example.com。");
        return out.done(text);
    }
    if text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '、' | '，' | '；')).filter(|p| !p.is_empty()).count() > 1 {
        out.add(&MULTIPLE, "首页网址只能填写一个。");
        return out.done(text);
    }
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (Some(scheme.to_ascii_lowercase()), rest),
        None => (None, text.as_str()),
    };
    if let Some(s) = scheme.as_deref().filter(|s| !matches!(*s, "http" | "https")) {
        out.add(&SCHEME, format!("首页网址只能以 http:// 或 https:// 开头，“{}://”不行；也可以不写。", quote(s, 20)));
        return out.done(text);
    }
    let host_end = rest.find(['/', '?', '#', ':', '\\']).unwrap_or(rest.len());
    let host = lower_ascii(&rest[..host_end]);
    let host = host.trim_end_matches('.');
    let value = match &scheme {
        Some(s) => format!("{s}://{host}{}", &rest[host_end..]),
        None => format!("{host}{}", &rest[host_end..]),
    };
    let host_unicode = to_unicode(host).filter(|h| !h.is_empty() && !h.contains('@') && domain::to_ascii(h).is_some());
    let Some(host_unicode) = host_unicode.filter(|h| h.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))) else {
        out.add(&HOST, format!("“{}”不是有效的网址：应写作 www.example.com 这样的地址。", quote(&text, 60)));
        return out.done(value);
    };
    let listed: Vec<String> = domains.iter().filter_map(|d| to_unicode(d.trim().trim_end_matches('.'))).filter(|d| !d.is_empty()).collect();
    let under = |d: &String| host_unicode == *d || host_unicode.strip_suffix(d.as_str()).is_some_and(|p| p.ends_with('.'));
    if !listed.is_empty() && !listed.iter().any(under) {
        let first = domains.first().map(|d| domain::compact(d)).unwrap_or_default();
        out.add(&DOMAIN_MISMATCH, format!("首页网址的主机名“{}”不在填写的域名（{}）之下（管局返回 1041）。请改为这些域名下的地址，如 www.{}。", quote(host, 60), quote(&listed.join("、"), 120), quote(&first, 60)));
    }
    out.done(value)
}

/// The normalised URL, or the first error.
pub fn validate(input: &str, domains: &[&str]) -> Result<String, crate::Finding> {
    check(input, domains).into_result()
}

/// True when [`validate`] succeeds.
pub fn is_valid(input: &str, domains: &[&str]) -> bool {
    validate(input, domains).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(input: &str, domains: &[&str]) -> Vec<&'static str> {
        check(input, domains).findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn hosts_under_listed_domains() {
        let none: Vec<&str> = vec![];
        assert_eq!(rules("example.com", &["example.com"]), none);
        assert_eq!(rules("www.example.com", &["example.net", "Example.COM"]), none);
        assert_eq!(rules("http://www.食狮.中国/", &["xn--85x722f.xn--fiqs8s"]), none);
        assert_eq!(rules("www.example.com:8080/a", &["example.com"]), none);
        assert_eq!(rules("notexample.com", &["example.com"]), ["homepage.domain_mismatch"]);
    }

    #[test]
    fn mistakes() {
        assert_eq!(rules("", &["a.com"]), ["homepage.empty"]);
        assert_eq!(rules("www.a.com，www.b.com", &["a.com"]), ["homepage.multiple"]);
        assert_eq!(rules("ftp://a.com", &["a.com"]), ["homepage.scheme"]);
        assert_eq!(rules("http://", &["a.com"]), ["homepage.host"]);
        assert_eq!(rules("user@a.com", &["a.com"]), ["homepage.host"]);
    }
}
