//! Raw-text start tags that would swallow the rest of the article.
//!
//! The text of `<title>`, `<style>`, `<textarea>`, `<xmp>`, `<script>`,
//! `<iframe>`, `<noembed>`, `<noframes>` and `<noscript>` is not markup: the
//! parser reads everything up to the element's own end tag as its content,
//! and the sanitizer drops that content. A tag mentioned in prose ("put the
//! name in the `<title>` element") has no end tag, so the rest of the article
//! would vanish; `<plaintext>` has no end tag at all. Such a start tag is
//! written as text instead (its `<` as `&lt;`), which is what GitHub's
//! tag filter does to all of them. A complete `<style>…</style>` is left
//! for the sanitizer, which removes it and says so.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::rendered::Diagnostics;

/// The names whose start tag starts raw text or RCDATA, and `<plaintext>`,
/// which never ends (a test holds this to the tokenizer's list,
/// `crate::html::guard::depth::raw_text`).
const SWALLOWING: [&str; 10] = [
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
];

/// A tag at `at` in `html` whose name is [`SWALLOWING`]: its name,
/// lowercased, and whether it is an end tag; `None` unless `<` starts a
/// start or end tag by the tokenizer's rule (a letter after `<` or `</`,
/// the name ending at white space, `/`, `>`) and its name swallows. This
/// runs at every `<` of a body: the name is lowercased on the stack and
/// compared with the ten names directly (a lookup in the element table
/// cost news articles 3 % of their render).
fn tag_at(html: &str, at: usize) -> Option<(&'static str, bool)> {
    let bytes = html.as_bytes();
    let closing = bytes.get(at + 1) == Some(&b'/');
    let start = at + 1 + usize::from(closing);
    // The first letters of the ten names, in either case: most tags
    // (`a`, `div`, `b`, `em`, `font`, `h2`) end here.
    if !bytes
        .get(start)
        .is_some_and(|b| matches!(b | 0x20, b'i' | b'n' | b'p' | b's' | b't' | b'x'))
    {
        return None;
    }
    // Only names of 3 to 9 bytes matter: a name is read no further than
    // that, or a text of `<` without a space after them would be read to
    // its end from each one.
    let len = bytes[start..]
        .iter()
        .take(10)
        .take_while(|b| !matches!(b, b'\t' | b'\n' | b'\x0c' | b' ' | b'/' | b'>'))
        .count();
    if !(3..=9).contains(&len) {
        return None;
    }
    let mut name = [0u8; 9];
    name[..len].copy_from_slice(&bytes[start..start + len]);
    name.make_ascii_lowercase();
    let name = SWALLOWING.iter().find(|n| n.as_bytes() == &name[..len])?;
    Some((name, closing))
}

/// Cheap test before any work: could `html` hold a swallowing start tag?
pub fn may_have(html: &str) -> bool {
    memchr::memchr_iter(b'<', html.as_bytes())
        .any(|at| tag_at(html, at).is_some_and(|(_, closing)| !closing))
}

/// Offsets of the `<` of each swallowing start tag of `html` whose own end
/// tag does not come after it in `html`, with the tag's name.
pub fn unclosed(html: &str) -> Vec<(usize, String)> {
    let mut starts = Vec::new();
    // The last end tag of each name: a start tag before it is closed.
    let mut last_end: BTreeMap<&str, usize> = BTreeMap::new();
    for at in memchr::memchr_iter(b'<', html.as_bytes()) {
        let Some((name, closing)) = tag_at(html, at) else {
            continue;
        };
        if closing {
            last_end.insert(name, at);
        } else {
            starts.push((at, name.to_owned()));
        }
    }
    starts.retain(|(at, name)| {
        name == "plaintext" || last_end.get(name.as_str()).is_none_or(|end| end < at)
    });
    starts
}

/// `html` with the `<` at each offset written as `&lt;`.
pub fn escape_at(html: &str, offsets: impl IntoIterator<Item = usize>) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    let mut from = 0;
    for at in offsets {
        out.push_str(&html[from..at]);
        out.push_str("&lt;");
        from = at + 1;
    }
    out.push_str(&html[from..]);
    out
}

/// Start tags shown as text, counted per name with the first line, for one
/// diagnostic each.
#[derive(Default)]
pub struct Shown(BTreeMap<String, (usize, Option<usize>)>);

impl Shown {
    pub fn add(&mut self, name: &str, line: Option<usize>) {
        let entry = self.0.entry(name.to_owned()).or_insert((0, line));
        entry.0 += 1;
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One diagnostic per name; lines are counted from `first_line`.
    pub fn report(&self, first_line: usize, diagnostics: &mut Diagnostics) {
        for (name, (count, line)) in &self.0 {
            let line = line.map(|l| first_line + l);
            let times = if *count == 1 {
                String::new()
            } else {
                format!(" ({count} times)")
            };
            diagnostics.info(
                "body.unclosed-raw-text",
                format!("<{name}> has no end tag after it, so it is shown as text instead of hiding the rest of the article{times}."),
                line,
            );
        }
    }
}

/// A raw-HTML body with its swallowing start tags that are never closed
/// written as text; `first_line` is the body's line in the file.
pub fn escape_html_body<'a>(
    html: &'a str,
    first_line: usize,
    diagnostics: &mut Diagnostics,
) -> Cow<'a, str> {
    let found = unclosed(html);
    if found.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut shown = Shown::default();
    let mut line = 0;
    let mut counted = 0;
    for (at, name) in &found {
        line += html[counted..*at].matches('\n').count();
        counted = *at;
        shown.add(name, Some(line));
    }
    shown.report(first_line, diagnostics);
    Cow::Owned(escape_at(html, found.iter().map(|(at, _)| *at)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::guard::depth;

    #[test]
    fn the_swallowing_names_are_the_tokenizers() {
        for (name, _) in crate::html::elements::ELEMENTS {
            assert_eq!(
                tag_at(&format!("<{name}>"), 0).is_some(),
                depth::raw_text(name).is_some() || *name == "plaintext",
                "{name}"
            );
        }
        assert_eq!(tag_at("<TextArea rows=2>", 0), Some(("textarea", false)));
        assert_eq!(tag_at("</sCRIPT>", 0), Some(("script", true)));
        assert_eq!(tag_at("<titles>", 0), None);
        assert_eq!(tag_at("<plaintexts>", 0), None);
        assert_eq!(tag_at("<tïtle>", 0), None);
    }

    #[test]
    fn only_start_tags_without_their_end_tag_are_found() {
        let html = "<p>Put it in the <title> element.</p><style>a{}</style><STYLE>\nrest";
        let found: Vec<_> = unclosed(html).into_iter().map(|(_, n)| n).collect();
        assert_eq!(found, ["title", "style"], "the closed style is left alone");
        assert_eq!(
            escape_at(html, unclosed(html).into_iter().map(|(at, _)| at)),
            "<p>Put it in the &lt;title> element.</p><style>a{}</style>&lt;STYLE>\nrest"
        );
        assert!(
            unclosed("<titles> <scripted> <title-x>").is_empty(),
            "other names"
        );
        assert_eq!(
            unclosed("<plaintext>a</plaintext>").len(),
            1,
            "never closed"
        );
        assert!(may_have("x <Textarea rows=2>") && !may_have("a < b <b>"));
        assert!(
            !may_have(&"[a](<b".repeat(3)),
            "a long name is not one of them"
        );
    }
}
