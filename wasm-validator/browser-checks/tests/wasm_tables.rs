//! The tables the module fetches after it starts (issue 22), in their own module instance (this
//! file is its own test binary, so nothing has given them yet): the exported checks that need them
//! throw until `loadTables`; the field checks hold such a field back and check it when they arrive,
//! each table as it comes; an ID number is answered at once (format, checksum) and gets its region
//! finding when the regions arrive; fields that need none are checked at once. Run with
//! `scripts/test-validator-wasm.sh`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use beian_browser_checks::*;

wasm_bindgen_test_configure!(run_in_browser);

fn leave(el: &web_sys::HtmlInputElement) {
    let init = web_sys::FocusEventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&web_sys::FocusEvent::new_with_focus_event_init_dict("focusout", &init).unwrap()).unwrap();
}

#[wasm_bindgen_test]
fn checks_that_need_a_table_wait_for_it_and_id_numbers_only_for_their_region() {
    assert!(!tables_loaded());
    assert!(check_id_number("44011320141005001x").is_err(), "no answer from a missing table");
    assert!(check_domain("example.com").is_err());
    assert!(check_uscc("91350100M000100Y43").is_ok(), "a check without tables works at once");

    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    root.set_inner_html(
        r#"<input id="w-id" data-check="id-number" aria-describedby="w-id-msg"><p id="w-id-msg">hint</p>
           <input id="w-domain" data-check="domain" aria-describedby="w-domain-msg"><p id="w-domain-msg">hint</p>
           <input id="w-mobile" data-check="mobile" aria-describedby="w-mobile-msg"><p id="w-mobile-msg">hint</p>"#,
    );
    document.body().unwrap().append_child(&root).unwrap();
    let _checks = attach_field_checks(Some(root.clone())).unwrap();
    let field = |id: &str| -> web_sys::HtmlInputElement { document.get_element_by_id(id).unwrap().unchecked_into() };
    let text = |id: &str| document.get_element_by_id(id).unwrap().text_content().unwrap();
    let (id, domain, mobile) = (field("w-id"), field("w-domain"), field("w-mobile"));

    mobile.set_value("1380013800");
    leave(&mobile);
    assert_eq!(mobile.get_attribute("aria-invalid").as_deref(), Some("true"), "checked at once");
    // 330199: unknown in a known province (a region warning); check character 0 where 7 is right.
    id.set_value("330199200001010010");
    leave(&id);
    domain.set_value("example.invalidtld");
    leave(&domain);
    assert!(text("w-id-msg").contains("校验不通过"), "the checksum at once: {}", text("w-id-msg"));
    assert!(!text("w-id-msg").contains("行政区划"), "no region finding from an empty table: {}", text("w-id-msg"));
    assert_eq!(id.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(text("w-domain-msg"), "hint");

    load_tables(Some(include_str!("../../rules/data/regions.txt").into()), None);
    assert!(text("w-id-msg").contains("校验不通过") && text("w-id-msg").contains("行政区划"), "the region warning when the regions arrive: {}", text("w-id-msg"));
    assert_eq!(text("w-domain-msg"), "hint", "still waiting for the suffixes");
    assert!(!tables_loaded());

    load_tables(None, Some(include_str!("../../rules/data/public-suffixes.txt").into()));
    assert!(tables_loaded());
    assert_eq!(domain.get_attribute("aria-invalid").as_deref(), Some("true"), "checked when the suffixes arrive: {}", text("w-domain-msg"));
    assert!(check_id_number("44011320141005001x").is_ok());
    root.remove();
}
