//! `serve`'s rebuilds: the site kept in memory between edits, so an edit costs what it changed.
//!
//! - When serve's watcher says only pages were written, those pages alone are read again, and the
//!   templates, assets and settings are the last build's (no walk of the folder, no stat of the
//!   other files). Otherwise the folder is walked and a page's file is read and parsed again only
//!   when its stamp (size, last write) changed. A body is rendered again only for a page read
//!   again, or when the templates, settings or data changed (they feed the shortcodes); everything
//!   else is taken from the last build.
//! - Pages go through their templates again only when they changed, or their collection's page shows
//!   them; when anything the navigation or the listings show changed (a title, an order, a
//!   description, a page added or removed), every page is rendered again.
//! - Only files whose bytes changed are written, each atomically, into the served folder; files no
//!   longer built are removed, and only those the builder wrote.
//! - The search index is brought up to date on a background thread after the pages are in place,
//!   so the open page reloads first.
//!
//! The first build goes through the staging folder and the swap like `build`, with the same checks.

use rayon::prelude::*;
use std::collections::{hash_map::DefaultHasher, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::bodies::{self, Body};
use crate::content::{Changed, ParsedPages};
use crate::error::ContentErrors;
use crate::load::{self, Sources};
use crate::output::{OutputFile, Served, Staging};
use crate::output_guard::Existing;
use crate::search::sections::Section;
use crate::search::terms::Phrasing;
use crate::pipeline::{self, BuildError, PartWriter};
use crate::render::RenderOptions;
use crate::search;

/// How long after a rebuild the search index starts updating: a burst of edits indexes once.
const INDEX_AFTER: Duration = Duration::from_millis(300);

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct LiveReport {
    pub pages: usize,
    /// Pages rendered through their templates this time.
    pub rendered: usize,
    /// Files written (changed or new) and removed.
    pub written: usize,
    pub removed: usize,
    pub took: Duration,
    /// Where the time went.
    pub steps: [(&'static str, Duration); 4],
    pub warnings: Vec<String>,
}

impl std::fmt::Display for LiveReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} pages, {} rendered, {} files written, {} removed in {:.0} ms (",
            self.pages,
            self.rendered,
            self.written,
            self.removed,
            self.took.as_secs_f64() * 1000.0
        )?;
        for (name, d) in &self.steps {
            write!(f, "{name} {:.0} ms, ", d.as_secs_f64() * 1000.0)?;
        }
        write!(f, "the search index updating in the background)")
    }
}

/// The site as the last good build left it.
pub struct LiveSite {
    root: PathBuf,
    output: PathBuf,
    options: RenderOptions,
    /// Body by page source, as the last good build rendered it from the file in `parsed`.
    bodies: HashMap<String, Body>,
    /// The hash of everything besides pages that rendering reads: settings, templates, data.
    environment: u64,
    /// The hash of what every page shows of the others (the sidebar) and of the site's addresses
    /// (pages, aliases, collections): when it changes, every page is rendered again.
    frame: u64,
    /// Each page's [`render::view_key`] by source: a page whose key changed is rendered again.
    views: HashMap<String, u64>,
    /// Each file of the served folder the builder wrote, with the hash of its bytes.
    written: HashMap<String, u64>,
    /// The pages' commit dates, read by the first build.
    dates: Option<HashMap<String, String>>,
    /// The pages as the last good build parsed them.
    parsed: ParsedPages,
    /// The pages whose files changed since the last good build, as the callers of
    /// [`LiveSite::rebuild`] said; `None`: unknown (before the first build, or once a caller did not know).
    changed_since_good: Option<HashSet<String>>,
    /// The templates and assets of the last good build.
    theme: Option<load::Theme>,
    /// What the background index job reads: shared with it.
    search: Arc<Mutex<SearchCache>>,
    /// The newest index job: an older one that has not started gives up.
    latest_index: Arc<AtomicU64>,
    /// Held by the index job that runs: one at a time, and never by the rebuild itself.
    indexing: Arc<Mutex<()>>,
}

impl LiveSite {
    pub fn new(root: &Path, output: &Path, options: RenderOptions) -> LiveSite {
        LiveSite {
            root: root.to_path_buf(),
            output: output.to_path_buf(),
            options,
            bodies: HashMap::new(),
            environment: 0,
            frame: 0,
            views: HashMap::new(),
            written: HashMap::new(),
            dates: None,
            parsed: ParsedPages::new(),
            changed_since_good: None,
            theme: None,
            search: Arc::default(),
            latest_index: Arc::new(AtomicU64::new(0)),
            indexing: Arc::new(Mutex::new(())),
        }
    }

    /// Rebuilds what changed. `changed`: the pages (paths below `content/`) whose files changed
    /// since the last call, when nothing else in the site did (no file added, removed or renamed,
    /// no template or setting), or `None`, and the content folder is walked and every file's stamp
    /// compared. On any error nothing is written and the served folder is as it was.
    pub fn rebuild(&mut self, existing: Existing, changed: Option<&HashSet<String>>) -> Result<LiveReport, BuildError> {
        let start = Instant::now();
        // The served folder deleted (or its marker gone) since the last build: writing only what
        // changed would leave every other page missing (red-team 10, F9). It is made again, whole,
        // if the output rules still allow it (absent, empty, or the builder's own).
        let mut existing = existing;
        if !self.written.is_empty() && !pipeline::has_build(&self.output) {
            existing = crate::output_guard::check(&self.output, &self.root, false).map_err(|e| BuildError::Output(e.into()))?;
            self.written.clear();
        }
        // Since the last good build: a failed one in between read its changes but kept nothing.
        self.changed_since_good = match (self.changed_since_good.take(), changed) {
            (Some(mut before), Some(now)) => {
                before.extend(now.iter().cloned());
                Some(before)
            }
            _ => None,
        };
        let changed_pages = self.changed_since_good.as_ref().map_or(Changed::Unknown, Changed::Pages);
        let reuse = load::Reuse { dates: self.dates.as_ref(), pages: Some(&self.parsed), changed: changed_pages, theme: self.theme.as_ref() };
        let (sources, parsed) = load::load_reusing(&self.root, reuse)?;
        self.dates.get_or_insert_with(|| sources.dates.clone());
        let loaded = start.elapsed();
        // Only pages changed: the settings, data, templates and assets are those of the last build.
        let environment = match changed_pages {
            Changed::Pages(_) if self.theme.is_some() => self.environment,
            _ => environment_hash(&sources),
        };
        if environment != self.environment {
            self.bodies.clear();
        }
        let (bodies, changed, mut errors) = self.bodies_of(&sources, &parsed);
        // The pages kept from the last good build passed its checks against the same settings and
        // data (otherwise none is kept): their own texts need no second reading.
        let frame = frame_hash(&sources);
        let addresses = match self.written.is_empty() || environment != self.environment || frame != self.frame {
            true => crate::check::Addresses::Check,
            false => crate::check::Addresses::SameAsLastGoodBuild,
        };
        let warnings = pipeline::check_bodies(&sources, &bodies, &mut errors, crate::typed_by_hand::PagesToRead::Changed(&changed), addresses);
        errors.into_result()?;
        let checked = start.elapsed();

        let views: HashMap<String, u64> =
            (0..sources.content.pages.len()).into_par_iter().map(|i| (sources.content.pages[i].source.clone(), crate::render::view_key(&sources, i))).collect();
        let first = self.written.is_empty();
        let everything = first || environment != self.environment || frame != self.frame;
        let to_render = if everything {
            (0..sources.content.pages.len()).collect()
        } else {
            let mut pages = affected(&sources, &changed);
            pages.extend(sources.content.pages.iter().enumerate().filter(|(_, p)| self.views.get(&p.source) != views.get(&p.source)).map(|(i, _)| i));
            pages.sort_unstable();
            pages.dedup();
            pages
        };
        let mut files = Vec::new();
        let mut render_time = Duration::ZERO;
        pipeline::site_in_parts(&sources, &bodies, self.options, &to_render, &mut render_time, |part| {
            files.extend(part);
            Ok(())
        })?;
        let rendered = start.elapsed();

        let mut report = LiveReport { pages: sources.content.pages.len(), rendered: to_render.len(), warnings: warnings.iter().map(ToString::to_string).collect(), ..Default::default() };
        let phrasing = search::phrasing(&sources.content.data_sources).map_err(BuildError::Output)?;
        if first {
            self.first_write(&files, &phrasing, existing)?;
            report.written = files.len();
        } else {
            let (written, removed) = self.write_changes(files, everything).map_err(|e| BuildError::Output(anyhow::anyhow!("cannot write into {}: {e}", self.output.display())))?;
            report.written = written;
            report.removed = removed;
            self.index_in_background(phrasing);
        }
        self.bodies = sources.content.pages.iter().zip(bodies).map(|(p, b)| (p.source.clone(), b)).collect();
        self.environment = environment;
        self.frame = frame;
        self.views = views;
        self.parsed = parsed;
        self.changed_since_good = Some(HashSet::new());
        self.theme = Some(sources.theme());
        report.took = start.elapsed();
        report.steps = [("load", loaded), ("check", checked - loaded), ("render", rendered - checked), ("write", report.took - rendered)];
        Ok(report)
    }

    /// Every page's body, taken from the cache where the page's text is the same (the cache is
    /// refilled after the build); the sources of the pages rendered again; the errors.
    fn bodies_of(&mut self, sources: &Sources, parsed: &ParsedPages) -> (Vec<Body>, HashSet<String>, ContentErrors) {
        use rayon::prelude::*;
        // The same page as last time (taken again, not parsed again), so the same body; the
        // others are rendered on every core (after a template edit, that is every page).
        let same_page = |source: &str| match (self.parsed.pages.get(source), parsed.pages.get(source)) {
            (Some((_, before)), Some((_, now))) => Arc::ptr_eq(before, now),
            _ => false,
        };
        let kept: Vec<Option<Body>> = sources.content.pages.iter().map(|p| self.bodies.remove(&p.source).filter(|_| same_page(&p.source))).collect();
        let changed: HashSet<String> =
            sources.content.pages.iter().zip(&kept).filter(|(_, k)| k.is_none()).map(|(p, _)| p.source.clone()).collect();
        let rendered: Vec<Result<Body, Vec<crate::error::ContentError>>> = sources
            .content
            .pages
            .par_iter()
            .zip(kept)
            .map(|(p, kept)| match kept {
                Some(body) => Ok(body),
                None => bodies::render_body(sources, p),
            })
            .collect();
        let mut errors = ContentErrors::default();
        let bodies = rendered
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|e| {
                    errors.0.extend(e);
                    Body::default()
                })
            })
            .collect();
        (bodies, changed, errors)
    }

    /// The first build: into a staging folder, indexed, swapped in, as `build` does, through the
    /// same writer; the pages' sections are kept for the index jobs of later edits.
    fn first_write(&mut self, files: &[OutputFile], phrasing: &Phrasing, existing: Existing) -> Result<(), BuildError> {
        let staging = Staging::new(&self.output, existing)?;
        // Without live reload the pages are as published: the same `.gz` copies as `build`, which
        // later writes keep up to date.
        let mut writer = PartWriter::new(&staging, !self.options.live_reload);
        writer.write(files.to_vec())?;
        let sections = writer.sections().iter().map(|(path, s)| (path.clone(), Arc::new(s.clone()))).collect();
        writer.finish(phrasing)?;
        *self.search.lock().expect("no panic while holding the lock") = SearchCache { sections, pending: HashMap::new() };
        staging.commit()?;
        self.written = files.iter().map(|f| (f.path.clone(), hash_bytes(&f.bytes))).collect();
        Ok(())
    }

    /// Writes the files whose bytes changed; with `complete`, removes the files the builder wrote
    /// that are no longer built. Returns (written, removed). The pages written or removed wait in
    /// the search cache for the next index job, which reads them there.
    fn write_changes(&mut self, files: Vec<OutputFile>, complete: bool) -> std::io::Result<(usize, usize)> {
        let served = Served(&self.output);
        let with_copies = !self.options.live_reload;
        // What is no longer built goes first: a page's folder `x.html/` that becomes the alias file
        // `x.html` (or the other way round) needs the old one gone before the new one is written.
        let mut removed_pages = Vec::new();
        if complete {
            let built: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
            let gone: Vec<String> = self.written.keys().filter(|p| !built.contains(p.as_str())).cloned().collect();
            for path in gone {
                served.remove(&path)?;
                if with_copies {
                    served.remove(&crate::precompress::copy_path(&path))?;
                }
                self.written.remove(&path);
                removed_pages.push(path);
            }
        }
        let mut changed_pages = Vec::new();
        let mut written = 0;
        for f in files {
            let hash = hash_bytes(&f.bytes);
            if self.written.get(&f.path) != Some(&hash) {
                served.replace(&f)?;
                // Without live reload the folder carries `.gz` copies, as a build's does: a file
                // written again takes its copy along, so a host never sends the old page's bytes.
                if with_copies {
                    match crate::precompress::copy(&f)? {
                        Some(copy) => served.replace(&copy)?,
                        None => served.remove(&crate::precompress::copy_path(&f.path))?,
                    }
                }
                self.written.insert(f.path.clone(), hash);
                written += 1;
                if search::is_page(&f.path) {
                    changed_pages.push(f);
                }
            }
        }
        served.mark(self.written.len())?;
        let removed = removed_pages.len();
        let mut search = self.search.lock().expect("no panic while holding the lock");
        search.pending.extend(changed_pages.into_iter().map(|f| (f.path.clone(), Some(f))));
        search.pending.extend(removed_pages.into_iter().map(|path| (path, None)));
        Ok((written, removed))
    }

    /// Brings the pages' sections up to date from the pages written since the last job, makes the
    /// index from them, and puts it in place of the live one. It waits [`INDEX_AFTER`] first and
    /// gives up if a newer edit came meanwhile (the pages stay pending for the newer job), and it
    /// runs on one thread, so the next edit's rebuild always has a core of its own.
    fn index_in_background(&self, phrasing: Phrasing) {
        let (output, latest, lock, search) = (self.output.clone(), Arc::clone(&self.latest_index), Arc::clone(&self.indexing), Arc::clone(&self.search));
        let with_copies = !self.options.live_reload;
        let job = latest.fetch_add(1, Ordering::SeqCst) + 1;
        std::thread::spawn(move || {
            std::thread::sleep(INDEX_AFTER);
            let running = lock.lock().expect("no panic while holding the lock");
            if latest.load(Ordering::SeqCst) != job {
                return;
            }
            let Ok(one_thread) = rayon::ThreadPoolBuilder::new().num_threads(1).build() else { return };
            let pending = std::mem::take(&mut search.lock().expect("no panic while holding the lock").pending);
            let updated: Vec<(String, Option<Arc<Vec<Section>>>)> =
                one_thread.install(|| pending.into_iter().map(|(path, page)| (path, page.map(|p| Arc::new(search::page_sections(&p))))).collect());
            let pages: Vec<(String, Arc<Vec<Section>>)> = {
                let mut cache = search.lock().expect("no panic while holding the lock");
                for (path, sections) in updated {
                    match sections {
                        Some(s) => cache.sections.insert(path, s),
                        None => cache.sections.remove(&path),
                    };
                }
                cache.sections.iter().map(|(path, s)| (path.clone(), Arc::clone(s))).collect()
            };
            let indexed = one_thread.install(|| {
                let (mut index, _) = search::index_sections(pages.iter().map(|(path, s)| (path.as_str(), s.as_slice())), &phrasing)?;
                if with_copies {
                    let (copies, _) = crate::precompress::copies(&index)?;
                    index.extend(copies);
                }
                Served(&output).replace_folder(search::INDEX_DIR, &index)?;
                anyhow::Ok(())
            });
            if let Err(e) = indexed {
                eprintln!("warning: the search index was not updated: {e:#}");
            }
            drop(running);
        });
    }
}

/// The search index's inputs between rebuilds: each page's sections, by output path, and the pages
/// written (`Some`) or removed (`None`) since the last index job read them.
#[derive(Default)]
struct SearchCache {
    sections: HashMap<String, Arc<Vec<Section>>>,
    pending: HashMap<String, Option<OutputFile>>,
}

/// The pages an edit of `changed` pages shows on: themselves, and their collection's page.
fn affected(sources: &Sources, changed: &HashSet<String>) -> Vec<usize> {
    let content = &sources.content;
    let mut pages: Vec<usize> = Vec::new();
    for (i, p) in content.pages.iter().enumerate() {
        if changed.contains(&p.source) {
            pages.push(i);
            let section = content.section_of_dir(&p.dir);
            if section.collection && !p.is_section_index {
                pages.extend(section.index);
            }
        }
    }
    pages.sort_unstable();
    pages.dedup();
    pages
}

/// What every page's render reads of the whole site: the sidebar ([`render::sidebar_key`]) and the
/// site's addresses (each page's source, address, aliases and kind, in any order: an order change
/// moves previous and next links, which [`render::view_key`] sees page by page).
fn frame_hash(sources: &Sources) -> u64 {
    let mut pages: Vec<u64> = sources
        .content
        .pages
        .iter()
        .map(|p| {
            let mut h = DefaultHasher::new();
            (&p.source, &p.url, &p.front.aliases, p.front.collection, p.is_section_index).hash(&mut h);
            h.finish()
        })
        .collect();
    pages.sort_unstable();
    let mut h = DefaultHasher::new();
    (pages, crate::render::sidebar_key(sources)).hash(&mut h);
    h.finish()
}

/// Settings, templates, assets and data: what every page's rendering may read besides the page.
fn environment_hash(sources: &Sources) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{:?}", sources.config).hash(&mut h);
    sources.content.data_sources.iter().for_each(|d| (&d.name, &d.text).hash(&mut h));
    sources.content.website_name_words.as_ref().map(|w| &w.text).hash(&mut h);
    sources.assets.hash(&mut h);
    crate::templates::fingerprint(&sources.root).hash(&mut h);
    h.finish()
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_site::write;

    /// A site whose section `s` has more pages than the sidebar lists (so their titles are on no
    /// other page's sidebar), each titled 页N with weight N.
    fn site(pages: usize) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let settings = include_str!("../../site.toml");
        let at = settings.find("sidebar_max_pages = ").expect("the repository's site.toml sets it");
        let end = at + settings[at..].find('\n').unwrap();
        write(tmp.path(), "site.toml", &format!("{}sidebar_max_pages = 5{}", &settings[..at], &settings[end..]));
        write(tmp.path(), "content/_index.md", "# 首页\n");
        write(tmp.path(), "content/s/_index.md", "# 一节\n");
        for n in 0..pages {
            write(tmp.path(), &format!("content/s/p{n}.md"), &format!("+++\ntitle = \"页{n}\"\nweight = {n}\n+++\n正文{n}。\n"));
        }
        tmp
    }

    /// A title that no sidebar shows renders the page, its neighbours and its section's page again,
    /// not the whole site (10,000 pages: 1.7 s per title edit when every page was rendered).
    #[test]
    fn a_title_edit_renders_the_pages_that_show_that_title_only() {
        let tmp = site(40);
        let output = tmp.path().join("public");
        let mut live = LiveSite::new(tmp.path(), &output, RenderOptions::default());
        let first = live.rebuild(Existing::Absent, None).unwrap();
        assert_eq!(first.rendered, 42);
        write(tmp.path(), "content/s/p20.md", "+++\ntitle = \"改过的标题\"\nweight = 20\n+++\n正文20。\n");
        let report = live.rebuild(Existing::Folder, None).unwrap();
        assert_eq!(report.rendered, 4, "the page, the two next to it and the section's page");
        for page in ["s/p19", "s/p20", "s/p21", "s"] {
            let html = std::fs::read_to_string(output.join(page).join("index.html")).unwrap();
            assert!(html.contains("改过的标题"), "{page} shows the new title");
        }
        // A title the sidebar shows (a section's) is on every page.
        write(tmp.path(), "content/s/_index.md", "# 改过的一节\n");
        let report = live.rebuild(Existing::Folder, None).unwrap();
        assert_eq!(report.rendered, 42);
        // A weight that moves a page: the pages whose neighbours changed, and the section's page.
        write(tmp.path(), "content/s/p20.md", "+++\ntitle = \"改过的标题\"\nweight = 100\n+++\n正文20。\n");
        let report = live.rebuild(Existing::Folder, None).unwrap();
        assert_eq!(report.rendered, 5, "p19 and p21 (now next to each other), p39 (now before p20), p20 and the section's page");
        let last = std::fs::read_to_string(output.join("s/p39/index.html")).unwrap();
        assert!(last.contains("改过的标题"), "the new last page's next link");
    }

    /// Serve names the pages an edit wrote (from the watcher), and the rebuild reads those alone:
    /// no walk, no stat of the others. A failed rebuild's pages are read again by the next one,
    /// whatever it is told; a page it does not know (a new file) makes it walk the folder.
    #[test]
    fn the_pages_serve_names_are_read_again_and_a_failed_rebuilds_pages_too() {
        let tmp = site(10);
        let output = tmp.path().join("public");
        let mut live = LiveSite::new(tmp.path(), &output, RenderOptions::default());
        live.rebuild(Existing::Absent, None).unwrap();
        let page = |n: usize| std::fs::read_to_string(output.join(format!("s/p{n}/index.html"))).unwrap();
        let only = |sources: &[&str]| sources.iter().map(|s| s.to_string()).collect::<HashSet<String>>();

        write(tmp.path(), "content/s/p3.md", "+++\ntitle = \"页3\"\nweight = 3\n+++\n第一次改。\n");
        let report = live.rebuild(Existing::Folder, Some(&only(&["s/p3.md"]))).unwrap();
        assert_eq!(report.rendered, 1);
        assert!(page(3).contains("第一次改"));

        // p4 broken, then p5 edited: the second rebuild is told of p5 only, and still fails on p4.
        write(tmp.path(), "content/s/p4.md", "+++\ntitle = \n+++\n坏了。\n");
        assert!(live.rebuild(Existing::Folder, Some(&only(&["s/p4.md"]))).is_err());
        write(tmp.path(), "content/s/p5.md", "+++\ntitle = \"页5\"\nweight = 5\n+++\n第五页改了。\n");
        let err = live.rebuild(Existing::Folder, Some(&only(&["s/p5.md"]))).unwrap_err();
        assert!(err.to_string().contains("p4.md"), "{err}");
        write(tmp.path(), "content/s/p4.md", "+++\ntitle = \"页4\"\nweight = 4\n+++\n修好了。\n");
        live.rebuild(Existing::Folder, Some(&only(&["s/p4.md"]))).unwrap();
        assert!(page(4).contains("修好了") && page(5).contains("第五页改了"));

        // An alias onto another page changes the addresses: they are checked again.
        write(tmp.path(), "content/s/p6.md", "+++\ntitle = \"页6\"\nweight = 6\naliases = [\"/s/p7/\"]\n+++\n正文。\n");
        let err = live.rebuild(Existing::Folder, Some(&only(&["s/p6.md"]))).unwrap_err();
        assert!(err.to_string().contains("/s/p7/"), "{err}");
        write(tmp.path(), "content/s/p6.md", "+++\ntitle = \"页6\"\nweight = 6\n+++\n正文6。\n");
        live.rebuild(Existing::Folder, Some(&only(&["s/p6.md"]))).unwrap();

        // A page the last build did not have: the folder is walked, and the new page is built.
        write(tmp.path(), "content/s/p10.md", "+++\ntitle = \"页10\"\nweight = 10\n+++\n新的一页。\n");
        live.rebuild(Existing::Folder, Some(&only(&["s/p10.md"]))).unwrap();
        assert!(page(10).contains("新的一页"));

        // The templates are taken again after an edit to pages only, and read again otherwise.
        write(tmp.path(), "templates/page.html", "{% extends \"base.html\" %}{% block main %}{{ page.content | safe }}<p>模板改了</p>{% endblock main %}");
        let report = live.rebuild(Existing::Folder, None).unwrap();
        assert_eq!(report.rendered, report.pages, "every page");
        assert!(page(2).contains("模板改了"));
    }

    /// Red-team 10, F9: the served folder deleted while serve runs; the next rebuild wrote only what
    /// changed, into nothing, and every other page stayed missing until a restart.
    #[test]
    fn a_deleted_served_folder_is_written_again_whole_regression() {
        let tmp = site(3);
        let output = tmp.path().join("public");
        let mut live = LiveSite::new(tmp.path(), &output, RenderOptions::default());
        live.rebuild(Existing::Absent, None).unwrap();
        std::fs::remove_dir_all(&output).unwrap();
        write(tmp.path(), "content/s/p1.md", "+++\ntitle = \"页1\"\nweight = 1\n+++\n改了。\n");
        let report = live.rebuild(Existing::Folder, Some(&["s/p1.md".to_string()].into())).unwrap();
        assert_eq!(report.rendered, report.pages, "every page");
        assert!(output.join("s/p0/index.html").is_file() && output.join("s/p1/index.html").is_file());
        assert!(pipeline::has_build(&output));
    }
}
