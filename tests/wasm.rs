//! The JavaScript binding, tested where it runs: compiled to wasm and run
//! under Node by `wasm-bindgen-test-runner`
//! (`cargo test --target wasm32-unknown-unknown --test wasm`).

#![cfg(target_arch = "wasm32")]

use article_render::wasm::version;
use js_sys::{JSON, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// `render` as JavaScript calls it with a string.
fn render(source: &str, options: JsValue) -> Result<JsValue, JsValue> {
    article_render::wasm::render(JsValue::from_str(source), options)
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| {
        Reflect::get(&v, &JsValue::from_str(key)).expect("the property can be read")
    })
}

fn options(json: &str) -> JsValue {
    JSON::parse(json).expect("test options are JSON")
}

fn type_error_message(result: Result<JsValue, JsValue>) -> String {
    let error = result.expect_err("a caller bug throws");
    assert!(
        error.is_instance_of::<js_sys::TypeError>(),
        "the error is a TypeError"
    );
    error.unchecked_into::<js_sys::Error>().message().into()
}

#[wasm_bindgen_test]
fn markdown_article_has_the_full_shape() {
    let r = render(
        "---\ntitle: Hello &amp; you\ntags: [a, b]\n---\n# 七是加强素质能力建设\n\nText.",
        JsValue::UNDEFINED,
    )
    .expect("default options are valid");
    assert_eq!(
        get(&r, "meta.title").as_string().as_deref(),
        Some("Hello & you")
    );
    assert_eq!(
        get(&r, "bodyFormat").as_string().as_deref(),
        Some("markdown")
    );
    assert_eq!(
        get(&r, "toc.0.id").as_string().as_deref(),
        Some("user-content-七是加强素质能力建设"),
        "CJK heading ids survive the boundary"
    );
    assert!(
        get(&r, "meta.author").is_null(),
        "absent values are null, not undefined"
    );
    assert!(get(&r, "frontMatter.raw").is_string());
    assert!(js_sys::Array::is_array(&get(&r, "meta.tags")));
    for key in [
        "meta",
        "generator",
        "frontMatter",
        "bodyFormat",
        "html",
        "excerpt",
        "toc",
        "stats",
        "images",
        "diagnostics",
    ] {
        assert!(
            Reflect::has(&r, &JsValue::from_str(key)).unwrap(),
            "the result has `{key}`"
        );
    }
    assert_eq!(get(&r, "stats.cjkCharacters").as_f64(), Some(10.0));
}

#[wasm_bindgen_test]
fn html_article_is_sanitized() {
    let r = render(
        "\n---\ntitle: x\ndate: Mon, 19 Jul 2021 11:24:48 GMT\n---\n<div>\n<p onclick=\"x()\">新闻</p>\n\n            <style>.a&#123;&#125;</style>\n</div>",
        options(r#"{"format": "auto"}"#),
    )
    .unwrap();
    assert_eq!(get(&r, "bodyFormat").as_string().as_deref(), Some("html"));
    assert_eq!(
        get(&r, "meta.date").as_string().as_deref(),
        Some("2021-07-19T11:24:48Z")
    );
    let html = get(&r, "html").as_string().unwrap();
    assert!(
        html.contains("<p>新闻</p>") && !html.contains("style") && !html.contains("onclick"),
        "{html}"
    );
    assert_eq!(
        get(&r, "diagnostics.0.code").as_string().as_deref(),
        Some("body.detected-html"),
        "the seed's shape (markup indented after a blank line) is HTML"
    );
    assert!(
        get(&r, "diagnostics.0.line").as_f64().is_some(),
        "diagnostic lines are numbers"
    );
}

#[wasm_bindgen_test]
fn options_are_checked_by_name() {
    let message = type_error_message(render("x", options(r#"{"fomat": "html"}"#)));
    assert!(
        message.contains("fomat"),
        "an unknown key is named: {message}"
    );
    let message = type_error_message(render("x", options(r#"{"markdown": {"math": "yes"}}"#)));
    assert!(
        message.contains("markdown.math"),
        "a wrong type names its key: {message}"
    );
    let message = type_error_message(render(
        "x",
        options(r#"{"baseUrl": "javascript:alert(1)"}"#),
    ));
    assert!(
        message.contains("baseUrl"),
        "an unsafe base URL is refused: {message}"
    );
    let message = type_error_message(render("x", JsValue::from_str("html")));
    assert!(
        message.contains("object"),
        "options must be an object: {message}"
    );
    assert!(
        render("x", JsValue::NULL).is_ok(),
        "null options are the defaults"
    );
    assert!(render("x", options(r#"{"images": "block", "headingIds": false}"#)).is_ok());
}

/// Keys that reach a prototype never reach JavaScript: dropped at any depth
/// with a warning, so neither the result nor a host's naive deep merge of
/// it can change `Object.prototype`.
#[wasm_bindgen_test]
fn prototype_keys_are_dropped() {
    let r = render(
        "---\n__proto__:\n  polluted: yes\nconstructor: c\nprototype: p\nnested:\n  constructor:\n    prototype:\n      polluted: yes\n  kept: 1\n---\nbody",
        JsValue::UNDEFINED,
    )
    .unwrap();
    let extra = get(&r, "meta.extra");
    let own = Object::get_own_property_names(extra.unchecked_ref::<Object>());
    let own: Vec<String> = own.iter().filter_map(|k| k.as_string()).collect();
    assert_eq!(own, ["nested"], "only the ordinary key is left");
    let nested = get(&extra, "nested");
    let own = Object::get_own_property_names(nested.unchecked_ref::<Object>());
    assert_eq!(
        own.length(),
        1,
        "`nested.constructor` is gone, `kept` stays"
    );
    let proto = Object::get_prototype_of(&extra);
    assert!(
        JsValue::from(proto).loose_eq(&JsValue::from(Object::get_prototype_of(&Object::new()))),
        "extra's prototype is Object.prototype"
    );
    assert!(
        get(&extra, "polluted").is_undefined(),
        "nothing was inherited from the article"
    );
    assert!(
        get(&JsValue::from(Object::new()), "polluted").is_undefined(),
        "Object.prototype is untouched"
    );
    let dropped = js_sys::Array::from(&get(&r, "diagnostics"))
        .iter()
        .filter(|d| get(d, "code").as_string().as_deref() == Some("meta.dropped-key"))
        .count();
    assert_eq!(dropped, 4, "each dropped key is reported");
}

/// Unsafe URLs in `meta.extra` are `null` in JavaScript too, not missing.
#[wasm_bindgen_test]
fn unsafe_extra_urls_are_null() {
    let r = render(
        "---\nlink: \" JavaScript:alert(1)\"\nnote: \"Chapter 1: Intro\"\n---\nbody",
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert!(get(&r, "meta.extra.link").is_null());
    assert_eq!(
        get(&r, "meta.extra.note").as_string().as_deref(),
        Some("Chapter 1: Intro")
    );
}

/// A source that is not a string is a caller bug: a `TypeError` that says
/// what was passed and what `render` takes. Bytes are refused with the way
/// to decode them (the binding does not guess an encoding).
#[wasm_bindgen_test]
fn a_source_that_is_not_a_string_is_a_type_error() {
    let call = |source: JsValue| article_render::wasm::render(source, JsValue::UNDEFINED);
    let message = type_error_message(call(JsValue::from_f64(123.0)));
    assert!(
        message.contains("must be a string") && message.contains("the number 123"),
        "{message}"
    );
    let message = type_error_message(call(JsValue::NULL));
    assert!(message.contains("not null"), "{message}");
    let message = type_error_message(call(JsValue::UNDEFINED));
    assert!(message.contains("not undefined"), "{message}");
    let bytes = js_sys::Uint8Array::from(&b"# Hello"[..]);
    let message = type_error_message(call(bytes.into()));
    assert!(
        message.contains("not a Uint8Array") && message.contains("new TextDecoder().decode(bytes)"),
        "{message}"
    );
    let message = type_error_message(call(js_sys::ArrayBuffer::new(4).into()));
    assert!(
        message.contains("not an ArrayBuffer") && message.contains("TextDecoder"),
        "{message}"
    );
    let message = type_error_message(call(Object::new().into()));
    assert!(message.contains("not an Object"), "{message}");
    let message = type_error_message(call(js_sys::Array::new().into()));
    assert!(message.contains("not an Array"), "{message}");
    assert!(
        call(JsValue::from_str("# Hello")).is_ok(),
        "a string is rendered"
    );
}

#[wasm_bindgen_test]
fn big_input_round_trips() {
    let paragraph = "中文段落，English words, and more text. ".repeat(20);
    let source: String = std::iter::repeat_n(
        format!("{paragraph}\n\n"),
        5 * 1024 * 1024 / (paragraph.len() + 2),
    )
    .collect();
    let r = render(&source, JsValue::UNDEFINED).unwrap();
    let html = get(&r, "html").as_string().unwrap();
    assert!(
        html.len() > source.len(),
        "all of the 5 MB article comes back"
    );
    assert!(html.ends_with("</p>\n"));
}

#[wasm_bindgen_test]
fn lone_surrogates_do_not_panic() {
    // A JavaScript string need not be valid UTF-16.
    let js = js_sys::JsString::from_char_code1(0xD800).concat(&JsValue::from_str("# x"));
    let r = article_render::wasm::render(js.into(), JsValue::UNDEFINED).unwrap();
    assert!(
        get(&r, "html").as_string().unwrap().contains('\u{FFFD}'),
        "the lone surrogate became U+FFFD"
    );
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}

/// The limits hold in wasm too: deep nesting, alias bombs and one long line
/// finish without a stack overflow and with their text.
#[wasm_bindgen_test]
fn hostile_shapes_finish() {
    let deep_divs = format!(
        "{}deep{}",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let r = render(&deep_divs, options(r#"{"format": "html"}"#)).unwrap();
    assert!(
        get(&r, "html").as_string().unwrap().contains("deep"),
        "the text under 100,000 divs is kept"
    );

    let quotes = format!("{} x", ">".repeat(100_000));
    assert!(
        render(&quotes, JsValue::UNDEFINED).is_ok(),
        "100,000 nested quotes render"
    );

    let mut bomb = String::from("---\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9u8 {
        let (prev, cur) = ((b'a' + i - 1) as char, (b'a' + i) as char);
        bomb += &format!(
            "{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        );
    }
    bomb += "---\nbody text";
    let r = render(&bomb, JsValue::UNDEFINED).unwrap();
    assert_eq!(
        get(&r, "diagnostics.0.code").as_string().as_deref(),
        Some("front-matter.too-large")
    );
    assert!(
        get(&r, "html").as_string().unwrap().contains("body text"),
        "the body still renders"
    );

    let line = "word ".repeat(2_000_000);
    let r = render(&line, JsValue::UNDEFINED).unwrap();
    assert_eq!(
        get(&r, "stats.words").as_f64(),
        Some(2_000_000.0),
        "a 10 MB line is read whole"
    );
}

/// The wasm package has no transliterator until the binding loads its
/// second module (the package's tests load it): Zola's ids of headings in
/// other scripts keep their letters, and the result says so; a module that
/// cannot be compiled is refused without changing that.
#[wasm_bindgen_test]
fn zola_ids_without_the_transliterator_keep_their_letters_and_say_so() {
    let source = "+++\ntitle = \"Notes\"\n+++\n## Привет, мир\n\n## Café\n";
    let broken = js_sys::Uint8Array::from(&[0u8, 1, 2, 3][..]);
    assert!(article_render::wasm::load_transliterator_sync(broken.into()).is_err());
    let r = render(source, options(r#"{"generator":"zola"}"#)).expect("renders");
    let html = get(&r, "html").as_string().expect("html");
    assert!(html.contains(r#"id="user-content-привет-мир""#), "{html}");
    assert!(html.contains(r#"id="user-content-cafe""#), "{html}");
    let codes: Vec<String> = js_sys::Array::from(&get(&r, "diagnostics"))
        .iter()
        .map(|d| get(&d, "code").as_string().expect("a code"))
        .collect();
    assert!(
        codes.iter().any(|c| c == "outline.not-transliterated"),
        "{codes:?}"
    );
    // Latin alone needs no transliterator, and gets no warning.
    let r = render(
        "+++\n+++\n## Café Über\n",
        options(r#"{"generator":"zola"}"#),
    )
    .expect("renders");
    assert!(
        !JSON::stringify(&get(&r, "diagnostics"))
            .expect("json")
            .as_string()
            .expect("text")
            .contains("not-transliterated")
    );
}

/// A big source (from 64 K UTF-16 units) is copied in through the engine's
/// encoder at its exact size rather than by wasm-bindgen's passing: the
/// render is the same as of the text itself, a lone surrogate read as
/// U+FFFD as wasm-bindgen reads it, and a small source takes the other way
/// to the same result.
#[wasm_bindgen_test]
fn big_sources_cross_the_boundary_as_small_ones_do() {
    let paragraph = "## 第二章：安装 café\n\n文字 text, *emphasis*.\n\n";
    let body = paragraph.repeat(70_000 / paragraph.encode_utf16().count() + 1);
    let source = format!("---\ntitle: Big\n---\n{body}");
    assert!(source.encode_utf16().count() >= 64 * 1024);
    let r = render(&source, JsValue::UNDEFINED).expect("default options are valid");
    let native = article_render::render(&source);
    assert_eq!(get(&r, "html").as_string(), Some(native.html));
    // A lone surrogate at the end of a big and of a small source.
    let lone = js_sys::JsString::from_char_code1(0xD800);
    for text in [source.as_str(), "Small"] {
        let js = js_sys::JsString::from(text).concat(&lone);
        let r = article_render::wasm::render(js.into(), JsValue::UNDEFINED)
            .expect("default options are valid");
        let expected = article_render::render(&format!("{text}\u{FFFD}"));
        assert_eq!(get(&r, "html").as_string(), Some(expected.html));
    }
}
