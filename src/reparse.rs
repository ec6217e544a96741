//! Whether the sanitizer's serialization parses back into the tree it was
//! written from.
//!
//! [`crate::sanitize`] cleans until its output re-reads as itself: that is
//! its guard against mutation XSS. Confirming it by cleaning once more costs
//! a whole parse and serialization, about a third of a render, and nearly
//! always changes nothing. [`Check`] predicts the answer instead, on the
//! stack of open elements of the walk that writes the output, by the rules of the HTML tree builder (WHATWG HTML
//! §13.2.6.4.7 "in body", §13.2.6.4.9–.15 the table modes) that can give
//! well-nested markup another shape than it spells. No library does this —
//! the parsers only build trees — so it is written here.
//!
//! It may say `false` for a document that would in fact re-read as itself:
//! that costs one more cleaning, never safety. It must not say `true` for one
//! that would not; the tests check it against a real second cleaning on
//! every fixture, attack case and fuzz regression.

use crate::html::elements::{
    ALLOWED, BUTTON_SCOPE, CLOSES_P, Categories, HEADING, IMPLIED_END, SPECIAL, TABLE_CONTEXT, VOID,
};

/// The open elements of a tree written by the sanitizer (well-nested, every
/// non-void element closed, only allowed elements), fed its events in
/// document order; [`Check::finish`] says whether a browser parses the
/// serialization back into that same tree.
///
/// The walk over the cleaned tree (`crate::html::walk`) feeds it as it
/// writes, so the answer costs no pass of its own.
#[derive(Debug, Default)]
pub struct Check {
    /// Open elements (the table's name and categories), and whether each
    /// has a child yet.
    open: Vec<(&'static str, Categories, bool)>,
    /// Set at the first shape the parser would change; nothing is checked
    /// after it.
    changed: bool,
}

impl Check {
    /// Text, as written (escaped or not: the rules look at spaces, CR and
    /// NUL only).
    pub fn text(&mut self, text: &str) {
        if self.changed {
            return;
        }
        // The parser turns CR into LF and drops NUL. (Two bytes looked for
        // at once: `str::contains` with a pattern of chars decodes each.)
        if memchr::memchr2(b'\r', b'\0', text.as_bytes()).is_some() {
            self.changed = true;
            return;
        }
        if let Some((parent, categories, had_child)) = self.open.last_mut() {
            // A line break right after `<pre>` is dropped as markup; text in
            // a table outside the cells is moved before it.
            if (*parent == "pre" && !*had_child && text.starts_with('\n'))
                || (*categories & TABLE_CONTEXT != 0 && !text.bytes().all(is_space))
            {
                self.changed = true;
                return;
            }
            *had_child = true;
        }
    }

    /// A start tag, given as its entry in the element table
    /// ([`crate::html::elements::lookup`]; `None`, never read back as itself, for a
    /// name not in it or a node that is not an element).
    pub fn start_entry(&mut self, entry: Option<(&'static str, Categories)>) {
        if self.changed {
            return;
        }
        let Some((name, categories)) = entry else {
            self.changed = true;
            return;
        };
        if categories & ALLOWED == 0 || !self.fits(name) || !self.keeps_open(name, categories) {
            self.changed = true;
            return;
        }
        if let Some((_, _, had_child)) = self.open.last_mut() {
            *had_child = true;
        }
        if categories & VOID == 0 {
            self.open.push((name, categories, false));
        }
    }

    /// An end tag.
    pub fn end(&mut self, name: &str) {
        if self.changed {
            return;
        }
        match self.open.pop() {
            Some((open, ..)) if open == name => {}
            _ => self.changed = true,
        }
    }

    /// Whether every tag so far is read as written: the parser's open
    /// elements are then those of a string that stopped here.
    pub fn holds(&self) -> bool {
        !self.changed
    }

    /// How many elements are open.
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// Whether the document read so far, closed here, reads back as itself.
    pub fn finish(&self) -> bool {
        !self.changed && self.open.is_empty()
    }

    /// Whether an element may stand where it is as far as the table modes
    /// go: table parts only in their own parents, and nothing else directly
    /// in a table, a row group, a row or a column group.
    fn fits(&self, name: &str) -> bool {
        let parent = self.open.last();
        let wanted: &[&str] = match name {
            "caption" | "colgroup" | "tbody" | "thead" | "tfoot" => &["table"],
            "col" => &["colgroup"],
            "tr" => &["tbody", "thead", "tfoot"],
            "td" | "th" => &["tr"],
            _ => return parent.is_none_or(|(_, c, _)| c & TABLE_CONTEXT == 0),
        };
        parent.is_some_and(|(p, ..)| wanted.contains(p))
    }

    /// Whether a start tag `name` leaves the open elements as they are,
    /// rather than closing some of them first.
    fn keeps_open(&self, name: &str, categories: Categories) -> bool {
        let current = self.open.last().map_or(0, |(_, c, _)| *c);
        let from_top = || self.open.iter().rev().map(|(name, c, _)| (*name, *c));
        // "If the stack of open elements has a p element in button scope,
        // close a p element."
        if categories & CLOSES_P != 0 && in_scope("p", from_top(), BUTTON_SCOPE) {
            return false;
        }
        match name {
            // A heading closes a heading that is the current node.
            _ if categories & HEADING != 0 => current & HEADING == 0,
            // An item closes the item it would be in, looking through
            // everything but the special elements other than address, div, p.
            "li" => !in_item(from_top(), &["li"]),
            "dd" | "dt" => !in_item(from_top(), &["dd", "dt"]),
            // A link in a link runs the adoption agency; cells are markers
            // that hide the links outside them.
            "a" => from_top()
                .find(|(name, _)| matches!(*name, "a" | "td" | "th" | "caption"))
                .is_none_or(|(name, _)| name != "a"),
            // Ruby text closes the paragraph, item or ruby text it would be in.
            "rp" | "rt" => !(current & IMPLIED_END != 0 && from_top().any(|(n, _)| n == "ruby")),
            _ => true,
        }
    }
}

/// Whether `target` is open, looking from the current node down to the first
/// element of the `boundary` categories.
fn in_scope(
    target: &str,
    mut from_top: impl Iterator<Item = (&'static str, Categories)>,
    boundary: Categories,
) -> bool {
    from_top
        .find(|(name, c)| *name == target || c & boundary != 0)
        .is_some_and(|(name, _)| name == target)
}

fn in_item(from_top: impl Iterator<Item = (&'static str, Categories)>, items: &[&str]) -> bool {
    for (name, categories) in from_top {
        if items.contains(&name) {
            return true;
        }
        if categories & SPECIAL != 0 && !matches!(name, "address" | "div" | "p") {
            return false;
        }
    }
    false
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | 0x0C | b' ')
}

/// [`Check`] over a serialization the sanitizer wrote, read with
/// [`crate::scan`]: what the walk decides, for tests that hold a string.
#[cfg(test)]
pub fn reparses_as_itself(html: &str) -> bool {
    use crate::scan::{self, Item};
    let mut check = Check::default();
    for item in scan::items(html) {
        match item {
            Item::Text(text) => check.text(text),
            Item::Tag(tag) if tag.closing => check.end(tag.name),
            Item::Tag(tag) => check.start_entry(crate::html::elements::lookup(tag.name)),
        }
    }
    check.finish()
}

#[cfg(test)]
mod tests {
    use super::reparses_as_itself;

    #[test]
    fn well_formed_articles_are_stable() {
        for html in [
            "",
            "<p>a <b>b</b> <a href=\"x\">c</a></p>\n<ul><li>one<ul><li>two</li></ul></li></ul>",
            "<table><thead><tr><th>a</th></tr></thead><tbody>\n<tr><td>b<table><tbody><tr><td>c</td></tr></tbody></table></td></tr></tbody></table>",
            "<dl><dt>t</dt><dd>d<dl><dd>inner</dd></dl></dd></dl>",
            "<a href=\"x\"><div><p>block link</p></div></a>",
            "<a href=\"x\"><table><tbody><tr><td><a href=\"y\">in a cell</a></td></tr></tbody></table></a>",
            "<li><ul><li>nested</li></ul></li>",
            "<h2><span>x</span></h2><pre>code\n</pre><ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
            "<table><colgroup><col></colgroup><caption>c</caption></table>",
        ] {
            assert!(reparses_as_itself(html), "{html}");
        }
    }

    #[test]
    fn shapes_the_parser_changes_are_caught() {
        for html in [
            "<p>a<div>b</div></p>",
            "<p><span><ul><li>x</li></ul></span></p>",
            "<h1>a<h2>b</h2></h1>",
            "<li>a<span><li>b</li></span></li>",
            "<li>a<div><li>b</li></div></li>",
            "<dd>a<dt>b</dt></dd>",
            "<a href=\"x\"><span><a href=\"y\">z</a></span></a>",
            "<table>text</table>",
            "<table><tr><td>x</td></tr></table>",
            "<table><tbody><tr><div>x</div></tr></tbody></table>",
            "<table><col></table>",
            "<td>x</td>",
            "<pre>\nx</pre>",
            "a\rb",
            "<ruby><p>a<rt>b</rt></p></ruby>",
            "<p>unclosed",
            "<b>x</i>",
            "<font>x</font>",
        ] {
            assert!(!reparses_as_itself(html), "{html}");
        }
    }
}
