//! Junk for every validator: no input may make a check panic or hang, and junk is never `ok`
//! unless it really is a valid value (python-stdnum's `test_robustness.doctest`, for this crate).

use std::time::{Duration, Instant};
use beian_rules::date::Date;
use beian_rules::filing_number::Expect;
use beian_rules::form::{self, Form, FormOptions, SubjectKind};
use beian_rules::website_name::{self, WebsiteNameWords};
use beian_rules::{business_reg_number, contact, domain, filing_number, homepage, id_number, ip, org_code, punycode, uscc, Checked};

fn junk() -> Vec<String> {
    let mut list: Vec<String> = [
        "", " ", "\t\n\r", "\0", "\u{7f}\u{1b}[31m", "-", "--", ".", "..", "/", "://", "xn--", "xn--.xn--", "@", "号", "京", "京ICP备", "京ICP备号-",
        "京ICP备10206937号-", "京ICP备10206937号-99999999999999999999", "ICP", "公网安备", "京公网安备", "合字", "合字B1.B2-", "B2-",
        "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨", "𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "１２３４５６７８９０１２３４５６７Ｘ", "ＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸ", "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
        "👨‍👩‍👧‍👦.中国", "раз.рф", "مثال.إختبار", "e\u{301}xample.com", "\u{200b}example.com", "example.com\u{feff}", "a\u{202e}moc.elpmaxe",
        "中文English混合123", "http://[::1]:80/", "http://例子.测试/路径?查询#片段", "www.", "www..com", ".com", "com.", "-a-.com",
        "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z", "0.0.0.0/0", "::", ":::", "1.2.3.4.5", "999.999.999.999", "[::1]",
        "11010519491231002X\n11010519491231002X", "\u{FFFD}\u{FFFD}", "\u{10FFFF}", "\u{D7FF}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    list.push("1".repeat(100_000));
    list.push("中".repeat(50_000));
    list.push("a.".repeat(30_000));
    list.push("xn--".repeat(10_000));
    list.push("😀".repeat(20_000));
    list.push("-".repeat(70_000));
    list.push(format!("京ICP备{}号-1", "9".repeat(50_000)));
    list.push(format!("xn--{}", "z".repeat(60)));
    list.push(format!("xn--{}.com", "9".repeat(200)));
    list
}

fn today() -> Date {
    Date::new(2026, 11, 23).unwrap()
}

/// Every field check, on one input.
fn every_check(input: &str) -> Vec<Checked> {
    let words = WebsiteNameWords::builtin();
    let ranges = [ip::IpRange::parse("192.0.2.0/24").unwrap()];
    vec![
        id_number::check(input, today()),
        uscc::check(input),
        org_code::check(input),
        business_reg_number::check(input),
        filing_number::check(input, Expect::Any),
        filing_number::check(input, Expect::Subject),
        filing_number::check(input, Expect::Website),
        domain::check(input),
        homepage::check(input, &["example.com", input]),
        website_name::check_field(input, "n", SubjectKind::Personal, false, words),
        website_name::check_field(input, "n", SubjectKind::Organisation, true, words),
        contact::check_mobile(input, "m"),
        contact::check_email(input, "e"),
        contact::check_address(input, "a"),
        ip::check(input, "ip", &ranges),
    ]
}

#[test]
fn junk_never_panics_and_is_quick() {
    for input in junk() {
        let start = Instant::now();
        for checked in every_check(&input) {
            // Results serialise, and an `ok` result has no error.
            assert_eq!(checked.ok, !checked.findings.iter().any(|f| f.is_error()));
            assert!(checked.findings.iter().all(|f| !f.message.is_empty() && f.help.starts_with('/')));
            assert!(checked.findings.iter().all(|f| f.message.chars().count() < 600), "message too long for {:?}", &input[..input.len().min(40)]);
        }
        let _ = id_number::age_on(&input, today());
        let _ = domain::to_ascii(&input);
        let _ = domain::to_unicode(&input);
        let _ = domain::registrable_domain(&input);
        let _ = punycode::decode(&input);
        let _ = punycode::encode(&input);
        let _ = filing_number::parse(&input);
        let _ = ip::IpRange::parse(&input);
        let _ = WebsiteNameWords::parse(&input);
        let _ = Date::parse(&input);
        assert!(start.elapsed() < Duration::from_secs(10), "slow on {:?}…", &input.chars().take(20).collect::<String>());
    }
}

#[test]
fn junk_is_not_valid() {
    for input in junk() {
        assert!(!id_number::check(&input, today()).ok, "{input:?}");
        assert!(!uscc::is_valid(&input), "{input:?}");
        assert!(!org_code::is_valid(&input), "{input:?}");
        assert!(!business_reg_number::is_valid(&input), "{input:?}");
        assert!(!filing_number::is_valid(&input, Expect::Any), "{input:?}");
    }
}

#[test]
fn junk_in_every_form_field() {
    let clean: Form = serde_json::from_str(include_str!("../examples/form-clean.json")).unwrap();
    let options = FormOptions::new(today()).with_ip_ranges(&["192.0.2.0/24"]).unwrap();
    for input in junk().into_iter().filter(|s| s.len() < 1000) {
        let mut form = clean.clone();
        let s = &mut form.subject;
        for field in [&mut s.name, &mut s.certificate_number, &mut s.province, &mut s.certificate_address, &mut s.mailing_address, &mut s.filing_number, &mut s.principal.name, &mut s.principal.id_number, &mut s.principal.mobile, &mut s.principal.email] {
            *field = input.clone();
        }
        let w = &mut form.websites[0];
        for field in [&mut w.name, &mut w.homepage, &mut w.service_content, &mut w.filing_number, &mut w.principal.id_number] {
            *field = input.clone();
        }
        w.domains.push(input.clone());
        w.domain_holders.push(input.clone());
        w.access.ips.push(input.clone());
        let r = form::check(&form, &options);
        assert!(!r.ok, "{input:?}");
    }
}

/// One case per rule of issues 14 and 9.8, through the public checks: each fires where it should,
/// and its finding has a message and a help page.
#[test]
fn each_rule_of_issue_14_fires_on_its_case() {
    let clean: Form = serde_json::from_str(include_str!("../examples/form-clean.json")).unwrap();
    let options = FormOptions::new(today()).with_ip_ranges(&["192.0.2.0/24"]).unwrap();
    let form_rules = |edit: &dyn Fn(&mut Form)| {
        let mut form = clean.clone();
        edit(&mut form);
        form::check(&form, &options).findings
    };
    let uscc_first17 = "91110000600037342";
    let uscc_code = format!("{uscc_first17}{}", uscc::calc_check_digit(uscc_first17).unwrap());
    let cases: Vec<(&str, Vec<beian_rules::Finding>)> = vec![
        ("name.personal_name", form_rules(&|f| f.websites[0].name = "张三的读书笔记".into())),
        ("uscc.org_code_unverified", uscc::check(&uscc_code).findings),
        ("filing.app_number", filing_number::check("京ICP备10206937号-2A", Expect::Website).findings),
        ("filing.licence", filing_number::check("粤B2-20090059", Expect::Website).findings),
        ("filing.sequence_order", filing_number::check("京ICP备16059763-1号", Expect::Website).findings),
        ("input.invisible", id_number::check("4401\u{200B}1320141005001X", today()).findings),
        ("input.invisible", form_rules(&|f| f.subject.mailing_address.push('\u{202E}'))),
        ("form.domain_holder", form_rules(&|f| f.websites[0].domain_holders = vec!["李四".into()])),
        ("form.principal_consistency", form_rules(&|f| {
            f.subject.kind = Some(SubjectKind::Organisation);
            f.websites[0].principal.name = "李四".into();
            f.websites[0].principal.id_number = "11010519491231002X".into();
            f.websites[0].principal.email = "lisi@example.com".into();
        })),
        ("form.too_large", form_rules(&|f| f.websites = vec![f.websites[0].clone(); form::MAX_WEBSITES + 1])),
    ];
    for (rule, findings) in cases {
        let f = findings.iter().find(|f| f.rule == rule).unwrap_or_else(|| panic!("{rule} not found in {findings:?}"));
        assert!(!f.message.is_empty() && f.help.starts_with('/'), "{f:?}");
    }
}

/// Issue 9.8: a message never carries a typed control, escape or bidi override raw, and every
/// typed value it quotes is isolated.
#[test]
fn junk_quoted_in_messages_is_isolated_and_never_raw() {
    for input in junk() {
        for checked in every_check(&input) {
            for f in &checked.findings {
                assert!(!f.message.chars().any(|c| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{200B}' | '\u{FEFF}')), "{:?}: {:?}", &input.chars().take(20).collect::<String>(), f.message);
                assert_eq!(f.message.matches('\u{2068}').count(), f.message.matches('\u{2069}').count(), "{:?}", f.message);
            }
        }
    }
}
