//! The form checks' JavaScript face (`validator.js`, wasm32 only): named exports that convert
//! arguments in and results out. `attachFieldChecks`, which wires a page's `[data-check]` fields and
//! `form[data-check-form]` forms to the same checks, is the [`field_controller`] module's.
//!
//! Every rule stays in `beian-rules`; this file only converts. Results are the library's
//! [`Checked`] with camelCase keys (`miitCode`); a form keeps the library's snake_case field names,
//! because a finding's `field` (`websites[0].homepage`) is a path into that very shape. Any error
//! crossing the boundary goes through [`js_error`]. Nothing here touches the network or storage:
//! the only outside input is today's date, read from the browser's clock. On other targets the
//! crate is empty, so the native workspace build passes over it.

#![cfg(target_arch = "wasm32")]

mod convert;
mod field_controller;
pub use field_controller::{attach_field_checks, FieldChecks};

use wasm_bindgen::prelude::*;

use beian_browser_glue::js_error;
use beian_rules::date::Date;
use beian_rules::form::{self, Form, FormOptions};
use beian_rules::image::{self, Limits};
use beian_rules::model::{Expect, SubjectKind};
use beian_rules::{contact, domain, filing_number, homepage, id_number, public_suffix, regions, uscc, website_name, Checked};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** One thing wrong (or doubtful) with a value. `help` is a site path, e.g. "/codes/1015/". */
export interface Finding {
  field: string;
  rule: string;
  miitCode: number | null;
  severity: "error" | "warning";
  message: string;
  help: string;
}
/** Every check returns this: `ok` is false when any finding is an error; `value` is normalised. */
export interface Checked<T = string> {
  ok: boolean;
  value: T;
  findings: Finding[];
}
export type CertificateType = "id-card" | "passport" | "hk-macao-permit" | "taiwan-permit" | "uscc" | "org-code" | "business-reg-number" | "other";
export interface Person { name?: string; id_type?: CertificateType; id_number?: string; mobile?: string; email?: string; }
export interface Subject {
  type?: "personal" | "organisation"; name?: string; national_level?: boolean; certificate_type?: CertificateType;
  certificate_number?: string; province?: string; certificate_address?: string; mailing_address?: string;
  principal?: Person; filing_number?: string;
}
export interface Website {
  name?: string; domains?: string[]; domain_holders?: string[]; homepage?: string; service_content?: string; principal?: Person;
  access?: { ips?: string[] }; filing_number?: string;
}
/** The filing form, in the library's (and the command line's) JSON shape. */
export interface Form {
  filing_type?: "first" | "new-site" | "new-site-no-subject" | "transfer" | "change" | "cancel";
  subject?: Subject;
  websites?: Website[];
}
/** `today` as YYYY-MM-DD (default: the browser's date); `ipRanges` in CIDR, empty = not checked. */
export interface FormCheckOptions { today?: string; ipRanges?: string[]; }
export interface ImageLimits { minWidth?: number; minHeight?: number; maxKb?: number; }
export interface ImageInfo { format: "png" | "jpeg" | "gif"; width: number; height: number; bytes: number; }
"#;

/// Which of the two fetched tables a check needs.
#[derive(Clone, Copy, Default)]
pub(crate) struct Needs {
    pub(crate) regions: bool,
    pub(crate) suffixes: bool,
}

impl Needs {
    pub(crate) const REGIONS: Needs = Needs { regions: true, suffixes: false };
    pub(crate) const SUFFIXES: Needs = Needs { regions: false, suffixes: true };
    pub(crate) const BOTH: Needs = Needs { regions: true, suffixes: true };

    /// Are they there?
    pub(crate) fn met(self) -> bool {
        (!self.regions || regions::available()) && (!self.suffixes || public_suffix::available())
    }

    /// What a whole-form check of `form` cannot do without: the regions for website names (place
    /// names), the suffixes for domains and homepages. Empty fields look nothing up. ID numbers are
    /// checked without the regions, all but their region code ([`Needs::ids`]).
    pub(crate) fn of_form(form: &Form) -> Needs {
        let filled = |s: &str| !s.trim().is_empty();
        Needs {
            regions: form.websites.iter().any(|w| filled(&w.name)),
            suffixes: form.websites.iter().any(|w| filled(&w.homepage) || w.domains.iter().any(|d| filled(d))),
        }
    }

    /// Has the form an ID number, whose region code is checked once the regions are there?
    pub(crate) fn ids(form: &Form) -> bool {
        let s = &form.subject;
        [&s.certificate_number, &s.principal.id_number].into_iter()
            .chain(form.websites.iter().map(|w| &w.principal.id_number))
            .any(|n| !n.trim().is_empty())
    }
}

/// Throws unless the tables a check needs were given.
fn need(needs: Needs) -> Result<(), JsError> {
    if needs.met() {
        Ok(())
    } else {
        Err(js_error("the validator's tables are not loaded yet: call loadTables(regions, publicSuffixes) with the texts of regions.txt and public-suffixes.txt (beside the module) first"))
    }
}

/// Gives the tables the module does not compile in — the region table (`regions.txt`) and the
/// public suffix list (`public-suffixes.txt`), fetched from the folder of this module — and re-checks
/// whatever the field checks held back while they were missing. Either may be left out (`undefined`)
/// and given by a later call, so each is used as soon as it arrives; a table given twice keeps the
/// first text.
#[wasm_bindgen(js_name = loadTables)]
pub fn load_tables(regions: Option<String>, public_suffixes: Option<String>) {
    if let Some(text) = regions {
        let _ = regions::provide(Box::leak(text.into_boxed_str()));
    }
    if let Some(text) = public_suffixes {
        let _ = public_suffix::provide(Box::leak(text.into_boxed_str()));
    }
    field_controller::tables_arrived();
}

/// Whether both tables have been given: every check works from then on.
#[wasm_bindgen(js_name = tablesLoaded)]
pub fn tables_loaded() -> bool {
    Needs::BOTH.met()
}

fn checked_to_js(c: &Checked<String>) -> Result<JsValue, JsError> {
    Ok(convert::checked_to_js(c, |v| JsValue::from_str(v)))
}

/// Today in the browser's time zone: the customer's "today" decides whether a birth date is future.
pub(crate) fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::new(now.get_full_year() as u16, now.get_month() as u8 + 1, now.get_date() as u8).unwrap_or_else(|| Date::from_days_since_epoch(0))
}

/// The whole-form check's options: `today` as YYYY-MM-DD (default: the browser's date) and the
/// provider's `ipRanges` in CIDR.
#[derive(Default)]
pub(crate) struct FormCheckOptions {
    pub(crate) today: Option<String>,
    pub(crate) ip_ranges: Vec<String>,
}

impl FormCheckOptions {
    fn from_js(options: &JsValue) -> Result<FormCheckOptions, JsError> {
        let o = convert::options(options, "options")?;
        Ok(FormCheckOptions { today: o.opt_string("today").map_err(js_error)?, ip_ranges: o.strings_or_empty("ipRanges").map_err(js_error)? })
    }
}

/// Upload limits as given (`minWidth`, `minHeight`, `maxKb`); absent ones take the defaults.
#[derive(Default)]
pub(crate) struct ImageLimitsArg {
    pub(crate) min_width: Option<u32>,
    pub(crate) min_height: Option<u32>,
    pub(crate) max_kb: Option<u32>,
}

impl From<ImageLimitsArg> for Limits {
    fn from(a: ImageLimitsArg) -> Limits {
        let d = Limits::default();
        Limits { min_width: a.min_width.unwrap_or(d.min_width), min_height: a.min_height.unwrap_or(d.min_height), max_kb: a.max_kb.unwrap_or(d.max_kb) }
    }
}

/// 居民身份证号码 (and residence permits).
#[wasm_bindgen(js_name = checkIdNumber, unchecked_return_type = "Checked<string>")]
pub fn check_id_number(value: &str) -> Result<JsValue, JsError> {
    need(Needs::REGIONS)?;
    checked_to_js(&id_number::check(value, today()))
}

/// 统一社会信用代码.
#[wasm_bindgen(js_name = checkUscc, unchecked_return_type = "Checked<string>")]
pub fn check_uscc(value: &str) -> Result<JsValue, JsError> {
    checked_to_js(&uscc::check(value))
}

/// An ICP filing number; `options.expect` is "subject", "website" or "any" (default).
#[wasm_bindgen(js_name = checkFilingNumber, unchecked_return_type = "Checked<string>")]
pub fn check_filing_number(
    value: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "{ expect?: \"subject\" | \"website\" | \"any\" }")] options: JsValue,
) -> Result<JsValue, JsError> {
    let expect = match convert::options(&options, "options")?.opt_string("expect").map_err(js_error)? {
        Some(text) => convert::expect(&text).map_err(|e| js_error(format!("expect: {e}")))?,
        None => Expect::Any,
    };
    checked_to_js(&filing_number::check(value, expect))
}

/// 手机号码 (a mainland mobile number).
#[wasm_bindgen(js_name = checkMobile, unchecked_return_type = "Checked<string>")]
pub fn check_mobile(value: &str) -> Result<JsValue, JsError> {
    checked_to_js(&contact::check_mobile(value, "mobile"))
}

/// An e-mail address.
#[wasm_bindgen(js_name = checkEmail, unchecked_return_type = "Checked<string>")]
pub fn check_email(value: &str) -> Result<JsValue, JsError> {
    checked_to_js(&contact::check_email(value, "email"))
}

/// A registrable domain.
#[wasm_bindgen(js_name = checkDomain, unchecked_return_type = "Checked<string>")]
pub fn check_domain(value: &str) -> Result<JsValue, JsError> {
    need(Needs::SUFFIXES)?;
    checked_to_js(&domain::check(value))
}

/// The homepage URL against the website's domains (MIIT 1041).
#[wasm_bindgen(js_name = checkHomepage, unchecked_return_type = "Checked<string>")]
pub fn check_homepage(url: &str, domains: Vec<String>) -> Result<JsValue, JsError> {
    need(Needs::SUFFIXES)?;
    let domains: Vec<&str> = domains.iter().map(String::as_str).collect();
    checked_to_js(&homepage::check(url, &domains))
}

/// A website name; `options.subject` is "personal" or "organisation" (default; "unit" is read too).
#[wasm_bindgen(js_name = checkWebsiteName, unchecked_return_type = "Checked<string>")]
pub fn check_website_name(
    name: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "{ subject?: \"personal\" | \"organisation\" | \"unit\" }")] options: JsValue,
) -> Result<JsValue, JsError> {
    need(Needs::REGIONS)?;
    let subject = match convert::options(&options, "options")?.opt_string("subject").map_err(js_error)? {
        Some(text) => convert::subject_kind(&text).map_err(|e| js_error(format!("subject: {e}")))?,
        None => SubjectKind::Organisation,
    };
    checked_to_js(&website_name::check(name, subject))
}

pub(crate) fn form_options(o: FormCheckOptions) -> Result<FormOptions, JsError> {
    let day = match o.today {
        Some(text) => Date::parse(&text).ok_or_else(|| js_error(format!("today: `{text}` is not a YYYY-MM-DD date")))?,
        None => today(),
    };
    FormOptions::new(day).with_ip_ranges(&o.ip_ranges).map_err(js_error)
}

/// The whole filing form, with the cross-field rules. The value is the normalised form.
#[wasm_bindgen(js_name = checkForm, unchecked_return_type = "Checked<Form>")]
pub fn check_form(
    #[wasm_bindgen(unchecked_param_type = "Form")] form: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "FormCheckOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    need(Needs::BOTH)?;
    let form: Form = convert::form_from_js(&form).map_err(js_error)?;
    let checked = form::check(&form, &form_options(FormCheckOptions::from_js(&options)?)?);
    Ok(convert::checked_to_js(&checked, convert::form_to_js))
}

/// A scan's bytes against the upload limits (default: 800×600 pixels, 100 KB).
#[wasm_bindgen(js_name = checkImage, unchecked_return_type = "Checked<ImageInfo | null>")]
pub fn check_image(bytes: &[u8], #[wasm_bindgen(unchecked_optional_param_type = "ImageLimits")] limits: JsValue) -> Result<JsValue, JsError> {
    let limits = convert::options(&limits, "limits")?;
    let number = |key| limits.opt_u32(key).map_err(js_error);
    let limits = ImageLimitsArg { min_width: number("minWidth")?, min_height: number("minHeight")?, max_kb: number("maxKb")? };
    Ok(convert::checked_to_js(&image::check(bytes, &limits.into()), convert::image_to_js))
}

// ---- Field checks in the page ----
