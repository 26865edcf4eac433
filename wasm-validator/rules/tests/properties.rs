//! Property tests: generated valid numbers pass; every single-character change and every swap of
//! two adjacent characters of a valid ID number is caught (the MOD 11-2 guarantee).

use proptest::prelude::*;
use beian_rules::date::Date;
use beian_rules::{id_number, uscc};

fn today() -> Date {
    Date::new(2026, 11, 23).unwrap()
}

/// Region codes in use throughout (so any birth year fits): a sample from the table.
const REGIONS: [&str; 8] = ["110101", "110105", "310101", "330106", "440104", "420102", "650102", "810000"];

prop_compose! {
    fn valid_id()(region in prop::sample::select(&REGIONS[..]), days in 0i64..20_000, order in 0u32..1000) -> String {
        let birth = Date::from_days_since_epoch(days - 3_000); // 1961 … 2016
        let first17 = format!("{region}{:04}{:02}{:02}{order:03}", birth.year(), birth.month(), birth.day());
        format!("{first17}{}", id_number::calc_check_digit(&first17).unwrap())
    }
}

prop_compose! {
    fn valid_uscc()(authority in prop::sample::select(&b"123456789ANY"[..]), kind in 1u8..4, region in prop::sample::select(&REGIONS[..]),
                    body in prop::collection::vec(prop::sample::select(&b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[..]), 8)) -> String {
        let body = String::from_utf8(body).unwrap();
        let org_check = beian_rules::org_code::calc_check_digit(&body).unwrap();
        let first17 = format!("{}{kind}{region}{body}{org_check}", char::from(authority));
        // The organisation code may use letters the credit code does not (I, O, S, V, Z): skip those.
        if first17.bytes().any(|b| !uscc::ALPHABET.contains(&b)) {
            return String::new();
        }
        format!("{first17}{}", uscc::calc_check_digit(&first17).unwrap())
    }
}

proptest! {
    #[test]
    fn generated_ids_pass(id in valid_id()) {
        let r = id_number::check(&id, today());
        prop_assert!(r.ok && r.findings.is_empty(), "{} {:?}", id, r.findings);
    }

    #[test]
    fn generated_usccs_pass(code in valid_uscc()) {
        prop_assume!(!code.is_empty());
        let r = uscc::check(&code);
        prop_assert!(r.ok && r.findings.is_empty(), "{} {:?}", code, r.findings);
    }

    #[test]
    fn every_single_change_is_caught(id in valid_id()) {
        let chars: Vec<char> = id.chars().collect();
        for i in 0..18 {
            for c in "0123456789X".chars().filter(|&c| c != chars[i]) {
                let mut changed = chars.clone();
                changed[i] = c;
                let changed: String = changed.into_iter().collect();
                prop_assert!(!id_number::check(&changed, today()).ok, "{} → {}", id, changed);
            }
        }
    }

    #[test]
    fn every_adjacent_swap_is_caught(id in valid_id()) {
        let chars: Vec<char> = id.chars().collect();
        for i in 0..17 {
            if chars[i] == chars[i + 1] {
                continue;
            }
            let mut swapped = chars.clone();
            swapped.swap(i, i + 1);
            let swapped: String = swapped.into_iter().collect();
            prop_assert!(!id_number::check(&swapped, today()).ok, "{} → {}", id, swapped);
        }
    }

    #[test]
    fn any_string_is_handled(s in "\\PC{0,40}") {
        let _ = id_number::check(&s, today());
        let _ = uscc::check(&s);
        let _ = beian_rules::domain::check(&s);
        let _ = beian_rules::filing_number::check(&s, beian_rules::filing_number::Expect::Any);
    }
}
