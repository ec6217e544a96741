//! Zola's transliteration of heading text, kept apart from article-render
//! because of its size.
//!
//! Zola makes heading ids with the `slug` crate: every character outside
//! ASCII becomes deunicode's ASCII for it (`安` → `An `, `ж` → `zh`), or a
//! hyphen when deunicode has none, and then only ASCII letters and digits
//! count. [`transliterate`] is that first step; article-render applies the
//! second (`src/slug.rs`).
//!
//! deunicode's tables are about 130 KB brotli in wasm, a fifth of the whole
//! renderer, for one generator's ids of non-Latin headings. So native
//! builds link this crate, and the npm package builds it alone as a second,
//! small wasm module that the JavaScript binding loads on demand
//! (`loadTransliterator()`, or at the first need in Node). The module's
//! interface, below, is three C functions over its own memory: no
//! wasm-bindgen, no imports.

/// `text` with every character outside ASCII replaced by its ASCII
/// transliteration, or by `-` when there is none: what the `slug` crate
/// reads before it keeps letters and digits.
pub fn transliterate(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(deunicode::deunicode_char(c).unwrap_or("-"));
        }
    }
    out
}

/// The wasm module's interface, for the binding's JavaScript
/// (`js/translit.js`): it asks for an input buffer of `len` bytes, writes
/// the text's UTF-8 into it, calls `transliterate_input`, and reads that
/// many bytes at `output`.
#[cfg(target_arch = "wasm32")]
mod module {
    use std::cell::RefCell;

    thread_local! {
        static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
        static OUTPUT: RefCell<String> = const { RefCell::new(String::new()) };
    }

    /// Where to write `len` bytes of UTF-8 text.
    #[unsafe(no_mangle)]
    pub extern "C" fn input(len: usize) -> *mut u8 {
        INPUT.with_borrow_mut(|input| {
            input.clear();
            input.resize(len, 0);
            input.as_mut_ptr()
        })
    }

    /// Transliterates the input; returns the output's length in bytes.
    #[unsafe(no_mangle)]
    pub extern "C" fn transliterate_input() -> usize {
        INPUT.with_borrow(|input| {
            // The binding writes `TextEncoder`'s output, always UTF-8.
            let text = std::str::from_utf8(input).unwrap_or_default();
            OUTPUT.with_borrow_mut(|output| {
                *output = super::transliterate(text);
                output.len()
            })
        })
    }

    /// Where the last output starts.
    #[unsafe(no_mangle)]
    pub extern "C" fn output() -> *const u8 {
        OUTPUT.with_borrow(|output| output.as_ptr())
    }
}

#[cfg(test)]
mod tests {
    use super::transliterate;

    #[test]
    fn ascii_stays_and_other_scripts_become_ascii() {
        assert_eq!(transliterate("Hello, world"), "Hello, world");
        assert_eq!(transliterate("Привет"), "Privet");
        assert_eq!(transliterate("Æ é"), "AE e");
        assert!(transliterate("安装").is_ascii());
        assert!(transliterate("安装").to_lowercase().starts_with("an"));
    }

    #[test]
    fn characters_without_a_transliteration_become_a_hyphen() {
        // A private-use character: deunicode has nothing for it.
        assert_eq!(transliterate("a\u{E000}b"), "a-b");
    }
}
