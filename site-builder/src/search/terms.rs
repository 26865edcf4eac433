//! The words of the index, made the same way from a page and from a query: Unicode NFKC, lower case,
//! synonyms folded into one spelling (`content/_data/search.toml`), then every run of Chinese
//! characters as overlapping character pairs and every run of Latin letters or digits as one word.
//! Pairs need no dictionary, so the browser splits a query exactly as the builder split the page;
//! `templates/assets/search-engine.js` repeats these rules and must stay in step with this file.

use beian_guide::at;
use beian_guide::problem::Problem;
use unicode_normalization::UnicodeNormalization;

/// The phrasing file: groups of words meaning the same, filler words, and what customers' own
/// words mean on this site.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Phrasing {
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
    #[serde(default)]
    pub fillers: Vec<String>,
    #[serde(default)]
    pub meanings: Vec<Meaning>,
}

/// The meaning layer, read only at query time (the browser's `queryWords`): a query holding any of
/// `when` (网站不做了, 关掉网站) is searched with the words of `means` (注销) added, weighing less
/// than what was typed. Unlike a synonym it replaces nothing, so one description may lead to two
/// tasks (搬到外省 → 变更 and 接入) and the page's own words stay as written.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Meaning {
    pub when: Vec<String>,
    pub means: String,
}

/// At most this many folding passes; the browser folds the same way (`search-engine.js`).
pub const FOLD_PASSES: usize = 3;

/// How many times longer than a word its group's first word may be. One pass grows a text at most
/// this much, so folding grows it at most `MAX_FOLD_GROWTH ^ FOLD_PASSES` (27×) times: a synonym
/// file cannot blow a page or a query up (a 301-character first word for a 1-character word grew
/// each occurrence to about 90,000 characters).
pub const MAX_FOLD_GROWTH: usize = 3;

/// At most this many characters in all synonyms and fillers together: they go to the browser with
/// the first search (today's file lists about 370).
pub const MAX_PHRASING_CHARS: usize = 20_000;
/// The longest synonym or filler, in characters.
pub const MAX_PHRASING_WORD: usize = 40;

/// Folds synonyms: at each position the longest listed word wins and is written as its group's
/// first word (a first word is kept as it is, so folding twice changes nothing).
pub struct Folder {
    /// Every listed word, matched leftmost-longest in one pass over the text, so folding takes
    /// time linear in the text however many words the file lists (trying each word in turn at
    /// each place took 234 s for a 6 MB synonym file); `None` when there are none.
    words: Option<aho_corasick::AhoCorasick>,
    /// The group's first word for each of `words`, by its pattern number.
    written_as: Vec<String>,
}

impl Phrasing {
    /// What `check` reports about the phrasing file: more than it may send the browser, a group of
    /// fewer than two words, or a word whose first word is more than [`MAX_FOLD_GROWTH`] times as
    /// long.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let meaning_words = self.meanings.iter().flat_map(|m| m.when.iter().chain(std::iter::once(&m.means)));
        let listed: usize = self.synonyms.iter().flatten().chain(&self.fillers).chain(meaning_words).map(|w| w.chars().count()).sum();
        if listed > MAX_PHRASING_CHARS {
            problems.push(Problem::new(
                at!["synonyms"],
                format!("the synonyms, fillers and meanings hold {listed} characters: every visitor's first search downloads them, so they may hold at most {MAX_PHRASING_CHARS}"),
            ));
        }
        let synonyms = self.synonyms.iter().enumerate().flat_map(|(g, group)| group.iter().enumerate().map(move |(w, word)| (at!["synonyms", g, w], word)));
        let fillers = self.fillers.iter().enumerate().map(|(w, word)| (at!["fillers", w], word));
        let meanings = self.meanings.iter().enumerate().flat_map(|(m, meaning)| {
            meaning.when.iter().enumerate().map(move |(w, word)| (at!["meanings", m, "when", w], word)).chain(std::iter::once((at!["meanings", m, "means"], &meaning.means)))
        });
        for (m, meaning) in self.meanings.iter().enumerate() {
            if meaning.when.iter().all(|w| normalise(w).trim().is_empty()) {
                problems.push(Problem::new(at!["meanings", m, "when"], "a meaning needs at least one word a customer types (`when`)".to_string()));
            }
            if normalise(&meaning.means).trim().is_empty() {
                problems.push(Problem::new(at!["meanings", m, "means"], "a meaning needs the site's words for it (`means`)".to_string()));
            }
        }
        if let Some((place, word)) = synonyms.chain(fillers).chain(meanings).find(|(_, w)| w.chars().count() > MAX_PHRASING_WORD) {
            problems.push(Problem::new(place, format!("`{}…` is longer than {MAX_PHRASING_WORD} characters: a synonym or filler is a word or a short phrase", word.chars().take(12).collect::<String>())));
        }
        for (g, group) in self.synonyms.iter().enumerate() {
            if group.len() < 2 {
                problems.push(Problem::new(at!["synonyms", g], format!("a synonym group needs two words or more: {group:?}")));
                continue;
            }
            // Every word of the group is written as the first: an empty one erased the others
            // from every text and query (备案 found nothing; red-team 10, F8).
            if let Some(w) = group.iter().position(|word| normalise(word).trim().is_empty()) {
                problems.push(Problem::new(at!["synonyms", g, w], "a synonym may not be empty or blank: every word of its group would be erased from the pages and the queries".to_string()));
                continue;
            }
            let first = normalise(&group[0]).chars().count();
            for (w, word) in group.iter().enumerate().skip(1) {
                let len = normalise(word).chars().count().max(1);
                if first > len * MAX_FOLD_GROWTH {
                    problems.push(Problem::new(at!["synonyms", g, w], format!(
                        "the synonym `{word}` would be written as `{}`, {first} characters for {len}: a group's first word may be at most {MAX_FOLD_GROWTH} times as long as its other words, so folding cannot grow a text without bound",
                        group[0]
                    )));
                }
            }
        }
        problems
    }
}

impl Folder {
    pub fn new(phrasing: &Phrasing) -> Folder {
        let mut seen = std::collections::HashSet::new();
        let (mut words, mut written_as) = (Vec::new(), Vec::new());
        for group in &phrasing.synonyms {
            let Some(first) = group.first() else { continue };
            let first = normalise(first);
            for word in group {
                // A word listed in two groups folds into the first group that lists it.
                let word = normalise(word);
                if !word.is_empty() && seen.insert(word.clone()) {
                    words.push(word);
                    written_as.push(first.clone());
                }
            }
        }
        let words = (!words.is_empty()).then(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(&words)
                .expect("synonyms are bounded by check (MAX_PHRASING_CHARS)")
        });
        Folder { words, written_as }
    }

    /// Folds until nothing changes (at most [`FOLD_PASSES`] passes), so a group may name a phrase
    /// made of other groups' first words: 换服务商 → 更换接入商 → 转接入.
    pub fn fold(&self, text: &str) -> String {
        let (mut text, mut changed) = self.fold_once(text);
        for _ in 1..FOLD_PASSES {
            if !changed {
                break;
            }
            let (again, again_changed) = self.fold_once(&text);
            changed = again_changed && again != text;
            text = again;
        }
        text
    }

    /// One pass, and whether any word was folded.
    fn fold_once(&self, text: &str) -> (String, bool) {
        let Some(words) = &self.words else { return (text.to_string(), false) };
        let mut out = String::with_capacity(text.len());
        let mut from = 0;
        for found in words.find_iter(text) {
            out.push_str(&text[from..found.start()]);
            out.push_str(&self.written_as[found.pattern().as_usize()]);
            from = found.end();
        }
        let changed = from > 0;
        out.push_str(&text[from..]);
        (out, changed)
    }
}

/// NFKC and lower case: full-width digits and letters become plain ones.
pub fn normalise(text: &str) -> String {
    text.nfkc().collect::<String>().to_lowercase()
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// The index words of already normalised and folded text, in order, repeats included.
pub fn words(text: &str, out: &mut Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if is_han(c) {
            while i < chars.len() && is_han(chars[i]) {
                i += 1;
            }
            if i - start == 1 {
                out.push(c.to_string());
            }
            for pair in chars[start..i].windows(2) {
                out.push(pair.iter().collect());
            }
        } else if c.is_ascii_alphanumeric() {
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else {
            i += 1;
        }
    }
}

/// Marks a skip pair, so it never meets a real word.
pub const SKIP_MARK: char = '_';

/// The skip pairs of already normalised and folded text: in every run of three or more Chinese
/// characters, each character with the one after next (`_转入` from 转接入). Only names (headings,
/// page titles) get them: a query pair the index has never seen is most likely a mistyped middle
/// character (转结入, 备按密码), and the browser then looks up the skip pairs around it.
pub fn skip_pairs(text: &str, out: &mut Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && is_han(chars[i]) {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        for k in start..i.saturating_sub(2) {
            out.push([SKIP_MARK, chars[k], chars[k + 2]].iter().collect());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrasing() -> Phrasing {
        Phrasing { synonyms: vec![vec!["帐号".into(), "账号".into()], vec!["更换".into(), "换".into()]], ..Default::default() }
    }

    #[test]
    fn a_meaning_needs_words_on_both_sides_and_counts_toward_the_first_search() {
        let empty = Phrasing { meanings: vec![Meaning { when: vec![" ".into()], means: String::new() }], ..Default::default() };
        let problems = empty.problems();
        assert!(problems.iter().any(|p| p.at == at!["meanings", 0, "when"]), "{problems:?}");
        assert!(problems.iter().any(|p| p.at == at!["meanings", 0, "means"]), "{problems:?}");
        let long = Phrasing { meanings: vec![Meaning { when: vec!["不做了".into()], means: "注".repeat(41) }], ..Default::default() };
        assert!(long.problems().iter().any(|p| p.at == at!["meanings", 0, "means"] && p.message.contains("longer than 40")), "{:?}", long.problems());
        let many = Phrasing { meanings: (0..2000).map(|n| Meaning { when: vec![format!("说法{n}")], means: format!("意思{n}") }).collect(), ..Default::default() };
        assert!(many.problems().iter().any(|p| p.message.contains("at most 20000")), "{:?}", many.problems());
    }

    /// Red-team 10, F8: `synonyms = [["", "备案"]]` erased 备案 from every page and query.
    #[test]
    fn an_empty_synonym_is_refused_at_its_place_regression() {
        for blank in ["", " ", "\u{3000}"] {
            let p = Phrasing { synonyms: vec![vec![blank.into(), "备案".into()]], ..Default::default() };
            assert!(p.problems().iter().any(|p| p.at == at!["synonyms", 0, 0] && p.message.contains("empty or blank")), "{blank:?}: {:?}", p.problems());
        }
    }

    #[test]
    fn synonyms_fold_to_the_first_word_and_folding_twice_changes_nothing() {
        let f = Folder::new(&phrasing());
        assert_eq!(f.fold("账号换了"), "帐号更换了");
        assert_eq!(f.fold("更换帐号"), "更换帐号");
        assert_eq!(f.fold(&f.fold("换账号")), "更换帐号");
    }

    #[test]
    fn a_group_may_name_a_phrase_of_other_groups_first_words() {
        let mut p = phrasing();
        p.synonyms.push(vec!["接入商".into(), "服务商".into()]);
        p.synonyms.push(vec!["转接入".into(), "更换接入商".into()]);
        let f = Folder::new(&p);
        assert_eq!(f.fold("网站换服务商"), "网站转接入");
        assert_eq!(f.fold("更换接入商"), "转接入");
        assert_eq!(f.fold(&f.fold("换服务商")), f.fold("换服务商"));
    }

    #[test]
    fn many_words_with_one_first_character_fold_in_one_pass_regression() {
        // 4,000 words all starting with 备: trying each at every 备 of a 600 KB text was the 234 s
        // build of the attack review; one pass over the text takes milliseconds.
        let mut p = Phrasing { synonyms: (0..4000).map(|n| vec![format!("备{n}"), format!("备x{n}")]).collect(), ..Default::default() };
        p.synonyms.push(vec!["备案".into(), "备過".into()]);
        let f = Folder::new(&p);
        let text = "备過备x12备".repeat(40_000);
        let start = std::time::Instant::now();
        let folded = f.fold(&text);
        assert!(folded.starts_with("备案备12备备案"), "{}", &folded[..30]);
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
    }

    #[test]
    fn a_phrasing_file_that_would_weigh_down_the_first_search_is_refused() {
        let p = Phrasing { synonyms: (0..3000).map(|n| vec![format!("词语{n}"), format!("另一{n}")]).collect(), ..Default::default() };
        assert!(p.problems().iter().any(|m| m.message.contains("at most 20000")), "{:?}", p.problems());
        let p = Phrasing { synonyms: vec![vec!["备案".into(), "备".repeat(41)]], ..Default::default() };
        assert!(p.problems().iter().any(|m| m.message.contains("longer than 40") && m.at == at!["synonyms", 0, 1]), "{:?}", p.problems());
    }

    #[test]
    fn chinese_becomes_pairs_and_codes_stay_whole() {
        let mut w = Vec::new();
        words(&normalise("返回１０４１：首页URL"), &mut w);
        assert_eq!(w, ["返回", "1041", "首页", "url"]);
        w.clear();
        words("九不准", &mut w);
        assert_eq!(w, ["九不", "不准"]);
        w.clear();
        words("壳 a", &mut w);
        assert_eq!(w, ["壳", "a"]);
    }

    #[test]
    fn skip_pairs_join_each_character_to_the_one_after_next_within_a_chinese_run() {
        let mut w = Vec::new();
        skip_pairs("转接入 备案密码 ab 空壳", &mut w);
        assert_eq!(w, ["_转入", "_备密", "_案码"]);
    }
}
