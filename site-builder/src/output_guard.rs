//! Which folders a build may replace. A build swaps its output folder whole, so a wrong `--output`
//! would delete whatever the folder held. The builder therefore replaces only a folder it made itself
//! (absent, empty, or carrying the [`MARKER`] every build writes), and never, not even with `--force`,
//! a folder whose loss would destroy the site, the user's home or the system's shared folders.
//!
//! Every decision is made on absolute, symlink-resolved paths before any work is done.

use std::fmt;
use std::path::{Component, Path, PathBuf};

/// The file every build writes at the root of its output; its presence means "the builder made this".
pub const MARKER: &str = ".site-builder-output";

/// What the marker says, for a person who finds the file.
pub fn marker_text(files: usize) -> String {
    format!(
        "This folder was written by site-builder, which replaces it whole on the next build.\n\
         Do not keep your own files here.\nfiles = {files}\n"
    )
}

/// Why the builder will not replace a folder, with what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub folder: PathBuf,
    pub why: String,
    pub what_to_do: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: refusing to use {} as the output folder: {}. {}", self.folder.display(), self.why, self.what_to_do)
    }
}

impl std::error::Error for Refusal {}

/// What the output path holds now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Nothing: the build creates it.
    Absent,
    /// A folder the builder may replace (empty, marked, or forced).
    Folder,
}

/// Decides whether a build of the site at `root` may write `output`. `force` allows replacing a
/// folder the builder did not make, but never one of the protected folders.
pub fn check(output: &Path, root: &Path, force: bool) -> Result<Existing, Refusal> {
    let refuse = |why: String, what_to_do: &str| Refusal { folder: output.to_path_buf(), why, what_to_do: what_to_do.to_string() };
    let choose_another = "Choose a folder of its own, for example the site's public/ (the default)";

    let meta = std::fs::symlink_metadata(output);
    if let Ok(m) = &meta {
        if m.file_type().is_symlink() {
            return Err(refuse("it is a symbolic link, and replacing it would replace the link".into(), "Give the folder itself, not a link to it"));
        }
        if !m.is_dir() {
            return Err(refuse("it is a file, not a folder".into(), choose_another));
        }
    }
    let real = real_path(output).map_err(|e| refuse(format!("its location cannot be read ({e})"), choose_another))?;
    let real_root = real_path(root).map_err(|e| refuse(format!("the site root {} cannot be read ({e})", root.display()), "Check --root"))?;

    if let Some(why) = protected(&real, &real_root) {
        return Err(refuse(why, choose_another));
    }
    if meta.is_err() {
        return Ok(Existing::Absent);
    }
    if real.join(MARKER).is_file() {
        return Ok(Existing::Folder);
    }
    let mut entries = std::fs::read_dir(&real).map_err(|e| refuse(format!("it cannot be read ({e})"), choose_another))?;
    if entries.next().is_none() {
        return Ok(Existing::Folder);
    }
    if force {
        // --force replaces a folder the builder did not make: never one that holds a project.
        if let Some(why) = holds_more_than_a_build(&real) {
            return Err(refuse(why, choose_another));
        }
        return Ok(Existing::Folder);
    }
    Err(refuse(
        format!("it holds files that site-builder did not write (it has no {MARKER} file), and a build replaces the whole folder"),
        "Choose another folder, or pass --force if you really want everything in it replaced by the site",
    ))
}

/// Folders of version control: a build never replaces one, nor a folder inside one.
const VERSION_CONTROL: [&str; 6] = [".git", ".hg", ".svn", ".bzr", "_darcs", "CVS"];
/// The system's own folders (and everything in them): never an output, even with --force.
const SYSTEM: [&str; 13] = ["/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/run", "/sbin", "/sys", "/usr"];
/// The memory-backed folders inside [`SYSTEM`] ones that are for users' files: a folder of one's own
/// inside them is an output like any other (the benchmarks build there).
const USERS_IN_SYSTEM: [&str; 3] = ["/dev/shm", "/run/shm", "/run/user"];
/// A folder --force may replace holds at most this many files and folders: a build of a site
/// another tool made, not a project or a disk.
const MAX_FORCED_ENTRIES: usize = 100_000;

/// Why a folder the builder did not make may not be replaced even with --force: it holds version
/// control, a site or a Rust project anywhere inside, or more than [`MAX_FORCED_ENTRIES`] entries.
fn holds_more_than_a_build(real: &Path) -> Option<String> {
    for (n, entry) in walkdir::WalkDir::new(real).min_depth(1).into_iter().enumerate() {
        if n >= MAX_FORCED_ENTRIES {
            return Some(format!("it holds more than {MAX_FORCED_ENTRIES} files and folders, more than a site's build: --force replaces only a build another tool made"));
        }
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy();
        if VERSION_CONTROL.contains(&name.as_ref()) || name == "site.toml" || name == "Cargo.toml" {
            return Some(format!("it holds {}, so it holds a project, not only a build: --force replaces only a build another tool made", entry.path().display()));
        }
    }
    None
}

/// Why `real` may never be an output folder, if it is one of the protected kinds.
fn protected(real: &Path, real_root: &Path) -> Option<String> {
    if real.parent().is_none() {
        return Some("it is the top of the file system".into());
    }
    if real.parent().is_some_and(|p| p.parent().is_none()) {
        return Some("it is a folder at the top of the file system".into());
    }
    let users_own = USERS_IN_SYSTEM.iter().any(|users| real.starts_with(users) && real != Path::new(users));
    if SYSTEM.iter().any(|system| real.starts_with(system)) && !users_own {
        return Some("it is one of the system's own folders".into());
    }
    if real.components().any(|c| VERSION_CONTROL.iter().any(|v| c.as_os_str() == *v)) {
        return Some("it is a version-control folder or inside one".into());
    }
    if real == real_root {
        return Some("it is the site's own folder, which holds its content".into());
    }
    if real_root.starts_with(real) {
        return Some(format!("it holds the site's folder {}", real_root.display()));
    }
    for sources in ["content", "templates"] {
        if real.starts_with(real_root.join(sources)) {
            return Some(format!("it is inside the site's {sources}/ folder, which the build reads"));
        }
    }
    for held in ["content", "templates", "site.toml", "Cargo.toml"].into_iter().chain(VERSION_CONTROL) {
        if real.join(held).exists() {
            return Some(format!("it holds {held}, so it looks like a site or a project, not a build"));
        }
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from).and_then(|h| real_path(&h).ok()) {
        if real == home || home.starts_with(real) {
            return Some("it is your home folder or holds it".into());
        }
    }
    let shared = [std::env::temp_dir(), PathBuf::from("/tmp"), PathBuf::from("/var/tmp"), PathBuf::from("/dev/shm"), PathBuf::from("/run/shm")];
    if shared.iter().filter_map(|d| real_path(d).ok()).any(|d| real == d) {
        return Some("it is the system's shared temporary folder, which holds other programs' and users' files".into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let device = |p: &Path| std::fs::metadata(p).map(|m| m.dev()).ok();
        if let (Some(here), Some(parent)) = (device(real), real.parent().and_then(device)) {
            if here != parent {
                // The build writes the new output beside the old one and swaps them: beside a mount
                // point is another file system (or /dev), and the swap would fail after the writing.
                return Some("it is a mount point, which the build cannot swap with a new folder beside it: use a folder inside it".into());
            }
        }
    }
    if let Some(cwd) = std::env::current_dir().ok().and_then(|d| real_path(&d).ok()) {
        if cwd.starts_with(real) {
            return Some("it is the folder you are working in, or holds it".into());
        }
    }
    None
}

/// `path` made absolute with every symlink resolved, also when its last parts do not exist yet: each
/// part is resolved as it is added, so `..` always leaves the real folder, as the system would.
pub fn real_path(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir()?.join(path) };
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => {
                out.push(other);
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("site/content")).unwrap();
        std::fs::create_dir_all(tmp.path().join("site/templates")).unwrap();
        std::fs::write(tmp.path().join("site/site.toml"), "").unwrap();
        tmp
    }

    #[test]
    fn absent_empty_and_marked_folders_are_the_builders() {
        let tmp = site();
        let root = tmp.path().join("site");
        assert_eq!(check(&root.join("public"), &root, false), Ok(Existing::Absent));
        std::fs::create_dir(root.join("public")).unwrap();
        assert_eq!(check(&root.join("public"), &root, false), Ok(Existing::Folder));
        std::fs::write(root.join("public/index.html"), "x").unwrap();
        assert!(check(&root.join("public"), &root, false).is_err());
        std::fs::write(root.join("public").join(MARKER), marker_text(1)).unwrap();
        assert_eq!(check(&root.join("public"), &root, false), Ok(Existing::Folder));
    }

    #[test]
    fn a_folder_of_the_users_files_is_refused_unless_forced() {
        let tmp = site();
        let root = tmp.path().join("site");
        let mine = tmp.path().join("mine");
        std::fs::create_dir_all(mine.join(".ssh")).unwrap();
        let refusal = check(&mine, &root, false).unwrap_err();
        assert!(refusal.to_string().contains("--force"), "{refusal}");
        assert_eq!(check(&mine, &root, true), Ok(Existing::Folder));
    }

    #[test]
    fn protected_folders_are_refused_even_when_forced() {
        let tmp = site();
        let root = tmp.path().join("site");
        for bad in [root.clone(), root.join("content"), root.join("content/out"), root.join("templates"), tmp.path().to_path_buf(), PathBuf::from("/")] {
            let refusal = check(&bad, &root, true).expect_err(&bad.display().to_string());
            assert!(!refusal.why.is_empty());
        }
        let other_site = tmp.path().join("other");
        std::fs::create_dir_all(other_site.join("content")).unwrap();
        assert!(check(&other_site, &root, true).is_err(), "a folder holding content/");
        assert!(check(Path::new("/tmp"), &root, true).is_err(), "the shared temporary folder");
    }

    /// The attack review's `--output SITE/.git --force` replaced the site's history; a forced
    /// folder that holds a project deeper down, or a system folder, is refused too.
    #[test]
    fn version_control_projects_and_system_folders_are_refused_even_when_forced_regression() {
        let tmp = site();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join(".git/objects")).unwrap();
        for bad in [root.join(".git"), root.join(".git/objects"), root.join(".git/new")] {
            assert!(check(&bad, &root, true).unwrap_err().why.contains("version-control"), "{}", bad.display());
        }
        let projects = tmp.path().join("projects");
        std::fs::create_dir_all(projects.join("a/b/.hg")).unwrap();
        assert!(check(&projects, &root, true).unwrap_err().why.contains(".hg"));
        std::fs::create_dir_all(tmp.path().join("rust/deep")).unwrap();
        std::fs::write(tmp.path().join("rust/deep/Cargo.toml"), "").unwrap();
        assert!(check(&tmp.path().join("rust"), &root, true).unwrap_err().why.contains("Cargo.toml"));
        for system in ["/usr", "/usr/share/doc", "/etc/x", "/work", "/srv", "/dev/shm", "/dev/null", "/run/user"] {
            assert!(check(Path::new(system), &root, true).is_err(), "{system}");
        }
    }

    /// The system-folder refusal had also refused every folder below /dev/shm, where the benchmarks
    /// build in memory.
    #[test]
    #[cfg(target_os = "linux")]
    fn a_folder_of_ones_own_in_dev_shm_is_an_output_regression() {
        let tmp = tempfile::tempdir_in("/dev/shm").unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check(&root.join("public"), &root, false).is_ok());
        assert!(check(&tmp.path().join("out"), &root, false).is_ok());
    }

    #[test]
    fn a_file_and_a_symlink_are_refused() {
        let tmp = site();
        let root = tmp.path().join("site");
        assert!(check(&root.join("site.toml"), &root, true).unwrap_err().why.contains("file"));
        #[cfg(unix)]
        {
            std::fs::create_dir(tmp.path().join("real")).unwrap();
            std::os::unix::fs::symlink(tmp.path().join("real"), tmp.path().join("link")).unwrap();
            assert!(check(&tmp.path().join("link"), &root, true).unwrap_err().why.contains("symbolic link"));
        }
    }

    #[test]
    fn dot_dot_is_resolved_before_deciding() {
        let tmp = site();
        let root = tmp.path().join("site");
        assert!(check(&root.join("public/../content"), &root, true).is_err());
        assert!(check(&root.join("nothing/../.."), &root, true).is_err());
    }
}
