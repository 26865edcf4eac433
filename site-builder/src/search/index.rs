//! The index files: BM25F over sections, the heading weighing most, then the page title, then the
//! body, then the text of links (which names other pages), and last the skip pairs of the name
//! (heading and page title), which the browser looks up only across a mistyped character. Each
//! (word, section) score is worked out here, once, and written as a whole number, so the browser
//! only adds numbers up; a word of the section's name (heading, page title) is written negative and
//! carries the heading's length, so the browser can favour a section whose name holds the query
//! (转接入 › 开始之前要准备什么 for 转接入之前) and a heading the query names whole (the glossary term
//! for 管局是什么) without fetching a heading. Words are spread over `t/K.json` files by a hash of
//! the word, and sections over `d/K.json` files by number, so a search fetches only the few files
//! its words and its results need. A word keeps at most [`MAX_POSTINGS`] sections, its best: that
//! bounds what one word can cost on a 10,000-page site.

use rustc_hash::FxHashMap as HashMap;

use crate::output::OutputFile;

use super::sections::Section;
use rayon::prelude::*;

use super::terms::{normalise, skip_pairs, words, Folder, Phrasing};

/// Field weights and length normalisation (heading, page title, body, link text, name skip pairs,
/// asked-as phrasings). The phrasings weigh twice the body but are not the section's name (its
/// heading and title): counted as name, they raised sections whose phrasings share common words
/// (材料, 什么) with a question about another task; measured on the three sets: as name
/// with weight 3, set top-1 91.3%, held-out 81.0%, held-out-2 88.8%; as here 93.5%, 85.7%, 88.8%.
const WEIGHT: [f64; FIELDS] = [5.0, 3.0, 1.0, 0.3, 3.0, 2.0];
const B: [f64; FIELDS] = [0.3, 0.3, 0.75, 0.75, 0.3, 0.3];
const FIELDS: usize = 6;
/// A posting of a word of the section's name is written as -(score × NAME_CODES + code): code 0
/// for a word of the page title only, else the heading's word count (at most NAME_CODES - 2).
/// [`ASKED_CODE`] marks a word only the asked-as phrasings hold.
pub const NAME_CODES: i64 = 64;
/// The code of a word of the asked-as phrasings that the name does not hold: the browser does not
/// count it as the name's, but a tool page asked for must hold the query in its name or phrasings.
pub const ASKED_CODE: i64 = NAME_CODES - 1;
const ASKED_FIELD: usize = 5;
const K1: f64 = 1.2;
/// The field of the name's skip pairs.
const SKIP_FIELD: usize = 4;
/// Scores are written as integers: score × SCALE.
const SCALE: f64 = 100.0;
pub const MAX_POSTINGS: usize = 1000;
/// About this many postings per word file. Smaller files mean fewer bytes per search and more files
/// per build: 500 (against 1,500) halves a first search (this site: median 46 → 22 KB; 10,000
/// pages: 46 → 23 KB) for 1.3 s more at 10,000 pages (4,365 word files instead of 1,455).
const POSTINGS_PER_FILE: usize = 500;
/// Sections per section file (a search fetches the files of the results it shows). 8 against 16
/// (this site, node): a first search's index median 24.3 → 21.8 KB, max 51.0 → 47.2 KB.
pub const SECTIONS_PER_FILE: usize = 8;
/// The longest first paragraph kept for "copy answer".
const FIRST_CHARS: usize = 600;

/// Per field of a section: how often each word occurs.
type FieldCounts = [HashMap<String, u32>; FIELDS];
/// A section's words, by number, each with how often it occurs in each field.
/// (Counts above 65,535 in one field of one section count as 65,535: the score has long stopped
/// growing by then.)
type SectionWords = Vec<(u32, [u16; FIELDS])>;
/// Sections whose words are counted (on every core) before they are numbered.
const SECTIONS_PER_BATCH: usize = 4096;
/// A word's (section number, written score) pairs.
type Postings = Vec<(u32, i64)>;

/// The score of a written posting value (see [`files`]).
pub fn score_of(value: i64) -> i64 {
    if value < 0 {
        -value / NAME_CODES
    } else {
        value
    }
}

/// Cuts a word's list to its [`MAX_POSTINGS`] best sections (the higher score first, then the
/// earlier section), in section order.
fn keep_best(list: &mut Postings) {
    if list.len() > MAX_POSTINGS {
        list.sort_unstable_by_key(|&(section, value)| (std::cmp::Reverse(score_of(value)), section));
        list.truncate(MAX_POSTINGS);
        list.sort_unstable();
    }
}

/// FNV-1a over the word's UTF-8: which word file holds it (the browser computes the same).
pub fn hash(word: &str) -> u32 {
    word.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// How often each word occurs in each field of section `s`, and each field's length in words.
fn count_words(folder: &Folder, s: &Section) -> (FieldCounts, [f64; FIELDS]) {
    let mut fields: FieldCounts = Default::default();
    let mut lengths = [0f64; FIELDS];
    let mut buf = Vec::new();
    let title = folder.fold(&normalise(&s.title));
    // The page title and, for an <h3>, its <h2>: the names above the section's own heading.
    let page = folder.fold(&normalise(&if s.parent.is_empty() { s.page.clone() } else { format!("{} {}", s.page, s.parent) }));
    let name = format!("{title} {page}");
    let fields_text = [title, page, folder.fold(&normalise(&s.body)), folder.fold(&normalise(&s.links)), name, folder.fold(&normalise(&s.asked))];
    for (f, folded) in fields_text.into_iter().enumerate() {
        buf.clear();
        if f == SKIP_FIELD {
            skip_pairs(&folded, &mut buf);
        } else {
            words(&folded, &mut buf);
        }
        lengths[f] = buf.len() as f64;
        for w in buf.drain(..) {
            *fields[f].entry(w).or_default() += 1;
        }
    }
    (fields, lengths)
}

/// The index files of `sections`, their paths below `dir` (`assets/search`): `meta.json`, the word
/// files `t/K.json` and the section files `d/K.json`.
pub fn files(dir: &str, sections: &[Section], phrasing: &Phrasing) -> anyhow::Result<Vec<OutputFile>> {
    let folder = Folder::new(phrasing);
    let n = sections.len();
    // Per section: its words by number, with their count in each field, and the fields' lengths.
    // Counted on every core a batch at a time, the words numbered as each batch comes in: only one
    // batch's words are held as text per section, so memory grows with the vocabulary, not with
    // every section's words.
    let mut numbers: HashMap<String, u32> = HashMap::default();
    let mut per_section: Vec<SectionWords> = Vec::with_capacity(n);
    let mut lengths: Vec<[f64; FIELDS]> = Vec::with_capacity(n);
    for batch in sections.chunks(SECTIONS_PER_BATCH) {
        let counted: Vec<(FieldCounts, [f64; FIELDS])> = batch.par_iter().map(|s| count_words(&folder, s)).collect();
        for (fields, field_lengths) in counted {
            let mut here: HashMap<u32, [u16; FIELDS]> = HashMap::default();
            for (f, counts) in fields.into_iter().enumerate() {
                for (w, count) in counts {
                    let next = numbers.len() as u32;
                    let id = *numbers.entry(w).or_insert(next);
                    here.entry(id).or_default()[f] = u16::try_from(count).unwrap_or(u16::MAX);
                }
            }
            per_section.push(here.into_iter().collect());
            lengths.push(field_lengths);
        }
    }
    let mut vocabulary = vec![String::new(); numbers.len()];
    for (w, id) in numbers {
        vocabulary[id as usize] = w;
    }
    let mut df = vec![0u32; vocabulary.len()];
    for words_here in &per_section {
        for (id, _) in words_here {
            df[*id as usize] += 1;
        }
    }
    let avg: Vec<f64> = (0..FIELDS).map(|f| (lengths.iter().map(|l| l[f]).sum::<f64>() / n.max(1) as f64).max(1.0)).collect();
    let idf: Vec<f64> = df.iter().map(|&d| (1.0 + (n as f64 - f64::from(d) + 0.5) / (f64::from(d) + 0.5)).ln()).collect();
    // Each section's scores go straight into its words' lists, and its counts are dropped as it is
    // scored: the counts and the lists are never both whole.
    let mut lists: Vec<Vec<(u32, i64)>> = vec![Vec::new(); vocabulary.len()];
    for (i, words_here) in per_section.into_iter().enumerate() {
        let heading_words = words_here.iter().filter(|(_, counts)| counts[0] > 0).count() as i64;
        for (id, counts) in words_here {
            let x: f64 = (0..FIELDS).map(|f| WEIGHT[f] * f64::from(counts[f]) / (1.0 - B[f] + B[f] * lengths[i][f] / avg[f])).sum();
            let score = (idf[id as usize] * x / (K1 + x) * SCALE).round().max(1.0) as i64;
            // A word of the section's name (its heading or its page's title) is written negative,
            // with the heading's word count when the word is in the heading, so the browser can
            // tell how much of the query the name holds and how much of a heading the query names
            // (管局 is all of the heading 管局).
            let value = if counts[0] > 0 {
                -(score * NAME_CODES + heading_words.clamp(1, NAME_CODES - 2))
            } else if counts[1] > 0 {
                -(score * NAME_CODES)
            } else if counts[ASKED_FIELD] > 0 {
                -(score * NAME_CODES + ASKED_CODE)
            } else {
                score
            };
            let list = &mut lists[id as usize];
            list.push((i as u32, value));
            // A common word's list is cut back to its best as it grows, so no list holds more than
            // twice what is written.
            if list.len() >= 2 * MAX_POSTINGS {
                keep_best(list);
            }
        }
    }
    let postings: Vec<(String, Vec<(u32, i64)>)> = vocabulary.into_iter().zip(lists).collect();
    let total: usize = postings.iter().map(|(_, p)| p.len().min(MAX_POSTINGS)).sum();
    let files = total.div_ceil(POSTINGS_PER_FILE).max(1) as u32;
    let mut by_file: Vec<Vec<(String, Postings)>> = vec![Vec::new(); files as usize];
    for (w, mut list) in postings {
        keep_best(&mut list);
        by_file[(hash(&w) % files) as usize].push((w, list));
    }
    let file = |name: String, json: String| OutputFile { path: format!("{dir}/{name}"), bytes: json.into_bytes() };
    // The word files and the section files, each made on any core.
    let word_files = by_file.into_par_iter().enumerate().map(|(k, mut entries)| {
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut map = serde_json::Map::new();
        for (w, list) in entries {
            // Section numbers as differences from the previous one, each followed by its score.
            let mut flat = Vec::with_capacity(list.len() * 2);
            let mut last = 0;
            for (id, score) in list {
                flat.push(i64::from(id - last));
                flat.push(score);
                last = id;
            }
            map.insert(w, serde_json::json!(flat));
        }
        Ok(file(format!("t/{k}.json"), serde_json::to_string(&map)?))
    });
    let section_files = sections.par_chunks(SECTIONS_PER_FILE).enumerate().map(|(k, chunk)| {
        let rows: Vec<serde_json::Value> = chunk
            .iter()
            .map(|s| serde_json::json!([s.url, s.title, s.page, s.first.chars().take(FIRST_CHARS).collect::<String>()]))
            .collect();
        Ok(file(format!("d/{k}.json"), serde_json::to_string(&rows)?))
    });
    let mut out: Vec<OutputFile> = word_files.chain(section_files).collect::<anyhow::Result<_>>()?;
    // The sections of each kind (tool, definition), for the browser's ranking (search-engine.js).
    let mut kinds: std::collections::BTreeMap<&str, Vec<usize>> = [("definition", Vec::new()), ("tool", Vec::new())].into_iter().collect();
    for (i, s) in sections.iter().enumerate() {
        if let Some(list) = kinds.get_mut(s.kind.as_str()) {
            list.push(i);
        }
    }
    // How many sections each page has, in order (a page's sections are numbered one after another):
    // the browser groups results by page from the numbers alone.
    let mut pages: Vec<usize> = Vec::new();
    let mut last_page: Option<&str> = None;
    for s in sections {
        let page = s.url.split('#').next().unwrap_or_default();
        if last_page == Some(page) {
            *pages.last_mut().expect("a page counted") += 1;
        } else {
            pages.push(1);
            last_page = Some(page);
        }
    }
    let meta = serde_json::json!({
        "version": 1,
        "sections": n,
        "word_files": files,
        "sections_per_file": SECTIONS_PER_FILE,
        "synonyms": phrasing.synonyms,
        "fillers": phrasing.fillers,
        "meanings": phrasing.meanings,
        "kinds": kinds,
        "pages": pages,
    });
    out.push(file("meta.json".into(), serde_json::to_string(&meta)?));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_fnv1a() {
        assert_eq!(hash(""), 0x811c_9dc5);
        assert_eq!(hash("a"), 0xe40c_292c);
    }

    /// The JSON of the index file `name` among `files`.
    fn json(files: &[OutputFile], name: &str) -> serde_json::Value {
        let file = files.iter().find(|f| f.path == format!("assets/search/{name}")).unwrap_or_else(|| panic!("{name} written"));
        serde_json::from_slice(&file.bytes).unwrap()
    }

    #[test]
    fn meta_counts_each_page_s_sections_in_order() {
        let s = |url: &str| Section { url: url.into(), title: "标题".into(), ..Default::default() };
        let written = files("assets/search", &[s("/a/"), s("/a/#x"), s("/a/#y"), s("/b/"), s("/c/"), s("/c/#z")], &Phrasing::default()).unwrap();
        let meta = json(&written, "meta.json");
        assert_eq!(meta["pages"], serde_json::json!([3, 1, 2]));
    }

    #[test]
    fn a_heading_match_scores_above_a_body_match() {
        let s = |url: &str, title: &str, body: &str| Section { url: url.into(), title: title.into(), body: body.into(), ..Default::default() };
        let sections = vec![s("/a/", "空壳网站", "说明"), s("/b/", "别的", "空壳网站 空壳网站 空壳网站"), s("/c/", "无关", "无关")];
        let written = files("assets/search", &sections, &Phrasing::default()).unwrap();
        let word_files = json(&written, "meta.json")["word_files"].as_u64().unwrap() as u32;
        let words = json(&written, &format!("t/{}.json", hash("空壳") % word_files));
        let list: Vec<i64> = serde_json::from_value(words["空壳"].clone()).unwrap();
        assert_eq!(list.len(), 4, "two sections: {list:?}");
        assert!(score_of(list[1]) > score_of(list[3]), "the heading match scores more: {list:?}");
        assert!(list[1] < 0 && list[3] > 0, "only the heading match is marked: {list:?}");
        assert_eq!(-list[1] % NAME_CODES, 3, "空壳网站 is three pairs: {list:?}");
    }
}
