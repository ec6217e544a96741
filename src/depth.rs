//! Nesting deeper than any article needs is flattened before the HTML is
//! parsed. html5ever's tree builder looks through the stack of open elements
//! for many tags, so 100,000 nested `<div>`s (or `>` quotes, or list markers,
//! which Markdown turns into nested elements) take minutes; browsers cap the
//! depth for the same reason. Only a document deeper than [`MAX_DEPTH`] is
//! rewritten: its elements below that depth are unwrapped, their text kept.
//!
//! Depth is counted as the tree builder nests, near enough ([`nests`],
//! [`Levels`]); where it cannot tell, it counts deeper, which costs markup
//! of a pathological document, never time.

use std::cell::{Cell, RefCell};

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

/// What a start tag does to the nesting.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Opens {
    /// Nothing: a void element, one whose end tag is optional, or `<x/>`.
    Nothing,
    /// A level beside the one it closes: an `<a>` while a link is open.
    SameLevel,
    /// A level deeper.
    Level,
}

/// Counts the levels start and end tags open and close, as [`nests`] says,
/// but for links. An `<a>` start tag while a link is open closes that link
/// first (the adoption agency algorithm), so `<a href=1>x<a href=2>y` is
/// two links side by side, and a thousand of them are not a thousand levels.
/// Only the plain case is recognized, the open link being the last element
/// opened; inside SVG or MathML an `<a>` is a foreign element, which does
/// nest, so once either has started every `<a>` counts again.
#[derive(Default)]
pub struct Levels {
    /// The last element that opened a level is a link, still open.
    link_on_top: bool,
    /// Links counted as a level and not yet closed: an `</a>` beyond them
    /// closes nothing (its link was closed by the next `<a>`).
    open_links: usize,
    foreign: bool,
}

impl Levels {
    /// What a start tag opens.
    pub fn start(&mut self, name: &str, self_closing: bool) -> Opens {
        if matches!(name, "svg" | "math") {
            self.foreign = true;
        }
        if !nests(name) || self_closing {
            return Opens::Nothing;
        }
        let link = name == "a";
        let beside = link && self.link_on_top && !self.foreign;
        self.link_on_top = link;
        if beside {
            return Opens::SameLevel;
        }
        self.open_links += usize::from(link);
        Opens::Level
    }

    /// Whether an end tag closes a level.
    pub fn end(&mut self, name: &str) -> bool {
        if !nests(name) {
            return false;
        }
        self.link_on_top = false;
        if name == "a" {
            if self.open_links == 0 {
                return false;
            }
            self.open_links -= 1;
        }
        true
    }
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

/// Flattens `html` when its nesting is deeper than [`MAX_DEPTH`]; otherwise
/// returns it unchanged. `max_depth`, as the audit measured it, is a bound:
/// when it is over, the nesting is measured again here, as it is flattened,
/// and the document comes back as it was if nothing had to be unwrapped.
pub fn limit(html: String, max_depth: usize, diagnostics: &mut Diagnostics) -> String {
    if max_depth <= MAX_DEPTH {
        return html;
    }
    let tokenizer = Tokenizer::new(Flatten::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let Flatten {
        out,
        deepest,
        unwrapped,
        ..
    } = tokenizer.sink;
    if !unwrapped.get() {
        return html;
    }
    let deepest = deepest.get();
    diagnostics.warn(
        "input.too-deep",
        format!(
            "Elements are nested {deepest} levels deep; those below level {MAX_DEPTH} were unwrapped and their text kept."
        ),
        None,
    );
    out.take()
}

/// Writes the tokens back as HTML, leaving out the tags below [`MAX_DEPTH`].
#[derive(Default)]
struct Flatten {
    out: RefCell<String>,
    /// Open nesting elements, and whether each was written.
    open: RefCell<Vec<(String, bool)>>,
    levels: RefCell<Levels>,
    /// The most elements open at once.
    deepest: Cell<usize>,
    /// Whether a tag was left out.
    unwrapped: Cell<bool>,
}

impl TokenSink for Flatten {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut out = self.out.borrow_mut();
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let mut open = self.open.borrow_mut();
                let opens = self.levels.borrow_mut().start(&tag.name, tag.self_closing);
                // Raw-text elements are kept at any depth, so that the policy
                // still drops a deep `<style>` with its content.
                let keep = match opens {
                    // The link it closes is the last element open (see
                    // `Levels`); this one takes its place, and its end tag.
                    Opens::SameLevel => open.last().is_none_or(|(_, written)| *written),
                    _ => {
                        !nests(&tag.name) || open.len() < MAX_DEPTH || raw_text(&tag.name).is_some()
                    }
                };
                if opens == Opens::Level {
                    open.push((tag.name.to_string(), keep));
                    self.deepest.set(self.deepest.get().max(open.len()));
                }
                if !keep {
                    self.unwrapped.set(true);
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
                self.levels.borrow_mut().end(&tag.name);
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

    /// The levels `Levels` counts in `html`, at the deepest (tags without `/`
    /// in attributes).
    fn deepest(html: &str) -> usize {
        let mut levels = Levels::default();
        let (mut depth, mut deepest) = (0usize, 0);
        for tag in html.split('<').skip(1) {
            let tag = &tag[..tag.find('>').expect("a whole tag")];
            if let Some(name) = tag.strip_prefix('/') {
                if levels.end(name) {
                    depth -= 1;
                }
            } else {
                let name = tag.split(' ').next().unwrap_or(tag);
                if levels.start(name, tag.ends_with('/')) == Opens::Level {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
            }
        }
        deepest
    }

    #[test]
    fn an_a_start_tag_closes_the_open_link() {
        assert_eq!(deepest(&"<a href=x>x".repeat(1000)), 1, "siblings");
        assert_eq!(deepest("<a>x<a>y</a>"), 1);
        assert_eq!(
            deepest(&"<div><a>x<a>y</a></a>".repeat(300)),
            301,
            "an `</a>` whose link the next `<a>` closed closes nothing, not the <div>"
        );
        assert_eq!(
            deepest(&"<a>x</a>".repeat(300)),
            1,
            "closed links, one level each time"
        );
    }

    #[test]
    fn links_nest_when_something_is_opened_between_them() {
        assert_eq!(
            deepest(&"<a>x<div>".repeat(300)),
            600,
            "a block inside the link stays open when the next link starts: counted as before"
        );
        assert_eq!(deepest(&"<a>x<b>".repeat(300)), 600);
        assert_eq!(
            deepest(&format!("<svg>{}", "<a>".repeat(300))),
            301,
            "in SVG an <a> is a foreign element, which nests"
        );
        assert_eq!(
            deepest(&format!("<svg></svg><math></math>{}", "<a>".repeat(300))),
            300,
            "after SVG or MathML, every link counts, as before"
        );
    }

    #[test]
    fn sibling_links_are_not_flattened() {
        let html: String = (0..1000)
            .map(|i| format!("<a href=\"/{i}\">x{i}"))
            .collect();
        let mut d = Diagnostics::default();
        // The audit counts each link as a level (it counts every `<a>`).
        let out = limit(html.clone(), 1000, &mut d);
        assert_eq!(
            out, html,
            "nothing to unwrap: the document comes back as it was"
        );
        assert!(d.0.is_empty(), "and nothing to report: {:?}", d.0);
    }

    #[test]
    fn links_nested_by_other_elements_are_flattened() {
        let html = format!("{}deep", "<a href=/>x<div>".repeat(1000));
        let mut d = Diagnostics::default();
        let out = limit(html, 2000, &mut d);
        assert_eq!(
            out.matches("<a").count() + out.matches("<div").count(),
            MAX_DEPTH,
            "only {MAX_DEPTH} levels are kept"
        );
        assert!(out.contains("deep"), "the text is kept");
        assert_eq!(d.0[0].code, "input.too-deep");
        assert!(
            d.0[0]
                .message
                .starts_with("Elements are nested 2000 levels deep;"),
            "{}",
            d.0[0].message
        );
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
