//! `cargo run --release --example scan -- [--markdown] [--seed S] [--count N] [--size BYTES]`:
//! looks for inputs whose render time grows faster than their size, where
//! `examples/limits.rs` times the families someone thought of.
//!
//! Each of N random patterns (a few tags, text and references for HTML;
//! a few Markdown, Liquid and math tokens with `--markdown`) is repeated
//! after a random prefix to about 100 KB (`--size`) and to 4 times that,
//! and both are rendered. Linear time takes about 4 times as long for the
//! larger; a pattern that takes over 8 times as long (and over 50 ms) is
//! printed with both times, to be reproduced at larger sizes and added to
//! the limits run once fixed. Wall-clock time, best of two: run it on a
//! quiet machine. It found the walk over heavy formatting elements and the
//! form rules the depth model lacked (`src/html/guard/depth.rs`).

use std::time::Instant;

use article_render::{Format, Options};

/// Tag names the tree builder treats apart, and some it does not.
const NAMES: &[&str] = &[
    "div",
    "p",
    "li",
    "dd",
    "dt",
    "ul",
    "ol",
    "dl",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "caption",
    "colgroup",
    "col",
    "select",
    "option",
    "optgroup",
    "ruby",
    "rt",
    "rp",
    "rb",
    "rtc",
    "b",
    "i",
    "a",
    "font",
    "nobr",
    "em",
    "span",
    "s",
    "u",
    "svg",
    "math",
    "mi",
    "mo",
    "mtext",
    "foreignObject",
    "desc",
    "title",
    "template",
    "button",
    "form",
    "input",
    "textarea",
    "xmp",
    "style",
    "script",
    "noscript",
    "iframe",
    "object",
    "applet",
    "marquee",
    "h1",
    "h2",
    "address",
    "pre",
    "listing",
    "image",
    "menu",
    "hr",
    "br",
    "img",
    "frameset",
    "body",
    "html",
    "head",
    "center",
    "small",
    "big",
    "code",
    "annotation-xml",
];

/// Attributes that change how some elements are read or compared.
const ATTRIBUTES: &[&str] = &[
    "",
    "",
    " class=k",
    " title=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"",
    " color=red",
    " type=hidden",
    " encoding=text/html",
    " href=/",
];

/// Markdown, Liquid and math pieces.
const MARKDOWN: &[&str] = &[
    "*",
    "_",
    "**",
    "[",
    "]",
    "(",
    ")",
    "![",
    "`",
    "```",
    "<",
    ">",
    "> ",
    "- ",
    "1. ",
    "# ",
    "|",
    "\n",
    "\n\n",
    " ",
    "    ",
    "x",
    "!",
    ":",
    "[^1]",
    "$",
    "$$",
    "{%",
    "%}",
    "{{",
    "}}",
    "&",
    "\\",
    "~",
    "~~",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "http://x.example",
    "www.x.",
    "@",
    "{#",
    "#}",
    "---\n",
    "[x]: /",
    "<b>",
    "</b>",
];

/// xorshift64*: enough for picking tokens, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

fn html_token(rng: &mut Rng) -> String {
    let name = rng.pick(NAMES);
    match rng.below(20) {
        0..=8 => {
            let slash = if rng.below(3) == 0 { "/" } else { "" };
            format!("<{name}{}{slash}>", rng.pick(ATTRIBUTES))
        }
        9..=14 => format!("</{name}>"),
        15..=17 => "x".to_owned(),
        18 => " ".to_owned(),
        _ => rng
            .pick(&["<!--c-->", "&amp;", "\n", "&#x", "<!"])
            .to_owned(),
    }
}

fn best_of_two_ms(input: &str, options: &Options) -> f64 {
    (0..2)
        .map(|_| {
            let start = Instant::now();
            let rendered = article_render::render_with_options(input, options);
            std::hint::black_box(rendered.expect("valid options"));
            start.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let mut markdown = false;
    let mut seed = 1u64;
    let mut count = 300usize;
    let mut size = 100_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().and_then(|v| v.parse().ok());
        match arg.as_str() {
            "--markdown" => markdown = true,
            "--seed" => seed = value().expect("--seed S"),
            "--count" => count = value().expect("--count N") as usize,
            // (Markdown over 256 KB is parsed in chunks: `--size 300000`
            // compares chunked with chunked.)
            "--size" => size = value().expect("--size BYTES") as usize,
            _ => {
                eprintln!("usage: scan [--markdown] [--seed S] [--count N] [--size BYTES]");
                std::process::exit(2);
            }
        }
    }
    let options = Options {
        format: if markdown {
            Format::Markdown
        } else {
            Format::Html
        },
        ..Default::default()
    };
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let token = |rng: &mut Rng| match markdown {
        true => rng.pick(MARKDOWN).to_owned(),
        false => html_token(rng),
    };
    let mut found = 0;
    for _ in 0..count {
        let prefix: String = (0..rng.below(4)).map(|_| token(&mut rng)).collect();
        let pattern: String = (0..1 + rng.below(5)).map(|_| token(&mut rng)).collect();
        let sized = |bytes: usize| format!("{prefix}{}", pattern.repeat(bytes / pattern.len()));
        let small = best_of_two_ms(&sized(size), &options);
        let large = best_of_two_ms(&sized(4 * size), &options);
        if large > 50.0 && large / small.max(1.0) > 8.0 {
            found += 1;
            println!(
                "{:>6.1} ms → {large:>7.1} ms  {prefix:?} + {pattern:?}×n",
                small
            );
        }
    }
    eprintln!("{count} patterns, seed {seed}: {found} grew faster than their size");
}
