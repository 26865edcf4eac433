//! The link check: every internal link (site path or `.md` file, already rewritten to a site path)
//! must reach a page, an alias or a file the builder writes, and its anchor must exist on that page.

use std::collections::{HashMap, HashSet};

use crate::content::Content;
use crate::error::{ContentError, ContentErrors};
use crate::markdown::Link;
use crate::paths;

/// Prefixes of files the builder or a later step writes (assets, the search index, the validator).
const GENERATED_PREFIXES: &[&str] = &["/assets/"];

/// In a page's anchors: its body failed to render, so its ids are unknown and every anchor into it
/// passes (its own error is reported).
pub const ANY_ANCHOR: &str = "\0any";

/// Checks `links[i]` (the links of page `i`) against the pages' anchors.
pub fn check(
    content: &Content,
    links: &[&[Link]],
    anchors: &HashMap<String, HashSet<String>>,
    errors: &mut ContentErrors,
) {
    let aliases = alias_urls(content);
    for (page, page_links) in content.pages.iter().zip(links) {
        for link in page_links.iter() {
            if let Err(message) = check_one(&page.url, &link.href, anchors, &aliases) {
                errors.push(ContentError::new(&page.file, Some(link.line), message));
            }
        }
    }
}

/// Checks the links written in data files (the wizard's guides, the statuses' links) the same way.
pub fn check_data(content: &Content, hrefs: &[crate::data_check::DataHref], anchors: &HashMap<String, HashSet<String>>, errors: &mut ContentErrors) {
    let aliases = alias_urls(content);
    for h in hrefs {
        // A data file's address reaches the page as a link too: the same scheme rule as content's.
        if let Err(why) = crate::raw_html::safe_url(&h.href) {
            errors.push(ContentError::new(&h.file, h.line, why));
            continue;
        }
        // The tool pages print it (/status/, /wizard/, /materials/), where a relative address
        // resolves against their own address: `faq/x/` on /status/ is /status/faq/x/ (red-team 10, F3).
        if !h.href.starts_with('/') && !is_external(&h.href) {
            errors.push(ContentError::new(&h.file, h.line, format!(
                "link to {}: a data file's address is shown on the tool pages, where a relative address leads elsewhere: write a site path from the root (/faq/…)",
                h.href
            )));
            continue;
        }
        if let Err(message) = check_one("/", &h.href, anchors, &aliases) {
            errors.push(ContentError::new(&h.file, h.line, message));
        }
    }
}

/// Every alias as the address a link to it would name.
fn alias_urls(content: &Content) -> HashSet<String> {
    content.pages.iter().flat_map(|p| p.front.aliases.iter().map(|a| paths::with_trailing_slash(a))).collect()
}

fn check_one(page_url: &str, href: &str, anchors: &HashMap<String, HashSet<String>>, aliases: &HashSet<String>) -> Result<(), String> {
    // A browser reads `\` as `/` in a web address: `\/evil.example/../../q/` is another host, which
    // the path check below took for a page of this site (red-team 7, F8).
    if href.contains('\\') {
        return Err(format!("link to {href}: an address may not hold `\\` (a browser reads it as `/`, which can lead to another site): write `/`"));
    }
    if is_external(href) {
        return Ok(());
    }
    let (path, anchor) = match href.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (href, None),
    };
    let path = paths::decode_path(path.split('?').next().unwrap_or(""));
    let target = if path.is_empty() {
        page_url.to_string()
    } else if path.starts_with('/') {
        // `..` is resolved first, as the browser does: `/assets/../x/` is `/x/`, not an asset.
        let normal = format!("/{}", paths::normalise(&path));
        if path.ends_with('/') && normal != "/" { format!("{normal}/") } else { normal }
    } else {
        format!("/{}", paths::normalise(&format!("{page_url}{path}")))
    };
    if GENERATED_PREFIXES.iter().any(|p| target.starts_with(p)) {
        return Ok(());
    }
    let target = paths::with_trailing_slash(&target);
    let Some(ids) = anchors.get(&target) else {
        if aliases.contains(&target) {
            return Ok(());
        }
        return Err(format!("link to {href}: no page has the address {target}. Link to an existing page (site path like /faq/ or a .md file)"));
    };
    match anchor {
        Some(a) if !a.is_empty() && !ids.contains(ANY_ANCHOR) && !ids.contains(percent_decode(a).as_str()) => Err(format!(
            "link to {href}: the page {target} has no heading or entry with id `{a}`{}",
            nearest(a, ids).map(|n| format!(" (did you mean `{n}`?)")).unwrap_or_default()
        )),
        _ => Ok(()),
    }
}

/// A link that leaves the site: one that starts with a scheme (`https:`, `mailto:`; which schemes
/// may be written is [`crate::raw_html::safe_url`]'s rule) or with `//`. A `://` later in the link
/// (`/faq/?next=https://x`) does not make a site path external: such a link was never checked.
fn is_external(href: &str) -> bool {
    href.starts_with("//") || has_scheme(href)
}

/// Whether `href` starts with `scheme:` (a letter, then letters, digits, `+`, `-` or `.`), as a
/// browser reads it.
fn has_scheme(href: &str) -> bool {
    let Some((scheme, _)) = href.split_once(':') else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Pages with more ids than this get no "did you mean" hint: the hint compares the wanted id with
/// every id of the page, and 16,000 broken links into a page of 160,000 ids took 58 s of `check`.
/// A help page has tens of ids, an FAQ collection hundreds.
const MAX_IDS_FOR_A_HINT: usize = 2_000;

/// The id sharing the longest prefix with `wanted`, as a hint.
fn nearest<'a>(wanted: &str, ids: &'a HashSet<String>) -> Option<&'a str> {
    if ids.len() > MAX_IDS_FOR_A_HINT {
        return None;
    }
    let score = |id: &str| id.chars().zip(wanted.chars()).take_while(|(a, b)| a == b).count();
    ids.iter().map(|s| s.as_str()).filter(|id| score(id) >= 3).max_by_key(|id| (score(id), std::cmp::Reverse(id.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchors() -> HashMap<String, HashSet<String>> {
        let mut a = HashMap::new();
        a.insert("/faq/".to_string(), HashSet::from(["password-lost".to_string()]));
        a.insert("/guides/x/".to_string(), HashSet::from(["steps".to_string()]));
        a
    }

    #[test]
    fn good_links_pass() {
        let a = anchors();
        let none = HashSet::new();
        assert!(check_one("/guides/x/", "/faq/#password-lost", &a, &none).is_ok());
        assert!(check_one("/guides/x/", "#steps", &a, &none).is_ok());
        assert!(check_one("/guides/x/", "../../faq/", &a, &none).is_ok());
        assert!(check_one("/guides/x/", "https://beian.miit.gov.cn/", &a, &none).is_ok());
        assert!(check_one("/guides/x/", "/faq", &a, &none).is_ok());
    }

    /// Red-team 6, F7: a link holding `://` anywhere was taken for an external one and never checked.
    #[test]
    fn a_site_path_holding_a_scheme_later_is_still_checked_regression() {
        let a = anchors();
        let none = HashSet::new();
        assert!(check_one("/guides/x/", "/no-such-page/?next=https://a.example/", &a, &none).is_err());
        assert!(check_one("/guides/x/", "/faq/?next=https://a.example/#password-lost", &a, &none).is_ok());
        assert!(check_one("/guides/x/", "mailto:beian@example.com", &a, &none).is_ok());
        assert!(check_one("/guides/x/", "//cdn.example.com/x.js", &a, &none).is_ok());
        assert!(is_external("HTTPS://beian.miit.gov.cn/") && !is_external("guides/x.md") && !is_external("/a:b/") && !is_external("1a:b"));
    }

    /// Red-team 7, F8: `\/host/../../q/` is `//host/q/` to a browser, and passed as a site path.
    #[test]
    fn a_backslash_in_an_address_is_refused_regression() {
        let a = anchors();
        let none = HashSet::new();
        let e = check_one("/guides/x/", "\\/evil.example/../../faq/", &a, &none).unwrap_err();
        assert!(e.contains("may not hold `\\`"), "{e}");
        assert!(check_one("/guides/x/", "/faq\\", &a, &none).is_err());
    }

    /// Red-team 6, F2: the hint compared each broken anchor with every id of the page.
    #[test]
    fn a_page_of_many_ids_gives_no_hint_in_place_of_a_slow_one_regression() {
        let few: HashSet<String> = ["password-lost".to_string()].into();
        assert_eq!(nearest("password-lots", &few), Some("password-lost"));
        let many: HashSet<String> = (0..=MAX_IDS_FOR_A_HINT).map(|i| format!("password-{i}")).collect();
        assert_eq!(nearest("password-lost", &many), None);
    }

    #[test]
    fn missing_page_and_missing_anchor_fail() {
        let a = anchors();
        let none = HashSet::new();
        assert!(check_one("/", "/nope/", &a, &none).unwrap_err().contains("no page"));
        let e = check_one("/", "/faq/#password-los", &a, &none).unwrap_err();
        assert!(e.contains("did you mean `password-lost`"), "{e}");
    }
}
