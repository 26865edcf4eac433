//! What every check returns: the normalised value and a list of findings.
//!
//! A finding names the form field, a stable rule id (`id.checksum`), the MIIT return code the bureau
//! would answer with (when it has one), a severity, a message in Simplified Chinese that says what is
//! wrong and how to fix it, and the site path of the help page. Rules are constants ([`Rule`]) so the
//! id, code, severity and help page of a rule are written once; only the message is built per case.

use serde::Serialize;
use std::fmt;

/// How bad a finding is. A value with an `Error` finding is not `ok`; warnings are advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The form would be refused (by the provider's system or the bureau).
    Error,
    /// Probably wrong, or refused by some bureaus: worth a second look.
    Warning,
}

/// A rule's fixed facts. Each module declares its rules as `pub const` items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, `<area>.<what>`: support staff and tests refer to it.
    pub id: &'static str,
    /// The MIIT return code the bureau answers with for this mistake, if any.
    pub miit_code: Option<u16>,
    /// Error or warning.
    pub severity: Severity,
    /// Site path of the page that explains the rule, e.g. `/codes/1015/`.
    pub help: &'static str,
}

impl Rule {
    /// A rule with no MIIT code.
    pub const fn new(id: &'static str, severity: Severity, help: &'static str) -> Rule {
        Rule { id, miit_code: None, severity, help }
    }

    /// A rule the bureau reports with `code`.
    pub const fn miit(id: &'static str, code: u16, severity: Severity, help: &'static str) -> Rule {
        Rule { id, miit_code: Some(code), severity, help }
    }

    /// A finding of this rule for `field`.
    pub fn finding(&self, field: &str, message: impl Into<String>) -> Finding {
        Finding {
            field: field.to_owned(),
            rule: self.id,
            miit_code: self.miit_code,
            severity: self.severity,
            message: message.into(),
            help: self.help,
        }
    }
}

/// One thing wrong (or doubtful) with a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Path of the field in the form, e.g. `subject.principal.id_number`, `websites[0].homepage`.
    pub field: String,
    /// Stable rule id, e.g. `id.checksum`.
    pub rule: &'static str,
    /// MIIT return code, when the bureau has one for this mistake.
    pub miit_code: Option<u16>,
    /// `error` or `warning`.
    pub severity: Severity,
    /// Simplified Chinese: what is wrong and how to fix it.
    pub message: String,
    /// Site path of the help page.
    pub help: &'static str,
}

impl Finding {
    /// True for error-severity findings.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "提醒",
        };
        write!(f, "{level} [{}]", self.rule)?;
        if let Some(code) = self.miit_code {
            write!(f, " (管局代码 {code})")?;
        }
        if !self.field.is_empty() {
            write!(f, " {}", self.field)?;
        }
        write!(f, ": {} 参见 {}", self.message, self.help)
    }
}

impl std::error::Error for Finding {}

/// The result of a check: `{ ok, value, findings }`. The value is a `String` for single fields
/// and the normalised [`crate::form::Form`] for the whole form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checked<T = String> {
    /// True when no finding is an error.
    pub ok: bool,
    /// The normalised value (the corrected one, where a correction is certain).
    pub value: T,
    /// Everything found, in check order.
    pub findings: Vec<Finding>,
}

impl<T> Checked<T> {
    /// A result from a value and its findings; `ok` is computed.
    pub fn new(value: T, findings: Vec<Finding>) -> Checked<T> {
        let ok = !findings.iter().any(Finding::is_error);
        Checked { ok, value, findings }
    }

    /// The first error, as the stdnum-style `validate` functions return it.
    pub fn into_result(self) -> Result<T, Finding> {
        match self.findings.into_iter().find(Finding::is_error) {
            Some(error) => Err(error),
            None => Ok(self.value),
        }
    }
}

/// Collects findings for one field while a check runs.
#[derive(Debug)]
pub(crate) struct Findings<'a> {
    field: &'a str,
    pub(crate) list: Vec<Finding>,
}

impl<'a> Findings<'a> {
    pub(crate) fn new(field: &'a str) -> Findings<'a> {
        Findings { field, list: Vec::new() }
    }

    pub(crate) fn add(&mut self, rule: &Rule, message: impl Into<String>) {
        self.list.push(rule.finding(self.field, message));
    }

    /// The field being checked.
    pub(crate) fn field(&self) -> &'a str {
        self.field
    }

    /// Adds findings made elsewhere (the invisible characters of the raw input, from `normalise`).
    pub(crate) fn extend(&mut self, found: impl IntoIterator<Item = Finding>) {
        self.list.extend(found);
    }

    pub(crate) fn done(self, value: String) -> Checked {
        Checked::new(value, self.list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: Rule = Rule::miit("test.rule", 1015, Severity::Error, "/codes/1015/");

    #[test]
    fn ok_means_no_error() {
        let warning = Rule::new("test.warn", Severity::Warning, "/faq/");
        assert!(Checked::new("v".to_owned(), vec![warning.finding("f", "m")]).ok);
        assert!(!Checked::new("v".to_owned(), vec![RULE.finding("f", "m")]).ok);
    }

    #[test]
    fn serialises_with_stable_names() {
        let json = serde_json::to_string(&Checked::new("v".to_owned(), vec![RULE.finding("a.b", "坏")])).unwrap();
        assert_eq!(
            json,
            r#"{"ok":false,"value":"v","findings":[{"field":"a.b","rule":"test.rule","miit_code":1015,"severity":"error","message":"坏","help":"/codes/1015/"}]}"#
        );
    }
}
