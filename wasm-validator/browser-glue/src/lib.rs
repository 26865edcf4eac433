//! What both browser modules share at the boundary: reading plain JavaScript objects, building
//! them, and turning an error into a thrown `Error`. Empty on other targets.
//!
//! By hand (`Reflect`), not through serde: serde's derived visitors, serde-wasm-bindgen and the
//! float formatting its error messages pull in were a fifth of the validator module and a third of
//! the guide module (issue 22). The shapes stay serde's (the command line's and the data files'
//! JSON): a missing optional field or `null` reads as its default; results are plain objects with
//! `null` for none.

#![cfg(target_arch = "wasm32")]

/// Both modules' allocator (this crate is in both).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

/// The one way an error reaches JavaScript.
pub fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// A JavaScript string.
pub fn s(text: &str) -> JsValue {
    JsValue::from_str(text)
}

/// A plain object from `(key, value)` pairs, in that order.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &s(k), v);
    }
    o.into()
}

/// A value's field, or `undefined` when the value is no object.
pub fn get(value: &JsValue, key: &str) -> JsValue {
    if value.is_object() {
        Reflect::get(value, &s(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// `undefined` or `null`: a field left out.
pub fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// `text` as one of the words `all` (by their `id`), or an error listing them.
pub fn word<T: Copy>(text: &str, all: &[T], id: fn(T) -> &'static str) -> Result<T, String> {
    all.iter().copied().find(|w| id(*w) == text).ok_or_else(|| {
        let expected: Vec<&str> = all.iter().map(|w| id(*w)).collect();
        format!("unknown value `{text}`, expected one of {}", expected.join(", "))
    })
}

/// Reads one object's fields; errors name the field by its path (`subject.principal.mobile: …`).
pub struct Reader<'a> {
    value: &'a JsValue,
    path: String,
}

impl<'a> Reader<'a> {
    /// `value` must be an object (`path` names it in the error).
    pub fn new(value: &'a JsValue, path: &str) -> Result<Reader<'a>, String> {
        if !value.is_object() {
            return Err(format!("{}: expected an object", if path.is_empty() { "the value" } else { path }));
        }
        Ok(Reader { value, path: path.to_owned() })
    }

    /// An object that may be left out (`undefined`/`null`): reads as an empty one.
    pub fn optional(value: &'a JsValue, path: &str) -> Result<Reader<'a>, String> {
        if absent(value) {
            return Ok(Reader { value, path: path.to_owned() });
        }
        Reader::new(value, path)
    }

    /// The path of field `key`.
    pub fn name(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_owned() } else { format!("{}.{key}", self.path) }
    }

    pub fn get(&self, key: &str) -> JsValue {
        get(self.value, key)
    }

    /// A string field that must be there.
    pub fn string(&self, key: &str) -> Result<String, String> {
        let v = self.get(key);
        if absent(&v) {
            return Err(format!("missing field `{}`", self.name(key)));
        }
        v.as_string().ok_or_else(|| format!("{}: expected a string", self.name(key)))
    }

    /// A string field, `None` when left out.
    pub fn opt_string(&self, key: &str) -> Result<Option<String>, String> {
        if absent(&self.get(key)) { Ok(None) } else { self.string(key).map(Some) }
    }

    /// A string field, empty when left out.
    pub fn string_or_empty(&self, key: &str) -> Result<String, String> {
        Ok(self.opt_string(key)?.unwrap_or_default())
    }

    /// A boolean field, false when left out.
    pub fn boolean_or_false(&self, key: &str) -> Result<bool, String> {
        let v = self.get(key);
        if absent(&v) {
            return Ok(false);
        }
        v.as_bool().ok_or_else(|| format!("{}: expected true or false", self.name(key)))
    }

    /// A whole number field, `None` when left out.
    pub fn opt_u32(&self, key: &str) -> Result<Option<u32>, String> {
        let v = self.get(key);
        if absent(&v) {
            return Ok(None);
        }
        match v.as_f64() {
            Some(n) if (0.0..=u32::MAX as f64).contains(&n) && n.fract() == 0.0 => Ok(Some(n as u32)),
            _ => Err(format!("{}: expected a whole number", self.name(key))),
        }
    }

    /// A list field's items with their paths (`websites[0]`); an error when left out.
    pub fn list(&self, key: &str) -> Result<Vec<(JsValue, String)>, String> {
        let v = self.get(key);
        if absent(&v) {
            return Err(format!("missing field `{}`", self.name(key)));
        }
        let list = v.dyn_ref::<Array>().ok_or_else(|| format!("{}: expected a list", self.name(key)))?;
        Ok(list.iter().enumerate().map(|(i, item)| (item, format!("{}[{i}]", self.name(key)))).collect())
    }

    /// The same, empty when left out.
    pub fn list_or_empty(&self, key: &str) -> Result<Vec<(JsValue, String)>, String> {
        if absent(&self.get(key)) { Ok(Vec::new()) } else { self.list(key) }
    }

    /// A list of strings; an error when left out.
    pub fn strings(&self, key: &str) -> Result<Vec<String>, String> {
        self.list(key)?.into_iter().map(|(item, path)| item.as_string().ok_or_else(|| format!("{path}: expected a string"))).collect()
    }

    /// The same, empty when left out.
    pub fn strings_or_empty(&self, key: &str) -> Result<Vec<String>, String> {
        if absent(&self.get(key)) { Ok(Vec::new()) } else { self.strings(key) }
    }

    /// An object field that may be left out (reads as empty).
    pub fn object(&self, key: &str) -> Result<(JsValue, String), String> {
        let v = self.get(key);
        if !absent(&v) && !v.is_object() {
            return Err(format!("{}: expected an object", self.name(key)));
        }
        Ok((v, self.name(key)))
    }

    /// An object field's `(key, value)` entries in the object's order; empty when left out.
    pub fn entries(&self, key: &str) -> Result<Vec<(String, JsValue, String)>, String> {
        let (v, path) = self.object(key)?;
        if absent(&v) {
            return Ok(Vec::new());
        }
        let o: &Object = v.unchecked_ref();
        Ok(Object::entries(o)
            .iter()
            .filter_map(|e| {
                let pair: Array = e.unchecked_into();
                let k = pair.get(0).as_string()?;
                let p = format!("{path}.{k}");
                Some((k, pair.get(1), p))
            })
            .collect())
    }

    /// A word of the form (`id-card`, `new-site`), `None` when left out.
    pub fn word<T: Copy>(&self, key: &str, all: &[T], id: fn(T) -> &'static str) -> Result<Option<T>, String> {
        match self.opt_string(key)? {
            None => Ok(None),
            Some(text) => word(&text, all, id).map(Some).map_err(|e| format!("{}: {e}", self.name(key))),
        }
    }
}
