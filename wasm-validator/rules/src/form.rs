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
//! ```
//! use beian_rules::date::Date;
//! use beian_rules::form::{self, Form, FormOptions};
//! let json = include_str!("../examples/form-clean.json");
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

use crate::contact::{check_address, check_email, check_mobile};
pub use crate::model::{CertificateType, FilingType, SubjectKind};
use crate::date::Date;
use crate::filing_number::{self, Expect, Kind};
use crate::finding::{Checked, Finding, Rule, Severity::*};
use crate::ip::{self, IpRange};
use crate::normalise::{fold, invisible_finding, quote};
use crate::regions::{province_by_abbreviation, province_by_name, Province};
use crate::website_name::{self, WebsiteNameWords};
use crate::{business_reg_number, domain, homepage, id_number, org_code, uscc};
use serde::{Deserialize, Serialize};

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
/// Two principals are partly the same person.
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
/// A domain certificate's holder is not the subject.
pub const DOMAIN_HOLDER: Rule = Rule::new("form.domain_holder", Error, "/faq/domain-certificate/");
/// No website in a filing that needs one.
pub const NO_WEBSITE: Rule = Rule::miit("form.no_website", 5001, Error, "/codes/5001/");

/// The most websites one form check takes (the default of [`FormOptions::max_websites`]). A real
/// filing lists a few; a form with more is refused with [`TOO_LARGE`] before its websites are
/// checked, so a pasted or generated monster costs no time. Every check is linear in the form's
/// size (100,000 websites: 0.45 s natively, 14.7 s before the duplicate-domain check used a set), so the limit is about use, not speed.
pub const MAX_WEBSITES: usize = 1_000;

/// A principal (负责人).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Person {
    /// Full name.
    pub name: String,
    /// Certificate type; default `id-card`.
    pub id_type: CertificateType,
    /// Certificate number.
    pub id_number: String,
    /// Mobile number.
    pub mobile: String,
    /// E-mail address.
    pub email: String,
}

/// The subject (主办者 / 主体).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Subject {
    /// `personal` or `organisation`.
    #[serde(rename = "type")]
    pub kind: Option<SubjectKind>,
    /// The person's or organisation's name, as on the certificate.
    pub name: String,
    /// Set only for national-level organisations, which may use 中国/国家… in website names.
    pub national_level: bool,
    /// Certificate type.
    pub certificate_type: CertificateType,
    /// Certificate number.
    pub certificate_number: String,
    /// Province the subject is filed in ("浙江" or "浙江省").
    pub province: String,
    /// 证件住所: the address on the certificate.
    pub certificate_address: String,
    /// 通信地址: where mail really arrives.
    pub mailing_address: String,
    /// 主体负责人 (for an organisation, the legal representative).
    pub principal: Person,
    /// The subject number (主体备案号), when the subject is already filed.
    pub filing_number: String,
}

/// Access details (接入信息).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Access {
    /// The server's IP addresses.
    pub ips: Vec<String>,
}

/// One website.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Website {
    /// 网站名称.
    pub name: String,
    /// Registrable domains, without `www.`.
    pub domains: Vec<String>,
    /// Optional: the holder (域名所有者) named on each domain's certificate, in the order of
    /// `domains`; one entry may stand for all of them. Each must be the subject (seeds 000, 002).
    pub domain_holders: Vec<String>,
    /// 网站首页 URL: one, under one of the domains.
    pub homepage: String,
    /// 网站服务内容: 其他 for personal websites, usually 单位门户网站 for organisations.
    pub service_content: String,
    /// 网站负责人.
    pub principal: Person,
    /// 接入信息.
    pub access: Access,
    /// The website number (网站备案号), for transfers, changes and cancellations.
    pub filing_number: String,
}

/// The filing form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Form {
    /// What is being filed.
    pub filing_type: Option<FilingType>,
    /// Who files.
    pub subject: Subject,
    /// The websites.
    pub websites: Vec<Website>,
}

/// What the form check needs from outside the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormOptions {
    /// Today's date (birth dates after it are errors; ages are counted to it).
    pub today: Date,
    /// The provider's address ranges; empty = do not check.
    pub ip_ranges: Vec<IpRange>,
    /// Website-name word lists; `None` = the built-in ones.
    pub words: Option<WebsiteNameWords>,
    /// A form with more websites is refused ([`TOO_LARGE`]); default [`MAX_WEBSITES`].
    pub max_websites: usize,
}

impl FormOptions {
    /// Options with no IP ranges and the built-in word lists.
    pub fn new(today: Date) -> FormOptions {
        FormOptions { today, ip_ranges: Vec::new(), words: None, max_websites: MAX_WEBSITES }
    }

    /// With another limit on the number of websites (`usize::MAX`: none).
    pub fn with_max_websites(mut self, max: usize) -> FormOptions {
        self.max_websites = max;
        self
    }

    /// With the provider's ranges in CIDR notation (site.toml `[provider.network] ip_ranges`).
    pub fn with_ip_ranges<S: AsRef<str>>(mut self, ranges: &[S]) -> Result<FormOptions, String> {
        self.ip_ranges = IpRange::parse_all(ranges)?;
        Ok(self)
    }

    /// With a provider's own website-name word lists.
    pub fn with_words(mut self, words: WebsiteNameWords) -> FormOptions {
        self.words = Some(words);
        self
    }
}

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

    fn subject(&mut self, form: &mut Form) {
        let today = self.options.today;
        if form.filing_type.is_none() {
            self.add(&REQUIRED, "filing_type", "请选择备案类型（首次备案、新增网站、转接入、变更或注销）。");
        }
        let subject = &mut form.subject;
        let kind = subject.kind;
        if kind.is_none() {
            self.add(&REQUIRED, "subject.type", "请选择主办者性质：个人或单位。");
        }
        self.required(&mut subject.name, "subject.name", "主办者名称（个人填姓名，单位填证件上的全称）");
        let fits = match kind {
            Some(SubjectKind::Personal) => subject.certificate_type.is_personal(),
            Some(SubjectKind::Organisation) => subject.certificate_type.is_organisation(),
            None => true,
        };
        if !fits {
            self.add(&CERTIFICATE_TYPE, "subject.certificate_type", "证件类型与主办者性质不符：个人用身份证等个人证件，单位用营业执照（统一社会信用代码）等单位证件。");
        } else if matches!(subject.certificate_type, CertificateType::Passport | CertificateType::HkMacaoPermit | CertificateType::TaiwanPermit) {
            self.add(&MAINLAND_CERTIFICATE, "subject.certificate_type", "港澳台和外国的主办者要用在内地的证件和地址备案（例如内地的分公司或办事处）；在内地没有证件的，不能备案。");
        }
        subject.certificate_number = self.certificate(subject.certificate_type, &subject.certificate_number, "subject.certificate_number", today);
        match province_by_name(&subject.province) {
            Some(p) => subject.province = p.name.to_owned(),
            None if subject.province.trim().is_empty() => self.add(&REQUIRED, "subject.province", "请选择主办者所在省份。"),
            None => self.add(&PROVINCE, "subject.province", "省份应为 31 个省、自治区、直辖市之一，如“浙江”。"),
        }
        subject.certificate_address = self.take(check_address(&subject.certificate_address, "subject.certificate_address"));
        subject.mailing_address = self.take(check_address(&subject.mailing_address, "subject.mailing_address"));
        self.person(&mut subject.principal, "subject.principal");
        if kind == Some(SubjectKind::Personal) {
            let field = "subject.principal.id_number";
            self.findings.extend(id_number::under_18(&subject.principal.id_number, field, today));
        }
        if !subject.filing_number.trim().is_empty() || needs_subject_number(form.filing_type) {
            subject.filing_number = self.take(filing_number::check_field(&subject.filing_number, "subject.filing_number", Expect::Subject));
        }
    }

    fn certificate(&mut self, kind: CertificateType, number: &str, field: &str, today: Date) -> String {
        let checked = match kind {
            CertificateType::IdCard => id_number::check_field(number, field, today),
            CertificateType::Uscc => uscc::check_field(number, field),
            CertificateType::OrgCode => org_code::check_field(number, field),
            CertificateType::BusinessRegNumber => business_reg_number::check_field(number, field),
            CertificateType::Passport | CertificateType::HkMacaoPermit | CertificateType::TaiwanPermit | CertificateType::Other => {
                let value = fold(number, &[' ']).text.to_ascii_uppercase();
                let mut findings: Vec<Finding> = invisible_finding(number, field).into_iter().collect();
                if value.is_empty() {
                    findings.push(REQUIRED.finding(field, "请填写证件号码。"));
                } else if kind != CertificateType::Other && !(5..=20).contains(&value.len()) | !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    findings.push(CERTIFICATE_NUMBER.finding(field, "证件号码应为 5–20 位字母和数字，请对照证件核对。"));
                }
                Checked::new(value, findings)
            }
        };
        self.take(checked)
    }

    fn person(&mut self, person: &mut Person, path: &str) {
        self.required(&mut person.name, &format!("{path}.name"), "负责人姓名");
        person.id_number = self.certificate(person.id_type, &person.id_number, &format!("{path}.id_number"), self.options.today);
        person.mobile = self.take(check_mobile(&person.mobile, &format!("{path}.mobile")));
        person.email = self.take(check_email(&person.email, &format!("{path}.email")));
    }

    fn websites(&mut self, form: &mut Form) {
        let kind = form.subject.kind;
        let national = form.subject.national_level;
        if form.websites.is_empty() && form.filing_type != Some(FilingType::Cancel) {
            self.add(&NO_WEBSITE, "websites", "请至少填写一个网站。");
        }
        let builtin = WebsiteNameWords::builtin();
        let options = self.options;
        let words = options.words.as_ref().unwrap_or(builtin);
        for (i, site) in form.websites.iter_mut().enumerate() {
            let path = format!("websites[{i}]");
            site.name = self.take(website_name::check_field(&site.name, &format!("{path}.name"), kind.unwrap_or(SubjectKind::Organisation), national, words));
            if site.domains.is_empty() {
                self.add(&REQUIRED, &format!("{path}.domains"), "请至少填写一个域名。");
            }
            for (j, d) in site.domains.iter_mut().enumerate() {
                *d = self.take(domain::check_field(d, &format!("{path}.domains[{j}]")));
            }
            for (j, h) in site.domain_holders.iter_mut().enumerate() {
                self.findings.extend(invisible_finding(h, &format!("{path}.domain_holders[{j}]")));
                *h = fold(h, &[]).text;
            }
            let domains: Vec<&str> = site.domains.iter().map(String::as_str).collect();
            site.homepage = self.take(homepage::check_field(&site.homepage, &format!("{path}.homepage"), &domains));
            self.required(&mut site.service_content, &format!("{path}.service_content"), "网站服务内容");
            if kind == Some(SubjectKind::Personal) && !site.service_content.is_empty() && site.service_content != "其他" {
                self.add(&SERVICE_CONTENT, &format!("{path}.service_content"), format!("个人网站的服务内容要选“其他”，不能选“{}”。", crate::normalise::quote(&site.service_content, 30)));
            }
            self.person(&mut site.principal, &format!("{path}.principal"));
            if site.access.ips.is_empty() {
                self.add(&REQUIRED, &format!("{path}.access.ips"), "请填写网站所在服务器的 IP 地址。");
            }
            for (j, a) in site.access.ips.iter_mut().enumerate() {
                *a = self.take(ip::check(a, &format!("{path}.access.ips[{j}]"), &options.ip_ranges));
            }
            self.website_number(form.filing_type, site, &path);
        }
    }

    fn website_number(&mut self, filing_type: Option<FilingType>, site: &mut Website, path: &str) {
        let field = format!("{path}.filing_number");
        let given = !site.filing_number.trim().is_empty();
        match filing_type {
            Some(FilingType::First | FilingType::NewSite | FilingType::NewSiteNoSubject) if given => {
                self.add(&NEW_SITE_HAS_NUMBER, &field, "新增的网站还没有网站备案号，这里不用填。已经备案过的网站要移到本接入商，请选“转接入”。");
            }
            Some(FilingType::Transfer) => site.filing_number = self.take(filing_number::check_field(&site.filing_number, &field, Expect::Website)),
            Some(FilingType::Change | FilingType::Cancel) if given => site.filing_number = self.take(filing_number::check_field(&site.filing_number, &field, Expect::Website)),
            _ => {}
        }
    }

    fn cross_field(&mut self, form: &Form) {
        let subject = &form.subject;
        if subject.kind == Some(SubjectKind::Personal) {
            let p = &subject.principal;
            if !p.name.is_empty() && !subject.name.is_empty() && p.name != subject.name {
                self.add(&PERSONAL_SUBJECT, "subject.principal.name", format!("个人备案的主体负责人就是主办者本人：负责人姓名应为“{}”。", quote(&subject.name, 40)));
            }
            if subject.certificate_type == p.id_type && !p.id_number.is_empty() && p.id_number != subject.certificate_number {
                self.add(&PERSONAL_SUBJECT, "subject.principal.id_number", "个人备案的主体负责人就是主办者本人：证件号码应与主办者证件号码相同。");
            }
        }
        for (i, site) in form.websites.iter().enumerate() {
            self.principals(subject, &site.principal, &format!("websites[{i}].principal"));
            self.domain_holders(subject, site, i);
            if subject.kind == Some(SubjectKind::Personal) {
                let persons = [subject.name.as_str(), &subject.principal.name, &site.principal.name];
                self.findings.extend(website_name::person_name(&site.name, &persons, &format!("websites[{i}].name")));
            }
        }
        self.numbers(form);
        // Sorted, not a list searched for each domain: with a list, 100,000 websites took 17.5 s
        // (issue 9.8). Each domain with its place in the form, so the first of equal ones is the
        // one kept and the findings come in the form's order.
        let mut domains: Vec<(&str, usize, usize)> = Vec::new();
        for (i, site) in form.websites.iter().enumerate() {
            for (j, d) in site.domains.iter().enumerate() {
                if !d.is_empty() {
                    domains.push((d.as_str(), i, j));
                }
            }
        }
        crate::sort::heapsort(&mut domains);
        let mut repeated: Vec<(usize, usize)> = domains.windows(2).filter(|w| w[0].0 == w[1].0).map(|w| (w[1].1, w[1].2)).collect();
        crate::sort::heapsort(&mut repeated);
        for (i, j) in repeated {
            let d = &form.websites[i].domains[j];
            self.add(&DUPLICATE_DOMAIN, &format!("websites[{i}].domains[{j}]"), format!("域名 {} 填写了两次：一个域名只能属于一个网站，请删掉重复的。", quote(d, 60)));
        }
    }

    /// Every holder named on a domain certificate is the subject, spaces, full-width characters
    /// and the case of Latin letters aside (seeds 000, 002: 域名证书上的域名所有者与主办者一致).
    fn domain_holders(&mut self, subject: &Subject, site: &Website, i: usize) {
        let key = |s: &str| fold(s, &[' ']).text.to_ascii_lowercase();
        let name = key(&subject.name);
        for (j, holder) in site.domain_holders.iter().enumerate() {
            if name.is_empty() || holder.is_empty() || key(holder) == name {
                continue;
            }
            let domain = match site.domains.get(j) {
                Some(d) if site.domains.len() == site.domain_holders.len() => format!("（{}）", quote(d, 60)),
                _ => String::new(),
            };
            self.add(&DOMAIN_HOLDER, &format!("websites[{i}].domain_holders[{j}]"), format!("域名证书上的所有者“{}”{domain}与主办者“{}”不一致：备案的域名要登记在主办者名下。请先到域名注册商把所有者改为主办者（实名认证后约 3 个工作日同步到管局），或改用主办者名下的域名。", quote(holder, 40), quote(&subject.name, 40)));
        }
    }

    /// Same person: all four equal. Different people: all four differ. Personal: always the same.
    fn principals(&mut self, subject: &Subject, site: &Person, path: &str) {
        let p = &subject.principal;
        let pairs = [("姓名", &p.name, &site.name, "name"), ("证件号码", &p.id_number, &site.id_number, "id_number"), ("手机号码", &p.mobile, &site.mobile, "mobile"), ("电子邮箱", &p.email, &site.email, "email")];
        // Only the items filled in on both sides are compared (a missing one is reported as
        // required): two different people sharing a mobile number is found before the e-mail
        // address is typed. Addresses that differ only in case are one mailbox.
        let pairs: Vec<_> = pairs.into_iter().filter(|(_, a, b, _)| !a.is_empty() && !b.is_empty()).collect();
        if pairs.len() < 2 {
            return;
        }
        let differ: Vec<(&str, &str)> = pairs.iter().filter(|(_, a, b, _)| !a.eq_ignore_ascii_case(b)).map(|(label, _, _, f)| (*label, *f)).collect();
        let labels = |list: &[(&str, &str)]| list.iter().map(|(l, _)| *l).collect::<Vec<_>>().join("、");
        if subject.kind == Some(SubjectKind::Personal) {
            if let Some((_, first)) = differ.first() {
                self.add(&PERSONAL_PRINCIPAL, &format!("{path}.{first}"), format!("个人备案的网站负责人就是主体负责人本人，这几项要相同：{}。", labels(&differ)));
            }
        } else if !differ.is_empty() && differ.len() < pairs.len() {
            let same: Vec<(&str, &str)> = pairs.iter().filter(|(_, a, b, _)| a.eq_ignore_ascii_case(b)).map(|(label, _, _, f)| (*label, *f)).collect();
            let field = format!("{path}.{}", same[0].1);
            self.add(&PRINCIPAL_CONSISTENCY, &field, format!("网站负责人与主体负责人的{}相同，{}却不同。是同一人的话四项都要相同；不是同一人的话四项都要不同（每人用自己的手机和邮箱）。", labels(&same), labels(&differ)));
        }
    }

    fn numbers(&mut self, form: &Form) {
        let subject = &form.subject;
        let province = province_by_name(&subject.province);
        let subject_number = filing_number::parse(&subject.filing_number).ok();
        if form.filing_type == Some(FilingType::First) && !subject.filing_number.trim().is_empty() {
            self.add(&FIRST_HAS_NUMBER, "subject.filing_number", "已有备案号的主体不能做首次备案（管局返回 1003）：请改选“新增网站”，主体在其他接入商备案的选“新增无主体的网站”。");
        }
        let mut numbers = vec![("subject.filing_number".to_owned(), subject_number.clone())];
        for (i, site) in form.websites.iter().enumerate() {
            numbers.push((format!("websites[{i}].filing_number"), filing_number::parse(&site.filing_number).ok()));
        }
        for (field, number) in &numbers {
            let Some(number) = number.as_ref().filter(|n| matches!(n.kind, Kind::Subject | Kind::Website)) else { continue };
            if let (Some(expected), Some(actual)) = (province, number.province) {
                if expected.code != actual.code {
                    self.province_mismatch(form.filing_type, field, expected, actual);
                }
            }
            let subject_part = subject_number.as_ref().and_then(|s| s.subject_number());
            if number.kind == Kind::Website && subject_part.is_some() && number.subject_number() != subject_part {
                self.add(&WEBSITE_NUMBER_SUBJECT, field, format!("这个网站备案号不属于主体备案号 {}：网站备案号是主体备案号加“-序号”，请核对。", subject_part.unwrap_or_default()));
            }
        }
    }

    fn province_mismatch(&mut self, filing_type: Option<FilingType>, field: &str, expected: &Province, actual: &Province) {
        let abbr = actual.abbreviations[0];
        if filing_type == Some(FilingType::Change) && field == "subject.filing_number" {
            self.add(&CHANGE_PROVINCE, "subject.province", format!("变更备案不能把主体改到其他省份（管局返回 1046）：备案号是{}（{abbr}）的，省份只能是{}。要换省份，请先注销原备案，再在新省份重新备案。", actual.name, actual.name));
        } else {
            self.add(&PROVINCE_MISMATCH, field, format!("备案号的省份（{abbr}，{}）与主办者所在省份（{}）不一致，请核对备案号或省份。", actual.name, expected.name));
        }
    }
}

fn needs_subject_number(filing_type: Option<FilingType>) -> bool {
    matches!(filing_type, Some(FilingType::NewSite | FilingType::NewSiteNoSubject | FilingType::Change | FilingType::Cancel))
}

/// The province a filing number belongs to (`京ICP备…` → 北京), if it is an ICP number.
pub fn filing_number_province(number: &str) -> Option<&'static Province> {
    province_by_abbreviation(filing_number::compact(number).chars().next()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean() -> Form {
        serde_json::from_str(include_str!("../examples/form-clean.json")).unwrap()
    }

    fn options() -> FormOptions {
        FormOptions::new(Date::new(2026, 11, 23).unwrap()).with_ip_ranges(&["192.0.2.0/24", "198.51.100.0/24"]).unwrap()
    }

    fn rules(form: &Form) -> Vec<(&'static str, String)> {
        check(form, &options()).findings.into_iter().map(|f| (f.rule, f.field)).collect()
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
        let mut form: Form = serde_json::from_str(include_str!("../examples/form-organisation-principals-half-same.json")).unwrap();
        assert_eq!(rules(&form), vec![("form.principal_consistency", "websites[0].principal.mobile".into())]);
        form.websites[0].principal.mobile = "13700137000".into();
        assert_eq!(rules(&form), vec![]);
    }

    #[test]
    fn different_principals_must_not_share_a_mobile_or_email() {
        // Issue 14.7: the rule was there; now it also holds with an item still empty, and for
        // e-mail addresses that differ only in case.
        let mut form: Form = serde_json::from_str(include_str!("../examples/form-organisation-principals-half-same.json")).unwrap();
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
