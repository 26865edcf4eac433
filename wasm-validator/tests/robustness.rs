//! Junk for every validator: no input may make a check panic or hang, and junk is never `ok`
//! unless it really is a valid value (python-stdnum's `test_robustness.doctest`, for this crate).

use std::time::{Duration, Instant};
use wasm_validator::date::Date;
use wasm_validator::filing_number::Expect;
use wasm_validator::form::{self, Form, FormOptions, SubjectKind};
use wasm_validator::website_name::{self, WebsiteNameWords};
use wasm_validator::{business_reg_number, contact, domain, filing_number, homepage, id_number, ip, org_code, punycode, uscc, Checked};

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
        w.access.ips.push(input.clone());
        let r = form::check(&form, &options);
        assert!(!r.ok, "{input:?}");
    }
}
