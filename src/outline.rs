//! The outline of the sanitized HTML: heading ids and the table of
//! contents, the image list, links, and the plain text that stats and the
//! excerpt are made from.
//!
//! [`Outline`] is a visitor: it reads the document as the writer of the
//! safe HTML writes it (the walk over the sanitizer's tree,
//! `crate::html::walk`, or any other writer that makes the same calls), so
//! the output is not read again. Heading ids must differ from every id of
//! the document, also those after the heading: they are decided at the
//! end, in [`Outline::finish`], and written with one splice of the output.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use crate::html::elements::{self, BLOCK, HEADING};
use crate::html::walk::{Attributes, Visitor};
use crate::rendered::{Generator, Image, TocEntry};

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

/// The result of [`Outline::finish`].
#[derive(Debug, Default, PartialEq)]
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
    /// The parts of `text` that were code (`<code>`), in order.
    pub code: Vec<std::ops::Range<usize>>,
    /// The first heading whose id is not the generator's own because this
    /// build could not transliterate it (see `slug::untransliterated`).
    pub untransliterated: Option<String>,
}

/// A heading being read.
struct Heading {
    level: u8,
    /// Output offset just after `<hN`, where an id goes.
    name_end: usize,
    id: Option<String>,
    /// Where its text starts in [`Analysis::text`].
    text_start: usize,
}

/// A heading that gets an id made from its text, once every id of the
/// document is known.
struct Unnamed {
    /// Its entry in the table of contents.
    entry: usize,
    name_end: usize,
    /// Its text, trimmed but not collapsed: GitHub's rule gives each space
    /// its own hyphen.
    text: String,
}

/// The outline, read along as the safe HTML is written: feed it through
/// [`Visitor`] in document order, then [`Outline::finish`] with the HTML.
pub struct Outline<'s> {
    settings: &'s Settings<'s>,
    /// The id of the `<!-- more -->` marker, prefixed.
    more_id: String,
    /// Every id of the document.
    ids: HashSet<String>,
    out: Analysis,
    heading: Option<Heading>,
    unnamed: Vec<Unnamed>,
    /// Output offsets of `src` attributes to write as `data-src`.
    blocked: Vec<usize>,
    /// The element whose end tag ends a part that is not text.
    skipping: Option<String>,
    /// `<code>` elements open, and where the outermost one's text starts.
    code: (usize, usize),
}

impl<'s> Outline<'s> {
    /// An outline made as `settings` say.
    pub fn new(settings: &'s Settings<'s>) -> Self {
        Outline {
            settings,
            more_id: format!("{}{}", settings.id_prefix, crate::excerpt::MORE_ID),
            ids: HashSet::new(),
            out: Analysis::default(),
            heading: None,
            unnamed: Vec::new(),
            blocked: Vec::new(),
            skipping: None,
            code: (0, 0),
        }
    }

    /// The outline of `html`, the document that was read: headings without
    /// an id get one (written into `html`, as blocked image addresses are).
    pub fn finish(mut self, html: String) -> Analysis {
        let mut ids = Ids {
            taken: self.ids,
            next: HashMap::new(),
        };
        // (offset, bytes replaced, replacement), in document order.
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        for heading in self.unnamed {
            let s = self.settings;
            let id = unique_id(s.id_prefix, &heading.text, s.generator, &mut ids);
            if self.out.untransliterated.is_none()
                && crate::slug::untransliterated(&heading.text, s.generator)
            {
                self.out.untransliterated = Some(heading.text);
            }
            edits.push((heading.name_end, 0, format!(r#" id="{id}""#)));
            self.out.toc[heading.entry].id = id;
        }
        edits.extend(
            self.blocked
                .iter()
                .map(|&at| (at, 3, "data-src".to_owned())),
        );
        self.out.html = splice(html, edits);
        self.out
    }
}

impl Visitor for Outline<'_> {
    /// The text is kept whole (for the excerpt and the statistics): a big
    /// document's grown by doubling would take up to twice the room, and
    /// hold the old block beside the new one while it moves (wasm memory
    /// keeps that peak).
    fn expect_text(&mut self, bytes: usize) {
        self.out
            .text
            .reserve_exact(bytes.saturating_sub(self.out.text.len()));
    }

    fn start(
        &mut self,
        name: &str,
        categories: elements::Categories,
        attributes: &dyn Attributes,
        name_end: usize,
    ) {
        let id = attributes.get("id");
        if let Some(id) = &id {
            self.ids.insert(id.to_string());
        }
        if self.skipping.is_some() {
            return;
        }
        // Footnote numbers and back-links are navigation, not text: kept
        // out of the excerpt and the word count. Template placeholders are
        // the tag as written, not the author's text: kept out too.
        let class = attributes.get("class");
        if matches!(
            class.as_deref(),
            Some("footnote-ref" | "footnote-backref" | "template-tag")
        ) {
            self.skipping = Some(name.to_owned());
            return;
        }
        self.block(categories);
        if name == "code" {
            if self.code.0 == 0 {
                self.code.1 = self.out.text.len();
            }
            self.code.0 += 1;
        }
        let out = &mut self.out;
        match name {
            // A heading inside a heading is text of the outer one.
            _ if categories & HEADING != 0 && self.heading.is_none() => {
                self.heading = Some(Heading {
                    level: name.as_bytes()[1] - b'0',
                    name_end,
                    id: id.map(Cow::into_owned),
                    text_start: out.text.len(),
                });
            }
            "img" => {
                if let Some((src, value, at)) =
                    attributes.find(&|name| name == "src" || name == "data-src")
                {
                    out.images.push(Image {
                        src: value.into_owned(),
                        alt: attributes.get("alt").unwrap_or_default().into_owned(),
                    });
                    if self.settings.block_images && src == "src" {
                        self.blocked.push(at);
                    }
                }
            }
            "a" if attributes.get("href").is_some() => out.links += 1,
            "section" if class.as_deref() == Some("footnotes") => {
                out.notes_at.get_or_insert(out.text.len());
            }
            "span" if out.more_at.is_none() && id.as_deref() == Some(&self.more_id) => {
                out.more_at = Some(out.text.len());
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.skipping.is_none() {
            self.out.text.push_str(text);
        }
    }

    fn end(&mut self, name: &str, categories: elements::Categories) {
        if let Some(until) = &self.skipping {
            if until == name {
                self.skipping = None;
            }
            return;
        }
        if name == "code" && self.code.0 > 0 {
            self.code.0 -= 1;
            if self.code.0 == 0 {
                self.out.code.push(self.code.1..self.out.text.len());
            }
        }
        self.block(categories);
        if categories & HEADING == 0 {
            return;
        }
        let level = name.as_bytes()[1] - b'0';
        let Some(heading) = self.heading.take_if(|h| h.level == level) else {
            return;
        };
        let raw = &self.out.text[heading.text_start..];
        let text = crate::text::collapse_whitespace(raw);
        let id = match heading.id {
            Some(id) => id,
            None if self.settings.heading_ids => {
                self.unnamed.push(Unnamed {
                    entry: self.out.toc.len(),
                    name_end: heading.name_end,
                    text: raw.trim_matches(|c: char| c.is_whitespace()).to_owned(),
                });
                String::new()
            }
            None => String::new(),
        };
        self.out.toc.push(TocEntry { level, text, id });
    }
}

impl Outline<'_> {
    /// A block starts or ends: the text breaks the line there.
    fn block(&mut self, categories: elements::Categories) {
        let text = &mut self.out.text;
        if categories & BLOCK != 0 && !text.is_empty() && !text.ends_with(['\n', ' ']) {
            text.push('\n');
        }
    }
}

/// HTML from which [`splice`] edits in place rather than by copying. The
/// in-place moves end with a check of the whole text as UTF-8, which safe
/// code cannot skip and which costs several copies' time (1.4 % of a
/// Markdown render in wasm); a copy's peak only matters for big documents.
const IN_PLACE_FROM: usize = 256 * 1024;

/// Applies `(offset, bytes to replace, replacement)` edits, sorted by
/// offset, to `html`, in one copy (in place for a big document); none, no
/// copy.
fn splice(html: String, mut edits: Vec<(usize, usize, String)>) -> String {
    if edits.is_empty() {
        return html;
    }
    edits.sort_by_key(|(at, ..)| *at);
    if html.len() >= IN_PLACE_FROM
        && edits
            .iter()
            .all(|(_, len, replacement)| replacement.len() >= *len)
    {
        return splice_in_place(html, &edits);
    }
    let mut out = String::with_capacity(html.len() + edits.len() * 48);
    let mut from = 0;
    for (at, len, replacement) in edits {
        out.push_str(&html[from..at]);
        out.push_str(&replacement);
        from = at + len;
    }
    out.push_str(&html[from..]);
    out
}

/// [`splice`] where no replacement is shorter than what it replaces (the
/// edits `Outline::finish` makes): the bytes move back from the end within
/// the string's own buffer, so a big document's HTML is not copied whole
/// beside itself (wasm memory would keep that peak).
fn splice_in_place(html: String, edits: &[(usize, usize, String)]) -> String {
    let growth: usize = edits.iter().map(|(_, len, r)| r.len() - len).sum();
    let mut bytes = html.into_bytes();
    let mut end = bytes.len();
    bytes.resize(end + growth, 0);
    let mut to = bytes.len();
    for (at, len, replacement) in edits.iter().rev() {
        let tail = at + len..end;
        to -= tail.len();
        bytes.copy_within(tail, to);
        to -= replacement.len();
        bytes[to..to + replacement.len()].copy_from_slice(replacement.as_bytes());
        end = *at;
    }
    // Whole characters were moved, and whole strings written between them.
    String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
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

    proptest::proptest! {
        /// The in-place splice gives what copying the pieces in order gives.
        #[test]
        fn splices_in_place_as_by_copying(
            text in "[a-z中<> ]{0,40}",
            raw in proptest::collection::vec((0usize..40, 0usize..4, "[a-z\"=é]{0,9}"), 0..6),
        ) {
            // Edits at character boundaries, none overlapping another.
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let mut edits: Vec<(usize, usize, String)> = Vec::new();
            let mut free_from = 0;
            let mut picks = raw;
            picks.sort_by_key(|(at, ..)| *at);
            for (at, len, replacement) in picks {
                let at = bounds[at % bounds.len()];
                if at < free_from {
                    continue;
                }
                let end = bounds.iter().copied().filter(|&b| b >= at).nth(len).unwrap_or(at);
                if replacement.len() < end - at {
                    continue;
                }
                edits.push((at, end - at, replacement));
                free_from = end;
            }
            let mut expected = String::new();
            let mut from = 0;
            for (at, len, replacement) in &edits {
                expected.push_str(&text[from..*at]);
                expected.push_str(replacement);
                from = at + len;
            }
            expected.push_str(&text[from..]);
            // Both ways, whatever the size (`splice` copies text this short).
            proptest::prop_assert_eq!(&splice_in_place(text.clone(), &edits), &expected);
            proptest::prop_assert_eq!(splice(text, edits), expected);
        }
    }

    /// The outline of `html`, read as the build without the cfg reads the
    /// sanitizer's output.
    fn run(html: &str, heading_ids: bool, block_images: bool) -> Analysis {
        let settings = Settings {
            id_prefix: "p-",
            heading_ids,
            generator: Generator::None,
            block_images,
        };
        let mut outline = Outline::new(&settings);
        let keep = |_: &str, _: bool| crate::html::walk::Edit::Keep;
        let pass = crate::html::walk::string(html, keep, &mut outline);
        outline.finish(pass.html)
    }

    /// A writer other than the walk (the Markdown fast path) drives the
    /// outline with the same calls: a heading whose id is decided after an
    /// element later in the document took the first choice.
    #[test]
    fn any_writer_can_drive_the_outline() {
        let settings = Settings {
            id_prefix: "p-",
            heading_ids: true,
            generator: Generator::None,
            block_images: true,
        };
        let mut outline = Outline::new(&settings);
        use crate::html::walk::List;
        let of = elements::categories;
        // <h2>Intro</h2><p id="p-intro"><img src="a.png" alt="A"></p>
        outline.start("h2", of("h2"), &List(&[]), 3);
        outline.text("Intro");
        outline.end("h2", of("h2"));
        outline.start("p", of("p"), &List(&[("id", "p-intro", 17)]), 16);
        let img = List(&[("src", "a.png", 35), ("alt", "A", 47)]);
        outline.start("img", of("img"), &img, 34);
        outline.end("p", of("p"));
        let html = r#"<h2>Intro</h2><p id="p-intro"><img src="a.png" alt="A"></p>"#;
        let a = outline.finish(html.to_owned());
        assert_eq!(
            a.html,
            r#"<h2 id="p-intro-1">Intro</h2><p id="p-intro"><img data-src="a.png" alt="A"></p>"#
        );
        assert_eq!(a.toc[0].id, "p-intro-1");
        assert_eq!(a.images[0].src, "a.png");
        assert_eq!(a.text, "Intro\n");
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
