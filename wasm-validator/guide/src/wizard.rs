//! Which filing do I need: the question tree of `/wizard/` (`content/_data/wizard.toml`, handed over
//! as JSON), its consistency checks, and the walk from a list of answers to the next question or
//! the result.
//!
//! ```
//! use beian_guide::wizard::{Step, Tree};
//! let tree: Tree = serde_json::from_str(r#"{
//!   "start": "q",
//!   "questions": [{"id": "q", "asks": "entity", "text": "个人还是单位？", "answers": [
//!     {"value": "personal", "label": "个人", "next": "r1"},
//!     {"value": "organisation", "label": "单位", "next": "r2"}]}],
//!   "results": [
//!     {"id": "r1", "type": "first", "title": "首次备案", "guide": "/guides/first-filing/", "entity": "personal"},
//!     {"id": "r2", "type": "cancel", "title": "注销", "guide": "/guides/cancel/"}]
//! }"#).unwrap();
//! match tree.step(&["personal"]).unwrap() {
//!     Step::Result { result, .. } => assert_eq!(result.filing_type, beian_rules::model::FilingType::First),
//!     Step::Question { .. } => unreachable!(),
//! }
//! ```

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

use beian_rules::model::{FilingType, SubjectKind};

use crate::at;
use crate::problem::Problem;

/// The whole tree.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tree {
    pub start: String,
    pub questions: Vec<Question>,
    pub results: Vec<Outcome>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    /// What the question is about; a path never asks the same thing twice.
    pub asks: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    pub answers: Vec<Answer>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Answer {
    /// Short ASCII value, as it appears in `?a=`.
    pub value: String,
    pub label: String,
    /// A question id or a result id.
    pub next: String,
}

/// A link shown with a result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// A leaf: the filing type, the guide, and the materials case.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outcome {
    pub id: String,
    #[serde(rename = "type")]
    pub filing_type: FilingType,
    pub title: String,
    #[serde(default)]
    pub text: String,
    pub guide: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<SubjectKind>,
    #[serde(default)]
    pub conditions: Vec<String>,
    #[serde(default)]
    pub also: Vec<Link>,
}

/// One answered question on the way, for "your answers so far".
#[derive(Debug, Clone, Serialize)]
pub struct Answered<'a> {
    pub question: &'a Question,
    pub answer: &'a Answer,
}

/// Where a list of answers leads.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Step<'a> {
    Question { question: &'a Question, path: Vec<Answered<'a>> },
    Result { result: &'a Outcome, path: Vec<Answered<'a>> },
}

/// Why a list of answers leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepError {
    /// Answer `index` is not one of the question's values.
    UnknownAnswer { index: usize, question: String, value: String },
    /// More answers than questions on the path.
    TooManyAnswers { index: usize },
    /// The tree itself is broken (validate it first).
    Broken(String),
}

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StepError::UnknownAnswer { index, question, value } => {
                write!(f, "answer {} (`{value}`) is not one of the answers of question `{question}`", index + 1)
            }
            StepError::TooManyAnswers { index } => write!(f, "answer {} comes after the result", index + 1),
            StepError::Broken(m) => write!(f, "the question tree is broken: {m}"),
        }
    }
}

impl std::error::Error for StepError {}

enum Node<'a> {
    Q(&'a Question),
    R(&'a Outcome),
}

impl Tree {
    fn node(&self, id: &str) -> Option<Node<'_>> {
        self.questions
            .iter()
            .find(|q| q.id == id)
            .map(Node::Q)
            .or_else(|| self.results.iter().find(|r| r.id == id).map(Node::R))
    }

    /// Follows `answers` (answer values, in order) from the start.
    pub fn step<S: AsRef<str>>(&self, answers: &[S]) -> Result<Step<'_>, StepError> {
        let mut id = self.start.as_str();
        let mut path = Vec::new();
        let mut i = 0;
        loop {
            match self.node(id) {
                None => return Err(StepError::Broken(format!("`{id}` is neither a question nor a result"))),
                Some(Node::R(result)) => {
                    if i < answers.len() {
                        return Err(StepError::TooManyAnswers { index: i });
                    }
                    return Ok(Step::Result { result, path });
                }
                Some(Node::Q(question)) => {
                    let Some(value) = answers.get(i) else {
                        return Ok(Step::Question { question, path });
                    };
                    let value = value.as_ref().trim();
                    let answer = question.answers.iter().find(|a| a.value == value).ok_or_else(|| StepError::UnknownAnswer {
                        index: i,
                        question: question.id.clone(),
                        value: value.to_string(),
                    })?;
                    path.push(Answered { question, answer });
                    id = answer.next.as_str();
                    i += 1;
                    if i > self.questions.len() {
                        return Err(StepError::Broken("a path longer than the number of questions: there is a loop".into()));
                    }
                }
            }
        }
    }

    /// Every path from the start to a result, as answer values (depth first, in answer order).
    pub fn paths(&self) -> Vec<(Vec<String>, String)> {
        let mut out = Vec::new();
        let mut stack = vec![(self.start.clone(), Vec::<String>::new())];
        while let Some((id, answers)) = stack.pop() {
            match self.node(&id) {
                Some(Node::Q(q)) if answers.len() <= self.questions.len() => {
                    for a in q.answers.iter().rev() {
                        let mut next = answers.clone();
                        next.push(a.value.clone());
                        stack.push((a.next.clone(), next));
                    }
                }
                Some(Node::R(r)) => out.push((answers, r.id.clone())),
                _ => {}
            }
        }
        out
    }

    /// Every problem with the tree, in words the content team can act on; empty when it is sound.
    pub fn validate(&self) -> Vec<Problem> {
        let mut errors = Vec::new();
        if self.questions.len() > MAX_QUESTIONS {
            // The walk keeps what each path has asked: a chain of N questions holds N²/2 of them.
            errors.push(Problem::new(at!["questions"], format!("{} questions: a wizard may have at most {MAX_QUESTIONS} (this site's has a dozen)", self.questions.len())));
            return errors;
        }
        let mut ids = BTreeSet::new();
        let questions = self.questions.iter().enumerate().map(|(i, q)| (at!["questions", i, "id"], &q.id));
        let results = self.results.iter().enumerate().map(|(i, r)| (at!["results", i, "id"], &r.id));
        for (place, id) in questions.chain(results) {
            if !ids.insert(id.as_str()) {
                errors.push(Problem::new(place, format!("id `{id}` is used twice (questions and results share one set of ids)")));
            }
        }
        if self.node(&self.start).is_none() {
            errors.push(Problem::new(at!["start"], format!("start `{}` is not a question", self.start)));
        }
        for (i, q) in self.questions.iter().enumerate() {
            if q.answers.len() < 2 {
                errors.push(Problem::new(at!["questions", i, "id"], format!("question `{}` has fewer than two answers", q.id)));
            }
            if q.answers.len() > MAX_ANSWERS {
                errors.push(Problem::new(at!["questions", i, "answers"], format!("question `{}` has {} answers: a question may have at most {MAX_ANSWERS} (a customer reads them all)", q.id, q.answers.len())));
                continue;
            }
            let mut values = BTreeSet::new();
            for (k, a) in q.answers.iter().enumerate() {
                if !values.insert(a.value.as_str()) {
                    errors.push(Problem::new(at!["questions", i, "answers", k, "value"], format!("question `{}`: answer value `{}` is used twice", q.id, a.value)));
                }
                if a.value.is_empty() || !a.value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                    errors.push(Problem::new(
                        at!["questions", i, "answers", k, "value"],
                        format!("question `{}`: answer value `{}` must be ASCII letters, digits or `-` (it goes into the link)", q.id, a.value),
                    ));
                }
                if self.node(&a.next).is_none() {
                    errors.push(Problem::new(
                        at!["questions", i, "answers", k, "next"],
                        format!("question `{}`: answer `{}` leads to `{}`, which is neither a question nor a result", q.id, a.value, a.next),
                    ));
                }
            }
        }
        for (i, r) in self.results.iter().enumerate() {
            if !(r.guide.starts_with("/guides/") && r.guide.ends_with('/')) {
                errors.push(Problem::new(at!["results", i, "guide"], format!("result `{}`: guide `{}` is not a /guides/<slug>/ path", r.id, r.guide)));
            }
        }
        if !errors.is_empty() {
            return errors;
        }
        // Walk every path: no loop, nothing asked twice, and see what is reached. A question reached
        // again with the same things asked before it goes the same way, so each (question, asked)
        // state is walked once: a chain of 30 questions whose two answers both lead on had 2^30
        // paths and kept `check` busy for minutes. States are bounded too, with an error.
        // A state is a question (or result) with the set of things asked before it; each set is
        // kept once and named by its number, so a state is two words and a question's answers that
        // lead to the same place are one step (a 1,000-question chain of 250 answers each copied
        // the path for every answer: 2.8 GB).
        let mut reached: BTreeSet<&str> = BTreeSet::new();
        let mut sets: Vec<Vec<&str>> = vec![Vec::new()];
        let mut set_numbers: BTreeMap<Vec<&str>, usize> = BTreeMap::from([(Vec::new(), 0)]);
        let mut queued: BTreeSet<(&str, usize)> = BTreeSet::from([(self.start.as_str(), 0)]);
        let mut repeated: BTreeSet<usize> = BTreeSet::new();
        let mut stack: Vec<(&str, usize)> = vec![(self.start.as_str(), 0)];
        while let Some((id, set)) = stack.pop() {
            reached.insert(id);
            let Some(Node::Q(q)) = self.node(id) else { continue };
            let asked = &sets[set];
            if asked.binary_search(&q.asks.as_str()).is_ok() {
                let i = self.questions.iter().position(|x| std::ptr::eq(x, q)).unwrap_or(0);
                if repeated.insert(i) {
                    errors.push(Problem::new(at!["questions", i, "asks"], format!("question `{}` asks `{}` again on a path that has already asked it (asked before: {})", q.id, q.asks, asked.join(", "))));
                }
                continue;
            }
            let mut after = asked.clone();
            let at = after.binary_search(&q.asks.as_str()).unwrap_err();
            after.insert(at, q.asks.as_str());
            let next_set = match set_numbers.get(&after) {
                Some(&n) => n,
                None => {
                    sets.push(after.clone());
                    set_numbers.insert(after, sets.len() - 1);
                    sets.len() - 1
                }
            };
            for a in &q.answers {
                if queued.insert((a.next.as_str(), next_set)) {
                    if queued.len() > MAX_WALK_STATES {
                        errors.push(Problem::new(at!["questions"], format!("the questions can be answered in more than {MAX_WALK_STATES} different ways before a result: a wizard needs far fewer, so make it simpler (fewer questions that every path asks)")));
                        return errors;
                    }
                    stack.push((a.next.as_str(), next_set));
                }
            }
        }
        let questions = self.questions.iter().enumerate().map(|(i, q)| (at!["questions", i, "id"], &q.id));
        let results = self.results.iter().enumerate().map(|(i, r)| (at!["results", i, "id"], &r.id));
        for (place, id) in questions.chain(results) {
            if !reached.contains(id.as_str()) {
                errors.push(Problem::new(place, format!("`{id}` cannot be reached from the start")));
            }
        }
        let types: BTreeSet<FilingType> = self.results.iter().filter(|r| reached.contains(r.id.as_str())).map(|r| r.filing_type).collect();
        for t in FilingType::ALL {
            if !types.contains(&t) {
                errors.push(Problem::new(at!["results"], format!("no result leads to the filing type `{t}`")));
            }
        }
        errors
    }

    /// The results by id.
    pub fn results_by_id(&self) -> BTreeMap<&str, &Outcome> {
        self.results.iter().map(|r| (r.id.as_str(), r)).collect()
    }
}

/// `?a=never,organisation,no` → the answer values.
pub fn parse_answers(param: &str) -> Vec<String> {
    param.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// The most (question, things asked before it) states the check of a wizard walks: this site's
/// wizard has a few dozen.
pub const MAX_WALK_STATES: usize = 100_000;

/// The most questions a wizard may have.
pub const MAX_QUESTIONS: usize = 2_000;

/// The most answers a question may offer: this site's have two to five.
pub const MAX_ANSWERS: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: &str, asks: &str, answers: &[(&str, &str)]) -> Question {
        Question {
            id: id.into(),
            asks: asks.into(),
            text: id.into(),
            hint: None,
            answers: answers.iter().map(|(v, n)| Answer { value: v.to_string(), label: v.to_string(), next: n.to_string() }).collect(),
        }
    }

    fn r(id: &str, t: FilingType) -> Outcome {
        Outcome { id: id.into(), filing_type: t, title: id.into(), text: String::new(), guide: format!("/guides/{t}/"), entity: None, conditions: vec![], also: vec![] }
    }

    /// A small sound tree reaching every filing type.
    fn sound() -> Tree {
        Tree {
            start: "task".into(),
            questions: vec![
                q("task", "task", &[("open", "filed"), ("change", "change"), ("cancel", "cancel")]),
                q("filed", "subject", &[("never", "first"), ("here", "new-site"), ("elsewhere", "site")]),
                q("site", "site", &[("new", "nosubject"), ("filed", "transfer")]),
            ],
            results: FilingType::ALL.iter().map(|&t| r(if t == FilingType::NewSiteNoSubject { "nosubject" } else { t.id() }, t)).collect(),
        }
    }

    /// `sound()` with `n` more questions in front, a chain whose two answers both lead on: 2^n paths.
    fn chained(n: usize, asks: impl Fn(usize) -> String) -> Tree {
        let mut t = sound();
        let next = |i: usize| if i + 1 == n { t.start.clone() } else { format!("c{}", i + 1) };
        let chain: Vec<Question> = (0..n).map(|i| q(&format!("c{i}"), &asks(i), &[("a", &next(i)), ("b", &next(i))])).collect();
        t.questions.splice(0..0, chain);
        t.start = "c0".into();
        t
    }

    /// Red-team 6, F1: the check walked every path; 30 chained questions (2^30 paths, 5.7 KB of
    /// wizard.toml) kept `check`, `build` and `serve` busy for minutes.
    #[test]
    fn a_chain_of_questions_is_checked_in_linear_time_regression() {
        let t = chained(40, |i| format!("topic-{i}"));
        let started = std::time::Instant::now();
        assert_eq!(t.validate(), Vec::<Problem>::new());
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    }

    /// Red-team 7, F7: the walk copied the path asked so far for every answer (a 1,000-question
    /// chain of 250 answers each: 2.8 GB); a question now has at most [`MAX_ANSWERS`] answers, and
    /// answers that lead to the same place are walked once.
    #[test]
    fn a_long_chain_of_many_answers_is_walked_once_a_state_regression() {
        let mut t = chained(1, |i| format!("topic-{i}"));
        let n = 1_500;
        let chain: Vec<Question> = (0..n)
            .map(|i| {
                let next = if i + 1 == n { "c0".to_string() } else { format!("d{}", i + 1) };
                let answers: Vec<(String, String)> = (0..MAX_ANSWERS).map(|k| (format!("a{k}"), next.clone())).collect();
                let answers: Vec<(&str, &str)> = answers.iter().map(|(v, n)| (v.as_str(), n.as_str())).collect();
                q(&format!("d{i}"), &format!("deep-{i}"), &answers)
            })
            .collect();
        t.questions.splice(0..0, chain);
        t.start = "d0".into();
        let started = std::time::Instant::now();
        assert_eq!(t.validate(), Vec::<Problem>::new());
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
        t.questions[0].answers.push(Answer { value: "more".into(), label: "more".into(), next: "d1".into() });
        assert!(t.validate().iter().any(|e| e.message.contains(&format!("{} answers: a question may have at most {MAX_ANSWERS}", MAX_ANSWERS + 1))));
    }

    /// Paths that differ in what they asked cannot share their walk: past a bound, an error.
    #[test]
    fn a_wizard_with_too_many_different_paths_is_an_error() {
        // Pairs of questions: each answer of a pair's first question leads to one of two second
        // questions asking different things, so every pair doubles the distinct paths.
        let mut t = sound();
        let n = 20;
        let mut chain = Vec::new();
        for i in 0..n {
            let next = if i + 1 == n { t.start.clone() } else { format!("p{}", i + 1) };
            chain.push(q(&format!("p{i}"), &format!("pair-{i}"), &[("a", &format!("x{i}")), ("b", &format!("y{i}"))]));
            chain.push(q(&format!("x{i}"), &format!("x-{i}"), &[("a", &next), ("b", &next)]));
            chain.push(q(&format!("y{i}"), &format!("y-{i}"), &[("a", &next), ("b", &next)]));
        }
        t.questions.splice(0..0, chain);
        t.start = "p0".into();
        let errors = t.validate();
        assert!(errors.iter().any(|e| e.message.contains("more than 100000 different ways")), "{errors:?}");
    }

    #[test]
    fn a_sound_tree_passes_and_steps() {
        let t = sound();
        assert_eq!(t.validate(), Vec::<Problem>::new());
        match t.step::<&str>(&[]).unwrap() {
            Step::Question { question, path } => {
                assert_eq!(question.id, "task");
                assert!(path.is_empty());
            }
            _ => panic!(),
        }
        match t.step(&["open", "elsewhere"]).unwrap() {
            Step::Question { question, path } => {
                assert_eq!(question.id, "site");
                assert_eq!(path.len(), 2);
                assert_eq!(path[1].answer.value, "elsewhere");
            }
            _ => panic!(),
        }
        match t.step(&["open", "elsewhere", "filed"]).unwrap() {
            Step::Result { result, .. } => assert_eq!(result.filing_type, FilingType::Transfer),
            _ => panic!(),
        }
        assert_eq!(t.paths().len(), 6);
    }

    #[test]
    fn wrong_answers_are_errors() {
        let t = sound();
        assert_eq!(t.step(&["open", "maybe"]).unwrap_err(), StepError::UnknownAnswer { index: 1, question: "filed".into(), value: "maybe".into() });
        assert_eq!(t.step(&["change", "more"]).unwrap_err(), StepError::TooManyAnswers { index: 1 });
        assert_eq!(parse_answers(" open, elsewhere,,filed "), vec!["open", "elsewhere", "filed"]);
    }

    #[test]
    fn an_unreachable_result_and_a_missing_type_are_reported() {
        let mut t = sound();
        t.questions[0].answers.pop(); // nothing leads to cancel any more
        let errors = t.validate();
        let cancel = t.results.iter().position(|r| r.id == "cancel").unwrap();
        assert!(errors.iter().any(|e| e.message.contains("`cancel` cannot be reached") && e.at == at!["results", cancel, "id"]), "{errors:?}");
        assert!(errors.iter().any(|e| e.message.contains("filing type `cancel`")), "{errors:?}");
    }

    #[test]
    fn an_answer_leading_nowhere_is_reported() {
        let mut t = sound();
        t.questions[2].answers[0].next = "nowhere".into();
        assert!(t.validate().iter().any(|e| e.message.contains("leads to `nowhere`") && e.at == at!["questions", 2, "answers", 0, "next"]));
    }

    #[test]
    fn a_question_asked_twice_on_one_path_is_reported() {
        let mut t = sound();
        t.questions[2].asks = "subject".into();
        let errors = t.validate();
        assert!(errors.iter().any(|e| e.message.contains("asks `subject` again")), "{errors:?}");
        // A loop is the same thing asked again.
        let mut t = sound();
        t.questions[2].answers[0].next = "filed".into();
        assert!(t.validate().iter().any(|e| e.message.contains("again")));
        assert!(matches!(t.step(&["open", "elsewhere", "new", "elsewhere", "new", "elsewhere"]), Err(StepError::Broken(_))));
    }

    #[test]
    fn bad_values_and_types_are_reported() {
        let mut t = sound();
        t.questions[0].answers[0].value = "开通".into();
        t.results[1].guide = "/faq/x/".into();
        let errors = t.validate();
        assert_eq!(errors.iter().map(|e| e.at.clone()).collect::<Vec<_>>(), [at!["questions", 0, "answers", 0, "value"], at!["results", 1, "guide"]], "{errors:?}");
        // An unknown filing type is not a tree at all: reading the data says so.
        let json = serde_json::to_string(&sound()).unwrap().replacen("\"type\":\"first\"", "\"type\":\"renew\"", 1);
        let e = serde_json::from_str::<Tree>(&json).unwrap_err().to_string();
        assert!(e.contains("unknown variant `renew`"), "{e}");
    }

    /// The repository's own tree: sound, every result reached, and each result's materials case
    /// names conditions that exist.
    #[test]
    fn the_real_wizard_data_is_sound() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/_data");
        let text = std::fs::read_to_string(dir.join("wizard.toml")).unwrap();
        let tree: Tree = toml::from_str(&text).unwrap();
        assert_eq!(tree.validate(), Vec::<Problem>::new());
        let materials: crate::materials::Materials = toml::from_str(&std::fs::read_to_string(dir.join("materials.toml")).unwrap()).unwrap();
        let paths = tree.paths();
        let reached: BTreeSet<&str> = paths.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(reached.len(), tree.results.len());
        for (answers, id) in &paths {
            match tree.step(answers).unwrap() {
                Step::Result { result, path } => {
                    assert_eq!(&result.id, id);
                    assert_eq!(path.len(), answers.len());
                    for c in &result.conditions {
                        assert!(materials.conditions.contains_key(c), "result {id}: unknown condition {c}");
                    }
                    // A result with a materials case has a checklist, and it is not empty.
                    if let Some(entity) = result.entity {
                        let list = materials.checklist(entity, result.filing_type, &result.conditions);
                        assert!(!list.is_empty(), "result {id} has no materials");
                    }
                }
                _ => panic!("{answers:?} does not end on a result"),
            }
        }
        // The customer who does not know the words: "opened here never, single person" → first filing.
        match tree.step(&["open", "never", "personal"]).unwrap() {
            Step::Result { result, .. } => assert_eq!(result.guide, "/guides/first-filing/"),
            _ => panic!(),
        }
        match tree.step(&["open", "elsewhere", "new", "organisation"]).unwrap() {
            Step::Result { result, .. } => assert_eq!(result.filing_type, FilingType::NewSiteNoSubject),
            _ => panic!(),
        }
    }
}
