//! Times the whole-form check on a form with many websites (issue 9.8: 100,000 websites took
//! 17.5 s, 10,000 took 0.13 s, because the cross-field checks compared every pair).
//! A measurement, not a test: `cargo run --release -p beian-rules --example time_big_form -- 100000`.

use std::time::Instant;
use beian_rules::date::Date;
use beian_rules::form::{self, Form, FormOptions};

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![1_000, 10_000, 100_000] } else { sizes };
    let clean: Form = serde_json::from_str(include_str!("form-clean.json")).expect("the clean example parses");
    // The size limit is lifted: this measures the checks themselves.
    let options = FormOptions::new(Date::new(2026, 11, 23).unwrap())
        .with_ip_ranges(&["192.0.2.0/24"])
        .unwrap()
        .with_max_websites(usize::MAX);
    for n in sizes {
        let mut big = clean.clone();
        big.websites = (0..n)
            .map(|i| {
                let mut w = clean.websites[0].clone();
                w.domains = vec![format!("notes-{i}.cn")];
                w.homepage = format!("www.notes-{i}.cn");
                w
            })
            .collect();
        let json = serde_json::to_string(&big).unwrap();
        let start = Instant::now();
        let parsed: Form = serde_json::from_str(&json).unwrap();
        let parse = start.elapsed();
        let start = Instant::now();
        let checked = form::check(&parsed, &options);
        let check = start.elapsed();
        println!("{n:>7} websites ({:.1} MB of JSON): parse {:.3} s, check {:.3} s, {} findings", json.len() as f64 / 1e6, parse.as_secs_f64(), check.as_secs_f64(), checked.findings.len());
    }
}
