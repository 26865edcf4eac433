//! The filing form's words for the templates: the choices of `/check/` (filing types, subject
//! kinds, certificate types, provinces) come from `beian-rules`' types, the same ones the checks
//! read, so the page cannot offer a value the rules do not know.

use beian_rules::model::{CertificateType, FilingType, SubjectKind};
use beian_rules::regions::PROVINCES;
use serde::Serialize;

/// One choice of a select: the value the rules read, and the words shown.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Choice {
    pub id: &'static str,
    pub label: &'static str,
}

/// Every list of choices the form offers (`form` in the templates).
#[derive(Debug, Clone, Serialize)]
pub struct FormWords {
    pub filing_types: Vec<Choice>,
    pub subject_kinds: Vec<Choice>,
    /// All certificate types, for the subject.
    pub certificate_types: Vec<Choice>,
    /// Those a person holds, for principals.
    pub person_certificate_types: Vec<Choice>,
    /// Provinces by their short name, which is also the value.
    pub provinces: Vec<Choice>,
}

pub fn form_words() -> FormWords {
    let certificate = |c: CertificateType| Choice { id: c.id(), label: c.label() };
    FormWords {
        filing_types: FilingType::ALL.iter().map(|t| Choice { id: t.id(), label: t.label() }).collect(),
        subject_kinds: SubjectKind::ALL.iter().map(|k| Choice { id: k.id(), label: k.label() }).collect(),
        certificate_types: CertificateType::ALL.into_iter().map(certificate).collect(),
        person_certificate_types: CertificateType::ALL.into_iter().filter(|c| c.is_personal()).map(certificate).collect(),
        provinces: PROVINCES.iter().map(|p| Choice { id: p.name, label: p.name }).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_offers_what_the_rules_read() {
        let words = form_words();
        assert_eq!(words.filing_types.len(), 6);
        assert_eq!(words.provinces.len(), 31);
        assert_eq!(words.provinces[0].id, "北京");
        assert!(words.person_certificate_types.iter().all(|c| c.id != "uscc"));
        assert!(words.person_certificate_types.iter().any(|c| c.id == "other"));
        for t in &words.filing_types {
            let parsed: FilingType = serde_json::from_value(serde_json::Value::from(t.id)).unwrap();
            assert_eq!(parsed.id(), t.id);
        }
    }
}
