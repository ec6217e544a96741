//! Every real article file of `../shared/corpus` renders: no panic, titles
//! and dates found, and no feed post showing its HTML as a code block.
//! Skips, saying so, when the corpus is not there.

use std::collections::BTreeMap;
use std::fs;

use article_render::templates::{self, Tally};
use article_render::{Options, render_with_options};

#[path = "common/corpus.rs"]
mod corpus;
use corpus::{dir as corpus_dir, files};

/// Front-matter keys of a file as a plain look at its text: `key:` or `key =`
/// at the start of a line, before the second fence line.
fn has_key(source: &str, key: &str) -> bool {
    let mut fences = 0;
    let front = source.lines().take_while(|line| {
        if matches!(line.trim_end(), "---" | "+++" | ";;;" | "}") {
            fences += 1;
        }
        fences < 2
    });
    front.into_iter().any(|line| {
        let line = line.trim_start_matches('\u{FEFF}');
        line.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with([':', '=']))
            || line.trim_start().starts_with(&format!("\"{key}\""))
    })
}

#[test]
fn corpus_renders() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!("skipping the corpus test: {} does not exist", dir.display());
        return;
    }
    let mut codes: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut formats: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let files = files(&dir);
    for path in &files {
        let bytes = fs::read(path).expect("corpus files are readable");
        let source = String::from_utf8_lossy(&bytes);
        let name = path.strip_prefix(&dir).unwrap().display().to_string();
        let class = name.split('/').next().unwrap_or("").to_owned();
        let options = Options {
            file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
            ..Options::default()
        };
        let rendered = render_with_options(&source, &options).expect("default options are valid");
        for d in &rendered.diagnostics {
            *codes.entry(d.code).or_default() += 1;
        }
        *formats
            .entry(format!(
                "{class} {:?}/{:?}",
                rendered.front_matter.format, rendered.body_format
            ))
            .or_default() += 1;
        if has_key(&source, "title") && rendered.meta.title.is_none() {
            failures.push(format!("{name}: has a title but meta.title is empty"));
        }
        let date_diagnostic = rendered.diagnostics.iter().any(|d| d.code.contains("date"));
        if has_key(&source, "date") && rendered.meta.date.is_none() && !date_diagnostic {
            failures.push(format!(
                "{name}: has a date but neither meta.date nor a date diagnostic"
            ));
        }
        if class == "feed" && rendered.html.contains("<code>") && rendered.html.contains("&lt;") {
            let code_with_markup = rendered.html.split("<code").skip(1).any(|code| {
                code.split("</code>")
                    .next()
                    .is_some_and(|c| c.contains("&lt;"))
            });
            if code_with_markup {
                failures.push(format!("{name}: a feed post shows markup in a code block"));
            }
        }
    }
    println!("corpus: {} files", files.len());
    for (format, count) in &formats {
        println!("  {count:4}  {format}");
    }
    println!("diagnostics by code:");
    for (code, count) in &codes {
        println!("  {count:5}  {code}");
    }
    assert!(files.len() > 100, "the corpus has its files");
    assert!(
        failures.is_empty(),
        "every corpus file renders right, but:\n{}",
        failures.join("\n")
    );
}

/// The body of a file as the library sees it: after the front matter, with
/// line ends normalized. Good enough to count template tags in.
fn body_of(source: &str, raw_front_matter: Option<&str>) -> String {
    let text = source
        .trim_start_matches('\u{FEFF}')
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let Some(raw) = raw_front_matter.filter(|raw| !raw.is_empty()) else {
        return text;
    };
    match text.find(raw) {
        // Skip the rest of the front matter's last line and the closing fence.
        Some(at) => {
            let after = &text[at + raw.len()..];
            let fence_end = after
                .trim_start_matches([' ', '\t'])
                .strip_prefix('\n')
                .unwrap_or(after);
            fence_end
                .split_once('\n')
                .map_or("", |(_, body)| body)
                .to_owned()
        }
        None => text,
    }
}

/// The HTML without the content of its `<code>` elements.
fn outside_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<code") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("</code>")
            .map_or("", |end| &rest[start + end + "</code>".len()..]);
    }
    out.push_str(rest);
    out
}

#[test]
fn corpus_template_tags() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!(
            "skipping the corpus template test: {} does not exist",
            dir.display()
        );
        return;
    }
    let mut tallies: BTreeMap<String, (Tally, Tally)> = BTreeMap::new();
    let mut failures = Vec::new();
    for path in files(&dir) {
        let source = String::from_utf8_lossy(&fs::read(&path).expect("corpus files are readable"))
            .into_owned();
        let name = path.strip_prefix(&dir).unwrap().display().to_string();
        let class = name.split('/').next().unwrap_or("").to_owned();
        let options = Options {
            file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
            ..Options::default()
        };
        let rendered = render_with_options(&source, &options).expect("default options are valid");
        let body = body_of(&source, rendered.front_matter.raw.as_deref());
        let summary = templates::summarize(&body, rendered.body_format);
        let (liquid, hugo) = tallies.entry(class).or_default();
        for (total, one) in [(liquid, summary.liquid), (hugo, summary.hugo)] {
            total.rendered += one.rendered;
            total.placeholders += one.placeholders;
            total.text += one.text;
        }
        let visible = outside_code(&rendered.html);
        for literal in [
            "{% note",
            "{%note",
            "{{< figure",
            "{{&lt; figure",
            "{{&lt;figure",
        ] {
            if visible.contains(literal) {
                failures.push(format!("{name}: the HTML shows `{literal}` outside code"));
            }
        }
    }
    println!("template constructs: rendered / placeholder / left as text");
    for (class, (liquid, hugo)) in &tallies {
        println!(
            "  {class:6} {{% %}}: {:5} / {:4} / {:4}    {{{{< >}}}} {{{{% %}}}}: {:4} / {:4} / {:4}",
            liquid.rendered,
            liquid.placeholders,
            liquid.text,
            hugo.rendered,
            hugo.placeholders,
            hugo.text
        );
    }
    let rendered: usize = tallies
        .values()
        .map(|(liquid, hugo)| liquid.rendered + hugo.rendered)
        .sum();
    assert!(
        rendered > 500,
        "the corpus's Hexo and Hugo posts have hundreds of template tags to render, but only {rendered} were"
    );
    assert!(
        failures.is_empty(),
        "no corpus file shows a note or figure tag as text, but:\n{}",
        failures.join("\n")
    );
}
