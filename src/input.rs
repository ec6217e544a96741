//! The source text as every later stage may assume it: no BOM, `\n` line
//! ends, no NUL. Lines are never added or removed, so a line number counted
//! here is a line number in the author's file.

use std::borrow::Cow;

use crate::rendered::Diagnostics;

/// Strips BOMs (a leading one, and the stray ones that concatenated files
/// carry), turns CRLF and lone CR into LF and NUL into U+FFFD (as CommonMark
/// and HTML do), with a warning where the first NUL was. Borrows when there
/// is nothing to change.
pub fn normalize<'a>(source: &'a str, diagnostics: &mut Diagnostics) -> Cow<'a, str> {
    let source = source.strip_prefix('\u{FEFF}').unwrap_or(source);
    // memchr, and `find` for the BOM's three bytes: every render asks this
    // of the whole file (`str::contains('\u{FEFF}')` is a Two-Way search,
    // 1.2 % of a raw-HTML render in wasm).
    if memchr::memchr2(b'\r', 0, source.as_bytes()).is_none()
        && !crate::find::contains(source, "\u{FEFF}")
    {
        return Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\0' => out.push('\u{FFFD}'),
            '\u{FEFF}' => {}
            c => out.push(c),
        }
    }
    if let Some(nul) = source.find('\0') {
        let count = source.bytes().filter(|&b| b == 0).count();
        diagnostics.warn(
            "input.nul-character",
            format!("The file contains {count} NUL character(s); each was replaced by U+FFFD."),
            Some(line_at(source, nul)),
        );
    }
    Cow::Owned(out)
}

/// 1-based line number of byte `offset` in `text`.
pub fn line_at(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalize(source: &str) -> Cow<'_, str> {
        super::normalize(source, &mut Diagnostics::default())
    }

    #[test]
    fn bom_and_line_ends() {
        assert_eq!(
            normalize("\u{FEFF}a\r\nb\rc\u{FEFF}\n"),
            "a\nb\nc\n",
            "a BOM is dropped and CRLF and CR both become LF"
        );
        assert!(
            matches!(normalize("plain\ntext"), Cow::Borrowed(_)),
            "clean input is borrowed, not copied"
        );
    }

    #[test]
    fn nul_becomes_replacement_character() {
        let mut d = Diagnostics::default();
        assert_eq!(
            super::normalize("x\na\0b\0", &mut d),
            "x\na\u{FFFD}b\u{FFFD}",
            "NUL is replaced, never passed on"
        );
        assert_eq!(
            (d.0[0].code, d.0[0].line),
            ("input.nul-character", Some(2)),
            "one warning, at the first NUL"
        );
    }

    #[test]
    fn line_numbers_are_one_based() {
        assert_eq!(line_at("a\nb\nc", 0), 1);
        assert_eq!(
            line_at("a\nb\nc", 2),
            2,
            "the first byte of the second line is on line 2"
        );
        assert_eq!(
            line_at("a\nb\nc", 99),
            3,
            "an offset past the end is on the last line"
        );
    }
}
