//! Text in and out of HTML: plain text from front-matter values (character
//! references decoded, white space collapsed, trimmed), and the one escaper
//! every stage that writes HTML uses.

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

/// Which characters [`escape`] writes as references.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Escape {
    /// `&`, `<`, `>` and `"`: text, or an attribute value in double quotes.
    Html,
    /// Also `'` as `&#39;`, as Ruby's `CGI.escapeHTML` (Liquid's `escape`)
    /// writes it; safe in single-quoted attribute values too.
    Quotes,
    /// [`Escape::Html`], and line breaks as `&#10;`, so that generated HTML
    /// stays on one line (a line break could end the Markdown block it is in).
    OneLine,
    /// [`Escape::OneLine`], and the punctuation Markdown reads as syntax as
    /// numeric references, so that text put into a Markdown paragraph stays
    /// the author's text.
    MarkdownText,
}

/// `text` with the characters `how` names written as character references;
/// borrowed when it has none.
///
/// ```
/// use article_render::text::{escape, Escape};
/// assert_eq!(escape("a < b & \"c\"", Escape::Html), "a &lt; b &amp; &quot;c&quot;");
/// assert_eq!(escape("it's", Escape::Quotes), "it&#39;s");
/// assert_eq!(escape("*a*\nb", Escape::MarkdownText), "&#42;a&#42;&#10;b");
/// assert!(matches!(escape("plain", Escape::Html), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn escape(text: &str, how: Escape) -> std::borrow::Cow<'_, str> {
    match text
        .char_indices()
        .find(|(_, c)| reference(*c, how).is_some())
    {
        None => std::borrow::Cow::Borrowed(text),
        Some((first, _)) => {
            let mut out = String::with_capacity(text.len() + text.len() / 8 + 8);
            out.push_str(&text[..first]);
            escape_into(&text[first..], how, &mut out);
            std::borrow::Cow::Owned(out)
        }
    }
}

/// [`escape`], appended to `out`.
pub fn escape_into(text: &str, how: Escape, out: &mut String) {
    for c in text.chars() {
        match reference(c, how) {
            Some(Reference::Named(name)) => out.push_str(name),
            Some(Reference::Numeric) => {
                out.push_str("&#");
                out.push_str(&(c as u32).to_string());
                out.push(';');
            }
            None => out.push(c),
        }
    }
}

enum Reference {
    Named(&'static str),
    Numeric,
}

fn reference(c: char, how: Escape) -> Option<Reference> {
    Some(match c {
        '&' => Reference::Named("&amp;"),
        '<' => Reference::Named("&lt;"),
        '>' => Reference::Named("&gt;"),
        '"' => Reference::Named("&quot;"),
        '\'' if how == Escape::Quotes => Reference::Named("&#39;"),
        '\n' if matches!(how, Escape::OneLine | Escape::MarkdownText) => Reference::Named("&#10;"),
        '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '~' | '$' | '|' | '!' | '#' | '{'
        | '}' | '\'' | '+' | '-' | '=' | '^' | ':'
            if how == Escape::MarkdownText =>
        {
            Reference::Numeric
        }
        _ => return None,
    })
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
