//! Precompressed copies for hosts, made in memory with the rest of the build: beside each file a
//! visitor's browser fetches whole and often — the scripts, styles and wasm, the data tables, the
//! search index's entry file — a `.gz` at the best level, so that a host with `gzip_static` (and
//! `serve`) sends the small file without compressing per request.
//!
//! Pages and the search index's shards get none ([`wants_copy`]): they are most of the site's files
//! (at 1,000 pages, 2,133 of the 2,340 copies), each is small and a host compresses it on the fly in
//! microseconds (`gzip on` in `deploy/nginx/help-centre.conf`; `serve` does the same), and a host
//! without either kind of compression (object storage) sends no copy at all. Writing them cost more
//! than the rest of the build on this machine's disk, where a file costs about 0.25 ms to create:
//! the 1,000-page build took 2.4 times Hugo's time with them, 1.3 times without (farm-bench, same
//! runs; see the README's benchmark table).
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

/// Whether the file at this output path gets a `.gz` copy: a compressible file that is neither a
/// page (`.html`) nor a shard of the search index (see the module's doc).
pub fn wants_copy(path: &str) -> bool {
    is_compressible(Path::new(path)) && !path.ends_with(".html") && !is_search_shard(path)
}

/// A file of the search index fetched piece by piece as queries need it (`assets/search/t/`, `d/`),
/// as against its entry file `meta.json`, which every search fetches first.
fn is_search_shard(path: &str) -> bool {
    ["assets/search/t/", "assets/search/d/"].iter().any(|shard| path.starts_with(shard))
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
    let compressible: Vec<&OutputFile> = files.iter().filter(|f| wants_copy(&f.path)).collect();
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

/// `FILE.gz` for one file, if it [wants a copy](wants_copy) and the copy saves at least [`MIN_SAVING`].
pub fn copy(file: &OutputFile) -> io::Result<Option<OutputFile>> {
    if !wants_copy(&file.path) {
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
        let script = "export const 材料 = ['备案需要的材料'];\n".repeat(200);
        let files = [file("assets/a.js", script.as_bytes()), file("robots.txt", b"User-agent: *\n"), file("logo.png", script.as_bytes())];
        let (made, done) = copies(&files).unwrap();
        assert_eq!(made.len(), 1, "14 bytes do not shrink by 5%, and images are compressed already");
        assert_eq!(made[0].path, "assets/a.js.gz");
        assert_eq!(gunzip(&made[0].bytes), script.as_bytes());
        assert_eq!((done.files, done.written, done.plain_bytes), (2, 1, script.len() as u64));
        assert!(done.gzip_bytes * 10 < done.plain_bytes);
    }

    /// Pages and search shards are compressed by the host as it sends them; the files every visitor
    /// fetches whole get a copy at the best level.
    #[test]
    fn pages_and_search_shards_get_no_copy_and_the_assets_do() {
        let text = "<p>备案需要的材料</p>\n".repeat(200);
        let paths = ["guides/first/index.html", "404.html", "assets/search/t/3.json", "assets/search/d/17.json", "assets/search/meta.json", "assets/data/wizard.json", "assets/site.0123456789ab.css", "sitemap.xml"];
        let files: Vec<OutputFile> = paths.iter().map(|p| file(p, text.as_bytes())).collect();
        let (made, _) = copies(&files).unwrap();
        let made: Vec<&str> = made.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(made, ["assets/search/meta.json.gz", "assets/data/wizard.json.gz", "assets/site.0123456789ab.css.gz", "sitemap.xml.gz"]);
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
