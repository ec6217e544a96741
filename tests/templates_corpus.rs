//! The template stage against the real posts of `../shared/corpus`: no
//! Zola, Hugo or Hexo template syntax is left in a page's prose (outside
//! code and the stage's placeholders) unless a diagnostic says why, and no
//! excerpt holds template or attribute syntax. Skips, saying so, when the
//! corpus is not there.

use std::fs;

#[path = "common/corpus.rs"]
mod corpus;
use corpus::{dir as corpus_dir, files};

use article_render::{Generator, Options, Rendered, render_with_options};

/// The HTML without what may show template syntax on purpose: code
/// (`<pre>`, `<code>`) and the stage's placeholders.
fn prose(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    loop {
        let next = [
            ("<pre", "</pre>"),
            ("<code", "</code>"),
            ("<span class=\"template-tag\">", "</span>"),
        ]
        .iter()
        .filter_map(|(open, close)| rest.find(open).map(|at| (at, *close)))
        .min_by_key(|(at, _)| *at);
        let Some((at, close)) = next else { break };
        out.push_str(&rest[..at]);
        rest = rest[at..]
            .find(close)
            .map_or("", |end| &rest[at + end + close.len()..]);
    }
    out.push_str(rest);
    out.replace("&lt;", "<").replace("&gt;", ">")
}

/// The syntax of the file's dialect that its prose must not show.
fn leftovers(rendered: &Rendered) -> Vec<String> {
    let text = prose(&rendered.html);
    let mut found = Vec::new();
    let b = text.as_bytes();
    for (at, _) in text.match_indices('{') {
        let rest = &text[at..];
        let shown = match rendered.generator {
            Generator::Zola => {
                // `{{ name(` or `{% name(`: a shortcode call.
                let inner = rest
                    .strip_prefix("{{")
                    .or_else(|| rest.strip_prefix("{%"))
                    .map(str::trim_start);
                inner.is_some_and(|inner| {
                    let name_len = inner
                        .bytes()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                        .count();
                    name_len > 0 && inner[name_len..].trim_start().starts_with('(')
                })
            }
            _ => {
                rest.starts_with("{{<")
                    || rest.starts_with("{{%")
                    || (rest.starts_with("{%")
                        && b.get(at + 2..).is_some_and(|r| {
                            r.iter()
                                .find(|c| **c != b' ')
                                .is_some_and(u8::is_ascii_alphabetic)
                        }))
            }
        };
        if shown {
            let end = rest.char_indices().nth(40).map_or(rest.len(), |(i, _)| i);
            found.push(rest[..end].to_owned());
        }
    }
    found
}

/// The text of the `<code>` elements of `html`, references decoded, white
/// space collapsed as the excerpt collapses it.
fn code_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<code") {
        rest = &rest[at..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let end = rest.find("</code>").unwrap_or(rest.len());
        let inner = &rest[(open_end + 1).min(end)..end];
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text.push(' ');
        rest = &rest[end..];
    }
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn corpus_shows_no_template_syntax_and_excerpts_are_prose() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!(
            "skipping the corpus template test: {} does not exist",
            dir.display()
        );
        return;
    }
    let mut failures = Vec::new();
    let (mut files_seen, mut explained) = (0, 0);
    for path in files(&dir) {
        files_seen += 1;
        let source = String::from_utf8_lossy(&fs::read(&path).expect("readable")).into_owned();
        let name = path.strip_prefix(&dir).unwrap().display().to_string();
        let options = Options {
            file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
            ..Options::default()
        };
        let rendered = render_with_options(&source, &options).expect("default options are valid");
        // Syntax may stay where the author shows it in code, as the page does.
        let code = code_text(&rendered.html);
        for bad in ["{%", "{{", "{:"] {
            for (at, _) in rendered.excerpt.match_indices(bad) {
                // The construct up to its closer (or the excerpt's end).
                let rest = &rendered.excerpt[at..];
                let closer = if bad == "{%" { "%}" } else { "}" };
                let end = rest[2..]
                    .find(closer)
                    .map_or(rest.len(), |i| i + 2 + closer.len());
                let construct = rest[..end].trim_end_matches('…');
                if !code.contains(construct) {
                    failures.push(format!(
                        "{name}: the excerpt holds `{bad}` outside code: {}",
                        rendered.excerpt
                    ));
                }
            }
        }
        let shown = leftovers(&rendered);
        if shown.is_empty() {
            continue;
        }
        // Text on purpose: an escape, a tag left unclosed or closing
        // nothing, or one that lacks what it needs, each with a diagnostic.
        let diagnosed = rendered.diagnostics.iter().any(|d| {
            matches!(
                d.code,
                "template.unclosed-tag" | "template.unmatched-tag" | "template.invalid-tag"
            )
        });
        let escaped = source.contains("/*");
        if diagnosed || escaped {
            explained += 1;
            continue;
        }
        failures.push(format!(
            "{name} ({:?}): shows template syntax as text with no diagnostic: {:?}",
            rendered.generator,
            &shown[..shown.len().min(3)]
        ));
    }
    println!("{files_seen} files; {explained} show template syntax as text, each explained");
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
