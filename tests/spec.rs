//! The CommonMark 0.31.2 and GFM 0.29 conformance suites of `../shared/specs`
//! (skipped, saying so, when they are not there), every example through
//! `render` with `format: "markdown"`.
//!
//! An example passes when our HTML and the spec's are equal after
//! [`normalize`]: the spec's HTML is the renderer's, ours is what the article
//! policy makes of it, so the attributes the policy adds (`rel` on links,
//! `loading`/`decoding`/`referrerpolicy` on images, `disabled` on task
//! boxes, heading ids with their prefix), XHTML's `<br />` against HTML's
//! `<br>`, `&quot;` against `"`, white space between tags and the length of
//! a run of white space in text do not count.
//! An example that does not pass is explained one of two ways:
//! - by the policy: the spec's HTML cleaned by the same policy
//!   (`sanitize_html`) is ours, so what differs is only what the sanitizer
//!   removes or rewrites (raw `<script>`, an unsafe URL, an unknown tag
//!   unwrapped, an id prefixed); checked per example, not listed;
//! - by [`LISTED`], each number with its reason, reviewed by hand.
//!
//! Anything else is a failure, and so is a listed example that passes (the
//! list must not go stale). The counts are printed.
//!
//! Then the same examples with `format: "auto"`: each must render exactly as
//! with `"markdown"` except those of [`HTML_DOCUMENTS`], which any reasonable
//! reading takes for HTML.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use article_render::{Format, Options, Rendered, render_with_options, sanitize_html};

#[path = "common/spec.rs"]
mod spec_file;
use spec_file::examples;

/// The differences that do not count (see the module documentation).
fn normalize(html: &str) -> String {
    let mut out = html
        .replace(" />", ">")
        .replace("&quot;", "\"")
        .replace(r#" rel="noopener noreferrer""#, "")
        .replace(
            r#" loading="lazy" decoding="async" referrerpolicy="no-referrer""#,
            "",
        )
        .replace(r#" disabled="""#, "");
    // Heading ids the outline adds.
    while let Some(at) = out.find(r#" id="user-content-"#) {
        let end = out[at + 5..]
            .find('"')
            .map_or(out.len(), |e| at + 5 + e + 1);
        out.replace_range(at..end, "");
    }
    // White space between tags, and at the ends.
    let mut collapsed = String::with_capacity(out.len());
    let mut rest = out.trim();
    while let Some(open) = rest.find('<') {
        let (text, tag_on) = rest.split_at(open);
        // Between tags nothing, in text one space for a run of white space.
        if !text.trim().is_empty() {
            let mut words = text.split_ascii_whitespace();
            if text.starts_with(|c: char| c.is_ascii_whitespace()) {
                collapsed.push(' ');
            }
            if let Some(first) = words.next() {
                collapsed.push_str(first);
            }
            for word in words {
                collapsed.push(' ');
                collapsed.push_str(word);
            }
            if text.ends_with(|c: char| c.is_ascii_whitespace()) {
                collapsed.push(' ');
            }
        }
        let close = tag_on.find('>').map_or(tag_on.len(), |c| c + 1);
        collapsed.push_str(&tag_on[..close]);
        rest = &tag_on[close..];
    }
    collapsed.push_str(rest);
    collapsed
}

/// Examples whose difference the sanitizer does not explain, each with its
/// reason: `(suite, number, reason)`.
const LISTED: &[(&str, usize, &str)] = &[
    // `---` then `---` opens a file: empty front matter, as Jekyll, Hugo and
    // the front-matter libraries read it (Hexo shows two rules).
    ("commonmark", 98, FRONT_MATTER),
    ("gfm", 68, FRONT_MATTER),
    // `<style` whose `</style>` never comes would hide everything after it:
    // written as text (GitHub's tag filter does the same to every `<style>`).
    ("commonmark", 175, UNCLOSED_RAW_TEXT),
    ("gfm", 142, UNCLOSED_RAW_TEXT),
    // The suites show these without the autolink extension; it is on here,
    // as on GitHub, so a bare URL or address in them is a link.
    ("commonmark", 608, AUTOLINK_LITERAL),
    ("commonmark", 610, AUTOLINK_LITERAL),
    ("commonmark", 613, AUTOLINK_LITERAL),
    ("commonmark", 614, AUTOLINK_LITERAL),
    ("gfm", 614, AUTOLINK_LITERAL),
    ("gfm", 616, AUTOLINK_LITERAL),
    ("gfm", 619, AUTOLINK_LITERAL),
    ("gfm", 620, AUTOLINK_LITERAL),
    // pulldown-cmark writes an empty `<tbody></tbody>` for a table without
    // body rows; a browser shows the same table.
    ("gfm", 205, EMPTY_TBODY),
    // `checked` before `type` in the spec, after it here: the same element.
    ("gfm", 279, ATTRIBUTE_ORDER),
    ("gfm", 280, ATTRIBUTE_ORDER),
    // GFM 0.29 predates CommonMark 0.31's comment rule (`<!-->` and `--`
    // inside are comments now); pulldown-cmark follows 0.31, and the
    // comments are removed by the policy.
    ("gfm", 645, COMMENT_RULE),
    ("gfm", 646, COMMENT_RULE),
];

const FRONT_MATTER: &str = "empty front matter";
const UNCLOSED_RAW_TEXT: &str = "unclosed raw-text tag shown as text";
const AUTOLINK_LITERAL: &str = "autolink literal";
const EMPTY_TBODY: &str = "empty tbody";
const ATTRIBUTE_ORDER: &str = "attribute order";
const COMMENT_RULE: &str = "CommonMark 0.31 comments";

/// Examples that are HTML documents by any reasonable reading, so `auto`
/// may read them as HTML: `(suite, number, why)`.
const HTML_DOCUMENTS: &[(&str, usize, &str)] = &[
    // Markup whose indented lines after a blank line CommonMark shows as
    // code: the trap of feed bots' HTML bodies, which `auto` is for.
    ("commonmark", 185, INDENTED_MARKUP),
    ("commonmark", 186, INDENTED_MARKUP),
    ("commonmark", 193, INDENTED_MARKUP),
    ("gfm", 152, INDENTED_MARKUP),
    ("gfm", 153, INDENTED_MARKUP),
    ("gfm", 160, INDENTED_MARKUP),
];

const INDENTED_MARKUP: &str = "only tags and comments, one indented after a blank line (an HTML table or fragment, not Markdown)";

fn render_as(source: &str, format: Format) -> Rendered {
    let options = Options {
        format,
        ..Options::default()
    };
    render_with_options(source, &options).unwrap()
}

#[test]
fn spec_suites() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/specs");
    let suites = [
        ("commonmark", "commonmark-0.31.2.txt"),
        ("gfm", "gfm-0.29.txt"),
    ];
    let mut failures = Vec::new();
    let mut seen_listed = Vec::new();
    for (suite, file) in suites {
        let Ok(text) = fs::read_to_string(dir.join(file)) else {
            eprintln!(
                "skipping the {suite} suite: {} is not there",
                dir.join(file).display()
            );
            continue;
        };
        let examples = examples(&text);
        assert!(
            examples.len() > 600,
            "{suite}: {} examples read",
            examples.len()
        );
        let policy = Options::default();
        let mut passed = 0;
        // By what the sanitizer said it did.
        let mut by_policy: BTreeMap<String, usize> = BTreeMap::new();
        let mut listed: BTreeMap<&str, usize> = BTreeMap::new();
        let (mut same_in_auto, mut html_documents) = (0, 0);
        for example in &examples {
            let rendered = render_as(&example.markdown, Format::Markdown);
            let ours = rendered.html;
            let listing = LISTED
                .iter()
                .find(|(s, n, _)| *s == suite && *n == example.number);
            let matches = normalize(&ours) == normalize(&example.html);
            if matches {
                passed += 1;
                if listing.is_some() {
                    failures.push(format!("{suite} {} passes but is listed", example.number));
                }
            } else if let Some((_, _, reason)) = listing {
                seen_listed.push((suite, example.number));
                *listed.entry(reason).or_default() += 1;
            } else if normalize(&ours) == normalize(&sanitize_html(&example.html, &policy).unwrap())
            {
                let mut codes: Vec<&str> = rendered
                    .diagnostics
                    .iter()
                    .map(|d| d.code)
                    .filter(|code| code.starts_with("sanitize."))
                    .collect();
                codes.dedup();
                let reason = if codes.is_empty() {
                    "rewritten silently: attributes or comments dropped, tags closed by the HTML parser".to_owned()
                } else {
                    codes.join(" + ")
                };
                *by_policy.entry(reason).or_default() += 1;
            } else {
                failures.push(format!(
                    "{suite} {} ({}):\n  markdown {:?}\n  expected {:?}\n  ours     {:?}",
                    example.number,
                    example.extension,
                    example.markdown,
                    normalize(&example.html),
                    normalize(&ours)
                ));
            }

            let auto = render_as(&example.markdown, Format::Auto).html;
            let document = HTML_DOCUMENTS
                .iter()
                .any(|(s, n, _)| *s == suite && *n == example.number);
            if auto == ours {
                same_in_auto += 1;
                if document {
                    failures.push(format!(
                        "{suite} {}: listed as HTML but auto reads it as Markdown",
                        example.number
                    ));
                }
            } else if document {
                html_documents += 1;
            } else {
                failures.push(format!(
                    "{suite} {}: auto differs from markdown\n  markdown {:?}\n  as markdown {ours:?}\n  as auto     {auto:?}",
                    example.number, example.markdown
                ));
            }
        }
        eprintln!(
            "{suite}: {} examples, {passed} pass, {} differ only by the sanitizer's policy ({by_policy:?}), {} listed ({listed:?}), 0 unexplained; auto: {same_in_auto} as markdown, {html_documents} HTML documents",
            examples.len(),
            by_policy.values().sum::<usize>(),
            listed.values().sum::<usize>(),
        );
    }
    assert!(
        failures.is_empty(),
        "{} unexplained:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
