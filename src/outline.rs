//! One pass over the sanitized HTML: heading ids and the table of contents,
//! the image list, links, and the plain text that stats and the excerpt are
//! made from.
//!
//! It reads the sanitizer's output with [`crate::scan`], not a second parse.

use std::collections::{HashMap, HashSet};

use std::borrow::Cow;

use icu_normalizer::DecomposingNormalizerBorrowed;
use icu_properties::CodePointMapData;
use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};

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
    let slug = slug(text, generator);
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

/// The id `generator` gives a heading whose text is `text`, before
/// numbering repeats; may be empty.
fn slug(text: &str, generator: Generator) -> String {
    let category = CodePointMapData::<GeneralCategory>::new();
    let is = |group: GeneralCategoryGroup, c: char| group.contains(category.get(c));
    let word = |c: char| {
        is(GeneralCategoryGroup::Letter, c)
            || is(GeneralCategoryGroup::Mark, c)
            || is(GeneralCategoryGroup::ConnectorPunctuation, c)
    };
    let mut out = String::with_capacity(text.len());
    match generator {
        // GitHub (github-slugger): lowercase; letters, marks, numbers and
        // `_` of every script kept, `-` kept, each space one hyphen (runs
        // are not merged), everything else removed.
        Generator::None => {
            for c in text.chars().flat_map(char::to_lowercase) {
                match c {
                    ' ' | '-' => out.push('-'),
                    c if word(c) || is(GeneralCategoryGroup::Number, c) => out.push(c),
                    _ => {}
                }
            }
        }
        // Jekyll reads Markdown with kramdown's GFM parser, whose
        // `generate_gfm_header_id` is GitHub's rule written as Ruby's
        // `[^\p{Word}\- \t]`: decimal digits only among numbers (`²`, `①`
        // are removed), and a tab is a hyphen too. It reads the text after
        // kramdown's typography, which made `---` and `--` dashes (then
        // removed as punctuation).
        Generator::Jekyll => {
            let text = text.replace("---", "").replace("--", "");
            for c in text.chars().flat_map(char::to_lowercase) {
                match c {
                    ' ' | '\t' | '-' => out.push('-'),
                    c if word(c) || is(GeneralCategoryGroup::DecimalNumber, c) => out.push(c),
                    _ => {}
                }
            }
        }
        // Hugo (Goldmark, `autoHeadingIDType: github`): trimmed, `-` and
        // spaces a hyphen each, Go's letters (category L), decimal digits
        // and `_` lowercased, everything else removed — combining marks
        // too, as Hugo does.
        Generator::Hugo => {
            for c in text.chars() {
                match c {
                    ' ' | '-' => out.push('-'),
                    c if c == '_'
                        || is(GeneralCategoryGroup::Letter, c)
                        || is(GeneralCategoryGroup::DecimalNumber, c) =>
                    {
                        out.extend(c.to_lowercase());
                    }
                    _ => {}
                }
            }
        }
        // hexo-renderer-marked 7: hexo-util's `slugize` of the heading's
        // text after marked's `smartypants` (on by default: `--` is `–`,
        // `'` is `’`, which stay in the id; versions before 7 also kept
        // marked's escaping, `&` as `amp`); accented Latin letters lose
        // their accents, runs of spaces and ASCII punctuation become one
        // hyphen, none at either end, case kept; letters and signs of other
        // scripts (`：` too) are kept.
        Generator::Hexo => {
            let smart = smartypants(text);
            for c in fold_latin(&smart).chars() {
                if c.is_whitespace() || "~`!@#$%^&*()-_+=[]{}|\\;:\"'<>,.?/".contains(c) {
                    if !out.is_empty() && !out.ends_with('-') {
                        out.push('-');
                    }
                } else if !c.is_control() {
                    out.push(c);
                }
            }
            while out.ends_with('-') {
                out.pop();
            }
        }
        // Zola (`slugify.anchors = "on"`, the slug crate): transliterated
        // to ASCII, lowercase letters and digits kept, every other run one
        // hyphen (`_` and `.` too), none at either end. Only accented Latin
        // is transliterated here; other scripts keep their letters, where
        // Zola would write them in Latin (deunicode's tables are larger
        // than this whole library).
        Generator::Zola => {
            for c in fold_latin(text).chars().flat_map(char::to_lowercase) {
                let other_script =
                    !c.is_ascii() && (word(c) || is(GeneralCategoryGroup::Number, c));
                if c.is_ascii_alphanumeric() || other_script {
                    out.push(c);
                } else if !out.is_empty() && !out.ends_with('-') {
                    out.push('-');
                }
            }
            while out.ends_with('-') {
                out.pop();
            }
        }
    }
    out
}

/// marked's `smartypants`, in its order: dashes, then quotes opening after
/// a space, an opening bracket, a dash or the start, closing elsewhere,
/// then ellipses.
fn smartypants(text: &str) -> String {
    let text = text.replace("---", "\u{2014}").replace("--", "\u{2013}");
    let opens_after = |before: Option<char>, extra: char| {
        before.is_none_or(|b| b.is_whitespace() || "-\u{2014}/([{".contains(b) || b == extra)
    };
    let mut singles = String::with_capacity(text.len());
    for c in text.chars() {
        singles.push(match c {
            '\'' if opens_after(singles.chars().next_back(), '"') => '\u{2018}',
            '\'' => '\u{2019}',
            c => c,
        });
    }
    let mut doubles = String::with_capacity(singles.len());
    for c in singles.chars() {
        doubles.push(match c {
            '"' if opens_after(doubles.chars().next_back(), '\u{2018}') => '\u{201C}',
            '"' => '\u{201D}',
            c => c,
        });
    }
    doubles.replace("...", "\u{2026}")
}

/// Accented Latin letters as their base letters (`é` → `e`, `Æ` → `AE`),
/// as Hexo's `escapeDiacritic` and Zola's transliteration write them; other
/// scripts untouched (their marks are part of the word).
fn fold_latin(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let nfd = DecomposingNormalizerBorrowed::new_nfd();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let folded = match c {
            'Æ' => "AE",
            'æ' => "ae",
            'Œ' => "OE",
            'œ' => "oe",
            'Ø' => "O",
            'ø' => "o",
            'Đ' | 'Ð' => "D",
            'đ' | 'ð' => "d",
            'Ł' => "L",
            'ł' => "l",
            'ß' => "ss",
            _ => "",
        };
        if !folded.is_empty() {
            out.push_str(folded);
            continue;
        }
        let mut buffer = [0; 4];
        let decomposed = nfd.normalize(c.encode_utf8(&mut buffer));
        match decomposed.chars().next() {
            Some(base) if base.is_ascii_alphabetic() && decomposed.len() > 1 => out.push(base),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
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

    /// Each generator's own rule, checked against what it writes.
    #[test]
    fn ids_follow_the_generator() {
        let cases: &[(Generator, &str, &str)] = &[
            // GitHub: one hyphen per space, marks of every script kept.
            (
                Generator::None,
                "Algorithmic complexity / Big-O / Asymptotic analysis",
                "algorithmic-complexity--big-o--asymptotic-analysis",
            ),
            (Generator::None, "ব্যবহার করুন", "ব্যবহার-করুন"),
            (Generator::None, "Привет, мир", "привет-мир"),
            (Generator::None, "第二章：安装", "第二章安装"),
            (Generator::None, "Step ² done_ok", "step-²-done_ok"),
            // Jekyll (kramdown's GFM parser): only decimal digits.
            (Generator::Jekyll, "Step ² done_ok", "step--done_ok"),
            (
                Generator::Jekyll,
                "Before -- after --- end",
                "before--after--end",
            ),
            (Generator::Jekyll, "ব্যবহার করুন", "ব্যবহার-করুন"),
            (Generator::Jekyll, "Привет, мир", "привет-мир"),
            // Hexo: case kept, `.` and `&` a hyphen.
            (Generator::Hexo, "Q&A: Node.js tips", "Q-A-Node-js-tips"),
            // marked's smartypants, on by default in hexo-renderer-marked.
            (
                Generator::Hexo,
                "What's new -- and \"why\"...",
                "What’s-new-–-and-“why”…",
            ),
            (Generator::Hexo, "Café  Über", "Cafe-Uber"),
            (Generator::Hexo, "第二章：安装", "第二章：安装"),
            (Generator::Hexo, "Привет, мир", "Привет-мир"),
            (Generator::Hexo, "ব্যবহার করুন", "ব্যবহার-করুন"),
            // Hugo: Go's letters only, so a combining mark goes.
            (
                Generator::Hugo,
                "Hello, World -- Again",
                "hello-world----again",
            ),
            (Generator::Hugo, "ব্যবহার", "বযবহর"),
            (Generator::Hugo, "第二章：安装", "第二章安装"),
            // Zola: `_` and `.` are separators, accents transliterated.
            (
                Generator::Zola,
                "Version 1.2_beta Café",
                "version-1-2-beta-cafe",
            ),
            (Generator::Zola, "Привет, мир", "привет-мир"),
        ];
        for (generator, text, id) in cases {
            assert_eq!(slug(text, *generator), *id, "{generator:?} {text:?}");
        }
    }

    /// Ids are written into the HTML as they are: whatever the heading
    /// holds, none of them can close the attribute or open a tag.
    #[test]
    fn ids_hold_no_markup() {
        let text = "a\"b'c<d>e&f=g`h\u{0}i\u{3000}j";
        for generator in [
            Generator::None,
            Generator::Jekyll,
            Generator::Hexo,
            Generator::Hugo,
            Generator::Zola,
        ] {
            let id = slug(text, generator);
            assert!(
                !id.contains(['"', '\'', '<', '>', '&', '`', '\u{0}', ' ', '\u{3000}']),
                "{generator:?}: {id:?}"
            );
        }
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
