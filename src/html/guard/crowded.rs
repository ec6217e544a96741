//! Tags with more attributes than the tokenizer reads in linear time.
//!
//! html5ever's tokenizer drops a repeated attribute name by comparing each
//! name with every one the tag kept before it, so one tag of n distinct
//! names costs n²/2 comparisons: 160,000 of them (1.4 MB, in an `<svg>`,
//! where [`super::trim`] cuts nothing) took 7 s natively. No article writes
//! more than a few dozen on one element. Past [`MAX_ATTRIBUTES`] distinct
//! names, the rest of a tag's attributes are cut before anything of
//! html5ever reads the body (the rewrite of [`super::limit`] included), and
//! the cut is reported; end tags too, whose attributes the tokenizer reads
//! the same way before it drops them. The lexer tells the audit of such
//! tags ([`super::Nesting`]'s `crowded`), so a body without one is not
//! read again.

use std::borrow::Cow;
use std::ops::Range;

use html5ever::tokenizer::states::RawKind;

use super::depth::Levels;
use super::lexer::{self, Sink, Spans};
use crate::rendered::Diagnostics;

/// Most distinct attribute names kept on one tag.
pub const MAX_ATTRIBUTES: usize = 128;

/// Finds the attributes to cut, following the tree builder's raw-text
/// states as the audit does (through the model).
#[derive(Default)]
struct Cap {
    levels: Levels,
    /// From the first attribute past the limit to the end of the tag's
    /// last, tag by tag (end tags too).
    cuts: Vec<Range<usize>>,
}

impl<'a> Sink<'a> for Cap {
    fn start(
        &mut self,
        name: Cow<'a, str>,
        self_closing: bool,
        _attrs: &[(Cow<'a, str>, Cow<'a, str>)],
        _spans: &Spans<'_>,
        _line: impl FnMut() -> u64,
    ) -> Option<RawKind> {
        self.levels.start(&name, self_closing, 0, false).raw
    }

    fn crowded(&mut self, cut: Range<usize>) {
        self.cuts.push(cut);
    }

    fn end(&mut self, name: Cow<'a, str>) {
        self.levels.end(&name, false);
    }

    fn text(&mut self, blank: bool) {
        self.levels.blank_text(blank, false);
    }
}

/// `html` with the attributes of each tag past the first
/// [`MAX_ATTRIBUTES`] names cut (all of them: repeats of a kept name too,
/// which the parser drops anyway).
pub fn cap<'a>(html: Cow<'a, str>, diagnostics: &mut Diagnostics) -> Cow<'a, str> {
    let mut cap = Cap::default();
    lexer::run(&html, &mut cap);
    if cap.cuts.is_empty() {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for cut in &cap.cuts {
        out.push_str(&html[from..cut.start]);
        from = cut.end;
    }
    out.push_str(&html[from..]);
    let tags = cap.cuts.len();
    let (tags, have) = if tags == 1 {
        ("One tag".to_owned(), "has")
    } else {
        (format!("{tags} tags"), "have")
    };
    diagnostics.warn(
        "input.too-many-attributes",
        format!(
            "{tags} {have} more than {MAX_ATTRIBUTES} attributes, which the parser reads in time growing with their square; those past the first {MAX_ATTRIBUTES} were removed."
        ),
        None,
    );
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(name: &str, n: usize) -> String {
        let attrs: String = (0..n).map(|i| format!(" a{i}=\"{i}\"")).collect();
        format!("<{name}{attrs}>x</{name}>")
    }

    #[test]
    fn attributes_past_the_limit_are_cut_and_reported() {
        let html = format!("<p>a</p>{}{}", tag("g", 1000), tag("div", 3));
        let mut d = Diagnostics::default();
        let out = cap(Cow::Borrowed(&html), &mut d);
        // (The white space before the first one cut stays.)
        let kept = tag("g", MAX_ATTRIBUTES).replacen('>', " >", 1);
        assert_eq!(out, format!("<p>a</p>{kept}{}", tag("div", 3)));
        assert_eq!(d.0.len(), 1);
        assert_eq!(d.0[0].code, "input.too-many-attributes");
    }

    /// Whatever the tokenizer rewrites or reads in its own states before a
    /// crowded tag (`sanitize_html` gets HTML no render normalized).
    #[test]
    fn whatever_comes_before_it_a_crowded_tag_is_cut() {
        for before in [
            "<p>a\r\nb\0</p>",
            "<b\r\nclass=x\r>y</b>",
            "<script><!-- <script></script> --></script>",
        ] {
            let html = format!("{before}{}", tag("div", 1000));
            let out = cap(Cow::Borrowed(&html), &mut Diagnostics::default());
            let kept = tag("div", MAX_ATTRIBUTES).replacen('>', " >", 1);
            assert_eq!(out, format!("{before}{kept}"));
        }
    }

    #[test]
    fn end_tags_are_cut_too() {
        // The tokenizer reads an end tag's attributes (and drops them).
        let html = format!(
            "<p>x</p{}>",
            tag("g", 1000)[2..].split('>').next().unwrap_or("")
        );
        let mut d = Diagnostics::default();
        assert_eq!(super::super::audit(&html, |_| None, &mut d).crowded, 1);
        let out = cap(Cow::Borrowed(&html), &mut d);
        assert_eq!(out.matches('=').count(), MAX_ATTRIBUTES);
    }

    #[test]
    fn everything_past_the_limit_is_cut() {
        // A repeat of a kept name after the limit goes too (the parser
        // would drop it anyway), and the cut ends at the tag's last one.
        let attrs: String = (0..200).map(|i| format!(" a{i}=x")).collect();
        let html = format!("<p{attrs} a0=y a300=z>x</p>");
        let out = cap(Cow::Borrowed(&html), &mut Diagnostics::default());
        let kept: String = (0..MAX_ATTRIBUTES).map(|i| format!(" a{i}=x")).collect();
        assert_eq!(out, format!("<p{kept} >x</p>"));
    }

    #[test]
    fn repeated_names_do_not_count() {
        let html = format!("<b{}>x</b>", " a=1".repeat(1000));
        let mut d = Diagnostics::default();
        assert!(matches!(
            cap(Cow::Borrowed(&html), &mut d),
            Cow::Borrowed(_)
        ));
        assert!(d.0.is_empty());
    }

    #[test]
    fn raw_text_is_not_read_as_tags() {
        let html = format!("<textarea>{}</textarea>", tag("g", 1000));
        let mut d = Diagnostics::default();
        assert!(matches!(
            cap(Cow::Borrowed(&html), &mut d),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn the_audit_counts_crowded_tags() {
        let mut d = Diagnostics::default();
        let html = format!("<svg>{}</svg>{}", tag("g", 200), tag("p", MAX_ATTRIBUTES));
        assert_eq!(super::super::audit(&html, |_| None, &mut d).crowded, 1);
        assert_eq!(
            super::super::audit(&tag("p", MAX_ATTRIBUTES), |_| None, &mut d).crowded,
            0
        );
    }

    /// Through a whole render, raw HTML and Markdown: the parser reads the
    /// tags cut, so the time stays linear (the limits run measures it).
    #[test]
    fn renders_report_the_cut() {
        for (format, body) in [
            (
                crate::options::Format::Html,
                format!("<svg>{}</svg>", tag("g", 2000)),
            ),
            (
                crate::options::Format::Markdown,
                format!("# t\n\n{}\n", tag("div", 2000)),
            ),
            // Where the lexer once gave the body to html5ever's tokenizer:
            // a script's escaped text, a carriage return from a reference.
            (
                crate::options::Format::Html,
                format!("<script><!-- x --></script><svg>{}</svg>", tag("g", 2000)),
            ),
            (
                crate::options::Format::Markdown,
                format!("a&#13;b\n\n{}\n", tag("div", 2000)),
            ),
        ] {
            let options = crate::Options {
                format,
                ..Default::default()
            };
            let rendered = crate::render_with_options(&body, &options).expect("valid options");
            assert!(
                rendered
                    .diagnostics
                    .iter()
                    .any(|d| d.code == "input.too-many-attributes"),
                "{format:?}: {:?}",
                rendered.diagnostics
            );
        }
    }
}
