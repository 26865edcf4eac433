//! The JavaScript face of the guide tools (wasm32 only): `wizardStep` for `/wizard/` and
//! `materialsChecklist` for `/materials/`. The pages fetch the data (`/assets/data/wizard.json`,
//! `/assets/data/materials.json`, written by the site builder from `content/_data/`) and pass it in;
//! every rule stays in `beian-guide` (its `wizard` and `materials` modules); this file only converts. On other
//! targets the crate is empty.

#![cfg(target_arch = "wasm32")]

use serde::de::IntoDeserializer;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use beian_browser_glue::{js_error, to_js};
use beian_guide::materials::{Copies, Document, Materials, Upload};
use beian_guide::wizard::{self, Step, Tree};
use beian_rules::model::{FilingType, SubjectKind};

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

#[derive(Serialize)]
struct JsAnswer<'a> {
    question: &'a str,
    asks: &'a str,
    text: &'a str,
    value: &'a str,
    label: &'a str,
}

fn path_of<'a>(path: &[wizard::Answered<'a>]) -> Vec<JsAnswer<'a>> {
    path.iter()
        .map(|a| JsAnswer { question: &a.question.id, asks: &a.question.asks, text: &a.question.text, value: &a.answer.value, label: &a.answer.label })
        .collect()
}

#[derive(Serialize)]
struct JsOption<'a> {
    value: &'a str,
    label: &'a str,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum JsStep<'a> {
    Question { id: &'a str, text: &'a str, hint: Option<&'a str>, answers: Vec<JsOption<'a>>, path: Vec<JsAnswer<'a>> },
    Result {
        id: &'a str,
        #[serde(rename = "type")]
        filing_type: &'a str,
        title: &'a str,
        guide: &'a str,
        entity: Option<&'a str>,
        conditions: &'a [String],
        path: Vec<JsAnswer<'a>>,
    },
    /// The answers do not fit the tree: `valid` is the longest prefix that does.
    Error { message: String, valid: Vec<String> },
}

/// `wizardStep(tree, answers)`: the tree as `/assets/data/wizard.json` holds it, the answer values
/// in order (as in `?a=`). Invalid answers give `{kind: "error", message, valid}`.
#[wasm_bindgen(js_name = wizardStep, unchecked_return_type = "WizardStep")]
pub fn wizard_step(tree: JsValue, answers: Vec<String>) -> Result<JsValue, JsError> {
    let tree: Tree = serde_wasm_bindgen::from_value(tree).map_err(js_error)?;
    match tree.step(&answers) {
        Ok(Step::Question { question, path }) => {
            let path = path_of(&path);
            to_js(&JsStep::Question {
                id: &question.id,
                text: &question.text,
                hint: question.hint.as_deref(),
                answers: question.answers.iter().map(|a| JsOption { value: &a.value, label: &a.label }).collect(),
                path,
            })
        }
        Ok(Step::Result { result, path }) => {
            let path = path_of(&path);
            to_js(&JsStep::Result {
                id: &result.id,
                filing_type: result.filing_type.id(),
                title: &result.title,
                guide: &result.guide,
                entity: result.entity.map(SubjectKind::id),
                conditions: &result.conditions,
                path,
            })
        }
        Err(e) => {
            let mut valid = answers.clone();
            while !valid.is_empty() && tree.step(&valid).is_err() {
                valid.pop();
            }
            to_js(&JsStep::Error { message: e.to_string(), valid })
        }
    }
}

#[derive(Deserialize)]
struct ChecklistRequest {
    entity: String,
    #[serde(rename = "type")]
    filing_type: String,
    #[serde(default)]
    conditions: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsDocument<'a> {
    id: &'a str,
    name: &'a str,
    copies: Copies,
    signing: &'a str,
    upload: &'a Upload,
    when: Option<&'a str>,
    when_label: Option<&'a str>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct JsChecklist<'a> {
    entity: &'a str,
    #[serde(rename = "type")]
    filing_type: &'a str,
    conditions: Vec<&'a str>,
    relevant: Vec<&'a str>,
    documents: Vec<JsDocument<'a>>,
}

/// `materialsChecklist(data, {entity, type, conditions})`: the documents to prepare, in the data's
/// order; `conditions` are the customer's choices (unknown ones are dropped), `relevant` the choices
/// that change anything for this entity and type.
#[wasm_bindgen(js_name = materialsChecklist, unchecked_return_type = "Checklist")]
pub fn materials_checklist(data: JsValue, request: JsValue) -> Result<JsValue, JsError> {
    let data: Materials = serde_wasm_bindgen::from_value(data).map_err(js_error)?;
    let req: ChecklistRequest = serde_wasm_bindgen::from_value(request).map_err(js_error)?;
    let choices = data.choices();
    let conditions: Vec<&str> = req.conditions.iter().map(String::as_str).filter(|c| choices.contains(c)).collect();
    // A case the data does not know (an unknown entity or type) has an empty list, as before.
    let case = word::<SubjectKind>(&req.entity).zip(word::<FilingType>(&req.filing_type));
    let docs: Vec<&Document> = case.map(|(e, t)| data.checklist(e, t, &conditions)).unwrap_or_default();
    to_js(&JsChecklist {
        entity: &req.entity,
        filing_type: &req.filing_type,
        relevant: case.map(|(e, t)| data.relevant_choices(e, t)).unwrap_or_default(),
        documents: docs
            .iter()
            .map(|d| JsDocument {
                id: &d.id,
                name: &d.name,
                copies: d.copies,
                signing: &d.signing,
                upload: &d.upload,
                when: d.when.as_deref(),
                when_label: d.when.as_deref().and_then(|w| data.conditions.get(w)).map(String::as_str),
                note: d.note.as_deref(),
            })
            .collect(),
        conditions,
    })
}

/// One of the form's words from its spelling (`new-site`), if it is one.
fn word<'de, T: Deserialize<'de>>(spelling: &'de str) -> Option<T> {
    T::deserialize(IntoDeserializer::<serde::de::value::Error>::into_deserializer(spelling)).ok()
}
