//! Nesting deeper than any article needs is flattened before the HTML is
//! parsed. html5ever's tree builder looks through the stack of open elements
//! for many tags, so 100,000 nested `<div>`s (or `>` quotes, or list markers,
//! which Markdown turns into nested elements) take minutes; browsers cap the
//! depth for the same reason. Only a document deeper than [`MAX_DEPTH`] is
//! rewritten: its elements below that depth are unwrapped, their text kept.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::rendered::Diagnostics;

/// Deepest element nesting kept.
pub const MAX_DEPTH: usize = 256;

/// How far back an end tag looks for its start tag; an end tag that matches
/// nothing nearer is passed on as it is, and the parser ignores it.
const MATCH_WINDOW: usize = 64;

/// Whether an element adds a level of nesting. Void elements do not, and
/// neither do those whose end tag is optional: a run of `<p>` or `<li>`
/// without end tags is a list of siblings, not a tower.
pub fn nests(name: &str) -> bool {
    !matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "option"
            | "optgroup"
            | "thead"
            | "tbody"
            | "tfoot"
            | "colgroup"
            | "caption"
            | "rb"
            | "rt"
            | "rp"
            | "rtc"
            | "html"
            | "head"
            | "body"
    )
}

/// The tokenizer state a start tag switches to, as the tree builder would
/// switch it: the text of these elements is not markup.
pub fn raw_text(name: &str) -> Option<RawKind> {
    match name {
        "script" => Some(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => Some(RawKind::Rawtext),
        "textarea" | "title" => Some(RawKind::Rcdata),
        _ => None,
    }
}

/// Flattens `html` when its nesting (as measured by the audit) is deeper
/// than [`MAX_DEPTH`]; otherwise returns it unchanged.
pub fn limit(html: String, max_depth: usize, diagnostics: &mut Diagnostics) -> String {
    if max_depth <= MAX_DEPTH {
        return html;
    }
    diagnostics.warn(
        "input.too-deep",
        format!(
            "Elements are nested {max_depth} levels deep; those below level {MAX_DEPTH} were unwrapped and their text kept."
        ),
        None,
    );
    let tokenizer = Tokenizer::new(Flatten::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.out.take()
}

/// Writes the tokens back as HTML, leaving out the tags below [`MAX_DEPTH`].
#[derive(Default)]
struct Flatten {
    out: RefCell<String>,
    /// Open nesting elements, and whether each was written.
    open: RefCell<Vec<(String, bool)>>,
}

impl TokenSink for Flatten {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut out = self.out.borrow_mut();
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let mut open = self.open.borrow_mut();
                // Raw-text elements are kept at any depth, so that the policy
                // still drops a deep `<style>` with its content.
                let keep =
                    !nests(&tag.name) || open.len() < MAX_DEPTH || raw_text(&tag.name).is_some();
                if nests(&tag.name) && !tag.self_closing {
                    open.push((tag.name.to_string(), keep));
                }
                if keep {
                    out.push('<');
                    out.push_str(&tag.name);
                    for attr in &tag.attrs {
                        out.push(' ');
                        out.push_str(&attr.name.local);
                        out.push_str("=\"");
                        escape(&attr.value, true, &mut out);
                        out.push('"');
                    }
                    out.push_str(if tag.self_closing { "/>" } else { ">" });
                }
                if let Some(kind) = raw_text(&tag.name) {
                    return TokenSinkResult::RawData(kind);
                }
            }
            Token::TagToken(tag) => {
                let mut open = self.open.borrow_mut();
                let found = open
                    .iter()
                    .rev()
                    .take(MATCH_WINDOW)
                    .position(|(name, _)| *name == *tag.name);
                let written = match found {
                    Some(from_top) => {
                        let at = open.len() - 1 - from_top;
                        let written = open[at].1;
                        open.truncate(at);
                        written
                    }
                    None => true,
                };
                if written {
                    out.push_str("</");
                    out.push_str(&tag.name);
                    out.push('>');
                }
            }
            Token::CharacterTokens(text) => escape(&text, false, &mut out),
            Token::NullCharacterToken => out.push('\u{FFFD}'),
            // Comments and doctypes are dropped by the policy anyway.
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn escape(text: &str, attribute: bool, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' if attribute => out.push_str("&quot;"),
            '<' if !attribute => out.push_str("&lt;"),
            '>' if !attribute => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_documents_are_untouched() {
        let html = "<div><p>a &amp; b</div>".to_owned();
        assert_eq!(limit(html.clone(), 2, &mut Diagnostics::default()), html);
    }

    #[test]
    fn deep_nesting_is_flattened_keeping_text() {
        let html = format!(
            "{}deep text{}",
            "<div class=\"x\">".repeat(1000),
            "</div>".repeat(1000)
        );
        let mut d = Diagnostics::default();
        let out = limit(html, 1000, &mut d);
        assert_eq!(
            out.matches("<div").count(),
            MAX_DEPTH,
            "only {MAX_DEPTH} levels are kept"
        );
        assert_eq!(
            out.matches("</div>").count(),
            MAX_DEPTH,
            "and only their end tags"
        );
        assert!(out.contains("deep text"), "the text is kept");
        assert_eq!(d.0[0].code, "input.too-deep");
    }

    #[test]
    fn raw_text_stays_text() {
        let html = format!("{}<style><div></style>x", "<b>".repeat(300));
        let out = limit(html, 300, &mut Diagnostics::default());
        assert!(
            out.contains("<style>&lt;div&gt;</style>"),
            "{}",
            &out[out.len() - 40..]
        );
    }
}
