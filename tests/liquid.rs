//! Liquid read as Jekyll reads it leaves no `{{ … }}` or `{% … %}` as text
//! outside code: each is evaluated, or shown as a placeholder with its
//! diagnostic. Checked on the Jekyll fixtures and on every file of
//! `../shared/corpus` read as a Jekyll file (the corpus has Hexo tag
//! plugins, Hugo shortcodes and Vue examples: the hard cases for a Liquid
//! reader). The corpus part skips, saying so, when the corpus is not there.

use std::fs;
use std::path::Path;

#[path = "common/corpus.rs"]
mod corpus;
use corpus::files;

use article_render::{GeneratorOption, Options, Rendered, render_with_options};

/// `html` without what may hold Liquid legitimately: code, and the
/// placeholders. Returns the rest and how many placeholders there were.
fn outside_code_and_placeholders(html: &str) -> (String, usize) {
    let mut rest = html.to_owned();
    let mut placeholders = 0;
    for (open, close) in [
        ("<pre", "</pre>"),
        ("<code", "</code>"),
        ("<span class=\"template-tag\">", "</span>"),
    ] {
        let mut kept = String::with_capacity(rest.len());
        let mut text = rest.as_str();
        while let Some(at) = text.find(open) {
            kept.push_str(&text[..at]);
            if open.contains("template-tag") {
                placeholders += 1;
            }
            match text[at..].find(close) {
                Some(end) => text = &text[at + end + close.len()..],
                None => {
                    text = "";
                    break;
                }
            }
        }
        kept.push_str(text);
        rest = kept;
    }
    (rest, placeholders)
}

/// Each `{{ … }}` and `{% … %}` left in `text`, closed on the same line.
/// Hugo's shortcodes `{{% … %}}` and `{{< … >}}` (shown as text by Hugo's
/// escapes) are not Liquid.
fn leftovers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        for (open, close) in [("{{", "}}"), ("{%", "%}")] {
            let mut from = 0;
            while let Some(at) = line[from..].find(open) {
                let at = from + at;
                let after = &line[at + 2..];
                let hugo = (open == "{{"
                    && (after.starts_with('%')
                        || after.starts_with('<')
                        || after.starts_with("&lt;")))
                    || (open == "{%" && line[..at].ends_with('{'));
                match after.find(close) {
                    Some(end) => {
                        if !hugo {
                            found.push(line[at..at + 2 + end + 2].to_owned());
                        }
                        from = at + 2 + end + 2;
                    }
                    None => break,
                }
            }
        }
    }
    found
}

/// The source without the content of `{% raw %}` blocks: what is there is
/// the author's own text, shown as written on purpose.
fn without_raw(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(at) = rest.find("{% raw %}") {
        out.push_str(&rest[..at]);
        match rest[at..].find("{% endraw %}") {
            Some(end) => rest = &rest[at + end + "{% endraw %}".len()..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

fn as_jekyll(source: &str, file_name: &str) -> Rendered {
    let options = Options {
        generator: GeneratorOption::Jekyll,
        file_name: Some(file_name.to_owned()),
        ..Options::default()
    };
    render_with_options(source, &options).expect("valid options")
}

/// What is wrong with one rendered file, if anything.
fn problems(name: &str, rendered: &Rendered) -> Vec<String> {
    let (rest, placeholders) = outside_code_and_placeholders(&rendered.html);
    let mut problems = Vec::new();
    // The templates stage shows a tag it cannot pair as text, with a
    // diagnostic: that is the one leftover allowed.
    let shown_as_text = rendered.diagnostics.iter().any(|d| {
        matches!(
            d.code,
            "template.unclosed-tag" | "template.unmatched-tag" | "template.invalid-tag"
        )
    });
    let left: Vec<String> = leftovers(&rest)
        .into_iter()
        .filter(|l| !(shown_as_text && l.starts_with("{%")))
        .collect();
    if !left.is_empty() {
        problems.push(format!(
            "{name}: Liquid left as text: {:?}",
            &left[..left.len().min(5)]
        ));
    }
    let explained = rendered
        .diagnostics
        .iter()
        .any(|d| d.code.starts_with("liquid.") || d.code.starts_with("template."));
    if placeholders > 0 && !explained {
        problems.push(format!(
            "{name}: {placeholders} placeholders without a diagnostic"
        ));
    }
    problems
}

#[test]
fn jekyll_fixtures_leave_no_liquid_as_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in files(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("jekyll-") || !name.ends_with(".md") {
            continue;
        }
        let source = fs::read_to_string(&path).expect("a fixture");
        let rendered = as_jekyll(&without_raw(&source), &name);
        failures.extend(problems(&name, &rendered));
        checked += 1;
    }
    assert!(checked >= 3, "the Jekyll fixtures are there ({checked})");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_read_as_jekyll_leaves_no_liquid_as_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !dir.is_dir() {
        eprintln!("skipping: {} does not exist", dir.display());
        return;
    }
    let mut failures = Vec::new();
    let mut with_liquid = 0;
    let files = files(&dir);
    for path in &files {
        let name = path.strip_prefix(&dir).unwrap().display().to_string();
        let bytes = fs::read(path).expect("a corpus file");
        let source = String::from_utf8_lossy(&bytes);
        if source.contains("{{") || source.contains("{%") {
            with_liquid += 1;
        }
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        let rendered = as_jekyll(&without_raw(&source), &file_name);
        failures.extend(problems(&name, &rendered));
    }
    println!("{} corpus files, {with_liquid} with braces", files.len());
    assert!(files.len() > 100, "the corpus has its files");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The check can fail: Liquid left as text outside code is found, in code
/// and placeholders it is not.
#[test]
fn the_check_finds_leftovers() {
    let (rest, placeholders) = outside_code_and_placeholders(
        "<p>{{ a }} <code>{{ b }}</code> <span class=\"template-tag\">{% c %}</span></p><pre><code>{% d %}</code></pre>",
    );
    assert_eq!(leftovers(&rest), ["{{ a }}"]);
    assert!(leftovers("{{% notice %}} {{&lt; x &gt;}}").is_empty());
    assert_eq!(placeholders, 1);
}

/// Diagnostics found after Liquid ran point at the file's lines, though
/// the evaluated body has other lines: a comment of five lines is gone, a
/// loop wrote three lines from one, a capture printed nothing.
#[test]
fn later_diagnostics_keep_the_file_lines() {
    let source = "---\ntitle: Lines\nlayout: post\nitems: [a, b, c]\n---\nIntro {{ page.title }}.\n{% comment %}\none\ntwo\nthree\n{% endcomment %}\n{% for i in page.items %}\n- {{ i }}\n{% endfor %}\n{% capture x %}\nhidden\n{% endcapture %}\n<script>alert(1)</script>\n\nText <span onclick=\"x()\">here</span>.\n";
    let options = Options {
        generator: GeneratorOption::Jekyll,
        ..Options::default()
    };
    let rendered = render_with_options(source, &options).unwrap();
    let line_of = |code: &str| {
        rendered
            .diagnostics
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("{code}: {:?}", rendered.diagnostics))
            .line
    };
    let file_line = |needle: &str| {
        source
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
    };
    assert_eq!(line_of("sanitize.removed-element"), file_line("<script>"));
    assert_eq!(
        line_of("sanitize.removed-event-handler"),
        file_line("onclick")
    );
}
