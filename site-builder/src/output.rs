//! Writes a built site so that a failed build never touches the previous output: everything goes into
//! a fresh sibling folder first, and only a complete one is swapped in place of the old.

use rayon::prelude::*;
use std::io;
use std::path::{Path, PathBuf};

use crate::site::OutputFile;

/// A folder being filled beside the real output; dropped without `commit`, it is removed.
pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder beside `target`.
    pub fn new(target: &Path) -> io::Result<Staging> {
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        remove_abandoned(parent, &name);
        let dir = parent.join(format!(".{name}.building-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Staging { dir, target: target.to_path_buf(), committed: false })
    }

    /// Writes every file (in parallel).
    pub fn write_all(&self, files: &[OutputFile]) -> io::Result<()> {
        let mut dirs: Vec<PathBuf> = files.iter().filter_map(|f| Path::new(&f.path).parent().map(|p| self.dir.join(p))).collect();
        dirs.sort();
        dirs.dedup();
        for d in &dirs {
            std::fs::create_dir_all(d)?;
        }
        files.par_iter().try_for_each(|f| std::fs::write(self.dir.join(&f.path), &f.bytes))
    }

    /// Puts the staged folder in place of the target, then removes the old one.
    pub fn commit(mut self) -> io::Result<()> {
        let old = self.dir.with_file_name(format!(
            ".{}.old-{}",
            self.target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        self.committed = true;
        if had_old {
            std::fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

/// Removes staging and old folders left by builds that were killed (their process is gone), so an
/// interrupted build never leaves litter that later builds would keep.
fn remove_abandoned(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.filter_map(Result::ok) {
        let file = entry.file_name().to_string_lossy().into_owned();
        let pid = [format!(".{name}.building-"), format!(".{name}.old-")]
            .iter()
            .find_map(|prefix| file.strip_prefix(prefix.as_str()).and_then(|p| p.parse::<u32>().ok()));
        if let Some(pid) = pid {
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn a_killed_builds_staging_folder_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let stale = tmp.path().join(".public.building-4000000000");
        std::fs::create_dir_all(&stale).unwrap();
        let staging = Staging::new(&target).unwrap();
        assert!(!stale.exists());
        drop(staging);
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();

        let staging = Staging::new(&target).unwrap();
        staging.write_all(&[OutputFile { path: "a/index.html".into(), bytes: b"new".to_vec() }]).unwrap();
        drop(staging);
        assert!(target.join("old.html").exists(), "an abandoned build leaves the output alone");

        let staging = Staging::new(&target).unwrap();
        staging.write_all(&[OutputFile { path: "a/index.html".into(), bytes: b"new".to_vec() }]).unwrap();
        staging.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(target.join("a/index.html")).unwrap(), "new");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1, "no staging folder left behind");
    }
}
