//! The JavaScript binding: options in, `Rendered` out, nothing more.
//!
//! Both cross the boundary as JSON text (the result's HTML as a string of
//! its own). Options are read with
//! `serde_path_to_error` so that a wrong key or type throws a `TypeError`
//! naming the key. The result is handed to `JSON.parse`, which is fast and
//! makes every key — `__proto__` included — an own data property, where
//! assigning keys one by one would let an article's front matter replace an
//! object's prototype.

use js_sys::JSON;
use wasm_bindgen::prelude::*;

use crate::{Options, render_with_options};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("wasm.d.ts");

/// Renders an article file. Throws a `TypeError` only for invalid options.
#[wasm_bindgen(unchecked_return_type = "Rendered")]
pub fn render(
    source: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = read_options(&options)?;
    let mut rendered =
        render_with_options(source, &options).map_err(|e| type_error(&e.to_string()))?;
    // The HTML, most of the result, goes over as a string of its own rather
    // than escaped into the JSON and parsed out of it again; the empty
    // `html` in the JSON keeps the key's place.
    let html = std::mem::take(&mut rendered.html);
    let json = serde_json::to_string(&rendered).map_err(|e| type_error(&e.to_string()))?;
    let result = JSON::parse(&json)?;
    js_sys::Reflect::set(
        &result,
        &JsValue::from_str("html"),
        &JsValue::from_str(&html),
    )?;
    Ok(result)
}

/// The version of the package, from Cargo.toml.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

fn read_options(value: &JsValue) -> Result<Options, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Options::default());
    }
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(type_error("options must be an object"));
    }
    let json: String = JSON::stringify(value)
        .map_err(|_| type_error("options must be plain JSON data"))?
        .into();
    let mut deserializer = serde_json::Deserializer::from_str(&json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        let inner = inner.split(" at line ").next().unwrap_or(&inner);
        if path == "." {
            type_error(&format!("invalid options: {inner}"))
        } else {
            type_error(&format!("invalid option `{path}`: {inner}"))
        }
    })
}

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}
