//! The field controller: wires a page's `[data-check]` fields and `form[data-check-form]` forms to
//! the rules as the customer types (debounced) and when a field loses focus, and writes the
//! findings into the page (messages, summaries, one-click fixes). DOM work only: every decision is
//! a call into `beian-rules`.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Timeout;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlElement, HtmlFormElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use beian_browser_glue::js_error;
use beian_rules::form::{self, Form};
use beian_rules::image::{self, Limits};
use beian_rules::model::{Expect, SubjectKind};
use beian_rules::website_name::WebsiteNameWords;
use beian_rules::{contact, domain, filing_number, homepage, id_number, uscc, website_name, Finding, Severity};

use crate::{form_options, today, FormCheckOptions, ImageLimitsArg, Needs};

/// How long typing must pause before a field is checked.
const DEBOUNCE_MS: u32 = 300;

/// The listeners of one page. Dropping it (or calling `free()`) detaches them: keep it.
#[wasm_bindgen]
pub struct FieldChecks {
    _listeners: Vec<EventListener>,
}

/// Writes findings into the page.
#[derive(Clone)]
struct Dom {
    document: Document,
}

/// The callback that receives a chosen file's bytes.
type FileRead = Closure<dyn FnMut(JsValue)>;

struct Page {
    dom: Dom,
    pending: RefCell<Option<Timeout>>,
    /// Form controls the customer has been through: only these show their findings.
    touched: RefCell<Vec<String>>,
    /// The callback of the file being read, if any.
    image_read: RefCell<Option<FileRead>>,
    /// The website-name word lists: the provider's, given by the page (`<html
    /// data-website-name-words>`, the text of the site's `content/_data/website-name-words.txt`),
    /// else the built-in ones. Read once, so one module serves every provider.
    words: WebsiteNameWords,
    /// Checks held back until the tables arrive (`loadTables`), or to run again then (ID numbers,
    /// for their region code): a field, or a form and whether it was submitted.
    waiting: RefCell<Vec<(Element, bool)>>,
}

thread_local! {
    /// The attached pages, told when the tables arrive.
    static PAGES: RefCell<Vec<Weak<Page>>> = const { RefCell::new(Vec::new()) };
}

/// The tables arrived: run every check that waited for them.
pub(crate) fn tables_arrived() {
    let pages: Vec<Rc<Page>> = PAGES.with(|p| {
        let mut p = p.borrow_mut();
        p.retain(|w| w.strong_count() > 0);
        p.iter().filter_map(Weak::upgrade).collect()
    });
    for page in pages {
        let waiting = std::mem::take(&mut *page.waiting.borrow_mut());
        for (el, all) in waiting {
            match form_of(&el) {
                Some(form) => page.check_form(form, all),
                None => page.check(&el),
            }
        }
    }
}

#[wasm_bindgen]
extern "C" {
    /// The global `document`, read directly: through `web_sys::window()` it cost four global
    /// look-ups and a type check in the glue.
    #[wasm_bindgen(thread_local_v2, js_name = document)]
    static DOCUMENT: Option<Document>;
}

/// The word lists the page gives, else the built-in ones.
fn page_words(document: &Document) -> WebsiteNameWords {
    document
        .document_element()
        .and_then(|html| html.get_attribute("data-website-name-words"))
        .and_then(|text| WebsiteNameWords::parse(&text).ok())
        .unwrap_or_else(|| WebsiteNameWords::builtin().clone())
}

/// Checks every `[data-check]` field and `form[data-check-form]` under `root` (default: the
/// document) as the customer types (debounced) and when a field loses focus. Events are delegated,
/// so fields added later are checked too.
#[wasm_bindgen(js_name = attachFieldChecks)]
pub fn attach_field_checks(root: Option<Element>) -> Result<FieldChecks, JsError> {
    let document = DOCUMENT.with(Option::clone).ok_or_else(|| js_error("no document"))?;
    let target: web_sys::EventTarget = match root {
        Some(r) => r.into(),
        None => document.clone().into(),
    };
    for message in document.query_selector_all(".field-message").map_err(|_| js_error("selector"))?.values() {
        if let Ok(m) = message.map_err(drop).and_then(|m| m.dyn_into::<Element>().map_err(drop)) {
            let _ = m.set_attribute("aria-live", "polite");
        }
    }
    let words = page_words(&document);
    let page = Rc::new(Page {
        dom: Dom { document },
        pending: RefCell::new(None),
        touched: RefCell::new(Vec::new()),
        image_read: RefCell::new(None),
        words,
        waiting: RefCell::new(Vec::new()),
    });
    PAGES.with(|p| p.borrow_mut().push(Rc::downgrade(&page)));
    let on = |kind: &'static str, prevent: bool, f: fn(&Rc<Page>, &Event)| {
        let page = Rc::clone(&page);
        let options = if prevent { EventListenerOptions::enable_prevent_default() } else { EventListenerOptions::default() };
        EventListener::new_with_options(&target, kind, options, move |e| f(&page, e))
    };
    let listeners = vec![
        on("input", false, |page, e| {
            if let Some(el) = control_of(e) {
                if el.get_attribute("type").as_deref() != Some("file") {
                    page.touch(&el);
                    let page2 = Rc::clone(page);
                    *page.pending.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || page2.check(&el)));
                }
            }
        }),
        on("focusout", false, |page, e| {
            if let Some(el) = control_of(e) {
                page.pending.borrow_mut().take();
                page.touch(&el);
                page.check(&el);
            }
        }),
        on("change", false, |page, e| {
            if let Some(el) = control_of(e) {
                page.touch(&el);
                page.check(&el);
            }
        }),
        on("click", false, |page, e| page.fix(e)),
        on("submit", true, |page, e| {
            let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            let Some(form) = form_of(&target) else { return };
            if form.has_attribute("data-check-form") {
                e.prevent_default();
                page.pending.borrow_mut().take();
                page.check_form(form, true);
            }
        }),
    ];
    Ok(FieldChecks { _listeners: listeners })
}

fn control_of(e: &Event) -> Option<Element> {
    let el: Element = e.target()?.dyn_into().ok()?;
    matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA").then_some(el)
}

// Element types by tag name, not `dyn_ref` (an `instanceof` import each in the glue).
fn is(el: &Element, tag: &str) -> bool {
    el.tag_name() == tag
}

fn input(el: &Element) -> Option<&HtmlInputElement> {
    is(el, "INPUT").then(|| el.unchecked_ref())
}

fn value_of(el: &Element) -> String {
    if let Some(i) = input(el) {
        i.value()
    } else if is(el, "SELECT") {
        el.unchecked_ref::<HtmlSelectElement>().value()
    } else if is(el, "TEXTAREA") {
        el.unchecked_ref::<HtmlTextAreaElement>().value()
    } else {
        String::new()
    }
}

fn set_value(el: &Element, value: &str) {
    if let Some(i) = input(el) {
        i.set_value(value);
    } else if is(el, "TEXTAREA") {
        el.unchecked_ref::<HtmlTextAreaElement>().set_value(value);
    } else if is(el, "SELECT") {
        el.unchecked_ref::<HtmlSelectElement>().set_value(value);
    }
}

fn form_of(el: &Element) -> Option<&HtmlFormElement> {
    is(el, "FORM").then(|| el.unchecked_ref())
}

/// The items of a list field (domains, IPs): one per line, or separated by commas.
fn list_items(text: &str) -> Vec<String> {
    text.split(['\n', ',', '，', '、', ';', '；']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// One step of a field path: `websites[0].domains` is websites, 0, domains.
enum Step<'a> {
    Key(&'a str),
    Index(u32),
}

fn path_steps(path: &str) -> Vec<Step<'_>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        steps.push(Step::Key(key));
        for index in rest.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                steps.push(Step::Index(i));
            }
        }
    }
    steps
}

fn step_key(step: &Step) -> JsValue {
    match step {
        Step::Key(k) => JsValue::from_str(k),
        Step::Index(i) => JsValue::from(*i),
    }
}

/// Sets `value` at `path` in `root`, creating objects and arrays on the way.
fn set_path(root: &JsValue, path: &str, value: JsValue) {
    let steps = path_steps(path);
    let mut node = root.clone();
    for (i, step) in steps.iter().enumerate() {
        let key = step_key(step);
        if i + 1 == steps.len() {
            let _ = Reflect::set(&node, &key, &value);
            return;
        }
        let mut child = Reflect::get(&node, &key).unwrap_or(JsValue::UNDEFINED);
        if child.is_undefined() {
            child = match steps[i + 1] {
                Step::Index(_) => Array::new().into(),
                Step::Key(_) => Object::new().into(),
            };
            let _ = Reflect::set(&node, &key, &child);
        }
        node = child;
    }
}

fn get_path(root: &JsValue, path: &str) -> JsValue {
    path_steps(path).iter().fold(root.clone(), |node, step| {
        if node.is_object() {
            Reflect::get(&node, &step_key(step)).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    })
}

/// How a field's result is shown.
struct Shown<'a> {
    findings: Vec<&'a Finding>,
    /// The corrected value to offer, if it differs from what was typed.
    fix: Option<String>,
    /// The message when nothing is wrong.
    ok: String,
}

impl Page {
    fn touch(&self, el: &Element) {
        self.touch_name(el.get_attribute("name").unwrap_or_else(|| el.id()));
    }

    /// A set as a list: a page has a few dozen controls, and a `BTreeSet` brings its own code.
    fn touch_name(&self, key: String) {
        let mut touched = self.touched.borrow_mut();
        if !touched.contains(&key) {
            touched.push(key);
        }
    }

    fn check(&self, el: &Element) {
        if let Some(form) = el.closest("form[data-check-form]").ok().flatten() {
            let form: &HtmlFormElement = form.unchecked_ref();
            if el.get_attribute("data-check").as_deref() != Some("image") {
                self.check_form(form, false);
                return;
            }
        }
        if el.has_attribute("data-check") {
            self.check_field(el);
        }
        // A domains field of a one-field homepage check: re-check the homepage that reads it.
        if !el.id().is_empty() {
            if let Ok(Some(home)) = self.dom.document.query_selector(&format!("[data-domains-input=\"{}\"]", el.id())) {
                self.check_field(&home);
            }
        }
    }

    fn check_field(&self, el: &Element) {
        let kind = el.get_attribute("data-check").unwrap_or_default();
        if kind == "image" {
            self.check_image(el);
            return;
        }
        let value = value_of(el);
        if value.trim().is_empty() {
            self.dom.show(el, None);
            return;
        }
        let needs = match kind.as_str() {
            "website-name" => Needs::REGIONS,
            "domain" | "homepage" => Needs::SUFFIXES,
            _ => Needs::default(),
        };
        if !needs.met() {
            self.wait(el, false);
            return;
        }
        // An ID number is answered at once (format, checksum, birth date) and again, with its region
        // code, when the regions arrive.
        if kind == "id-number" && !Needs::REGIONS.met() {
            self.wait(el, false);
        }
        let attr = |name: &str| el.get_attribute(name).unwrap_or_default();
        let checked = match kind.as_str() {
            "id-number" => id_number::check(&value, today()),
            "uscc" => uscc::check(&value),
            "filing-number" => filing_number::check(&value, match attr("data-expect").as_str() {
                "subject" => Expect::Subject,
                "website" => Expect::Website,
                _ => Expect::Any,
            }),
            "domain" => domain::check(&value),
            "homepage" => {
                let input = el.get_attribute("data-domains-input").and_then(|id| self.dom.document.get_element_by_id(&id));
                let domains = list_items(&input.map(|i| value_of(&i)).unwrap_or_else(|| attr("data-domains")));
                homepage::check(&value, &domains.iter().map(String::as_str).collect::<Vec<_>>())
            }
            "website-name" => {
                let subject = if attr("data-subject") == "personal" { SubjectKind::Personal } else { SubjectKind::Organisation };
                website_name::check_field(&value, "website_name", subject, false, &self.words)
            }
            "mobile" => contact::check_mobile(&value, "mobile"),
            "email" => contact::check_email(&value, "email"),
            _ => return,
        };
        let fix = (!checked.findings.is_empty() && checked.value != value && !checked.value.is_empty()).then(|| checked.value.clone());
        self.dom.show(el, Some(Shown { findings: checked.findings.iter().collect(), fix, ok: "格式正确。".into() }));
    }

    fn check_image(&self, el: &Element) {
        let Some(file) = input(el).and_then(|i| i.files()).and_then(|f| f.get(0)) else {
            self.dom.show(el, None);
            return;
        };
        let number = |name: &str| el.get_attribute(name).and_then(|v| v.parse().ok());
        let limits = Limits::from(ImageLimitsArg { min_width: number("data-min-width"), min_height: number("data-min-height"), max_kb: number("data-max-kb") });
        let (el, dom) = (el.clone(), self.dom.clone());
        let done = Closure::<dyn FnMut(JsValue)>::once(move |buffer: JsValue| {
            let bytes = Uint8Array::new(&buffer).to_vec();
            let checked = image::check(&bytes, &limits);
            let ok = checked.value.map(|i| format!("{}×{} 像素，{} KB，符合要求。", i.width, i.height, i.bytes.div_ceil(1024))).unwrap_or_default();
            dom.show(&el, Some(Shown { findings: checked.findings.iter().collect(), fix: None, ok }));
        });
        let _ = file.array_buffer().then(&done);
        // Kept until the next file is chosen: the promise may resolve after this returns.
        *self.image_read.borrow_mut() = Some(done);
    }

    /// Reads the form's named controls into the library's form shape. Empty controls are left out:
    /// the library reports a missing field itself.
    fn read_form(form: &HtmlFormElement) -> (JsValue, Vec<Element>) {
        let root: JsValue = Object::new().into();
        let mut controls = Vec::new();
        let elements = form.elements();
        for i in 0..elements.length() {
            let Some(el) = elements.item(i) else { continue };
            let Some(name) = el.get_attribute("name").filter(|n| !n.is_empty()) else { continue };
            if el.get_attribute("type").as_deref() == Some("file") {
                continue;
            }
            controls.push(el.clone());
            let input = input(&el);
            let value = if input.is_some_and(|i| i.type_() == "checkbox") {
                JsValue::from_bool(input.is_some_and(HtmlInputElement::checked))
            } else if input.is_some_and(|i| i.type_() == "radio") {
                if !input.is_some_and(HtmlInputElement::checked) {
                    continue;
                }
                JsValue::from_str(&value_of(&el))
            } else {
                let text = value_of(&el);
                if text.trim().is_empty() {
                    continue;
                }
                if el.has_attribute("data-list") {
                    list_items(&text).iter().map(|s| JsValue::from_str(s)).collect::<Array>().into()
                } else {
                    JsValue::from_str(&text)
                }
            };
            set_path(&root, &name, value);
        }
        (root, controls)
    }

    /// Holds a check back until the tables arrive (once per element).
    fn wait(&self, el: &Element, all: bool) {
        let mut waiting = self.waiting.borrow_mut();
        match waiting.iter_mut().find(|(w, _)| w == el) {
            Some(w) => w.1 |= all,
            None => waiting.push((el.clone(), all)),
        }
    }

    fn check_form(&self, form: &HtmlFormElement, all: bool) {
        let (value, controls) = Self::read_form(form);
        let value = crate::convert::form_from_js(&value);
        if value.as_ref().is_ok_and(|f| !Needs::of_form(f).met()) {
            self.wait(form, all);
            return;
        }
        if value.as_ref().is_ok_and(|f| Needs::ids(f) && !Needs::REGIONS.met()) {
            self.wait(form, all); // checked now, and again with the ID numbers' region codes
        }
        let checked = value.map_err(js_error).and_then(|f: Form| {
            let ranges = form.get_attribute("data-ip-ranges").unwrap_or_default().split_whitespace().map(str::to_owned).collect();
            Ok(form::check(&f, &form_options(FormCheckOptions { today: None, ip_ranges: ranges })?.with_words(self.words.clone())))
        });
        let checked = match checked {
            Ok(c) => c,
            Err(e) => {
                web_sys::console::error_1(&JsValue::from(e));
                return;
            }
        };
        if all {
            controls.iter().filter_map(|c| c.get_attribute("name")).for_each(|n| self.touch_name(n));
            self.touch_name(String::new());
        }
        let normalised = crate::convert::form_to_js(&checked.value);
        let touched = self.touched.borrow();
        let mut shown: Vec<(&Finding, Option<&Element>)> = Vec::new();
        for el in &controls {
            let name = el.get_attribute("name").unwrap_or_default();
            let mine: Vec<&Finding> = checked.findings.iter().filter(|f| f.field == name || f.field.strip_prefix(name.as_str()).is_some_and(|r| r.starts_with('['))).collect();
            if !touched.contains(&name) {
                self.dom.show(el, None);
                continue;
            }
            shown.extend(mine.iter().map(|f| (*f, Some(el))));
            let typed = value_of(el);
            let corrected = get_path(&normalised, &name);
            let corrected = match corrected.dyn_ref::<Array>() {
                Some(list) => list.iter().filter_map(|v| v.as_string()).collect::<Vec<_>>().join("\n"),
                None => corrected.as_string().unwrap_or_default(),
            };
            let fix = (!mine.is_empty() && !corrected.is_empty() && corrected != typed && !el.has_attribute("data-list")).then_some(corrected);
            let ok = if typed.trim().is_empty() { String::new() } else { "✓".into() };
            self.dom.show(el, Some(Shown { findings: mine, fix, ok }));
        }
        // Findings of no control (no website at all, …) appear in the summary once everything is checked.
        if touched.contains(&String::new()) {
            let unplaced: Vec<&Finding> = checked.findings.iter().filter(|f| !shown.iter().any(|(s, _)| std::ptr::eq(*s, *f))).collect();
            shown.extend(unplaced.into_iter().map(|f| (f, None)));
        }
        drop(touched);
        if let Ok(Some(summary)) = form.query_selector("[data-check-summary]") {
            self.dom.summary(&summary, &shown, all);
            if all {
                let _ = summary.unchecked_ref::<HtmlElement>().focus();
            }
        }
    }

    /// A click on "改为 …": put the corrected value in its field and check again.
    fn fix(&self, e: &Event) {
        let Some(button) = e.target().and_then(|t| t.dyn_into::<Element>().ok()).and_then(|t| t.closest("button[data-fix]").ok().flatten()) else {
            return;
        };
        let field = button.get_attribute("data-fix-for").and_then(|id| self.dom.document.get_element_by_id(&id));
        if let (Some(field), Some(value)) = (field, button.get_attribute("data-fix")) {
            set_value(&field, &value);
            self.check(&field);
            let _ = field.unchecked_ref::<HtmlElement>().focus();
        }
    }
}

impl Dom {
    fn summary(&self, summary: &Element, shown: &[(&Finding, Option<&Element>)], all: bool) {
        summary.set_text_content(None);
        let doc = &self.document;
        let heading = self.element("h2", "");
        let errors = shown.iter().filter(|(f, _)| f.is_error()).count();
        if shown.is_empty() {
            summary.set_class_name(if all { "check-summary ok" } else { "check-summary" });
            if all {
                heading.set_text_content(Some("没有发现问题"));
                let _ = summary.append_child(&heading);
                let _ = summary.append_child(&self.element("p", "按照系统里的要求填写即可。提交前请再核对一遍证件上的信息。"));
            }
            return;
        }
        summary.set_class_name(if errors > 0 { "check-summary error" } else { "check-summary warning" });
        heading.set_text_content(Some(&format!("需要修改的地方：{errors} 处错误，{} 处提醒", shown.len() - errors)));
        let _ = summary.append_child(&heading);
        let list = self.element("ol", "");
        for (finding, el) in shown {
            let item = self.element("li", "");
            item.set_class_name(severity_class(finding.severity));
            if let Some(el) = el {
                let link = self.element("a", &label_of(doc, el));
                let _ = link.set_attribute("href", &format!("#{}", el.id()));
                let _ = item.append_child(&link);
                let _ = item.append_with_str_1("：");
            }
            self.describe(&item, finding);
            let _ = list.append_child(&item);
        }
        let _ = summary.append_child(&list);
    }

    fn element(&self, tag: &str, text: &str) -> Element {
        // Not `expect` on the Result: that needs JsValue's Debug, whose formatting code the
        // module would then carry.
        #[allow(clippy::ok_expect)]
        let el = self.document.create_element(tag).ok().expect("a valid tag name");
        if !text.is_empty() {
            el.set_text_content(Some(text));
        }
        el
    }

    /// The message, the MIIT code and the link to the page that explains it.
    fn describe(&self, parent: &Element, f: &Finding) {
        let _ = parent.append_with_str_1(&f.message);
        let link = self.element("a", &match f.miit_code {
            Some(code) => format!("管局代码 {code}：怎么改"),
            None => "怎么改".into(),
        });
        let _ = link.set_attribute("href", f.help);
        let _ = link.set_attribute("class", "field-help");
        let _ = parent.append_with_str_1(" ");
        let _ = parent.append_child(&link);
    }

    /// Puts a field's findings into its message element (the first id of `aria-describedby`), or
    /// restores the message it had before any check when `shown` is `None`.
    fn show(&self, el: &Element, shown: Option<Shown>) {
        let Some(message) = el
            .get_attribute("aria-describedby")
            .and_then(|ids| ids.split_whitespace().next().map(str::to_owned))
            .and_then(|id| self.document.get_element_by_id(&id))
        else {
            return;
        };
        if !message.has_attribute("data-initial") {
            let _ = message.set_attribute("data-initial", &message.text_content().unwrap_or_default());
        }
        // Unchanged findings leave the DOM alone: nothing is announced twice, and a fix button
        // being clicked (which blurs its field first) is not replaced under the pointer.
        let signature = shown.as_ref().map(|s| {
            let findings: Vec<&str> = s.findings.iter().map(|f| f.message.as_str()).collect();
            format!("{}\u{1f}{}\u{1f}{}", findings.join("\u{1e}"), s.fix.as_deref().unwrap_or(""), s.ok)
        });
        if message.get_attribute("data-shown") == signature {
            return;
        }
        match &signature {
            Some(s) => message.set_attribute("data-shown", s),
            None => message.remove_attribute("data-shown"),
        }
        .ok();
        let Some(shown) = shown else {
            message.set_text_content(message.get_attribute("data-initial").as_deref());
            message.set_class_name("field-message");
            let _ = el.remove_attribute("aria-invalid");
            return;
        };
        message.set_text_content(None);
        let error = shown.findings.iter().any(|f| f.is_error());
        let _ = el.set_attribute("aria-invalid", if error { "true" } else { "false" });
        if shown.findings.is_empty() {
            message.set_class_name("field-message ok");
            message.set_text_content(Some(&shown.ok));
            return;
        }
        message.set_class_name(if error { "field-message error" } else { "field-message warning" });
        for (i, f) in shown.findings.iter().enumerate() {
            if i > 0 {
                let _ = message.append_child(&self.element("br", ""));
            }
            self.describe(&message, f);
        }
        if let Some(fix) = shown.fix {
            // The offered value in its own <bdi>: right-to-left text in it cannot reorder "改为".
            let button = self.element("button", "改为 ");
            let _ = button.append_child(&self.element("bdi", &fix));
            let _ = button.set_attribute("type", "button");
            let _ = button.set_attribute("class", "field-fix");
            let _ = button.set_attribute("data-fix", &fix);
            let _ = button.set_attribute("data-fix-for", &el.id());
            let _ = message.append_with_str_1(" ");
            let _ = message.append_child(&button);
        }
    }
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// "网站 1 · 网站负责人 · 手机号码": the field's label with its fieldsets' legends.
fn label_of(doc: &Document, el: &Element) -> String {
    let mut parts = Vec::new();
    if let Ok(Some(label)) = doc.query_selector(&format!("label[for=\"{}\"]", el.id())) {
        parts.push(label.text_content().unwrap_or_default().trim().to_owned());
    }
    let mut node = el.parent_element();
    while let Some(n) = node {
        if n.tag_name() == "FIELDSET" {
            if let Ok(Some(legend)) = n.query_selector(":scope > legend") {
                parts.push(legend.text_content().unwrap_or_default().trim().to_owned());
            }
        }
        node = n.parent_element();
    }
    parts.reverse();
    parts.retain(|p| !p.is_empty());
    parts.join(" · ")
}
