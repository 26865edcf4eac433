//! The `build` and `check` commands as a flat list of steps, each a function from typed values to
//! typed values, timed so the benchmark can say where the time goes:
//!
//! 1. [`load`](crate::load::load): settings, content, data, templates, assets;
//! 2. [`render_bodies`](crate::bodies::render_bodies) and [`check`](crate::check::check): every
//!    body once, then routes, templates, topics, data and links;
//! 3. [`site_in_parts`]: each page through its template, [`PAGES_PER_PART`] pages at a time, then
//!    search, 404, aliases, sitemap, data, assets, and the check that every asset a page names is
//!    written (`check` stops here). Each part, as it is made, is
//! 4. cut into search sections ([`search::sections_of_pages`]), given its `.gz` copies for a host
//!    ([`compress`](crate::precompress::copies), not in serve mode) and written into the staging
//!    folder ([`output`](crate::output), the one place files reach the disk), then dropped;
//! 5. [`index`](crate::search::index_pages): the search index from the sections, written the same way;
//! 6. swap: the staging folder takes the output's place.
//!
//! Before the first step the output folder is checked ([`output_guard`]) and locked.

use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::bodies::{self, Body};
use crate::error::{ContentError, ContentErrors};
use crate::render::{self, RenderOptions};
use crate::check as checks;
use crate::{load, special_pages};
use crate::output::{OutputError, OutputFile, Staging};
use crate::output_guard::{self, Refusal};
use crate::search;
use crate::search::sections::Section;
use crate::search::terms::Phrasing;

/// How long each step took, and how much was built.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub indexed: usize,
    pub steps: Vec<(&'static str, Duration)>,
    /// What the user should know about a build that succeeded.
    pub warnings: Vec<String>,
}

impl fmt::Display for BuildReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total: Duration = self.steps.iter().filter(|(name, _)| !name.contains(':')).map(|(_, d)| *d).sum();
        write!(f, "{} pages, {} files, {} indexed", self.pages, self.files, self.indexed)?;
        write!(f, " in {:.2} s (", total.as_secs_f64())?;
        for (i, (name, d)) in self.steps.iter().enumerate() {
            write!(f, "{}{name} {:.2} s", if i > 0 { ", " } else { "" }, d.as_secs_f64())?;
        }
        write!(f, ")")
    }
}

/// Why a build failed. Whatever the reason, the output path holds what it held before.
#[derive(Debug)]
pub enum BuildError {
    /// The output folder may not be replaced: nothing was read or written.
    Refused(Refusal),
    /// The sources are wrong: the author must fix them.
    Content(ContentErrors),
    /// Another build holds the output, or writing, indexing or swapping failed.
    Output(anyhow::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Refused(e) => write!(f, "{e}"),
            BuildError::Content(e) => write!(f, "{e}"),
            BuildError::Output(e) => write!(f, "error: {e:#}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<ContentErrors> for BuildError {
    fn from(e: ContentErrors) -> Self {
        BuildError::Content(e)
    }
}

impl From<OutputError> for BuildError {
    fn from(e: OutputError) -> Self {
        BuildError::Output(e.into())
    }
}

/// How to build.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Serve mode: pages load the live-reload script.
    pub live_reload: bool,
    /// Replace an output folder the builder did not make (never a protected one).
    pub force: bool,
}

fn timed<T>(steps: &mut Vec<(&'static str, Duration)>, name: &'static str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    steps.push((name, start.elapsed()));
    out
}

/// How many pages go through their templates before they are written: the part of the site held
/// in memory at once. Memory then grows with the sources and the search sections, not the output.
pub const PAGES_PER_PART: usize = 512;

/// Builds the site at `root` into `output`. On any error `output` is left as it was; a refused output
/// folder is refused before anything is read.
pub fn build(root: &Path, output: &Path, options: BuildOptions) -> Result<BuildReport, BuildError> {
    let existing = output_guard::check(output, root, options.force).map_err(BuildError::Refused)?;
    let staging = Staging::new(output, existing)?;
    let render_options = RenderOptions { live_reload: options.live_reload };
    let mut report = BuildReport::default();
    let steps = &mut report.steps;

    let sources = timed(steps, "load", || load::load(root))?;
    let (warnings, bodies) = timed(steps, "check", || checked(&sources))?;
    let phrasing = search::phrasing(&sources.content.data_sources).map_err(BuildError::Output)?;
    // Serve mode makes no copies: edits stay fast, and serve compresses what it sends.
    let mut writer = PartWriter::new(&staging, !options.live_reload);
    let mut render_time = Duration::ZERO;
    let all: Vec<usize> = (0..sources.content.pages.len()).collect();
    let rendered = site_in_parts(&sources, &bodies, render_options, &all, &mut render_time, |part| writer.write(part))?;
    let (indexed, took) = writer.finish(&phrasing)?;
    steps.extend([("render", render_time), ("index", took.parse + took.index), ("index: parse", took.parse), ("index: score", took.index), ("compress", took.compress), ("write", took.write)]);
    let swap_warnings = timed(steps, "swap", || staging.commit())?;

    report.pages = sources.content.pages.len();
    report.files = rendered;
    report.indexed = indexed;
    report.warnings = warnings.iter().map(ToString::to_string).chain(swap_warnings).collect();
    Ok(report)
}

/// Where a build's time went after the checks, summed over the parts.
#[derive(Debug, Default, Clone, Copy)]
pub struct StepTimes {
    pub parse: Duration,
    pub index: Duration,
    pub compress: Duration,
    pub write: Duration,
}

/// Takes the site a part at a time: cuts its pages into search sections, makes the `.gz` copies
/// and writes both into the staging folder, so that a part's bytes are dropped once written; at
/// the end, the search index from the sections, written the same way.
pub struct PartWriter<'a> {
    staging: &'a Staging,
    compress: bool,
    sections: Vec<(String, Vec<Section>)>,
    took: StepTimes,
}

impl<'a> PartWriter<'a> {
    /// `compress`: with `.gz` copies (a build for a host; not in serve mode).
    pub fn new(staging: &'a Staging, compress: bool) -> Self {
        PartWriter { staging, compress, sections: Vec::new(), took: StepTimes::default() }
    }

    /// The search sections of the pages written so far, by output path.
    pub fn sections(&self) -> &[(String, Vec<Section>)] {
        &self.sections
    }

    /// Indexes every page written, writes the index and marks the folder: how many pages have
    /// sections, and where the time went.
    pub fn finish(mut self, phrasing: &Phrasing) -> Result<(usize, StepTimes), BuildError> {
        let start = Instant::now();
        let (index, indexed) = search::index_pages(std::mem::take(&mut self.sections), phrasing).map_err(BuildError::Output)?;
        self.took.index += start.elapsed();
        self.write(index)?;
        self.staging.mark().map_err(|e| write_error(self.staging, e))?;
        Ok((indexed, self.took))
    }

    /// Cuts `part`'s pages into search sections, then writes it with its `.gz` copies.
    pub fn write(&mut self, part: Vec<OutputFile>) -> Result<(), BuildError> {
        let start = Instant::now();
        self.sections.extend(search::sections_of_pages(&part));
        let parsed = Instant::now();
        let copies = if self.compress {
            crate::precompress::copies(&part).map_err(|e| BuildError::Output(anyhow::anyhow!("cannot compress the site's files: {e}")))?.0
        } else {
            Vec::new()
        };
        let compressed = Instant::now();
        self.staging.write_part(&part, &copies).map_err(|e| write_error(self.staging, e))?;
        self.took.parse += parsed - start;
        self.took.compress += compressed - parsed;
        self.took.write += compressed.elapsed();
        Ok(())
    }
}

fn write_error(staging: &Staging, e: std::io::Error) -> BuildError {
    BuildError::Output(anyhow::anyhow!("cannot write into {}: {e}", staging.dir.display()))
}

/// The `pages` (indices) through their templates, [`PAGES_PER_PART`] at a time, then every special
/// page (search, 404, aliases, sitemap, data, assets), each part handed to `take` as soon as it is
/// made; then the check that every asset a page names is written. Returns how many files were made;
/// the time spent rendering is added to `render_time`.
pub fn site_in_parts(
    sources: &load::Sources,
    bodies: &[Body],
    options: RenderOptions,
    pages: &[usize],
    render_time: &mut Duration,
    mut take: impl FnMut(Vec<OutputFile>) -> Result<(), BuildError>,
) -> Result<usize, BuildError> {
    let mut assets = checks::AssetReferences::default();
    let mut made = 0;
    for part in pages.chunks(PAGES_PER_PART) {
        let start = Instant::now();
        let files = render::render_some_pages(sources, bodies, options, part)?;
        *render_time += start.elapsed();
        assets.note(&files);
        made += files.len();
        take(files)?;
    }
    let start = Instant::now();
    let special = special_pages::render(sources, options)?;
    *render_time += start.elapsed();
    assets.note(&special);
    assets.check(sources)?;
    made += special.len();
    take(special)?;
    Ok(made)
}

/// Renders the bodies and runs every check: the warnings and the bodies, or every error.
fn checked(sources: &load::Sources) -> Result<(Vec<ContentError>, Vec<Body>), ContentErrors> {
    let (bodies, mut errors) = bodies::render_bodies(sources);
    let warnings = check_bodies(sources, &bodies, &mut errors, crate::typed_by_hand::PagesToRead::All, checks::Addresses::Check);
    errors.into_result()?;
    Ok((warnings, bodies))
}

/// Every check of the sources and their rendered bodies (routes, templates, topics, data, links,
/// "asked as" phrasings): the errors go into `errors`, the warnings are returned. `pages`: which
/// pages' own texts are read again.
pub fn check_bodies(sources: &load::Sources, bodies: &[Body], errors: &mut ContentErrors, pages: crate::typed_by_hand::PagesToRead, addresses: checks::Addresses) -> Vec<ContentError> {
    let mut warnings = checks::check(sources, bodies, errors, pages, addresses);
    warnings.extend(sources.content.not_published.iter().cloned());
    crate::asked::check(sources, bodies, errors);
    warnings
}

/// Whether `output` holds a finished build (one that carries the builder's marker).
pub fn has_build(output: &Path) -> bool {
    output.join(output_guard::MARKER).is_file()
}

/// What a failed build did to `output`, in words: always nothing. `existed`: whether it was there
/// before the build.
pub fn untouched(output: &Path, existed: bool) -> String {
    if existed {
        format!("{} was left as it was", output.display())
    } else {
        format!("nothing was written to {}", output.display())
    }
}

/// Everything `build` checks, without writing anything: the number of pages and the warnings.
pub fn check(root: &Path) -> Result<(usize, Vec<String>), BuildError> {
    let sources = load::load(root)?;
    let (warnings, bodies) = checked(&sources)?;
    // The templates too: a template that fails on a page, or refers to an asset that is not there,
    // fails `check` as it would fail `build`.
    let all: Vec<usize> = (0..sources.content.pages.len()).collect();
    let mut render_time = Duration::ZERO;
    site_in_parts(&sources, &bodies, RenderOptions::default(), &all, &mut render_time, |_| Ok(()))?;
    Ok((sources.content.pages.len(), warnings.iter().map(ToString::to_string).collect()))
}
