//! No author's text is ever lost: the visible text of the output holds every
//! word of the input's prose that is not inside a removed element whose end
//! tag exists. A `<title>`, `<style>`, `<textarea>`… mentioned in prose has
//! no end tag, so it must not hide the words after it.

#![cfg(not(target_arch = "wasm32"))]

use article_render::{Format, Options, render_with_options};
use proptest::prelude::*;

/// The start tags whose text is not markup, in the cases authors write them.
const SWALLOWING: &[&str] = &[
    "<title>",
    "<style>",
    "<textarea>",
    "<xmp>",
    "<iframe>",
    "<noembed>",
    "<noframes>",
    "<noscript>",
    "<plaintext>",
    "<TITLE>",
    "<Style type=\"text/css\">",
    "<textarea rows=3>",
    "<iframe src=\"https://www.youtube.com/embed/x\">",
];

/// A piece of an article: a prose word (numbered, so each can be looked
/// for), a swallowing start tag with no end tag, a complete `<script>`
/// holding a word (removed with it: excused), or Markdown and HTML around.
/// Backticks and tildes come with a space after them: three in a row would
/// open a fence whose info string (not prose) is the next word.
#[derive(Clone, Debug)]
enum Piece {
    Word,
    Unclosed(&'static str),
    ClosedScript,
    Syntax(&'static str),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        8 => Just(Piece::Word),
        3 => proptest::sample::select(SWALLOWING).prop_map(Piece::Unclosed),
        1 => Just(Piece::ClosedScript),
        6 => proptest::sample::select(&[
            " ", " ", "\n", "\n\n", "# ", "## ", "> ", "- ", "1. ", "    ", "*", "**", "_", "` ",
            "~~ ", "| ", "<div>", "</div>", "<p>", "</p>", "<span>", "&", "$", "\t",
        ][..])
        .prop_map(Piece::Syntax),
    ]
}

/// The article and its words, each `q<n>z` (no word is part of another).
fn article(pieces: &[Piece]) -> (String, Vec<String>) {
    let mut source = String::new();
    let mut words = Vec::new();
    for (n, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Word => {
                let word = format!("q{n}z");
                source.push_str(&word);
                source.push(' ');
                words.push(word);
            }
            Piece::Unclosed(tag) => source.push_str(tag),
            Piece::ClosedScript => source.push_str(&format!("<script>r{n}z()</script>")),
            Piece::Syntax(syntax) => source.push_str(syntax),
        }
    }
    (source, words)
}

/// The text a reader sees: the HTML without its tags, references decoded.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        rest = rest[open..].find('>').map_or("", |close| &rest[open + close + 1..]);
    }
    text.push_str(rest);
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

fn missing(source: &str, words: &[String], format: Format) -> Vec<String> {
    let options = Options {
        format,
        ..Options::default()
    };
    let rendered = render_with_options(source, &options).unwrap();
    let text = visible_text(&rendered.html);
    words
        .iter()
        .filter(|word| !text.contains(word.as_str()))
        .cloned()
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_word_of_the_prose_is_shown(pieces in proptest::collection::vec(piece(), 1..60)) {
        let (source, words) = article(&pieces);
        for format in [Format::Auto, Format::Markdown, Format::Html] {
            let lost = missing(&source, &words, format);
            prop_assert!(lost.is_empty(), "{format:?} lost {lost:?} of {source:?}");
        }
    }
}

/// The examples of the issue, each a way text was lost.
#[test]
fn the_reported_losses_are_gone() {
    for source in [
        "Put the page name in the <title> element.\n\n## Next section\n\nq1z and q2z.\n",
        "<plaintext>\n\n# q1z\n\n*q2z*\n",
        "> quoted <xmp> q1z\n> q2z\n\nq3z\n",
        "<noscript>\n\nq1z\n\nq2z\n",
        "<style>\n\n    <p>q1z</p>\n\nq2z\n",
    ] {
        let words: Vec<String> = ["q1z", "q2z", "q3z"]
            .iter()
            .filter(|w| source.contains(*w))
            .map(|w| w.to_string())
            .collect();
        for format in [Format::Auto, Format::Markdown, Format::Html] {
            let lost = missing(source, &words, format);
            assert!(lost.is_empty(), "{format:?} lost {lost:?} of {source:?}");
        }
    }
}
