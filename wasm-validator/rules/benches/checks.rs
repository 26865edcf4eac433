//! Criterion benchmarks: one ID check, and one whole form. Goals on the development machine:
//! at least 5 million ID checks a second (≤ 200 ns each) and a whole form under 20 µs.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use beian_rules::date::Date;
use beian_rules::form::{self, Form, FormOptions};
use beian_rules::id_number;

fn id_check(c: &mut Criterion) {
    let today = Date::new(2026, 11, 23).unwrap();
    let _ = id_number::check("11010519491231002X", today); // load the region table outside the timing
    c.bench_function("id_number::check (valid)", |b| b.iter(|| id_number::check(black_box("11010519491231002X"), today)));
    c.bench_function("id_number::check (lowercase x)", |b| b.iter(|| id_number::check(black_box("11010519491231002x"), today)));
}

fn form_check(c: &mut Criterion) {
    let form: Form = serde_json::from_str(include_str!("../examples/form-clean.json")).unwrap();
    let broken: Form = serde_json::from_str(include_str!("../examples/form-domains-not-registrable.json")).unwrap();
    let options = FormOptions::new(Date::new(2026, 11, 23).unwrap()).with_ip_ranges(&["192.0.2.0/24", "198.51.100.0/24"]).unwrap();
    let _ = form::check(&form, &options);
    c.bench_function("form::check (clean)", |b| b.iter(|| form::check(black_box(&form), &options)));
    c.bench_function("form::check (three domain errors)", |b| b.iter(|| form::check(black_box(&broken), &options)));
}

criterion_group!(benches, id_check, form_check);
criterion_main!(benches);
