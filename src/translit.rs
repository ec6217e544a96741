//! Zola's transliteration of heading text to ASCII, where this build has it.
//!
//! Native builds link the `article-render-translit` crate (deunicode, as
//! Zola's `slug` crate uses). The wasm package does not: those tables would
//! make it a fifth larger for one generator's ids of non-Latin headings. It
//! calls the same crate built as a second wasm module, which the binding's
//! JavaScript (`src/translit.js`) loads on demand; until it is loaded,
//! [`transliterate`] gives `None` and the ids keep their letters, with a
//! diagnostic saying so.

/// `text` with every character outside ASCII as its ASCII transliteration
/// (a hyphen where there is none), or `None` when this build cannot.
#[cfg(not(target_arch = "wasm32"))]
pub fn transliterate(text: &str) -> Option<String> {
    Some(article_render_translit::transliterate(text))
}

/// `text` with every character outside ASCII as its ASCII transliteration
/// (a hyphen where there is none), or `None` when this build cannot.
#[cfg(target_arch = "wasm32")]
pub fn transliterate(text: &str) -> Option<String> {
    module::transliterate(text)
}

/// Whether [`transliterate`] works in this build now (in the wasm package:
/// whether the module is loaded, or can be loaded at once in Node).
pub fn available() -> bool {
    transliterate("").is_some()
}

#[cfg(target_arch = "wasm32")]
pub use module::{load, load_sync};

#[cfg(target_arch = "wasm32")]
mod module {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/translit.js")]
    extern "C" {
        /// The transliteration, or `undefined` before the module is loaded.
        pub fn transliterate(text: &str) -> Option<String>;
        /// Loads the module (its URL, bytes, a `Response`, or a compiled
        /// module; by default the file beside the package's own wasm).
        pub fn load(input: JsValue) -> js_sys::Promise;
        /// Loads the module from bytes or a compiled module now, or from a
        /// function returning them at the first heading that needs it.
        #[wasm_bindgen(catch, js_name = loadSync)]
        pub fn load_sync(input: JsValue) -> Result<(), JsValue>;
    }
}
