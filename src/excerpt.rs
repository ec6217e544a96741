//! The excerpt: Hexo's `<!-- more -->` marker, or the first characters.

use std::borrow::Cow;
use std::ops::Range;

use crate::find;
use crate::text::collapse_whitespace;

/// What the marker becomes in the HTML; the outline stage notes where in
/// the text it stands. Hexo writes `id="more"`, but there a heading "More"
/// keeps its case; here heading ids are lowercase, so the marker's id has a
/// `:`, which no heading id of any generator's slug rule contains.
pub const MORE_MARKER: &str = r#"<span id=":more"></span>"#;

/// The marker's id, before the id prefix.
pub const MORE_ID: &str = ":more";

/// `<!-- more -->`, in any case and spacing.
pub fn is_more_comment(text: &str) -> bool {
    text.trim()
        .strip_prefix("<!--")
        .and_then(|t| t.strip_suffix("-->"))
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("more"))
}

/// Replaces the first `<!-- more -->` comment of a raw-HTML body by [`MORE_MARKER`].
pub fn mark_more(html: &str) -> Cow<'_, str> {
    let mut from = 0;
    while let Some(start) = find::find(&html[from..], "<!--").map(|i| from + i) {
        let Some(end) = html[start..].find("-->").map(|i| start + i + 3) else {
            break;
        };
        if is_more_comment(&html[start..end]) {
            return Cow::Owned(format!("{}{MORE_MARKER}{}", &html[..start], &html[end..]));
        }
        from = end;
    }
    Cow::Borrowed(html)
}

/// The text before the `<!-- more -->` marker when there is one, otherwise
/// the first `length` characters before the footnotes, cut at a word boundary where one is near,
/// with `…` when cut. `code` are the ranges of `text` that were code, kept
/// as written (see [`without_syntax`]).
pub fn excerpt(
    text: &str,
    more_at: Option<usize>,
    notes_at: Option<usize>,
    code: &[Range<usize>],
    length: usize,
) -> String {
    if let Some(at) = more_at {
        return collapse_whitespace(&without_syntax(&text[..at], code));
    }
    let text = collapse_prefix(
        &without_syntax(&text[..notes_at.unwrap_or(text.len())], code),
        length,
    );
    let Some((cut, _)) = text.char_indices().nth(length) else {
        return text;
    };
    let head = &text[..cut];
    // Back up to a space if one is near, so Latin words are not split.
    let head = match head.rfind(' ') {
        Some(space) if space * 2 >= cut => &head[..space],
        _ => head,
    };
    format!("{}…", head.trim_end())
}

/// The text without template and attribute syntax that the page shows as
/// written (a tag left unclosed, an escaped shortcode, kramdown's
/// `{: .class }` and Goldmark's `{.class #id}` lines): a summary reads as
/// prose, and `{%` in a feed or card looks broken. Each construct goes with
/// what it encloses; an opener without its closer goes alone. Syntax that
/// starts in `code` (ranges of `text`, sorted) stays: there the author
/// shows it on purpose ("write `{{ site.url }}` in the layout").
pub fn without_syntax<'t>(text: &'t str, code: &[Range<usize>]) -> Cow<'t, str> {
    if !text.contains('{') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let absolute = text.len() - after.len();
        let i = code.partition_point(|range| range.end <= absolute);
        if code.get(i).is_some_and(|range| range.start <= absolute) {
            out.push('{');
            rest = &after[1..];
            continue;
        }
        let closer = match after.as_bytes().get(1) {
            Some(b'%') => Some("%}"),
            Some(b'{') => Some("}}"),
            Some(b':') => Some("}"),
            Some(b'.' | b'#') if after[2..].starts_with(|c: char| c.is_alphabetic()) => Some("}"),
            _ => None,
        };
        let Some(closer) = closer else {
            out.push('{');
            rest = &after[1..];
            continue;
        };
        // A construct is short and on one line or a few; a bounded look
        // keeps a text full of openers linear.
        let window = &after[..floor_boundary(after, 400)];
        rest = match window[2..].find(closer) {
            Some(k) if closer == "}" && window[..k + 2].contains('\n') => {
                out.push('{');
                &after[1..]
            }
            Some(k) => &after[2 + k + closer.len()..],
            None => &after[2..],
        };
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn floor_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// [`collapse_whitespace`] of the words of `text` up to the first that ends
/// past `length` characters: enough to cut an excerpt of `length` from.
fn collapse_prefix(text: &str, length: usize) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars > length {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += word.chars().count();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_from_marker_or_length() {
        assert_eq!(
            excerpt("intro text\nrest", Some(11), None, &[], 3),
            "intro text",
            "the marker wins over the length"
        );
        assert_eq!(
            excerpt("one two three four", None, None, &[], 12),
            "one two…",
            "cut at a word boundary"
        );
        assert_eq!(
            excerpt("短文", None, None, &[], 200),
            "短文",
            "short text is not cut"
        );
        assert_eq!(excerpt("一二三四五六", None, None, &[], 4), "一二三四…");
    }

    #[test]
    fn template_and_attribute_syntax_is_left_out() {
        assert_eq!(
            excerpt(
                "Photos {% gallery %} {% endgallery %} of the trip.\n{: .mt-4 }\nDay one {{< x >}} was {{ page.title }} long.\nTitle {.lead #top}\n{% unclosed",
                None,
                None,
                &[],
                200
            ),
            "Photos of the trip. Day one was long. Title unclosed"
        );
        assert_eq!(
            excerpt("Sets like {a, b} and {1} stay.", None, None, &[], 200),
            "Sets like {a, b} and {1} stay.",
            "braces that are not template syntax are the author's text"
        );
    }

    #[test]
    fn footnotes_are_left_out() {
        assert_eq!(
            excerpt("Lead text.\nA note.", None, Some(11), &[], 200),
            "Lead text."
        );
    }

    #[test]
    fn marker_in_raw_html() {
        assert_eq!(
            mark_more("<p>a</p><!-- x --><!--MORE--><p>b</p>"),
            format!("<p>a</p><!-- x -->{MORE_MARKER}<p>b</p>")
        );
        assert!(matches!(mark_more("<p>no marker</p>"), Cow::Borrowed(_)));
    }

    /// Template syntax the author put in code is what the post talks
    /// about: the excerpt keeps it; the same syntax left in prose goes.
    #[test]
    fn syntax_in_code_stays() {
        let text = "Write {{ site.url }} in the layout, not {{ page.x }}.";
        let code = vec![6..20, 22..22];
        assert_eq!(
            without_syntax(text, &code),
            "Write {{ site.url }} in the layout, not ."
        );
        assert_eq!(
            excerpt(text, None, None, &code, 200),
            "Write {{ site.url }} in the layout, not ."
        );
    }
}
