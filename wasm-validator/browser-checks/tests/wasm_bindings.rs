//! The JavaScript bindings in headless Chromium (wasm32 only): results arrive as plain objects with
//! camelCase keys, options default, bad input becomes a JS error, and `attachFieldChecks` marks a
//! field, offers its fix and applies it. Run with `scripts/test-validator-wasm.sh` (see README).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use beian_browser_checks::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The tables a page fetches beside the module (every test gives them; the second call is a no-op).
fn tables() {
    load_tables(Some(include_str!("../../rules/data/regions.txt").into()), Some(include_str!("../../rules/data/public-suffixes.txt").into()));
    assert!(tables_loaded());
}

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |v, k| Reflect::get(&v, &k.into()).unwrap())
}

fn json(v: &JsValue) -> String {
    JSON::stringify(v).unwrap().as_string().unwrap()
}

fn object(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

#[wasm_bindgen_test]
fn a_lowercase_x_is_1015_with_the_corrected_value_in_camel_case() {
    tables();
    let r = check_id_number("44011320141005001x").unwrap();
    assert_eq!(get(&r, "ok"), false);
    assert_eq!(get(&r, "value"), "44011320141005001X");
    let f = Array::from(&get(&r, "findings")).get(0);
    assert_eq!(get(&f, "miitCode"), 1015);
    assert_eq!(get(&f, "help"), "/codes/1015/");
    assert_eq!(get(&f, "severity"), "error");
    let finding: &Object = f.unchecked_ref();
    let keys: Vec<String> = Object::keys(finding).iter().map(|k| k.as_string().unwrap()).collect();
    assert_eq!(keys, ["field", "rule", "miitCode", "severity", "message", "help"]);
}

#[wasm_bindgen_test]
fn options_default_and_are_read() {
    tables();
    let website = "京ICP备10206937号-1";
    assert_eq!(get(&check_filing_number(website, JsValue::UNDEFINED).unwrap(), "ok"), true);
    let r = check_filing_number(website, object(r#"{"expect":"subject"}"#)).unwrap();
    assert_eq!(get(&r, "value"), "京ICP备10206937号");
    assert!(check_filing_number(website, object(r#"{"expect":"nonsense"}"#)).is_err(), "an unknown option is a JS error");

    assert_eq!(get(&check_website_name("张三企业网", object(r#"{"subject":"personal"}"#)).unwrap(), "ok"), false);
    assert_eq!(get(&check_website_name("张三企业网", JsValue::NULL).unwrap(), "ok"), true, "default: unit");
    assert_eq!(get(&check_domain("Example.COM").unwrap(), "value"), "example.com");
    assert_eq!(get(&check_uscc("91350100M000100Y43").unwrap(), "ok"), true);
}

#[wasm_bindgen_test]
fn homepage_outside_the_domains_is_1041() {
    tables();
    let r = check_homepage("www.example.net", vec!["example.com".into()]).unwrap();
    let f = Array::from(&get(&r, "findings")).get(0);
    assert_eq!(get(&f, "miitCode"), 1041);
    assert_eq!(get(&f, "field"), "homepage");
}

#[wasm_bindgen_test]
fn the_whole_form_keeps_its_field_names_and_null_codes() {
    tables();
    let form = object(include_str!("../../rules/examples/form-clean.json"));
    let options = object(r#"{"today":"2026-11-23","ipRanges":["192.0.2.0/24"]}"#);
    let r = check_form(form.clone(), options.clone()).unwrap();
    assert_eq!(get(&r, "ok"), true, "{}", json(&r));
    assert_eq!(get(&r, "value.subject.principal.id_number"), "33010619850301003X");

    Reflect::set(&get(&form, "websites").unchecked_into::<Array>().get(0), &"homepage".into(), &"www.example.net".into()).unwrap();
    let r = check_form(form, options).unwrap();
    let f = Array::from(&get(&r, "findings")).get(0);
    assert_eq!(get(&f, "field"), "websites[0].homepage");
    assert!(check_form(object(r#"{"filing_type":"sideways"}"#), JsValue::UNDEFINED).is_err());
    assert!(check_form(object("{}"), object(r#"{"today":"yesterday"}"#)).is_err());
}

#[wasm_bindgen_test]
fn images_are_read_from_their_bytes_with_default_or_given_limits() {
    tables();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend(640u32.to_be_bytes());
    png.extend(480u32.to_be_bytes());
    let r = check_image(&png, JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&r, "value.width"), 640);
    assert_eq!(get(&r, "value.format"), "png");
    assert_eq!(get(&Array::from(&get(&r, "findings")).get(0), "rule"), "image.too_small");
    let r = check_image(&png, object(r#"{"minWidth":640,"minHeight":480}"#)).unwrap();
    assert_eq!(get(&r, "ok"), true);
    let r = check_image(b"%PDF", JsValue::UNDEFINED).unwrap();
    assert!(get(&r, "value").is_null());
}

/// What leaving a field fires (the checks run at once then, without the typing delay).
fn leave(el: &web_sys::HtmlInputElement) {
    let init = web_sys::FocusEventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&web_sys::FocusEvent::new_with_focus_event_init_dict("focusout", &init).unwrap()).unwrap();
}

#[wasm_bindgen_test]
fn attached_checks_mark_the_field_and_apply_the_fix() {
    tables();
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    root.set_inner_html(
        r#"<input id="t-id" data-check="id-number" aria-describedby="t-id-msg"><p class="field-message" id="t-id-msg">hint</p>"#,
    );
    document.body().unwrap().append_child(&root).unwrap();
    let _checks = attach_field_checks(Some(root.clone())).unwrap();
    let input: web_sys::HtmlInputElement = document.get_element_by_id("t-id").unwrap().unchecked_into();
    let message = document.get_element_by_id("t-id-msg").unwrap();
    assert_eq!(message.get_attribute("aria-live").as_deref(), Some("polite"));

    input.set_value("44011320141005001x");
    leave(&input);
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(message.text_content().unwrap().contains("1015"));
    assert_eq!(message.query_selector("a").unwrap().unwrap().get_attribute("href").as_deref(), Some("/codes/1015/"));

    let fix: web_sys::HtmlElement = message.query_selector("button[data-fix]").unwrap().unwrap().unchecked_into();
    fix.click();
    assert_eq!(input.value(), "44011320141005001X");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("false"));

    input.set_value("");
    leave(&input);
    assert_eq!(message.text_content().as_deref(), Some("hint"), "an emptied field gets its hint back");
    root.remove();
}
