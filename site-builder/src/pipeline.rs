//! The `build` and `check` commands as a flat list of steps, each a function from typed values to
//! typed values, timed so the benchmark can say where the time goes:
//!
//! 1. [`load`](crate::load::load): settings, content, data, templates, assets;
//! 2. [`render_bodies`](crate::bodies::render_bodies) and [`check`](crate::check::check): every
//!    body once, then routes, templates, topics, data and links;
//! 3. [`render_pages`](crate::render::render_pages) and
//!    [`special_pages`](crate::special_pages::render): each page through its template, then search,
//!    404, aliases, sitemap, data, assets, and the check that every asset a page names is written
//!    (`check` stops here);
//! 4. [`index`](crate::search::index): the search index, from the rendered pages in memory;
//! 5. [`compress`](crate::precompress::copies): `.gz` copies for a host (not in serve mode);
//! 6. write and 7. swap ([`output`](crate::output)): the one place files reach the disk.
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
use crate::output::{OutputError, Staging};
use crate::output_guard::{self, Refusal};
use crate::search;

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
    let mut files = timed(steps, "render", || site_files(&sources, &bodies, render_options))?;
    let rendered = files.len();
    let phrasing = search::phrasing(&sources.content.data_sources).map_err(BuildError::Output)?;
    let (index, stats) = timed(steps, "index", || search::index(&files, &phrasing)).map_err(BuildError::Output)?;
    steps.push(("index: parse", stats.parse));
    steps.push(("index: score", stats.write));
    files.extend(index);
    // Serve mode makes no copies: edits stay fast, and serve compresses what it sends.
    if !options.live_reload {
        let (copies, _) = timed(steps, "compress", || crate::precompress::copies(&files)).map_err(|e| BuildError::Output(anyhow::anyhow!("cannot compress the site's files: {e}")))?;
        files.extend(copies);
    }
    timed(steps, "write", || staging.write_all(&files)).map_err(|e| BuildError::Output(anyhow::anyhow!("cannot write into {}: {e}", staging.dir.display())))?;
    let swap_warnings = timed(steps, "swap", || staging.commit())?;

    report.pages = sources.content.pages.len();
    report.files = rendered;
    report.indexed = stats.pages;
    report.warnings = warnings.iter().map(ToString::to_string).chain(swap_warnings).collect();
    Ok(report)
}

/// Every page through its template and every special page, with the check of what they refer to.
fn site_files(sources: &load::Sources, bodies: &[Body], options: RenderOptions) -> Result<Vec<crate::output::OutputFile>, ContentErrors> {
    let mut files = render::render_pages(sources, bodies, options)?;
    files.extend(special_pages::render(sources, options)?);
    checks::asset_references(sources, &files)?;
    Ok(files)
}

/// Renders the bodies and runs every check: the warnings and the bodies, or every error.
fn checked(sources: &load::Sources) -> Result<(Vec<ContentError>, Vec<Body>), ContentErrors> {
    let (bodies, mut errors) = bodies::render_bodies(sources);
    let warnings = checks::check(sources, &bodies, &mut errors);
    crate::asked::check(sources, &bodies, &mut errors);
    errors.into_result()?;
    Ok((warnings, bodies))
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
    site_files(&sources, &bodies, RenderOptions::default())?;
    Ok((sources.content.pages.len(), warnings.iter().map(ToString::to_string).collect()))
}
