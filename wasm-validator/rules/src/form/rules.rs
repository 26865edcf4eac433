//! The form's own rules: each with its id, its MIIT return code where it has one, its severity and
//! the help page a message links to.

use crate::finding::{Rule, Severity::*};

/// A required field is empty.
pub const REQUIRED: Rule = Rule::miit("form.required", 5001, Error, "/codes/5001/");
/// The certificate type does not fit the subject type.
pub const CERTIFICATE_TYPE: Rule = Rule::new("form.certificate_type", Error, "/faq/what-is-subject/");
/// A subject identified by a passport or a travel permit: a subject from Hong Kong, Macao, Taiwan
/// or abroad files with a certificate and address in the mainland, or cannot file (seed 004 #48).
pub const MAINLAND_CERTIFICATE: Rule = Rule::new("form.mainland_certificate", Error, "/faq/hk-macao-taiwan-foreign/");
/// A passport or permit number with impossible characters.
pub const CERTIFICATE_NUMBER: Rule = Rule::miit("form.certificate_number", 5001, Error, "/codes/5001/");
/// The province is not one of the 31.
pub const PROVINCE: Rule = Rule::new("form.province", Error, "/faq/what-is-subject/");
/// A personal subject differs from its principal.
pub const PERSONAL_SUBJECT: Rule = Rule::new("form.personal_subject", Error, "/faq/what-is-subject/");
/// A personal filing's website principal is not the subject's principal.
pub const PERSONAL_PRINCIPAL: Rule = Rule::new("form.personal_principal", Error, "/glossary/#principal");
/// Two principals are partly the same person: the same person has all four items equal, different
/// people have all four different (Inspur cloud's rejection list; Huawei Cloud's ICP help for the
/// mobile and e-mail; validation-rules.md).
pub const PRINCIPAL_CONSISTENCY: Rule = Rule::new("form.principal_consistency", Error, "/glossary/#principal");
/// A first filing for a subject that already has a number.
pub const FIRST_HAS_NUMBER: Rule = Rule::miit("form.first_has_number", 1003, Error, "/codes/1003/");
/// A new website given a website number.
pub const NEW_SITE_HAS_NUMBER: Rule = Rule::new("form.new_site_has_number", Error, "/guides/transfer/");
/// A filing number from another province.
pub const PROVINCE_MISMATCH: Rule = Rule::new("form.province_mismatch", Error, "/faq/subject-vs-website-number/");
/// A change that moves the subject to another province.
pub const CHANGE_PROVINCE: Rule = Rule::miit("form.change_province", 1046, Error, "/codes/1046/");
/// A website number that belongs to another subject number.
pub const WEBSITE_NUMBER_SUBJECT: Rule = Rule::new("form.website_number_subject", Error, "/faq/subject-vs-website-number/");
/// A personal website with service content other than 其他.
pub const SERVICE_CONTENT: Rule = Rule::new("form.service_content", Error, "/guides/first-filing/");
/// The same domain listed twice.
pub const DUPLICATE_DOMAIN: Rule = Rule::miit("form.duplicate_domain", 1005, Error, "/codes/1005/");
/// More websites than one check takes ([`MAX_WEBSITES`]).
pub const TOO_LARGE: Rule = Rule::new("form.too_large", Error, "/check/");
/// A domain certificate's holder is not the subject (seeds 000, 002, 004 #20). The message's "about
/// 3 working days" after real-name verification is Tencent Cloud's (validation-rules.md).
pub const DOMAIN_HOLDER: Rule = Rule::new("form.domain_holder", Error, "/faq/domain-certificate/");
/// No website in a filing that needs one.
pub const NO_WEBSITE: Rule = Rule::miit("form.no_website", 5001, Error, "/codes/5001/");
