//! The TypeScript types of the module (the `typescript_custom_section` in src/lib.rs) are written by
//! hand; this holds them to the Rust form they describe: every interface has exactly the fields the
//! Rust type serialises, and every union of words exactly the words serde writes. A field added to
//! the form in Rust, or a word renamed, fails here until the types say the same.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use beian_rules::form::{Access, Form, Person, Subject, Website};
use beian_rules::model::{CertificateType, FilingType, SubjectKind};
use serde::Serialize;

/// The TypeScript source of the types, as the module's `.d.ts` carries it.
fn types() -> String {
    let lib = include_str!("../src/lib.rs");
    let start = lib.find("const TYPES: &'static str = r#\"").expect("the types section");
    let rest = &lib[start..];
    rest[..rest.find("\"#;").expect("its end")].to_string()
}

/// The body of `export interface NAME { … }` (or the inline object after `KEY?:` in another).
fn body<'a>(ts: &'a str, name: &str) -> &'a str {
    let at = ts.find(&format!("export interface {name} ")).unwrap_or_else(|| panic!("interface {name}"));
    let open = at + ts[at..].find('{').unwrap();
    let mut depth = 0;
    for (i, c) in ts[open..].char_indices() {
        depth += match c {
            '{' => 1,
            '}' => -1,
            _ => 0,
        };
        if depth == 0 {
            return &ts[open + 1..open + i];
        }
    }
    panic!("interface {name} is not closed")
}

/// The field names of a TypeScript object body, at its top level.
fn ts_fields(body: &str) -> BTreeSet<String> {
    let mut fields = BTreeSet::new();
    let mut depth = 0;
    let mut word = String::new();
    for c in body.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            '?' | ':' if depth == 0 && !word.is_empty() => {
                fields.insert(std::mem::take(&mut word));
            }
            c if depth == 0 && (c.is_ascii_alphanumeric() || c == '_') => word.push(c),
            _ => word.clear(),
        }
    }
    fields
}

/// The keys Rust serialises a value of `T` with.
fn rust_fields<T: Serialize + Default>() -> BTreeSet<String> {
    match serde_json::to_value(T::default()).unwrap() {
        serde_json::Value::Object(map) => map.keys().cloned().collect(),
        other => panic!("not an object: {other}"),
    }
}

/// The words of a union type `"a" | "b"` after `prefix` in the types.
fn union_after(ts: &str, prefix: &str) -> BTreeSet<String> {
    let at = ts.find(prefix).unwrap_or_else(|| panic!("{prefix}")) + prefix.len();
    let end = at + ts[at..].find([';', '\n']).unwrap();
    ts[at..end].split('|').map(|w| w.trim().trim_matches('"').to_string()).collect()
}

fn words<T: Serialize>(all: impl IntoIterator<Item = T>) -> BTreeSet<String> {
    all.into_iter().map(|v| serde_json::to_value(v).unwrap().as_str().unwrap().to_string()).collect()
}

#[test]
fn every_interface_has_the_fields_rust_serialises() {
    let ts = types();
    assert_eq!(ts_fields(body(&ts, "Form")), rust_fields::<Form>(), "Form");
    assert_eq!(ts_fields(body(&ts, "Subject")), rust_fields::<Subject>(), "Subject");
    assert_eq!(ts_fields(body(&ts, "Website")), rust_fields::<Website>(), "Website");
    assert_eq!(ts_fields(body(&ts, "Person")), rust_fields::<Person>(), "Person");
    let website = body(&ts, "Website");
    let access = &website[website.find("access?: {").expect("Website's access") + 9..];
    assert_eq!(ts_fields(&access[1..access.find('}').unwrap()]), rust_fields::<Access>(), "Website.access");
}

#[test]
fn every_union_has_the_words_serde_writes() {
    let ts = types();
    use CertificateType::*;
    let certificates = [IdCard, Passport, HkMacaoPermit, TaiwanPermit, Uscc, OrgCode, BusinessRegNumber, Other];
    assert_eq!(union_after(&ts, "export type CertificateType = "), words(certificates), "CertificateType");
    assert_eq!(union_after(&ts, "filing_type?: "), words(FilingType::ALL), "Form.filing_type");
    assert_eq!(union_after(body(&ts, "Subject"), "\n  type?: "), words([SubjectKind::Personal, SubjectKind::Organisation]), "Subject.type");
}
