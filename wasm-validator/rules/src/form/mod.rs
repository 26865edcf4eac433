//! The whole filing form, and the rules that span fields.
//!
//! A filing (备案) is one subject (主办者: a person or an organisation) with its principal (主体负责人),
//! one or more websites, each with its own principal (网站负责人) and access details (接入信息: the
//! server IPs), and a filing type. The form is a serde document; field names are English
//! snake_case, enum values kebab-case. A missing field is not a parse error: it comes back as a
//! finding, so the customer sees every problem at once. See `examples/form-clean.json`.
//!
//! Field checks use the format modules; then the cross-field rules, in this order:
//!
//! - a personal subject is its own principal: subject name and certificate = principal's
//!   (seed 002 注意事项 3), and each website's principal is that same person;
//! - two principals are either the same person (name, ID number, mobile and e-mail all equal) or
//!   different people (all four differ: different people never share a mobile number or an e-mail
//!   address) (a provider's rejection list; Huawei Cloud's ICP help). Items left empty on one side
//!   are not compared; e-mail addresses are compared without case;
//! - filing numbers fit the filing type: none for a first filing (MIIT 1003 if the subject already has
//!   one), the subject number for a new website, the website number for a transfer (seed 003);
//! - the province of every filing number is the subject's; for a change, a different province is
//!   MIIT 1046 (a change cannot move the subject to another province);
//! - the holder named on each domain's certificate, where given, is the subject (seeds 000, 002);
//! - a personal website's name does not contain the subject's or a principal's name (seed 004 #54);
//! - a personal website's service content is 其他 (seed 003);
//! - a domain is listed only once in the form;
//! - a personal subject's principal is 18 or older (a warning).
//!
//! The parts, one job each: `model.rs` the serde document, `options.rs` what the check needs from
//! outside the form, `rules.rs` the form's rules (id, MIIT code, help page), `fields.rs` each field
//! through its format check, `cross_field.rs` the rules above that span fields.
//!
//! ```
//! use beian_rules::date::Date;
//! use beian_rules::form::{self, Form, FormOptions};
//! let json = include_str!("../../examples/form-clean.json");
//! let form: Form = serde_json::from_str(json).unwrap();
//! let options = FormOptions::new(Date::new(2026, 11, 23).unwrap()).with_ip_ranges(&["192.0.2.0/24"]).unwrap();
//! let r = form::check(&form, &options);
//! assert!(r.ok, "{:?}", r.findings);
//!
//! let mut broken = form.clone();
//! broken.websites[0].homepage = "www.example.net".into();
//! broken.subject.principal.id_number = "33010619850301003x".into();
//! let r = form::check(&broken, &options);
//! let fields: Vec<&str> = r.findings.iter().map(|f| f.field.as_str()).collect();
//! assert_eq!(fields, ["subject.principal.id_number", "websites[0].homepage"]);
//! assert_eq!(r.value.subject.principal.id_number, "33010619850301003X");
//! ```

mod cross_field;
mod fields;
mod model;
mod options;
mod rules;

pub use crate::model::{CertificateType, FilingType, SubjectKind};
pub use cross_field::filing_number_province;
pub use model::{Access, Form, Person, Subject, Website};
pub use options::{FormOptions, MAX_WEBSITES};
pub use rules::*;

use crate::finding::{Checked, Finding, Rule};
use crate::normalise::{fold, invisible_finding};

/// Checks the whole form. The value is the form with every field normalised.
pub fn check(form: &Form, options: &FormOptions) -> Checked<Form> {
    let mut run = Run { options, findings: Vec::new() };
    let max = options.max_websites;
    if form.websites.len() > max {
        let n = form.websites.len();
        run.add(&TOO_LARGE, "websites", format!("这份表单有 {n} 个网站，超过了一次检查的上限 {max} 个。请分成几份，每份不超过 {max} 个网站，再分别检查。"));
        return Checked::new(form.clone(), run.findings);
    }
    let mut value = form.clone();
    run.subject(&mut value);
    run.websites(&mut value);
    run.cross_field(&value);
    Checked::new(value, run.findings)
}

/// One check of a form: its options and what it has found so far.
struct Run<'a> {
    options: &'a FormOptions,
    findings: Vec<Finding>,
}

impl Run<'_> {
    /// Takes a field check's findings and returns its normalised value.
    fn take(&mut self, checked: Checked) -> String {
        self.findings.extend(checked.findings);
        checked.value
    }

    fn add(&mut self, rule: &Rule, field: &str, message: impl Into<String>) {
        self.findings.push(rule.finding(field, message));
    }

    /// Trims a free-text field and reports it when empty.
    fn required(&mut self, value: &mut String, field: &str, what: &str) {
        self.findings.extend(invisible_finding(value, field));
        *value = fold(value, &[]).text;
        if value.is_empty() {
            self.add(&REQUIRED, field, format!("请填写{what}。"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;

    fn clean() -> Form {
        serde_json::from_str(include_str!("../../examples/form-clean.json")).unwrap()
    }

    fn options() -> FormOptions {
        FormOptions::new(Date::new(2026, 11, 23).unwrap()).with_ip_ranges(&["192.0.2.0/24", "198.51.100.0/24"]).unwrap()
    }

    fn rules(form: &Form) -> Vec<(&'static str, String)> {
        check(form, &options()).findings.into_iter().map(|f| (f.rule, f.field)).collect()
    }

    /// Red-team 8, F1: the subject's name was folded again for every website (its domain holders,
    /// and the personal names a personal website's name may not hold): a name of 1.3 million
    /// characters and 1,000 websites took 13–18 s.
    #[test]
    fn a_long_subject_name_is_folded_once_for_all_the_websites_regression() {
        let mut form = clean();
        form.subject.name = "某".repeat(300_000);
        let site = form.websites[0].clone();
        form.websites = vec![site; 1_000];
        for w in &mut form.websites {
            w.domain_holders = vec!["别人".into()];
        }
        let started = std::time::Instant::now();
        let found = check(&form, &options());
        assert!(found.findings.iter().any(|f| f.rule == DOMAIN_HOLDER.id), "the holders are still checked");
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
    }

    #[test]
    fn clean_form_is_clean() {
        assert_eq!(rules(&clean()), vec![]);
    }

    /// The content review found /check/ offering a passport or a travel permit for the subject
    /// with no word that such a subject cannot file without a mainland certificate (004 #48).
    #[test]
    fn a_subject_with_a_passport_or_permit_is_told_to_file_with_a_mainland_certificate_regression() {
        for kind in [CertificateType::Passport, CertificateType::HkMacaoPermit, CertificateType::TaiwanPermit] {
            let mut form = clean();
            form.subject.certificate_type = kind;
            form.subject.certificate_number = "K12345678".into();
            let r = check(&form, &options());
            let found = r.findings.iter().find(|f| f.rule == "form.mainland_certificate").unwrap_or_else(|| panic!("{kind:?}: {:?}", r.findings));
            assert_eq!(found.field, "subject.certificate_type");
            assert!(found.message.contains("内地"), "{}", found.message);
        }
        // A principal may still hold one: only the subject files.
        let mut form = clean();
        form.websites[0].principal.id_type = CertificateType::Passport;
        assert!(rules(&form).iter().all(|(r, _)| *r != "form.mainland_certificate"));
    }

    #[test]
    fn personal_website_name_with_the_owners_name_is_refused() {
        let mut form = clean();
        form.websites[0].name = "张三读书笔记".into();
        assert_eq!(rules(&form), vec![("name.personal_name", "websites[0].name".into())]);
        form.subject.kind = Some(SubjectKind::Organisation);
        assert!(rules(&form).iter().all(|(r, _)| *r != "name.personal_name"));
    }

    #[test]
    fn a_domain_certificate_holder_other_than_the_subject_is_refused() {
        let mut form = clean();
        form.websites[0].domain_holders = vec!["张 三".into()];
        assert_eq!(rules(&form), vec![]);
        form.websites[0].domain_holders = vec!["李四".into()];
        let r = check(&form, &options());
        assert_eq!(r.findings.iter().map(|f| (f.rule, f.field.as_str())).collect::<Vec<_>>(), [("form.domain_holder", "websites[0].domain_holders[0]")]);
        assert!(r.findings[0].message.contains("李四") && r.findings[0].message.contains("zhangsan-notes.cn"), "{}", r.findings[0].message);
        // Full-width characters, spaces and Latin case are not differences.
        form.subject.name = "Example（杭州）科技有限公司".into();
        form.websites[0].domain_holders = vec!["EXAMPLE (杭州)科技有限公司".into(), "另一家公司".into()];
        let got = rules(&form);
        assert!(!got.contains(&("form.domain_holder", "websites[0].domain_holders[0]".into())), "{got:?}");
        assert!(got.contains(&("form.domain_holder", "websites[0].domain_holders[1]".into())), "{got:?}");
    }

    #[test]
    fn empty_form_reports_missing_fields_without_panicking() {
        let r = check(&Form::default(), &options());
        assert!(!r.ok);
        assert!(r.findings.iter().any(|f| f.field == "filing_type"));
        assert!(r.findings.iter().any(|f| f.field == "websites"));
    }

    #[test]
    fn personal_principals_must_be_one_person() {
        let mut form = clean();
        form.websites[0].principal.mobile = "13900139000".into();
        assert_eq!(rules(&form), vec![("form.personal_principal", "websites[0].principal.mobile".into())]);
    }

    #[test]
    fn organisation_principals_all_same_or_all_different() {
        let mut form: Form = serde_json::from_str(include_str!("../../examples/form-organisation-principals-half-same.json")).unwrap();
        assert_eq!(rules(&form), vec![("form.principal_consistency", "websites[0].principal.mobile".into())]);
        form.websites[0].principal.mobile = "13700137000".into();
        assert_eq!(rules(&form), vec![]);
    }

    #[test]
    fn different_principals_must_not_share_a_mobile_or_email() {
        // Issue 14.7: the rule was there; now it also holds with an item still empty, and for
        // e-mail addresses that differ only in case.
        let mut form: Form = serde_json::from_str(include_str!("../../examples/form-organisation-principals-half-same.json")).unwrap();
        form.websites[0].principal.mobile = "13700137000".into();
        assert_eq!(rules(&form), vec![]);
        let subject_email = form.subject.principal.email.to_ascii_uppercase();
        form.websites[0].principal.email = subject_email;
        assert_eq!(rules(&form), vec![("form.principal_consistency", "websites[0].principal.email".into())]);
        form.websites[0].principal.email = "other@example.com".into();
        form.websites[0].principal.mobile = form.subject.principal.mobile.clone();
        form.websites[0].principal.id_number.clear();
        let got = rules(&form);
        assert!(got.contains(&("form.principal_consistency", "websites[0].principal.mobile".into())), "{got:?}");
    }

    #[test]
    fn numbers_fit_the_filing_type_and_province() {
        let mut form = clean();
        form.subject.filing_number = "浙ICP备12345678号".into();
        assert_eq!(rules(&form), vec![("form.first_has_number", "subject.filing_number".into())]);
        form.filing_type = Some(FilingType::Change);
        form.subject.filing_number = "京ICP备10206937号".into();
        assert_eq!(rules(&form), vec![("form.change_province", "subject.province".into())]);
        form.filing_type = Some(FilingType::Transfer);
        form.subject.filing_number = "浙ICP备12345678号".into();
        form.websites[0].filing_number = "浙ICP备12345679号-1".into();
        assert_eq!(rules(&form), vec![("form.website_number_subject", "websites[0].filing_number".into())]);
    }

    #[test]
    fn a_form_with_more_websites_than_the_limit_is_refused_before_its_websites_are_checked() {
        let mut form = clean();
        form.websites = vec![Website::default(); MAX_WEBSITES + 1];
        let r = check(&form, &options());
        assert_eq!(r.findings.iter().map(|f| (f.rule, f.field.as_str())).collect::<Vec<_>>(), [("form.too_large", "websites")]);
        assert!(r.findings[0].message.contains("1001 个网站"), "{}", r.findings[0].message);
        form.websites.truncate(MAX_WEBSITES);
        assert!(check(&form, &options()).findings.iter().all(|f| f.rule != "form.too_large"));
        form.websites.push(Website::default());
        assert!(check(&form, &options().with_max_websites(usize::MAX)).findings.iter().all(|f| f.rule != "form.too_large"));
    }

    #[test]
    fn duplicate_domains_across_many_websites_are_each_found() {
        let mut form = clean();
        let site = form.websites[0].clone();
        form.websites = (0..200).map(|i| Website { domains: vec![format!("notes-{}.cn", i % 100)], homepage: format!("www.notes-{}.cn", i % 100), ..site.clone() }).collect();
        let dups: Vec<String> = check(&form, &options()).findings.into_iter().filter(|f| f.rule == "form.duplicate_domain").map(|f| f.field).collect();
        assert_eq!(dups.len(), 100);
        assert_eq!(dups[0], "websites[100].domains[0]");
    }

    #[test]
    fn personal_service_content_and_duplicates() {
        let mut form = clean();
        form.websites[0].service_content = "单位门户网站".into();
        let d = form.websites[0].domains[0].clone();
        form.websites[0].domains.push(d);
        let got = rules(&form);
        assert!(got.contains(&("form.service_content", "websites[0].service_content".into())));
        assert!(got.contains(&("form.duplicate_domain", "websites[0].domains[1]".into())));
    }
}
