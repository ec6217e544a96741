//! Attributes the policy drops whatever their value, cut from a raw-HTML
//! body before ammonia's parser reads them.
//!
//! Feed-bot bodies carry kilobytes of `style` and `cms-style` that the
//! policy removes; html5ever's tokenizer reads an attribute value a
//! character at a time, so on the bench's news class those values were a
//! sixth of ammonia's parse and clean (108 M → 92 M instructions without
//! them, callgrind, markers included). The lexer has
//! already found every attribute for the audit, so cutting them costs one
//! copy of the body. Ammonia still cleans what is left and stays the only
//! judge of what is safe: only attributes it would remove are cut, never
//! anything added but the marker below, which it removes too.
//!
//! The tree the parser builds must not change, and a few of its rules read
//! attributes:
//! - the "Noah's Ark" clause compares a formatting element's attributes
//!   with those of the active ones: on such an element (`<b>`, `<font>`,
//!   `<a>`…) the cut attributes are replaced by one marker, `_="N"`, the
//!   same `N` for the same cut names and values, so elements compare as
//!   before (a test holds this);
//! - `<input type=hidden>` in a table, `<template shadowrootmode>`, `<meta
//!   charset>`, `<image>` (renamed `<img>`, whose attributes the policy
//!   keeps), and `<html>` and `<body>` (whose attributes go to the root):
//!   these elements are left as written;
//! - `<font color>` and the adjusted names of SVG and MathML: a body with
//!   `<svg>` or `<math>` is not cut at all;
//! - after `<plaintext>` everything is text, which the lexer does not
//!   follow (a render writes an unclosed one as text before the audit;
//!   `sanitize_html` does not): a body with one is not cut either.
//!
//! An attribute is cut from its name to its value's end, only after white
//! space, which leaves the tokenizer in the state it would have reached at
//! the end of the attribute. Where a formatting element's attributes cannot
//! all be cut so (no white space before one, or a name repeated), nothing
//! in the body is cut: the markers would no longer stand for the same
//! attributes everywhere.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use super::lexer::Spans;
use crate::html::elements;
use crate::sanitize;

/// The name of the marker that stands for a formatting element's cut
/// attributes: one the policy drops.
const MARKER: &str = "_";

/// The attributes cut from one formatting element: names and values.
type Set<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

/// The cuts of one body, found tag by tag.
pub(super) struct Trim<'a> {
    html: &'a str,
    /// Spans to remove, in order; each with the marker to write in its
    /// place, if any (an index in [`Trim::written`]).
    cuts: Vec<(Range<usize>, Option<usize>)>,
    /// The marker of each set of cut attributes met on a formatting
    /// element, sorted (the tree builder compares them in any order)...
    markers: HashMap<Set<'a>, usize>,
    /// ...and each marker as it is written.
    written: Vec<String>,
    /// The set of the last formatting element whose set differed from the
    /// one before, and its marker: the next one nearly always has the same
    /// set, compared without hashing...
    last: Option<(Set<'a>, usize)>,
    /// ...and the set being read (both buffers reused).
    set: Set<'a>,
    /// Nothing is cut (see the module's last paragraph).
    given_up: bool,
}

impl<'a> Trim<'a> {
    pub fn new(html: &'a str) -> Self {
        Trim {
            html,
            cuts: Vec::new(),
            markers: HashMap::new(),
            written: Vec::new(),
            last: None,
            set: Vec::new(),
            given_up: false,
        }
    }

    /// A start tag, its attributes as the tokenizer gives them, written at
    /// `spans`.
    pub fn tag(&mut self, name: &str, attrs: &[(Cow<'a, str>, Cow<'a, str>)], spans: &Spans<'_>) {
        if self.given_up {
            return;
        }
        if matches!(name, "svg" | "math" | "plaintext") {
            self.given_up = true;
            return;
        }
        if attrs.is_empty() {
            return;
        }
        if matches!(
            name,
            "input" | "template" | "meta" | "image" | "html" | "body" | "head"
        ) {
            return;
        }
        let bytes = self.html.as_bytes();
        let after_space = |span: &Range<usize>| super::lexer::is_space(bytes[span.start - 1]);
        let categories = elements::categories(name);
        let keeps = sanitize::Keeps::of(name, categories);
        let dropped = attrs
            .iter()
            .zip(spans.each)
            .filter(|((attribute, _), _)| !keeps.attribute(attribute));
        if categories & elements::FORMATTING == 0 {
            for (_, span) in dropped {
                if after_space(span) {
                    self.cuts.push((span.clone(), None));
                }
            }
            return;
        }
        if dropped.clone().next().is_none() {
            return;
        }
        if spans.repeats || !dropped.clone().all(|(_, span)| after_space(span)) {
            self.given_up = true;
            return;
        }
        let first = self.cuts.len();
        let set = &mut self.set;
        set.clear();
        for ((attribute, value), span) in dropped {
            set.push((attribute.clone(), value.clone()));
            self.cuts.push((span.clone(), None));
        }
        set.sort_unstable();
        let marker = match &mut self.last {
            Some((last, marker)) if last == set => *marker,
            last => {
                let marker = match self.markers.get(set) {
                    Some(&marker) => marker,
                    None => {
                        let marker = self.written.len();
                        self.written.push(format!("{MARKER}=\"{}\"", marker + 1));
                        self.markers.insert(set.clone(), marker);
                        marker
                    }
                };
                let (mut previous, _) = last.take().unwrap_or_default();
                std::mem::swap(&mut previous, set);
                *last = Some((previous, marker));
                marker
            }
        };
        self.cuts[first].1 = Some(marker);
    }

    /// The body with its cuts made; `None` when there are none to make.
    pub fn finish(self) -> Option<String> {
        if self.given_up || self.cuts.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(self.html.len());
        let mut from = 0;
        for (span, marker) in &self.cuts {
            out.push_str(&self.html[from..span.start]);
            if let Some(marker) = marker {
                out.push_str(&self.written[*marker]);
            }
            from = span.end;
        }
        out.push_str(&self.html[from..]);
        counts::CUT.set(counts::CUT.get() + self.cuts.len());
        Some(out)
    }
}

/// Not part of the API: a switch and a count for the tests that compare
/// the output with and without the cuts.
#[doc(hidden)]
pub mod counts {
    use std::cell::Cell;

    thread_local! {
        pub(super) static OFF: Cell<bool> = const { Cell::new(false) };
        pub(super) static CUT: Cell<usize> = const { Cell::new(0) };
    }

    /// Turns the cutting off (or on again) on this thread.
    pub fn set_off(off: bool) {
        OFF.set(off);
    }

    /// Whether the cutting is off on this thread.
    pub fn is_off() -> bool {
        OFF.get()
    }

    /// Attributes cut on this thread so far.
    pub fn cut() -> usize {
        CUT.get()
    }
}
