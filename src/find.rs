//! Substring searches over a whole article body, which several stages make
//! before deciding whether they have work to do. `str::contains` and
//! `str::find` are a Two-Way search with a SIMD prefilter on x86-64 only:
//! in wasm32 they step through the body, and a profile of the package put
//! them at 7 % of a Markdown render. memchr's `memmem` prefilters on a rare
//! byte of the needle with a word-at-a-time `memchr` on every target.

/// Where `needle` first occurs in `haystack`.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    memchr::memmem::find(haystack.as_bytes(), needle.as_bytes())
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// Whether `text` holds `{{` or `{%`, the openers of Liquid, Hugo and Zola
/// templates: one pass over its braces.
pub fn has_template_open(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'{', bytes).any(|at| matches!(bytes.get(at + 1), Some(b'{' | b'%')))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The same answers as the standard library's.
        #[test]
        fn as_str_finds(text in "[{%}a<!-]{0,16}", needle in "[{%}a<!-]{1,3}") {
            proptest::prop_assert_eq!(find(&text, &needle), text.find(&needle));
            proptest::prop_assert_eq!(
                has_template_open(&text),
                text.contains("{{") || text.contains("{%")
            );
        }
    }
}
