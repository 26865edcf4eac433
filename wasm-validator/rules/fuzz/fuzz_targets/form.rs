//! Fuzzes the whole-form check: any bytes that parse as a form, and any text in the fields that
//! the format checks see, must give a result, never a panic or a hang.
//!
//! `cargo +nightly fuzz run form -- -max_total_time=300` (from wasm-validator/rules/).
#![no_main]

use libfuzzer_sys::fuzz_target;
use beian_rules::date::Date;
use beian_rules::form::{self, Form, FormOptions};

fuzz_target!(|data: &[u8]| {
    let options = FormOptions::new(Date::new(2026, 11, 23).unwrap()).with_ip_ranges(&["192.0.2.0/24", "2001:db8::/32"]).unwrap();
    // Structured: the bytes as a JSON form.
    if let Ok(form) = serde_json::from_slice::<Form>(data) {
        let checked = form::check(&form, &options);
        assert_eq!(checked.ok, !checked.findings.iter().any(|f| f.is_error()));
    }
    // Unstructured: the bytes as text in every field of the clean example form.
    let text = String::from_utf8_lossy(data).into_owned();
    let mut form: Form = serde_json::from_str(include_str!("../../examples/form-clean.json")).unwrap();
    let s = &mut form.subject;
    for field in [&mut s.name, &mut s.certificate_number, &mut s.province, &mut s.certificate_address, &mut s.filing_number, &mut s.principal.id_number, &mut s.principal.mobile, &mut s.principal.email] {
        *field = text.clone();
    }
    let w = &mut form.websites[0];
    for field in [&mut w.name, &mut w.homepage, &mut w.filing_number] {
        *field = text.clone();
    }
    w.domains.push(text.clone());
    w.access.ips.push(text);
    let _ = form::check(&form, &options);
});
