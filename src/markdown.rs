//! Markdown to (unsanitized) HTML with pulldown-cmark.
//!
//! Two things are changed on the way: Hexo's `<!-- more -->` becomes the
//! `<span id="more"></span>` Hexo itself writes (the outline stage cuts the
//! excerpt there), and footnotes are collected at the end, numbered in order
//! of first reference, with back-links, as GitHub shows them.

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options as Extensions, Parser, Tag, TagEnd, html};

use crate::excerpt::{MORE_MARKER, is_more_comment};
use crate::options::MarkdownOptions;

/// Markdown rendered to HTML that still has to be sanitized.
pub struct Html {
    pub html: String,
    /// Every tag of `html`, raw HTML included, nested as there, without the
    /// text between them: all that the sanitizer's audit looks at, in a
    /// fraction of the bytes.
    pub tags: String,
    /// `(line of tags, line of the source)` where each event's tags start,
    /// in `tags` order; lines counted from 1 and 0.
    tag_lines: Vec<(u64, usize)>,
}

impl Html {
    /// The line of the Markdown source (from 0) that line `line` of
    /// [`Html::tags`] (from 1, as the audit's tokenizer counts) was written
    /// from.
    pub fn source_line(&self, line: u64) -> Option<usize> {
        let after = self.tag_lines.partition_point(|(tags, _)| *tags <= line);
        let (tags, source) = self.tag_lines.get(after.checked_sub(1)?)?;
        Some(source + (line - tags) as usize)
    }
}

/// Renders Markdown to HTML.
pub fn to_html(source: &str, options: &MarkdownOptions) -> Html {
    let mut more_seen = false;
    let parser = Parser::new_ext(source, extensions(options))
        .into_offset_iter()
        .map(|(event, range)| match event {
            // Only the first marker counts, as in Hexo; the others stay comments.
            Event::Html(ref text) | Event::InlineHtml(ref text)
                if !more_seen && is_more_comment(text) =>
            {
                more_seen = true;
                (Event::InlineHtml(CowStr::Borrowed(MORE_MARKER)), range)
            }
            other => (other, range),
        });
    let events: Vec<(Event, Range<usize>)> = if options.footnotes {
        with_footnotes_at_end(parser)
    } else {
        parser.collect()
    };

    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(source.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|start| *start <= offset) - 1;
    let mut tags = String::new();
    let mut tag_lines = Vec::new();
    let lines = Cell::new(1);
    let tag_events = events
        .iter()
        .filter(|(event, _)| !is_text(event))
        .map(|(event, range)| {
            tag_lines.push((lines.get(), line_of(range.start)));
            event.clone()
        });
    // Writing to a String cannot fail.
    let _ = html::write_html_fmt(
        LineCounter {
            out: &mut tags,
            lines: &lines,
        },
        tag_events,
    );

    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter().map(|(event, _)| event));
    Html {
        html: align_without_css(out),
        tags,
        tag_lines,
    }
}

/// Writes to a String, counting its lines as they are written.
struct LineCounter<'a> {
    out: &'a mut String,
    lines: &'a Cell<u64>,
}

impl fmt::Write for LineCounter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let breaks = s.bytes().filter(|b| *b == b'\n').count() as u64;
        self.lines.set(self.lines.get() + breaks);
        self.out.push_str(s);
        Ok(())
    }
}

/// Events that write only text (escaped, so never a tag).
fn is_text(event: &Event) -> bool {
    matches!(
        event,
        Event::Text(_)
            | Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::SoftBreak
    )
}

/// pulldown-cmark aligns table columns with `style="text-align: …"`, which a
/// page with a strict Content-Security-Policy (`style-src 'self'`) refuses;
/// the `align` attribute says the same without CSS.
fn align_without_css(html: String) -> String {
    const STYLE: &str = r#" style="text-align: "#;
    // One search through the HTML: every table cell pulldown-cmark writes
    // goes through here.
    let mut out = String::new();
    let mut from = 0;
    for (at, _) in html.match_indices(STYLE) {
        let value = &html[at + STYLE.len()..];
        let side = ["left", "center", "right"]
            .into_iter()
            .find(|side| value.starts_with(side) && value[side.len()..].starts_with("\">"));
        let in_cell = html[..at].ends_with("<th") || html[..at].ends_with("<td");
        if let (Some(side), true) = (side, in_cell) {
            out.push_str(&html[from..at]);
            out.push_str(r#" align=""#);
            out.push_str(side);
            from = at + STYLE.len() + side.len();
        }
    }
    if from == 0 {
        return html;
    }
    out.push_str(&html[from..]);
    out
}

fn extensions(options: &MarkdownOptions) -> Extensions {
    let mut ext = Extensions::empty();
    for (on, flag) in [
        (options.tables, Extensions::ENABLE_TABLES),
        (options.footnotes, Extensions::ENABLE_FOOTNOTES),
        (options.strikethrough, Extensions::ENABLE_STRIKETHROUGH),
        (options.task_lists, Extensions::ENABLE_TASKLISTS),
        (
            options.heading_attributes,
            Extensions::ENABLE_HEADING_ATTRIBUTES,
        ),
        (options.alerts, Extensions::ENABLE_GFM),
        (options.math, Extensions::ENABLE_MATH),
        (
            options.smart_punctuation,
            Extensions::ENABLE_SMART_PUNCTUATION,
        ),
    ] {
        ext.set(flag, on);
    }
    ext
}

/// Moves footnote definitions to an ordered list at the end and turns
/// references into numbered links with ids to return to.
/// Each event keeps the source range it came from; those written here take
/// the range of what they stand for.
fn with_footnotes_at_end<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    type Events<'a> = Vec<(Event<'a>, Range<usize>)>;
    let mut body = Vec::new();
    let mut definitions: Vec<(CowStr<'a>, Range<usize>, Events<'a>)> = Vec::new();
    let mut current: Option<(CowStr<'a>, Range<usize>, Events<'a>)> = None;
    let mut numbers: HashMap<CowStr<'a>, usize> = HashMap::new();

    for (event, range) in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(name)) => {
                current = Some((name, range, Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => definitions.extend(current.take()),
            Event::FootnoteReference(name) => {
                let next = numbers.len() + 1;
                let first = !numbers.contains_key(&name);
                let number = *numbers.entry(name.clone()).or_insert(next);
                let id = if first {
                    format!(r#" id="fnref-{}""#, slug(&name))
                } else {
                    String::new()
                };
                let link = format!(
                    r##"<sup class="footnote-ref"><a href="#fn-{}"{id}>{number}</a></sup>"##,
                    slug(&name)
                );
                let target = current.as_mut().map_or(&mut body, |(.., events)| events);
                target.push((Event::InlineHtml(link.into()), range));
            }
            other => current
                .as_mut()
                .map_or(&mut body, |(.., events)| events)
                .push((other, range)),
        }
    }
    if definitions.is_empty() {
        return body;
    }
    // Referenced notes in order of first reference, then the others as written.
    definitions.sort_by_key(|(name, ..)| numbers.get(name).copied().unwrap_or(usize::MAX));
    let first = definitions[0].1.clone();
    body.push((
        Event::Html(r#"<section class="footnotes"><ol>"#.into()),
        first.clone(),
    ));
    for (name, range, mut events) in definitions {
        let li = format!(r#"<li id="fn-{}">"#, slug(&name));
        body.push((Event::Html(li.into()), range.clone()));
        if numbers.contains_key(&name) {
            let back = Event::InlineHtml(
                format!(
                    r##" <a href="#fnref-{}" class="footnote-backref">↩</a>"##,
                    slug(&name)
                )
                .into(),
            );
            let back = (back, range.clone());
            // Inside the last paragraph, as GitHub does, or after the content.
            match events.last() {
                Some((Event::End(TagEnd::Paragraph), _)) => events.insert(events.len() - 1, back),
                _ => events.push(back),
            }
        }
        body.extend(events);
        body.push((Event::Html("</li>".into()), range));
    }
    body.push((Event::Html("</ol></section>".into()), first));
    body
}

/// A footnote label as an id: letters and digits kept, the rest `-`.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(source: &str) -> String {
        to_html(source, &MarkdownOptions::default()).html
    }

    #[test]
    fn gfm_extensions_are_on() {
        let out = render("| a |\n|---|\n| b |\n\n~~s~~ - [x] t\n\n- [ ] task\n");
        assert!(out.contains("<table>"), "tables: {out}");
        assert!(out.contains("<del>s</del>"), "strikethrough: {out}");
        assert!(out.contains(r#"type="checkbox""#), "task lists: {out}");
    }

    #[test]
    fn column_alignment_needs_no_css() {
        let out = render("| a | b |\n|:-:|--:|\n| 1 | 2 |\n");
        assert!(out.contains(r#"<th align="center">a</th>"#), "{out}");
        assert!(out.contains(r#"<td align="right">2</td>"#), "{out}");
        assert!(!out.contains("style="), "no inline CSS: {out}");
    }

    #[test]
    fn alerts_and_math() {
        let out = render("> [!NOTE]\n> careful\n\n$x^2$ and $$y$$\n");
        assert!(
            out.contains(r#"<blockquote class="markdown-alert-note">"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<span class="math math-inline">x^2</span>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<span class="math math-display">y</span>"#),
            "{out}"
        );
    }

    #[test]
    fn more_marker_becomes_a_span() {
        for marker in ["<!-- more -->", "<!--more-->", "<!-- MORE -->"] {
            let out = render(&format!("intro\n\n{marker}\n\nrest"));
            assert!(out.contains(MORE_MARKER), "{marker} is recognized: {out}");
        }
        let code = render("```\n<!-- more -->\n```\n");
        assert!(
            !code.contains(MORE_MARKER),
            "a marker inside code is text: {code}"
        );
    }

    #[test]
    fn footnotes_go_to_the_end_with_back_links() {
        let out = render("First[^b] and second[^a].\n\n[^a]: Note A.\n[^b]: Note B.\n\nAfter.");
        let after = out.find("<p>After.</p>").unwrap();
        let notes = out
            .find(r#"<section class="footnotes">"#)
            .expect("a footnotes section");
        assert!(after < notes, "notes come after the text: {out}");
        assert!(
            out.contains(r##"<a href="#fn-b" id="fnref-b">1</a>"##),
            "b is note 1: {out}"
        );
        assert!(
            out.find(r#"<li id="fn-b">"#) < out.find(r#"<li id="fn-a">"#),
            "b is listed first"
        );
        assert!(
            out.contains(r##"Note B. <a href="#fnref-b" class="footnote-backref">↩</a></p>"##),
            "{out}"
        );
    }

    #[test]
    fn indented_html_in_markdown_stays_commonmark() {
        let out = render("text\n\n    <div>code</div>\n");
        assert!(
            out.contains("<pre><code>&lt;div&gt;"),
            "an indented block is code in Markdown: {out}"
        );
    }
}
