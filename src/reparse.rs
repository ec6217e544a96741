//! Whether the sanitizer's serialization parses back into the tree it was
//! written from.
//!
//! [`crate::sanitize`] cleans until its output re-reads as itself: that is
//! its guard against mutation XSS. Confirming it by cleaning once more costs
//! a whole parse and serialization, about a third of a render, and nearly
//! always changes nothing. [`reparses_as_itself`] predicts the answer from
//! one scan instead, by the rules of the HTML tree builder (WHATWG HTML
//! §13.2.6.4.7 "in body", §13.2.6.4.9–.15 the table modes) that can give
//! well-nested markup another shape than it spells. No library does this —
//! the parsers only build trees — so it is written here.
//!
//! It may say `false` for a document that would in fact re-read as itself:
//! that costs one more cleaning, never safety. It must not say `true` for one
//! that would not; the tests check it against a real second cleaning on
//! every fixture, attack case and fuzz regression.

use crate::sanitize::VOID;
use crate::scan::{self, Item};

/// Whether `html`, a serialization by html5ever of a tree the article policy
/// kept (well-nested, every non-void element closed, only allowed
/// elements), is parsed by a browser into that same tree.
pub fn reparses_as_itself(html: &str) -> bool {
    // Open elements, and whether each has a child yet.
    let mut open: Vec<(&str, bool)> = Vec::new();
    for item in scan::items(html) {
        let parent = open.last().map(|(name, _)| *name);
        match item {
            Item::Text(text) => {
                // The parser turns CR into LF and drops NUL.
                if text.contains(['\r', '\0']) {
                    return false;
                }
                if let Some((parent, had_child)) = open.last_mut() {
                    // A line break right after `<pre>` is dropped as markup.
                    if *parent == "pre" && !*had_child && text.starts_with('\n') {
                        return false;
                    }
                    // Text in a table outside the cells is moved before it.
                    if TABLE_CONTEXTS.contains(parent) && !text.bytes().all(is_space) {
                        return false;
                    }
                    *had_child = true;
                }
            }
            Item::Tag(tag) if tag.closing => match open.pop() {
                Some((name, _)) if name == tag.name => {}
                _ => return false,
            },
            Item::Tag(tag) => {
                let name = tag.name;
                if !listed(KNOWN, name) || !fits(name, parent) || !keeps_open(name, &open) {
                    return false;
                }
                if let Some((_, had_child)) = open.last_mut() {
                    *had_child = true;
                }
                if !VOID.contains(&name) {
                    open.push((name, false));
                }
            }
        }
    }
    open.is_empty()
}

/// Whether an element may stand where it is as far as the table modes go:
/// table parts only in their own parents, and nothing else directly in a
/// table, a row group, a row or a column group.
fn fits(name: &str, parent: Option<&str>) -> bool {
    let wanted: &[&str] = match name {
        "caption" | "colgroup" | "tbody" | "thead" | "tfoot" => &["table"],
        "col" => &["colgroup"],
        "tr" => &["tbody", "thead", "tfoot"],
        "td" | "th" => &["tr"],
        _ => return !parent.is_some_and(|p| TABLE_CONTEXTS.contains(&p)),
    };
    parent.is_some_and(|p| wanted.contains(&p))
}

/// Whether a start tag `name` leaves the open elements as they are, rather
/// than closing some of them first.
fn keeps_open(name: &str, open: &[(&str, bool)]) -> bool {
    let current = open.last().map(|(name, _)| *name);
    let from_top = || open.iter().rev().map(|(name, _)| *name);
    // "If the stack of open elements has a p element in button scope,
    // close a p element."
    if listed(CLOSES_P, name) && in_scope("p", from_top(), BUTTON_SCOPE) {
        return false;
    }
    match name {
        // A heading closes a heading that is the current node.
        _ if is_heading(name) => !current.is_some_and(is_heading),
        // An item closes the item it would be in, looking through
        // everything but the special elements other than address, div, p.
        "li" => !in_item(from_top(), &["li"]),
        "dd" | "dt" => !in_item(from_top(), &["dd", "dt"]),
        // A link in a link runs the adoption agency; cells are markers that
        // hide the links outside them.
        "a" => !in_scope("a", from_top(), &["td", "th", "caption"]),
        // Ruby text closes the paragraph, item or ruby text it would be in.
        "rp" | "rt" => {
            !(current.is_some_and(|c| IMPLIED_END.contains(&c)) && from_top().any(|n| n == "ruby"))
        }
        _ => true,
    }
}

/// Whether `target` is open, looking from the current node down to the first
/// of `boundary`.
fn in_scope<'a>(
    target: &str,
    mut from_top: impl Iterator<Item = &'a str>,
    boundary: &[&str],
) -> bool {
    from_top
        .find(|name| *name == target || boundary.contains(name))
        .is_some_and(|name| name == target)
}

fn in_item<'a>(from_top: impl Iterator<Item = &'a str>, items: &[&str]) -> bool {
    for name in from_top {
        if items.contains(&name) {
            return true;
        }
        if listed(SPECIAL, name) && !matches!(name, "address" | "div" | "p") {
            return false;
        }
    }
    false
}

/// Whether `name` is in `list`, which is sorted (a test checks): a binary
/// search, as this runs for every tag of every article.
fn listed(list: &[&str], name: &str) -> bool {
    list.binary_search(&name).is_ok()
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | 0x0C | b' ')
}

/// The elements the article policy allows (`sanitize::TAGS`); anything else
/// is not predicted. This and the lists below searched with [`listed`] are
/// sorted.
const KNOWN: &[&str] = crate::sanitize::TAGS;

/// Where only table parts and whitespace belong.
const TABLE_CONTEXTS: &[&str] = &["table", "tbody", "thead", "tfoot", "tr", "colgroup"];

/// The allowed elements whose start tag closes an open `p`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    // In a no-quirks document, which a fragment parse is.
    "table",
    "ul",
];

/// The allowed elements that bound "button scope".
const BUTTON_SCOPE: &[&str] = &["table", "td", "th", "caption"];

/// The allowed elements that "generate implied end tags" closes.
const IMPLIED_END: &[&str] = &["dd", "dt", "li", "p", "rp", "rt"];

/// The allowed elements in the "special" category.
const SPECIAL: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "col",
    "colgroup",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "img",
    "input",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "wbr",
];

#[cfg(test)]
mod tests {
    use super::reparses_as_itself;

    #[test]
    fn searched_lists_are_sorted() {
        for list in [super::KNOWN, super::CLOSES_P, super::SPECIAL] {
            assert!(list.is_sorted(), "{list:?}");
        }
    }

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
