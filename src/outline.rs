//! One pass over the sanitized HTML: heading ids and the table of contents,
//! the image list, links, and the plain text that stats and the excerpt are
//! made from.
//!
//! The input is ammonia's output, which html5ever serialized in one regular
//! form: every attribute value in double quotes with `"` as `&quot;`, `<` in
//! text always `&lt;`, no comments and no raw-text elements. A small scanner
//! of that form is exact, and much cheaper than parsing the HTML a second time.

use std::collections::HashSet;

use crate::rendered::{Image, TocEntry};

/// What the caller wants changed on the way.
pub struct Settings<'a> {
    pub id_prefix: &'a str,
    /// Give headings without an id one made from their text.
    pub heading_ids: bool,
    /// Move image addresses from `src` to `data-src`.
    pub block_images: bool,
}

/// The result of [`analyze`].
#[derive(Debug, Default)]
pub struct Analysis {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub images: Vec<Image>,
    pub links: usize,
    /// The text, blocks separated by a line break.
    pub text: String,
    /// Where in `text` the `<!-- more -->` marker was.
    pub more_at: Option<usize>,
}

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

struct Heading {
    level: u8,
    /// Offset just after `<hN` in the input.
    name_end: usize,
    id: Option<String>,
    text_start: usize,
}

/// Scans sanitized `html` (see the module comment for why this is not a parser).
pub fn analyze(html: String, settings: &Settings) -> Analysis {
    let mut ids = existing_ids(&html);
    let mut out = Analysis::default();
    // (offset, bytes to replace, replacement), applied at the end.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut heading: Option<Heading> = None;
    let more_id = format!("{}more", settings.id_prefix);
    let bytes = html.as_bytes();
    let mut pos = 0;

    while pos < html.len() {
        let Some(lt) = html[pos..].find('<').map(|i| pos + i) else {
            decode_into(&html[pos..], &mut out.text);
            break;
        };
        decode_into(&html[pos..lt], &mut out.text);
        let closing = bytes.get(lt + 1) == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        let name_end = html[name_start..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |i| name_start + i);
        let name = &html[name_start..name_end];
        let (attrs, tag_end) = attributes(&html, name_end);
        pos = tag_end;

        if BLOCKS.contains(&name) && !out.text.ends_with(['\n', ' ']) && !out.text.is_empty() {
            out.text.push('\n');
        }
        let level = heading_level(name);
        if closing {
            if let (Some(level), Some(h)) = (level, heading.take_if(|h| Some(h.level) == level)) {
                let text = crate::text::collapse_whitespace(&out.text[h.text_start..]);
                let id = match h.id {
                    Some(id) => id,
                    None if settings.heading_ids => {
                        let id = unique_id(settings.id_prefix, &text, &mut ids);
                        edits.push((h.name_end, 0, format!(r#" id="{id}""#)));
                        id
                    }
                    None => String::new(),
                };
                out.toc.push(TocEntry { level, text, id });
            }
            continue;
        }
        let attr = |wanted: &str| {
            attrs
                .iter()
                .find(|a| a.name == wanted)
                .map(|a| decode(a.value))
        };
        match name {
            _ if level.is_some() && heading.is_none() => {
                heading = Some(Heading {
                    level: level.unwrap_or(1),
                    name_end,
                    id: attr("id"),
                    text_start: out.text.len(),
                });
            }
            "img" => {
                let src = attrs
                    .iter()
                    .find(|a| a.name == "src" || a.name == "data-src");
                if let Some(src) = src {
                    out.images.push(Image {
                        src: decode(src.value),
                        alt: attr("alt").unwrap_or_default(),
                    });
                    if settings.block_images && src.name == "src" {
                        edits.push((src.name_at, 3, "data-src".to_owned()));
                    }
                }
            }
            "a" if attr("href").is_some() => out.links += 1,
            "span" if out.more_at.is_none() && attr("id").as_deref() == Some(&more_id) => {
                out.more_at = Some(out.text.len());
            }
            _ => {}
        }
    }
    out.html = apply(html, edits);
    out
}

struct Attr<'a> {
    name: &'a str,
    name_at: usize,
    value: &'a str,
}

/// The attributes of the tag whose name ends at `from`, and the offset after its `>`.
fn attributes(html: &str, mut pos: usize) -> (Vec<Attr<'_>>, usize) {
    let bytes = html.as_bytes();
    let mut attrs = Vec::new();
    loop {
        while pos < bytes.len() && (bytes[pos].is_ascii_whitespace() || bytes[pos] == b'/') {
            pos += 1;
        }
        if pos >= bytes.len() {
            return (attrs, pos);
        }
        if bytes[pos] == b'>' {
            return (attrs, pos + 1);
        }
        let name_at = pos;
        while pos < bytes.len() && !matches!(bytes[pos], b'=' | b'>' | b' ' | b'/') {
            pos += 1;
        }
        let name = &html[name_at..pos];
        let mut value = "";
        if bytes.get(pos) == Some(&b'=') && bytes.get(pos + 1) == Some(&b'"') {
            let start = pos + 2;
            let end = html[start..].find('"').map_or(html.len(), |i| start + i);
            value = &html[start..end];
            pos = (end + 1).min(html.len());
        }
        attrs.push(Attr {
            name,
            name_at,
            value,
        });
    }
}

fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

fn existing_ids(html: &str) -> HashSet<String> {
    html.match_indices(" id=\"")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest.find('"').map(|end| rest[..end].to_owned())
        })
        .collect()
}

/// `prefix` + a readable slug of the heading text, unique in the document.
/// Letters of every script are kept, so a Chinese heading gets a Chinese id.
fn unique_id(prefix: &str, text: &str, ids: &mut HashSet<String>) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            slug.push(c);
        } else if c.is_whitespace() && !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let base = format!("{prefix}{}", if slug.is_empty() { "section" } else { slug });
    let mut id = base.clone();
    let mut n = 1;
    while !ids.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn apply(html: String, mut edits: Vec<(usize, usize, String)>) -> String {
    if edits.is_empty() {
        return html;
    }
    edits.sort_by_key(|(at, ..)| *at);
    let mut out = String::with_capacity(html.len() + edits.len() * 32);
    let mut from = 0;
    for (at, len, replacement) in edits {
        out.push_str(&html[from..at]);
        out.push_str(&replacement);
        from = at + len;
    }
    out.push_str(&html[from..]);
    out
}

/// Decodes the references html5ever's serializer writes.
fn decode(escaped: &str) -> String {
    let mut out = String::with_capacity(escaped.len());
    decode_into(escaped, &mut out);
    out
}

fn decode_into(escaped: &str, out: &mut String) {
    let mut rest = escaped;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let (decoded, len) = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&nbsp;", '\u{A0}'),
        ]
        .iter()
        .find(|(entity, _)| rest.starts_with(entity))
        .map_or(('&', 1), |(entity, c)| (*c, entity.len()));
        out.push(decoded);
        rest = &rest[len..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(html: &str, heading_ids: bool, block_images: bool) -> Analysis {
        analyze(
            html.to_owned(),
            &Settings {
                id_prefix: "p-",
                heading_ids,
                block_images,
            },
        )
    }

    #[test]
    fn headings_get_unique_readable_ids() {
        let a = run(
            "<h2>七是加强素质能力建设</h2><h2>Hello, World!</h2><h3 id=\"p-x\">X</h3><h2>Hello World</h2>",
            true,
            false,
        );
        let ids: Vec<_> = a.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "p-七是加强素质能力建设",
                "p-hello-world",
                "p-x",
                "p-hello-world-1"
            ]
        );
        assert!(
            a.html.starts_with(r#"<h2 id="p-七是加强素质能力建设">"#),
            "{}",
            a.html
        );
        assert_eq!(a.toc[1].text, "Hello, World!");
        assert_eq!(a.toc[2].level, 3);
    }

    #[test]
    fn heading_ids_can_be_turned_off() {
        let a = run("<h2>a</h2>", false, false);
        assert_eq!(a.html, "<h2>a</h2>");
        assert_eq!(a.toc[0].id, "");
    }

    #[test]
    fn images_links_and_text() {
        let a = run(
            r#"<p>a &amp; b<img src="x.png?a=1&amp;b=2" alt="A &quot;q&quot;"></p><p><a href="u" rel="x">l</a></p>"#,
            true,
            false,
        );
        assert_eq!(
            a.images,
            [Image {
                src: "x.png?a=1&b=2".into(),
                alt: "A \"q\"".into()
            }]
        );
        assert_eq!(a.links, 1);
        assert_eq!(a.text, "a & b\nl\n");
    }

    #[test]
    fn blocked_images_move_to_data_src() {
        let a = run(r#"<img src="x.png" alt="">"#, true, true);
        assert_eq!(a.html, r#"<img data-src="x.png" alt="">"#);
        assert_eq!(a.images[0].src, "x.png");
    }

    #[test]
    fn more_marker_position() {
        let a = run(
            r#"<p>intro</p><span id="p-more"></span><p>rest</p>"#,
            true,
            false,
        );
        assert_eq!(&a.text[..a.more_at.unwrap()], "intro\n");
    }
}
