//! Tera templates: the built-in set (the repository's `templates/`, embedded in the binary) with any
//! file of the site's own `templates/` folder taking the place of the built-in one of the same name.
//! Static assets (`templates/assets/`) are embedded the same way.

use std::path::{Path, PathBuf};
use tera::Tera;

use crate::error::{ContentError, ContentErrors};

/// The repository's `templates/`, embedded in the binary; `build.rs` has cargo rebuild when a file
/// is added there, so a new template or asset needs no list kept by hand.
static EMBEDDED: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/../templates");

/// Every embedded file whose path (relative to `templates/`) `keep` accepts, by path.
fn embedded(keep: fn(&str) -> bool) -> Vec<(&'static str, &'static str)> {
    fn walk(dir: &'static include_dir::Dir<'static>, keep: fn(&str) -> bool, out: &mut Vec<(&'static str, &'static str)>) {
        for entry in dir.entries() {
            match entry {
                include_dir::DirEntry::Dir(d) => walk(d, keep, out),
                include_dir::DirEntry::File(f) => {
                    let path = f.path().to_str().expect("template paths are UTF-8");
                    if keep(path) {
                        out.push((path, f.contents_utf8().unwrap_or_else(|| panic!("templates/{path} is UTF-8"))));
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&EMBEDDED, keep, &mut out);
    out.sort_unstable();
    out
}

/// Built-in templates, by name: every `.html` file of `templates/` outside `assets/`.
pub static BUILTIN_TEMPLATES: std::sync::LazyLock<Vec<(&str, &str)>> =
    std::sync::LazyLock::new(|| embedded(|path| path.ends_with(".html") && !path.starts_with("assets/")));

/// Built-in static files, by output path: `templates/assets/`, but for `assets/validator/`, which
/// the browser modules' step writes.
pub static BUILTIN_ASSETS: std::sync::LazyLock<Vec<(&str, &str)>> =
    std::sync::LazyLock::new(|| embedded(|path| path.starts_with("assets/") && !path.starts_with("assets/validator/")));

/// The static files: the built-in ones, then every file of the site's own `templates/assets/` over
/// them (a provider restyles the site by dropping in its own `style.css`). `assets/validator/` belongs
/// to the validator step.
pub fn assets(root: &Path) -> Result<Vec<(String, Vec<u8>)>, ContentErrors> {
    let mut errors = ContentErrors::default();
    let builtin = BUILTIN_ASSETS.iter().map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()));
    let own: Vec<(String, PathBuf)> = files_below(root, "assets", &mut errors).into_iter().filter(|(rel, _)| !rel.starts_with("assets/validator/")).collect();
    let own = own.into_iter().filter(|(rel, _)| match asset_problem(rel) {
        Some(why) => {
            errors.push(ContentError::new(Path::new("templates").join(rel), None, why));
            false
        }
        None => true,
    });
    let own: Vec<(String, PathBuf)> = own.collect();
    let assets = overlay(builtin, own.into_iter(), crate::read::bytes, &mut errors);
    errors.into_result()?;
    Ok(assets)
}

/// Why a file of the site's `templates/assets/` (`rel`, below `templates/`) cannot be published
/// under its name, if it cannot: it would land where the build writes its own files (the search
/// index, the data files as JSON), or its name with the content hash and the `.gz` copy would pass
/// the 255 bytes a file name may have.
fn asset_problem(rel: &str) -> Option<String> {
    let below = |dir: &str| rel == dir || rel.starts_with(&format!("{dir}/"));
    if below(crate::search::INDEX_DIR) {
        return Some(format!(
            "the build writes the search index to `/{}/`, so a file or folder `templates/{}` would clash with it: rename or move it",
            crate::search::INDEX_DIR,
            crate::search::INDEX_DIR
        ));
    }
    if below("assets/data") {
        return Some("the build writes each data file of content/_data/ to `/assets/data/NAME.json`, so a file here would clash with those or replace one: put it elsewhere below templates/assets/ (change the data itself in content/_data/)".into());
    }
    if let Some(part) = rel.split('/').find(|p| p.len() > crate::paths::MAX_NAME_BYTES) {
        return Some(format!(
            "the name `{}…` is {} bytes: the build writes it with a content hash and a `.gz` copy beside it, whose names are longer, so a file or folder name here may have at most {} bytes: rename it",
            part.chars().take(12).collect::<String>().escape_debug(),
            part.len(),
            crate::paths::MAX_NAME_BYTES
        ));
    }
    None
}

/// The built-in files with the site's own read over them: a file of the site's replaces the built-in
/// one of the same name. A file that cannot be read is an error naming it.
fn overlay<T>(
    builtin: impl Iterator<Item = (String, T)>,
    own: impl Iterator<Item = (String, PathBuf)>,
    read: fn(&Path) -> std::io::Result<T>,
    errors: &mut ContentErrors,
) -> Vec<(String, T)> {
    let mut files: Vec<(String, T)> = builtin.collect();
    for (rel, path) in own {
        match read(&path) {
            Ok(contents) => {
                files.retain(|(n, _)| n != &rel);
                files.push((rel, contents));
            }
            Err(e) => errors.push(ContentError::new(Path::new("templates").join(&rel), None, format!("cannot read: {e}"))),
        }
    }
    files
}

/// The files below `ROOT/templates/SUB` (`SUB` empty: all of them), as (path relative to
/// `templates/`, path to read). A symbolic link is followed when it stays inside the site's folder
/// and is an error otherwise, like a link that cannot be read: a linked `templates/assets` must not
/// publish files from elsewhere on the machine, and a linked template is used, not skipped.
fn files_below(root: &Path, sub: &str, errors: &mut ContentErrors) -> Vec<(String, PathBuf)> {
    let dir = root.join("templates");
    let start = if sub.is_empty() { dir.clone() } else { dir.join(sub) };
    if std::fs::symlink_metadata(&start).is_err() {
        return Vec::new();
    }
    let site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut files = Vec::new();
    let mut walk = walkdir::WalkDir::new(&start).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = e.path().and_then(|p| p.strip_prefix(root).ok()).map_or_else(|| PathBuf::from("templates"), Path::to_path_buf);
                errors.push(ContentError::new(at, None, format!("cannot read: {e}")));
                continue;
            }
        };
        let relative = entry.path().strip_prefix(&dir).expect("below templates");
        let rel = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        // A `\` inside a name is not a separator here: `..\x.css` would be written above the
        // output folder (red-team 9, F1, as in content/).
        if rel.contains('\\') {
            errors.push(ContentError::new(Path::new("templates").join(&rel), None, "this file or folder name holds `\\`, which a browser and other systems read as `/`: rename it without `\\`"));
            continue;
        }
        if entry.path_is_symlink() || entry.depth() == 0 {
            match entry.path().canonicalize() {
                Ok(real) if real.starts_with(&site) => {}
                Ok(real) => {
                    errors.push(ContentError::new(Path::new("templates").join(&rel), None, format!(
                        "this symbolic link leads outside the site's folder, to {}: copy the files in instead",
                        real.display()
                    )));
                    if entry.file_type().is_dir() {
                        walk.skip_current_dir();
                    }
                    continue;
                }
                Err(e) => {
                    errors.push(ContentError::new(Path::new("templates").join(&rel), None, format!("this symbolic link is broken ({e}): fix or remove it")));
                    continue;
                }
            }
        }
        let left_to_the_assets_walk = sub.is_empty() && rel.starts_with("assets/");
        if entry.file_type().is_file() {
            files.push((rel, entry.into_path()));
        } else if !entry.file_type().is_dir() && !left_to_the_assets_walk {
            // A pipe, a device or a socket: never read (a pipe waits for ever), never skipped in
            // silence. (The walk of all templates leaves those of assets/ to the walk of assets/.)
            errors.push(ContentError::new(Path::new("templates").join(&rel), None, "this is not a regular file (a pipe, a device or a socket): a template or asset must be a regular file"));
        }
    }
    files
}

/// The arguments each built-in shortcode takes. A call of one whose template is the built-in one
/// (the site has none of its own, or the same text) with another argument is an error at its line:
/// `lable="…"` was ignored, and the field showed no label (red-team 10, F10). A site's own
/// shortcode takes what its template reads.
pub const BUILTIN_SHORTCODE_ARGUMENTS: &[(&str, &[&str])] = &[
    ("copies", &["doc", "type", "entity"]),
    ("fact", &["key"]),
    ("field_check", &["kind", "label", "expect", "subject"]),
    ("materials", &["type", "entity"]),
    ("provider", &["key"]),
    ("provider_if", &["key", "yes", "no"]),
    ("status", &["id"]),
    ("status_meaning", &["id"]),
    ("status_table", &["ids"]),
    ("upload_limits", &[]),
];

/// The templates, and the arguments of the shortcodes whose template is the built-in one.
pub struct Loaded {
    pub tera: Tera,
    pub shortcode_arguments: std::collections::HashMap<String, &'static [&'static str]>,
}

/// Loads the built-in templates, then the site's own over them.
pub fn load(root: &Path) -> Result<Loaded, ContentErrors> {
    let mut errors = ContentErrors::default();
    let builtin = BUILTIN_TEMPLATES.iter().map(|(n, t)| (n.to_string(), t.to_string()));
    let own = files_below(root, "", &mut errors).into_iter().filter(|(rel, _)| rel.ends_with(".html"));
    let templates = overlay(builtin, own, crate::read::text, &mut errors);
    let shortcode_arguments = BUILTIN_SHORTCODE_ARGUMENTS
        .iter()
        .filter(|(name, _)| {
            let file = format!("shortcodes/{name}.html");
            let built_in = BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == file).map(|(_, t)| *t);
            let used = templates.iter().find(|(n, _)| *n == file).map(|(_, t)| t.as_str());
            built_in.is_some() && built_in == used
        })
        .map(|(name, args)| (name.to_string(), *args))
        .collect();
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(escape_html);
    if let Err(e) = tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        errors.push(ContentError::new("templates", None, describe(&e)));
    }
    errors.into_result()?;
    Ok(Loaded { tera, shortcode_arguments })
}

/// A fingerprint of the templates' texts, the site's own and the built-in ones: what `serve`
/// compares to know whether every page must be rendered again.
pub fn fingerprint(root: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    BUILTIN_TEMPLATES.hash(&mut h);
    for (rel, path) in files_below(root, "", &mut ContentErrors::default()) {
        if rel.ends_with(".html") {
            rel.hash(&mut h);
            std::fs::read(path).unwrap_or_default().hash(&mut h);
        }
    }
    h.finish()
}

/// HTML escaping without Tera's `/` → `&#x2F;`, so links stay readable in the page source: `&`, `<`,
/// `>`, `"` and `'`, as html-escape's quoted-attribute encoding does.
fn escape_html(input: &str) -> String {
    html_escape::encode_quoted_attribute(input).into_owned()
}

/// A Tera error with its chain of causes, on one line.
pub fn describe(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// Whether a template exists (built in or the site's).
pub fn exists(tera: &Tera, name: &str) -> bool {
    tera.get_template_names().any(|n| n == name)
}

/// The builder's own page templates, which a content page may not take for its layout.
const SPECIAL_PAGE_TEMPLATES: &[&str] = &["404.html", "search.html"];

/// Why the existing template `name` cannot be a page's layout, if it cannot: a page's layout
/// extends another template (base.html); one that does not is a part (the base itself, macros, a
/// shortcode), and the builder's special pages are its own.
pub fn not_a_page_layout(tera: &Tera, name: &str) -> Option<&'static str> {
    if SPECIAL_PAGE_TEMPLATES.contains(&name) {
        return Some("is the builder's own page (the 404 page or the search page)");
    }
    match tera.get_template(name) {
        Ok(t) if t.parent.is_none() => Some("is not a page layout: it extends no other template (it is a part, such as base.html, macros or a shortcode)"),
        _ => None,
    }
}

/// Names of every shortcode.
pub fn shortcode_names(tera: &Tera) -> Vec<String> {
    let mut names: Vec<String> = tera
        .get_template_names()
        .filter_map(|n| n.strip_prefix("shortcodes/").and_then(|n| n.strip_suffix(".html")))
        .map(str::to_string)
        .collect();
    names.sort();
    names
}
