//! What paper to bring: the checklist of `/materials/` for a subject type, a filing type and the
//! conditions that hold, from the materials data (`content/_data/materials.toml`, handed over as
//! JSON).
//!
//! A document without `when` is always on the list of its entity and type; one with `when` only
//! while that condition holds. Conditions are either choices the customer makes (yes/no) or
//! derived from them (`[derived]`: all of these hold and none of those).
//!
//! Where the sources say nothing about a document's copy count or scan, the data says so
//! (`copies = "unstated"`, `upload = "unstated"`) and the pages print the customer's wording from
//! `[labels]` ("以接入商通知为准", "按系统提示上传") instead of a guess. An upload that differs between
//! providers names a `[provider]` setting of site.toml (`upload = { provider = "KEY" }`, true or
//! false), which the pages look up.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

use beian_rules::model::{FilingType, SubjectKind};

use crate::at;
use crate::problem::Problem;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Materials {
    /// Condition id → label.
    pub conditions: BTreeMap<String, String>,
    #[serde(default)]
    pub derived: BTreeMap<String, Derived>,
    /// The wording for values the data leaves open (`copies-unstated`, `upload-unstated`, …).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    pub documents: Vec<Document>,
}

/// The labels every materials file must give (see [`Materials::validate`]).
pub const LABELS: [&str; 4] = ["copies-unstated", "upload-yes", "upload-no", "upload-unstated"];

/// A word the data writes instead of a number or a yes/no: the sources do not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unstated {
    Unstated,
}

/// How many paper copies to post: a count, or not stated by the sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Copies {
    Count(u32),
    Unstated(Unstated),
}

/// Whether a scan is uploaded in the filing system: yes, no, not stated, or a provider setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Upload {
    Known(bool),
    Unstated(Unstated),
    /// `{ provider = "KEY" }`: the boolean `KEY` of `[provider]` in site.toml decides.
    Setting { provider: String },
}

impl Default for Upload {
    fn default() -> Self {
        Upload::Unstated(Unstated::Unstated)
    }
}

/// A condition that follows from others.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Derived {
    #[serde(default)]
    pub all: Vec<String>,
    #[serde(default)]
    pub none: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Document {
    pub id: String,
    pub name: String,
    pub entity: Vec<SubjectKind>,
    pub types: Vec<FilingType>,
    pub copies: Copies,
    pub signing: String,
    #[serde(default)]
    pub upload: Upload,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Materials {
    /// The conditions a customer chooses (every condition that is not derived), in id order.
    pub fn choices(&self) -> Vec<&str> {
        self.conditions.keys().filter(|c| !self.derived.contains_key(*c)).map(String::as_str).collect()
    }

    /// Whether condition `id` holds when exactly the choices in `chosen` are made.
    pub fn holds<S: AsRef<str>>(&self, id: &str, chosen: &[S]) -> bool {
        let has = |c: &str| chosen.iter().any(|s| s.as_ref() == c);
        match self.derived.get(id) {
            Some(d) => d.all.iter().all(|c| has(c)) && !d.none.iter().any(|c| has(c)),
            None => has(id),
        }
    }

    /// Every document of one case (`entity` and `filing_type`), whatever the conditions, in the
    /// data's order: the one filter that the materials tables, the checklist and the site builder use.
    pub fn for_case(&self, entity: SubjectKind, filing_type: FilingType) -> impl Iterator<Item = &Document> {
        self.documents.iter().filter(move |d| d.entity.contains(&entity) && d.types.contains(&filing_type))
    }

    /// The documents for `entity` and `filing_type` under the chosen conditions, in the data's order.
    /// Unknown choices are ignored; change and cancel have no list in the data (empty).
    pub fn checklist<S: AsRef<str>>(&self, entity: SubjectKind, filing_type: FilingType, chosen: &[S]) -> Vec<&Document> {
        self.for_case(entity, filing_type).filter(|d| d.when.as_deref().is_none_or(|w| self.holds(w, chosen))).collect()
    }

    /// The choices that change anything for `entity` and `filing_type` (the others need not be asked).
    pub fn relevant_choices(&self, entity: SubjectKind, filing_type: FilingType) -> Vec<&str> {
        let whens: BTreeSet<&str> = self.for_case(entity, filing_type).filter_map(|d| d.when.as_deref()).collect();
        self.choices()
            .into_iter()
            .filter(|c| whens.iter().any(|w| w == c || self.derived.get(*w).is_some_and(|d| d.all.iter().chain(&d.none).any(|x| x == c))))
            .collect()
    }

    /// Every problem with the data; empty when it is sound.
    pub fn validate(&self) -> Vec<Problem> {
        let mut errors = Vec::new();
        for (id, d) in &self.derived {
            if !self.conditions.contains_key(id) {
                errors.push(Problem::new(at!["derived", id.as_str()], format!("derived condition `{id}` has no label in [conditions]")));
            }
            for c in d.all.iter().chain(&d.none) {
                if !self.conditions.contains_key(c) || self.derived.contains_key(c) {
                    errors.push(Problem::new(at!["derived", id.as_str()], format!("derived condition `{id}` uses `{c}`, which is not a condition the customer chooses")));
                }
            }
        }
        for l in LABELS {
            if self.labels.get(l).is_none_or(|t| t.trim().is_empty()) {
                errors.push(Problem::new(at!["labels"], format!("[labels] needs `{l}`: the wording shown for that value")));
            }
        }
        let mut seen: BTreeMap<(String, SubjectKind, FilingType, Option<String>), usize> = BTreeMap::new();
        for (i, d) in self.documents.iter().enumerate() {
            let name = format!("document {} (`{}`)", i + 1, d.id);
            let at = |key: &str| at!["documents", i, key];
            if d.entity.is_empty() || d.types.is_empty() {
                errors.push(Problem::new(at(if d.entity.is_empty() { "entity" } else { "types" }), format!("{name}: needs at least one entity and one type")));
            }
            if d.copies == Copies::Count(0) {
                errors.push(Problem::new(at("copies"), format!("{name}: copies = 0: write the number of paper copies, or \"unstated\" where the sources do not give one")));
            }
            if let Upload::Setting { provider } = &d.upload {
                if provider.trim().is_empty() {
                    errors.push(Problem::new(at("upload"), format!("{name}: upload = {{ provider = … }} needs the name of a [provider] setting in site.toml")));
                }
            }
            if let Some(w) = &d.when {
                if !self.conditions.contains_key(w) {
                    errors.push(Problem::new(at("when"), format!("{name}: when `{w}` is not in [conditions]")));
                }
            }
            // A value written twice in `entity` or `types` is one problem at its second place, and
            // the cases below are made from each value once: the product of two lists that repeat
            // values made entity × types problems (400 × 400: 160,000, one line each).
            let entities = once_each(&d.entity, |k, e| errors.push(Problem::new(at!["documents", i, "entity", k], format!("{name}: entity `{e}` is written twice: each once"))));
            let types = once_each(&d.types, |k, t| errors.push(Problem::new(at!["documents", i, "types", k], format!("{name}: type `{t}` is written twice: each once"))));
            for e in &entities {
                for t in &types {
                    if let Some(j) = seen.insert((d.id.clone(), *e, *t, d.when.clone()), i) {
                        errors.push(Problem::new(at("id"), format!("{name}: the same document as document {} for {e} / {t}", j + 1)));
                    }
                }
            }
        }
        errors
    }
}

/// The values of `list` in order, each once; `repeated(k, value)` for each value that was already
/// listed, once per value, at the position of its second place.
fn once_each<T: Ord + Copy>(list: &[T], mut repeated: impl FnMut(usize, T)) -> Vec<T> {
    let mut seen = BTreeSet::new();
    let mut reported = BTreeSet::new();
    let mut once = Vec::new();
    for (k, &value) in list.iter().enumerate() {
        if seen.insert(value) {
            once.push(value);
        } else if reported.insert(value) {
            repeated(k, value);
        }
    }
    once
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real() -> Materials {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/_data/materials.toml");
        toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn ids(list: &[&Document]) -> Vec<String> {
        list.iter().map(|d| d.id.clone()).collect()
    }

    const NONE: [&str; 0] = [];

    fn k(s: &str) -> SubjectKind {
        serde_json::from_value(serde_json::Value::from(s)).unwrap()
    }

    fn f(s: &str) -> FilingType {
        serde_json::from_value(serde_json::Value::from(s)).unwrap()
    }

    #[test]
    fn the_real_materials_data_is_sound() {
        let m = real();
        assert_eq!(m.validate(), Vec::<Problem>::new());
        assert_eq!(m.choices(), vec!["commercial", "pre-approval", "principal-not-legal-rep", "renamed", "verified-before"]);
        // Every list of a type with materials is non-empty, for both subject types.
        for t in ["first", "new-site", "new-site-no-subject", "transfer"] {
            for e in SubjectKind::ALL {
                assert!(!m.checklist(e, f(t), &NONE).is_empty(), "{e} {t}");
            }
        }
        for t in ["change", "cancel"] {
            assert!(m.checklist(k("organisation"), f(t), &NONE).is_empty());
        }
    }

    #[test]
    fn first_filing_lists() {
        let m = real();
        assert_eq!(
            ids(&m.checklist(k("organisation"), f("first"), &NONE)),
            ["verification-form", "security-agreement", "organisation-certificate", "legal-rep-id", "domain-certificate"]
        );
        assert_eq!(ids(&m.checklist(k("personal"), f("first"), &NONE)), ["verification-form", "security-agreement", "domain-certificate", "personal-id"]);
        let transfer = m.checklist(k("organisation"), f("transfer"), &NONE);
        assert!(transfer.iter().all(|d| d.copies == Copies::Count(2)));
        assert_eq!(m.checklist(k("organisation"), f("first"), &NONE)[1].copies, Copies::Count(1), "first filing: one security agreement");
        // Where the sources give no count, the data says so rather than guessing.
        let letter = m.checklist(k("organisation"), f("transfer"), &["principal-not-legal-rep"]).into_iter().find(|d| d.id == "authorisation-letter").unwrap();
        assert_eq!(letter.copies, Copies::Unstated(Unstated::Unstated));
        let agreement = &m.checklist(k("personal"), f("first"), &NONE)[1];
        assert_eq!(agreement.upload, Upload::Setting { provider: "security_agreement_upload".into() });
    }

    /// Each choice adds or removes exactly the documents that depend on it, for every case.
    #[test]
    fn each_condition_adds_or_removes_exactly_its_documents() {
        let m = real();
        // (entity, type, choice, added, removed)
        type Case<'a> = (&'a str, &'a str, &'a str, &'a [&'a str], &'a [&'a str]);
        let expect: &[Case] = &[
            ("organisation", "first", "commercial", &["telecom-licence"], &[]),
            ("organisation", "first", "principal-not-legal-rep", &["principal-id", "authorisation-letter"], &[]),
            ("organisation", "first", "renamed", &["rename-proof"], &[]),
            ("organisation", "first", "pre-approval", &["pre-approval-document"], &[]),
            ("personal", "first", "pre-approval", &["pre-approval-document"], &[]),
            ("personal", "first", "commercial", &[], &[]),
            ("organisation", "transfer", "principal-not-legal-rep", &["principal-id", "authorisation-letter"], &[]),
            ("organisation", "transfer", "pre-approval", &[], &[]),
            ("organisation", "new-site-no-subject", "principal-not-legal-rep", &["principal-id", "authorisation-letter"], &[]),
            ("personal", "new-site-no-subject", "pre-approval", &["pre-approval-document"], &[]),
            (
                "organisation",
                "new-site",
                "verified-before",
                &["verified-before-note"],
                &["security-agreement", "organisation-certificate", "legal-rep-id", "domain-certificate"],
            ),
            ("personal", "new-site", "verified-before", &["verified-before-note"], &["security-agreement", "domain-certificate", "personal-id"]),
            ("organisation", "new-site", "principal-not-legal-rep", &["principal-id", "authorisation-letter"], &[]),
        ];
        for (entity, t, choice, added, removed) in expect {
            let before: BTreeSet<String> = ids(&m.checklist(k(entity), f(t), &NONE)).into_iter().collect();
            let after: BTreeSet<String> = ids(&m.checklist(k(entity), f(t), &[*choice])).into_iter().collect();
            let want = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<BTreeSet<String>>();
            assert_eq!(after.difference(&before).cloned().collect::<BTreeSet<_>>(), want(added), "{entity} {t} +{choice}: added");
            assert_eq!(before.difference(&after).cloned().collect::<BTreeSet<_>>(), want(removed), "{entity} {t} +{choice}: removed");
        }
        // Previously verified *and* principal is not the legal representative: the verified case wins.
        let both = ids(&m.checklist(k("organisation"), f("new-site"), &["verified-before", "principal-not-legal-rep"]));
        assert_eq!(both, ["verification-form", "verified-before-note"]);
    }

    /// The general rule, over every case: a choice changes exactly the documents whose condition
    /// depends on it, and nothing else.
    #[test]
    fn a_choice_never_touches_unconditional_documents() {
        let m = real();
        for e in SubjectKind::ALL {
            for t in FilingType::ALL {
                for c in m.choices() {
                    let before = m.checklist(e, t, &NONE);
                    let after = m.checklist(e, t, &[c]);
                    for d in before.iter().chain(after.iter()) {
                        let changed = before.contains(d) != after.contains(d);
                        let depends = d.when.as_deref().is_some_and(|w| w == c || m.derived.get(w).is_some_and(|r| r.all.iter().chain(&r.none).any(|x| x == c)));
                        assert!(!changed || depends, "{e} {t} {c}: {} changed without depending on it", d.id);
                    }
                }
                assert!(m.relevant_choices(e, t).iter().all(|c| m.choices().contains(c)));
            }
        }
        assert_eq!(m.relevant_choices(k("personal"), f("new-site")), vec!["pre-approval", "verified-before"]);
        assert_eq!(m.relevant_choices(k("organisation"), f("first")), vec!["commercial", "pre-approval", "principal-not-legal-rep", "renamed"]);
    }

    #[test]
    fn the_three_forms_of_copies_and_upload_read_and_write_back() {
        let d: Document = toml::from_str(
            "id = \"a\"\nname = \"A\"\nentity = [\"personal\"]\ntypes = [\"first\"]\ncopies = \"unstated\"\nsigning = \"—\"\nupload = { provider = \"k\" }\n",
        )
        .unwrap();
        assert_eq!(d.copies, Copies::Unstated(Unstated::Unstated));
        assert_eq!(d.upload, Upload::Setting { provider: "k".into() });
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["copies"], "unstated");
        assert_eq!(json["upload"]["provider"], "k");
        let d: Document = toml::from_str("id = \"a\"\nname = \"A\"\nentity = [\"personal\"]\ntypes = [\"first\"]\ncopies = 2\nsigning = \"—\"\n").unwrap();
        assert_eq!((d.copies, d.upload), (Copies::Count(2), Upload::Unstated(Unstated::Unstated)), "no upload given: not stated");
        assert!(toml::from_str::<Document>("id = \"a\"\nname = \"A\"\nentity = []\ntypes = []\ncopies = \"two\"\nsigning = \"\"\n").is_err());
    }

    /// Review 7's finding 3: a document whose `entity` and `types` repeat values made one "the same
    /// document" problem per pair (entity × types of them), each placed by a parse of the file.
    #[test]
    fn repeated_entities_and_types_are_one_problem_each_regression() {
        let mut m = real();
        let mut d = m.documents[0].clone();
        d.id = "twice".into();
        d.entity = vec![k("personal"), k("personal"), k("organisation"), k("personal")];
        d.types = vec![f("first"); 400];
        m.documents.push(d);
        let n = m.documents.len();
        let errors = m.validate();
        assert_eq!(errors.len(), 2, "{:?}", &errors[..errors.len().min(3)]);
        assert_eq!(errors[0].at, at!["documents", n - 1, "entity", 1]);
        assert!(errors[0].message.contains("entity `personal` is written twice"), "{errors:?}");
        assert_eq!(errors[1].at, at!["documents", n - 1, "types", 1]);
        assert!(errors[1].message.contains("type `first` is written twice"), "{errors:?}");
    }

    #[test]
    fn broken_data_is_reported() {
        let mut m = real();
        m.documents[0].when = Some("rainy".into());
        m.derived.insert("x".into(), Derived { all: vec!["nothing".into()], none: vec![] });
        m.documents[2].copies = Copies::Count(0);
        m.documents[3].upload = Upload::Setting { provider: " ".into() };
        m.labels.remove("upload-unstated");
        let errors = m.validate();
        assert!(errors.iter().any(|e| e.message.contains("document 3") && e.message.contains("copies = 0") && e.at == at!["documents", 2, "copies"]), "{errors:?}");
        assert!(errors.iter().any(|e| e.message.contains("document 4") && e.message.contains("[provider] setting") && e.at == at!["documents", 3, "upload"]), "{errors:?}");
        assert!(errors.iter().any(|e| e.message.contains("`upload-unstated`") && e.at == at!["labels"]), "{errors:?}");
        assert!(errors.iter().any(|e| e.message.contains("`rainy`") && e.at == at!["documents", 0, "when"]), "{errors:?}");
        // An unknown filing type is not materials data at all: reading it says so.
        let e = toml::from_str::<Document>("id = \"a\"\nname = \"A\"\nentity = [\"personal\"]\ntypes = [\"renew\"]\ncopies = 1\nsigning = \"—\"\n").unwrap_err();
        assert!(e.to_string().contains("unknown variant `renew`"), "{e}");
        assert!(errors.iter().any(|e| e.message.contains("`nothing`")), "{errors:?}");
        assert!(errors.iter().any(|e| e.message.contains("derived condition `x` has no label") && e.at == at!["derived", "x"]), "{errors:?}");
    }
}
