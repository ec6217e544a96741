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
use super::lexer::{self, Sink, Spans};
use crate::html::elements::{
    self, CLOSES_P, FORMATTING, HEADING, MARKER, NO_END_TAG, NO_REOPEN, SPECIAL, TABLE_CONTEXT,
};
use crate::serialize::escape;

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
    /// The start tags of the formatting elements the tree builder keeps
    /// active where the piece starts, closed by another element's end tag
    /// and to be opened again by the next text (see [`Piece::start`]);
    /// empty for most pieces.
    pub reopened: String,
}

/// An element the policy removes with its content, that the tree builder
/// handles as any other start tag and whose end tag, as any other end tag,
/// closes the formatting elements opened in it and leaves them active:
/// what [`Piece::start`] writes the formatting elements to reopen in.
pub const HOLDER: &str = "canvas";

impl Piece<'_> {
    /// What the piece is parsed after, so that the tree builder is in the
    /// state the whole document puts it in at the cut: the wrappers' start
    /// tags, then the formatting elements it keeps active there, opened
    /// inside a [`HOLDER`] and closed by its end tag. They are then on the
    /// list of active formatting elements, in the same order, with the same
    /// names and attributes, and not on the stack of open elements, as in
    /// the whole; the policy drops the holder with them, and the copies the
    /// next text opens are the whole's. Empty when there is nothing to
    /// write: the piece is parsed as it is.
    pub fn start(&self) -> String {
        let mut start = String::new();
        for name in &self.wrapped {
            start.push('<');
            start.push_str(name);
            start.push('>');
        }
        if !self.reopened.is_empty() {
            start.push('<');
            start.push_str(HOLDER);
            start.push('>');
            start.push_str(&self.reopened);
            start.push_str("</");
            start.push_str(HOLDER);
            start.push('>');
        }
        start
    }
}

/// `html` cut at split points into pieces of about `piece` bytes (the
/// whole of it when it is shorter than `threshold`), in order.
pub fn pieces(html: &str, threshold: usize, piece: usize) -> Vec<Piece<'_>> {
    if html.len() < threshold {
        return vec![Piece::whole(html)];
    }
    cut(html, piece)
}

impl<'a> Piece<'a> {
    /// All of `html`, as one piece.
    fn whole(html: &'a str) -> Self {
        Piece {
            html,
            wrapped: Vec::new(),
            left_open: 0,
            reopened: String::new(),
        }
    }
}

/// [`pieces`] of a document past the threshold; not inlined (most articles
/// are shorter: see the crate's doc).
#[inline(never)]
fn cut(html: &str, piece: usize) -> Vec<Piece<'_>> {
    let whole = || Piece::whole(html);
    let mut splitter = Splitter {
        html,
        piece,
        open: Vec::new(),
        active: Vec::new(),
        ids: 0,
        raw: false,
        drops_lf: false,
        stopped: false,
        last: 0,
        cuts: Vec::new(),
    };
    lexer::run(html, &mut splitter);
    let mut pieces = vec![whole()];
    for (at, wrapped, reopened) in splitter.cuts {
        let last = pieces.last_mut().expect("one piece at least");
        let from = html.len() - last.html.len();
        last.html = &html[from..at];
        last.left_open = wrapped.len();
        pieces.push(Piece {
            html: &html[at..],
            wrapped,
            left_open: 0,
            reopened,
        });
    }
    pieces
}

/// An element open, as the splitter follows the stack of open elements.
struct Open<'a> {
    name: Cow<'a, str>,
    /// The wrapper it is, if it is one.
    wrapper: Option<&'static str>,
    /// For a formatting element, the id of its entry in
    /// [`Splitter::active`] (gone from there if the "Noah's Ark" clause
    /// dropped it).
    entry: Option<u32>,
}

/// An entry of the list of active formatting elements.
enum Entry<'a> {
    /// Put by `<td>`, `<object>`…: reopening and the adoption agency look
    /// no further back.
    Marker,
    Element {
        id: u32,
        name: Cow<'a, str>,
        /// As the tokenizer gave them: the tree builder keeps the token, and
        /// each copy it opens has them.
        attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
        /// Whether its element (or the last copy opened) is on the stack.
        open: bool,
    },
}

/// The lexer's reader that finds split points.
struct Splitter<'a> {
    html: &'a str,
    piece: usize,
    /// The elements open, as the tree builder's stack holds them.
    open: Vec<Open<'a>>,
    /// The list of active formatting elements, as the tree builder keeps
    /// it: those open, and those an end tag closed, which the next text or
    /// most start tags open again (reconstruct). It follows the tree
    /// builder exactly as long as nothing stopped the cutting.
    active: Vec<Entry<'a>>,
    /// The next id of an entry.
    ids: u32,
    /// Whether the text the lexer gives next is a raw-text element's.
    raw: bool,
    /// Whether the tag just read was a `<pre>` or `<listing>`, after which
    /// the tree builder drops a newline that starts the text.
    drops_lf: bool,
    /// Set once something happened after which no cut is sure.
    stopped: bool,
    /// Where the current piece starts.
    last: usize,
    /// Where each cut is, the wrappers open there, and the formatting
    /// elements active there ([`Piece::reopened`]).
    cuts: Vec<(usize, Vec<&'static str>, String)>,
}

impl<'a> Splitter<'a> {
    /// Whether start tag `name` could make the tree builder close or
    /// ignore elements that [`Splitter::open`] still holds open, so that
    /// the two stacks part: then a later end tag that matches ours may close
    /// another element in the tree builder (the `</div>` of a `<div>` that a
    /// `<dt>` already closed closes the `<div>` around it), and no cut after
    /// that is sure. Conservative: each rule of the "in body" and table
    /// insertion modes that closes elements for a start tag, asked of our
    /// stack, whether or not the tree builder would act.
    fn closes_implicitly(&self, name: &str) -> bool {
        let open = |wanted: &[&str]| self.open.iter().any(|o| wanted.contains(&&*o.name));
        let top = self.open.last().map(|o| &*o.name);
        // `<dd>`, `<dt>`, `<li>` close an open one of theirs, seen through
        // elements that are not special, and `<address>`, `<div>`, `<p>`.
        let through = |wanted: &[&str]| {
            for o in self.open.iter().rev() {
                if wanted.contains(&&*o.name) {
                    return true;
                }
                if elements::is(&o.name, SPECIAL) && !matches!(&*o.name, "address" | "div" | "p") {
                    return false;
                }
            }
            false
        };
        // Closing a `<p>` pops what is open above it too (`<li>`, `<dd>`,
        // `<dt>` and `<table>` close one as well as their own rule).
        if elements::is(name, CLOSES_P) && open(&["p"]) {
            return true;
        }
        match name {
            "dd" | "dt" => through(&["dd", "dt"]),
            "li" => through(&["li"]),
            // The adoption agency for an `<a>` active, or a `<nobr>` open
            // or to be reopened.
            "a" | "nobr" => {
                open(&[name])
                    || self
                        .active
                        .iter()
                        .any(|e| matches!(e, Entry::Element { name: n, .. } if n == name))
            }
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
            _ => false,
        }
    }

    /// Whether the list holds formatting elements to reopen.
    fn pending(&self) -> bool {
        self.active
            .iter()
            .any(|e| matches!(e, Entry::Element { open: false, .. }))
    }

    /// The tree builder's "reconstruct the active formatting elements": the
    /// entries after the last marker or open one are opened again, in
    /// order, each a copy with the entry's name and attributes.
    fn reopen(&mut self) {
        let closed = |e: &Entry| matches!(e, Entry::Element { open: false, .. });
        let mut from = self.active.len();
        while from > 0 && closed(&self.active[from - 1]) {
            from -= 1;
        }
        for entry in &mut self.active[from..] {
            if let Entry::Element { id, name, open, .. } = entry {
                *open = true;
                self.open.push(Open {
                    name: name.clone(),
                    wrapper: None,
                    entry: Some(*id),
                });
            }
        }
        if self.open.len() > MAX_OPEN {
            self.stopped = true;
        }
    }

    /// Where the entry `id` is in the list, if it is there.
    fn entry(&self, id: u32) -> Option<usize> {
        self.active
            .iter()
            .position(|e| matches!(e, Entry::Element { id: i, .. } if *i == id))
    }

    /// The entries after the last marker, from where they start.
    fn since_marker(&self) -> usize {
        self.active
            .iter()
            .rposition(|e| matches!(e, Entry::Marker))
            .map_or(0, |m| m + 1)
    }

    /// A formatting element opened: on the stack and at the end of the
    /// list, where, with three equal entries after the last marker already
    /// (same name, same attributes in any order), the earliest goes (the
    /// "Noah's Ark" clause).
    fn push_formatting(&mut self, name: Cow<'a, str>, attrs: &[(Cow<'a, str>, Cow<'a, str>)]) {
        // The tokenizer keeps one attribute of a name, so equal in any
        // order is: as many, and each of one among the other's.
        let same = |other: &[(Cow<'a, str>, Cow<'a, str>)]| {
            other.len() == attrs.len() && other.iter().all(|a| attrs.contains(a))
        };
        let from = self.since_marker();
        let mut equal = (from..self.active.len()).filter(|&i| {
            matches!(&self.active[i], Entry::Element { name: n, attrs: a, .. }
                if *n == name && same(a))
        });
        if let Some(first) = equal.next()
            && equal.count() >= 2
        {
            self.active.remove(first);
        }
        let id = self.ids;
        self.ids += 1;
        self.active.push(Entry::Element {
            id,
            name: name.clone(),
            attrs: attrs.to_vec(),
            open: true,
        });
        self.open.push(Open {
            name,
            wrapper: None,
            entry: Some(id),
        });
        if self.active.len() > MAX_OPEN {
            self.stopped = true;
        }
    }

    /// A formatting element's end tag: the adoption agency, followed where
    /// it closes the element on top of the stack or forgets one to
    /// reopen; anything more (a misnested end tag) stops the cutting.
    fn adoption_agency(&mut self, name: &str) {
        let top = self.open.last();
        let top_entry = top.and_then(|o| o.entry).and_then(|id| self.entry(id));
        // The current node of that name, no longer on the list, is popped.
        if top.is_some_and(|o| o.name == name) && top_entry.is_none() {
            self.open.pop();
            return;
        }
        let from = self.since_marker();
        let last = (from..self.active.len())
            .rev()
            .find(|&i| matches!(&self.active[i], Entry::Element { name: n, .. } if n == name));
        match last {
            // Then it is any other end tag.
            None if top.is_some_and(|o| o.name == name) => {
                self.open.pop();
            }
            // One to reopen is forgotten, and nothing else happens.
            Some(i) if matches!(self.active[i], Entry::Element { open: false, .. }) => {
                self.active.remove(i);
            }
            // The element on top of the stack is closed.
            Some(i) if top_entry == Some(i) => {
                self.open.pop();
                self.active.remove(i);
            }
            _ => self.stopped = true,
        }
    }

    /// Another element's end tag. It closes the element on top of the stack
    /// if that is its own; one it closes with formatting elements open in it
    /// (`<div><b>x</div>`) closes them too, and they stay active, to be
    /// reopened, as long as the tree builder is in the "in body" insertion
    /// mode (no table, cell, `<select>`, `<object>`… open) and nothing else
    /// is open above the element. Anything else stops the cutting.
    fn close(&mut self, name: &str) {
        let Some(at) = self.open.iter().rposition(|o| o.name == name) else {
            self.stopped = true;
            return;
        };
        if at + 1 < self.open.len() {
            let in_body = |o: &Open| !out_of_body(&o.name);
            if !self.open.iter().all(in_body)
                || !self.open[at + 1..]
                    .iter()
                    .all(|o| elements::is(&o.name, FORMATTING))
            {
                self.stopped = true;
                return;
            }
        }
        for closed in at..self.open.len() {
            if let Some(i) = self.open[closed].entry.and_then(|id| self.entry(id))
                && let Entry::Element { open, .. } = &mut self.active[i]
            {
                *open = false;
            }
        }
        self.open.truncate(at);
        // A cell, caption, `<object>`… closed clears the list to its marker.
        if elements::is(name, MARKER) {
            while let Some(entry) = self.active.pop() {
                if matches!(entry, Entry::Marker) {
                    break;
                }
            }
        }
    }
}

/// Elements in which the tree builder leaves the "in body" insertion mode
/// (tables, their parts, `<select>`) or that put a marker on the list of
/// active formatting elements.
fn out_of_body(name: &str) -> bool {
    name == "select" || elements::is(name, TABLE_CONTEXT | MARKER)
}

/// Writes the start tag of a formatting element to reopen, which the
/// tokenizer reads back as the same name and attributes (a name holds no
/// white space, `/`, `>` or `=` but as its first character, which reads
/// back the same; the value is quoted and escaped).
fn write_start(name: &str, attrs: &[(Cow<'_, str>, Cow<'_, str>)], out: &mut String) {
    out.push('<');
    out.push_str(name);
    for (name, value) in attrs {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape(value, true, out);
        out.push('"');
    }
    out.push('>');
}

impl<'a> Sink<'a> for Splitter<'a> {
    fn start(
        &mut self,
        name: Cow<'a, str>,
        _self_closing: bool,
        attrs: &[(Cow<'a, str>, Cow<'a, str>)],
        _spans: &Spans<'_>,
        _line: impl FnMut() -> u64,
    ) -> Option<RawKind> {
        // The tokenizer's state after the tag, as the tree builder sets it
        // in HTML content (SVG and MathML stop the cutting below).
        let raw = depth::raw_text(&name);
        self.raw = raw.is_some();
        self.drops_lf = matches!(&*name, "pre" | "listing");
        if self.stopped {
            return raw;
        }
        match &*name {
            "form" | "template" | "html" | "head" | "body" | "frameset" | "plaintext" | "svg"
            | "math" => self.stopped = true,
            _ if self.closes_implicitly(&name) => self.stopped = true,
            // Formatting elements to reopen are not followed into tables.
            _ if out_of_body(&name) && self.pending() => self.stopped = true,
            _ => {
                if !elements::is(&name, NO_REOPEN) {
                    self.reopen();
                }
                if elements::is(&name, NO_END_TAG) {
                    // In HTML content a `/>` does not close a non-void element.
                } else if self.open.len() >= MAX_OPEN {
                    self.stopped = true;
                } else if elements::is(&name, FORMATTING) {
                    self.push_formatting(name, attrs);
                } else {
                    if elements::is(&name, MARKER) {
                        self.active.push(Entry::Marker);
                    }
                    let wrapper = WRAPPERS.iter().find(|w| **w == name).copied();
                    self.open.push(Open {
                        name,
                        wrapper,
                        entry: None,
                    });
                }
            }
        }
        raw
    }

    fn end(&mut self, name: Cow<'a, str>) {
        self.raw = false;
        self.drops_lf = false;
        if self.stopped {
            return;
        }
        if elements::is(&name, FORMATTING) {
            self.adoption_agency(&name);
        } else {
            self.close(&name);
        }
    }

    fn text(&mut self, blank: bool) {
        let drops_lf = std::mem::take(&mut self.drops_lf);
        if std::mem::take(&mut self.raw) || self.stopped {
            return;
        }
        // Text reopens the formatting elements, unless it is only the
        // newline the tree builder drops after a `<pre>` (which "blank"
        // does not tell apart).
        if drops_lf && blank && self.pending() {
            self.stopped = true;
            return;
        }
        self.reopen();
    }

    fn tag_done(&mut self, at: usize) {
        if self.stopped
            || at - self.last < self.piece
            || at == self.html.len()
            || self.open.len() > MAX_WRAPPERS
        {
            return;
        }
        let Some(wrapped) = self.open.iter().map(|o| o.wrapper).collect() else {
            return;
        };
        // The tokenizer drops a U+FEFF that starts its input.
        if self.html[at..].starts_with('\u{FEFF}') && self.open.is_empty() {
            return;
        }
        // With only wrappers open, every entry of the list is one to reopen
        // (a marker's element is no wrapper).
        let mut reopened = String::new();
        for entry in &self.active {
            if let Entry::Element { name, attrs, .. } = entry {
                write_start(name, attrs, &mut reopened);
            }
        }
        self.cuts.push((at, wrapped, reopened));
        self.last = at;
    }
}

#[cfg(test)]
mod tests {
    use super::{HOLDER, Piece, pieces};
    use crate::html::elements::{self, DROPPED};

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
            ("<p><li>a</li><b>b</p><p>c</p>", "<li>"),
            ("<p><table></table><b>b</p><p>c</p>", "<table>"),
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

    /// The formatting elements a block's end tag leaves active are written
    /// where the next piece starts, in the order of the list, with their
    /// attributes; equal ones past the third are forgotten, as the tree
    /// builder forgets them, and one closed by its own end tag is gone.
    #[test]
    fn cuts_where_formatting_elements_wait_to_be_reopened() {
        let html = "<div><b class=k0>a</div><div><i title='x\"&amp;y'>b</div><p>c</p><p>d</p>";
        let got: Vec<_> = pieces(html, 0, 1)
            .into_iter()
            .map(|p| (p.html, p.reopened))
            .collect();
        assert_eq!(
            got,
            [
                ("<div>", String::new()),
                ("<b class=k0>a</div>", String::new()),
                ("<div>", r#"<b class="k0">"#.to_owned()),
                (
                    "<i title='x\"&amp;y'>b</div>",
                    r#"<b class="k0">"#.to_owned()
                ),
                (
                    "<p>c</p>",
                    r#"<b class="k0"><i title="x&quot;&amp;y">"#.to_owned()
                ),
                (
                    "<p>d</p>",
                    r#"<b class="k0"><i title="x&quot;&amp;y">"#.to_owned()
                ),
            ]
        );
        // The "Noah's Ark" clause: three equal ones at most.
        let last = |html: &str| pieces(html, 0, 1).pop().expect("a piece").reopened;
        assert_eq!(
            last(&format!("{}<p>x</p>", "<div><b class=k>x</div>".repeat(5))),
            r#"<b class="k">"#.repeat(3)
        );
        // An end tag forgets one waiting; text reopens them all first.
        assert_eq!(last("<div><b>x<i>y</div></b><p>x</p>"), "<i>");
        assert_eq!(last("<div><b>x</div>z</b><p>x</p>"), "");
        // No cut while a copy is open, nor in a table after one waits.
        assert_eq!(
            cuts("<div><b>x</div>y<p>z</p><p>w</p>").pop(),
            Some("y<p>z</p><p>w</p>")
        );
        assert_eq!(
            cuts("<div><b>x</div><table></table><p>z</p>").pop(),
            Some("<table></table><p>z</p>")
        );
    }

    /// The piece starts as the document is at the cut: inside its wrappers,
    /// with the formatting elements opened and closed in a holder that the
    /// policy drops with them, and that the tree builder handles as any
    /// other element (no rule of its own for its start or end tag).
    #[test]
    fn a_piece_starts_after_its_wrappers_and_what_it_reopens() {
        let piece = Piece {
            html: "x",
            wrapped: vec!["div", "section"],
            left_open: 0,
            reopened: "<b><i>".to_owned(),
        };
        assert_eq!(piece.start(), "<div><section><canvas><b><i></canvas>");
        assert_eq!(elements::categories(HOLDER), DROPPED);
    }
}
