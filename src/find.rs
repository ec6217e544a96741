//! Substring searches over a whole article body, which several stages make
//! before deciding whether they have work to do. `str::contains` and
//! `str::find` are a Two-Way search with a SIMD prefilter on x86-64 only:
//! in wasm32 they step through the body, and a profile of the package put
//! them at 7 % of a Markdown render. memchr's `memmem` prefilters on a rare
//! byte of the needle with a word-at-a-time `memchr` on every target.
//! The lines of a body are found here too, for the same reason: the
//! standard library's line splits search with core's `memchr`, 8 bytes a
//! step in wasm32, where memchr's is SIMD.

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

/// The lines of `text`, each with its `\n`: `str::split_inclusive('\n')`,
/// whose search is core's word-at-a-time `memchr` (8 bytes a step in wasm)
/// where memchr's is SIMD; every line of a Markdown body goes through a
/// few such passes.
pub fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes());
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = ends.next().map_or(text.len(), |at| at + 1);
        let line = &text[start..end];
        start = end;
        Some(line)
    })
}

/// The lines of `text` as `str::lines` gives them (without `\n` or
/// `\r\n`), found as [`lines_inclusive`] finds them.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    lines_inclusive(text).map(|line| match line.strip_suffix('\n') {
        Some(line) => line.strip_suffix('\r').unwrap_or(line),
        None => line,
    })
}

/// Where each line of `text` after the first starts: after each `\n`.
pub fn line_breaks(text: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1)
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

        /// Lines as the standard library's splits give them.
        #[test]
        fn lines_as_str_splits(text in "[a\r\n]{0,12}") {
            let ours: Vec<_> = lines_inclusive(&text).collect();
            let std: Vec<_> = text.split_inclusive('\n').collect();
            proptest::prop_assert_eq!(ours, std);
            let ours: Vec<_> = lines(&text).collect();
            let std: Vec<_> = text.lines().collect();
            proptest::prop_assert_eq!(ours, std);
            let ours: Vec<_> = line_breaks(&text).collect();
            let std: Vec<_> = text.match_indices('\n').map(|(at, _)| at + 1).collect();
            proptest::prop_assert_eq!(ours, std);
        }
    }
}
