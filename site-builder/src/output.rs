//! Writes a built site so that a failed or killed build never leaves the output path empty: everything
//! goes into a fresh sibling folder first, and only a complete one is swapped in.
//!
//! - The swap is one atomic exchange of the two folders on Linux (`renameat2` with `RENAME_EXCHANGE`),
//!   so at every moment the output path holds the old build or the new one. Elsewhere the old folder
//!   is renamed aside first, and a later build puts it back if the swap was cut short.
//! - A build holds a lock on the output's parent folder from start to end: a second build into the
//!   same output is refused at once instead of racing the first.
//! - `serve` holds a lock on the output folder itself for as long as it runs ([`serve_lock`]), moved
//!   to each new folder it swaps in: a build into that folder, or a second `serve` of it, is refused,
//!   since serve rewrites pages there as sources change and a build's `.gz` copies beside them would
//!   go stale.
//! - Every folder the builder makes carries the [`MARKER`], and only such folders are ever removed.
//! - This module is the one place that writes the site: a build's whole set of files into the
//!   staging folder ([`Staging`]), `serve`'s changed files into the folder it serves ([`Served`]).

use rayon::prelude::*;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::path::{Path, PathBuf};

use crate::output_guard::{marker_text, Existing, MARKER};

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A folder being filled beside the real output, with the build's lock; dropped without `commit`,
/// the folder is removed.
pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    existing: Existing,
    committed: bool,
    /// Files written so far, for the marker.
    written: AtomicUsize,
    /// The folders made for the target's parent, the deepest first: removed again (if still empty)
    /// when the build fails, which leaves nothing behind.
    made: Vec<PathBuf>,
    _lock: Lock,
}

/// Why the output could not be prepared or swapped. Every variant leaves the output as it was.
#[derive(Debug)]
pub enum OutputError {
    /// Another build holds the output.
    Busy(PathBuf),
    /// A running `serve` is using the output.
    Served(PathBuf),
    Io(String),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Busy(target) => write!(
                f,
                "another site-builder is building into {} right now (its lock is held on the folder around it): \
                 wait for it to finish, or build into another folder",
                target.display()
            ),
            OutputError::Served(target) => write!(
                f,
                "a site-builder serve is using {} right now and rewrites its pages as the sources change, \
                 so a build there would leave compressed copies (.gz) that serve does not update: \
                 stop serve first, or build into another folder with --output",
                target.display()
            ),
            OutputError::Io(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for OutputError {}

impl Staging {
    /// Takes the output's lock and creates an empty, marked staging folder beside `target`.
    /// `existing` is what the output guard found at `target`.
    pub fn new(target: &Path, existing: Existing) -> Result<Staging, OutputError> {
        let io = |what: &str, e: io::Error| OutputError::Io(format!("cannot {what} beside {}: {e}", target.display()));
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let made: Vec<PathBuf> = parent.ancestors().take_while(|p| !p.as_os_str().is_empty() && std::fs::symlink_metadata(p).is_err()).map(Path::to_path_buf).collect();
        std::fs::create_dir_all(parent).map_err(|e| io("create the folder", e))?;
        let lock = Lock::take(parent).map_err(|e| match e.kind() {
            io::ErrorKind::WouldBlock => OutputError::Busy(target.to_path_buf()),
            _ => io("lock the folder", e),
        })?;
        // Under the parent's lock, so serve cannot lock the output between this look and the swap.
        if !serving_here(target) && served_elsewhere(target) {
            return Err(OutputError::Served(target.to_path_buf()));
        }
        recover_abandoned(parent, &name, target);
        let dir = parent.join(format!(".{name}.building-{}", std::process::id()));
        if dir.join(MARKER).is_file() {
            std::fs::remove_dir_all(&dir).map_err(|e| io("clear an old build folder", e))?;
        }
        std::fs::create_dir(&dir).map_err(|e| io("create a build folder", e))?;
        std::fs::write(dir.join(MARKER), marker_text(0)).map_err(|e| io("write into the build folder", e))?;
        Ok(Staging { dir, target: target.to_path_buf(), existing, committed: false, written: AtomicUsize::new(0), made, _lock: lock })
    }

    /// Writes every file (in parallel), and the marker with their count.
    pub fn write_all(&self, files: &[OutputFile]) -> io::Result<()> {
        write_files(&self.dir, files)?;
        self.written.fetch_add(files.len(), Ordering::Relaxed);
        self.mark()
    }

    /// Writes one part of the site (in parallel): its files, then their `.gz` `copies`. A build
    /// writes its parts as they are made and then [`mark`](Self::mark)s the folder.
    pub fn write_part(&self, files: &[OutputFile], copies: &[OutputFile]) -> io::Result<()> {
        write_waves(&self.dir, &[files.iter().collect(), copies.iter().collect()])?;
        self.written.fetch_add(files.len() + copies.len(), Ordering::Relaxed);
        Ok(())
    }

    /// The marker, with the number of files written.
    pub fn mark(&self) -> io::Result<()> {
        std::fs::write(self.dir.join(MARKER), marker_text(self.written.load(Ordering::Relaxed)))
    }

    /// Puts the staged folder in place of the target, then removes the old one. An error here means
    /// the target was not changed; a failure to remove the old build afterwards is only reported.
    pub fn commit(mut self) -> Result<Option<String>, OutputError> {
        test_stop("before-swap");
        let old = swap(&self.dir, &self.target, self.existing).map_err(|e| {
            OutputError::Io(format!("cannot move the new build into {}: {e}", self.target.display()))
        })?;
        self.committed = true;
        // Still under the parent's lock: serve's lock moves to the new folder before a build could look.
        if serving_here(&self.target) {
            if let Err(e) = lock_served(&self.target) {
                eprintln!("warning: {} could not be locked against builds while serve uses it: {e}", self.target.display());
            }
        }
        test_stop("after-swap");
        let warning = old.and_then(|old| {
            std::fs::remove_dir_all(&old).err().map(|e| format!("the new build is in place, but the previous one could not be removed from {}: {e}", old.display()))
        });
        Ok(warning)
    }
}

/// Writes `files` (paths relative to `dir`) in parallel, making their folders first. The `.gz`
/// copies are written after every other file, so each copy is at least as new as the file it
/// compresses: `serve` sends a copy only then (an older one may be stale), and wrote a page's
/// copy first had it compress the page again on every request.
fn write_files(dir: &Path, files: &[OutputFile]) -> io::Result<()> {
    let (copies, originals): (Vec<&OutputFile>, Vec<&OutputFile>) = files.iter().partition(|f| f.path.ends_with(".gz"));
    write_waves(dir, &[originals, copies])
}

/// Writes the files of each wave in parallel, a wave only after the one before it, making their
/// folders first.
fn write_waves(dir: &Path, waves: &[Vec<&OutputFile>]) -> io::Result<()> {
    let mut dirs: Vec<PathBuf> = waves.iter().flatten().filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p))).collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d)?;
    }
    for wave in waves {
        wave.par_iter().try_for_each(|f| std::fs::write(dir.join(&f.path), &f.bytes))?;
    }
    Ok(())
}

/// `serve`'s writes into the folder it serves, after the first build: one changed file at a time,
/// each replaced whole (written beside, then renamed over), so a browser never reads half a page.
pub struct Served<'a>(pub &'a Path);

impl Served<'_> {
    /// Puts `file` in place of the one at its path.
    pub fn replace(&self, file: &OutputFile) -> io::Result<()> {
        let path = self.0.join(&file.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_file_name(format!(".{}.writing-{}", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(), std::process::id()));
        std::fs::write(&tmp, &file.bytes)?;
        std::fs::rename(&tmp, path)
    }

    /// Removes the file the builder wrote at `path`, if it is there, and the folders it leaves
    /// empty (never the served folder itself).
    pub fn remove(&self, path: &str) -> io::Result<()> {
        match std::fs::remove_file(self.0.join(path)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut folder = Path::new(path).parent();
        while let Some(dir) = folder.filter(|d| !d.as_os_str().is_empty()) {
            // Fails, and stops, at the first folder that still holds something.
            if std::fs::remove_dir(self.0.join(dir)).is_err() {
                break;
            }
            folder = dir.parent();
        }
        Ok(())
    }

    /// Puts `files`, all below `folder` (a path relative to the served folder), in place of that
    /// folder's files: written whole beside it, then swapped in (the search index).
    pub fn replace_folder(&self, folder: &str, files: &[OutputFile]) -> io::Result<()> {
        let live = self.0.join(folder);
        let next = live.with_file_name(format!(".{}-next-{}", live.file_name().and_then(|n| n.to_str()).unwrap_or("folder"), std::process::id()));
        let _ = std::fs::remove_dir_all(&next);
        let prefix = format!("{folder}/");
        let inside: Vec<OutputFile> = files
            .iter()
            .map(|f| f.path.strip_prefix(&prefix).map(|p| OutputFile { path: p.to_string(), bytes: f.bytes.clone() }))
            .collect::<Option<_>>()
            .ok_or_else(|| io::Error::other(format!("a file outside {folder} was given to replace it")))?;
        let written = write_files(&next, &inside);
        if let Err(e) = written {
            let _ = std::fs::remove_dir_all(&next);
            return Err(e);
        }
        let _ = std::fs::remove_dir_all(&live);
        std::fs::rename(&next, &live)
    }

    /// The marker, with the number of files the builder wrote.
    pub fn mark(&self, count: usize) -> io::Result<()> {
        std::fs::write(self.0.join(MARKER), marker_text(count))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
            for folder in &self.made {
                if std::fs::remove_dir(folder).is_err() {
                    break;
                }
            }
        }
    }
}

/// Puts `staged` at `target`; returns where the previous output now is, to be removed.
#[cfg(target_os = "linux")]
fn swap(staged: &Path, target: &Path, existing: Existing) -> io::Result<Option<PathBuf>> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match existing {
        // Fails if something appeared at the target meanwhile, rather than replacing it.
        Existing::Absent => renameat_with(CWD, staged, CWD, target, RenameFlags::NOREPLACE).map(|()| None).map_err(io::Error::from),
        Existing::Folder => match renameat_with(CWD, staged, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(Some(staged.to_path_buf())),
            // A file system without exchange (some network ones): the safe order below.
            Err(rustix::io::Errno::INVAL) | Err(rustix::io::Errno::NOSYS) => swap_in_steps(staged, target),
            Err(e) => Err(e.into()),
        },
    }
}

#[cfg(not(target_os = "linux"))]
fn swap(staged: &Path, target: &Path, existing: Existing) -> io::Result<Option<PathBuf>> {
    match existing {
        Existing::Absent => std::fs::rename(staged, target).map(|()| None),
        Existing::Folder => swap_in_steps(staged, target),
    }
}

/// Old aside, new in, and back if the second step fails. Killed between the two renames, the output
/// path is briefly empty; [`recover_abandoned`] puts the old build back on the next run.
fn swap_in_steps(staged: &Path, target: &Path) -> io::Result<Option<PathBuf>> {
    let old = old_name(target);
    std::fs::rename(target, &old)?;
    test_stop("between-renames");
    if let Err(e) = std::fs::rename(staged, target) {
        let _ = std::fs::rename(&old, target);
        return Err(e);
    }
    Ok(Some(old))
}

fn old_name(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.old-{}", std::process::id()))
}

/// Cleans up after builds that were killed (their process is gone): their staging folders are
/// removed, and an old build renamed aside is put back if the output path is empty. Only folders that
/// carry the marker are touched.
fn recover_abandoned(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.filter_map(Result::ok) {
        let file = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if !path.join(MARKER).is_file() {
            continue;
        }
        let dead = |rest: &str| rest.parse::<u32>().is_ok_and(|pid| pid != std::process::id() && !process_alive(pid));
        if file.strip_prefix(&format!(".{name}.building-")).is_some_and(dead) {
            let _ = std::fs::remove_dir_all(&path);
        } else if file.strip_prefix(&format!(".{name}.old-")).is_some_and(dead) {
            if std::fs::symlink_metadata(target).is_err() {
                let _ = std::fs::rename(&path, target);
            } else {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
    }
}

fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        // Without /proc, assume alive: a stray folder is better than a deleted one.
        true
    }
}

/// An exclusive lock held on a folder for as long as this value lives.
struct Lock {
    #[cfg(unix)]
    _dir: std::fs::File,
}

impl Lock {
    #[cfg(unix)]
    fn take(dir: &Path) -> io::Result<Lock> {
        use rustix::fs::{flock, FlockOperation};
        let file = std::fs::File::open(dir)?;
        flock(&file, FlockOperation::NonBlockingLockExclusive).map_err(io::Error::from)?;
        Ok(Lock { _dir: file })
    }

    #[cfg(not(unix))]
    fn take(_dir: &Path) -> io::Result<Lock> {
        Ok(Lock {})
    }
}

/// Held by `serve` for as long as it runs: an exclusive lock on the output folder's own inode (taken
/// again on each folder serve swaps in, see [`Staging::commit`]). Released when the process ends, even
/// killed.
pub struct ServeLock {
    target: PathBuf,
}

/// The outputs this process serves, each with the open folder whose lock it holds (none while the
/// folder does not exist yet).
static SERVED: std::sync::Mutex<Vec<(PathBuf, Option<std::fs::File>)>> = std::sync::Mutex::new(Vec::new());

fn served_key(target: &Path) -> PathBuf {
    crate::output_guard::real_path(target).unwrap_or_else(|_| target.to_path_buf())
}

fn serving_here(target: &Path) -> bool {
    let key = served_key(target);
    SERVED.lock().expect("no panic while holding the lock").iter().any(|(t, _)| *t == key)
}

/// Takes the serve lock on `target` (refused if another `serve` holds it) for as long as the value
/// lives. Builds into `target` are refused meanwhile, by [`Staging::new`] in any other process.
pub fn serve_lock(target: &Path) -> Result<ServeLock, OutputError> {
    let key = served_key(target);
    SERVED.lock().expect("no panic while holding the lock").push((key.clone(), None));
    let lock = ServeLock { target: key };
    match lock_served(target) {
        Ok(()) => Ok(lock),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Err(OutputError::Served(target.to_path_buf())),
        Err(e) => Err(OutputError::Io(format!("cannot lock {} against builds while serving it: {e}", target.display()))),
    }
}

impl Drop for ServeLock {
    fn drop(&mut self) {
        SERVED.lock().expect("no panic while holding the lock").retain(|(t, _)| *t != self.target);
    }
}

/// Locks the folder now at `target` for this process's serve (nothing to lock if there is none yet).
fn lock_served(target: &Path) -> io::Result<()> {
    let key = served_key(target);
    let file = match open_folder(target) {
        Ok(f) => Some(f),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    #[cfg(unix)]
    if let Some(f) = &file {
        use rustix::fs::{flock, FlockOperation};
        flock(f, FlockOperation::NonBlockingLockExclusive).map_err(io::Error::from)?;
    }
    for (t, held) in SERVED.lock().expect("no panic while holding the lock").iter_mut() {
        if *t == key {
            *held = file;
            break;
        }
    }
    Ok(())
}

fn open_folder(target: &Path) -> io::Result<std::fs::File> {
    if !std::fs::symlink_metadata(target)?.is_dir() {
        return Err(io::ErrorKind::NotFound.into());
    }
    std::fs::File::open(target)
}

/// Whether another process's `serve` holds the lock on the folder at `target`. The look takes a
/// shared lock for an instant, so two builds looking at once do not see each other.
fn served_elsewhere(target: &Path) -> bool {
    #[cfg(unix)]
    {
        use rustix::fs::{flock, FlockOperation};
        let Ok(file) = open_folder(target) else { return false };
        matches!(flock(&file, FlockOperation::NonBlockingLockShared), Err(e) if io::Error::from(e).kind() == io::ErrorKind::WouldBlock)
    }
    #[cfg(not(unix))]
    {
        let _ = target;
        false
    }
}

/// Test builds only: `SITE_BUILDER_TEST_STOP_AT=<point>` makes the builder say `stopped at <point>` on
/// stderr and wait until its standard input closes, so a test can kill it at that point.
fn test_stop(point: &str) {
    if cfg!(debug_assertions) && std::env::var("SITE_BUILDER_TEST_STOP_AT").is_ok_and(|p| p == point) {
        use std::io::Read;
        eprintln!("stopped at {point}");
        let _ = io::stdin().read_to_end(&mut Vec::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    /// serve sends a `.gz` only when it is as new as its file; written in one parallel wave, a
    /// page's copy could come first, and serve then compressed the page on every request.
    #[test]
    fn every_gz_copy_is_written_after_its_file_regression() {
        let tmp = tempfile::tempdir().unwrap();
        // Copies listed first, as an order that put them first would write them.
        let mut files: Vec<OutputFile> = (0..200).map(|i| file(&format!("p{i}/index.html.gz"), "copy")).collect();
        files.extend((0..200).map(|i| file(&format!("p{i}/index.html"), "page")));
        write_files(tmp.path(), &files).unwrap();
        let modified = |p: String| std::fs::metadata(tmp.path().join(p)).unwrap().modified().unwrap();
        for i in 0..200 {
            assert!(modified(format!("p{i}/index.html.gz")) >= modified(format!("p{i}/index.html")), "page {i}");
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_killed_builds_staging_folder_is_removed_but_not_a_folder_it_did_not_make() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let stale = tmp.path().join(".public.building-4000000000");
        std::fs::create_dir_all(&stale).unwrap();
        std::fs::write(stale.join(MARKER), "").unwrap();
        let lookalike = tmp.path().join(".public.building-4000000001");
        std::fs::create_dir_all(&lookalike).unwrap();
        let staging = Staging::new(&target, Existing::Absent).unwrap();
        assert!(!stale.exists());
        assert!(lookalike.exists(), "a folder without the marker is not the builder's");
        drop(staging);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_old_build_renamed_aside_is_put_back() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let aside = tmp.path().join(".public.old-4000000000");
        std::fs::create_dir_all(&aside).unwrap();
        std::fs::write(aside.join(MARKER), "").unwrap();
        std::fs::write(aside.join("index.html"), "old").unwrap();
        let _staging = Staging::new(&target, Existing::Absent).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("index.html")).unwrap(), "old");
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();

        let staging = Staging::new(&target, Existing::Folder).unwrap();
        staging.write_all(&[file("a/index.html", "new")]).unwrap();
        drop(staging);
        assert!(target.join("old.html").exists(), "an abandoned build leaves the output alone");

        let staging = Staging::new(&target, Existing::Folder).unwrap();
        staging.write_all(&[file("a/index.html", "new")]).unwrap();
        assert_eq!(staging.commit().unwrap(), None);
        assert!(!target.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(target.join("a/index.html")).unwrap(), "new");
        assert!(std::fs::read_to_string(target.join(MARKER)).unwrap().contains("files = 1"));
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1, "no staging folder left behind");
    }

    #[cfg(unix)]
    #[test]
    fn a_second_build_into_the_same_output_is_refused_while_the_first_runs() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let first = Staging::new(&target, Existing::Absent).unwrap();
        assert!(matches!(Staging::new(&target, Existing::Absent), Err(OutputError::Busy(_))));
        drop(first);
        assert!(Staging::new(&target, Existing::Absent).is_ok(), "free again once the first is done");
    }

    #[cfg(unix)]
    #[test]
    fn a_served_folder_is_locked_against_builds_and_the_lock_follows_serves_own_swaps() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        std::fs::create_dir_all(&target).unwrap();
        let serving = serve_lock(&target).unwrap();
        // serve's own build goes through, and its swap moves the lock to the new folder.
        let staging = Staging::new(&target, Existing::Folder).unwrap();
        staging.write_all(&[file("index.html", "new")]).unwrap();
        staging.commit().unwrap();
        // Another process's look: a second open of the folder, as a build elsewhere does.
        assert!(served_elsewhere(&target), "the new folder is locked");
        drop(serving);
        assert!(!served_elsewhere(&target), "free once serve stops");
    }

    #[test]
    fn something_created_at_the_target_during_the_build_is_not_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let staging = Staging::new(&target, Existing::Absent).unwrap();
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("mine.txt"), "mine").unwrap();
        assert!(staging.commit().is_err());
        assert_eq!(std::fs::read_to_string(target.join("mine.txt")).unwrap(), "mine");
    }
}
