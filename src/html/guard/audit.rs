//! What the policy will remove, counted per kind and name at the first
//! line it is met on, so that nothing is dropped silently; and the nesting
//! (through [`Levels`]), from the same tags.
//!
//! It reads tags from whichever tokenizer `guard` runs: it is told of start
//! tags, end tags and text, and answers a start tag with the raw-text state
//! the tokenizer goes on in, as the tree builder would switch it.

use std::borrow::Cow;

use html5ever::tokenizer::states::RawKind;

use super::depth::{self, Bound, Levels, Nesting};
use super::lexer::Spans;
use super::trim::Trim;
use crate::html::elements;
use crate::rendered::Diagnostics;
use crate::safe_url::{self, Context};

/// Attributes that carry a URL: each is checked as the policy checks
/// `href` and `src`.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "data-src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "cite",
    "data",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "ping",
    "srcset",
];

/// What the policy does to something the audit counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Dropped,
    Unwrapped,
    EventHandler,
    UnsafeUrl,
}

/// Tags kept from the model at the most: past them, the model runs on
/// them all, as it would without the bound. Tags read as written stay
/// under the bound to any length (see [`Bound`]), and a 1 MB Markdown
/// article kept all of its (9 % more wasm memory); an article of this many
/// tags is already 40 to 80 KB.
const MAX_DEFERRED: usize = 4096;

/// A tag kept for [`Levels`] while the document is under the [`Bound`].
enum Deferred<'a> {
    Start(Cow<'a, str>, bool, usize),
    End(Cow<'a, str>),
    Text(bool),
}

/// The audit of one document, fed tag by tag; names live for `'a`.
#[derive(Default)]
pub(super) struct Audit<'a> {
    /// `(kind, name, count, first line)`: a handful of distinct entries in
    /// an article, so a list searched in place (no key allocated per tag),
    /// sorted at the end for stable output.
    found: Vec<(Kind, String, usize, u64)>,
    /// Elements inside a dropped element are not reported on their own.
    dropping: Option<String>,
    /// Nesting, counted as [`super::depth::limit`] counts it, once the
    /// tags may reach a limit.
    levels: Levels,
    /// The tags not yet given to `levels`, while `bound` says no limit can
    /// be reached; `None` once they are (or from the start, in [`Audit::eager`]).
    deferred: Option<Vec<Deferred<'a>>>,
    bound: Bound,
    /// The attributes to cut before the parser reads the body, when asked
    /// for ([`Audit::trimming`]).
    trim: Option<Trim<'a>>,
    /// Tags with more than [`super::crowded::MAX_ATTRIBUTES`] attribute
    /// names (told by the lexer: see [`super::lexer::Sink::crowded`]).
    crowded: usize,
}

impl<'a> Audit<'a> {
    /// An audit that keeps its tags from the model until they could reach
    /// one of its limits: the tags of most articles never do.
    pub(super) fn deferred() -> Self {
        Audit {
            deferred: Some(Vec::new()),
            ..Audit::default()
        }
    }

    /// A [`Audit::deferred`] that also finds the attributes of `html` to
    /// cut (see [`super::trim`]); only the lexer tells it where they are.
    pub(super) fn trimming(html: &'a str) -> Self {
        Audit {
            trim: Some(Trim::new(html)),
            ..Audit::deferred()
        }
    }

    /// A start tag's attributes, for the cuts.
    pub(super) fn trim_tag(
        &mut self,
        name: &str,
        attrs: &[(Cow<'a, str>, Cow<'a, str>)],
        spans: &Spans<'_>,
    ) {
        if let Some(trim) = &mut self.trim {
            trim.tag(name, attrs, spans);
        }
    }

    /// The body with the attributes found cut, if there are any.
    pub(super) fn trimmed(&mut self) -> Option<String> {
        self.trim.take()?.finish()
    }

    /// An audit that runs the model on every tag.
    pub(super) fn eager() -> Self {
        Audit::default()
    }

    /// Gives the model the tags kept, once `bound` is reached, or once
    /// they are [`MAX_DEFERRED`].
    fn undefer(&mut self) {
        let kept = self.deferred.as_ref().map_or(0, Vec::len);
        if !self.bound.reachable() && kept < MAX_DEFERRED {
            return;
        }
        let Some(deferred) = self.deferred.take() else {
            return;
        };
        for tag in deferred {
            match tag {
                Deferred::Start(name, self_closing, attributes) => {
                    self.levels.start(&name, self_closing, attributes, false);
                }
                Deferred::End(name) => {
                    self.levels.end(&name, false);
                }
                Deferred::Text(blank) => {
                    self.levels.blank_text(blank, false);
                }
            }
        }
    }

    /// Counts one of `kind` on `name`; the first of each is reported at
    /// its `line`, asked for then only.
    fn note(&mut self, kind: Kind, name: &str, line: &mut impl FnMut() -> u64) {
        match self
            .found
            .iter_mut()
            .find(|(k, n, ..)| *k == kind && n == name)
        {
            Some((.., count, _)) => *count += 1,
            None => self.found.push((kind, name.to_owned(), 1, line())),
        }
    }

    /// A start tag (name lowercased, attributes deduplicated, values
    /// decoded, as the tokenizer gives them) ending on the line `line`
    /// tells; returns the state the tokenizer reads what follows in, if
    /// not the data state.
    pub(super) fn start<N: AsRef<str>, V: AsRef<str>>(
        &mut self,
        name: Cow<'a, str>,
        self_closing: bool,
        attrs: &[(N, V)],
        mut line: impl FnMut() -> u64,
    ) -> Option<RawKind> {
        let attributes = attrs
            .iter()
            .map(|(n, v)| n.as_ref().len() + v.as_ref().len())
            .sum();
        if self.deferred.is_some() {
            self.bound.start(&name, attributes);
            self.undefer();
        }
        let raw = match &mut self.deferred {
            // In HTML (the bound ends at `<svg>` or `<math>`), as the model
            // would say.
            Some(deferred) => {
                deferred.push(Deferred::Start(name.clone(), self_closing, attributes));
                depth::raw_text(&name)
            }
            None => {
                self.levels
                    .start(&name, self_closing, attributes, false)
                    .raw
            }
        };
        let name = &*name;
        if self.dropping.is_some() {
            return None;
        }
        let not_a_checkbox = || {
            !attrs
                .iter()
                .any(|(n, v)| n.as_ref() == "type" && v.as_ref().eq_ignore_ascii_case("checkbox"))
        };
        if name == "input" && not_a_checkbox() {
            self.note(Kind::Dropped, name, &mut line);
            return None;
        }
        let categories = elements::categories(name);
        if categories & elements::DROPPED != 0 {
            self.note(Kind::Dropped, name, &mut line);
            if !self_closing {
                self.dropping = Some(name.to_owned());
            }
            // Raw text as the tree builder reads it: not in SVG or MathML.
            return raw;
        }
        if categories & elements::ALLOWED == 0 {
            self.note(Kind::Unwrapped, name, &mut line);
        }
        for (attr_name, value) in attrs {
            let (attr_name, value) = (attr_name.as_ref(), value.as_ref());
            if attr_name.len() > 2 && attr_name.as_bytes()[..2].eq_ignore_ascii_case(b"on") {
                self.note(Kind::EventHandler, attr_name, &mut line);
            } else if URL_ATTRIBUTES.contains(&attr_name) {
                let context = if name == "img" {
                    Context::Image
                } else {
                    Context::Link
                };
                if safe_url::safe(value, context).is_none() {
                    self.note(Kind::UnsafeUrl, attr_name, &mut line);
                }
            }
        }
        None
    }

    /// An end tag.
    pub(super) fn end(&mut self, name: Cow<'a, str>) {
        if self.deferred.is_some() {
            self.bound.end(&name);
            self.undefer();
        }
        if self.dropping.as_deref() == Some(&*name) {
            self.dropping = None;
        }
        match &mut self.deferred {
            Some(deferred) => deferred.push(Deferred::End(name)),
            None => {
                self.levels.end(&name, false);
            }
        }
    }

    /// A tag with more than [`super::crowded::MAX_ATTRIBUTES`] attribute
    /// names, start or end.
    pub(super) fn note_crowded(&mut self) {
        self.crowded += 1;
    }

    /// Text, of which only whether it is all white space matters.
    pub(super) fn text(&mut self, blank: bool) {
        if self.deferred.is_some() {
            self.bound.text(blank);
            self.undefer();
        }
        match &mut self.deferred {
            Some(deferred) => deferred.push(Deferred::Text(blank)),
            None => {
                self.levels.blank_text(blank, false);
            }
        }
    }

    /// Writes the diagnostics (`file_line` maps a line of the HTML, from 1,
    /// to the file's) and returns the nesting; `None` when the tags stayed
    /// under the [`Bound`], where the model did not run: no limit is reached.
    pub(super) fn finish(
        mut self,
        file_line: impl Fn(u64) -> Option<usize>,
        diagnostics: &mut Diagnostics,
    ) -> Option<Nesting> {
        self.found
            .sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        for (kind, name, count, first) in self.found {
            let times = if count == 1 {
                String::new()
            } else {
                format!(" ({count} times)")
            };
            let line = file_line(first);
            match kind {
                Kind::Dropped => diagnostics.warn(
                    "sanitize.removed-element",
                    format!("Removed <{name}> with its content{times}."),
                    line,
                ),
                Kind::Unwrapped => diagnostics.info(
                    "sanitize.unwrapped-element",
                    format!("Removed the tag <{name}> but kept its text{times}."),
                    line,
                ),
                Kind::EventHandler => diagnostics.warn(
                    "sanitize.removed-event-handler",
                    format!("Removed the event handler `{name}`{times}."),
                    line,
                ),
                Kind::UnsafeUrl => diagnostics.warn(
                    "sanitize.unsafe-url",
                    format!("Removed an unsafe URL in `{name}`{times}."),
                    line,
                ),
            }
        }
        // (Under the bound, the model has nothing to report.)
        (self.deferred.is_none() || self.crowded > 0).then(|| Nesting {
            crowded: self.crowded,
            ..self.levels.nesting()
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::rendered::Diagnostics;

    use super::super::audit;

    #[test]
    fn audit_counts_removals() {
        let mut d = Diagnostics::default();
        audit(
            "<p onclick=x()>a</p>\n<script>var a = '<b>';</script><font>t</font><font>u</font>\n<a href='javascript:x'>l</a>",
            |line| Some(9 + line as usize),
            &mut d,
        );
        let codes: Vec<_> = d.0.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            codes,
            [
                ("sanitize.removed-element", Some(11)),
                ("sanitize.unwrapped-element", Some(11)),
                ("sanitize.removed-event-handler", Some(10)),
                ("sanitize.unsafe-url", Some(12)),
            ],
            "each kind is reported once, at its first line, and `<b>` inside the script is not an element"
        );
        assert!(
            d.0[1].message.contains("2 times"),
            "the two fonts are counted: {}",
            d.0[1].message
        );
    }
}
