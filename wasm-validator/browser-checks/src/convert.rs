//! The library's types from plain JavaScript objects and back (by hand: see `beian-browser-glue`).
//! The form has the library's (and the command line's) JSON shape: snake_case fields, kebab-case
//! words, every field optional; results have camelCase keys (`miitCode`) and `null` for none.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use beian_browser_glue::{object, s, word, Reader};
use beian_rules::form::{Access, Form, Person, Subject, Website};
use beian_rules::image::{Format, Image};
use beian_rules::model::{CertificateType, Expect, FilingType, SubjectKind};
use beian_rules::{Checked, Finding, Severity};

/// `personal` or `organisation` (`unit` is read too).
pub fn subject_kind(text: &str) -> Result<SubjectKind, String> {
    if text == "unit" {
        return Ok(SubjectKind::Organisation);
    }
    word(text, &SubjectKind::ALL, SubjectKind::id)
}

/// `any`, `subject` or `website`.
pub fn expect(text: &str) -> Result<Expect, String> {
    word(text, &[Expect::Any, Expect::Subject, Expect::Website], |e| match e {
        Expect::Any => "any",
        Expect::Subject => "subject",
        Expect::Website => "website",
    })
}

fn person((value, path): (JsValue, String)) -> Result<Person, String> {
    let r = Reader::optional(&value, &path)?;
    Ok(Person {
        name: r.string_or_empty("name")?,
        id_type: r.word("id_type", &CertificateType::ALL, CertificateType::id)?.unwrap_or_default(),
        id_number: r.string_or_empty("id_number")?,
        mobile: r.string_or_empty("mobile")?,
        email: r.string_or_empty("email")?,
    })
}

/// The filing form from a plain object in the library's JSON shape.
pub fn form_from_js(value: &JsValue) -> Result<Form, String> {
    let r = Reader::new(value, "the form")?;
    let (subject, path) = r.object("subject")?;
    let sr = Reader::optional(&subject, &path)?;
    let kind = match sr.opt_string("type")? {
        Some(text) => Some(subject_kind(&text).map_err(|e| format!("{}: {e}", sr.name("type")))?),
        None => None,
    };
    let subject = Subject {
        kind,
        name: sr.string_or_empty("name")?,
        national_level: sr.boolean_or_false("national_level")?,
        certificate_type: sr.word("certificate_type", &CertificateType::ALL, CertificateType::id)?.unwrap_or_default(),
        certificate_number: sr.string_or_empty("certificate_number")?,
        province: sr.string_or_empty("province")?,
        certificate_address: sr.string_or_empty("certificate_address")?,
        mailing_address: sr.string_or_empty("mailing_address")?,
        principal: person(sr.object("principal")?)?,
        filing_number: sr.string_or_empty("filing_number")?,
    };
    let mut websites = Vec::new();
    for (site, path) in r.list_or_empty("websites")? {
        let w = Reader::new(&site, &path)?;
        let (access, access_path) = w.object("access")?;
        websites.push(Website {
            name: w.string_or_empty("name")?,
            domains: w.strings_or_empty("domains")?,
            domain_holders: w.strings_or_empty("domain_holders")?,
            homepage: w.string_or_empty("homepage")?,
            service_content: w.string_or_empty("service_content")?,
            principal: person(w.object("principal")?)?,
            access: Access { ips: Reader::optional(&access, &access_path)?.strings_or_empty("ips")? },
            filing_number: w.string_or_empty("filing_number")?,
        });
    }
    Ok(Form { filing_type: r.word("filing_type", &FilingType::ALL, FilingType::id)?, subject, websites })
}

fn list(items: &[String]) -> JsValue {
    items.iter().map(|i| s(i)).collect::<Array>().into()
}

fn person_to_js(p: &Person) -> JsValue {
    object(&[("name", s(&p.name)), ("id_type", s(p.id_type.id())), ("id_number", s(&p.id_number)), ("mobile", s(&p.mobile)), ("email", s(&p.email))])
}

/// The form as a plain object, in the shape [`form_from_js`] reads.
pub fn form_to_js(f: &Form) -> JsValue {
    let sub = &f.subject;
    let subject = object(&[
        ("type", sub.kind.map_or(JsValue::NULL, |k| s(k.id()))),
        ("name", s(&sub.name)),
        ("national_level", JsValue::from_bool(sub.national_level)),
        ("certificate_type", s(sub.certificate_type.id())),
        ("certificate_number", s(&sub.certificate_number)),
        ("province", s(&sub.province)),
        ("certificate_address", s(&sub.certificate_address)),
        ("mailing_address", s(&sub.mailing_address)),
        ("principal", person_to_js(&sub.principal)),
        ("filing_number", s(&sub.filing_number)),
    ]);
    let websites: Array = f
        .websites
        .iter()
        .map(|w| {
            object(&[
                ("name", s(&w.name)),
                ("domains", list(&w.domains)),
                ("domain_holders", list(&w.domain_holders)),
                ("homepage", s(&w.homepage)),
                ("service_content", s(&w.service_content)),
                ("principal", person_to_js(&w.principal)),
                ("access", object(&[("ips", list(&w.access.ips))])),
                ("filing_number", s(&w.filing_number)),
            ])
        })
        .collect();
    object(&[("filing_type", f.filing_type.map_or(JsValue::NULL, |t| s(t.id()))), ("subject", subject), ("websites", websites.into())])
}

/// `ImageInfo`, or `null` when the bytes are no image.
pub fn image_to_js(i: &Option<Image>) -> JsValue {
    let Some(i) = i else { return JsValue::NULL };
    let format = match i.format {
        Format::Png => "png",
        Format::Jpeg => "jpeg",
        Format::Gif => "gif",
    };
    object(&[("format", s(format)), ("width", JsValue::from(i.width)), ("height", JsValue::from(i.height)), ("bytes", JsValue::from(i.bytes as f64))])
}

fn finding_to_js(f: &Finding) -> JsValue {
    let severity = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    object(&[
        ("field", s(&f.field)),
        ("rule", s(f.rule)),
        ("miitCode", f.miit_code.map_or(JsValue::NULL, JsValue::from)),
        ("severity", s(severity)),
        ("message", s(&f.message)),
        ("help", s(f.help)),
    ])
}

/// `{ ok, value, findings }`, the value converted by `value`.
pub fn checked_to_js<T>(c: &Checked<T>, value: impl FnOnce(&T) -> JsValue) -> JsValue {
    let findings: Array = c.findings.iter().map(finding_to_js).collect();
    object(&[("ok", JsValue::from_bool(c.ok)), ("value", value(&c.value)), ("findings", findings.into())])
}

/// An options argument: `undefined` or `null` reads as `{}`.
pub fn options<'a>(value: &'a JsValue, what: &str) -> Result<Reader<'a>, JsError> {
    Reader::optional(value, what).map_err(beian_browser_glue::js_error)
}
