//! GFM's autolink literals: `www.…`, `http://…`, `https://…`, `ftp://…` and
//! e-mail addresses in text become links, by the rules of the GFM spec's
//! "Autolinks (extension)" section (its examples are the tests, in
//! `tests/spec.rs`). Written here rather than with a crate: `linkify` finds
//! links by its own, wider rules (other schemes, Unicode domains), and the
//! spec's are short.

use std::ops::Range;

/// A link found in text: where, and its address.
#[derive(Debug, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub href: String,
}

/// Cheap test before any work, of a whole source or one text node: does
/// `text` have what every autolink literal [`find`] takes holds, a `www.`
/// (in any case, as [`url_at`] reads it), a `://` or an `@`? One pass with
/// `memchr` over those few bytes instead of [`find`]'s walk over every
/// byte: most text has no link.
pub fn may_have(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'@', b':', b'.', bytes).any(|at| match bytes[at] {
        b'@' => true,
        b':' => bytes[at + 1..].starts_with(b"//"),
        _ => at >= 3 && bytes[at - 3..at].eq_ignore_ascii_case(b"www"),
    })
}

/// Every autolink literal of a text node, in order.
pub fn find(text: &str) -> Vec<Found> {
    if may_have(text) {
        scan(text)
    } else {
        Vec::new()
    }
}

/// [`find`] without the test first.
fn scan(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    // Where the e-mail search may start again: after the last link.
    let mut after_link = 0;
    while at < bytes.len() {
        let b = bytes[at];
        // A www or scheme link starts a line, or follows white space or one
        // of `*`, `_`, `~`, `(`; the text node's start counts as a line's.
        let boundary = at == 0
            || matches!(
                bytes[at - 1],
                b' ' | b'\t' | b'\n' | b'*' | b'_' | b'~' | b'('
            );
        if boundary
            && matches!(b, b'w' | b'W' | b'h' | b'H' | b'f' | b'F')
            && let Some(link) = url_at(text, at)
        {
            at = link.range.end;
            after_link = at;
            found.push(link);
            continue;
        }
        if b == b'@'
            && let Some(link) = email_around(text, at, after_link)
        {
            at = link.range.end;
            after_link = at;
            found.push(link);
            continue;
        }
        at += 1;
    }
    found
}

/// A `www.` or `scheme://` link starting at `at`.
fn url_at(text: &str, at: usize) -> Option<Found> {
    let rest = &text[at..];
    let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
    let (scheme, prefix_len) = if lower.starts_with("www.") {
        ("http://", 0)
    } else if let Some(scheme) = ["http://", "https://", "ftp://"]
        .into_iter()
        .find(|s| lower.starts_with(s))
    {
        ("", scheme.len())
    } else {
        return None;
    };
    let domain_len = valid_domain(&rest[prefix_len..])?;
    let end = rest[prefix_len + domain_len..]
        .find(|c: char| c.is_whitespace() || c == '<')
        .map_or(rest.len(), |e| prefix_len + domain_len + e);
    let end = trim_path(&rest[..end]).max(prefix_len + domain_len);
    let link = &rest[..end];
    Some(Found {
        range: at..at + end,
        href: format!("{scheme}{link}"),
    })
}

/// The length of the valid domain `text` starts with: segments of letters,
/// digits, `_` and `-` separated by periods, at least one period, no `_` in
/// the last two segments.
fn valid_domain(text: &str) -> Option<usize> {
    // No domain is longer than 253 bytes; without a bound, text such as
    // `_www.a_www.a…` would be read to its end from every `www`.
    const LONGEST: usize = 253;
    let len = text
        .char_indices()
        .take(LONGEST + 2)
        .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .map_or(text.len(), |(i, _)| i);
    if len > LONGEST + 1 {
        return None;
    }
    let domain = &text[..len];
    // A period ending the domain is punctuation after it.
    let domain = domain.trim_end_matches('.');
    let segments: Vec<&str> = domain.split('.').collect();
    if segments.len() < 2 || segments.iter().any(|s| s.is_empty()) {
        return None;
    }
    if segments.iter().rev().take(2).any(|s| s.contains('_')) {
        return None;
    }
    Some(domain.len())
}

/// The length of `link` without its trailing punctuation: `?!.,:*_~`, a `)`
/// that has no `(` to match, an entity-like `&name;`.
fn trim_path(link: &str) -> usize {
    let mut end = link.len();
    // Parentheses of `link[..end]`, counted once and kept up to date.
    let open = link.matches('(').count();
    let mut close = link.matches(')').count();
    loop {
        let current = &link[..end];
        let Some(last) = current.chars().last() else {
            return end;
        };
        match last {
            '?' | '!' | '.' | ',' | ':' | '*' | '_' | '~' => end -= 1,
            ')' if close > open => {
                end -= 1;
                close -= 1;
            }
            ';' => {
                let body = &current[..end - 1];
                let name = body.len()
                    - body
                        .trim_end_matches(|c: char| c.is_ascii_alphanumeric())
                        .len();
                if name > 0 && body[..body.len() - name].ends_with('&') {
                    end -= name + 2;
                    // An entity name holds no parentheses: the counts stand.
                } else {
                    return end;
                }
            }
            _ => return end,
        }
    }
}

/// An e-mail address around the `@` at `at`, not reaching back before
/// `from`.
fn email_around(text: &str, at: usize, from: usize) -> Option<Found> {
    let is_local = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+');
    let start = text[from..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_local(*c))
        .last()
        .map(|(i, _)| from + i)?;
    let after = &text[at + 1..];
    let len = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .unwrap_or(after.len());
    let domain = after[..len].trim_end_matches('.');
    if !domain.contains('.') || domain.ends_with(['-', '_']) || domain.split('.').any(str::is_empty)
    {
        return None;
    }
    let end = at + 1 + domain.len();
    Some(Found {
        range: start..end,
        href: format!("mailto:{}", &text[start..end]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(&str, String)> {
        find(text)
            .into_iter()
            .map(|f| (&text[f.range], f.href))
            .collect()
    }

    proptest::proptest! {
        /// The test before the scan never skips a text the scan finds a
        /// link in: text made of the characters links are made of.
        #[test]
        fn the_quick_test_skips_no_link(text in "[wWhHtTpPfF:/.@a-c_ (*~]{0,24}") {
            proptest::prop_assert!(scan(&text).is_empty() || may_have(&text), "{text:?}");
        }
    }

    #[test]
    fn mixed_case_www_links_whatever_else_the_source_holds() {
        assert!(may_have("Visit Www.example.com today"));
        assert_eq!(links("Visit Www.example.com today")[0].0, "Www.example.com");
    }

    #[test]
    fn urls_and_addresses_in_prose() {
        assert_eq!(
            links("See https://example.com/a_(b)), www.example.org. Mail me@example.com."),
            [
                (
                    "https://example.com/a_(b)",
                    "https://example.com/a_(b)".to_owned()
                ),
                ("www.example.org", "http://www.example.org".to_owned()),
                ("me@example.com", "mailto:me@example.com".to_owned()),
            ]
        );
        assert!(links("x.www.example.com nowww.a.b http://localhost a@b").is_empty());
        assert_eq!(
            links("www.example.com/q?a=1&amp;")[0].0,
            "www.example.com/q?a=1",
            "an entity-like end is not part of the link"
        );
    }
}
