//! The lost-text invariant, shared by `tests/text_kept.rs` (proptest) and
//! the fuzz target: an article made of prose words, raw-text start tags
//! that are never closed, complete `<script>` elements and Markdown and HTML
//! syntax around them, chosen by bytes; after rendering, every prose word
//! is in the visible text. Words inside a complete `<script>` are removed
//! with it, which is allowed; no other piece closes anything.

#![allow(dead_code)]

use article_render::{Options, render_with_options};

/// The start tags whose text is not markup, in the cases authors write them.
pub const SWALLOWING: &[&str] = &[
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

/// Markdown and HTML around the words. Backticks and tildes come with a
/// space after them: three in a row would open a fence whose info string
/// (not prose) is the next word.
pub const SYNTAX: &[&str] = &[
    " ", "\n", "\n\n", "# ", "## ", "> ", "- ", "1. ", "    ", "*", "**", "_", "` ", "~~ ", "| ",
    "<div>", "</div>", "<p>", "</p>", "<span>", "&", "$", "\t",
];

/// The article the bytes choose, and its prose words, each `q<n>z` (no word
/// is part of another).
pub fn article(choices: &[u8]) -> (String, Vec<String>) {
    let mut source = String::new();
    let mut words = Vec::new();
    for (n, &b) in choices.iter().enumerate() {
        let pick = usize::from(b / 4);
        match b % 4 {
            0 | 1 => {
                let word = format!("q{n}z");
                source.push_str(&word);
                source.push(' ');
                words.push(word);
            }
            2 if pick % 8 == 0 => source.push_str(&format!("<script>r{n}z()</script>")),
            2 => source.push_str(SWALLOWING[pick % SWALLOWING.len()]),
            _ => source.push_str(SYNTAX[pick % SYNTAX.len()]),
        }
    }
    (source, words)
}

/// The text a reader sees: the HTML without its tags, references decoded.
pub fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        rest = rest[open..]
            .find('>')
            .map_or("", |close| &rest[open + close + 1..]);
    }
    text.push_str(rest);
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// The words of `words` that the rendered `source` does not show; empty
/// when the options are invalid or the article is over `maxInputBytes`
/// (not rendered at all, and said so).
pub fn lost(source: &str, words: &[String], options: &Options) -> Vec<String> {
    let Ok(rendered) = render_with_options(source, options) else {
        return Vec::new();
    };
    if source.len() > options.max_input_bytes {
        return Vec::new();
    }
    let text = visible_text(&rendered.html);
    words
        .iter()
        .filter(|word| !text.contains(word.as_str()))
        .cloned()
        .collect()
}
