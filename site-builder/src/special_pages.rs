//! The files a site has besides its pages: the search page and the 404 page (through their
//! templates), a redirect page for every alias, the sitemap, robots.txt, the data files as JSON for
//! the pages' scripts, the static assets and the embedded browser modules (both named by
//! [`asset_names`](crate::asset_names) when loaded). Also which output paths
//! are the builder's own, so that no page or alias takes them.

use std::path::Path;

use crate::error::{ContentError, ContentErrors};
use crate::load::Sources;
use crate::markdown::escape_attr;
use crate::output::OutputFile;
use crate::config::SiteContext;
use crate::render::{self, Code, PageContext, RenderOptions};
use crate::{paths, templates};

/// Paths the builder writes that are not pages, for the link check.
pub const GENERATED_PATHS: &[&str] = &["/search/", "/404.html", "/sitemap.xml", "/robots.txt"];
/// The files behind [`GENERATED_PATHS`], which no page or alias may take.
const SPECIAL_FILES: &[&str] = &["search/index.html", "404.html", "sitemap.xml", "robots.txt"];
/// Folders the builder fills: the assets (browser modules, data, search index among them).
const OWN_FOLDERS: &[&str] = &["assets"];

/// Why an output file belongs to the builder, if it does.
pub fn builders_own(file: &str) -> Option<String> {
    // In lower case: `/Robots.txt` is robots.txt on a case-insensitive disk or host.
    let lower = file.to_lowercase();
    let file = lower.as_str();
    let top = file.split('/').next().unwrap_or("");
    if SPECIAL_FILES.contains(&file) {
        return Some(format!("{file} is a page the builder writes"));
    }
    if OWN_FOLDERS.contains(&top) || file == crate::output_guard::MARKER {
        return Some(format!("/{top}/ is the builder's own folder (assets, data, the search index)"));
    }
    // A folder named like a file the build writes would meet that file on disk: `404.html/` beside
    // 404.html, `index.html/` beside a page's index.html, `x.gz/` beside a compressed copy.
    let folders: Vec<&str> = file.split('/').collect();
    let folders = &folders[..folders.len().saturating_sub(1)];
    for (depth, folder) in folders.iter().enumerate() {
        let is_file = *folder == "index.html"
            || folder.ends_with(".gz")
            || (depth == 0 && (SPECIAL_FILES.contains(folder) || *folder == crate::output_guard::MARKER));
        if is_file {
            return Some(format!("the build writes a file named {folder} there, so it cannot be a folder: choose another address"));
        }
    }
    None
}

/// Every file that is not a page.
pub fn render(sources: &Sources, options: RenderOptions) -> Result<Vec<OutputFile>, ContentErrors> {
    let mut files = templated_pages(sources, options).map_err(|e| ContentErrors(vec![e]))?;
    files.extend(aliases(sources));
    files.push(sitemap(sources));
    files.push(OutputFile { path: "robots.txt".into(), bytes: format!("User-agent: *\nAllow: /\nSitemap: {}/sitemap.xml\n", sources.config.base_url).into_bytes() });
    files.extend(data_files(sources));
    for (name, bytes) in sources.assets.iter() {
        if name != "assets/livereload.js" || options.live_reload {
            files.push(OutputFile { path: name.clone(), bytes: bytes.clone() });
        }
    }
    Ok(files)
}

/// The search page (with the return codes listed) and the 404 page.
fn templated_pages(sources: &Sources, options: RenderOptions) -> Result<Vec<OutputFile>, ContentError> {
    let words = &sources.config.words;
    let nav = render::nav(sources);
    let codes: Vec<Code> = sources
        .content
        .sections
        .iter()
        .filter(|s| s.collection)
        .flat_map(|s| s.pages.iter())
        .map(|&i| &sources.content.pages[i])
        .filter(|p| !p.stem.is_empty() && p.stem.chars().all(|c| c.is_ascii_digit()))
        .map(|p| Code { code: &p.stem, title: &p.title, url: &p.url })
        .collect();
    let search = PageContext {
        title: &words.search_title,
        url: "/search/",
        description: words.search_description.replace("{site}", &sources.config.title),
        breadcrumbs: vec![render::home_crumb(sources)],
        codes: Some(codes),
        ..PageContext::default()
    };
    let not_found = PageContext { title: &words.not_found_title, url: "/404.html", description: words.not_found_description.clone(), ..PageContext::default() };
    let page = |name: &str, context: &PageContext, path: &str| {
        render::render_template(sources, name, context, &nav, options)
            .map(|html| OutputFile { path: path.into(), bytes: html.into_bytes() })
            .map_err(|m| ContentError::new(Path::new("templates").join(name), None, m))
    };
    Ok(vec![page("search.html", &search, "search/index.html")?, page("404.html", &not_found, "404.html")?])
}

/// A redirect page at every alias.
fn aliases(sources: &Sources) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for p in &sources.content.pages {
        for alias in &p.front.aliases {
            let mut ctx = tera::Context::new();
            ctx.insert("target", &p.url);
            ctx.insert("title", &p.title);
            ctx.insert("site", &SiteContext::of(&sources.config));
            let html = sources.tera.render("alias.html", &ctx).unwrap_or_else(|e| templates::describe(&e));
            files.push(OutputFile { path: paths::alias_file(alias), bytes: html.into_bytes() });
        }
    }
    files
}

fn sitemap(sources: &Sources) -> OutputFile {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut pages: Vec<_> = sources.content.pages.iter().collect();
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    for p in pages {
        xml.push_str(&format!("  <url><loc>{}{}</loc>", escape_attr(&sources.config.base_url), escape_attr(&paths::encode_path(&p.url))));
        if let Some(d) = sources.updated(p) {
            xml.push_str(&format!("<lastmod>{}</lastmod>", escape_attr(&d)));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile { path: "sitemap.xml".into(), bytes: xml.into_bytes() }
}

/// Each data file as JSON at `/assets/data/NAME.json`, for the pages' scripts (the wizard, the
/// materials checklist, the status page) to hand to the browser modules.
fn data_files(sources: &Sources) -> Vec<OutputFile> {
    sources
        .content
        .data
        .iter()
        .map(|(name, value)| OutputFile { path: format!("assets/data/{name}.json"), bytes: serde_json::to_vec(value).expect("data is JSON") })
        .collect()
}
