//! The content tree: reads `content/` into pages and sections and decides their URLs and order.
//! Reading files is kept apart from parsing them (`Page::parse` takes text) so tests pass strings.

use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::error::{ContentError, ContentErrors};
use crate::front_matter::{self, FrontMatter};
use crate::paths;

/// One Markdown file.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to `content/`, `/`-separated: `guides/first-filing.md`.
    pub source: String,
    /// Path for messages: `content/guides/first-filing.md`.
    pub file: PathBuf,
    pub url: String,
    /// File name without `.md`; an entry's anchor on its section page.
    pub stem: String,
    /// Folder relative to `content/` (`""` for the root).
    pub dir: String,
    pub is_section_index: bool,
    /// Shared, as the body is, when serve takes the page again.
    pub front: std::sync::Arc<FrontMatter>,
    pub title: String,
    /// Shared, not copied, when serve takes a page again from its last build (cloning 10,000
    /// bodies took half of a one-page edit's load).
    pub body: std::sync::Arc<str>,
    pub body_line_offset: usize,
    /// File lines of front-matter keys, for errors about them.
    pub key_lines: Vec<(String, usize)>,
}

impl Page {
    /// Parses a file's text. `source` is relative to `content/`.
    pub fn parse(source: &str, text: &str) -> Result<Page, ContentError> {
        let file = Path::new("content").join(source);
        let split = front_matter::split(text).map_err(|e| {
            ContentError::new(&file, Some(e.line), format!("{}. Front matter is TOML between two `+++` lines, e.g. title = \"首次备案\"", e.message))
        })?;
        if let Some(value) = &split.front_matter.updated {
            if let Err(why) = last_change(value) {
                let line = split.key_lines.iter().find(|(k, _)| k == "updated").map(|(_, l)| *l);
                return Err(ContentError::new(&file, line, format!("`updated` {why}")));
            }
        }
        if split.front_matter.aliases.len() > MAX_ALIASES_PER_PAGE {
            let line = split.key_lines.iter().find(|(k, _)| k == "aliases").map(|(_, l)| *l);
            return Err(ContentError::new(&file, line, format!(
                "{} aliases: a page may have at most {MAX_ALIASES_PER_PAGE} (each is a page of its own that redirects here: the addresses it had before a move)",
                split.front_matter.aliases.len()
            )));
        }
        let mut body = split.body.to_string();
        let mut body_line_offset = split.body_line_offset;
        let title = match split.front_matter.title.clone() {
            Some(t) => t,
            None => {
                // The first `# ` line is the title when the front matter gives none.
                let (before, rest) = leading_blank_lines(&body);
                match rest.lines().next().and_then(|l| l.strip_prefix("# ")) {
                    Some(t) => {
                        let t = t.trim().to_string();
                        let skip = before.len() + rest.find('\n').map_or(rest.len(), |i| i + 1);
                        body_line_offset += before.matches('\n').count() + 1;
                        body = body[skip..].to_string();
                        t
                    }
                    None => {
                        return Err(ContentError::new(&file, Some(1), "this page has no title: add `title = \"…\"` to its front matter or start it with a `# 标题` line"));
                    }
                }
            }
        };
        let file_name = source.rsplit('/').next().unwrap_or(source);
        let stem = file_name.strip_suffix(".md").unwrap_or(file_name).to_string();
        let dir = source.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        Ok(Page {
            url: paths::url_for_source(source),
            source: source.to_string(),
            file,
            is_section_index: stem == "_index",
            stem,
            dir,
            front: split.front_matter.into(),
            title,
            body: body.into(),
            body_line_offset,
            key_lines: split.key_lines,
        })
    }

    pub fn line_of_key(&self, key: &str) -> Option<usize> {
        self.key_lines.iter().find(|(k, _)| k == key).map(|(_, l)| *l)
    }

    /// `updated` from the front matter (checked by [`Page::parse`]), as the sitemap's `lastmod`
    /// writes it.
    pub fn updated(&self) -> Option<String> {
        self.front.updated.as_ref().and_then(|v| last_change(v).ok())
    }
}

/// A page's `updated` as a W3C date (`2026-01-15`) or date and time with its offset
/// (`2026-01-15T09:30:00+08:00`), the forms a sitemap's `lastmod` takes; written as a TOML date or
/// a string. Anything else (a number, a table, a time without its offset, the string "2026-02-30") is refused,
/// since it would be published in every page's “最后更新” line and the sitemap.
fn last_change(value: &toml::Value) -> Result<String, String> {
    let datetime = match value {
        toml::Value::Datetime(d) => *d,
        toml::Value::String(s) => s.trim().parse::<toml::value::Datetime>().map_err(|_| format!("`{}` is not a date: write it like updated = 2026-01-15", s.escape_debug()))?,
        other => return Err(format!("must be a date, like updated = 2026-01-15, not a {}", other.type_str())),
    };
    if datetime.date.is_none() {
        return Err("needs a date, like updated = 2026-01-15, not only a time".into());
    }
    if datetime.time.is_some() && datetime.offset.is_none() {
        return Err("gives a time without its offset: write the date alone (2026-01-15) or add the offset (2026-01-15T09:30:00+08:00)".into());
    }
    Ok(datetime.to_string())
}

/// Whether a symbolic link in `content/` is a file to read. A link to a file inside the content
/// folder is followed; one that is broken or leads outside is an error, so that nothing is skipped
/// in silence and nothing from elsewhere on the machine is published.
fn symlinked_file(link: &Path, content_dir: &Path) -> Result<bool, String> {
    let target = link.canonicalize().map_err(|e| format!("this symbolic link is broken ({e}): fix or remove it"))?;
    let inside = content_dir.canonicalize().is_ok_and(|c| target.starts_with(c));
    if !inside {
        return Err(format!("this symbolic link leads outside the content folder, to {}: copy the file in instead", target.display()));
    }
    let source_name = link.extension().is_some_and(|e| e == "md" || e == "toml");
    if source_name && !target.is_file() {
        return Err("this symbolic link has a page's or data file's name but leads to a folder or a special file: a source must be a regular file".into());
    }
    Ok(target.is_file())
}

fn leading_blank_lines(s: &str) -> (&str, &str) {
    let mut i = 0;
    for line in s.split_inclusive('\n') {
        if line.trim().is_empty() {
            i += line.len();
        } else {
            break;
        }
    }
    s.split_at(i)
}

/// A folder of pages.
#[derive(Debug, Clone)]
pub struct Section {
    /// Folder relative to `content/` (`""` for the root).
    pub dir: String,
    pub url: String,
    pub title: String,
    /// Index into `Content::pages` of `_index.md`, if written.
    pub index: Option<usize>,
    /// Pages of this folder (not `_index.md`), in order.
    pub pages: Vec<usize>,
    /// Sub-sections, by index into `Content::sections`, in order.
    pub subsections: Vec<usize>,
    pub collection: bool,
    pub weight: i64,
}

/// A file's size and last write, as the file system reports them: an unchanged stamp means an
/// unchanged file for `serve`'s purposes (editors write a new modification time on every save).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp { modified: meta.modified().ok(), len: meta.len() })
    }
}

/// What a load found in `content/`, kept by `serve` to take again after an edit: the pages as
/// parsed, by their path below `content/`, each with the stamp of the file it came from (shared, so
/// taking 10,000 pages again copies none), and the walk's list of files.
#[derive(Debug, Default, Clone)]
pub struct ParsedPages {
    pub pages: HashMap<String, (Stamp, std::sync::Arc<Page>)>,
    walk: Option<Walk>,
}

impl ParsedPages {
    pub fn new() -> ParsedPages {
        ParsedPages::default()
    }

    /// The stamp of the file a page was parsed from.
    pub fn stamp_of(&self, source: &str) -> Option<Stamp> {
        self.pages.get(source).map(|(stamp, _)| *stamp)
    }
}

/// What the files below `content/` are, as one walk found them (a walk of 10,000 pages and a stat
/// of each took about a third of a one-page edit).
#[derive(Debug, Default, Clone)]
struct Walk {
    /// Pages, in walk order.
    md_files: Vec<String>,
    /// `_data/*.toml`, in walk order.
    data_files: Vec<String>,
    /// [`WEBSITE_NAME_WORDS`], if there.
    words: bool,
    not_published: Vec<ContentError>,
}

/// Which pages changed since the load that `before` holds.
#[derive(Debug, Clone, Copy, Default)]
pub enum Changed<'a> {
    /// Unknown: walk the folder again and compare every file's stamp.
    #[default]
    Unknown,
    /// Only these existing pages' files (paths below `content/`); no file was added, removed or
    /// renamed, and nothing else in `content/` changed but data files (read again every time).
    Pages(&'a std::collections::HashSet<String>),
}

/// The provider's website-name word lists, below `content/`.
pub const WEBSITE_NAME_WORDS: &str = "_data/website-name-words.txt";
/// The most the website-name word lists may hold. Every page carries them (the form checks read them
/// from the page), so 1 MB of words on 600 pages wrote 577 MB; the built-in lists are 645 bytes.
pub const MAX_WEBSITE_NAME_WORDS_BYTES: usize = 16 << 10;

/// A data file as written, for the data check's messages.
#[derive(Debug, Clone)]
pub struct DataSource {
    /// `wizard` for `content/_data/wizard.toml`.
    pub name: String,
    /// Path for messages: `content/_data/wizard.toml`.
    pub file: PathBuf,
    pub text: String,
}

/// Everything in `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Shared with `serve`'s last build, page by page (copying 10,000 took a tenth of an edit).
    pub pages: Vec<std::sync::Arc<Page>>,
    pub sections: Vec<Section>,
    /// `content/_data/NAME.toml` as `data.NAME`.
    pub data: serde_json::Map<String, serde_json::Value>,
    /// The same files' text.
    pub data_sources: Vec<DataSource>,
    /// `content/_data/website-name-words.txt`: the provider's website-name word lists, if given.
    pub website_name_words: Option<DataSource>,
    /// Each section's number by its folder: every page looks its section up (a search of every
    /// section per page made 40,000 one-page folders take 5.7 s).
    section_by_dir: HashMap<String, usize>,
    /// Page-like files the walk leaves out on purpose (drafts in a `_` folder, hidden `.md` files):
    /// shown as warnings, never dropped in silence.
    pub not_published: Vec<ContentError>,
}

impl Content {
    /// Reads every `.md` file and data file below `content_dir`.
    pub fn load(content_dir: &Path) -> Result<Content, ContentErrors> {
        Self::load_reusing(content_dir, &ParsedPages::new(), Changed::Unknown).map(|(content, _)| content)
    }

    /// The same, taking a page from `before` instead of reading and parsing its file again when the
    /// file's stamp is the same (what `serve` does after an edit), or, when `changed` names the
    /// pages that changed, when it is not one of them (no walk, no stat); also returns the pages
    /// as parsed now.
    pub fn load_reusing(content_dir: &Path, before: &ParsedPages, changed: Changed) -> Result<(Content, ParsedPages), ContentErrors> {
        let mut errors = ContentErrors::default();
        let known = match (changed, &before.walk) {
            (Changed::Pages(pages), Some(walk)) if pages.iter().all(|p| before.pages.contains_key(p)) => Some((pages, walk.clone())),
            _ => None,
        };
        let walk = match known {
            Some((_, ref walk)) => walk.clone(),
            None => Self::walk(content_dir, &mut errors)?,
        };
        let mut words = None;
        if walk.words {
            let rel = WEBSITE_NAME_WORDS;
            match crate::read::text(&content_dir.join(rel)) {
                Ok(text) if text.len() > MAX_WEBSITE_NAME_WORDS_BYTES => {
                    // The line where the file passes the bound: the words are written on every page.
                    let at = text.char_indices().map(|(i, _)| i).take_while(|&i| i <= MAX_WEBSITE_NAME_WORDS_BYTES).last().unwrap_or(0);
                    errors.push(ContentError::new(Path::new("content").join(rel), Some(crate::error::line_of(&text, at)), format!(
                        "the website-name word lists pass {} KB here: every page carries them for the form checks, so they may hold at most {} KB (a provider's own words, not a dictionary)",
                        MAX_WEBSITE_NAME_WORDS_BYTES >> 10, MAX_WEBSITE_NAME_WORDS_BYTES >> 10
                    )));
                }
                Ok(text) => words = Some(DataSource { name: "website-name-words".into(), file: Path::new("content").join(rel), text }),
                Err(e) => errors.push(ContentError::new(Path::new("content").join(rel), None, format!("cannot read: {e}"))),
            }
        }
        let unchanged = |rel: &String| known.as_ref().is_some_and(|(pages, _)| !pages.contains(rel));
        let parsed: Vec<Result<(Stamp, std::sync::Arc<Page>), ContentError>> = walk
            .md_files
            .par_iter()
            .map(|rel| {
                if unchanged(rel) {
                    let (stamp, page) = &before.pages[rel];
                    return Ok((*stamp, std::sync::Arc::clone(page)));
                }
                let path = content_dir.join(rel);
                let stamp = Stamp::of(&path);
                if let Some((before_stamp, page)) = before.pages.get(rel) {
                    if stamp.is_some() && Some(*before_stamp) == stamp {
                        return Ok((*before_stamp, std::sync::Arc::clone(page)));
                    }
                }
                let text = crate::read::text(&path)
                    .map_err(|e| ContentError::new(Path::new("content").join(rel), None, format!("cannot read: {e}")))?;
                no_nul(&text, Path::new("content").join(rel))?;
                Ok((stamp.unwrap_or_default(), std::sync::Arc::new(Page::parse(rel, &text)?)))
            })
            .collect();
        let mut pages = Vec::with_capacity(parsed.len());
        let mut now = HashMap::with_capacity(parsed.len());
        for p in parsed {
            match p {
                Ok((stamp, p)) => {
                    pages.push(std::sync::Arc::clone(&p));
                    now.insert(p.source.clone(), (stamp, p));
                }
                Err(e) => errors.push(e),
            }
        }
        let (content, data_errors) = Self::with_data(content_dir, &walk.data_files, pages);
        errors.0.extend(data_errors.0);
        let mut content = content;
        content.not_published = walk.not_published.clone();
        content.website_name_words = words;
        errors.into_result()?;
        Ok((content, ParsedPages { pages: now, walk: Some(walk) }))
    }

    /// The files below `content_dir`, sorted by name, as pages, data files and the word lists;
    /// the names no file may have, and what is not a regular file, as errors.
    fn walk(content_dir: &Path, errors: &mut ContentErrors) -> Result<Walk, ContentErrors> {
        // A content folder that is a link to somewhere outside the site would publish whatever is
        // there (the walk follows the folder it starts from).
        if content_dir.is_symlink() {
            let site = content_dir.parent().and_then(|p| p.canonicalize().ok());
            match (content_dir.canonicalize(), site) {
                (Ok(real), Some(site)) if real.starts_with(&site) => {}
                (real, _) => {
                    let to = real.map_or_else(|e| e.to_string(), |r| r.display().to_string());
                    errors.push(ContentError::new("content", None, format!("content/ is a symbolic link leading outside the site's folder ({to}): copy the pages in instead")));
                    return Err(std::mem::take(errors));
                }
            }
        }
        let mut md_files = Vec::new();
        let mut words = false;
        let mut data_files = Vec::new();
        let mut not_published = Vec::new();
        let walker = walkdir::WalkDir::new(content_dir).sort_by_file_name().into_iter();
        let hidden = |e: &walkdir::DirEntry| e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
        // Hidden folders (an editor's or a version control's) are not walked; a hidden Markdown
        // file is named in a warning, as it looks like a page.
        let named_when_hidden = |e: &walkdir::DirEntry| {
            let name = e.file_name().to_string_lossy();
            e.file_type().is_file() && (is_markdown_name(&name) || (e.depth() == 2 && e.path().parent().is_some_and(|p| p.ends_with("_data")) && name.to_ascii_lowercase().ends_with(".toml")))
        };
        for entry in walker.filter_entry(|e| !hidden(e) || named_when_hidden(e)) {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    errors.push(ContentError::new(content_dir, None, format!("cannot read: {e}")));
                    continue;
                }
            };
            let relative = entry.path().strip_prefix(content_dir).expect("below content");
            // The parts joined with `/`, each as the file system names it: a `\` inside a name is
            // refused below, never taken for a separator (`..\..\victim.md` was written two
            // folders above the output; red-team 9, F1).
            let Some(rel) = relative.to_str().map(|_| relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")) else {
                errors.push(ContentError::new(Path::new("content").join(relative), None,
                    "this file or folder name is not valid UTF-8 (shown here with \u{fffd} for the bytes that are not), so it cannot become a page or address: rename it"));
                continue;
            };
            if let Some(why) = unsafe_name(&rel) {
                errors.push(ContentError::new(Path::new("content").join(&rel), None, why));
                continue;
            }
            if entry.path_is_symlink() {
                match symlinked_file(entry.path(), content_dir) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(why) => {
                        errors.push(ContentError::new(Path::new("content").join(&rel), None, why));
                        continue;
                    }
                }
            } else if entry.file_type().is_dir() {
                continue;
            } else if !entry.file_type().is_file() {
                // A pipe, a device or a socket: never read (a pipe waits for ever), never skipped
                // in silence.
                errors.push(ContentError::new(Path::new("content").join(&rel), None, "this is not a regular file (a pipe, a device or a socket): a source must be a regular file"));
                continue;
            }
            if rel == WEBSITE_NAME_WORDS {
                words = true;
            } else if let Some(why) = left_out(&rel) {
                match why {
                    LeftOut::Hidden => not_published.push(ContentError::new(Path::new("content").join(&rel), None,
                        "not published: its name starts with `.` (a hidden file); remove the `.` to make it a page (or, in _data/, a data file)")),
                    LeftOut::Draft => not_published.push(ContentError::new(Path::new("content").join(&rel), None,
                        "not published: it is in a folder whose name starts with `_` (a draft); move it out to make it a page")),
                    LeftOut::NotMd => errors.push(ContentError::new(Path::new("content").join(&rel), None,
                        "a Markdown file, but only files ending in `.md` (lower case) are pages: rename it to end in `.md`")),
                    LeftOut::NotToml => errors.push(ContentError::new(Path::new("content").join(&rel), None,
                        "every file in content/_data/ is read as TOML, and this one's name does not end in `.toml`: convert it to TOML, or move it out of content/_data/")),
                }
            } else if rel.starts_with("_data/") && rel.ends_with(".toml") {
                data_files.push(rel);
            } else if rel.ends_with(".md") && !rel.starts_with("_data/") {
                md_files.push(rel);
            }
        }
        Ok(Walk { md_files, data_files, words, not_published })
    }

    /// The content of `pages` and the data files `data_files` (paths below `content_dir`), read
    /// now, with the errors found in them.
    fn with_data(content_dir: &Path, data_files: &[String], pages: Vec<std::sync::Arc<Page>>) -> (Content, ContentErrors) {
        let mut errors = ContentErrors::default();
        let mut data = serde_json::Map::new();
        let mut data_sources: Vec<DataSource> = Vec::new();
        // Each data name read so far, with the number of its source.
        let mut data_names: HashMap<String, usize> = HashMap::new();
        let mut data_bytes = 0;
        let mut data_values = 0;
        for rel in data_files {
            let file = Path::new("content").join(rel);
            let name = rel.trim_start_matches("_data/").trim_end_matches(".toml").replace(['/', '-'], "_");
            // The build writes it as `assets/data/NAME.json` with a `.gz` copy: one file name, however
            // many folders the name joins.
            if name.len() > crate::paths::MAX_NAME_BYTES {
                errors.push(ContentError::new(&file, None, format!(
                    "this data file is published as `/assets/data/{}….json`, its folders and name joined with `_` into {} bytes: a data file's path below content/_data/ (without `.toml`) may have at most {} bytes: use shorter names or fewer folders",
                    name.chars().take(12).collect::<String>().escape_debug(),
                    name.len(),
                    crate::paths::MAX_NAME_BYTES
                )));
                continue;
            }
            if let Some(other) = data_names.get(&name).map(|&k| &data_sources[k]) {
                errors.push(ContentError::new(&file, None, format!(
                    "this data file and {} are both read as `data.{name}` (- and _ are the same in a data name): rename one",
                    other.file.display()
                )));
                continue;
            }
            match crate::read::text(&content_dir.join(rel)) {
                Ok(text) if data_bytes + text.len() > MAX_DATA_BYTES => {
                    // Named at the file that passes the bound; the files after it are not read.
                    errors.push(ContentError::new(&file, None, format!(
                        "the data files in content/_data/ up to this one (in name order) hold {} bytes: all of them together may hold at most {} MB (each is published as JSON, and every page's template and every shortcode can read it): move what the pages do not need out of content/_data/",
                        data_bytes + text.len(),
                        MAX_DATA_BYTES >> 20
                    )));
                    break;
                }
                Ok(text) => {
                    // Counted before the file becomes a tree: a tree of many tiny tables is what
                    // takes the memory (9 MB of `{a={}}` held 2.2 GB).
                    let values = toml_values(&text);
                    if data_values + values > MAX_DATA_VALUES {
                        errors.push(ContentError::new(&file, None, format!(
                            "the data files in content/_data/ up to this one (in name order) hold {} values (tables, arrays, strings, numbers, …): all of them together may hold at most {MAX_DATA_VALUES} (each value costs hundreds of bytes once read, as TOML, as JSON and in the templates' context): write fewer, larger values (a string instead of a tiny table), or move what the pages do not need out of content/_data/",
                            data_values + values,
                        )));
                        break;
                    }
                    data_bytes += text.len();
                    data_values += values;
                    match no_nul(&text, &file).map(|()| toml::from_str::<toml::Table>(&text)) {
                        Err(e) => errors.push(e),
                        Ok(Ok(t)) => {
                            data.insert(name.clone(), serde_json::to_value(t).expect("TOML is JSON-compatible"));
                            data_names.insert(name.clone(), data_sources.len());
                            data_sources.push(DataSource { name, file, text });
                        }
                        Ok(Err(e)) => errors.push(ContentError::new(
                            file,
                            e.span().map(|s| crate::error::line_of(&text, s.start)),
                            format!("data file is not valid TOML: {}", e.message()),
                        )),
                    }
                }
                Err(e) => errors.push(ContentError::new(file, None, format!("cannot read: {e}"))),
            }
        }
        let mut content = Self::assemble(pages, data);
        content.data_sources = data_sources;
        (content, errors)
    }

    /// Builds the section tree from parsed pages and orders everything.
    pub fn assemble(pages: Vec<std::sync::Arc<Page>>, data: serde_json::Map<String, serde_json::Value>) -> Content {
        let mut dirs: BTreeMap<String, Section> = BTreeMap::new();
        let ensure = |dirs: &mut BTreeMap<String, Section>, dir: &str| {
            let mut d = dir.to_string();
            loop {
                dirs.entry(d.clone()).or_insert_with(|| Section {
                    url: paths::url_for_source(&format!("{d}/_index.md")),
                    title: d.rsplit('/').next().unwrap_or(&d).to_string(),
                    dir: d.clone(),
                    index: None,
                    pages: Vec::new(),
                    subsections: Vec::new(),
                    collection: false,
                    weight: 0,
                });
                match d.rsplit_once('/') {
                    Some((parent, _)) => d = parent.to_string(),
                    None if !d.is_empty() => d = String::new(),
                    None => break,
                }
            }
        };
        ensure(&mut dirs, "");
        for (i, p) in pages.iter().enumerate() {
            ensure(&mut dirs, &p.dir);
            let s = dirs.get_mut(&p.dir).expect("ensured");
            if p.is_section_index {
                s.index = Some(i);
                s.title = p.title.clone();
                s.collection = p.front.collection;
                s.weight = p.front.weight;
            } else {
                s.pages.push(i);
            }
        }
        let mut sections: Vec<Section> = dirs.into_values().collect();
        let positions: BTreeMap<String, usize> = sections.iter().enumerate().map(|(i, s)| (s.dir.clone(), i)).collect();
        for i in 0..sections.len() {
            let dir = sections[i].dir.clone();
            if dir.is_empty() {
                continue;
            }
            let parent = dir.rsplit_once('/').map_or("", |(p, _)| p);
            let parent_i = positions[parent];
            sections[parent_i].subsections.push(i);
        }
        let order = |a: (i64, &str), b: (i64, &str)| a.cmp(&b);
        for s in sections.iter_mut() {
            s.pages.sort_by(|&a, &b| order((pages[a].front.weight, &pages[a].title), (pages[b].front.weight, &pages[b].title)));
        }
        let keys: Vec<(i64, String)> = sections.iter().map(|s| (s.weight, s.title.clone())).collect();
        for s in sections.iter_mut() {
            s.subsections.sort_by(|&a, &b| order((keys[a].0, &keys[a].1), (keys[b].0, &keys[b].1)));
        }
        let section_by_dir = sections.iter().enumerate().map(|(i, s)| (s.dir.clone(), i)).collect();
        Content { pages, sections, data, data_sources: Vec::new(), website_name_words: None, section_by_dir, not_published: Vec::new() }
    }

    pub fn section_of_dir(&self, dir: &str) -> &Section {
        &self.sections[*self.section_by_dir.get(dir).expect("every page's folder is a section")]
    }

    /// The root section (the home page's).
    pub fn root(&self) -> &Section {
        self.section_of_dir("")
    }
}

/// The data files of `content/_data/` (`*.toml`) together: each is published as JSON and every
/// template and shortcode can read all of them (`data`). The site's own hold about 100 KB.
pub const MAX_DATA_BYTES: usize = 16 << 20;

/// The values (tables, arrays and scalars) all data files together may hold. Bytes alone do not
/// bound the memory: each value is held as TOML, as JSON and in the templates' context, hundreds
/// of bytes each, so 9 MB of tiny tables (`items = [{a={}}, …]`) took 2.2 GB and 15 MB aborted the
/// build. The site's own data holds about 3,000.
pub const MAX_DATA_VALUES: usize = 1_000_000;

/// How many values the TOML `text` holds, counted from its tokens as they are read, without
/// building a tree or even a list of tokens (time in proportion to the text, memory to its nesting):
/// each table header, inline table, array and scalar once, and each `.` of a dotted key as the table
/// it may make (the array that `[[name]]` tables make is not counted: one a name). Text that is not TOML is counted somehow; reading it then names the mistake.
pub fn toml_values(text: &str) -> usize {
    use toml_parser::lexer::TokenKind as T;
    /// What the next tokens are, in the innermost bracket.
    #[derive(Clone, Copy, PartialEq)]
    enum Expect {
        /// A key (or, at the start of a line outside brackets, a `[table]` header).
        Key,
        /// A value: after `=`, or an array's element.
        Value,
        /// The rest of a value, a header or a broken line: nothing counts until a separator.
        Rest,
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Within {
        Array,
        InlineTable,
    }
    let mut count = 0;
    let mut within: Vec<Within> = Vec::new();
    let mut expect = Expect::Key;
    let mut header = false;
    for token in toml_parser::Source::new(text).lex() {
        let kind = token.kind();
        if matches!(kind, T::Whitespace | T::Comment | T::Eof) {
            continue;
        }
        match (within.last(), expect, kind) {
            // Outside brackets a line ends a key-value pair or a header.
            (None, _, T::Newline) => {
                (expect, header) = (Expect::Key, false);
            }
            (_, _, T::Newline) => {}
            (None, Expect::Key, T::LeftSquareBracket) if !header => {
                // `[table]` or `[[tables]]`: one table; its dots below.
                count += 1;
                header = true;
            }
            (_, Expect::Key, T::Dot) => count += 1,
            (_, Expect::Key, T::Equals) => expect = Expect::Value,
            (Some(Within::InlineTable), _, T::RightCurlyBracket) | (Some(Within::Array), _, T::RightSquareBracket) => {
                within.pop();
                expect = Expect::Rest;
            }
            (_, Expect::Value, T::LeftCurlyBracket) => {
                count += 1;
                within.push(Within::InlineTable);
                expect = Expect::Key;
            }
            (_, Expect::Value, T::LeftSquareBracket) => {
                count += 1;
                within.push(Within::Array);
            }
            (_, Expect::Value, T::Comma) => {}
            (_, Expect::Value, _) => {
                count += 1;
                expect = Expect::Rest;
            }
            (Some(Within::Array), Expect::Rest, T::Comma) => expect = Expect::Value,
            (Some(Within::InlineTable), Expect::Rest, T::Comma) => expect = Expect::Key,
            _ => {}
        }
    }
    count
}

/// Why a file below content/ that looks like a page or a data file is not one.
#[derive(Debug, PartialEq, Eq)]
enum LeftOut {
    /// A `.md` file whose name starts with `.`: left out, with a warning.
    Hidden,
    /// A `.md` file in a folder whose name starts with `_` (other than `_data`): a draft, left out
    /// with a warning.
    Draft,
    /// Markdown under another ending (`.MD`, `.markdown`, …): an error, as the writer meant a page.
    NotMd,
    /// A file in `_data/` that is not `.toml`: an error, as the writer meant data.
    NotToml,
}

/// Whether `name` ends like a Markdown file, in any case and under its common endings.
fn is_markdown_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".md", ".markdown", ".mdown", ".mkd", ".mkdn"].iter().any(|end| lower.ends_with(end))
}

/// Why the file at `rel` (below content/, a regular file) is not read though it looks like a page
/// or data; None for a page, a data file, or a file that does not look like either (an image, a
/// note), which the site does not use. Before, all of these were skipped in silence.
fn left_out(rel: &str) -> Option<LeftOut> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if rel.starts_with("_data/") {
        // Data in another format, or TOML under another case; an editor's backup (`x.toml~`) is
        // not data.
        let lower = name.to_ascii_lowercase();
        let data_like = [".toml", ".json", ".yaml", ".yml", ".csv"].iter().any(|end| lower.ends_with(end));
        if data_like && name.starts_with('.') {
            return Some(LeftOut::Hidden);
        }
        return (data_like && !name.ends_with(".toml")).then_some(LeftOut::NotToml);
    }
    if !is_markdown_name(name) {
        return None;
    }
    if !name.ends_with(".md") {
        return Some(LeftOut::NotMd);
    }
    if name.starts_with('.') {
        return Some(LeftOut::Hidden);
    }
    let folders = &rel[..rel.len() - name.len()];
    folders.split('/').any(|f| f.starts_with('_')).then_some(LeftOut::Draft)
}

/// The most aliases a page may have. Each is written as a redirect page in a folder of its own, so
/// the output grows with them: 60,000 aliases in 0.7 MB of front matter wrote 180,000 files and
/// folders (706 MB on disk). A page moved a few times has a few; the bound keeps the output
/// proportional to the pages.
pub const MAX_ALIASES_PER_PAGE: usize = 20;

/// How many folders deep below content/ a file may be: a help centre uses two or three.
pub const MAX_FOLDER_DEPTH: usize = 8;

/// Why a file or folder name under `content/` cannot become an address, if it cannot: a name
/// becomes a path in links, the navigation, ids and the output folder. A space is fine (addresses
/// carry it as %20); a control character (a newline broke the navigation's link), a quote, `<`,
/// `>`, a backquote, a backslash or a character with a meaning in URLs (`?`, `#`, `%`) is not; nor
/// is a name longer than its copies can be, a path too long or too deep.
pub fn unsafe_name(rel: &str) -> Option<String> {
    if rel.contains('\\') {
        return Some("this file or folder name holds `\\`, which a browser and other systems read as `/`: rename it without `\\`".to_string());
    }
    // A part becomes a file or folder name of the output, with `.json.gz` or `.gz` copies beside
    // it, under a staging folder whose name is longer than the output's.
    if let Some(part) = rel.split('/').find(|p| p.len() > crate::paths::MAX_NAME_BYTES) {
        return Some(format!(
            "the name `{}…` is {} bytes: the build writes it with copies whose names are longer, so a file or folder name here may have at most {} bytes",
            part.chars().take(12).collect::<String>(),
            part.len(),
            crate::paths::MAX_NAME_BYTES
        ));
    }
    if rel.split('/').count() > MAX_FOLDER_DEPTH + 1 {
        return Some(format!(
            "it is {} folders deep below content/: at most {MAX_FOLDER_DEPTH}, since every level adds to each page's breadcrumbs and sidebar (1,000 levels wrote 353 MB)",
            rel.split('/').count() - 1
        ));
    }
    if rel.len() > crate::paths::MAX_PATH_BYTES {
        return Some(format!("the path is {} bytes long: a path below content/ may have at most {}", rel.len(), crate::paths::MAX_PATH_BYTES));
    }
    let bad = rel.chars().find(|&c| c.is_control() || "\"'<>`?#%\\".contains(c))?;
    Some(format!(
        "the name `{}` holds `{}`, which an address cannot carry as written: rename it (letters, digits, spaces, `-`, `_` and `.` are fine)",
        rel.escape_debug(),
        bad.escape_default()
    ))
}

/// A NUL character (byte 0) shows as nothing in a browser and can hide text from any check that
/// reads up to it, so no source may hold one: an error at its line.
pub fn no_nul(text: &str, file: impl AsRef<Path>) -> Result<(), ContentError> {
    match text.find('\0') {
        None => Ok(()),
        Some(at) => Err(ContentError::new(file, Some(crate::error::line_of(text, at)), "this line holds a NUL character (byte 0), which no page may show: remove it")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(source: &str, text: &str) -> Page {
        Page::parse(source, text).unwrap()
    }

    #[test]
    fn title_from_first_heading_is_removed_from_body() {
        let p = page("guides/x.md", "\n# 首次备案\n\n正文\n");
        assert_eq!(p.title, "首次备案");
        assert_eq!(&*p.body, "\n正文\n");
        assert_eq!(p.body_line_offset, 2);
        assert_eq!(p.url, "/guides/x/");
    }

    #[test]
    fn updated_must_be_a_calendar_date_regression() {
        for (value, says) in [
            ("123", "not a integer"),
            ("\"<script>\"", "is not a date"),
            ("{ a = 1 }", "not a table"),
            ("\"2026-02-30\"", "is not a date"),
            ("2026-01-15T09:30:00", "without its offset"),
            ("09:30:00", "only a time"),
        ] {
            let e = Page::parse("faq/x.md", &format!("+++\ntitle = \"x\"\nupdated = {value}\n+++\n")).unwrap_err();
            assert!(e.to_string().starts_with("content/faq/x.md:3: `updated`") && e.to_string().contains(says), "{value}: {e}");
        }
        for (value, lastmod) in [("2024-02-29", "2024-02-29"), ("\"2026-01-15\"", "2026-01-15"), ("2026-01-15T09:30:00+08:00", "2026-01-15T09:30:00+08:00")] {
            assert_eq!(page("faq/x.md", &format!("+++\ntitle = \"x\"\nupdated = {value}\n+++\n")).updated().as_deref(), Some(lastmod));
        }
    }

    /// Red-team 5 F7: a hidden `.md` file, Markdown under another ending, drafts in a `_` folder and
    /// data in another format were all skipped in silence.
    #[test]
    fn files_that_look_like_pages_or_data_are_never_skipped_in_silence_regression() {
        assert_eq!(left_out("guides/a.md"), None);
        assert_eq!(left_out("_index.md"), None);
        assert_eq!(left_out("img/photo.png"), None);
        assert_eq!(left_out("_data/facts.toml"), None);
        assert_eq!(left_out("_data/facts.toml~"), None);
        assert_eq!(left_out("guides/.a.md"), Some(LeftOut::Hidden));
        assert_eq!(left_out("_drafts/a.md"), Some(LeftOut::Draft));
        assert_eq!(left_out("faq/_old/_index.md"), Some(LeftOut::Draft));
        assert_eq!(left_out("guides/A.MD"), Some(LeftOut::NotMd));
        assert_eq!(left_out("guides/a.markdown"), Some(LeftOut::NotMd));
        assert_eq!(left_out("_data/terms.json"), Some(LeftOut::NotToml));
        assert_eq!(left_out("_data/terms.TOML"), Some(LeftOut::NotToml));
        assert_eq!(left_out("_data/.terms.toml"), Some(LeftOut::Hidden));

        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        for (rel, text) in [("_index.md", "# 首页\n"), ("_drafts/new.md", "# 草稿\n"), (".hidden.md", "# 隐藏\n"), (".git/x.md", "# x\n"), ("b.png", "x"), ("_data/.statuses.toml", "a = 1\n")] {
            let path = content.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let loaded = Content::load(&content).unwrap();
        let warned: Vec<String> = loaded.not_published.iter().map(ToString::to_string).collect();
        assert_eq!(warned.len(), 3, "{warned:?}");
        assert!(warned[0].starts_with("content/.hidden.md: not published") && warned[2].starts_with("content/_drafts/new.md: not published"), "{warned:?}");
        // A hidden data file too (red-team 10's note): it was skipped in silence.
        assert!(warned[1].starts_with("content/_data/.statuses.toml: not published"), "{warned:?}");
        assert!(loaded.data.is_empty(), "not read as data");
        std::fs::write(content.join("Page.Markdown"), "# 页\n").unwrap();
        let e = Content::load(&content).unwrap_err().0[0].to_string();
        assert!(e.starts_with("content/Page.Markdown: a Markdown file, but only files ending in `.md`"), "{e}");
    }

    #[test]
    fn the_data_files_together_are_bounded_at_the_file_that_passes() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        std::fs::create_dir_all(content.join("_data/more")).unwrap();
        std::fs::write(content.join("_index.md"), "# 首页\n").unwrap();
        let file = |mb: usize| format!("k = \"{}\"\n", "x".repeat(mb << 20));
        std::fs::write(content.join("_data/a.toml"), file(9)).unwrap();
        std::fs::write(content.join("_data/b.toml"), file(1)).unwrap();
        std::fs::write(content.join("_data/more/c.toml"), file(7)).unwrap();
        let e = Content::load_reusing(&content, &ParsedPages::new(), Changed::Unknown).unwrap_err();
        assert_eq!(e.0.len(), 1, "{e:?}");
        let e = e.0[0].to_string();
        assert!(e.starts_with("content/_data/more/c.toml: the data files in content/_data/ up to this one") && e.contains("at most 16 MB"), "{e}");
        std::fs::write(content.join("_data/more/c.toml"), file(5)).unwrap();
        assert_eq!(Content::load_reusing(&content, &ParsedPages::new(), Changed::Unknown).unwrap().0.data.len(), 3);
    }

    /// Review 7's finding 6: the data bound was in bytes alone, and a file of tiny tables takes
    /// hundreds of bytes a value (9 MB of `{a={}}`: 2.2 GB; 15 MB aborted).
    #[test]
    fn the_data_files_values_together_are_bounded_at_the_file_that_passes_regression() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        std::fs::create_dir_all(content.join("_data")).unwrap();
        std::fs::write(content.join("_index.md"), "# 首页\n").unwrap();
        // One array of `n` numbers: 1 + n values.
        let file = |n: usize| format!("items = [{}]\n", vec!["0"; n].join(","));
        std::fs::write(content.join("_data/a.toml"), file(600_000)).unwrap();
        std::fs::write(content.join("_data/b.toml"), file(400_002)).unwrap();
        let e = Content::load_reusing(&content, &ParsedPages::new(), Changed::Unknown).unwrap_err();
        assert_eq!(e.0.len(), 1, "{e:?}");
        let e = e.0[0].to_string();
        assert!(e.starts_with("content/_data/b.toml: the data files in content/_data/ up to this one (in name order) hold 1000004 values") && e.contains("at most 1000000"), "{e}");
        std::fs::write(content.join("_data/b.toml"), file(399_998)).unwrap();
        assert_eq!(Content::load_reusing(&content, &ParsedPages::new(), Changed::Unknown).unwrap().0.data.len(), 2);
    }

    #[test]
    fn values_are_counted_as_the_tree_would_hold_them() {
        assert_eq!(toml_values(""), 0);
        assert_eq!(toml_values("a = 1\nb = \"x\"\n"), 2);
        assert_eq!(toml_values("a = [1, 2, {b = []}]\n"), 5);
        assert_eq!(toml_values("[t]\nx = 1\n\n[[list]]\ny = 'z'\n\n[[list]]\n"), 5);
        // A dotted key may make a table at each dot.
        assert_eq!(toml_values("a.b.c = true\n"), 3);
        // Dates, floats, strings over lines and comments are one value each.
        assert_eq!(toml_values("d = 1979-05-27 07:32:00Z # when\nf = 1.5e3\ns = \"\"\"\na = [1]\n\"\"\"\nt = { x = [], y.z = 'a,b' }\n"), 7);
        // Not TOML: counted somehow, never more than the text's tokens; the read reports the mistake.
        assert!(toml_values("a = [1, 2\n") <= 3);
        assert!(toml_values(&"[".repeat(100_000)) <= 100_000);
        // The site's own data files: the count is the tree's, within a value or two.
        fn tree(v: &toml::Value) -> usize {
            1 + match v {
                toml::Value::Table(t) => t.values().map(tree).sum(),
                toml::Value::Array(a) => a.iter().map(tree).sum(),
                _ => 0,
            }
        }
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/_data");
        let mut total = 0;
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap).filter(|e| e.path().extension().is_some_and(|x| x == "toml")) {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let table: toml::Table = toml::from_str(&text).unwrap();
            // The same but for the array that `[[name]]` tables make, once a name.
            let (counted, held) = (toml_values(&text), table.values().map(tree).sum::<usize>());
            assert!(counted <= held && held <= counted + 3, "{}: {counted} counted, {held} held", entry.path().display());
            total += toml_values(&text);
        }
        assert!(total < MAX_DATA_VALUES / 100, "{total}");
    }

    /// Red-team 6, F5: aliases had no bound, and each writes a page and a folder.
    #[test]
    fn a_page_with_too_many_aliases_is_an_error_at_their_line_regression() {
        let aliases: Vec<String> = (0..=MAX_ALIASES_PER_PAGE).map(|i| format!("\"/old/{i}/\"")).collect();
        let text = format!("+++\ntitle = \"页\"\naliases = [{}]\n+++\n正文\n", aliases.join(", "));
        let e = Page::parse("a.md", &text).unwrap_err().to_string();
        assert!(e.starts_with("content/a.md:3: 21 aliases: a page may have at most 20"), "{e}");
        let fine = format!("+++\ntitle = \"页\"\naliases = [{}]\n+++\n正文\n", aliases[1..].join(", "));
        assert_eq!(Page::parse("a.md", &fine).unwrap().front.aliases.len(), MAX_ALIASES_PER_PAGE);
    }

    #[test]
    fn no_title_is_an_error_naming_the_file() {
        let e = Page::parse("faq/x.md", "正文\n").unwrap_err();
        assert!(e.to_string().starts_with("content/faq/x.md:1: this page has no title"), "{e}");
    }

    #[test]
    fn sections_order_pages_by_weight_then_title() {
        let pages = vec![
            page("faq/_index.md", "+++\ntitle = \"常见问题\"\ncollection = true\n+++\n"),
            page("faq/b.md", "+++\ntitle = \"B\"\nweight = 2\n+++\n"),
            page("faq/a.md", "+++\ntitle = \"A\"\nweight = 2\n+++\n"),
            page("faq/c.md", "+++\ntitle = \"C\"\nweight = 1\n+++\n"),
            page("_index.md", "# 首页\n"),
        ];
        let c = Content::assemble(pages.into_iter().map(std::sync::Arc::new).collect(), Default::default());
        let faq = c.section_of_dir("faq");
        assert!(faq.collection);
        let titles: Vec<_> = faq.pages.iter().map(|&i| c.pages[i].title.as_str()).collect();
        assert_eq!(titles, ["C", "A", "B"]);
        assert_eq!(c.root().subsections.len(), 1);
    }
}
