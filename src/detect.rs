//! Is the body Markdown or raw HTML?
//!
//! Feed bots and some editors write HTML into `.md` files. Rendered as
//! Markdown, such a body breaks: HTML indented after a blank line becomes a
//! code block that shows the markup as text. So `auto` looks at the content:
//! a body that starts with a tag and whose lines are mostly tags, with hardly
//! any Markdown syntax, is HTML.

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

fn looks_like_html(body: &str) -> bool {
    let start = body.trim_start();
    let starts_with_tag = start.starts_with('<')
        && start[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '!' || c == '/');
    if !starts_with_tag || start.starts_with("<http") || start.starts_with("<mailto") {
        return false;
    }
    let lower = start.get(..15).unwrap_or(start).to_ascii_lowercase();
    if lower.starts_with("<!doctype") || lower.starts_with("<html") {
        return true;
    }
    let (mut lines, mut tag_lines, mut markdown_lines) = (0usize, 0usize, 0usize);
    let mut in_fence = false;
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        lines += 1;
        if line.starts_with("```") || line.starts_with("~~~") {
            in_fence = !in_fence;
            markdown_lines += 1;
        } else if in_fence {
            markdown_lines += 1;
        } else if line.starts_with('<') {
            tag_lines += 1;
        } else if is_markdown_line(line) {
            markdown_lines += 1;
        }
    }
    // A body wrapped in one element (`<div>` … `</div>`, as feed bots write
    // it) is HTML even when its text lines carry no tags of their own.
    let wrapped = body.trim_end().ends_with('>')
        && body
            .trim_end()
            .lines()
            .last()
            .is_some_and(|l| l.trim_start().starts_with("</"));
    (wrapped || tag_lines * 10 >= lines * 6) && markdown_lines * 10 <= lines
}

/// A line whose start is Markdown block syntax, or that uses a Markdown link.
fn is_markdown_line(line: &str) -> bool {
    let heading = line.starts_with('#')
        && line.trim_start_matches('#').starts_with(' ')
        && line.len() - line.trim_start_matches('#').len() <= 6;
    let bullet = ["- ", "* ", "+ ", "> ", "| "]
        .iter()
        .any(|p| line.starts_with(p));
    let ordered = line.split_once(". ").is_some_and(|(n, _)| {
        !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())
    });
    heading || bullet || ordered || line.contains("](") || line.starts_with("![")
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
    fn wrapped_text_is_html() {
        let body = "<div>\nline one\nline two\nline three\n</div>";
        assert_eq!(
            auto(body),
            BodyFormat::Html,
            "text wrapped in one element is HTML"
        );
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
        body_format("<div>\n<p>x</p>\n</div>", 7, &Options::default(), &mut d);
        assert_eq!(
            (d.0[0].code, d.0[0].line),
            ("body.detected-html", Some(7)),
            "detection is reported"
        );
    }
}
