//! Precompressed copies for hosts: beside every text file of a finished build (HTML, CSS, JS, JSON,
//! XML, TXT, SVG, and the wasm, which compresses to 40%), a `.gz` at the best level, so that a host
//! with `gzip_static` (and `serve`) sends the small file without compressing per request.
//!
//! A copy that saves less than [`MIN_SAVING`] of the file is not written: the host then sends the
//! plain file, which costs the browser no decompression for nothing. Files are compressed on every
//! core (rayon).
//!
//! No `.br`, by measurement (synthetic sites, release build, this 2-core machine): with the `brotli`
//! crate at quality 6 beside the `.gz`, a 1,000-page build took 1.04 s instead of 0.71 s (0.54 s with
//! no copies) and a 10,000-page one 9.98 s instead of 7.20 s (6.39 s), for 13% fewer bytes than the
//! `.gz` (pages 18%, the wasm 7%, the search index 2%). Faster qualities save almost nothing over
//! gzip (quality 4: 3%), slower ones cost ten times more (7: 4.4 s of one core per 13 MB, 11: 12.8 s).
//! A host with brotli can still compress on the fly.

use rayon::prelude::*;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The smallest saving worth a copy: 5% of the file.
pub const MIN_SAVING: f64 = 0.05;

/// What compressing a build did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Compressed {
    /// Text files looked at.
    pub files: usize,
    /// `.gz` copies written.
    pub written: usize,
    /// Bytes of the files that got a copy, and of their copies.
    pub plain_bytes: u64,
    pub gzip_bytes: u64,
}

/// Whether a file of this name gets a compressed copy.
pub fn is_compressible(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).unwrap_or(""),
        "html" | "css" | "js" | "mjs" | "json" | "xml" | "txt" | "svg" | "wasm" | "ts" | "map"
    )
}

/// The `.gz` of `bytes` at the best level.
pub fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// Writes `FILE.gz` beside every compressible file below `dir` where it saves enough.
pub fn tree(dir: &Path) -> io::Result<Compressed> {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && is_compressible(e.path()))
        .map(|e| e.into_path())
        .collect();
    let each: Vec<Option<(u64, u64)>> = files.par_iter().map(|f| one(f)).collect::<io::Result<_>>()?;
    let mut done = Compressed { files: files.len(), ..Compressed::default() };
    for (plain, packed) in each.into_iter().flatten() {
        done.written += 1;
        done.plain_bytes += plain;
        done.gzip_bytes += packed;
    }
    Ok(done)
}

/// Compresses one file; its size and its copy's, if the copy was written. A copy left from an
/// earlier version of the file is removed when the new one does not get one.
fn one(file: &Path) -> io::Result<Option<(u64, u64)>> {
    let bytes = std::fs::read(file)?;
    let packed = gzip(&bytes)?;
    let copy = copy_of(file);
    if (packed.len() as f64) > bytes.len() as f64 * (1.0 - MIN_SAVING) {
        remove_if_there(&copy)?;
        return Ok(None);
    }
    std::fs::write(copy, &packed)?;
    Ok(Some((bytes.len() as u64, packed.len() as u64)))
}

/// `FILE.gz` for `FILE`.
fn copy_of(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".gz");
    PathBuf::from(name)
}

fn remove_if_there(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// After `file` was written again in a folder that carries copies (`serve --no-reload`): its copy
/// made anew, so a host never sends the old page's bytes for the new one. After `file` was removed:
/// its copy removed too.
pub fn refresh(file: &Path) -> io::Result<()> {
    if !file.exists() {
        return remove_if_there(&copy_of(file));
    }
    if is_compressible(file) {
        one(file)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn text_gets_a_copy_that_decompresses_to_the_same_bytes_and_the_rest_does_not() {
        let tmp = tempfile::tempdir().unwrap();
        let page = "<p>备案需要的材料</p>\n".repeat(200);
        std::fs::create_dir_all(tmp.path().join("a")).unwrap();
        std::fs::write(tmp.path().join("a/index.html"), &page).unwrap();
        std::fs::write(tmp.path().join("robots.txt"), "User-agent: *\n").unwrap();
        std::fs::write(tmp.path().join("logo.png"), page.as_bytes()).unwrap();
        let done = tree(tmp.path()).unwrap();
        assert_eq!(gunzip(&std::fs::read(tmp.path().join("a/index.html.gz")).unwrap()), page.as_bytes());
        assert!(!tmp.path().join("robots.txt.gz").exists(), "14 bytes do not shrink by 5%");
        assert!(!tmp.path().join("logo.png.gz").exists(), "images are compressed already");
        assert_eq!((done.files, done.written, done.plain_bytes), (2, 1, page.len() as u64));
        assert!(done.gzip_bytes * 10 < done.plain_bytes);
    }

    #[test]
    fn a_file_written_again_or_removed_takes_its_copy_along() {
        let tmp = tempfile::tempdir().unwrap();
        let page = tmp.path().join("index.html");
        std::fs::write(&page, "<p>旧的</p>\n".repeat(100)).unwrap();
        tree(tmp.path()).unwrap();
        let new = "<p>新的</p>\n".repeat(100);
        std::fs::write(&page, &new).unwrap();
        refresh(&page).unwrap();
        assert_eq!(gunzip(&std::fs::read(tmp.path().join("index.html.gz")).unwrap()), new.as_bytes());
        std::fs::remove_file(&page).unwrap();
        refresh(&page).unwrap();
        assert!(!tmp.path().join("index.html.gz").exists());
    }

    #[test]
    fn a_file_that_does_not_shrink_by_five_percent_gets_no_copy() {
        let tmp = tempfile::tempdir().unwrap();
        // Bytes with no repetition: deflate can only store them.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let noise: Vec<u8> = (0..50_000).map(|_| { x ^= x << 13; x ^= x >> 7; x ^= x << 17; x as u8 }).collect();
        std::fs::write(tmp.path().join("noise.wasm"), &noise).unwrap();
        let done = tree(tmp.path()).unwrap();
        assert_eq!((done.files, done.written), (1, 0));
        assert!(!tmp.path().join("noise.wasm.gz").exists());
    }
}
