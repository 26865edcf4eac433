//! What has one place of its own may not be typed by hand elsewhere: a registered fact's words
//! (`content/_data/facts.toml`), a `[provider]` setting's text (`site.toml`), or a word that
//! `content/_data/terms.toml` refuses for another. `check` runs these on pages and data files,
//! the load step on titles and descriptions before their `{fact:…}` are replaced; each place found
//! is an error with its file and line.

use rayon::prelude::*;
use std::ops::Range;

use crate::content::Content;
use crate::error::ContentError;

/// Which pages the checks of a page's own text read (a fact or a setting typed by hand, a refused
/// word): every page, or in `serve`, when the settings, data and templates are as at the last good
/// build, only the pages whose files changed since (the others passed then, and nothing they are
/// held against has changed). The checks that relate pages (routes, links, anchors) read them all.
#[derive(Debug, Clone, Copy)]
pub enum PagesToRead<'a> {
    All,
    /// By source path.
    Changed(&'a std::collections::HashSet<String>),
}

impl PagesToRead<'_> {
    pub fn includes(&self, source: &str) -> bool {
        match self {
            PagesToRead::All => true,
            PagesToRead::Changed(changed) => changed.contains(source),
        }
    }
}

/// A page or data file may not type by hand what has one place of its own: a registered fact's
/// words (`content/_data/facts.toml`, written with `{{ fact(key="…") }}` or `{fact:…}`), or a
/// `[provider]` setting's text (written with `{{ provider(key="…") }}`), which would stay the
/// example provider's for every other provider. Each place is an error with its file and line.
/// (Titles and descriptions are checked as they are loaded, before their `{fact:…}` are replaced:
/// [`in_front_matter`].)
pub fn check(content: &Content, provider: &toml::Table, pages: PagesToRead) -> Vec<ContentError> {
    let mut errors = Vec::new();
    let facts = registered_facts(&content.data);
    let terms = registered_terms(&content.data_sources);
    let settings = provider_texts(provider);
    let finders = Finders::new(&facts, &settings);
    // Each page on any core, the errors in the pages' order.
    let per_page: Vec<Vec<ContentError>> = content
        .pages
        .par_iter()
        .filter(|p| pages.includes(&p.source))
        .map(|p| {
            let calls: Vec<Range<usize>> =
                crate::shortcodes::find_calls(&p.body).map(|c| c.into_iter().map(|c| c.start..c.end).collect()).unwrap_or_default();
            // Read as the reader reads it: a fact split by a link's or emphasis's marks
            // (`添加[接入](…)`) is still the fact typed by hand. Lines are the Markdown's.
            let plain = Plain::of(&p.body);
            let calls: Vec<Range<usize>> = calls.iter().map(|c| plain.range_of(c)).collect();
            let lines = crate::error::LineIndex::new(&p.body);
            let line_at = |offset: usize| p.body_line_offset + lines.line(plain.markdown_offset(offset).min(p.body.len()));
            let mut found = typed(&finders, &p.file, &line_at, &plain.text, &calls);
            found.extend(other_words(&terms, &p.file, &line_at, &plain.text));
            found
        })
        .collect();
    errors.extend(per_page.into_iter().flatten());
    for d in content.data_sources.iter().filter(|d| !matches!(d.name.as_str(), crate::facts::DATA_NAME | "search" | "terms")) {
        let lines = crate::error::LineIndex::new(&d.text);
        let line_at = |offset: usize| lines.line(offset);
        errors.extend(typed(&finders, &d.file, &line_at, &d.text, &[]));
        errors.extend(other_words(&terms, &d.file, &line_at, &d.text));
    }
    if let (Some(address), Some(recipient)) = (provider.get("address").and_then(|v| v.as_str()), provider.get("recipient").and_then(|v| v.as_str())) {
        if address.trim_end().ends_with(recipient.trim()) {
            errors.push(ContentError::new("site.toml", None, format!(
                "[provider] address ends with the recipient `{recipient}`: pages write the address and then “{recipient} 收”, so it would be said twice: leave it out of `address`"
            )));
        }
    }
    errors
}

/// A page's Markdown as it reads: a link's `[`, `](address)` and emphasis's `**` left out, with the
/// Markdown offset of each byte kept, so that a place found in the text is named at its Markdown
/// line.
struct Plain {
    text: String,
    /// For each byte of `text`, its offset in the Markdown.
    from: Vec<u32>,
}

impl Plain {
    fn of(markdown: &str) -> Plain {
        let mut text = String::with_capacity(markdown.len());
        let mut from = Vec::with_capacity(markdown.len());
        let mut i = 0;
        while i < markdown.len() {
            let rest = &markdown[i..];
            if let Some(address) = rest.strip_prefix("](") {
                // The link's address, to the `)` that closes it on the same line (parentheses
                // inside it nest); without one, the `](` is text.
                let mut depth = 0usize;
                let close = address.char_indices().take_while(|&(_, c)| c != '\n').find_map(|(k, c)| match c {
                    '(' => {
                        depth += 1;
                        None
                    }
                    ')' if depth == 0 => Some(k),
                    ')' => {
                        depth -= 1;
                        None
                    }
                    _ => None,
                });
                if let Some(k) = close {
                    i += 2 + k + 1;
                    continue;
                }
            }
            if rest.starts_with("**") {
                i += 2;
                continue;
            }
            if rest.starts_with('[') {
                i += 1;
                continue;
            }
            let c = rest.chars().next().expect("not at the end");
            text.push(c);
            from.extend(std::iter::repeat_n(i as u32, c.len_utf8()));
            i += c.len_utf8();
        }
        Plain { text, from }
    }

    /// The range of `text` that the Markdown range `r` became.
    fn range_of(&self, r: &Range<usize>) -> Range<usize> {
        let at = |offset: usize| self.from.partition_point(|&m| (m as usize) < offset);
        at(r.start)..at(r.end)
    }

    /// The Markdown offset of `text`'s byte `offset`.
    fn markdown_offset(&self, offset: usize) -> usize {
        self.from.get(offset).map_or(usize::MAX, |&m| m as usize)
    }
}

/// The same for every page's title and description, as written (before `{fact:…}` is replaced).
pub fn in_front_matter(content: &Content, provider: &toml::Table) -> Vec<ContentError> {
    let facts = registered_facts(&content.data);
    let settings = provider_texts(provider);
    let finders = Finders::new(&facts, &settings);
    content
        .pages
        .par_iter()
        .flat_map_iter(|p| {
            [("title", Some(p.title.as_str())), ("description", p.front.description.as_deref())].into_iter().flat_map(|(key, text)| match (p.line_of_key(key), text) {
                (Some(line), Some(text)) => {
                    let lines = crate::error::LineIndex::new(text);
                    typed(&finders, &p.file, &|offset| line + lines.line(offset) - 1, text, &placeholders(text))
                }
                _ => Vec::new(),
            })
        })
        .collect()
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

/// The most words (to use, refused and excepted) `terms.toml` may list: each term's words are looked
/// for in every page on their own, so the time is words × text (1.8 MB of terms against a 6 MB page
/// took 36 s); a site's word list is a few dozen.
pub const MAX_TERM_WORDS: usize = 500;

impl Terms {
    /// What is wrong with the list: too many words.
    pub fn problems(&self) -> Vec<beian_guide::problem::Problem> {
        let words: usize = self.terms.iter().map(|t| 1 + t.not.len() + t.except.len()).sum();
        if words > MAX_TERM_WORDS {
            return vec![beian_guide::problem::Problem::new(Vec::new(), format!(
                "terms: {words} words are listed; at most {MAX_TERM_WORDS} are allowed (each is looked for in every page): keep the words a reader could confuse"
            ))];
        }
        Vec::new()
    }
}

fn registered_terms(data: &[crate::content::DataSource]) -> Terms {
    data.iter().find(|d| d.name == "terms").and_then(|d| toml::from_str(&d.text).ok()).unwrap_or_default()
}

/// The facts as this site writes them (with their `written` words, set as the data is loaded).
fn registered_facts(data: &serde_json::Map<String, serde_json::Value>) -> crate::facts::Facts {
    data.get(crate::facts::DATA_NAME).and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default()
}

/// The words `terms.toml` refuses in `text` (whose offset `o` is at line `line_at(o)` of `file`): a refused word that
/// is part of the word to use at that place (信息安全管理协议 in 信息安全管理协议书), or of one of the
/// term's `except` words (接入商审核 in the status name 报备阶段待接入商审核), is fine.
fn other_words(terms: &Terms, file: &std::path::Path, line_at: &dyn Fn(usize) -> usize, text: &str) -> Vec<ContentError> {
    let mut errors = Vec::new();
    for t in &terms.terms {
        // One sorted list of the places the term's own words hold, asked once per refused word
        // found (in O(log n): a scan of every place per refused word was quadratic on a page that
        // writes the term thousands of times).
        let uses = crate::error::Ranges::new(
            std::iter::once(&t.word).chain(&t.except).flat_map(|word| text.match_indices(word.as_str()).map(|(at, w)| at..at + w.len())),
        );
        for not in &t.not {
            // One error a line for each refused word: after a place is found, the search goes on
            // from the next line (a 1 MB page of one refused character made an error for each
            // place and term, and `check` ran out of memory; red-team 7, F5).
            let mut from = 0;
            while let Some(k) = text[from..].find(not.as_str()) {
                let at = from + k;
                let end = at + not.len();
                if uses.covers(at, end) {
                    from = end;
                    continue;
                }
                from = text[end..].find('\n').map_or(text.len(), |n| end + n + 1);
                errors.push(ContentError::new(file, Some(line_at(at)), format!(
                    "`{not}`: this site calls it `{}` (content/_data/terms.toml: one word for one thing)", t.word
                )));
            }
        }
    }
    errors
}

/// The facts' words and the settings' texts, each in one automaton, made once for every text.
struct Finders<'a> {
    facts: crate::facts::WordFinder<'a>,
    settings: crate::facts::WordFinder<'a>,
}

impl<'a> Finders<'a> {
    fn new(facts: &'a crate::facts::Facts, settings: &'a [(String, String)]) -> Self {
        Finders {
            facts: crate::facts::WordFinder::of_facts(facts),
            settings: crate::facts::WordFinder::new(settings.iter().map(|(key, value)| (key.as_str(), value.as_str()))),
        }
    }
}

/// The hand-typed facts and settings in `text` (whose offset `o` is at line `line_at(o)` of `file`),
/// outside `skip`.
fn typed(finders: &Finders, file: &std::path::Path, line_at: &dyn Fn(usize) -> usize, text: &str, skip: &[Range<usize>]) -> Vec<ContentError> {
    let mut errors = Vec::new();
    let at = |offset: usize| Some(line_at(offset));
    let skip = crate::error::Ranges::new(skip.iter().cloned());
    // One error a line for each fact or setting: a page that types one a million times gets as
    // many errors as it has lines, not a million (red-team 7, F5).
    let mut shown: std::collections::HashSet<(usize, String)> = std::collections::HashSet::new();
    let mut first_on_its_line = |offset: usize, key: &str| {
        let line = line_at(offset);
        !shown.contains(&(line, key.to_string())) && shown.insert((line, key.to_string()))
    };
    for (offset, key, words) in finders.facts.find(text, &skip) {
        if !first_on_its_line(offset, key) {
            continue;
        }
        errors.push(ContentError::new(file, at(offset), format!(
            "`{words}` is the fact `{key}` of content/_data/facts.toml, typed by hand: write {{{{ fact(key=\"{key}\") }}}} (in a data file, title or description {{fact:{key}}}), or link the page that explains it"
        )));
    }
    for (offset, key, value) in finders.settings.find(text, &skip) {
        if !first_on_its_line(offset, key) {
            continue;
        }
        errors.push(ContentError::new(file, at(offset), format!(
            "`{value}` is the [provider] setting `{key}` of site.toml, typed by hand: write {{{{ provider(key=\"{key}\") }}}}, so another provider's site says its own"
        )));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The line of each offset of `text`, which starts at line `first`.
    fn lines_from(first: usize, text: &str) -> impl Fn(usize) -> usize {
        let lines = crate::error::LineIndex::new(text);
        move |offset| first + lines.line(offset) - 1
    }

    fn facts() -> crate::facts::Facts {
        toml::from_str("[review_days]\nvalue = \"20 个工作日\"\nsource = \"004 #43\"\n").unwrap()
    }

    /// Review 7, W1: a fact split by a link's marks (`20 个[工作日](…)`) or emphasis slipped past the
    /// check, which read the Markdown as written.
    #[test]
    fn a_fact_split_by_a_link_or_emphasis_is_still_found_at_its_markdown_line_regression() {
        let facts = facts();
        let finders = Finders::new(&facts, &[]);
        let body = "第一行\n\n管局在 20 个[工作日](/glossary/#working-day)内审核。\n\n第二处 **20 个工作日**。\n\n[链接](/a/(b)) 20 个工作。\n";
        let plain = Plain::of(body);
        assert_eq!(plain.text, "第一行\n\n管局在 20 个工作日内审核。\n\n第二处 20 个工作日。\n\n链接 20 个工作。\n");
        let lines = crate::error::LineIndex::new(body);
        let line_at = |offset: usize| 10 + lines.line(plain.markdown_offset(offset)) - 1;
        let found: Vec<Option<usize>> = typed(&finders, std::path::Path::new("content/a.md"), &line_at, &plain.text, &[]).iter().map(|e| e.line).collect();
        assert_eq!(found, [Some(12), Some(14)]);
        // A shortcode call's range in the Markdown is skipped in the text too.
        let body = "见 {{ fact(key=\"review_days\") }}，[20 个工作日](/x/)。";
        let plain = Plain::of(body);
        let call = plain.range_of(&(body.find("{{").unwrap()..body.find("}}").unwrap() + 2));
        assert_eq!(&plain.text[call.clone()], "{{ fact(key=\"review_days\") }}");
        assert_eq!(typed(&finders, std::path::Path::new("content/a.md"), &|_| 1, &plain.text, &[call]).len(), 1);
    }

    #[test]
    fn a_fact_or_a_setting_typed_by_hand_names_its_line() {
        let provider: toml::Table = toml::from_str("email = \"beian@example.com\"\nprovince = \"浙江\"\nrecipient = \"备案组\"\nverification_appointment = true").unwrap();
        let settings = provider_texts(&provider);
        assert_eq!(settings, [("email".to_string(), "beian@example.com".to_string())], "short values and the province are not a provider's own text");
        let text = "第一行\n管局在 20 个工作日内审核，{{ fact(key=\"review_days\") }}。\n发邮件到 beian@example.com。\n";
        let call = text.find("{{").unwrap()..text.find("}}").unwrap() + 2;
        let facts = facts();
        let errors: Vec<String> = typed(&Finders::new(&facts, &settings), std::path::Path::new("content/a.md"), &lines_from(5, text), text, &[call]).iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("content/a.md:6: `20 个工作日` is the fact `review_days`"), "{errors:?}");
        assert!(errors[1].starts_with("content/a.md:7: `beian@example.com` is the [provider] setting `email`"), "{errors:?}");
    }

    /// The third attack review: 40,000 facts and a 2 MB page took 22.7 s, each fact's words
    /// searched through the page on their own. One automaton reads the page once.
    #[test]
    fn many_facts_and_a_long_page_are_read_once_regression() {
        let facts: crate::facts::Facts = toml::from_str(&(0..40_000).map(|i| format!("[f{i}]\nvalue = \"词{i:05}号\"\nsource = \"x\"\n")).collect::<String>()).unwrap();
        let text = "备案需要准备主体证件和负责人证件。\n".repeat(60_000) + "词00042号";
        let start = std::time::Instant::now();
        let errors = typed(&Finders::new(&facts, &[]), std::path::Path::new("content/a.md"), &lines_from(1, &text), &text, &[]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().starts_with("content/a.md:60001: `词00042号` is the fact `f42`"), "{}", errors[0]);
        assert!(start.elapsed() < std::time::Duration::from_secs(20), "took {:?}", start.elapsed());
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
        let errors: Vec<Option<usize>> = other_words(&terms, std::path::Path::new("content/a.md"), &lines_from(1, &text), &text).iter().map(|e| e.line).collect();
        assert_eq!(errors, [Some(1), Some(3)]);
    }

    /// Red-team 7, F5: every place of a refused word (and of a fact's words) made an error before
    /// they were merged by line: a 1 MB page of one refused character and 50 terms ran `check` out of
    /// memory. Now one error a line for each word and each fact.
    #[test]
    fn a_word_typed_many_times_on_a_line_gives_one_error_for_that_line_regression() {
        let terms: Terms = toml::from_str("[[terms]]\nuse = \"乙\"\nnot = [\"甲\"]\n").unwrap();
        let text = "甲".repeat(100_000) + "\n正文\n" + &"甲".repeat(100_000);
        let lines: Vec<Option<usize>> = other_words(&terms, std::path::Path::new("content/a.md"), &lines_from(1, &text), &text).iter().map(|e| e.line).collect();
        assert_eq!(lines, [Some(1), Some(3)]);
        let facts = facts();
        let text = "20 个工作日，".repeat(50_000) + "\n" + &"20 个工作日".repeat(3);
        let found: Vec<Option<usize>> = typed(&Finders::new(&facts, &[]), std::path::Path::new("content/a.md"), &lines_from(1, &text), &text, &[]).iter().map(|e| e.line).collect();
        assert_eq!(found, [Some(1), Some(2)]);
    }

    #[test]
    fn one_word_for_one_thing() {
        let terms: Terms = toml::from_str("[[terms]]\nuse = \"信息安全管理协议书\"\nnot = [\"信息安全管理协议\", \"信息安全协议\"]\n").unwrap();
        let text = "交信息安全管理协议书 1 份。\n信息安全管理协议要签字；信息安全协议也是。\n";
        let errors: Vec<String> = other_words(&terms, std::path::Path::new("content/a.md"), &lines_from(1, text), text).iter().map(ToString::to_string).collect();
        assert_eq!(errors, [
            "content/a.md:2: `信息安全管理协议`: this site calls it `信息安全管理协议书` (content/_data/terms.toml: one word for one thing)",
            "content/a.md:2: `信息安全协议`: this site calls it `信息安全管理协议书` (content/_data/terms.toml: one word for one thing)",
        ]);
    }

    #[test]
    fn a_refused_word_inside_the_systems_own_words_is_fine() {
        let terms: Terms = toml::from_str("[[terms]]\nuse = \"接入商核实\"\nnot = [\"接入商审核\"]\nexcept = [\"报备阶段待接入商审核\"]\n").unwrap();
        let text = "状态是“报备阶段待接入商审核”时，接入商核实你的资料。\n提交给接入商审核。\n";
        let errors: Vec<String> = other_words(&terms, std::path::Path::new("content/a.md"), &lines_from(1, text), text).iter().map(ToString::to_string).collect();
        assert_eq!(errors, ["content/a.md:2: `接入商审核`: this site calls it `接入商核实` (content/_data/terms.toml: one word for one thing)"]);
    }
}
