//! Plain text from front-matter values: character references decoded,
//! white space collapsed, trimmed.

use html5ever::tokenizer::states::{RawKind, State};
use html5ever::tokenizer::{Token, TokenSinkResult, TokenizerOpts};

use crate::html::guard::tokens;

/// Decodes `&amp;`, `&#123;`, `&eacute;` and every other HTML character
/// reference, and collapses runs of white space. Tags are left as text: a
/// title like `Vec<String> in Rust` is text, and it reaches the page through
/// `textContent`, never as markup.
///
/// ```
/// assert_eq!(article_render::text::plain("  Tom &amp; Jerry&#123;&#125; "), "Tom & Jerry{}");
/// assert_eq!(article_render::text::plain("Vec<String>"), "Vec<String>");
/// ```
pub fn plain(raw: &str) -> String {
    let decoded = if raw.contains('&') {
        decode_references(raw)
    } else {
        raw.to_owned()
    };
    // A YAML `"\0"` escape can put a NUL into a value; text never carries one.
    collapse_whitespace(&decoded).replace('\0', "\u{FFFD}")
}

/// Joins runs of white space into one space and trims both ends.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// html5ever's tokenizer in the RCDATA state (the state of `<title>` text):
/// references are decoded with the full HTML entity table the sanitizer
/// already carries, and `<` is just a character. Written this way so that the
/// wasm module holds one entity table, not two.
pub(crate) fn decode_references(raw: &str) -> String {
    let mut text = String::with_capacity(raw.len());
    let opts = TokenizerOpts {
        initial_state: Some(State::RawData(RawKind::Rcdata)),
        // No end tag can close the text: this name cannot occur in it.
        last_start_tag_name: Some("\u{FFFF}".to_owned()),
        ..TokenizerOpts::default()
    };
    tokens::each(raw, opts, &mut |token, _| {
        match token {
            Token::CharacterTokens(t) => text.push_str(&t),
            Token::NullCharacterToken => text.push('\u{FFFD}'),
            _ => {}
        }
        TokenSinkResult::Continue
    });
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_decoded() {
        assert_eq!(plain("a &lt;b&gt; &#x4E2D;&eacute;"), "a <b> 中é");
        assert_eq!(plain("AT&T"), "AT&T", "a bare ampersand stays");
        assert_eq!(
            plain("x</title>y"),
            "x</title>y",
            "no end tag ends the text"
        );
    }

    #[test]
    fn white_space_is_collapsed() {
        assert_eq!(plain("\n  two\t words  \n"), "two words");
    }
}
