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

/// Adds a trailing slash to a path-like URL without one (`/a/b` → `/a/b/`), for aliases.
pub fn with_trailing_slash(url: &str) -> String {
    let url = if url.starts_with('/') { url.to_string() } else { format!("/{url}") };
    if url.ends_with('/') || url.rsplit('/').next().is_some_and(|s| s.contains('.')) {
        url
    } else {
        format!("{url}/")
    }
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
    fn output_files() {
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/faq/x/"), "faq/x/index.html");
        assert_eq!(output_file("/404.html"), "404.html");
    }
}
