//! The filing form as a serde document: field names English snake_case, enum values kebab-case; a
//! missing field takes its default, so it comes back as a finding, not a parse error.

use serde::{Deserialize, Serialize};

use crate::model::{CertificateType, FilingType, SubjectKind};

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
    /// 首页网址: one, under one of the domains.
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
