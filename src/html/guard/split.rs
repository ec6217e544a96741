//! Where a big body can be cut so that the sanitizer parses it piece by
//! piece, each piece's tree dropped before the next is built: ammonia's
//! tree is 5–13× the HTML it parses, so one tree for a 10 MB body is most of
//! a render's peak memory (bench/MEMORY.md).
//!
//! A cut is made only at a **split point**: right after a tag's `>`, with
//! the tokenizer in the data state, and every element opened since the
//! start of the document closed by its own end tag, properly nested, but
//! for [`WRAPPERS`] (`<div>`, `<section>`…) around the point, which the
//! next piece is parsed inside again (see [`Piece::wrapped`]). The guard's
//! lexer (the audit's tokenizer) finds the tags; this module keeps a stack
//! of the elements they open.
//!
//! Why parsing `A + B` then builds the trees of `A` and of `B` side by side,
//! so that cleaning the pieces and concatenating the output is the same as
//! cleaning the whole: the fragment parser starts with the stack of open
//! elements holding only the root, the list of active formatting elements
//! empty, the form element pointer null, the insertion mode "in body" and
//! the tokenizer in the data state. At a split point after `A`:
//! - the tokenizer is in the data state (a tag just ended, and no raw-text,
//!   RCDATA, script or plaintext element is open);
//! - every element `A` opened was closed by its own end tag, but the
//!   wrappers. That is the tree builder's stack only while the two stacks
//!   never part, so a start tag for which the tree builder closes
//!   elements itself (a `<p>` closed by a `<div>`, a `<dt>` closing an
//!   open `<dt>` and the `<div>` inside it, a second `<a>`, a table part
//!   outside its parent: `Splitter::closes_implicitly`) stops all
//!   cutting — after it, an end tag that matches our stack may close
//!   another element there, a wrapper included — and so does an end tag
//!   that does not close the element on top of our stack. With the stacks
//!   alike, each end tag closes the element on top of both, which also
//!   takes a formatting element off the list of active formatting
//!   elements;
//! - `<form>`, `<template>`, `<html>`, `<head>`, `<body>`, `<frameset>`
//!   change state beyond the stack (the form pointer, the template modes,
//!   the root's attributes), `<plaintext>` never ends, and SVG and MathML
//!   are tokenized otherwise (CDATA sections, `<style>` that is not raw
//!   text): after any of them, no more cuts;
//! - so the insertion mode, reset from the stack, is "in body" again; `B`
//!   parsed after the wrappers' start tags starts in the very state `A + B`
//!   is in at the cut: the same stack (the wrappers' attributes aside, which
//!   no rule of the tree builder reads), an empty list, the data state. Its
//!   tree is the whole's from there on, inside copies of the wrappers,
//!   whose tags the writer leaves out, as it leaves out the end tags the
//!   parser of `A` alone adds for those still open at its end.
//!
//! One more difference between a piece and the rest of a document: the
//! tokenizer drops a U+FEFF (a byte-order mark) that starts its input, so no
//! piece parsed without wrappers may start with one.
//!
//! Safety does not depend on where the cuts fall: each piece is cleaned by
//! the policy, whatever its content, and the concatenated output is held to
//! the fixed point as before (the walk's check reads the whole output, and
//! each further cleaning is again cut only at its own split points). A wrong
//! cut could only make the output differ from the unsplit one, which a
//! differential test (`tests/pieces.rs`) over every test file, the corpus,
//! the seed and generated tag soup rules out; a piece whose tree does not
//! hold its wrappers as expected makes the sanitizer clean the document in
//! one piece instead (counted, and held at zero by that test).

use std::borrow::Cow;

use html5ever::tokenizer::states::RawKind;

use super::depth;
use super::lexer::{self, Sink};
use crate::html::elements::{self, CLOSES_P, HEADING, NO_END_TAG, SPECIAL};

/// Below this many bytes a document is one piece: its tree is small, and
/// ordinary articles take exactly the path they always took.
pub const THRESHOLD: usize = 256 * 1024;

/// A piece ends at the first split point after this many bytes. Measured
/// (bench/MEMORY.md): the tree of a 64 KB piece is under 1 MB, small
/// beside the output string, and a piece costs a parser set-up, which
/// larger pieces would share no better.
pub const PIECE: usize = 64 * 1024;

/// Deeper than this, no more cuts: a split point needs everything closed
/// but the wrappers, and the stack kept here must stay small.
const MAX_OPEN: usize = 512;

/// The most wrappers open at a cut.
const MAX_WRAPPERS: usize = 16;

/// Elements a document may be wrapped in at a cut (see [`Piece::wrapped`]):
/// kept by the policy as they are, and, open, changing nothing in how
/// their content is parsed beyond what the same element opened again at the
/// start of the next piece reproduces.
const WRAPPERS: &[&str] = &[
    "article",
    "aside",
    "blockquote",
    "div",
    "figure",
    "footer",
    "header",
    "section",
];

/// A piece of a document, cut at split points.
#[derive(Debug, PartialEq)]
pub struct Piece<'a> {
    /// Its HTML.
    pub html: &'a str,
    /// The wrappers open where it starts, outermost first: a piece is
    /// parsed after their start tags (`<div>` and so on, written without
    /// attributes), which the writer then leaves out. A news article is
    /// often one `<div>` around everything: cut inside it, each piece is
    /// parsed as it is in the whole, inside the same open elements.
    pub wrapped: Vec<&'static str>,
    /// How many of the wrappers open where it ends (the outermost ones) are
    /// still open there: the writer leaves out the end tags the parser of
    /// the piece alone adds for them.
    pub left_open: usize,
}

/// `html` cut at split points into pieces of about `piece` bytes (the
/// whole of it when it is shorter than `threshold`), in order.
pub fn pieces(html: &str, threshold: usize, piece: usize) -> Vec<Piece<'_>> {
    let whole = || Piece {
        html,
        wrapped: Vec::new(),
        left_open: 0,
    };
    if html.len() < threshold {
        return vec![whole()];
    }
    let mut splitter = Splitter {
        html,
        piece,
        open: Vec::new(),
        stopped: false,
        last: 0,
        cuts: Vec::new(),
    };
    // When the lexer gives up (a NUL, a CR, a script it does not read
    // exactly), the cuts it found before stand: it read that far right.
    lexer::run(html, &mut splitter);
    let mut pieces = vec![whole()];
    for (at, wrapped) in splitter.cuts {
        let last = pieces.last_mut().expect("one piece at least");
        let from = html.len() - last.html.len();
        last.html = &html[from..at];
        last.left_open = wrapped.len();
        pieces.push(Piece {
            html: &html[at..],
            wrapped,
            left_open: 0,
        });
    }
    pieces
}

/// The lexer's reader that finds split points.
struct Splitter<'a> {
    html: &'a str,
    piece: usize,
    /// The elements open, as their tags nest, and for each the wrapper it
    /// is, if it is one.
    open: Vec<(Cow<'a, str>, Option<&'static str>)>,
    /// Set once something happened after which no cut is sure.
    stopped: bool,
    /// Where the current piece starts.
    last: usize,
    /// Where each cut is, and the wrappers open there.
    cuts: Vec<(usize, Vec<&'static str>)>,
}

impl Splitter<'_> {
    /// Whether start tag `name` could make the tree builder close or
    /// ignore elements that [`Splitter::open`] still holds open, so that
    /// the two stacks part: then a later end tag that matches ours may close
    /// another element in the tree builder (the `</div>` of a `<div>` that a
    /// `<dt>` already closed closes the `<div>` around it), and no cut after
    /// that is sure. Conservative: each rule of the "in body" and table
    /// insertion modes that closes elements for a start tag, asked of our
    /// stack, whether or not the tree builder would act.
    fn closes_implicitly(&self, name: &str) -> bool {
        let open = |wanted: &[&str]| self.open.iter().any(|(n, _)| wanted.contains(&&**n));
        let top = self.open.last().map(|(n, _)| &**n);
        // `<dd>`, `<dt>`, `<li>` close an open one of theirs, seen through
        // elements that are not special, and `<address>`, `<div>`, `<p>`.
        let through = |wanted: &[&str]| {
            for (n, _) in self.open.iter().rev() {
                if wanted.contains(&&**n) {
                    return true;
                }
                if elements::is(n, SPECIAL) && !matches!(&**n, "address" | "div" | "p") {
                    return false;
                }
            }
            false
        };
        match name {
            "dd" | "dt" => through(&["dd", "dt"]),
            "li" => through(&["li"]),
            // The adoption agency for an `<a>` or `<nobr>` already active.
            "a" | "nobr" => open(&[name]),
            "button" => open(&["button"]),
            "option" | "optgroup" => matches!(top, Some("option" | "optgroup")),
            "rb" | "rp" | "rt" | "rtc" | "select" | "image" | "isindex" | "keygen" => true,
            // A table in a table closes the outer one; table parts outside
            // their parent are ignored or close a cell, a row, a section.
            "table" => matches!(top, Some("table" | "tbody" | "thead" | "tfoot" | "tr")),
            "caption" | "colgroup" | "tbody" | "thead" | "tfoot" => top != Some("table"),
            "col" => !matches!(top, Some("table" | "colgroup")),
            "tr" => !matches!(top, Some("table" | "tbody" | "thead" | "tfoot")),
            "td" | "th" => top != Some("tr"),
            // A heading in a heading closes the outer one.
            _ if elements::is(name, HEADING) && top.is_some_and(|t| elements::is(t, HEADING)) => {
                true
            }
            // Closing a `<p>` pops what is open above it too.
            _ if elements::is(name, CLOSES_P) => open(&["p"]),
            _ => false,
        }
    }
}

impl<'a> Sink<'a> for Splitter<'a> {
    fn start(
        &mut self,
        name: Cow<'a, str>,
        _self_closing: bool,
        _attrs: &[(Cow<'a, str>, Cow<'a, str>)],
        _line: u64,
    ) -> Option<RawKind> {
        // The tokenizer's state after the tag, as the tree builder sets it
        // in HTML content (SVG and MathML stop the cutting below).
        let raw = depth::raw_text(&name);
        if self.stopped {
            return raw;
        }
        match &*name {
            "form" | "template" | "html" | "head" | "body" | "frameset" | "plaintext" | "svg"
            | "math" => self.stopped = true,
            _ if self.closes_implicitly(&name) => self.stopped = true,
            // In HTML content a `/>` does not close a non-void element.
            _ if elements::is(&name, NO_END_TAG) => {}
            _ if self.open.len() >= MAX_OPEN => self.stopped = true,
            _ => {
                let wrapper = WRAPPERS.iter().find(|w| **w == name).copied();
                self.open.push((name, wrapper));
            }
        }
        raw
    }

    fn end(&mut self, name: Cow<'a, str>) {
        if self.stopped {
            return;
        }
        match self.open.last() {
            Some((open, _)) if *open == name => {
                self.open.pop();
            }
            // A stray or misnested end tag: the tree builder's answer (an
            // element made up, the adoption agency) is not followed here.
            _ => self.stopped = true,
        }
    }

    fn text(&mut self, _blank: bool) {}

    fn tag_done(&mut self, at: usize) {
        if self.stopped
            || at - self.last < self.piece
            || at == self.html.len()
            || self.open.len() > MAX_WRAPPERS
        {
            return;
        }
        let Some(wrapped) = self.open.iter().map(|(_, w)| *w).collect() else {
            return;
        };
        // The tokenizer drops a U+FEFF that starts its input.
        if self.html[at..].starts_with('\u{FEFF}') && self.open.is_empty() {
            return;
        }
        self.cuts.push((at, wrapped));
        self.last = at;
    }
}

#[cfg(test)]
mod tests {
    use super::pieces;

    fn cuts(html: &str) -> Vec<&str> {
        pieces(html, 0, 1).into_iter().map(|p| p.html).collect()
    }

    #[test]
    fn cuts_only_where_everything_is_closed() {
        assert_eq!(
            cuts("<p>a<b>b</b></p><span>c</span>text<hr><p>d</p>"),
            ["<p>a<b>b</b></p>", "<span>c</span>", "text<hr>", "<p>d</p>"]
        );
        // Nothing is cut inside an element, nor before a U+FEFF.
        assert_eq!(
            cuts("<p><b>a</b></p>\u{FEFF}x<p>y</p>"),
            ["<p><b>a</b></p>\u{FEFF}x<p>y</p>"]
        );
        // A raw-text element ends at its end tag, not at a tag inside it.
        assert_eq!(
            cuts("<style><p></style><p>b</p>"),
            ["<style><p></style>", "<p>b</p>"]
        );
    }

    #[test]
    fn stops_cutting_where_the_tree_builder_is_not_followed() {
        for html in [
            "<p>a</b></p><p>b</p><p>c</p>",
            "<b><i></b></i><p>b</p><p>c</p>",
            "<form></form><p>b</p><p>c</p>",
            "<svg><p></p></svg><p>b</p><p>c</p>",
            "</p><p>b</p><p>c</p>",
        ] {
            assert_eq!(cuts(html).len(), 1, "{html}");
        }
        // Up to there, cuts stand.
        assert_eq!(cuts("<p>a</p><p>b</b></p><p>c</p>").len(), 2);
    }

    /// Start tags that make the tree builder close elements our stack holds
    /// open stop the cutting: after them an end tag that matches our stack
    /// can close another element (here the outer `<div>`, whose end tag
    /// then comes after the table in our stack but before it in the tree).
    #[test]
    fn stops_where_a_start_tag_closes_elements_implicitly() {
        let html = "<div><dt><div><dt></dt></div></dt><table></table></div><p>x</p>";
        let cut: Vec<_> = pieces(html, 0, 1).into_iter().map(|p| p.html).collect();
        assert_eq!(
            cut,
            [
                "<div>",
                "<dt><div><dt></dt></div></dt><table></table></div><p>x</p>"
            ]
        );
        // No cut after the start tag that closes something.
        for (html, trigger) in [
            ("<ul><li>a<div><li>b</li></div></li></ul><p>c</p>", "<li>b"),
            ("<p>a<div>b</div></p><p>c</p>", "<div>"),
            ("<a>a<a>b</a></a><p>c</p>", "<a>b"),
            ("<h1>a<h2>b</h2></h1><p>c</p>", "<h2>"),
            (
                "<table><tr><td><table><table></table></table></td></tr></table><p>c</p>",
                "<table></table>",
            ),
            ("<div><td>a</td></div><p>c</p>", "<td>"),
        ] {
            let last = cuts(html).pop().expect("a piece");
            assert!(
                html.len() - last.len() <= html.find(trigger).unwrap(),
                "{html}"
            );
        }
    }

    #[test]
    fn small_documents_are_one_piece() {
        let html = "<p>a</p>".repeat(100);
        assert_eq!(cuts_with(&html, html.len() + 1, 1), [html.as_str()]);
        assert_eq!(pieces(&html, 0, 80).len(), 10);
    }

    fn cuts_with(html: &str, threshold: usize, piece: usize) -> Vec<&str> {
        pieces(html, threshold, piece)
            .into_iter()
            .map(|p| p.html)
            .collect()
    }

    /// Inside wrappers, a piece says which are open at its start and how
    /// many still are at its end.
    #[test]
    fn cuts_inside_wrappers() {
        let html = "<div class=x><section><p>a</p><p>b</p></section><p>c</p></div><p>d</p>";
        let got: Vec<_> = pieces(html, 0, 1)
            .into_iter()
            .map(|p| (p.html, p.wrapped, p.left_open))
            .collect();
        assert_eq!(
            got,
            [
                ("<div class=x>", vec![], 1),
                ("<section>", vec!["div"], 2),
                ("<p>a</p>", vec!["div", "section"], 2),
                ("<p>b</p>", vec!["div", "section"], 2),
                ("</section>", vec!["div", "section"], 1),
                ("<p>c</p>", vec!["div"], 1),
                ("</div>", vec!["div"], 0),
                ("<p>d</p>", vec![], 0),
            ]
        );
        // Not inside a `<p>`, a list, a table.
        assert_eq!(cuts("<ul><li>a</li><li>b</li></ul>").len(), 1);
    }
}
