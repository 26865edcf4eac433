//! Where a content file lands: `guides/first-filing.md` → `/guides/first-filing/`,
//! `faq/_index.md` → `/faq/`, `_index.md` → `/`. Pure string functions.

/// The site path of a content file (path relative to `content/`, `/`-separated).
pub fn url_for_source(rel: &str) -> String {
    let rel = rel.trim_start_matches("./");
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let stem = stem.strip_suffix("_index").unwrap_or(stem).trim_end_matches('/');
    if stem.is_empty() {
        "/".into()
    } else {
        format!("/{stem}/")
    }
}

/// Resolves `.` and `..` in a `/`-separated relative path.
pub fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The output file for a site path: `/a/b/` → `a/b/index.html`.
pub fn output_file(url: &str) -> String {
    let trimmed = url.trim_matches('/');
    if url.ends_with(".html") || url.ends_with(".xml") || url.ends_with(".txt") {
        trimmed.to_string()
    } else if trimmed.is_empty() {
        "index.html".into()
    } else {
        format!("{trimmed}/index.html")
    }
}

/// Characters a path must escape in an address: controls, space and what would end or change it.
const PATH_ESCAPES: &percent_encoding::AsciiSet =
    &percent_encoding::CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'<').add(b'>').add(b'?').add(b'`').add(b'{').add(b'}');

/// A site path as it is written in an address: `/a b/` → `/a%20b/` (also non-ASCII as UTF-8 escapes).
pub fn encode_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, PATH_ESCAPES).to_string()
}

/// A path from an address as the file it names: `%20` → space.
pub fn decode_path(path: &str) -> String {
    percent_encoding::percent_decode_str(path).decode_utf8_lossy().into_owned()
}

/// Adds a trailing slash to a path-like URL without one (`/a/b` → `/a/b/`), for aliases.
pub fn with_trailing_slash(url: &str) -> String {
    let url = if url.starts_with('/') { url.to_string() } else { format!("/{url}") };
    if url.ends_with('/') || url.rsplit('/').next().is_some_and(|s| s.contains('.')) {
        url
    } else {
        format!("{url}/")
    }
}

/// Why an alias is not a plain site path inside the site, if it is not. An alias becomes a file of
/// the output, so anything that could point elsewhere is refused: `..` and `.` parts, `\\`, empty
/// parts, encoded dots and slashes, a scheme or a host, a query or fragment, control characters.
pub fn alias_problem(alias: &str) -> Option<String> {
    let lower = alias.to_ascii_lowercase();
    if alias.starts_with("//") || alias.contains(':') {
        return Some("an alias is an old address on this site: it cannot name a scheme or another host".into());
    }
    if !alias.starts_with('/') {
        return Some("write it as a site path from the root, like /old/first-filing/".into());
    }
    if alias.contains('\\') {
        return Some("an alias cannot contain a backslash (\\): use /".into());
    }
    if ["%2e", "%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return Some("an alias cannot encode a dot, slash, backslash or NUL (%2e, %2f, %5c, %00): write the path plainly".into());
    }
    if alias.contains(['?', '#']) {
        return Some("an alias is a path: leave out ? and #".into());
    }
    let Ok(decoded) = percent_encoding::percent_decode_str(alias).decode_utf8() else {
        return Some("its %-escapes are not UTF-8".into());
    };
    if decoded.chars().any(|c| c.is_control()) {
        return Some("an alias cannot contain control characters".into());
    }
    let parts: Vec<&str> = decoded.trim_start_matches('/').trim_end_matches('/').split('/').collect();
    if parts.iter().any(|p| *p == "." || *p == "..") {
        return Some("an alias cannot contain . or .. parts: it must stay inside the site".into());
    }
    if decoded != "/" && parts.iter().any(|p| p.is_empty()) {
        return Some("an alias cannot contain an empty part (//)".into());
    }
    if let Some(part) = parts.iter().find(|p| p.len() > MAX_NAME_BYTES) {
        return Some(format!(
            "its part `{}…` is {} bytes: each part becomes a file or folder name, which the build writes with a `.gz` copy beside it, so a part may have at most {MAX_NAME_BYTES} bytes",
            part.chars().take(12).collect::<String>(),
            part.len()
        ));
    }
    if decoded.len() > MAX_PATH_BYTES {
        return Some(format!("it is {} bytes long: an alias may have at most {MAX_PATH_BYTES}", decoded.len()));
    }
    None
}

/// The longest name of a file or folder the build makes (a part of an alias or of a path below
/// content/), in bytes: a file name may have 255, and the copies beside it (`.gz`, `.json.gz`) are
/// longer.
pub const MAX_NAME_BYTES: usize = 200;
/// The longest alias or path below content/, in bytes, well inside a path's limit however deep the
/// output folder is.
pub const MAX_PATH_BYTES: usize = 1000;

/// The output file an alias (already checked by [`alias_problem`]) is written to, %-escapes decoded
/// as a host decodes them.
pub fn alias_file(alias: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(alias).decode_utf8_lossy();
    output_file(&with_trailing_slash(&decoded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(url_for_source("guides/first-filing.md"), "/guides/first-filing/");
        assert_eq!(url_for_source("faq/_index.md"), "/faq/");
        assert_eq!(url_for_source("_index.md"), "/");
        assert_eq!(url_for_source("glossary.md"), "/glossary/");
    }

    #[test]
    fn normalise_dots() {
        assert_eq!(normalise("guides/../faq/x.md"), "faq/x.md");
        assert_eq!(normalise("./a//b"), "a/b");
    }

    #[test]
    fn aliases_must_stay_inside_the_site() {
        for bad in [
            "/../../victim/notes.html",
            "/a/../b/",
            "/a/./b/",
            "old/page/",
            "/a\\b/",
            "/%2e%2e/x/",
            "/a%2Fb/",
            "https://evil.example/",
            "//evil.example/x/",
            "/a?b",
            "/a//b/",
            "/a%0ab/",
        ] {
            assert!(alias_problem(bad).is_some(), "{bad}");
        }
        for good in ["/old/first-filing/", "/旧地址/", "/%E6%97%A7/", "/old.html", "/a/b"] {
            assert_eq!(alias_problem(good), None, "{good}");
        }
        assert_eq!(alias_file("/%E6%97%A7/"), "旧/index.html");
        assert_eq!(alias_file("/a/b"), "a/b/index.html");
    }

    #[test]
    fn paths_with_spaces_are_escaped_and_read_back() {
        assert_eq!(encode_path("/guides/a b/"), "/guides/a%20b/");
        assert_eq!(decode_path("/guides/a%20b/"), "/guides/a b/");
        assert_eq!(decode_path(&encode_path("/指南/a%b/")), "/指南/a%b/");
    }

    #[test]
    fn output_files() {
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/faq/x/"), "faq/x/index.html");
        assert_eq!(output_file("/404.html"), "404.html");
    }
}
