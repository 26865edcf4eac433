//! The link check: every internal link (site path or `.md` file, already rewritten to a site path)
//! must reach a page, an alias or a file the builder writes, and its anchor must exist on that page.

use std::collections::{HashMap, HashSet};

use crate::content::Content;
use crate::error::{ContentError, ContentErrors};
use crate::markdown::Link;
use crate::paths;

/// Prefixes of files the builder or a later step writes (assets, the search index, the validator).
const GENERATED_PREFIXES: &[&str] = &["/assets/"];

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
        Some(a) if !a.is_empty() && !ids.contains(percent_decode(a).as_str()) => Err(format!(
            "link to {href}: the page {target} has no heading or entry with id `{a}`{}",
            nearest(a, ids).map(|n| format!(" (did you mean `{n}`?)")).unwrap_or_default()
        )),
        _ => Ok(()),
    }
}

fn is_external(href: &str) -> bool {
    href.contains("://") || href.starts_with("mailto:") || href.starts_with("tel:") || href.starts_with("//") || href.starts_with("data:")
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// The id sharing the longest prefix with `wanted`, as a hint.
fn nearest<'a>(wanted: &str, ids: &'a HashSet<String>) -> Option<&'a str> {
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

    #[test]
    fn missing_page_and_missing_anchor_fail() {
        let a = anchors();
        let none = HashSet::new();
        assert!(check_one("/", "/nope/", &a, &none).unwrap_err().contains("no page"));
        let e = check_one("/", "/faq/#password-los", &a, &none).unwrap_err();
        assert!(e.contains("did you mean `password-lost`"), "{e}");
    }
}
