//! The JavaScript binding: options in, `Rendered` out, nothing more.
//!
//! Both cross the boundary as JSON text (the result's HTML as a string of
//! its own). Options are read with
//! `serde_path_to_error` so that a wrong key or type throws a `TypeError`
//! naming the key. The result is handed to `JSON.parse`, which is fast and
//! makes every key an own data property, where assigning keys one by one
//! would let an article's front matter replace an object's prototype (the
//! library drops `__proto__`, `constructor` and `prototype` keys as well).
//!
//! The source must be a string. Bytes are refused with a `TypeError` that
//! says how to decode them, rather than decoded here: article files come in
//! GB18030, Big5, Shift_JIS and UTF-16 as often as UTF-8, picking the
//! encoding is the caller's (the page guesses it in `www/worker.js`), and a
//! binding that took bytes as UTF-8 would garble those files without a word.

use js_sys::JSON;
use wasm_bindgen::prelude::*;

use crate::{Options, render_with_options};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("wasm.d.ts");

/// Renders an article file. Throws a `TypeError` only for caller bugs: a
/// source that is not a string, or invalid options.
#[wasm_bindgen(unchecked_return_type = "Rendered")]
pub fn render(
    #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let source = read_source(&source)?;
    let options = read_options(&options)?;
    let mut rendered =
        render_with_options(&source, &options).map_err(|e| type_error(&e.to_string()))?;
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

/// Loads Zola's transliteration, a second wasm module of the package
/// (about 130 KB brotli, so not part of the main one), for the heading ids
/// Zola writes in ASCII (`## Привет` → `privet`). Without it those ids keep
/// their letters and the result has an `outline.not-transliterated`
/// warning. `input`: the module's URL, a `Response`, its bytes or a
/// compiled `WebAssembly.Module`; by default `article_render_translit.wasm`
/// beside this package's wasm. Node's entry loads it by itself.
#[wasm_bindgen(js_name = loadTransliterator, unchecked_return_type = "Promise<void>")]
pub fn load_transliterator(
    #[wasm_bindgen(
        unchecked_optional_param_type = "string | URL | Response | Promise<Response> | BufferSource | WebAssembly.Module"
    )]
    input: JsValue,
) -> js_sys::Promise {
    crate::translit::load(input)
}

/// [`load_transliterator`] without waiting: from the module's bytes or a
/// compiled module now, or from a function returning them, called at the
/// first heading that needs it (Node's entry passes one that reads the file).
#[wasm_bindgen(js_name = loadTransliteratorSync)]
pub fn load_transliterator_sync(
    #[wasm_bindgen(
        unchecked_param_type = "BufferSource | WebAssembly.Module | (() => BufferSource | WebAssembly.Module)"
    )]
    input: JsValue,
) -> Result<(), JsValue> {
    crate::translit::load_sync(input)
}

/// The version of the package, from Cargo.toml.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

#[wasm_bindgen]
extern "C" {
    /// The engine's UTF-8 encoder (every engine the package targets has it).
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    #[wasm_bindgen(method)]
    fn encode(this: &TextEncoder, text: &js_sys::JsString) -> js_sys::Uint8Array;
}

/// The source text, or a `TypeError` naming what was passed instead.
///
/// A big text is encoded by the engine, outside wasm memory, and copied in
/// at its exact size: wasm-bindgen's own string passing reserves three
/// bytes per UTF-16 unit from the first character outside ASCII on, and
/// wasm memory never shrinks, so a 10 MB Chinese article grew it by 30 MB
/// before the render started (bench/MEMORY.md). Below [`EXACT_FROM`]
/// that costs little, and wasm-bindgen's passing (one copy, straight into
/// wasm memory) is the faster.
fn read_source(value: &JsValue) -> Result<String, JsValue> {
    /// UTF-16 units from which a source is copied in at its exact size.
    const EXACT_FROM: u32 = 64 * 1024;
    if let Some(text) = value
        .dyn_ref::<js_sys::JsString>()
        .filter(|text| text.length() >= EXACT_FROM)
    {
        let encoded = TextEncoder::new().encode(text);
        let mut bytes = vec![0; encoded.length() as usize];
        encoded.copy_to(&mut bytes);
        // The encoder writes UTF-8 (a lone surrogate as U+FFFD, as
        // wasm-bindgen's passing does).
        return Ok(String::from_utf8(bytes)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()));
    }
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    let passed = describe(value);
    let bytes = value.is_instance_of::<js_sys::Uint8Array>()
        || value.is_instance_of::<js_sys::ArrayBuffer>()
        || js_sys::ArrayBuffer::is_view(value);
    Err(type_error(&if bytes {
        format!(
            "render(source): source must be a string, not {passed}. Decode the file's bytes first: `new TextDecoder().decode(bytes)` reads UTF-8 (and drops a BOM); pass the encoding for other files, e.g. `new TextDecoder(\"gb18030\")`, \"big5\", \"shift_jis\", \"utf-16le\"."
        )
    } else {
        format!("render(source): source must be a string (the article file's text), not {passed}.")
    }))
}

/// What a JavaScript value is, for an error message: `null`, `the number
/// 123`, `a Uint8Array`.
fn describe(value: &JsValue) -> String {
    if value.is_null() {
        return "null".to_owned();
    }
    if value.is_undefined() {
        return "undefined".to_owned();
    }
    if let Some(number) = value.as_f64() {
        return format!("the number {number}");
    }
    if let Some(flag) = value.as_bool() {
        return format!("the boolean {flag}");
    }
    let kind = value.js_typeof().as_string().unwrap_or_default();
    if kind != "object" {
        return format!("a {kind}");
    }
    let name = js_sys::Reflect::get(value, &JsValue::from_str("constructor"))
        .ok()
        .filter(JsValue::is_function)
        .and_then(|c| js_sys::Reflect::get(&c, &JsValue::from_str("name")).ok())
        .and_then(|n| n.as_string())
        .filter(|n| !n.is_empty());
    match name {
        Some(name) if name.starts_with(['A', 'E', 'I', 'O']) => format!("an {name}"),
        Some(name) => format!("a {name}"),
        None => "an object".to_owned(),
    }
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
