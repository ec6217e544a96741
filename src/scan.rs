//! A scanner for the HTML that ammonia writes — not a parser.
//!
//! html5ever serializes in one regular form: every attribute value in double
//! quotes with `"` as `&quot;`, `<` in text always `&lt;`, no comments and
//! (after the article policy) no raw-text elements. Reading that form back
//! is exact with a few lines, and much cheaper than parsing the HTML again.
//! Only the sanitizer's own output is ever scanned, and only in the build
//! without `--cfg ammonia_unstable` (and tests): see `crate::html::walk`.

/// A piece of serialized HTML.
pub enum Item<'a> {
    Text(&'a str),
    Tag(Tag<'a>),
}

pub struct Tag<'a> {
    pub name: &'a str,
    pub closing: bool,
    pub attrs: Vec<Attr<'a>>,
    /// Offset of the opening `<`.
    pub start: usize,
    /// Offset just after the tag name.
    pub name_end: usize,
    /// Offset of the closing `>`.
    pub gt: usize,
}

pub struct Attr<'a> {
    pub name: &'a str,
    /// Offset of the attribute name.
    pub at: usize,
    /// The value as written (escaped).
    pub value: &'a str,
}

/// The items of `html`, in order.
pub fn items(html: &str) -> impl Iterator<Item = Item<'_>> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= html.len() {
            return None;
        }
        let lt = html[pos..].find('<').map_or(html.len(), |i| pos + i);
        if lt > pos {
            let text = &html[pos..lt];
            pos = lt;
            return Some(Item::Text(text));
        }
        let bytes = html.as_bytes();
        let closing = bytes.get(lt + 1) == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        let name_end = html[name_start..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |i| name_start + i);
        let (attrs, gt) = attributes(html, name_end);
        pos = (gt + 1).min(html.len());
        Some(Item::Tag(Tag {
            name: &html[name_start..name_end],
            closing,
            attrs,
            start: lt,
            name_end,
            gt,
        }))
    })
}

fn attributes(html: &str, mut pos: usize) -> (Vec<Attr<'_>>, usize) {
    let bytes = html.as_bytes();
    let mut attrs = Vec::new();
    loop {
        while pos < bytes.len() && (bytes[pos].is_ascii_whitespace() || bytes[pos] == b'/') {
            pos += 1;
        }
        if pos >= bytes.len() || bytes[pos] == b'>' {
            return (attrs, pos);
        }
        let at = pos;
        while pos < bytes.len() && !matches!(bytes[pos], b'=' | b'>' | b' ' | b'/') {
            pos += 1;
        }
        let name = &html[at..pos];
        let mut value = "";
        if bytes.get(pos) == Some(&b'=') && bytes.get(pos + 1) == Some(&b'"') {
            let start = pos + 2;
            let end = html[start..].find('"').map_or(html.len(), |i| start + i);
            value = &html[start..end];
            pos = (end + 1).min(html.len());
        }
        attrs.push(Attr { name, at, value });
    }
}

/// [`decode`], borrowing `escaped` when it has no reference.
pub fn decode_cow(escaped: &str) -> std::borrow::Cow<'_, str> {
    if escaped.contains('&') {
        std::borrow::Cow::Owned(decode(escaped))
    } else {
        std::borrow::Cow::Borrowed(escaped)
    }
}

/// Decodes the references html5ever's serializer writes.
pub fn decode(escaped: &str) -> String {
    let mut out = String::with_capacity(escaped.len());
    decode_into(escaped, &mut out);
    out
}

pub fn decode_into(escaped: &str, out: &mut String) {
    const REFERENCES: [(&str, char); 5] = [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&nbsp;", '\u{A0}'),
    ];
    let mut rest = escaped;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let (decoded, len) = REFERENCES
            .iter()
            .find(|(reference, _)| rest.starts_with(reference))
            .map_or(('&', 1), |(reference, c)| (*c, reference.len()));
        out.push(decoded);
        rest = &rest[len..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_attributes_and_text() {
        let html = r#"<p class="a">x &amp; y<img src="s?a=1&amp;b=&quot;2&quot;" alt=">"></p>"#;
        let items: Vec<_> = items(html).collect();
        assert_eq!(items.len(), 4);
        let Item::Tag(img) = &items[2] else {
            panic!("the third item is the img tag")
        };
        assert_eq!(img.name, "img");
        assert_eq!(
            decode(img.attrs[0].value),
            "s?a=1&b=\"2\"",
            "values are decoded"
        );
        assert_eq!(
            img.attrs[1].value, ">",
            "a `>` inside a value does not end the tag"
        );
        assert_eq!(&html[img.gt..img.gt + 1], ">");
        let Item::Text(text) = items[1] else {
            panic!("the second item is text")
        };
        assert_eq!(decode(text), "x & y");
    }
}
