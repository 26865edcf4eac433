//! One place per fact: `content/_data/facts.toml` holds each number, deadline, copy count, place in
//! the filing system and list of operations that more than one page needs, with where it comes from.
//! Pages write `{{ fact(key="review_days") }}` (the `fact` shortcode), data files write
//! `{fact:review_days}` (replaced as the data is loaded), and `check` refuses a page or data file
//! that types a registered fact's words by hand, with the file and line, so a copy cannot creep
//! back in and drift from the one place.
//!
//! ```toml
//! [review_days]
//! value = "20 个工作日"                  # what the shortcode writes
//! also = ["二十个工作日"]                 # other spellings that are this fact too (refused by hand)
//! source = "004_f7fd949ad403f173.txt #43" # seed file (../shared/seeds/README.md) and section, or law and article
//! page = "/guides/progress/#timing"      # optional: the page that explains it, link-checked
//!
//! [account_review]                        # a fact that is one of the provider's settings
//! provider = "accounts_reviewed"          # a true/false key of [provider] in site.toml
//! yes = "…"                               # written when it is true ({email}, {phone}, {system_url} allowed)
//! no = "…"                                # written when it is false
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

use beian_guide::at;
use beian_guide::problem::Problem;

use crate::content::DataSource;
use beian_rules::model::{FilingType, SubjectKind};
use crate::error::{line_of, ContentError};

/// The data file's name (`data.facts`).
pub const DATA_NAME: &str = "facts";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub yes: Option<String>,
    #[serde(default)]
    pub no: Option<String>,
    #[serde(default)]
    pub also: Vec<String>,
    pub source: String,
    #[serde(default)]
    pub page: Option<String>,
    /// What the fact writes on this site, set by the builder ([`resolve_texts`]): the value or the
    /// words for this provider's setting, with `{setting}` and `{copies:…}` filled in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<String>,
}

impl Fact {
    /// The words that are this fact: what it writes, in every form, and its other spellings.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.value.iter().chain(&self.yes).chain(&self.no).chain(&self.also).chain(&self.written).map(String::as_str).filter(|w| !w.trim().is_empty() && !w.contains("{copies:"))
    }

    /// The text written for this fact under the provider settings `provider`.
    /// `{key}` in the words becomes the `[provider]` setting `key` (a string or a number).
    pub fn text(&self, provider: &toml::Table) -> Result<String, String> {
        let text = match &self.provider {
            None => self.value.clone(),
            Some(key) => match provider.get(key) {
                Some(toml::Value::Boolean(true)) => self.yes.clone(),
                Some(toml::Value::Boolean(false)) => self.no.clone(),
                Some(_) => return Err(format!("[provider] setting `{key}` in site.toml must be true or false")),
                None => return Err(format!("site.toml has no [provider] setting `{key}`: add it (true or false), see docs/content-format.md")),
            },
        };
        fill_settings(&text.unwrap_or_default(), provider)
    }
}

/// `{key}` in `text` replaced by the `[provider]` setting `key` (a string or a number), in one pass
/// over `text` alone: a setting's value is written as it is, never read again for `{…}` (settings
/// naming one another grew a text exponentially). `{copies:…}` is left for the materials.
fn fill_settings(text: &str, provider: &toml::Table) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            // No `}` after this `{`: the rest is text (found once, so this stays linear).
            out.push_str(&rest[open..]);
            return Ok(out);
        };
        let name = &after[..close];
        match provider.get(name) {
            _ if name.starts_with("copies:") => out.push_str(&rest[open..open + close + 2]),
            Some(toml::Value::String(s)) => out.push_str(s),
            Some(toml::Value::Integer(n)) => out.push_str(&n.to_string()),
            _ => return Err(format!("the fact's words name {{{name}}}, which is no [provider] setting of site.toml")),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The longest words a fact may have, and the longest text it may write with its settings and copy
/// counts filled in: a fact is written again at every use, so a long one multiplied (a 1 MB fact, or
/// a setting named many times in a fact, took gigabytes).
pub const MAX_FACT_CHARS: usize = 1_000;
pub const MAX_WRITTEN_FACT_CHARS: usize = 4_000;

/// The registered facts, by key.
pub type Facts = BTreeMap<String, Fact>;

/// Reads `facts.toml`, or the problems with it (each naming the fact's key in backticks).
pub fn parse(source: &DataSource) -> Result<Facts, (Option<usize>, String)> {
    let facts: Facts = toml::from_str(&source.text).map_err(|e| (e.span().map(|s| line_of(&source.text, s.start)), format!("facts: {}", e.message().trim_end())))?;
    Ok(facts)
}

/// What is wrong with the facts, one message each (the key in backticks, for the line).
pub fn validate(facts: &Facts) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (key, f) in facts {
        if !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            problems.push(Problem::new(at![key.as_str()], format!("fact `{key}`: a key is lower-case letters, digits and _")));
        }
        if f.source.trim().is_empty() {
            problems.push(Problem::new(at![key.as_str(), "source"], format!("fact `{key}`: `source` is empty: name the seed file and section, or the regulation and article")));
        }
        match (&f.value, &f.provider) {
            (Some(_), Some(_)) => problems.push(Problem::new(at![key.as_str(), "provider"], format!("fact `{key}`: write either `value` or `provider` with `yes` and `no`, not both"))),
            (None, None) => problems.push(Problem::new(at![key.as_str()], format!("fact `{key}`: needs a `value` (or `provider` with `yes` and `no`)"))),
            (None, Some(_)) if f.yes.is_none() || f.no.is_none() => problems.push(Problem::new(at![key.as_str(), "provider"], format!("fact `{key}`: a fact with `provider` needs `yes` and `no`"))),
            (Some(_), None) if f.yes.is_some() || f.no.is_some() => problems.push(Problem::new(at![key.as_str(), if f.yes.is_some() { "yes" } else { "no" }], format!("fact `{key}`: `yes` and `no` go with `provider`"))),
            _ => {}
        }
        for word in f.words() {
            if word.chars().count() > MAX_FACT_CHARS {
                problems.push(Problem::new(at![key.as_str()], format!("fact `{key}`: its words are longer than {MAX_FACT_CHARS} characters: a fact is a sentence or two, written again wherever it is used")));
                break;
            }
            if let Some(other) = seen.insert(word, key) {
                if other != key {
                    problems.push(Problem::new(at![key.as_str()], format!("fact `{key}`: the words `{word}` are also fact `{other}`'s: a text that is typed by hand must point to one fact")));
                }
            }
        }
    }
    problems
}

/// Words to look for in many texts, each with what it belongs to (a fact's key, a setting's name),
/// in one automaton: a text is read once however many words there are (a search per word made the
/// hand-typed checks words × text). At each place the longest word wins, and places do not overlap.
pub struct WordFinder<'a> {
    words: Vec<(&'a str, &'a str)>,
    automaton: aho_corasick::AhoCorasick,
}

impl<'a> WordFinder<'a> {
    /// `words`: (owner, word) pairs; empty words are left out.
    pub fn new(words: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let words: Vec<(&str, &str)> = words.into_iter().filter(|(_, w)| !w.is_empty()).collect();
        // A contiguous NFA, never a DFA: a DFA's construction was quadratic in a fact of 400,000 `{`.
        let automaton = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(words.iter().map(|(_, w)| w))
            .expect("plain words make an automaton");
        WordFinder { words, automaton }
    }

    /// Every registered fact's words, each owned by the fact's key.
    pub fn of_facts(facts: &'a Facts) -> Self {
        WordFinder::new(facts.iter().flat_map(|(key, f)| f.words().map(move |w| (key.as_str(), w))))
    }

    /// Each place in `text` that does not start inside `skip`: (offset, owner, word), in order, as
    /// they are found (a page of ten million places is not held as a list).
    pub fn find<'t>(&'t self, text: &'t str, skip: &'t crate::error::Ranges) -> impl Iterator<Item = (usize, &'a str, &'a str)> + 't {
        self.automaton.find_iter(text).filter(|m| !skip.contains(m.start())).map(|m| {
            let (owner, word) = self.words[m.pattern().as_usize()];
            (m.start(), owner, word)
        })
    }
}

/// Replaces `{fact:KEY}` in every string of the data (except the facts themselves) with the fact's
/// text; an unknown key or a setting the fact needs is an error at the data file's line. What the
/// filled-in strings add to their sources is bounded by [`MAX_FILLED_DATA_BYTES`] over all data
/// files: the string that passes it is an error at its line, and nothing after it is filled in.
pub fn resolve_data(data: &mut Map<String, Value>, sources: &[DataSource], provider: &toml::Table) -> Vec<ContentError> {
    let Some(facts) = data.get(DATA_NAME).and_then(|v| serde_json::from_value::<Facts>(v.clone()).ok()) else {
        return Vec::new();
    };
    let mut errors = Vec::new();
    let mut budget = MAX_FILLED_DATA_BYTES;
    for (name, value) in data.iter_mut().filter(|(n, _)| n.as_str() != DATA_NAME) {
        let source = sources.iter().find(|s| &s.name == name);
        let file = source.map(|s| s.file.clone()).unwrap_or_else(|| format!("content/_data/{name}.toml").into());
        let mut placeholder_error = |placeholder: &str, why: String| {
            let line = source.and_then(|s| s.text.find(placeholder).map(|at| line_of(&s.text, at)));
            if !errors.iter().any(|e: &ContentError| e.line == line && e.message == why) {
                errors.push(ContentError::new(&file, line, why));
            }
        };
        if let Err(string) = resolve_value(value, &facts, provider, &mut budget, &mut placeholder_error) {
            // Where the string is written: found by its decoded value, once, as the link check does.
            let line = source.and_then(|s| crate::data_check::string_values(&s.text).get(&string).map(|&at| line_of(&s.text, at)));
            errors.push(ContentError::new(&file, line, format!(
                "with its {{fact:…}} filled in, this string takes the data files past {} MB more than they are written: a fact's words are written again at every {{fact:…}} (and the data is published whole as JSON), so use long facts less often",
                MAX_FILLED_DATA_BYTES >> 20
            )));
            break;
        }
    }
    errors
}

/// What the data files' strings may grow by, all together, as their `{fact:…}` are filled in: as
/// much as the data files may hold ([`crate::content::MAX_DATA_BYTES`]). A `{fact:KEY}` of 10
/// characters writes up to 4,000, so 1 MB of them made 288 MB of JSON.
pub const MAX_FILLED_DATA_BYTES: usize = crate::content::MAX_DATA_BYTES;

/// The longest description, in characters once its `{fact:…}` are filled in (this site's longest
/// is a few hundred). It is written twice into the page's `<head>` and into each listing that shows
/// it, so 100 KB of `{fact:…}` made a 60 MB page.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;

/// Sets each fact's `written` words for this site: [`Fact::text`] under the provider's settings,
/// then `{copies:DOC:TYPE}` (or `{copies:DOC:TYPE:ENTITY}`, organisation by default) becomes the
/// copy count `materials.toml` gives that document in that case ("2 份"), so a count is written once,
/// in the materials data. A problem is an error at the fact's line of `facts.toml`.
pub fn resolve_texts(data: &mut Map<String, Value>, sources: &[DataSource], provider: &toml::Table) -> Vec<ContentError> {
    let Some(mut facts) = data.get(DATA_NAME).and_then(|v| serde_json::from_value::<Facts>(v.clone()).ok()) else {
        return Vec::new();
    };
    let source = sources.iter().find(|s| s.name == DATA_NAME);
    let mut errors = Vec::new();
    let counts = CopyCounts::of(data);
    for (key, f) in facts.iter_mut() {
        // A missing or mistyped setting is reported where a page uses the fact (the shortcode
        // names the page's line); here only what the fact itself gets wrong.
        let Ok(text) = f.text(provider) else { continue };
        let written = copies(&text, &counts).and_then(|t| match t.chars().count() > MAX_WRITTEN_FACT_CHARS {
            true => Err(format!("with its settings and copy counts filled in, it writes more than {MAX_WRITTEN_FACT_CHARS} characters: name fewer or shorter settings")),
            false => Ok(t),
        });
        match written {
            Ok(t) => f.written = Some(t),
            Err(why) => {
                let line = source.and_then(|s| s.text.find(&format!("[{key}]")).map(|at| line_of(&s.text, at)));
                errors.push(ContentError::new(source.map_or_else(|| "content/_data/facts.toml".into(), |s| s.file.clone()), line, format!("fact `{key}`: {why}")));
            }
        }
    }
    data.insert(DATA_NAME.into(), serde_json::to_value(facts).expect("facts are JSON"));
    errors
}

/// Each document's copy count in `materials.toml` by (document, filing type, entity), the first
/// document listed for a case winning, and the words for a count the sources do not state: made
/// once, so a `{copies:…}` is one look-up (a search of every document per placeholder was
/// placeholders × documents).
struct CopyCounts {
    counts: std::collections::HashMap<(String, String, String), Option<u64>>,
    unstated: String,
}

impl CopyCounts {
    fn of(data: &Map<String, Value>) -> Self {
        let mut counts = std::collections::HashMap::new();
        let materials = data.get("materials");
        for d in materials.and_then(|m| m["documents"].as_array()).into_iter().flatten() {
            let (Some(id), Some(types), Some(entities)) = (d["id"].as_str(), d["types"].as_array(), d["entity"].as_array()) else { continue };
            // Each filing type and entity the rules know, once (the materials check refuses the
            // others): a document of two long lists made their product of entries (3,000 × 3,000:
            // 9 million).
            let listed = |list: &[Value], ids: &mut dyn Iterator<Item = &'static str>| -> Vec<&'static str> {
                let written: std::collections::HashSet<&str> = list.iter().filter_map(Value::as_str).collect();
                ids.filter(|id| written.contains(id)).collect()
            };
            let types = listed(types, &mut FilingType::ALL.iter().map(|t| t.id()));
            let entities = listed(entities, &mut SubjectKind::ALL.iter().map(|e| e.id()));
            for kind in types {
                for entity in &entities {
                    counts.entry((id.to_string(), kind.to_string(), entity.to_string())).or_insert(d["copies"].as_u64());
                }
            }
        }
        let unstated = materials.and_then(|m| m["labels"]["copies-unstated"].as_str()).unwrap_or("以接入商通知为准").to_string();
        CopyCounts { counts, unstated }
    }
}

/// `text` with each `{copies:DOC:TYPE[:ENTITY]}` replaced by that document's copy count.
fn copies(text: &str, counts: &CopyCounts) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("{copies:") {
        out.push_str(&rest[..at]);
        let close = rest[at..].find('}').ok_or("`{copies:` is never closed with `}`")? + at;
        let spec = &rest[at + 8..close];
        let mut parts = spec.split(':');
        let (doc, kind, entity) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or("organisation"));
        let found = counts
            .counts
            .get(&(doc.to_string(), kind.to_string(), entity.to_string()))
            .ok_or_else(|| format!("{{copies:{spec}}}: content/_data/materials.toml has no document `{doc}` for type `{kind}` and entity `{entity}`"))?;
        match found {
            Some(n) => out.push_str(&format!("{n} 份")),
            None => out.push_str(&counts.unstated),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Replaces `{fact:KEY}` in every page's title and description; an unknown key is an error at the
/// key's line, and so is a title longer than [`crate::check::MAX_TITLE_CHARS`] or a description
/// longer than [`MAX_DESCRIPTION_CHARS`] once filled in (the filling stops there).
pub fn resolve_front_matter(pages: &mut [std::sync::Arc<crate::content::Page>], data: &Map<String, Value>, provider: &toml::Table) -> Vec<ContentError> {
    let facts: Facts = data.get(DATA_NAME).and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
    let mut errors = Vec::new();
    let chars = |t: &str| t.chars().count();
    for p in pages.iter_mut() {
        let (file, title_line, description_line) = (p.file.clone(), p.line_of_key("title"), p.line_of_key("description"));
        if p.title.contains("{fact:") {
            let max = crate::check::MAX_TITLE_CHARS;
            match resolve_str(&p.title, &facts, provider, max, chars, &mut |_, why| errors.push(ContentError::new(&file, title_line, why))) {
                Some(title) => std::sync::Arc::make_mut(p).title = title,
                None => errors.push(ContentError::new(&file, title_line, format!(
                    "with its {{fact:…}} filled in, the title is longer than {max} characters: a title may have at most {max} (search shows it with every heading of the page); say the rest in the page"
                ))),
            }
        }
        let Some(d) = p.front.description.as_deref() else { continue };
        let max = MAX_DESCRIPTION_CHARS;
        let has_fact = d.contains("{fact:");
        // `Ok(Some(…))`: the description with its facts filled in; `Err`: too long.
        let resolved = match has_fact {
            true => resolve_str(d, &facts, provider, max, chars, &mut |_, why| errors.push(ContentError::new(&file, description_line, why))).map(Some).ok_or(()),
            false if chars(d) <= max => Ok(None),
            false => Err(()),
        };
        match resolved {
            Ok(Some(resolved)) if resolved != d => std::sync::Arc::make_mut(&mut std::sync::Arc::make_mut(p).front).description = Some(resolved),
            Ok(_) => {}
            Err(()) => errors.push(ContentError::new(&file, description_line, format!(
                "the description{} is longer than {max} characters: a description may have at most {max} (it is written twice into the page's <head> and into every listing that shows it); a description is a sentence or two: say the rest in the page",
                if has_fact { ", with its {fact:…} filled in," } else { "" }
            ))),
        }
    }
    errors
}

/// Fills in the strings of `value` within `budget`, the bytes they may still grow by (taken from it
/// as they grow); `Err` with the string as written, unfilled, once one would pass it.
fn resolve_value(value: &mut Value, facts: &Facts, provider: &toml::Table, budget: &mut usize, error: &mut dyn FnMut(&str, String)) -> Result<(), String> {
    match value {
        Value::String(s) if s.contains("{fact:") => {
            let filled = resolve_str(s, facts, provider, s.len() + *budget, str::len, error).ok_or_else(|| s.clone())?;
            *budget -= filled.len().saturating_sub(s.len());
            *s = filled;
        }
        Value::Array(items) => items.iter_mut().try_for_each(|v| resolve_value(v, facts, provider, budget, error))?,
        Value::Object(map) => map.values_mut().try_for_each(|v| resolve_value(v, facts, provider, budget, error))?,
        _ => {}
    }
    Ok(())
}

/// `s` with each `{fact:KEY}` replaced by the fact's text, or `None` as soon as the text would be
/// longer than `max` as `size` measures it (bytes or characters): the filling stops there, so a
/// string of many placeholders never grows past its bound in memory.
pub fn resolve_str(s: &str, facts: &Facts, provider: &toml::Table, max: usize, size: fn(&str) -> usize, error: &mut dyn FnMut(&str, String)) -> Option<String> {
    let mut out = String::with_capacity(s.len().min(max));
    let mut written = 0;
    let mut push = |out: &mut String, piece: &str| {
        written += size(piece);
        out.push_str(piece);
        written <= max
    };
    let mut rest = s;
    while let Some(at) = rest.find("{fact:") {
        if !push(&mut out, &rest[..at]) {
            return None;
        }
        let Some(close) = rest[at..].find('}') else {
            error(&rest[at..], "`{fact:` is never closed with `}`: write {fact:key}".into());
            return push(&mut out, &rest[at..]).then_some(out);
        };
        let placeholder = &rest[at..at + close + 1];
        let key = &placeholder[6..placeholder.len() - 1];
        match facts.get(key).map(|f| f.written.clone().map_or_else(|| f.text(provider), Ok)) {
            Some(Ok(text)) => {
                if !push(&mut out, &text) {
                    return None;
                }
            }
            Some(Err(why)) => error(placeholder, format!("{placeholder}: {why}")),
            None => error(placeholder, format!("{placeholder}: content/_data/facts.toml has no fact `{key}`")),
        }
        rest = &rest[at + close + 1..];
    }
    push(&mut out, rest).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str) -> Facts {
        toml::from_str(text).unwrap()
    }

    const FACTS: &str = "[review_days]\nvalue = \"20 个工作日\"\nalso = [\"二十个工作日\"]\nsource = \"seed 004 #43\"\n\n[account_review]\nprovider = \"accounts_reviewed\"\nyes = \"要等接入商审核，发邮件到 {email} 催\"\nno = \"不用等审核\"\nalso = [\"帐号审核\"]\nsource = \"seed 000 一.1\"\n";

    #[test]
    fn typed_words_are_found_outside_shortcode_calls() {
        let f = facts(FACTS);
        let text = "管局在 20 个工作日内审核，{{ fact(key=\"x\", y=\"20 个工作日\") }}；帐号审核通过后登录。";
        let call_start = text.find("{{").unwrap();
        let call_end = text.find("}}").unwrap() + 2;
        let skip = crate::error::Ranges::new([call_start..call_end]);
        let finder = WordFinder::of_facts(&f);
        let found: Vec<_> = finder.find(text, &skip).collect();
        assert_eq!(found.iter().map(|(_, key, _)| *key).collect::<Vec<_>>(), ["review_days", "account_review"]);
        let (offset, _, words) = found[0];
        assert_eq!(&text[offset..offset + words.len()], "20 个工作日");
    }

    #[test]
    fn a_fact_of_a_setting_follows_the_setting() {
        let f = facts(FACTS);
        let mut p: toml::Table = toml::from_str("accounts_reviewed = true\nemail = \"a@b.test\"").unwrap();
        assert_eq!(f["account_review"].text(&p).unwrap(), "要等接入商审核，发邮件到 a@b.test 催");
        p.insert("accounts_reviewed".into(), toml::Value::Boolean(false));
        assert_eq!(f["account_review"].text(&p).unwrap(), "不用等审核");
        p.remove("accounts_reviewed");
        assert!(f["account_review"].text(&p).unwrap_err().contains("accounts_reviewed"));
    }

    #[test]
    fn placeholders_in_data_are_replaced_and_unknown_ones_name_their_line() {
        let mut data = Map::new();
        data.insert("facts".into(), serde_json::to_value(facts(FACTS)).unwrap());
        data.insert("statuses".into(), serde_json::json!({ "days": "{fact:review_days}内", "todo": ["x", "{fact:nope}"] }));
        let sources = [DataSource { name: "statuses".into(), file: "content/_data/statuses.toml".into(), text: "days = \"{fact:review_days}内\"\ntodo = [\"x\", \"{fact:nope}\"]\n".into() }];
        let errors = resolve_data(&mut data, &sources, &toml::Table::new());
        assert_eq!(data["statuses"]["days"], "20 个工作日内");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].to_string(), "content/_data/statuses.toml:2: {fact:nope}: content/_data/facts.toml has no fact `nope`");
    }

    /// A fact of 1,000 characters (3,000 bytes), as the review's reproduction has it.
    fn big_fact() -> Value {
        serde_json::to_value(facts(&format!("[big]\nvalue = \"{}\"\nsource = \"s\"\n", "事".repeat(MAX_FACT_CHARS)))).unwrap()
    }

    /// Review 7's finding 2: `{fact:…}` in a description was filled in without bound (100 KB of
    /// them made a 60 MB page; 1 MB aborted `check`).
    #[test]
    fn a_description_filled_in_is_bounded_at_its_line_regression() {
        let mut data = Map::new();
        data.insert("facts".into(), big_fact());
        let page = |description: &str| std::sync::Arc::new(crate::content::Page::parse("a.md", &format!("+++\ntitle = \"页\"\ndescription = \"{description}\"\n+++\n\n正文\n")).unwrap());
        let mut pages = [page(&"{fact:big}".repeat(300)), page("{fact:big}{fact:big}")];
        let errors = resolve_front_matter(&mut pages, &data, &toml::Table::new());
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = errors[0].to_string();
        assert!(e.starts_with("content/a.md:3: the description, with its {fact:…} filled in, is longer than 2000 characters"), "{e}");
        // Filling stopped at the bound: the page keeps what was written.
        assert_eq!(pages[0].front.description.as_deref(), Some("{fact:big}".repeat(300).as_str()));
        assert_eq!(pages[1].front.description.as_ref().map(|d| d.chars().count()), Some(MAX_DESCRIPTION_CHARS), "at the bound");
        // A title is bounded at its own bound.
        let mut titled = [std::sync::Arc::new(crate::content::Page::parse("b.md", "+++\ntitle = \"{fact:big}\"\n+++\n\n正文\n").unwrap())];
        let errors = resolve_front_matter(&mut titled, &data, &toml::Table::new());
        assert!(errors[0].to_string().starts_with("content/b.md:2: with its {fact:…} filled in, the title is longer than 100 characters"), "{errors:?}");
    }

    /// Review 7's finding 2: `{fact:…}` in a data file was filled in without bound (1 MB of them
    /// made 288 MB of JSON and 1.2 GB; 4 MB aborted `check`).
    #[test]
    fn data_filled_in_is_bounded_together_at_the_string_that_passes_regression() {
        let mut data = Map::new();
        data.insert("facts".into(), big_fact());
        // Each file grows by 3,000 × 3,000 bytes (9 MB): the second passes 16 MB.
        let text = format!("ok = \"x\"\ns = [\"y\", \"{}\"]\n", "{fact:big}".repeat(3_000));
        let mut sources = Vec::new();
        for name in ["a", "b"] {
            let table: toml::Table = toml::from_str(&text).unwrap();
            data.insert(name.into(), serde_json::to_value(table).unwrap());
            sources.push(DataSource { name: name.into(), file: format!("content/_data/{name}.toml").into(), text: text.clone() });
        }
        let errors = resolve_data(&mut data, &sources, &toml::Table::new());
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = errors[0].to_string();
        assert!(e.starts_with("content/_data/b.toml:2: with its {fact:…} filled in, this string takes the data files past 16 MB"), "{e}");
        assert_eq!(data["a"]["s"][1].as_str().map(str::len), Some(9_000_000));
        assert_eq!(data["b"]["s"][1].as_str().map(str::len), Some(30_000), "left as written");
    }

    #[test]
    fn a_copy_count_comes_from_the_materials_data() {
        let mut data = Map::new();
        data.insert("facts".into(), serde_json::to_value(facts("[agreement]\nvalue = \"首次备案交 {copies:security-agreement:first}，转接入交 {copies:security-agreement:transfer}\"\nsource = \"s\"\n\n[bad]\nvalue = \"{copies:nothing:first}\"\nsource = \"s\"\n")).unwrap());
        data.insert("materials".into(), serde_json::json!({
            "labels": { "copies-unstated": "以接入商通知为准" },
            "documents": [
                { "id": "security-agreement", "entity": ["organisation"], "types": ["first"], "copies": 1 },
                { "id": "security-agreement", "entity": ["organisation"], "types": ["transfer"], "copies": "unstated" },
            ],
        }));
        let sources = [DataSource { name: "facts".into(), file: "content/_data/facts.toml".into(), text: "[agreement]\nvalue = \"…\"\n\n[bad]\nvalue = \"…\"\n".into() }];
        let errors = resolve_texts(&mut data, &sources, &toml::Table::new());
        assert_eq!(data["facts"]["agreement"]["written"], "首次备案交 1 份，转接入交 以接入商通知为准");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().starts_with("content/_data/facts.toml:4: fact `bad`: {copies:nothing:first}: content/_data/materials.toml has no document `nothing`"), "{errors:?}");
    }

    /// Review 7's finding 3 (materials): a document whose `types` and `entity` lists are long made
    /// their product of copy-count entries as the data was loaded (3,000 × 3,000 in 72 KB: 1.8 s).
    #[test]
    fn copy_counts_take_each_type_and_entity_once_regression() {
        let mut data = Map::new();
        data.insert("materials".into(), serde_json::json!({
            "documents": [
                { "id": "a", "entity": vec!["organisation"; 3_000], "types": vec!["first"; 3_000], "copies": 2 },
                { "id": "a", "entity": ["personal", "organisation"], "types": ["transfer", "frist"], "copies": 1 },
            ],
        }));
        let started = std::time::Instant::now();
        let counts = CopyCounts::of(&data);
        let took = started.elapsed();
        let get = |kind: &str, entity: &str| counts.counts.get(&("a".to_string(), kind.to_string(), entity.to_string())).copied();
        assert_eq!((get("first", "organisation"), get("transfer", "personal"), get("frist", "personal")), (Some(Some(2)), Some(Some(1)), None));
        assert_eq!(counts.counts.len(), 3);
        assert!(took < std::time::Duration::from_millis(500), "{took:?}");
    }

    #[test]
    fn a_fact_needs_a_source_and_one_form() {
        let problems = validate(&facts("[a]\nvalue = \"x\"\nsource = \"\"\n\n[b]\nprovider = \"p\"\nyes = \"y\"\nsource = \"s\"\n\n[c]\nvalue = \"x\"\nsource = \"s\"\n"));
        assert!(problems.iter().any(|p| p.message.starts_with("fact `a`: `source` is empty")), "{problems:?}");
        assert!(problems.iter().any(|p| p.message.starts_with("fact `b`: a fact with `provider` needs")), "{problems:?}");
        assert!(problems.iter().any(|p| p.message.starts_with("fact `c`: the words `x` are also fact `a`'s")), "{problems:?}");
    }
}
