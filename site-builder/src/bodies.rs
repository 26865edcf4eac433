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

/// What every shortcode's template is given besides its arguments.
const BUILDER_NAMES: [&str; 6] = ["config", "provider", "data", "materials_cases", "page_url", "nth"];

fn render_shortcode(sources: &Sources, page: &Page, call: &shortcodes::Call) -> Result<String, String> {
    if !sources.shortcodes.iter().any(|k| k == &call.name) {
        return Err(format!(
            "unknown shortcode `{}`: the shortcodes are {} (a shortcode is a template templates/shortcodes/NAME.html)",
            call.name,
            sources.shortcodes.join(", ")
        ));
    }
    // What every call shares is in the lent context already: inserting `data` here copied every
    // data file for every call (crate::contexts).
    // An argument named like what the builder gives every call would replace it: `nth=1` on two
    // calls gave two elements one id, `data="x"` hid the facts (red-team 8, F4).
    if let Some((k, _)) = call.args.iter().find(|(k, _)| BUILDER_NAMES.contains(&k.as_str())) {
        return Err(format!("shortcode `{}`: `{k}` is a name the builder gives every shortcode ({}), not an argument: leave it out", call.name, BUILDER_NAMES.join(", ")));
    }
    if let Some(takes) = sources.shortcode_arguments.get(&call.name) {
        if let Some((k, _)) = call.args.iter().find(|(k, _)| !takes.contains(&k.as_str())) {
            let list = if takes.is_empty() { "none".to_string() } else { takes.join(", ") };
            return Err(format!("shortcode `{}` takes no argument `{k}` (its arguments: {list}; docs/content-format.md)", call.name));
        }
    }
    let mut ctx = sources.contexts.shortcodes.lend(|| {
        let mut shared = tera::Context::new();
        shared.insert("config", &crate::config::SiteContext::of(&sources.config));
        shared.insert("provider", &sources.config.provider);
        shared.insert("data", &sources.content.data);
        shared.insert("materials_cases", &sources.materials_cases);
        shared
    });
    ctx.insert("page_url", &page.url);
    // The call's place, unique on the site: a collection's page shows its entries together, and two
    // entries with a field check at the same offset gave two elements one id (red-team 10, F6).
    ctx.insert("nth", &format!("{}-{}", crate::asset_names::short_hash(page.source.as_bytes()), call.start));
    for (k, v) in &call.args {
        ctx.insert(k.as_str(), v);
    }
    // Tera's own words say what failed (a variable not found, a filter's error); the hint says
    // where the shortcodes' arguments are listed. No message is matched on.
    sources
        .tera
        .render(&format!("shortcodes/{}.html", call.name), ctx.context())
        .map_err(|e| format!("shortcode `{}` failed: {} (the shortcodes and their arguments are listed in docs/content-format.md)", call.name, templates::describe(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bare site: 1 MB of data no page reads, `calls` calls of `{{ upload_limits() }}` in one
    /// page and 40 more pages with 20 calls each, and a shortcode `d` that shows an argument and
    /// `data`.
    fn site(calls: usize) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| crate::test_site::write(tmp.path(), rel, text);
        write("content/_index.md", "# 首页\n");
        write("content/_data/big.toml", &(0..4_000).map(|i| format!("k{i} = \"{}\"\n", "备案".repeat(40))).collect::<String>());
        write("content/p.md", &format!("# 页\n\n{}", "{{ upload_limits() }}\n\n".repeat(calls)));
        for i in 0..40 {
            write(&format!("content/s/p{i}.md"), &format!("# 页{i}\n\n{}", "{{ upload_limits() }}\n\n".repeat(20)));
        }
        write("templates/shortcodes/d.html", "[{{ data.big.k0 | length }} chars {{ page_url }} {% if x is defined %}x {{ x }}{% endif %}]");
        write("content/d.md", "# d\n\n{{ d(x=1) }}\n\n{{ d() }}\n");
        tmp
    }

    /// Red-team 5 F2: each shortcode call inserted `data` (every file of content/_data) into a new
    /// Tera context, a deep copy per call whether or not the shortcode read it: 8 MB of data and
    /// 8,000 calls took 48 s of CPU. The shared keys are now serialised once per context the pool
    /// makes (at most one per thread rendering at once), counted here.
    #[test]
    fn shortcode_calls_do_not_copy_the_data_files_regression() {
        let tmp = site(2_000);
        let sources = crate::load::load(tmp.path()).unwrap();
        let (bodies, errors) = render_bodies(&sources);
        assert!(errors.0.is_empty(), "{errors:?}");
        let built = sources.contexts.shortcodes.built();
        assert!((1..=rayon::current_num_threads() + 1).contains(&built), "{built} contexts for 2,802 calls");
        let i = sources.content.pages.iter().position(|p| p.source == "d.md").unwrap();
        let html = bodies[i].html(HeadingStyle { shift: 0, id_prefix: "", link_label: "" });
        // A call's arguments are gone for the next call.
        assert!(html.contains("[80 chars /d/ x 1]") && html.contains("[80 chars /d/ ]"), "{html}");
    }

    /// Red-team 8, F4: an argument named like what the builder gives every call replaced it.
    #[test]
    fn an_argument_named_like_the_builder_s_own_is_refused_at_its_line_regression() {
        let tmp = site(1);
        crate::test_site::write(tmp.path(), "content/d.md", "# d\n\n正文\n\n{{ d(nth=1) }}\n");
        let sources = crate::load::load(tmp.path()).unwrap();
        let (_, errors) = render_bodies(&sources);
        let shown: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
        assert!(shown.iter().any(|e| e.starts_with("content/d.md:5") && e.contains("`nth` is a name the builder gives every shortcode")), "{shown:?}");
    }
}
