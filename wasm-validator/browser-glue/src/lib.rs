//! What both browser modules share at the boundary: how a Rust value becomes a plain JavaScript
//! object, and how an error becomes a thrown `Error`. Empty on other targets.

#![cfg(target_arch = "wasm32")]

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The one way an error reaches JavaScript.
pub fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// Plain objects, `null` for none: what a JavaScript caller expects.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(js_error)
}
