//! Is the body Markdown or raw HTML?
//!
//! Feed bots and some editors write HTML into `.md` files. Rendered as
//! Markdown, such a body breaks: HTML indented after a blank line becomes a
//! code block that shows the markup as text. So `auto` looks at the content:
//! a body that starts with a tag, whose lines are mostly tags with hardly any
//! Markdown syntax, and that Markdown would spoil, is HTML. Everything else
//! is Markdown, which passes HTML blocks through anyway.

use crate::find;
use crate::options::{Format, Options};
use crate::rendered::{BodyFormat, Diagnostics};

/// Decides how to read `body`, which starts on line `line` of the file; says
/// so in a diagnostic when the content made a `.md` file HTML.
pub fn body_format(
    body: &str,
    line: usize,
    options: &Options,
    diagnostics: &mut Diagnostics,
) -> BodyFormat {
    match options.format {
        Format::Markdown => return BodyFormat::Markdown,
        Format::Html => return BodyFormat::Html,
        Format::Auto => {}
    }
    let extension = options
        .file_name
        .as_deref()
        .and_then(|name| name.rsplit_once('.'));
    if extension.is_some_and(|(_, ext)| {
        ["html", "htm", "xhtml"]
            .iter()
            .any(|e| ext.eq_ignore_ascii_case(e))
    }) {
        return BodyFormat::Html;
    }
    if !looks_like_html(body) {
        return BodyFormat::Markdown;
    }
    diagnostics.info(
        "body.detected-html",
        "The body is raw HTML, so it was not read as Markdown (set `format` to change this).",
        Some(line),
    );
    BodyFormat::Html
}

/// Whether `body` is HTML that Markdown would spoil. CommonMark passes HTML
/// blocks through as they are, so an HTML body read as Markdown mostly
/// renders the same; what it spoils is a line of markup indented four
/// spaces after a blank line, which becomes a code block showing the tags
/// (feed bots write bodies like that). So a body is HTML only when it is a
/// document (`<!doctype`, `<html>`), or starts with a real tag, is mostly
/// tags with hardly any Markdown, and has such a line. When unsure it is
/// Markdown: `<me@example.com>`, `<https://…>` and `<del>*x*</del>` stay
/// Markdown.
fn looks_like_html(body: &str) -> bool {
    let start = body.trim_start();
    if !starts_with_tag(start) {
        return false;
    }
    let lower = start.get(..15).unwrap_or(start).to_ascii_lowercase();
    if lower.starts_with("<!doctype") || lower.starts_with("<html") {
        return true;
    }
    let (mut lines, mut tag_lines, mut markdown_lines) = (0usize, 0usize, 0usize);
    let mut in_fence = false;
    let mut spoiled = false;
    let mut previous_blank = false;
    for raw in find::lines(body) {
        let line = raw.trim();
        if line.is_empty() {
            previous_blank = true;
            continue;
        }
        lines += 1;
        if line.starts_with("```") || line.starts_with("~~~") {
            in_fence = !in_fence;
            markdown_lines += 1;
        } else if in_fence {
            markdown_lines += 1;
        } else if line.starts_with('<') {
            tag_lines += 1;
            spoiled |= previous_blank && is_indented_code(raw) && starts_with_tag(line);
        } else if is_markdown_line(line) {
            markdown_lines += 1;
        }
        previous_blank = false;
    }
    spoiled && tag_lines * 10 >= lines * 6 && markdown_lines * 10 <= lines
}

/// A tag by the HTML tokenizer's rule: `<` or `</`, a letter, then letters,
/// digits or `-` up to white space, `/` or `>` (so not an autolink such as
/// `<mailto:x@y>` or `<x@y.z>`), or a comment or declaration.
fn starts_with_tag(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('<') else {
        return false;
    };
    if rest.starts_with('!') {
        return true;
    }
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return false;
    }
    let after = rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '-');
    after.is_empty() || after.starts_with(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
}

/// Indented four columns or more: a code block in Markdown after a blank line.
fn is_indented_code(line: &str) -> bool {
    let mut columns = 0;
    for c in line.chars() {
        match c {
            ' ' => columns += 1,
            '\t' => columns += 4 - columns % 4,
            _ => break,
        }
        if columns >= 4 {
            return true;
        }
    }
    false
}

/// A line whose start is Markdown block syntax, or that uses a Markdown link.
fn is_markdown_line(line: &str) -> bool {
    let heading = line.starts_with('#')
        && line.trim_start_matches('#').starts_with(' ')
        && line.len() - line.trim_start_matches('#').len() <= 6;
    let bullet = ["- ", "* ", "+ ", "> ", "| "]
        .iter()
        .any(|p| line.starts_with(p));
    // Byte tests and memchr's `find`, not `str` searches: every line of an
    // HTML body is asked, and in wasm a `str` search is a Two-Way search.
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let ordered = (1..=3).contains(&digits) && line[digits..].starts_with(". ");
    heading || bullet || ordered || find::contains(line, "](") || line.starts_with("![")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(body: &str) -> BodyFormat {
        body_format(body, 1, &Options::default(), &mut Diagnostics::default())
    }

    #[test]
    fn feed_html_body_is_html() {
        let body = "\n<div>\n<p>　　一段文字</p>\n<p>two</p>\n\n\n            <style>\n            .a&#123;x&#125;\n            </style>\n            <div class=\"q\">\n                <img src=\"x.png\">\n            </div>\n</div>\n";
        assert_eq!(
            auto(body),
            BodyFormat::Html,
            "a body of tags is HTML even in a .md file"
        );
    }

    #[test]
    fn html_that_markdown_would_not_spoil_is_markdown() {
        assert_eq!(
            auto("<div>\nline one\nline two\nline three\n</div>"),
            BodyFormat::Markdown,
            "one HTML block, passed through by Markdown as it is"
        );
        assert_eq!(
            auto("<div>\n<p>one</p>\n\n    <p>two</p>\n</div>"),
            BodyFormat::Html,
            "an indented tag after a blank line would become a code block"
        );
        for autolink in [
            "<MAILTO:FOO@BAR.BAZ>",
            "<foo@bar.example.com>",
            "<irc://foo.bar:2233/baz>",
            "<me@example.com>\n\n    <p>x</p>",
        ] {
            assert_eq!(auto(autolink), BodyFormat::Markdown, "{autolink}");
        }
        assert_eq!(auto("<del>*foo*</del>"), BodyFormat::Markdown);
    }

    #[test]
    fn markdown_is_markdown() {
        assert_eq!(
            auto("# Title\n\nSome *text*.\n\n- a\n- b\n"),
            BodyFormat::Markdown
        );
        assert_eq!(
            auto("<img src=\"banner.png\">\n\nA paragraph.\n\nAnother paragraph.\n\nA third.\n"),
            BodyFormat::Markdown,
            "a Markdown post that opens with an image tag stays Markdown"
        );
        assert_eq!(
            auto("<div align=center>x</div>\n\n## Heading\n\n- list\n- list\n\n[link](u)\n"),
            BodyFormat::Markdown
        );
        assert_eq!(auto("<https://autolink.example>\n"), BodyFormat::Markdown);
    }

    #[test]
    fn file_name_and_option_decide_first() {
        let mut d = Diagnostics::default();
        let html_file = Options {
            file_name: Some("post.HTML".into()),
            ..Options::default()
        };
        assert_eq!(
            body_format("# x", 1, &html_file, &mut d),
            BodyFormat::Html,
            "a .html file is HTML"
        );
        let forced = Options {
            format: Format::Markdown,
            ..Options::default()
        };
        assert_eq!(
            body_format("<p>x</p>", 1, &forced, &mut d),
            BodyFormat::Markdown,
            "the option wins"
        );
        assert!(d.0.is_empty(), "no diagnostic when the caller decided");
        body_format(
            "<div>\n<p>x</p>\n\n    <p>y</p>\n</div>",
            7,
            &Options::default(),
            &mut d,
        );
        assert_eq!(
            (d.0[0].code, d.0[0].line),
            ("body.detected-html", Some(7)),
            "detection is reported"
        );
    }
}
