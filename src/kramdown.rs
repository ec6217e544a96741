//! kramdown's block syntax that CommonMark reads otherwise, for Jekyll
//! files: `markdown="1"` on an HTML block (its content is Markdown), and
//! table separator lines (`|---+---|`, `|----` under a wider header, `|===`
//! before the footer) that GFM would take for data rows or for no table,
//! and `{::nomarkdown}` blocks, whose content is written as it is.
//! Attribute lists are in [`crate::attributes`].

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Options as Extensions, Parser, Tag, TagEnd};

use crate::find;

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// Whether `line` is a kramdown table separator: pipes, dashes (or `=`
/// for the footer's), colons, `+` and spaces, with one dash or `=` at
/// least, as kramdown's own pattern says.
fn is_separator(line: &str) -> bool {
    let line = line.trim();
    line.starts_with('|')
        && line.contains(['-', '='])
        && line
            .bytes()
            .all(|b| matches!(b, b'|' | b'-' | b'=' | b':' | b'+' | b' ' | b'\t'))
}

/// The cells of a table row, split at pipes that are not escaped.
fn cells(row: &str) -> Vec<&str> {
    let row = row.trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = match row.strip_suffix('|') {
        Some(inner) if !inner.ends_with('\\') => inner,
        _ => row,
    };
    let mut cells = Vec::new();
    let mut from = 0;
    let bytes = row.as_bytes();
    for (at, byte) in bytes.iter().enumerate() {
        if *byte == b'|' && (at == 0 || bytes[at - 1] != b'\\') {
            cells.push(&row[from..at]);
            from = at + 1;
        }
    }
    cells.push(&row[from..]);
    cells
}

/// Rewrites the separator under a table's first row as the GFM delimiter
/// row of that row's width, keeping each column's alignment when kramdown's
/// line has as many parts. Lines keep their number.
pub fn gfm_table_separators(source: &str) -> Cow<'_, str> {
    let lines: Vec<&str> = find::lines_inclusive(source).collect();
    let mut rewritten: Vec<(usize, String)> = Vec::new();
    let mut fence = None;
    for (index, line) in lines.iter().enumerate() {
        let content = line.trim();
        if let Some(next) = crate::attributes::fence_line(content, fence) {
            fence = next;
        }
        let first_row = index >= 1
            && lines[index - 1].trim_start().starts_with('|')
            && !is_separator(lines[index - 1])
            && (index < 2 || lines[index - 2].trim().is_empty());
        if fence.is_some() || !first_row || !is_separator(line) {
            continue;
        }
        let width = cells(lines[index - 1]).len();
        let parts: Vec<&str> = content.trim_matches('|').split(['|', '+']).collect();
        let mut delimiter = String::from("|");
        for column in 0..width {
            let part = if parts.len() == width {
                parts[column].trim()
            } else {
                ""
            };
            let left = part.starts_with(':');
            let right = part.len() > 1 && part.ends_with(':');
            delimiter.push_str(match (left, right) {
                (true, true) => ":-:|",
                (true, false) => ":--|",
                (false, true) => "--:|",
                (false, false) => "---|",
            });
        }
        if content != delimiter {
            if line.ends_with('\n') {
                delimiter.push('\n');
            }
            rewritten.push((index, delimiter));
        }
    }
    if rewritten.is_empty() {
        return Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len() + 16 * rewritten.len());
    let mut next = rewritten.into_iter().peekable();
    for (index, line) in lines.iter().enumerate() {
        match next.next_if(|(at, _)| *at == index) {
            Some((_, delimiter)) => out.push_str(&delimiter),
            None => out.push_str(line),
        }
    }
    Cow::Owned(out)
}

/// What a `{::nomarkdown}` block becomes in the source the parser reads: a
/// processing instruction, which CommonMark keeps raw up to the line with
/// `?>` (HTML block type 3), in the list item or quote where it stands.
/// [`raw_nomarkdown`] takes these two markers out of the events again.
const RAW_OPEN: &str = "<?nomarkdown";
const RAW_CLOSE: &str = "?>";

/// kramdown's `{::nomarkdown}` … `{:/nomarkdown}` (or `{:/}`) on lines of
/// their own (or both on one line): the content is not Markdown and goes
/// out as written (raw HTML, cleaned like any other). Rewritten as a
/// processing instruction of the same length, so every line keeps its
/// number and offset. Content holding `?>` (which would end it early) and
/// a block never closed stay as they are.
pub fn nomarkdown_blocks(source: &str) -> Cow<'_, str> {
    if !find::contains(source, "{::nomarkdown") {
        return Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut fence = None;
    // An open block: where its opening marker was written in `out`.
    let mut open: Option<(usize, usize)> = None;
    let mut at = 0;
    for line in find::lines_inclusive(source) {
        let start = out.len();
        out.push_str(line);
        at += line.len();
        let lead = line.len() - line.trim_start_matches([' ', '\t', '>']).len();
        let content = line[lead..].trim_end();
        if open.is_none()
            && let Some(next) = crate::attributes::fence_line(content, fence)
        {
            fence = next;
            continue;
        }
        if fence.is_some() {
            continue;
        }
        let opener = open.is_none()
            && content.starts_with("{::nomarkdown")
            && content
                .find('}')
                .is_some_and(|end| !content[..end].ends_with('/'));
        if opener {
            let end = content.find('}').expect("checked") + 1;
            open = Some((start + lead, end));
        }
        let Some((marker, marker_len)) = open else {
            continue;
        };
        let closer = ["{:/nomarkdown}", "{:/}"]
            .into_iter()
            .find(|close| content.ends_with(close) && (!opener || content.len() > marker_len));
        if let Some(close) = closer {
            let close_at = start + lead + content.len() - close.len();
            let inside = &out[marker + marker_len..close_at];
            if !inside.contains(RAW_CLOSE) {
                out.replace_range(
                    close_at..close_at + close.len(),
                    &pad(RAW_CLOSE, close.len()),
                );
                out.replace_range(marker..marker + marker_len, &pad(RAW_OPEN, marker_len));
            }
            open = None;
        }
    }
    debug_assert_eq!(at, source.len());
    Cow::Owned(out)
}

/// `text` followed by spaces up to `len` bytes (`len` is never shorter:
/// both markers are at least as long as what they replace).
fn pad(text: &str, len: usize) -> String {
    format!("{text:<len$}")
}

/// Takes [`nomarkdown_blocks`]' markers out of the HTML they became, so
/// that only the content is written.
pub fn raw_nomarkdown(events: Events<'_>) -> Events<'_> {
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Html(t) if t.trim_start().starts_with(RAW_OPEN)))
    {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut inside = false;
    for (event, range) in events {
        let Event::Html(text) = &event else {
            out.push((event, range));
            continue;
        };
        let mut text: &str = text;
        if !inside && let Some(rest) = text.trim_start().strip_prefix(RAW_OPEN) {
            inside = true;
            // The padding, and the rest of the marker's line when it is empty.
            text = rest.trim_start_matches(' ');
            if let Some(rest) = text.strip_prefix('\n') {
                text = rest;
            }
        }
        if inside
            && let Some(close) = text.rfind(RAW_CLOSE)
            && text[close + RAW_CLOSE.len()..].trim().is_empty()
        {
            inside = false;
            text = text[..close].trim_end_matches([' ', '\t']);
        }
        if !text.is_empty() {
            out.push((Event::Html(text.to_owned().into()), range));
        }
    }
    out
}

/// Reads the body rows of tables that are kramdown separator lines as
/// kramdown does: a row whose every cell is dashes, colons and `+` starts
/// a new `<tbody>`, one of `=` starts the `<tfoot>`; neither is a row.
pub fn without_separator_rows(events: Events<'_>) -> Events<'_> {
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Start(Tag::Table(_))))
    {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut row: Option<Events> = None;
    // In the table being read: the footer has started; rows of this body part.
    let mut footer = false;
    let mut rows = 0;
    for (event, range) in events {
        match (&event, &mut row) {
            (Event::Start(Tag::Table(_)), None) => {
                footer = false;
                rows = 0;
                out.push((event, range));
            }
            (Event::End(TagEnd::Table), None) if footer => {
                // The end stays an event (attribute lists find the table by
                // it); its `</tbody>` after the footer is an end tag the
                // HTML parser ignores, so the tree the policy writes is
                // `…</tfoot></table>`.
                out.push((Event::Html("</tfoot>".into()), range.clone()));
                out.push((event, range));
            }
            (Event::Start(Tag::TableRow), _) => row = Some(vec![(event, range)]),
            (Event::End(TagEnd::TableRow), Some(cells)) => {
                cells.push((event, range.clone()));
                let separator = cells.iter().all(|(e, _)| match e {
                    Event::Text(text) => text
                        .bytes()
                        .all(|b| matches!(b, b'-' | b'=' | b':' | b'+' | b' ')),
                    Event::Start(Tag::TableRow | Tag::TableCell)
                    | Event::End(TagEnd::TableRow | TagEnd::TableCell) => true,
                    _ => false,
                }) && cells
                    .iter()
                    .any(|(e, _)| matches!(e, Event::Text(t) if t.contains(['-', '='])));
                let footer_line = cells
                    .iter()
                    .any(|(e, _)| matches!(e, Event::Text(t) if t.contains('=')));
                if !separator {
                    rows += 1;
                    out.append(cells);
                } else if footer_line && !footer {
                    footer = true;
                    out.push((Event::Html("</tbody><tfoot>\n".into()), range));
                } else if !footer && rows > 0 {
                    rows = 0;
                    out.push((Event::Html("</tbody><tbody>\n".into()), range));
                }
                row = None;
            }
            (_, Some(cells)) => cells.push((event, range)),
            (_, None) => out.push((event, range)),
        }
    }
    if let Some(cells) = row {
        out.extend(cells);
    }
    out
}

/// kramdown makes a table of lines that start with `|` even without a
/// separator under the first (all body rows); CommonMark reads a paragraph.
/// Each cell's text is read as inline Markdown on its own.
pub fn headerless_tables<'a>(
    events: Events<'a>,
    source: &str,
    extensions: Extensions,
) -> Events<'a> {
    let mut out = Vec::with_capacity(events.len());
    let mut events = events.into_iter();
    while let Some((event, range)) = events.next() {
        let rows = match &event {
            Event::Start(Tag::Paragraph) => source.get(range.clone()).and_then(table_rows),
            _ => None,
        };
        let Some(rows) = rows else {
            out.push((event, range));
            continue;
        };
        // The paragraph's own events are replaced by the table's.
        for (inner, _) in events.by_ref() {
            if matches!(inner, Event::End(TagEnd::Paragraph)) {
                break;
            }
        }
        let html = |text: &'static str| (Event::Html(text.into()), range.clone());
        out.push(html("<table><tbody>\n"));
        for row in rows {
            out.push(html("<tr>"));
            for cell in row {
                out.push(html("<td>"));
                let parsed = Parser::new_ext(cell, extensions)
                    .filter(|e| {
                        !matches!(
                            e,
                            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
                        )
                    })
                    .map(|e| (e.into_static(), range.clone()));
                out.extend(parsed);
                out.push(html("</td>"));
            }
            out.push(html("</tr>\n"));
        }
        out.push(html("</tbody></table>\n"));
    }
    out
}

/// The cells of each row when every line of a paragraph is a table row
/// (its quote markers and indentation aside); separator lines are skipped.
fn table_rows(paragraph: &str) -> Option<Vec<Vec<&str>>> {
    let mut rows = Vec::new();
    for line in paragraph.lines() {
        let line = line.trim_start_matches(['>', ' ', '\t']).trim_end();
        if !line.starts_with('|') {
            return None;
        }
        if !is_separator(line) {
            rows.push(cells(line).into_iter().map(str::trim).collect());
        }
    }
    (!rows.is_empty()).then_some(rows)
}

/// The value of a `markdown` attribute in a start tag, and the tag without it.
fn markdown_attribute(tag: &str) -> Option<(&str, String)> {
    let at = tag.find(" markdown=")?;
    let value_start = at + " markdown=".len();
    let rest = &tag[value_start..];
    let (value, len) = match rest.as_bytes().first()? {
        quote @ (b'"' | b'\'') => {
            let close = rest[1..].find(*quote as char)? + 1;
            (&rest[1..close], close + 1)
        }
        _ => {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(rest.len());
            (&rest[..end], end)
        }
    };
    let without = format!("{}{}", &tag[..at], &tag[value_start + len..]);
    Some((value, without))
}

/// kramdown reads the content of an HTML block whose start tag says
/// `markdown="1"` (or `"block"`) as Markdown blocks, `markdown="span"` as
/// one paragraph's text; CommonMark keeps it raw up to the next blank line.
pub fn markdown_in_html(events: Events<'_>, extensions: Extensions) -> Events<'_> {
    nested_markdown_in_html(events, extensions, 0)
}

/// How deep `markdown="1"` blocks held in one another's first lines are
/// parsed: each level parses the rest again, so a thousand nested in one
/// block would take quadratic time (and the stack); deeper ones stay raw.
const MAX_MARKDOWN_DEPTH: usize = 8;

fn nested_markdown_in_html(events: Events<'_>, extensions: Extensions, depth: usize) -> Events<'_> {
    let has = |events: &Events| {
        events
            .iter()
            .any(|(e, _)| matches!(e, Event::Html(t) if t.contains("markdown=")))
    };
    if depth >= MAX_MARKDOWN_DEPTH || !has(&events) {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut block: Option<(Range<usize>, String, Events)> = None;
    for (event, range) in events {
        match (event, &mut block) {
            (Event::Start(Tag::HtmlBlock), None) => {
                block = Some((
                    range.clone(),
                    String::new(),
                    vec![(Event::Start(Tag::HtmlBlock), range)],
                ));
            }
            (Event::Html(text), Some((_, html, held))) => {
                html.push_str(&text);
                held.push((Event::Html(text), range));
            }
            (Event::End(TagEnd::HtmlBlock), Some(_)) => {
                let (block_range, html, mut held) = block.take().expect("an open block");
                held.push((Event::End(TagEnd::HtmlBlock), range));
                match as_markdown(&html, block_range.start, extensions, depth) {
                    Some(parsed) => out.extend(parsed),
                    None => out.extend(held),
                }
            }
            (event, Some((_, _, held))) => held.push((event, range)),
            (event, None) => out.push((event, range)),
        }
    }
    if let Some((_, _, held)) = block {
        out.extend(held);
    }
    out
}

/// The events of an HTML block that starts with a `markdown` start tag:
/// the start tag, its content parsed, and its end tag when in the block.
fn as_markdown(
    html: &str,
    at: usize,
    extensions: Extensions,
    depth: usize,
) -> Option<Events<'static>> {
    let lead = html.len() - html.trim_start().len();
    let open_end = html.find('>')? + 1;
    let tag = html.get(lead..open_end).filter(|t| t.starts_with('<'))?;
    let name_len = tag[1..]
        .bytes()
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    if name_len == 0 {
        return None;
    }
    let name = &tag[1..1 + name_len];
    let (value, mut without) = markdown_attribute(tag)?;
    // `<div class="notice--info" markdown="1">`: Minimal Mistakes' notice,
    // an alert to the policy (see `attributes::with_alert_classes`).
    if let Some(at) = without.find(" class=\"") {
        let value_start = at + " class=\"".len();
        if let Some(len) = without[value_start..].find('"') {
            let value_end = value_start + len;
            if let Some(classes) =
                crate::attributes::with_alert_classes(&without[value_start..value_end])
            {
                without.replace_range(value_start..value_end, &classes);
            }
        }
    }
    let span = match value {
        "1" | "block" => false,
        "span" => true,
        _ => return None,
    };
    let mut inner = &html[open_end..];
    let close = format!("</{name}>");
    let trimmed = inner.trim_end();
    let cut = trimmed.len().saturating_sub(close.len());
    let closed = trimmed
        .get(cut..)
        .is_some_and(|end| end.eq_ignore_ascii_case(&close));
    if closed {
        inner = &trimmed[..cut];
    }
    let offset = at + open_end;
    let mut out: Events<'static> = vec![(Event::Html(format!("{without}\n").into()), at..offset)];
    let parsed: Events<'static> = Parser::new_ext(inner, extensions)
        .into_offset_iter()
        .map(|(event, range)| {
            (
                event.into_static(),
                offset + range.start..offset + range.end,
            )
        })
        .collect();
    let parsed = nested_markdown_in_html(parsed, extensions, depth + 1);
    let single_paragraph = span
        && matches!(parsed.first(), Some((Event::Start(Tag::Paragraph), _)))
        && parsed
            .iter()
            .filter(|(e, _)| matches!(e, Event::Start(Tag::Paragraph)))
            .count()
            == 1
        && matches!(parsed.last(), Some((Event::End(TagEnd::Paragraph), _)));
    if single_paragraph {
        out.extend(parsed[1..parsed.len() - 1].iter().cloned());
    } else {
        out.extend(parsed);
    }
    if closed {
        let end = offset + inner.len();
        out.push((
            Event::Html(format!("{close}\n").into()),
            end..end + close.len(),
        ));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_under_the_first_row_become_gfm_delimiters() {
        assert_eq!(
            gfm_table_separators("| a | b |\n|---+--:|\n| 1 | 2 |\n"),
            "| a | b |\n|---|--:|\n| 1 | 2 |\n"
        );
        assert_eq!(
            gfm_table_separators("\n| a | b | c |\n|----\n| 1 | 2 | 3 |\n"),
            "\n| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n"
        );
        let gfm = "| a | b |\n|---|---|\n";
        assert!(matches!(gfm_table_separators(gfm), Cow::Borrowed(_)));
        let code = "```\n| a |\n|---+\n```\n";
        assert!(
            matches!(gfm_table_separators(code), Cow::Borrowed(_)),
            "code stays"
        );
    }

    fn jekyll_html(source: &str) -> String {
        crate::markdown::to_html_for(
            source,
            &crate::MarkdownOptions::default(),
            crate::Generator::Jekyll,
            crate::markdown::Math::Off,
        )
        .html
    }

    /// `{::nomarkdown}` content is written as it is, not read as Markdown,
    /// on its own lines, on one line, in a list item; the lines after keep
    /// their Markdown.
    #[test]
    fn nomarkdown_content_is_raw() {
        let html = jekyll_html(
            "Before *a*.\n\n{::nomarkdown}\n<div class=\"x\">\n*not emphasis*\n\n# not a heading\n</div>\n{:/nomarkdown}\n\nAfter *b*.\n",
        );
        assert_eq!(
            html,
            "<p>Before <em>a</em>.</p>\n<div class=\"x\">\n*not emphasis*\n\n# not a heading\n</div>\n<p>After <em>b</em>.</p>\n"
        );
        let html = jekyll_html("{::nomarkdown}<b>*x*</b>{:/}\n");
        assert_eq!(html, "<b>*x*</b>");
        let html = jekyll_html(
            "- item\n\n  {::nomarkdown type=\"html\"}\n  <i>_y_</i>\n  {:/nomarkdown}\n",
        );
        assert!(html.contains("<i>_y_</i>"), "{html}");
        assert!(!html.contains("nomarkdown"), "{html}");
        // Never closed, or in code: left as written.
        let open = "{::nomarkdown}\n*z*\n";
        assert_eq!(nomarkdown_blocks(open), open);
        let code = "```\n{::nomarkdown}\nq\n{:/}\n```\n";
        assert_eq!(nomarkdown_blocks(code), code);
        // Every line keeps its offset.
        let source = "a\n{::nomarkdown}\nb\n{:/}\nc\n";
        let raw = nomarkdown_blocks(source);
        assert_eq!(raw.len(), source.len());
        assert_eq!(raw.lines().count(), source.lines().count());
    }

    #[test]
    fn markdown_attribute_is_read_and_removed() {
        let (value, tag) = markdown_attribute(r#"<div class="notice" markdown="1">"#).unwrap();
        assert_eq!((value, tag.as_str()), ("1", r#"<div class="notice">"#));
        assert!(markdown_attribute("<div class=\"x\">").is_none());
    }
}

#[cfg(test)]
mod rendering {
    use crate::markdown;
    use crate::options::MarkdownOptions;
    use crate::rendered::Generator;

    fn render(source: &str, generator: Generator) -> String {
        markdown::to_html_for(
            source,
            &MarkdownOptions::default(),
            generator,
            markdown::Math::Off,
        )
        .html
    }

    #[test]
    fn markdown_attribute_blocks_hold_markdown() {
        let source = "<div class=\"notice\" markdown=\"1\">\n**Note:** read *this*.\n</div>\n";
        assert_eq!(
            render(source, Generator::Jekyll),
            "<div class=\"markdown-alert markdown-alert-note\">\n<p><strong>Note:</strong> read <em>this</em>.</p>\n</div>\n",
            "Minimal Mistakes' notice is an alert to the policy"
        );
        let html = render(source, Generator::None);
        assert!(
            html.contains("**Note:**"),
            "CommonMark keeps it raw: {html}"
        );
        let span = "<p markdown=\"span\">*one* line\n</p>\n";
        assert_eq!(
            render(span, Generator::Jekyll),
            "<p>\n<em>one</em> line</p>\n"
        );
    }

    #[test]
    fn deeply_nested_markdown_blocks_are_bounded() {
        let source = "<div markdown=\"1\">\n".repeat(5_000);
        let html = render(&source, Generator::Jekyll);
        assert!(html.contains("markdown=\"1\""), "the deep ones stay raw");
    }

    #[test]
    fn separator_rows_are_not_data() {
        let source = "| a | b |\n|---+---|\n| 1 | 2 |\n|---\n| 3 | 4 |\n|===\n| 5 | 6 |\n";
        let html = render(source, Generator::Jekyll);
        assert_eq!(
            html,
            "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody>\n\
             <tr><td>1</td><td>2</td></tr>\n\
             </tbody><tbody>\n\
             <tr><td>3</td><td>4</td></tr>\n\
             </tbody><tfoot>\n\
             <tr><td>5</td><td>6</td></tr>\n\
             </tfoot></tbody></table>\n"
        );
        let plain = render(source, Generator::None);
        assert!(
            !plain.contains("<table>"),
            "GFM needs its delimiter row: {plain}"
        );
    }

    #[test]
    fn rows_without_a_separator_are_a_table_in_kramdown() {
        let source = "| **Ada** | author |\n| Bob | `editor` |\n\n| not a table\nbecause this line is text\n";
        assert_eq!(
            render(source, Generator::Jekyll),
            "<table><tbody>\n<tr><td><strong>Ada</strong></td><td>author</td></tr>\n\
             <tr><td>Bob</td><td><code>editor</code></td></tr>\n</tbody></table>\n\
             <p>| not a table\nbecause this line is text</p>\n"
        );
        assert!(render(source, Generator::None).starts_with("<p>| <strong>Ada</strong>"));
    }

    #[test]
    fn definition_lists_in_kramdown_and_goldmark_only() {
        let source = "Sun\n: the star we orbit\n";
        for (generator, dl) in [
            (Generator::Jekyll, true),
            (Generator::Hugo, true),
            (Generator::Hexo, false),
            (Generator::Zola, false),
            (Generator::None, false),
        ] {
            let html = render(source, generator);
            assert_eq!(html.contains("<dt>Sun</dt>"), dl, "{generator:?}: {html}");
        }
    }
}
