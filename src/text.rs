//! Plain text from front-matter values: character references decoded,
//! white space collapsed, trimmed.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::{RawKind, State};
use html5ever::tokenizer::{
    BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

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
fn decode_references(raw: &str) -> String {
    #[derive(Default)]
    struct Text(RefCell<String>);
    impl TokenSink for Text {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            match token {
                Token::CharacterTokens(t) => self.0.borrow_mut().push_str(&t),
                Token::NullCharacterToken => self.0.borrow_mut().push('\u{FFFD}'),
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }
    let tokenizer = Tokenizer::new(
        Text::default(),
        TokenizerOpts {
            initial_state: Some(State::RawData(RawKind::Rcdata)),
            // No end tag can close the text: this name cannot occur in it.
            last_start_tag_name: Some("\u{FFFF}".to_owned()),
            ..TokenizerOpts::default()
        },
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(raw));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
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
