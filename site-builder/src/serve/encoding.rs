//! Which encoding `serve` sends a file in: the build's precompressed copy (`FILE.gz`, see
//! [`precompress`](crate::precompress); a `FILE.br` too, should one be there) when the request
//! accepts it, as a host with `gzip_static`/`brotli_static` does, so what is tested locally is what a
//! host sends.
//!
//! A copy that is a symlink is never sent (it could lead out of the output folder). A copy older than
//! its file is never sent: a rebuild that rewrote only the file (serve's live
//! rebuilds write no copies) would otherwise serve the old text.

use std::path::{Path, PathBuf};

/// Whether an `Accept-Encoding` header value accepts `coding` (`gzip`, `br`): named, and not with
/// `q=0`. `*` is not taken as naming it, so an odd client gets the plain file.
pub fn accepts(header: &str, coding: &str) -> bool {
    header.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or("");
        let refused = parts.any(|p| p.strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0)));
        name.eq_ignore_ascii_case(coding) && !refused
    })
}

/// The best copy of `file` that `accept_encoding` accepts and that is not older than `file`: its
/// `Content-Encoding` and path (serve streams it from there, as it does the file).
pub fn precompressed(file: &Path, accept_encoding: &str) -> Option<(&'static str, PathBuf)> {
    let modified = std::fs::metadata(file).and_then(|m| m.modified()).ok()?;
    for (coding, ext) in [("br", "br"), ("gzip", "gz")] {
        if !accepts(accept_encoding, coding) {
            continue;
        }
        let mut copy = file.as_os_str().to_owned();
        copy.push(".");
        copy.push(ext);
        let copy = PathBuf::from(copy);
        // A plain file only: a symlinked copy could lead out of the output folder, which `resolve`
        // checked for the file alone.
        let fresh = std::fs::symlink_metadata(&copy).is_ok_and(|m| m.is_file() && m.modified().is_ok_and(|m| m >= modified));
        if fresh {
            return Some((coding, copy));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip, deflate, br, zstd", "gzip"));
        assert!(accepts("GZIP;q=0.5", "gzip"));
        assert!(!accepts("gzip;q=0, br", "gzip"));
        assert!(!accepts("br;q=0.000", "br"));
        assert!(!accepts("identity", "gzip"));
        assert!(!accepts("*", "gzip"));
        assert!(!accepts("x-gzip-ish", "gzip"));
    }

    #[test]
    fn the_smallest_accepted_fresh_copy_is_chosen() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("index.html");
        std::fs::write(&file, "page").unwrap();
        std::fs::write(tmp.path().join("index.html.gz"), "gz").unwrap();
        std::fs::write(tmp.path().join("index.html.br"), "br").unwrap();
        let (br, gz) = (tmp.path().join("index.html.br"), tmp.path().join("index.html.gz"));
        assert_eq!(precompressed(&file, "gzip, br"), Some(("br", br.clone())));
        assert_eq!(precompressed(&file, "gzip"), Some(("gzip", gz.clone())));
        assert_eq!(precompressed(&file, "deflate"), None);
        std::fs::remove_file(&br).unwrap();
        assert_eq!(precompressed(&file, "br, gzip"), Some(("gzip", gz)));
    }

    #[test]
    fn a_copy_older_than_its_file_is_not_sent() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("index.html");
        std::fs::write(tmp.path().join("index.html.gz"), "old gz").unwrap();
        std::fs::write(&file, "new page").unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        std::fs::File::options().write(true).open(tmp.path().join("index.html.gz")).unwrap().set_modified(old).unwrap();
        assert_eq!(precompressed(&file, "gzip"), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_copy_is_not_sent() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("index.html");
        std::fs::write(&file, "page").unwrap();
        // Newer than the page, so only its being a link keeps it from being sent.
        std::fs::write(tmp.path().join("secret"), "s").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), tmp.path().join("index.html.gz")).unwrap();
        assert_eq!(precompressed(&file, "gzip"), None);
    }
}
