//! The rules that span fields, in the order the module documentation of [`super`] lists them.

use super::model::{Form, Person, Subject, Website};
use super::rules::*;
use super::Run;
use crate::filing_number::{self, Kind};
use crate::model::{FilingType, SubjectKind};
use crate::normalise::{fold, quote};
use crate::regions::{province_by_abbreviation, province_by_name, Province};
use crate::website_name;

impl Run<'_> {
    pub(super) fn cross_field(&mut self, form: &Form) {
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
        // The subject's name folded once for the form, not once a website: a name of 1.3 million
        // characters and 1,000 websites took 13–18 s (red-team 8, F1).
        let holder_key = |s: &str| fold(s, &[' ']).text.to_ascii_lowercase();
        let subject_key = if form.websites.iter().any(|w| !w.domain_holders.is_empty()) { holder_key(&subject.name) } else { String::new() };
        let personal = subject.kind == Some(SubjectKind::Personal);
        let (subject_person, principal_person) =
            if personal { (website_name::fold_person(&subject.name), website_name::fold_person(&subject.principal.name)) } else { Default::default() };
        for (i, site) in form.websites.iter().enumerate() {
            self.principals(subject, &site.principal, &format!("websites[{i}].principal"));
            self.domain_holders(subject, &subject_key, site, i);
            if personal {
                let site_person = website_name::fold_person(&site.principal.name);
                let persons = [subject_person.as_str(), &principal_person, &site_person];
                self.findings.extend(website_name::person_name_folded(&site.name, &persons, &format!("websites[{i}].name")));
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
    /// `name` is the subject's name folded as a holder is.
    fn domain_holders(&mut self, subject: &Subject, name: &str, site: &Website, i: usize) {
        let key = |s: &str| fold(s, &[' ']).text.to_ascii_lowercase();
        for (j, holder) in site.domain_holders.iter().enumerate() {
            if name.is_empty() || holder.is_empty() || key(holder) == name {
                continue;
            }
            let domain = match site.domains.get(j) {
                Some(d) if site.domains.len() == site.domain_holders.len() => format!("（{}）", quote(d, 60)),
                _ => String::new(),
            };
            self.add(&DOMAIN_HOLDER, &format!("websites[{i}].domain_holders[{j}]"), format!("域名证书上的所有人“{}”{domain}与主办者“{}”不一致：备案的域名要登记在主办者名下。请先到域名注册商把所有人改为主办者（实名认证后约 3 个工作日同步到管局），或改用主办者名下的域名。", quote(holder, 40), quote(&subject.name, 40)));
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
            self.add(&PRINCIPAL_CONSISTENCY, &field, format!("网站负责人与主体负责人的{}相同，{}却不同。是同一人的话四项都要相同；不是同一人的话四项都要不同。", labels(&same), labels(&differ)));
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

pub(super) fn needs_subject_number(filing_type: Option<FilingType>) -> bool {
    matches!(filing_type, Some(FilingType::NewSite | FilingType::NewSiteNoSubject | FilingType::Change | FilingType::Cancel))
}

/// The province a filing number belongs to (`京ICP备…` → 北京), if it is an ICP number.
pub fn filing_number_province(number: &str) -> Option<&'static Province> {
    province_by_abbreviation(filing_number::compact(number).chars().next()?)
}
