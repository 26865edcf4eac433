//! Reading the site's own files. Only a regular file is read (through a symbolic link, what it
//! leads to must be one), and at most [`MAX_SOURCE_BYTES`] of it: a `site.toml` that is a link to
//! `/dev/zero` grew `check` to gigabytes, and a FIFO or a folder where a data file should be hung
//! or failed the build after `check` said ok. Such a file is an error that names it instead.

use std::io::{self, Read};
use std::path::Path;

/// The largest source file read: a long help page is well under 1 MB, an image asset a few MB.
pub const MAX_SOURCE_BYTES: u64 = 64 << 20;

/// The bytes of the regular file at `path`.
pub fn bytes(path: &Path) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        let kind = if meta.is_dir() { "a folder" } else { "not a regular file (a device, a pipe or a socket)" };
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("it is {kind}: a source must be a regular file")));
    }
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(too_large());
    }
    let mut out = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut out)?;
    if out.len() as u64 > MAX_SOURCE_BYTES {
        return Err(too_large());
    }
    Ok(out)
}

/// The text of the regular file at `path`, which must be UTF-8, each line ending a `\n` (or
/// `\r\n`): a lone `\r`, which Markdown also ends a line with, becomes `\n` (the same byte count, so
/// every offset and line stays), so that the limits that count lines count what the parser sees.
pub fn text(path: &Path) -> io::Result<String> {
    let mut bytes = bytes(path)?;
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    String::from_utf8(bytes).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text: save it as UTF-8"))
}

fn too_large() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("it is larger than {} MB, more than any source of a site", MAX_SOURCE_BYTES >> 20))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_device_a_pipe_and_a_folder_are_refused_without_reading_regression() {
        let tmp = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/dev/zero", tmp.path().join("site.toml")).unwrap();
        assert!(text(&tmp.path().join("site.toml")).unwrap_err().to_string().contains("not a regular file"));
        let fifo = tmp.path().join("search.toml");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        assert!(text(&fifo).unwrap_err().to_string().contains("not a regular file"), "a FIFO is refused, not waited on");
        assert!(text(tmp.path()).unwrap_err().to_string().contains("a folder"));
        std::fs::write(tmp.path().join("ok.toml"), "a = 1\n").unwrap();
        assert_eq!(text(&tmp.path().join("ok.toml")).unwrap(), "a = 1\n");
    }

    /// The fourth attack review: a page written with lone `\r` line endings was one line to the
    /// line and nesting limits and millions to the parser (9.4 MB took 2.08 GB).
    #[test]
    fn a_lone_carriage_return_ends_a_line_regression() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("p.md"), "a\rb\r\nc\r").unwrap();
        assert_eq!(text(&tmp.path().join("p.md")).unwrap(), "a\nb\r\nc\n");
    }
}
