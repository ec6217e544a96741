//! The floor of the benchmark's comparison: the work article-render cannot
//! do without, done by its own dependencies alone. The front matter is cut
//! off and its YAML read by saphyr-parser (events only, no metadata); a
//! Markdown body goes through pulldown-cmark with the library's default
//! extensions; the HTML is cleaned by ammonia's default policy, once, and
//! written by html5ever's serializer. No audit, no limits, no outline,
//! excerpt, statistics or metadata: a reference, not a pipeline.
//!
//! `bench/floor/build.sh` builds it; bench/harness.mjs times it beside the
//! library as the pipeline `floor`.

use std::cell::OnceCell;

use pulldown_cmark::{Options, Parser};
use wasm_bindgen::prelude::*;

thread_local! {
    static POLICY: OnceCell<ammonia::Builder<'static>> = const { OnceCell::new() };
}

/// The cleaned HTML of an article; `markdown` says how to read its body.
#[wasm_bindgen]
pub fn render(source: &str, markdown: bool) -> String {
    let body = skip_front_matter(source);
    let html;
    let unsafe_html = if markdown {
        let extensions = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS;
        let mut out = String::with_capacity(body.len() + body.len() / 2);
        pulldown_cmark::html::push_html(&mut out, Parser::new_ext(body, extensions));
        html = out;
        &html
    } else {
        body
    };
    POLICY.with(|policy| {
        policy
            .get_or_init(ammonia::Builder::default)
            .clean(unsafe_html)
            .to_string()
    })
}

/// The body after a `---` (YAML, read) or `+++` (TOML, skipped) block.
fn skip_front_matter(source: &str) -> &str {
    let text = source.trim_start_matches('\u{FEFF}').trim_start();
    let Some(fence) = ["---", "+++"].into_iter().find(|f| text.starts_with(f)) else {
        return source;
    };
    let Some(start) = text.find('\n').map(|i| i + 1) else {
        return source;
    };
    let mut at = start;
    for line in text[start..].split_inclusive('\n') {
        if line.trim_end() == fence || (fence == "---" && line.trim_end() == "...") {
            if fence == "---" {
                for event in saphyr_parser::Parser::new_from_str(&text[start..at]) {
                    if event.is_err() {
                        break;
                    }
                }
            }
            return &text[at + line.len()..];
        }
        at += line.len();
    }
    source
}
