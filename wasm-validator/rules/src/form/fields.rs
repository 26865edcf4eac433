//! Each field of the form through its format check (the modules of this crate), and the rules that
//! read one part of the form: the subject's certificate, the filing numbers a type needs, the
//! websites' names, domains, homepage and addresses.

use super::cross_field::needs_subject_number;
use super::model::{Form, Person, Website};
use super::rules::*;
use super::Run;
use crate::date::Date;
use crate::filing_number::{self, Expect};
use crate::contact::{check_address, check_email, check_mobile};
use crate::finding::{Checked, Finding};
use crate::model::{CertificateType, FilingType, SubjectKind};
use crate::normalise::{fold, invisible_finding};
use crate::regions::province_by_name;
use crate::website_name::{self, WebsiteNameWords};
use crate::{business_reg_number, domain, homepage, id_number, ip, org_code, uscc};

impl Run<'_> {
    pub(super) fn subject(&mut self, form: &mut Form) {
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

    pub(super) fn websites(&mut self, form: &mut Form) {
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
}
