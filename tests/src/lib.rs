//! A small harness for the end-to-end tests: run the real `site-builder` binary on a fixture site in a
//! fresh temporary folder and read what it wrote.

pub mod browser;
pub mod recording_server;
pub mod search_eval;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the workspace").to_path_buf()
}

/// A fixture folder under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    workspace().join("tests/fixtures").join(name)
}

/// The builder under test: the e2e package's `e2e-site-builder` (the same command line as
/// `site-builder`), which cargo builds beside the test binary before it runs the tests. The
/// measuring tools, which cargo does not build it for, call [`build_site_builder`] first.
pub fn site_builder() -> PathBuf {
    let exe = std::env::current_exe().expect("the running program's path");
    let mut dir = exe.parent().expect("the program is in a folder").to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    let binary = dir.join("e2e-site-builder");
    assert!(binary.is_file(), "{} is missing: run the tests with `cargo test -p e2e`", binary.display());
    binary
}

/// Builds `e2e-site-builder` in this program's profile: for the tools run with `cargo run --bin`.
pub fn build_site_builder() {
    let mut cargo = Command::new(env!("CARGO"));
    cargo.args(["build", "-q", "-p", "e2e", "--bin", "e2e-site-builder"]).current_dir(workspace());
    if !cfg!(debug_assertions) {
        cargo.arg("--release");
    }
    assert!(cargo.status().expect("cargo runs").success(), "building e2e-site-builder failed");
}

/// A copy of a fixture site in a temporary folder, so a test can change it and build into it.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn copy_of(fixture_name: &str) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&fixture(fixture_name), dir.path());
        Site { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `site-builder ARGS --root <this site>`.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(site_builder()).args(args).arg("--root").arg(self.root()).output().expect("site-builder runs")
    }

    pub fn public(&self, path: &str) -> PathBuf {
        self.root().join("public").join(path)
    }

    /// A built file's text.
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.public(path)).unwrap_or_else(|e| panic!("public/{path}: {e}"))
    }

    /// The built name of an asset written as `plain` (`assets/style.css` → `assets/style.0123456789ab.css`):
    /// the one file beside it with the same stem and extension and a content hash between them.
    pub fn asset(&self, plain: &str) -> String {
        let (dir, name) = plain.rsplit_once('/').unwrap_or(("", plain));
        let (stem, ext) = name.rsplit_once('.').expect("an extension");
        let found: Vec<String> = std::fs::read_dir(self.public(dir))
            .unwrap_or_else(|e| panic!("public/{dir}: {e}"))
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.strip_prefix(&format!("{stem}.")).and_then(|r| r.strip_suffix(&format!(".{ext}"))).is_some_and(is_content_hash))
            .collect();
        assert_eq!(found.len(), 1, "one hashed copy of {plain}: {found:?}");
        format!("{dir}/{}", found[0])
    }

    pub fn write(&self, path: &str, text: &str) {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// Whether `s` is the content hash of a built asset's name (12 lowercase hex digits).
pub fn is_content_hash(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// A built asset's site path without its content hash (`/assets/style.0123456789ab.css` →
/// `/assets/style.css`); other paths as they are.
pub fn without_hash(path: &str) -> String {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() >= 3 && is_content_hash(parts[parts.len() - 2]) {
        let mut kept = parts.clone();
        kept.remove(parts.len() - 2);
        return format!("{dir}/{}", kept.join("."));
    }
    path.to_string()
}

/// Every file below `dir`, relative, `/`-separated, sorted.
pub fn files_below(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().map(Result::unwrap) {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// stdout and stderr of a run, for assertions and failure messages.
pub fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}
