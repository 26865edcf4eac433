//! The words of the filing form, each once, as types: the filing type, who files, the certificate,
//! and which number a field asks for. Every other crate (the guide, the browser modules, the
//! command line, the site builder) and every data file uses these, so a word cannot drift: serde
//! gives their spelling in JSON and TOML (`new-site-no-subject`, `organisation`), and the command
//! line reads the same spelling through serde (so this crate needs no clap).

use serde::{Deserialize, Serialize};

/// The filing type (备案类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FilingType {
    /// 首次备案: subject and websites never filed.
    First,
    /// 新增网站, subject already filed with this provider.
    NewSite,
    /// 新增网站 (无主体), subject filed with another provider.
    NewSiteNoSubject,
    /// 转接入 / 新增接入: a filed website moves here.
    Transfer,
    /// 变更备案.
    Change,
    /// 注销主体, 注销网站, 取消接入.
    Cancel,
}

/// Who files: a person or an organisation (单位).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubjectKind {
    /// 个人.
    Personal,
    /// 单位: company, government body, institution, association… (`unit` is read as well: the
    /// word the first public API used.)
    #[serde(alias = "unit")]
    Organisation,
}

/// The certificate a subject or principal is identified by (证件类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertificateType {
    /// 居民身份证, also the HK/Macao/Taiwan residence permit and the foreign permanent resident ID.
    #[default]
    IdCard,
    /// 护照.
    Passport,
    /// 港澳居民来往内地通行证.
    HkMacaoPermit,
    /// 台湾居民来往大陆通行证.
    TaiwanPermit,
    /// 统一社会信用代码 (营业执照 and other certificates since 2015).
    Uscc,
    /// 组织机构代码.
    OrgCode,
    /// 15-digit 工商注册号.
    BusinessRegNumber,
    /// Anything else: checked only for presence.
    Other,
}

impl CertificateType {
    /// Whether a person may hold it (a principal, a personal subject).
    pub fn is_personal(self) -> bool {
        matches!(self, Self::IdCard | Self::Passport | Self::HkMacaoPermit | Self::TaiwanPermit | Self::Other)
    }

    /// Whether an organisation may hold it.
    pub fn is_organisation(self) -> bool {
        matches!(self, Self::Uscc | Self::OrgCode | Self::BusinessRegNumber | Self::Other)
    }
}

/// Which number a field asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// Any ICP number (subject, website or licence).
    #[default]
    Any,
    /// 主体备案号, without `-N`.
    Subject,
    /// 网站备案号, with `-N`.
    Website,
}

impl FilingType {
    /// Every filing type, in the order the site lists them.
    pub const ALL: [FilingType; 6] = [Self::First, Self::NewSite, Self::NewSiteNoSubject, Self::Transfer, Self::Change, Self::Cancel];

    /// The spelling in data files and links: `new-site-no-subject`.
    pub fn id(self) -> &'static str {
        match self {
            Self::First => "first",
            Self::NewSite => "new-site",
            Self::NewSiteNoSubject => "new-site-no-subject",
            Self::Transfer => "transfer",
            Self::Change => "change",
            Self::Cancel => "cancel",
        }
    }
}

impl FilingType {
    /// The words a customer chooses from on the form.
    pub fn label(self) -> &'static str {
        match self {
            Self::First => "首次备案",
            Self::NewSite => "新增网站（主体已在本接入商备案）",
            Self::NewSiteNoSubject => "新增无主体的网站",
            Self::Transfer => "转接入 / 新增接入",
            Self::Change => "变更备案",
            Self::Cancel => "注销主体、注销网站或取消接入",
        }
    }
}

impl CertificateType {
    /// Every certificate type, in the order the form lists them.
    pub const ALL: [CertificateType; 8] =
        [Self::IdCard, Self::Uscc, Self::OrgCode, Self::BusinessRegNumber, Self::Passport, Self::HkMacaoPermit, Self::TaiwanPermit, Self::Other];

    /// The spelling in forms and JSON: `hk-macao-permit`.
    pub fn id(self) -> &'static str {
        match self {
            Self::IdCard => "id-card",
            Self::Passport => "passport",
            Self::HkMacaoPermit => "hk-macao-permit",
            Self::TaiwanPermit => "taiwan-permit",
            Self::Uscc => "uscc",
            Self::OrgCode => "org-code",
            Self::BusinessRegNumber => "business-reg-number",
            Self::Other => "other",
        }
    }

    /// The words a customer chooses from on the form.
    pub fn label(self) -> &'static str {
        match self {
            Self::IdCard => "居民身份证",
            Self::Passport => "护照",
            Self::HkMacaoPermit => "港澳居民来往内地通行证",
            Self::TaiwanPermit => "台湾居民来往大陆通行证",
            Self::Uscc => "统一社会信用代码（营业执照等）",
            Self::OrgCode => "组织机构代码证",
            Self::BusinessRegNumber => "工商营业执照注册号（15 位）",
            Self::Other => "其他",
        }
    }
}

impl SubjectKind {
    /// The words a customer chooses from on the form.
    pub fn label(self) -> &'static str {
        match self {
            Self::Personal => "个人",
            Self::Organisation => "单位（企业、事业单位、社会团体等）",
        }
    }

    /// Both kinds, personal first.
    pub const ALL: [SubjectKind; 2] = [Self::Personal, Self::Organisation];

    /// The spelling in data files and links.
    pub fn id(self) -> &'static str {
        match self {
            Self::Personal => "personal",
            Self::Organisation => "organisation",
        }
    }
}

impl std::fmt::Display for FilingType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl std::fmt::Display for SubjectKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_serde_spelling() {
        for t in FilingType::ALL {
            assert_eq!(serde_json::to_value(t).unwrap(), t.id());
        }
        for k in SubjectKind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), k.id());
        }
        for c in CertificateType::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.id());
        }
        let unit: SubjectKind = serde_json::from_str("\"unit\"").unwrap();
        assert_eq!(unit, SubjectKind::Organisation, "the first API's word is still read");
        assert_eq!(serde_json::from_str::<Expect>("\"website\"").unwrap(), Expect::Website);
    }
}
