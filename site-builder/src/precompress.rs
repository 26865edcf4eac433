//! Precompressed copies for hosts, made in memory with the rest of the build: beside every text file (HTML, CSS, JS, JSON,
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
use std::path::Path;

use crate::output::OutputFile;

/// The smallest saving worth a copy: 5% of the file.
pub const MIN_SAVING: f64 = 0.05;

/// What compressing a build did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Compressed {
    /// Text files looked at.
    pub files: usize,
    /// `.gz` copies made.
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

/// The `.gz` copies of the compressible `files` that save enough (made on every core), and what
/// compressing them did.
pub fn copies(files: &[OutputFile]) -> io::Result<(Vec<OutputFile>, Compressed)> {
    let compressible: Vec<&OutputFile> = files.iter().filter(|f| is_compressible(Path::new(&f.path))).collect();
    let made: Vec<Option<OutputFile>> = compressible.par_iter().map(|f| copy(f)).collect::<io::Result<_>>()?;
    let mut done = Compressed { files: compressible.len(), ..Compressed::default() };
    let mut out = Vec::with_capacity(made.len());
    for (plain, packed) in compressible.iter().zip(made) {
        if let Some(packed) = packed {
            done.written += 1;
            done.plain_bytes += plain.bytes.len() as u64;
            done.gzip_bytes += packed.bytes.len() as u64;
            out.push(packed);
        }
    }
    Ok((out, done))
}

/// `FILE.gz` for one file, if it is compressible and the copy saves at least [`MIN_SAVING`].
pub fn copy(file: &OutputFile) -> io::Result<Option<OutputFile>> {
    if !is_compressible(Path::new(&file.path)) {
        return Ok(None);
    }
    let packed = gzip(&file.bytes)?;
    if (packed.len() as f64) > file.bytes.len() as f64 * (1.0 - MIN_SAVING) {
        return Ok(None);
    }
    Ok(Some(OutputFile { path: copy_path(&file.path), bytes: packed }))
}

/// `FILE.gz` for `FILE`, an output path.
pub fn copy_path(path: &str) -> String {
    format!("{path}.gz")
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

    fn file(path: &str, bytes: &[u8]) -> OutputFile {
        OutputFile { path: path.into(), bytes: bytes.to_vec() }
    }

    #[test]
    fn text_gets_a_copy_that_decompresses_to_the_same_bytes_and_the_rest_does_not() {
        let page = "<p>备案需要的材料</p>\n".repeat(200);
        let files = [file("a/index.html", page.as_bytes()), file("robots.txt", b"User-agent: *\n"), file("logo.png", page.as_bytes())];
        let (made, done) = copies(&files).unwrap();
        assert_eq!(made.len(), 1, "14 bytes do not shrink by 5%, and images are compressed already");
        assert_eq!(made[0].path, "a/index.html.gz");
        assert_eq!(gunzip(&made[0].bytes), page.as_bytes());
        assert_eq!((done.files, done.written, done.plain_bytes), (2, 1, page.len() as u64));
        assert!(done.gzip_bytes * 10 < done.plain_bytes);
    }

    #[test]
    fn a_file_that_does_not_shrink_by_five_percent_gets_no_copy() {
        // Bytes with no repetition: deflate can only store them.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let noise: Vec<u8> = (0..50_000).map(|_| { x ^= x << 13; x ^= x >> 7; x ^= x << 17; x as u8 }).collect();
        let (made, done) = copies(&[file("noise.wasm", &noise)]).unwrap();
        assert_eq!((done.files, done.written, made.len()), (1, 0, 0));
    }
}
