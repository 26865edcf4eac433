//! The build's checks, after the bodies are rendered and before anything is written: routes and
//! aliases, templates, FAQ topics, the data files, and every internal link and anchor (pages and
//! data). Each check adds what it finds to one list, so the author sees every error at once; `check`
//! and `build` run exactly these.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::bodies::Body;
use crate::error::{ContentError, ContentErrors};
use crate::load::Sources;
use crate::markdown::SEARCHABLE_TEXT_PER_PAGE;
use crate::special_pages::{builders_own, GENERATED_PATHS};
use crate::{data_check, links, paths, templates};

/// Runs every check, adding errors to `errors`; returns the warnings (the build still succeeds).
pub fn check(sources: &Sources, bodies: &[Body], errors: &mut ContentErrors) -> Vec<ContentError> {
    routes(sources, errors);
    titles(sources, errors);
    page_templates(sources, errors);
    topics(sources, errors);
    let anchors = anchors(sources, bodies, errors);
    links::check(&sources.content, &bodies.iter().map(|b| b.links.as_slice()).collect::<Vec<_>>(), &anchors, errors);
    let data_links = data_check::check(&sources.content.data_sources, sources.content.website_name_words.as_ref(), errors);
    links::check_data(&sources.content, &data_links, &anchors, errors);
    typed_by_hand(sources, errors);
    warnings(sources, bodies)
}

/// A page or data file may not type by hand what has one place of its own: a registered fact's
/// words (`content/_data/facts.toml`, written with `{{ fact(key="…") }}` or `{fact:…}`), or a
/// `[provider]` setting's text (written with `{{ provider(key="…") }}`), which would stay the
/// example provider's for every other provider. Each place is an error with its file and line.
/// (Titles and descriptions are checked as they are loaded, before their `{fact:…}` are replaced:
/// [`typed_in_front_matter`].)
fn typed_by_hand(sources: &Sources, errors: &mut ContentErrors) {
    let content = &sources.content;
    let facts = registered_facts(&content.data);
    let terms = registered_terms(&content.data_sources);
    let settings = provider_texts(&sources.config.provider);
    for p in &content.pages {
        let calls: Vec<Range<usize>> =
            crate::shortcodes::find_calls(&p.body).map(|c| c.into_iter().map(|c| c.start..c.end).collect()).unwrap_or_default();
        errors.0.extend(typed(&facts, &settings, &p.file, p.body_line_offset + 1, &p.body, &calls));
        errors.0.extend(other_words(&terms, &p.file, p.body_line_offset + 1, &p.body));
    }
    for d in content.data_sources.iter().filter(|d| !matches!(d.name.as_str(), crate::facts::DATA_NAME | "search" | "terms")) {
        errors.0.extend(typed(&facts, &settings, &d.file, 1, &d.text, &[]));
        errors.0.extend(other_words(&terms, &d.file, 1, &d.text));
    }
    let provider = &sources.config.provider;
    if let (Some(address), Some(recipient)) = (provider.get("address").and_then(|v| v.as_str()), provider.get("recipient").and_then(|v| v.as_str())) {
        if address.trim_end().ends_with(recipient.trim()) {
            errors.push(ContentError::new("site.toml", None, format!(
                "[provider] address ends with the recipient `{recipient}`: pages write the address and then “{recipient} 收”, so it would be said twice: leave it out of `address`"
            )));
        }
    }
}

/// The same for every page's title and description, as written (before `{fact:…}` is replaced).
pub fn typed_in_front_matter(content: &crate::content::Content, provider: &toml::Table) -> Vec<ContentError> {
    let facts = registered_facts(&content.data);
    let settings = provider_texts(provider);
    let mut errors = Vec::new();
    for p in &content.pages {
        for (key, text) in [("title", Some(p.title.as_str())), ("description", p.front.description.as_deref())] {
            if let (Some(line), Some(text)) = (p.line_of_key(key), text) {
                let placeholders = placeholders(text);
                errors.extend(typed(&facts, &settings, &p.file, line, text, &placeholders));
            }
        }
    }
    errors
}

/// Each `{fact:` of `text` up to the `}` that closes it (or the text's end). The next `}` is
/// found once for all the placeholders before it: a search from each placeholder was quadratic in a
/// long title of `{fact:` without a `}`.
fn placeholders(text: &str) -> Vec<Range<usize>> {
    let mut close: Option<usize> = None;
    let mut out = Vec::new();
    for (at, _) in text.match_indices("{fact:") {
        if close.is_none_or(|c| c <= at) {
            close = Some(text[at..].find('}').map_or(text.len(), |c| at + c + 1));
        }
        out.push(at..close.unwrap_or(text.len()));
    }
    out
}

/// `content/_data/terms.toml`: one word for one thing.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    #[serde(default)]
    terms: Vec<Term>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Term {
    #[serde(rename = "use")]
    word: String,
    not: Vec<String>,
    /// Words of the filing system's own (a status name such as 报备阶段待接入商审核) that hold a
    /// refused word: written as the system shows them, they are not refused.
    #[serde(default)]
    except: Vec<String>,
}

fn registered_terms(data: &[crate::content::DataSource]) -> Terms {
    data.iter().find(|d| d.name == "terms").and_then(|d| toml::from_str(&d.text).ok()).unwrap_or_default()
}

/// The facts as this site writes them (with their `written` words, set as the data is loaded).
fn registered_facts(data: &serde_json::Map<String, serde_json::Value>) -> crate::facts::Facts {
    data.get(crate::facts::DATA_NAME).and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default()
}

/// The words `terms.toml` refuses in `text` (which starts at `line` of `file`): a refused word that
/// is part of the word to use at that place (信息安全管理协议 in 信息安全管理协议书), or of one of the
/// term's `except` words (接入商审核 in the status name 报备阶段待接入商审核), is fine.
fn other_words(terms: &Terms, file: &std::path::Path, line: usize, text: &str) -> Vec<ContentError> {
    let mut errors = Vec::new();
    let lines = std::cell::OnceCell::new();
    for t in &terms.terms {
        // One sorted list of the places the term's own words hold, asked once per refused word
        // found (in O(log n): a scan of every place per refused word was quadratic on a page that
        // writes the term thousands of times).
        let uses = crate::error::Ranges::new(
            std::iter::once(&t.word).chain(&t.except).flat_map(|word| text.match_indices(word.as_str()).map(|(at, w)| at..at + w.len())),
        );
        for not in &t.not {
            for (at, w) in text.match_indices(not.as_str()) {
                if uses.covers(at, at + w.len()) {
                    continue;
                }
                let index = lines.get_or_init(|| crate::error::LineIndex::new(text));
                errors.push(ContentError::new(file, Some(line + index.line(at) - 1), format!(
                    "`{not}`: this site calls it `{}` (content/_data/terms.toml: one word for one thing)", t.word
                )));
            }
        }
    }
    errors
}

/// The hand-typed facts and settings in `text` (which starts at `line` of `file`), outside `skip`.
fn typed(facts: &crate::facts::Facts, settings: &[(String, String)], file: &std::path::Path, line: usize, text: &str, skip: &[Range<usize>]) -> Vec<ContentError> {
    let mut errors = Vec::new();
    let lines = std::cell::OnceCell::new();
    let at = |offset: usize| Some(line + lines.get_or_init(|| crate::error::LineIndex::new(text)).line(offset) - 1);
    let skip = crate::error::Ranges::new(skip.iter().cloned());
    for h in crate::facts::hand_typed(facts, text, &skip) {
        errors.push(ContentError::new(file, at(h.offset), format!(
            "`{}` is the fact `{}` of content/_data/facts.toml, typed by hand: write {{{{ fact(key=\"{}\") }}}} (in a data file, title or description {{fact:{}}}), or link the page that explains it",
            h.words, h.key, h.key, h.key
        )));
    }
    for (key, value) in settings {
        for (offset, _) in text.match_indices(value.as_str()) {
            if !skip.contains(offset) {
                errors.push(ContentError::new(file, at(offset), format!(
                    "`{value}` is the [provider] setting `{key}` of site.toml, typed by hand: write {{{{ provider(key=\"{key}\") }}}}, so another provider's site says its own"
                )));
            }
        }
    }
    errors
}

/// The `[provider]` settings whose text names this provider (strings of four characters or more;
/// not the province, which many sentences name on their own).
fn provider_texts(provider: &toml::Table) -> Vec<(String, String)> {
    provider
        .iter()
        .filter(|(key, _)| key.as_str() != "province")
        .filter_map(|(key, v)| Some((key.clone(), v.as_str()?.trim().to_string())))
        .filter(|(_, v)| v.chars().count() >= 4)
        .collect()
}

/// URL → page, with errors for two files on one URL, pages in the builder's own folders, and
/// aliases that leave the site or collide with any file the build writes.
fn routes(sources: &Sources, errors: &mut ContentErrors) {
    // Addresses are compared in lower case: on a case-insensitive disk or host (macOS, Windows, many
    // object stores) `/Index.html` and `/index.html` are one file, and whichever is written last wins.
    let key = |file: &str| file.to_lowercase();
    let pages = &sources.content.pages;
    let mut routes: HashMap<String, usize> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        if let Some(&j) = routes.get(&key(&p.url)) {
            errors.push(ContentError::new(&p.file, None, format!("this file and {} both become the page {} (addresses that differ only in letter case are one file on many hosts): rename or remove one", pages[j].file.display(), p.url)));
        } else if let Some(why) = builders_own(&paths::output_file(&p.url)) {
            errors.push(ContentError::new(&p.file, None, format!("this file becomes the page {}, but {why}: rename or move it", p.url)));
        } else {
            routes.insert(key(&p.url), i);
        }
    }
    let page_files: HashMap<String, usize> = routes.values().map(|&i| (key(&paths::output_file(&pages[i].url)), i)).collect();
    let mut aliases: HashMap<String, usize> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        for alias in &p.front.aliases {
            let line = p.line_of_key("aliases");
            if let Some(why) = paths::alias_problem(alias) {
                errors.push(ContentError::new(&p.file, line, format!("alias `{}` is refused: {why}", alias.escape_debug())));
                continue;
            }
            let file = paths::alias_file(alias);
            if let Some(&j) = page_files.get(&key(&file)) {
                errors.push(ContentError::new(&p.file, line, format!("alias {alias} is the address of {} (letter case aside): an alias must be an old address no page uses", pages[j].file.display())));
            } else if let Some(&j) = aliases.get(&key(&file)) {
                errors.push(ContentError::new(&p.file, line, format!("alias {alias} is also an alias of {} (letter case aside): an old address can redirect to one page only", pages[j].file.display())));
            } else if let Some(why) = builders_own(&file) {
                errors.push(ContentError::new(&p.file, line, format!("alias {alias} would be written to {file}, but {why}")));
            } else {
                aliases.insert(key(&file), i);
            }
        }
    }
    // A file the build writes cannot also be a folder it writes into: alias `/a.html` beside the
    // page `a.html.md` (written to `a.html/index.html`), or aliases `/a.html` and `/a.html/b/`.
    for file in page_files.keys().chain(aliases.keys()) {
        for (at, _) in file.match_indices('/') {
            if let Some(&i) = aliases.get(&file[..at]) {
                let p = &pages[i];
                let alias = p.front.aliases.iter().find(|a| key(&paths::alias_file(a)) == file[..at]).map_or("", String::as_str);
                errors.push(ContentError::new(&p.file, p.line_of_key("aliases"), format!(
                    "alias {alias} would be written as the file {}, but the build also writes {file} inside a folder of that name: choose another old address",
                    &file[..at]
                )));
            }
        }
    }
}

/// The longest page title, in characters (this site's longest is 37). Search writes a page's title
/// into every one of its sections (a heading's result reads 页标题 › 小节), so a title of thousands of
/// characters on a page of thousands of headings made an index of hundreds of megabytes.
pub const MAX_TITLE_CHARS: usize = 100;

/// A title longer than [`MAX_TITLE_CHARS`] is an error at its line (`title = …`, or the `# ` line).
fn titles(sources: &Sources, errors: &mut ContentErrors) {
    for p in &sources.content.pages {
        let chars = p.title.chars().count();
        if chars > MAX_TITLE_CHARS {
            let line = p.line_of_key("title").or(Some(p.body_line_offset));
            errors.push(ContentError::new(&p.file, line, format!(
                "the title is {chars} characters long: a title may have at most {MAX_TITLE_CHARS} (search shows it with every heading of the page); say the rest in the page"
            )));
        }
    }
}

fn page_templates(sources: &Sources, errors: &mut ContentErrors) {
    for p in &sources.content.pages {
        let t = sources.template_of(p);
        if !templates::exists(&sources.tera, &t) {
            errors.push(ContentError::new(&p.file, p.line_of_key("template"), format!("unknown template `{t}`: add templates/{t} or use one of page.html, section.html")));
        }
    }
}

/// An entry's `topic` must be one of its collection's topics.
fn topics(sources: &Sources, errors: &mut ContentErrors) {
    for s in sources.content.sections.iter().filter(|s| s.collection) {
        let topics = sources.topics(s);
        for &i in &s.pages {
            let p = &sources.content.pages[i];
            if let Some(topic) = p.front.extra.get("topic").and_then(|t| t.as_str()) {
                if !topics.is_empty() && !topics.iter().any(|(id, _)| id == topic) {
                    errors.push(ContentError::new(&p.file, p.line_of_key("topic"), format!(
                        "topic `{topic}` is not one of the topics of {}: {}",
                        s.index.map(|j| sources.content.pages[j].file.display().to_string()).unwrap_or_default(),
                        topics.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>().join(", ")
                    )));
                }
            }
        }
    }
}

/// Every anchor of every page URL: its headings, and on a collection's page its topics, its
/// entries and their headings (prefixed, as the entries' copies write them). An id that a
/// collection's page would hold twice (an entry's prefixed heading id equal to another entry's, to
/// a topic's or to the index's own; raw HTML ids, which entries' copies keep as written) is an error
/// at the line that makes the second one.
fn anchors(sources: &Sources, bodies: &[Body], errors: &mut ContentErrors) -> HashMap<String, HashSet<String>> {
    let pages = &sources.content.pages;
    let mut anchors: HashMap<String, HashSet<String>> = HashMap::new();
    for (p, b) in pages.iter().zip(bodies) {
        anchors.entry(p.url.clone()).or_default().extend(b.headings.iter().map(|h| h.id.clone()));
    }
    for s in &sources.content.sections {
        let set = anchors.entry(s.url.clone()).or_default();
        if s.collection {
            let mut claim = |id: String, file: &std::path::Path, line: Option<usize>, errors: &mut ContentErrors| {
                if !set.insert(id.clone()) {
                    errors.push(ContentError::new(file, line, format!(
                        "this makes the id `{id}` on {}, which the page already has (entries' heading ids are prefixed with the file's name and a -): give it another id or rename the file",
                        s.url
                    )));
                }
            };
            if let Some(index) = s.index {
                for (line, id) in &bodies[index].raw_ids {
                    claim(id.clone(), &pages[index].file, Some(*line), errors);
                }
            }
            for (id, _) in sources.topics(s) {
                claim(format!("topic-{id}"), s.index.map(|i| pages[i].file.as_path()).unwrap_or(std::path::Path::new("content")), None, errors);
            }
            for &i in &s.pages {
                let stem = &pages[i].stem;
                claim(stem.clone(), &pages[i].file, None, errors);
                for h in &bodies[i].headings {
                    claim(format!("{stem}-{}", h.id), &pages[i].file, Some(h.line), errors);
                }
                for (line, id) in &bodies[i].raw_ids {
                    claim(id.clone(), &pages[i].file, Some(*line), errors);
                }
            }
        }
    }
    for path in GENERATED_PATHS {
        anchors.entry(path.to_string()).or_default();
    }
    anchors
}

/// What the author should know although the build succeeds: pages too large to search whole.
fn warnings(sources: &Sources, bodies: &[Body]) -> Vec<ContentError> {
    sources
        .content
        .pages
        .iter()
        .zip(bodies)
        .filter_map(|(p, b)| {
            let line = b.search_cut_at_line?;
            Some(ContentError::new(&p.file, Some(line), format!(
                "this page is very large: search reads its first {} KB of text, up to here, and the rest is shown but not searchable. Split it into several pages",
                SEARCHABLE_TEXT_PER_PAGE / 1024
            )))
        })
        .collect()
}

/// After rendering: every `/assets/` address a page refers to (`src="…"`, `href="…"`) must be a file
/// the build writes. Changing assets carry content hashes in their names, so a template that writes
/// `/assets/style.css` instead of `{{ asset(path="/assets/style.css") }}` would point at nothing on a
/// host. The search index (`/assets/search/`) is written by a later step and is not referred to by
/// pages.
pub fn asset_references(sources: &Sources, files: &[crate::output::OutputFile]) -> Result<(), ContentErrors> {
    let written: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let page_of: HashMap<String, &crate::content::Page> = sources.content.pages.iter().map(|p| (paths::output_file(&p.url), p)).collect();
    let mut errors = ContentErrors::default();
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = String::from_utf8_lossy(&f.bytes);
        for attr in ["src=\"/assets/", "href=\"/assets/"] {
            for rest in html.split(attr).skip(1) {
                let path = rest.split(['"', '?', '#']).next().unwrap_or("");
                let file = format!("assets/{path}");
                if path.starts_with("search/") || written.contains(file.as_str()) {
                    continue;
                }
                let (source, template) = match page_of.get(&f.path) {
                    Some(p) => (p.file.clone(), sources.template_of(p)),
                    None => (std::path::PathBuf::from("templates"), f.path.clone()),
                };
                errors.push(ContentError::new(source, None, format!(
                    "its page ({template}) refers to /{file}, which the build does not write: assets carry content hashes in their names, so write {{{{ asset(path=\"/{file}\") }}}} in the template"
                )));
            }
        }
    }
    errors.0.dedup();
    errors.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> crate::facts::Facts {
        toml::from_str("[review_days]\nvalue = \"20 个工作日\"\nsource = \"004 #43\"\n").unwrap()
    }

    #[test]
    fn a_fact_or_a_setting_typed_by_hand_names_its_line() {
        let provider: toml::Table = toml::from_str("email = \"beian@example.com\"\nprovince = \"浙江\"\nrecipient = \"备案组\"\nverification_appointment = true").unwrap();
        let settings = provider_texts(&provider);
        assert_eq!(settings, [("email".to_string(), "beian@example.com".to_string())], "short values and the province are not a provider's own text");
        let text = "第一行\n管局在 20 个工作日内审核，{{ fact(key=\"review_days\") }}。\n发邮件到 beian@example.com。\n";
        let call = text.find("{{").unwrap()..text.find("}}").unwrap() + 2;
        let errors: Vec<String> = typed(&facts(), &settings, std::path::Path::new("content/a.md"), 5, text, &[call]).iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("content/a.md:6: `20 个工作日` is the fact `review_days`"), "{errors:?}");
        assert!(errors[1].starts_with("content/a.md:7: `beian@example.com` is the [provider] setting `email`"), "{errors:?}");
    }

    #[test]
    fn f6_placeholders_end_where_a_search_from_each_would_end_them() {
        for text in ["{fact:a}x{fact:b}", "{fact:{fact:a}", "{fact:a", "x}{fact:a}{fact:", "{fact:a}{fact:b}}{fact:c"] {
            let naive: Vec<Range<usize>> = text.match_indices("{fact:").map(|(at, _)| at..text[at..].find('}').map_or(text.len(), |c| at + c + 1)).collect();
            assert_eq!(placeholders(text), naive, "{text}");
        }
    }

    #[test]
    fn f3_a_refused_word_is_fine_only_inside_a_use_of_the_term() {
        let terms: Terms = toml::from_str("[[terms]]\nuse = \"协议书\"\nnot = [\"协议\"]\nexcept = [\"安全协议甲\"]\n").unwrap();
        let text = format!("{}协议\n安全协议甲\n协议{}", "协议书".repeat(1000), "协议书".repeat(1000));
        let errors: Vec<Option<usize>> = other_words(&terms, std::path::Path::new("content/a.md"), 1, &text).iter().map(|e| e.line).collect();
        assert_eq!(errors, [Some(1), Some(3)]);
    }

    #[test]
    fn one_word_for_one_thing() {
        let terms: Terms = toml::from_str("[[terms]]\nuse = \"信息安全管理协议书\"\nnot = [\"信息安全管理协议\", \"信息安全协议\"]\n").unwrap();
        let text = "交信息安全管理协议书 1 份。\n信息安全管理协议要签字；信息安全协议也是。\n";
        let errors: Vec<String> = other_words(&terms, std::path::Path::new("content/a.md"), 1, text).iter().map(ToString::to_string).collect();
        assert_eq!(errors, [
            "content/a.md:2: `信息安全管理协议`: this site calls it `信息安全管理协议书` (content/_data/terms.toml: one word for one thing)",
            "content/a.md:2: `信息安全协议`: this site calls it `信息安全管理协议书` (content/_data/terms.toml: one word for one thing)",
        ]);
    }

    #[test]
    fn a_refused_word_inside_the_systems_own_words_is_fine() {
        let terms: Terms = toml::from_str("[[terms]]\nuse = \"接入商核实\"\nnot = [\"接入商审核\"]\nexcept = [\"报备阶段待接入商审核\"]\n").unwrap();
        let text = "状态是“报备阶段待接入商审核”时，接入商核实你的资料。\n提交给接入商审核。\n";
        let errors: Vec<String> = other_words(&terms, std::path::Path::new("content/a.md"), 1, text).iter().map(ToString::to_string).collect();
        assert_eq!(errors, ["content/a.md:2: `接入商审核`: this site calls it `接入商核实` (content/_data/terms.toml: one word for one thing)"]);
    }

    #[test]
    fn the_registrar_is_not_folded_into_the_provider_regression() {
        // Issue 19: search folded 服务商 in 注册域名的服务商 into 接入商.
        let phrasing: crate::search::terms::Phrasing = toml::from_str(include_str!("../../content/_data/search.toml")).unwrap();
        let folder = crate::search::terms::Folder::new(&phrasing);
        for registrar in ["域名注册商", "域名注册服务商", "注册域名的服务商"] {
            let folded = folder.fold(&format!("向{registrar}索取证书"));
            assert!(folded.contains("域名注册商") && !folded.contains("接入商"), "{registrar} → {folded}");
        }
        assert!(folder.fold("换服务商").contains("转接入"), "the provider's names still fold");
    }
}
