//! One pass over the sanitized HTML: heading ids and the table of contents,
//! the image list, links, and the plain text that stats and the excerpt are
//! made from.
//!
//! It reads the sanitizer's output with [`crate::scan`], not a second parse.

use std::collections::{HashMap, HashSet};

use crate::rendered::{Generator, Image, TocEntry};
use crate::scan::{self, Item};

/// What the caller wants changed on the way.
pub struct Settings<'a> {
    pub id_prefix: &'a str,
    /// Give headings without an id one made from their text.
    pub heading_ids: bool,
    /// Whose rule makes those ids, so that the author's `#links` work.
    pub generator: Generator,
    /// Move image addresses from `src` to `data-src`.
    pub block_images: bool,
}

impl<'a> Settings<'a> {
    /// The settings `options` ask for, ids made as `generator` makes them.
    pub fn new(options: &'a crate::Options, generator: Generator) -> Self {
        Settings {
            id_prefix: &options.id_prefix,
            heading_ids: options.heading_ids,
            generator,
            block_images: options.images == crate::ImagePolicy::Block,
        }
    }
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
    /// Where in `text` the footnotes section starts.
    pub notes_at: Option<usize>,
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

/// Scans sanitized `html` (see [`crate::scan`] for why this is not a parser).
pub fn analyze(html: String, settings: &Settings) -> Analysis {
    let mut ids = Ids {
        taken: existing_ids(&html),
        next: HashMap::new(),
    };
    let mut out = Analysis::default();
    // (offset, bytes to replace, replacement), applied at the end.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut heading: Option<Heading> = None;
    let more_id = format!("{}{}", settings.id_prefix, crate::excerpt::MORE_ID);
    let mut skipping: Option<&str> = None;

    for item in scan::items(&html) {
        let tag = match item {
            Item::Text(_) if skipping.is_some() => continue,
            Item::Text(text) => {
                scan::decode_into(text, &mut out.text);
                continue;
            }
            Item::Tag(tag) => tag,
        };
        if let Some(until) = skipping {
            if tag.closing && tag.name == until {
                skipping = None;
            }
            continue;
        }
        // Footnote numbers and back-links are navigation, not text: kept
        // out of the excerpt and the word count.
        let class = tag.attr("class");
        // Template placeholders are the tag as written, not the author's
        // text: kept out too.
        if matches!(
            class.as_deref(),
            Some("footnote-ref" | "footnote-backref" | "template-tag")
        ) {
            skipping = Some(tag.name);
            continue;
        }
        if BLOCKS.contains(&tag.name) && !out.text.is_empty() && !out.text.ends_with(['\n', ' ']) {
            out.text.push('\n');
        }
        let level = heading_level(tag.name);
        if tag.closing {
            if let (Some(level), Some(h)) = (level, heading.take_if(|h| Some(h.level) == level)) {
                let raw = &out.text[h.text_start..];
                let text = crate::text::collapse_whitespace(raw);
                let id = match h.id {
                    Some(id) => id,
                    None if settings.heading_ids => {
                        // The raw text: GitHub's rule gives each space its
                        // own hyphen.
                        let raw = raw.trim_matches(|c: char| c.is_whitespace());
                        let id = unique_id(settings.id_prefix, raw, settings.generator, &mut ids);
                        edits.push((h.name_end, 0, format!(r#" id="{id}""#)));
                        id
                    }
                    None => String::new(),
                };
                out.toc.push(TocEntry { level, text, id });
            }
            continue;
        }
        match (tag.name, level) {
            (_, Some(level)) if heading.is_none() => {
                heading = Some(Heading {
                    level,
                    name_end: tag.name_end,
                    id: tag.attr("id"),
                    text_start: out.text.len(),
                });
            }
            ("img", _) => {
                let src = tag
                    .attrs
                    .iter()
                    .find(|a| a.name == "src" || a.name == "data-src");
                if let Some(src) = src {
                    out.images.push(Image {
                        src: scan::decode(src.value),
                        alt: tag.attr("alt").unwrap_or_default(),
                    });
                    if settings.block_images && src.name == "src" {
                        edits.push((src.at, 3, "data-src".to_owned()));
                    }
                }
            }
            ("a", _) if tag.attr("href").is_some() => out.links += 1,
            ("section", _) if class.as_deref() == Some("footnotes") => {
                out.notes_at.get_or_insert(out.text.len());
            }
            ("span", _) if out.more_at.is_none() && tag.attr("id").as_deref() == Some(&more_id) => {
                out.more_at = Some(out.text.len());
            }
            _ => {}
        }
    }
    out.html = scan::apply(html, edits);
    out
}

fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

fn existing_ids(html: &str) -> HashSet<String> {
    // Found from each `=` (a one-byte search, several times faster than
    // searching for the whole ` id="`).
    html.match_indices('=')
        .filter(|(i, _)| html[..*i].ends_with(" id") && html[i + 1..].starts_with('"'))
        .filter_map(|(i, _)| {
            let rest = &html[i + 2..];
            rest.find('"').map(|end| rest[..end].to_owned())
        })
        .collect()
}

/// The ids of a document: those taken, and for each heading id given out,
/// the next number to try after it, so that a thousand headings of the same
/// text take a thousand tries, not half a million.
struct Ids {
    taken: HashSet<String>,
    next: HashMap<String, usize>,
}

/// `prefix` + the id the generator would give a heading of this text, unique
/// in the document. Every generator numbers a repeat `-1`, `-2`…
fn unique_id(prefix: &str, text: &str, generator: Generator, ids: &mut Ids) -> String {
    let slug = crate::slug::slug(text, generator);
    let fallback = match generator {
        Generator::Hugo => "heading",
        _ => "section",
    };
    let base = format!("{prefix}{}", if slug.is_empty() { fallback } else { &slug });
    // Candidates are `base`, `base-1`, `base-2`…; those before `next` were
    // taken when tried and stay taken, so the first free one is not before it.
    let n = ids.next.entry(base.clone()).or_insert(0);
    loop {
        let id = match *n {
            0 => base.clone(),
            n => format!("{base}-{n}"),
        };
        *n += 1;
        if ids.taken.insert(id.clone()) {
            return id;
        }
    }
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
                generator: Generator::None,
                block_images,
            },
        )
    }

    #[test]
    fn same_headings_number_on_past_taken_ids() {
        let html = r#"<h2 id="p-a-1">x</h2><h2>A</h2><h2>A</h2><h2>A</h2>"#;
        let a = run(html, true, false);
        let ids: Vec<_> = a.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["p-a-1", "p-a", "p-a-2", "p-a-3"]);
        // Each heading takes one try (this was quadratic: minutes).
        let a = run(&"<h1></h1>".repeat(50_000), true, false);
        let last = &a.toc.last().expect("50,000 headings").id;
        assert_eq!(last, "p-section-49999");
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
    fn repeats_are_numbered_per_generator() {
        for (generator, empty) in [
            (Generator::Hugo, "p-heading"),
            (Generator::Hexo, "p-section"),
        ] {
            let mut ids = Ids {
                taken: HashSet::new(),
                next: HashMap::new(),
            };
            let got: Vec<_> = ["A b", "A b", "!!", "A b"]
                .iter()
                .map(|t| unique_id("p-", t, generator, &mut ids))
                .collect();
            let a = if generator == Generator::Hexo {
                "p-A-b"
            } else {
                "p-a-b"
            };
            assert_eq!(
                got,
                [
                    a.to_owned(),
                    format!("{a}-1"),
                    empty.to_owned(),
                    format!("{a}-2")
                ]
            );
        }
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
    fn footnotes_are_not_part_of_the_lead() {
        let a = run(
            r##"<p>Text<sup class="footnote-ref"><a href="#fn-1">1</a></sup>.</p><section class="footnotes"><ol><li><p>Note <a href="#r" class="footnote-backref">↩</a></p></li></ol></section>"##,
            true,
            false,
        );
        assert_eq!(
            a.text, "Text.\nNote ",
            "reference numbers and back-links are not text"
        );
        assert_eq!(
            &a.text[..a.notes_at.unwrap()],
            "Text.\n",
            "the notes start after the lead"
        );
    }

    #[test]
    fn more_marker_position() {
        let a = run(
            r#"<p>intro</p><span id="p-:more"></span><p>rest</p>"#,
            true,
            false,
        );
        assert_eq!(&a.text[..a.more_at.unwrap()], "intro\n");
    }
}
