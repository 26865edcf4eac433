//! The JavaScript face of the guide tools (wasm32 only): `wizardStep` for `/wizard/` and
//! `materialsChecklist` for `/materials/`. The pages fetch the data (`/assets/data/wizard.json`,
//! `/assets/data/materials.json`, written by the site builder from `content/_data/`) and pass it in;
//! every rule stays in `beian-guide` (its `wizard` and `materials` modules); this file only converts. On other
//! targets the crate is empty.

#![cfg(target_arch = "wasm32")]

mod read;

use js_sys::Array;
use wasm_bindgen::prelude::*;

use beian_browser_glue::{js_error, object, s, Reader};
use beian_guide::materials::{Copies, Document, Materials, Upload};
use beian_guide::wizard::{self, Step, Tree};
use beian_rules::model::SubjectKind;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export interface WizardAnswer { question: string; asks: string; text: string; value: string; label: string; }
/** Where the answers lead: the next question, or the result (filing type, guide, materials case). */
export type WizardStep =
  | { kind: "question"; id: string; text: string; hint: string | null; answers: { value: string; label: string }[]; path: WizardAnswer[] }
  | { kind: "result"; id: string; type: string; title: string; guide: string; entity: string | null; conditions: string[]; path: WizardAnswer[] }
  | { kind: "error"; message: string; valid: string[] };
export interface ChecklistRequest { entity: string; type: string; conditions?: string[]; }
export interface ChecklistDocument { id: string; name: string; copies: number | "unstated"; signing: string; upload: boolean | "unstated" | { provider: string }; when: string | null; whenLabel: string | null; note: string | null; }
export interface Checklist { entity: string; type: string; conditions: string[]; relevant: string[]; documents: ChecklistDocument[]; }
"#;

/// One answered question on the way, as `WizardAnswer`.
fn path_of(path: &[wizard::Answered<'_>]) -> JsValue {
    path.iter()
        .map(|a| {
            object(&[("question", s(&a.question.id)), ("asks", s(&a.question.asks)), ("text", s(&a.question.text)), ("value", s(&a.answer.value)), ("label", s(&a.answer.label))])
        })
        .collect::<Array>()
        .into()
}

fn strings<S: AsRef<str>>(items: &[S]) -> JsValue {
    items.iter().map(|i| s(i.as_ref())).collect::<Array>().into()
}

fn opt(text: Option<&str>) -> JsValue {
    text.map_or(JsValue::NULL, s)
}

/// `wizardStep(tree, answers)`: the tree as `/assets/data/wizard.json` holds it, the answer values
/// in order (as in `?a=`). Invalid answers give `{kind: "error", message, valid}`.
#[wasm_bindgen(js_name = wizardStep, unchecked_return_type = "WizardStep")]
pub fn wizard_step(tree: JsValue, answers: Vec<String>) -> Result<JsValue, JsError> {
    let tree: Tree = read::tree(&tree).map_err(js_error)?;
    Ok(match tree.step(&answers) {
        Ok(Step::Question { question, path }) => object(&[
            ("kind", s("question")),
            ("id", s(&question.id)),
            ("text", s(&question.text)),
            ("hint", opt(question.hint.as_deref())),
            ("answers", question.answers.iter().map(|a| object(&[("value", s(&a.value)), ("label", s(&a.label))])).collect::<Array>().into()),
            ("path", path_of(&path)),
        ]),
        Ok(Step::Result { result, path }) => object(&[
            ("kind", s("result")),
            ("id", s(&result.id)),
            ("type", s(result.filing_type.id())),
            ("title", s(&result.title)),
            ("guide", s(&result.guide)),
            ("entity", opt(result.entity.map(SubjectKind::id))),
            ("conditions", strings(&result.conditions)),
            ("path", path_of(&path)),
        ]),
        Err(e) => {
            let mut valid = answers.clone();
            while !valid.is_empty() && tree.step(&valid).is_err() {
                valid.pop();
            }
            object(&[("kind", s("error")), ("message", s(&e.to_string())), ("valid", strings(&valid))])
        }
    })
}

fn copies_to_js(c: Copies) -> JsValue {
    match c {
        Copies::Count(n) => JsValue::from(n),
        Copies::Unstated(_) => s("unstated"),
    }
}

fn upload_to_js(u: &Upload) -> JsValue {
    match u {
        Upload::Known(b) => JsValue::from_bool(*b),
        Upload::Unstated(_) => s("unstated"),
        Upload::Setting { provider } => object(&[("provider", s(provider))]),
    }
}

/// `materialsChecklist(data, {entity, type, conditions})`: the documents to prepare, in the data's
/// order; `conditions` are the customer's choices (unknown ones are dropped), `relevant` the choices
/// that change anything for this entity and type.
#[wasm_bindgen(js_name = materialsChecklist, unchecked_return_type = "Checklist")]
pub fn materials_checklist(data: JsValue, request: JsValue) -> Result<JsValue, JsError> {
    let data: Materials = read::materials(&data).map_err(js_error)?;
    let req = Reader::new(&request, "request").map_err(js_error)?;
    let (entity, filing_type) = (req.string("entity").map_err(js_error)?, req.string("type").map_err(js_error)?);
    let asked = req.strings_or_empty("conditions").map_err(js_error)?;
    let choices = data.choices();
    let conditions: Vec<&str> = asked.iter().map(String::as_str).filter(|c| choices.contains(c)).collect();
    // A case the data does not know (an unknown entity or type) has an empty list, as before.
    let case = read::subject_kind(&entity).ok().zip(read::filing_type(&filing_type).ok());
    let docs: Vec<&Document> = case.map(|(e, t)| data.checklist(e, t, &conditions)).unwrap_or_default();
    let relevant = case.map(|(e, t)| data.relevant_choices(e, t)).unwrap_or_default();
    let documents: Array = docs
        .iter()
        .map(|d| {
            object(&[
                ("id", s(&d.id)),
                ("name", s(&d.name)),
                ("copies", copies_to_js(d.copies)),
                ("signing", s(&d.signing)),
                ("upload", upload_to_js(&d.upload)),
                ("when", opt(d.when.as_deref())),
                ("whenLabel", opt(d.when.as_deref().and_then(|w| data.conditions.get(w)).map(String::as_str))),
                ("note", opt(d.note.as_deref())),
            ])
        })
        .collect();
    Ok(object(&[
        ("entity", s(&entity)),
        ("type", s(&filing_type)),
        ("conditions", strings(&conditions)),
        ("relevant", strings(&relevant)),
        ("documents", documents.into()),
    ]))
}
