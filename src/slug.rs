//! Heading ids as each generator makes them from a heading's text, so that
//! an author's in-page `#links` find their headings.
//!
//! The rules are written in Unicode general categories (letters, marks,
//! numbers), read from ICU4X's data, which `url`'s IDNA already builds in.

use std::borrow::Cow;

use icu_normalizer::DecomposingNormalizerBorrowed;
use icu_properties::CodePointMapData;
use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};

use crate::rendered::Generator;

/// The id `generator` gives a heading whose text is `text`, before
/// numbering repeats; may be empty.
pub fn slug(text: &str, generator: Generator) -> String {
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
        // Hugo (Goldmark, `autoHeadingIDType: github`, Hugo's
        // `sanitizeAnchorName`): trimmed, `-`, space and tab a hyphen each,
        // Go's letters (category L), decimal digits and `_` lowercased,
        // everything else removed — combining marks too, as Hugo does: its
        // own table of contents links to the ids without them, so keeping
        // the marks here would break the links a Hugo site has.
        Generator::Hugo => {
            for c in text.chars() {
                match c {
                    ' ' | '\t' | '-' => out.push('-'),
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
        // Zola (`slugify.anchors = "on"`, the slug crate): every character
        // outside ASCII transliterated by deunicode (`安装` → `an-zhuang`),
        // then lowercase ASCII letters and digits kept and every other run
        // one hyphen (`_` and `.` too), none at either end. Where this build
        // has no transliterator (the wasm package before it loads one), only
        // accented Latin is folded and other scripts keep their letters;
        // [`untransliterated`] tells.
        Generator::Zola => {
            let text = match text.is_ascii() {
                true => Cow::Borrowed(text),
                false => crate::translit::transliterate(text)
                    .map_or_else(|| fold_latin(text), Cow::Owned),
            };
            for c in text.chars().flat_map(char::to_lowercase) {
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

/// Whether [`slug`]'s id for `text` is not `generator`'s own because this
/// build could not transliterate it: Zola's ids of text in scripts other
/// than Latin, in the wasm package before its transliterator is loaded.
pub fn untransliterated(text: &str, generator: Generator) -> bool {
    generator == Generator::Zola
        && !text.is_ascii()
        && !fold_latin(text).is_ascii()
        && !crate::translit::available()
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

/// The code points whose canonical decomposition can start with an ASCII
/// letter: Latin-1 to Latin Extended Additional, and the angstrom sign.
const LATIN_DECOMPOSING: std::ops::RangeInclusive<char> = '\u{C0}'..='\u{212B}';

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
        // No letter outside this range decomposes to an ASCII letter and a
        // mark (a test checks every code point): CJK text, most of what
        // reaches here, skips the normalizer.
        if !LATIN_DECOMPOSING.contains(&c) {
            out.push(c);
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

    #[test]
    fn only_the_latin_range_decomposes_to_ascii_letters() {
        let nfd = DecomposingNormalizerBorrowed::new_nfd();
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let mut buffer = [0; 4];
            let decomposed = nfd.normalize(c.encode_utf8(&mut buffer));
            // `fold_latin`'s own test.
            let to_ascii =
                decomposed.len() > 1 && decomposed.starts_with(|b: char| b.is_ascii_alphabetic());
            assert!(
                !to_ascii || LATIN_DECOMPOSING.contains(&c),
                "U+{:04X}",
                c as u32
            );
        }
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
            (Generator::Hugo, "a\tb", "a-b"),
            (Generator::Hugo, "第二章：安装", "第二章安装"),
            // Zola: `_` and `.` are separators, accents transliterated.
            (
                Generator::Zola,
                "Version 1.2_beta Café",
                "version-1-2-beta-cafe",
            ),
            // Other scripts transliterated as deunicode writes them, the
            // ids Zola's own `slug` crate gives.
            (Generator::Zola, "Привет, мир", "privet-mir"),
            (Generator::Zola, "第二章：安装", "di-er-zhang-an-zhuang"),
            (Generator::Zola, "Straße № 5 — €", "strasse-no-5-eur"),
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
}
