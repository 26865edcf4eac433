//! The guide's data from the plain objects the pages fetch (`/assets/data/wizard.json`,
//! `/assets/data/materials.json`), in the same shape serde reads on the native side.

use std::collections::BTreeMap;

use wasm_bindgen::prelude::*;

use beian_browser_glue::{absent, word, Reader};
use beian_guide::materials::{Copies, Derived, Document, Materials, Unstated, Upload};
use beian_guide::wizard::{Answer, Link, Outcome, Question, Tree};
use beian_rules::model::{FilingType, SubjectKind};

/// `personal` or `organisation` (`unit` is read too).
pub fn subject_kind(text: &str) -> Result<SubjectKind, String> {
    if text == "unit" {
        return Ok(SubjectKind::Organisation);
    }
    word(text, &SubjectKind::ALL, SubjectKind::id)
}

pub fn filing_type(text: &str) -> Result<FilingType, String> {
    word(text, &FilingType::ALL, FilingType::id)
}

fn each<T>(items: Vec<(JsValue, String)>, read: impl Fn(&Reader) -> Result<T, String>) -> Result<Vec<T>, String> {
    items.iter().map(|(v, path)| read(&Reader::new(v, path)?)).collect()
}

fn words<T>(r: &Reader, key: &str, parse: fn(&str) -> Result<T, String>) -> Result<Vec<T>, String> {
    let path = r.name(key);
    r.strings(key)?.iter().enumerate().map(|(i, w)| parse(w).map_err(|e| format!("{path}[{i}]: {e}"))).collect()
}

/// The wizard's question tree.
pub fn tree(value: &JsValue) -> Result<Tree, String> {
    let r = Reader::new(value, "tree")?;
    Ok(Tree {
        start: r.string("start")?,
        questions: each(r.list("questions")?, |q| {
            Ok(Question {
                id: q.string("id")?,
                asks: q.string("asks")?,
                text: q.string("text")?,
                hint: q.opt_string("hint")?,
                answers: each(q.list("answers")?, |a| Ok(Answer { value: a.string("value")?, label: a.string("label")?, next: a.string("next")? }))?,
            })
        })?,
        results: each(r.list("results")?, |o| {
            Ok(Outcome {
                id: o.string("id")?,
                filing_type: filing_type(&o.string("type")?).map_err(|e| format!("{}: {e}", o.name("type")))?,
                title: o.string("title")?,
                text: o.string_or_empty("text")?,
                guide: o.string("guide")?,
                entity: match o.opt_string("entity")? {
                    Some(e) => Some(subject_kind(&e).map_err(|err| format!("{}: {err}", o.name("entity")))?),
                    None => None,
                },
                conditions: o.strings_or_empty("conditions")?,
                also: each(o.list_or_empty("also")?, |l| Ok(Link { title: l.string("title")?, url: l.string("url")? }))?,
            })
        })?,
    })
}

/// Inserted one by one: `collect()` into a map would sort first, and bring a sort into the module.
fn string_map(r: &Reader, key: &str) -> Result<BTreeMap<String, String>, String> {
    let mut map = BTreeMap::new();
    for (k, v, path) in r.entries(key)? {
        map.insert(k, v.as_string().ok_or_else(|| format!("{path}: expected a string"))?);
    }
    Ok(map)
}

fn copies(v: &JsValue, path: &str) -> Result<Copies, String> {
    if let Some(n) = v.as_f64().filter(|n| (0.0..=u32::MAX as f64).contains(n) && n.fract() == 0.0) {
        return Ok(Copies::Count(n as u32));
    }
    match v.as_string().as_deref() {
        Some("unstated") => Ok(Copies::Unstated(Unstated::Unstated)),
        _ => Err(format!("{path}: expected a whole number or \"unstated\"")),
    }
}

fn upload(v: &JsValue, path: &str) -> Result<Upload, String> {
    if absent(v) {
        return Ok(Upload::default());
    }
    if let Some(b) = v.as_bool() {
        return Ok(Upload::Known(b));
    }
    if v.as_string().as_deref() == Some("unstated") {
        return Ok(Upload::Unstated(Unstated::Unstated));
    }
    if v.is_object() {
        return Ok(Upload::Setting { provider: Reader::new(v, path)?.string("provider")? });
    }
    Err(format!("{path}: expected true, false, \"unstated\" or {{ provider }}"))
}

/// The materials data.
pub fn materials(value: &JsValue) -> Result<Materials, String> {
    let r = Reader::new(value, "materials")?;
    if absent(&r.get("conditions")) {
        return Err("missing field `conditions`".into());
    }
    let mut derived = BTreeMap::new();
    for (k, v, path) in r.entries("derived")? {
        let d = Reader::new(&v, &path)?;
        derived.insert(k, Derived { all: d.strings_or_empty("all")?, none: d.strings_or_empty("none")? });
    }
    Ok(Materials {
        conditions: string_map(&r, "conditions")?,
        derived,
        labels: string_map(&r, "labels")?,
        documents: each(r.list("documents")?, |d| {
            Ok(Document {
                id: d.string("id")?,
                name: d.string("name")?,
                entity: words(d, "entity", subject_kind)?,
                types: words(d, "types", filing_type)?,
                copies: copies(&d.get("copies"), &d.name("copies"))?,
                signing: d.string("signing")?,
                upload: upload(&d.get("upload"), &d.name("upload"))?,
                when: d.opt_string("when")?,
                note: d.opt_string("note")?,
            })
        })?,
    })
}
