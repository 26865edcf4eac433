//! The ICANN section of the Public Suffix List, compiled in (or given at run time: [`provide`]).
//!
//! A domain to be filed must be registrable under a real top-level domain (MIIT 1004): one label
//! more than its public suffix. Only the ICANN section is kept: private suffixes such as
//! `github.io` are not registrable domains for a filing. Under `.jp` only the second-level rules
//! are kept (`data/SOURCES.md` says why). The `psl` crate compiles the whole list into
//! code (about 270 KB gzipped in wasm); here the list is text grouped by TLD (`data/public-suffixes.txt`,
//! 16 KB gzipped), read once into a sorted index and binary-searched. Rules are stored in Unicode, so
//! callers pass Unicode, lower-case labels ([`crate::punycode`] decodes `xn--` labels).
//!
//! ```
//! use beian_rules::public_suffix::suffix_len;
//! assert_eq!(suffix_len(&["www", "example", "com", "cn"]), Some(2));
//! assert_eq!(suffix_len(&["食狮", "公司", "cn"]), Some(2));
//! assert_eq!(suffix_len(&["example", "invalidtld"]), None);
//! ```

use std::sync::OnceLock;

use crate::tables::Table;

#[cfg(feature = "builtin-tables")]
const BUILTIN: Option<&str> = Some(include_str!("../data/public-suffixes.txt"));
#[cfg(not(feature = "builtin-tables"))]
const BUILTIN: Option<&str> = None;

static DATA: Table = Table::new(BUILTIN);

/// Gives the list's text (`data/public-suffixes.txt`) where it is not compiled in (feature
/// `builtin-tables`). False, and no change, if it was compiled in or given before.
pub fn provide(text: &'static str) -> bool {
    DATA.provide(text)
}

/// Is the list there (compiled in or given)? Without it no TLD is known.
pub fn available() -> bool {
    DATA.text().is_some()
}

/// (TLD, its rules without the TLD label, sorted; `-` is the TLD's own rule).
type Index = Vec<(&'static str, Vec<&'static str>)>;

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    static EMPTY: Index = Vec::new();
    let Some(text) = DATA.text() else { return &EMPTY };
    INDEX.get_or_init(|| {
        text.lines()
            .filter_map(|line| {
                let mut words = line.split(' ');
                let tld = words.next().filter(|t| !t.is_empty())?;
                Some((tld, words.collect()))
            })
            .collect()
    })
}

fn rules_for(tld: &str) -> Option<&'static [&'static str]> {
    let index = index();
    index.binary_search_by(|(t, _)| (*t).cmp(tld)).ok().map(|i| index[i].1.as_slice())
}

/// Is the TLD in the list?
pub fn is_known_tld(tld: &str) -> bool {
    rules_for(tld).is_some()
}

/// How many of the trailing `labels` form the public suffix; `None` when the TLD is unknown.
/// Labels must be lower-case Unicode. Follows the PSL algorithm: exception rules win, then the
/// longest matching rule, wildcards included.
pub fn suffix_len(labels: &[&str]) -> Option<usize> {
    let (&tld, _) = labels.split_last()?;
    let rules = rules_for(tld)?;
    let has = |rule: &str| rules.binary_search(&rule).is_ok();
    let n = labels.len();
    let mut best = 1;
    for start in (0..n - 1).rev() {
        let rest = labels[start..n - 1].join(".");
        let parent = labels[start + 1..n - 1].join(".");
        if has(&format!("!{rest}")) {
            return Some(n - start - 1);
        }
        let wildcard = if parent.is_empty() { "*".to_owned() } else { format!("*.{parent}") };
        if has(&rest) || has(&wildcard) {
            best = n - start;
        }
    }
    Some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registrable(domain: &str) -> Option<String> {
        let labels: Vec<&str> = domain.split('.').collect();
        let len = suffix_len(&labels)?;
        (labels.len() > len).then(|| labels[labels.len() - len - 1..].join("."))
    }

    #[test]
    fn data_is_sorted_for_binary_search() {
        let index = index();
        assert!(index.len() > 1000);
        assert!(index.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(index.iter().all(|(_, rules)| rules.windows(2).all(|w| w[0] < w[1])));
    }

    #[test]
    fn psl_test_cases() {
        // From publicsuffix/list tests/test_psl.txt (ICANN cases).
        assert_eq!(registrable("com"), None);
        assert_eq!(registrable("example.com"), Some("example.com".into()));
        assert_eq!(registrable("b.example.com"), Some("example.com".into()));
        assert_eq!(registrable("uk.com"), Some("uk.com".into())); // uk.com is a private suffix
        assert_eq!(registrable("ck"), None);
        assert_eq!(registrable("test.ck"), None);
        assert_eq!(registrable("b.test.ck"), Some("b.test.ck".into()));
        assert_eq!(registrable("www.ck"), Some("www.ck".into()));
        assert_eq!(registrable("食狮.com.cn"), Some("食狮.com.cn".into()));
        assert_eq!(registrable("食狮.公司.cn"), Some("食狮.公司.cn".into()));
        assert_eq!(registrable("www.食狮.公司.cn"), Some("食狮.公司.cn".into()));
        assert_eq!(registrable("食狮.中国"), Some("食狮.中国".into()));
        assert_eq!(registrable("www.食狮.中国"), Some("食狮.中国".into()));
        assert_eq!(registrable("shishi.中国"), Some("shishi.中国".into()));
        assert_eq!(registrable("中国"), None);
        assert_eq!(registrable("a.b.example.bj.cn"), Some("example.bj.cn".into()));
        assert_eq!(registrable("foo.github.io"), Some("github.io".into())); // ICANN only
    }

    #[test]
    fn japan_keeps_its_second_level_rules_only() {
        assert_eq!(registrable("www.example.co.jp"), Some("example.co.jp".into()));
        assert_eq!(registrable("example.aichi.jp"), Some("example.aichi.jp".into()));
        // The list's city rule *.kobe.jp is left out (data/SOURCES.md): kobe.jp is one domain here.
        assert_eq!(registrable("b.c.kobe.jp"), Some("kobe.jp".into()));
    }
}
