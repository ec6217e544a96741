//! The guard before the sanitizer: one reading of the body's tags that
//! both reports what the policy will remove ([`audit`]) and measures how the
//! elements nest ([`depth`]); the body is rewritten ([`limit`]) only when
//! that measure is over a limit the tree builder could not handle in linear
//! time.

mod audit;
pub mod depth;
pub mod tokens;

use html5ever::tokenizer::{TagKind, Token, TokenSinkResult, TokenizerOpts};

pub use depth::{Nesting, limit};

use crate::rendered::Diagnostics;

/// Counts what the sanitizer will remove from `html`: elements dropped with
/// their content, elements unwrapped, event handlers and unsafe URLs, each
/// kind reported once with its count, at the first line it is met on.
/// `file_line` maps a line of `html` (from 1) to the line of the file it
/// was written from, when that is known.
///
/// Returns how the elements nest, for [`limit`].
pub fn audit(
    html: &str,
    file_line: impl Fn(u64) -> Option<usize>,
    diagnostics: &mut Diagnostics,
) -> Nesting {
    let mut audit = audit::Audit::default();
    with_html5ever(html, &mut audit);
    audit.finish(file_line, diagnostics)
}

/// Feeds `audit` the tokens of html5ever's tokenizer.
fn with_html5ever(html: &str, audit: &mut audit::Audit) {
    tokens::each(html, TokenizerOpts::default(), &mut |token, line| {
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let attrs: Vec<(&str, &str)> = tag
                    .attrs
                    .iter()
                    .map(|a| (&*a.name.local, &*a.value))
                    .collect();
                if let Some(kind) = audit.start(&tag.name, tag.self_closing, &attrs, line) {
                    return TokenSinkResult::RawData(kind);
                }
            }
            Token::TagToken(tag) => audit.end(&tag.name),
            Token::CharacterTokens(text) => audit.text(depth::is_blank(&text)),
            Token::NullCharacterToken => audit.text(false),
            _ => {}
        }
        TokenSinkResult::Continue
    });
}
