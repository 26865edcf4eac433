//! Every page's body, rendered once: shortcodes expanded through their templates, then Markdown to
//! HTML. What the checks need comes with it (headings, links, field checks, where search stops
//! reading), and an FAQ entry's copy on its section page is written from the same rendering
//! ([`Body::html`]), never rendered twice.

use rayon::prelude::*;

use crate::content::Page;
use crate::error::{line_of, ContentError, ContentErrors};
use crate::load::Sources;
use crate::markdown::{self, BodyOptions, Heading, HeadingStyle};
use crate::{shortcodes, templates};

/// A page's body rendered, with what the checks and templates need.
#[derive(Debug, Default, Clone)]
pub struct Body {
    /// HTML with heading markers: write it with [`Body::html`].
    html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<markdown::Link>,
    /// (file line, id) of the ids written in raw HTML, and of footnotes.
    pub raw_ids: Vec<(usize, String)>,
    pub has_field_checks: bool,
    pub search_cut_at_line: Option<usize>,
}

impl Body {
    /// The HTML, headings written in `style` (the page's own, or an entry's copy).
    pub fn html(&self, style: HeadingStyle) -> String {
        markdown::write_html(&self.html, &self.headings, style)
    }
}

/// Renders every page's body (in parallel). A page that fails gets an empty body, and its errors
/// join the others, so the checks after this one still run and the author sees every error at once.
pub fn render_bodies(sources: &Sources) -> (Vec<Body>, ContentErrors) {
    let results: Vec<Result<Body, Vec<ContentError>>> = sources.content.pages.par_iter().map(|p| render_body(sources, p)).collect();
    let mut errors = ContentErrors::default();
    let bodies = results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|e| {
                errors.0.extend(e);
                Body::default()
            })
        })
        .collect();
    (bodies, errors)
}

/// Renders one page's body.
pub fn render_body(sources: &Sources, page: &Page) -> Result<Body, Vec<ContentError>> {
    let at = |offset: usize| Some(line_of(&page.body, offset) + page.body_line_offset);
    let calls = shortcodes::find_calls(&page.body).map_err(|e| vec![ContentError::new(&page.file, at(e.offset), e.message)])?;
    let expanded = shortcodes::expand(&page.body, &calls, |call| render_shortcode(sources, page, call))
        .map_err(|errs| errs.into_iter().map(|e| ContentError::new(&page.file, at(e.offset), e.message)).collect::<Vec<_>>())?;
    if !calls.is_empty() {
        sources.expansion.take(expanded.text.len()).map_err(|why| vec![ContentError::new(&page.file, at(calls[0].start), why)])?;
    }
    let out = markdown::render(&expanded.text, &BodyOptions {
        source_dir: &page.dir,
        line_offset: page.body_line_offset,
        generated: &expanded.generated,
    });
    if !out.errors.is_empty() {
        return Err(out.errors.into_iter().map(|(line, m)| ContentError::new(&page.file, Some(line), m)).collect());
    }
    Ok(Body {
        html: out.html,
        headings: out.headings,
        links: out.links,
        raw_ids: out.raw_ids,
        has_field_checks: calls.iter().any(|c| c.name == "field_check"),
        search_cut_at_line: out.search_cut_at_line,
    })
}

fn render_shortcode(sources: &Sources, page: &Page, call: &shortcodes::Call) -> Result<String, String> {
    if !sources.shortcodes.iter().any(|k| k == &call.name) {
        return Err(format!(
            "unknown shortcode `{}`: the shortcodes are {} (a shortcode is a template templates/shortcodes/NAME.html)",
            call.name,
            sources.shortcodes.join(", ")
        ));
    }
    let mut ctx = tera::Context::new();
    ctx.insert("config", &crate::config::SiteContext::of(&sources.config));
    ctx.insert("provider", &sources.config.provider);
    ctx.insert("data", &sources.content.data);
    ctx.insert("materials_cases", &sources.materials_cases);
    ctx.insert("page_url", &page.url);
    ctx.insert("nth", &call.start);
    for (k, v) in &call.args {
        ctx.insert(k.as_str(), v);
    }
    // Tera's own words say what failed (a variable not found, a filter's error); the hint says
    // where the shortcodes' arguments are listed. No message is matched on.
    sources
        .tera
        .render(&format!("shortcodes/{}.html", call.name), &ctx)
        .map_err(|e| format!("shortcode `{}` failed: {} (the shortcodes and their arguments are listed in docs/content-format.md)", call.name, templates::describe(&e)))
}
