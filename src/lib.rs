//! # article-render
//!
//! Renders an untrusted article file — front matter plus a Markdown or
//! raw-HTML body, as Hexo, Jekyll, Hugo, Zola and feed bots write them — into
//! safe HTML and clean metadata.
//!
//! ```
//! let rendered = article_render::render("---\ntitle: Hello &amp; welcome\n---\n# Hi\n\nText<script>x()</script>");
//! assert_eq!(rendered.meta.title.as_deref(), Some("Hello & welcome"));
//! assert_eq!(rendered.html, "<h1 id=\"user-content-hi\">Hi</h1>\n<p>Text</p>\n");
//! ```
//!
//! The pipeline is [`render_with_options`], one call per stage, each stage a
//! module named for what it does.
//!
//! The work of a stage most articles skip (Liquid, template tags, kramdown's
//! and goldmark's syntax, math delimiters, unclosed raw text, a big
//! document's chunks) is `#[inline(never)]` behind the stage's cheap check:
//! V8 compiles a wasm function whole at its first call, so code inlined into
//! the pipeline was compiled on the first render of every article, needed or
//! not (bench/COLD.md).

#![forbid(unsafe_code)]

// `--cfg ammonia_unstable` (set by .cargo/config.toml) makes the sanitizer
// write ammonia's tree itself, in linear time; without it (a dependent
// crate, docs.rs) it reads ammonia's stable output with identical results.
// See src/html/walk.rs and `Policy::pass` in src/sanitize.rs.

mod alerts;
mod attributes;
mod autolink;
pub mod date;
#[cfg(feature = "cli")]
pub mod decode;
mod detect;
pub mod diagnostics;
mod dialect;
mod embed;
pub mod excerpt;
mod extensions;
mod find;
mod front_matter;
mod html;
mod input;
mod kramdown;
mod liquid;
mod markdown;
mod meta;
mod meta_safety;
mod options;
mod outline;
mod raw_text;
mod rendered;
mod reparse;
mod rewrite;
pub mod safe_url;
mod sanitize;
mod scan;
mod serialize;
mod slug;
pub mod stats;
pub mod templates;
pub mod text;
mod translit;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
mod yaml;

pub use options::{
    Embeds, Format, GeneratorOption, ImagePolicy, MarkdownOptions, MathOption, Options,
    OptionsError, Templates,
};
pub use rendered::{
    BodyFormat, Diagnostic, FrontMatterFormat, FrontMatterInfo, Generator, Image, Meta, Rendered,
    Severity, Stats, TocEntry,
};

use html::guard;

#[doc(hidden)]
pub use html::guard::timing as __guard_timing;
#[doc(hidden)]
pub use html::guard::trim::counts as __trim;
#[doc(hidden)]
pub use markdown::chunks::sizes as __chunks;
use rendered::Diagnostics;
#[doc(hidden)]
pub use sanitize::pieces as __pieces;
use std::borrow::Cow;

/// Renders an article with the default options, which are safe and right for
/// real-world files. Never panics; problems in the input are in
/// `diagnostics`.
pub fn render(source: &str) -> Rendered {
    render_with_options(source, &Options::default()).expect("the default options are valid")
}

/// Renders an article. The only error is an invalid option; whatever the
/// source holds, the result is a [`Rendered`] whose diagnostics say what
/// happened.
///
/// ```
/// use article_render::{render_with_options, Options, Format};
/// let options = Options { format: Format::Html, ..Options::default() };
/// let rendered = render_with_options("<p onclick=x()>Hi</p>", &options).unwrap();
/// assert_eq!(rendered.html, "<p>Hi</p>");
/// assert_eq!(rendered.diagnostics[0].code, "sanitize.removed-event-handler");
/// ```
pub fn render_with_options(source: &str, options: &Options) -> Result<Rendered, OptionsError> {
    render_on(source, options, true).map(|(rendered, _)| rendered)
}

/// [`render_with_options`] on the full path alone (no Markdown fast path):
/// the oracle the fast path is tested against.
#[doc(hidden)]
pub fn render_full_path(source: &str, options: &Options) -> Result<Rendered, OptionsError> {
    render_on(source, options, false).map(|(rendered, _)| rendered)
}

/// [`render_with_options`], and whether the Markdown fast path took the
/// article (for the tests that check it is taken).
#[doc(hidden)]
pub fn render_saying_path(
    source: &str,
    options: &Options,
) -> Result<(Rendered, bool), OptionsError> {
    render_on(source, options, true)
}

/// The pipeline; `fast` allows the Markdown fast path. Also says whether
/// it was taken.
fn render_on(
    source: &str,
    options: &Options,
    fast: bool,
) -> Result<(Rendered, bool), OptionsError> {
    options.validate()?;
    if source.len() > options.max_input_bytes {
        return Ok((too_large(source.len(), options.max_input_bytes), false));
    }
    let base = options
        .base_url
        .as_deref()
        .and_then(|b| safe_url::parse_base(b).ok());
    let mut diagnostics = Diagnostics::default();

    let text = input::normalize(source, &mut diagnostics);
    let split = front_matter::split(&text, &mut diagnostics);
    let generator = dialect::detect(
        options.generator,
        options.file_name.as_deref(),
        &split,
        &mut diagnostics,
    );
    let math = markdown::math(options.markdown.math, &split.data, generator);
    let raw = split.raw.zip(split.line);
    // Jekyll's Liquid reads the front matter as written, beside `meta`.
    let jekyll = generator == Generator::Jekyll && options.templates == Templates::Render;
    let front_matter = jekyll.then(|| split.data.clone());
    let source = meta::Source {
        raw,
        file_name: options.file_name.as_deref(),
        generator,
    };
    let mut meta = meta::normalize(split.data, base.as_ref(), source, &mut diagnostics);
    meta_safety::clean_extra(&mut meta.extra, raw, &mut diagnostics);
    let format = detect::body_format(&split.body, split.body_line, options, &mut diagnostics);
    let liquid = front_matter.map(|front_matter| {
        let data = liquid::Data::new(&front_matter, &meta, base.as_ref());
        liquid::evaluate(
            &split.body,
            format,
            &data,
            split.body_line,
            &mut diagnostics,
        )
    });
    // Diagnostics from here on are found in the evaluated body.
    let evaluated_from = diagnostics.0.len();
    let expanded = templates::expand(
        liquid
            .as_ref()
            .map_or(&split.body, |evaluated| &evaluated.body),
        format,
        options.templates,
        generator,
        base.as_ref(),
        split.body_line,
        &mut diagnostics,
    );
    let settings = outline::Settings::new(options, generator);
    // Fed by the Markdown fast path when it takes the body.
    let mut outline = outline::Outline::new(&settings);
    let fast_settings = markdown::fast::Settings {
        id_prefix: &options.id_prefix,
        base: base.as_ref(),
        generated: &expanded.generated,
    };
    let fast = fast.then_some((&fast_settings, &mut outline as &mut dyn html::walk::Visitor));
    let body = body_to_html(
        &expanded.body,
        format,
        generator,
        (&options.markdown, math, options.embeds),
        fast,
        split.body_line,
        &mut diagnostics,
    );
    let took_fast_path = matches!(body, Body::Safe(_));
    let analysis = match body {
        // Markdown whose only raw HTML is comments, written safe from its
        // events, the outline read along.
        Body::Safe(html) => outline.finish(html),
        Body::Unsafe(html, depth) => {
            // What the fast path read before it declined, if it tried.
            drop(outline);
            // Limited where the guard's audit found the body over a limit,
            // then sanitized; the outline is read as the sanitizer writes
            // its output, then finished.
            let (clean, outline) = sanitize::Policy::get(&options.id_prefix, base.as_ref())
                .clean_guarded(
                    html,
                    depth,
                    || outline::Outline::new(&settings),
                    &mut diagnostics,
                );
            outline.finish(clean)
        }
    };
    if let Some(evaluated) = &liquid {
        evaluated.map_lines(&mut diagnostics, evaluated_from, split.body_line);
    }
    if let Some(heading) = &analysis.untransliterated {
        let heading: String = heading.chars().take(60).collect();
        diagnostics.warn(
            "outline.not-transliterated",
            format!(
                "Zola writes heading ids in ASCII, transliterating letters such as those of the heading \"{heading}\"; the transliterator is not loaded (call loadTransliterator() first), so such ids keep their letters and Zola's links to them do not resolve"
            ),
            None,
        );
    }

    let rendered = Rendered {
        generator,
        front_matter: FrontMatterInfo {
            format: split.format,
            raw: split.raw.map(str::to_owned),
        },
        body_format: format,
        stats: stats::count(&analysis.text, analysis.images.len(), analysis.links),
        excerpt: excerpt::excerpt(
            &analysis.text,
            analysis.more_at,
            analysis.notes_at,
            &analysis.code,
            options.excerpt_length,
        ),
        html: analysis.html,
        toc: analysis.toc,
        images: analysis.images,
        meta,
        diagnostics: diagnostics.0,
    };
    Ok((rendered, took_fast_path))
}

/// A body as HTML: already safe (the Markdown fast path), or still to be
/// limited and sanitized, with how it nests.
enum Body<'a> {
    Safe(String),
    Unsafe(Cow<'a, str>, guard::Nesting),
}

/// The body as HTML, not yet safe: Markdown rendered, or raw HTML with its
/// `<!-- more -->` marked; and its audit (what the sanitizer will remove, at
/// the file's lines), which returns how it nests. Or, for Markdown the fast
/// path takes (when `fast` allows it), the safe HTML.
fn body_to_html<'b>(
    body: &'b str,
    format: BodyFormat,
    generator: Generator,
    (markdown, math, embeds): (&MarkdownOptions, markdown::Math, Embeds),
    fast: Option<(&markdown::fast::Settings, &mut dyn html::walk::Visitor)>,
    first_line: usize,
    diagnostics: &mut Diagnostics,
) -> Body<'b> {
    match format {
        BodyFormat::Markdown => {
            let mut rendered = markdown::render(body, markdown, generator, math, fast);
            rendered.report(first_line, diagnostics);
            let safe = rendered.safe.take();
            // The audit reads the tags alone (see `markdown::Html::tags`),
            // which hold the same iframes as the HTML, in the same order.
            let line = |tags_line| rendered.source_line(tags_line).map(|l| first_line + l);
            if let Some(safe) = safe {
                // Only its report of unsafe URLs, when there were any.
                if !rendered.tags.is_empty() {
                    guard::audit(&rendered.tags, line, diagnostics);
                }
                return Body::Safe(safe);
            }
            let tags = embed::replace_iframes(&rendered.tags, embeds, line, Some(diagnostics));
            let depth = guard::audit(&tags, line, diagnostics);
            let replaced = match embed::replace_iframes(&rendered.html, embeds, |_| None, None) {
                Cow::Borrowed(_) => None,
                Cow::Owned(replaced) => Some(replaced),
            };
            // The HTML itself, not a copy, when no iframe was replaced.
            let html = replaced.unwrap_or_else(|| std::mem::take(&mut rendered.html));
            Body::Unsafe(Cow::Owned(html), depth)
        }
        BodyFormat::Html => {
            // Each step borrows the body until it changes something: real
            // bodies rarely need to, and each copy is the body's size.
            let html = excerpt::mark_more(body);
            let html = match raw_text::escape_html_body(&html, first_line, diagnostics) {
                Cow::Borrowed(_) => html,
                Cow::Owned(escaped) => Cow::Owned(escaped),
            };
            let line = |html_line| Some(first_line + html_line as usize - 1);
            let html = match embed::replace_iframes(&html, embeds, line, Some(diagnostics)) {
                Cow::Borrowed(_) => html,
                Cow::Owned(replaced) => Cow::Owned(replaced),
            };
            let (html, depth) = guard::audit_body(html, line, diagnostics);
            Body::Unsafe(html, depth)
        }
    }
}

/// Sanitizes an HTML fragment with the article policy alone (no front
/// matter, no Markdown, no outline): what `render` does to every body.
/// Applying it to `Rendered::html` changes nothing.
///
/// ```
/// let options = article_render::Options::default();
/// let clean = article_render::sanitize_html("<a href=javascript:x() onclick=y()>hi</a>", &options).unwrap();
/// assert_eq!(clean, r#"<a rel="noopener noreferrer">hi</a>"#);
/// ```
pub fn sanitize_html(html: &str, options: &Options) -> Result<String, OptionsError> {
    options.validate()?;
    let base = options
        .base_url
        .as_deref()
        .and_then(|b| safe_url::parse_base(b).ok());
    // What `render` does before cleaning, for the same reason: a document
    // nested thousands deep would take quadratic time to parse.
    let mut ignored = Diagnostics::default();
    let (html, depth) = guard::audit_body(Cow::Borrowed(html), |_| None, &mut ignored);
    let policy = sanitize::Policy::get(&options.id_prefix, base.as_ref());
    Ok(policy.clean_guarded(html, depth, || (), &mut ignored).0)
}

/// An input over `maxInputBytes` is not looked at: one error, nothing else.
fn too_large(len: usize, limit: usize) -> Rendered {
    let mut diagnostics = Diagnostics::default();
    diagnostics.error(
        "input.too-large",
        format!("The article is {len} bytes, over the limit of {limit} bytes (`maxInputBytes`); it was not rendered."),
        None,
    );
    Rendered {
        diagnostics: diagnostics.0,
        ..Rendered::default()
    }
}

/// The files the tests hold, for unit tests that check a stage against all
/// of them.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod test_files {
    /// Every file in these folders of `tests/`, attack files split into
    /// their cases (`\n=== ` starts each).
    pub fn read(folders: &[&str]) -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
        let mut sources = Vec::new();
        for folder in folders {
            for entry in std::fs::read_dir(root.join(folder)).expect("the test folders") {
                let bytes = std::fs::read(entry.expect("an entry").path()).expect("a file");
                let text = String::from_utf8_lossy(&bytes).into_owned();
                sources.extend(text.split("\n=== ").map(str::to_owned));
            }
        }
        sources
    }

    /// Every file below `folder` of `../shared` (`corpus`, `seed`), when it
    /// is there; none otherwise.
    pub fn shared(folder: &str) -> Vec<String> {
        fn walk(dir: &std::path::Path, files: &mut Vec<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, files);
                } else if let Ok(bytes) = std::fs::read(&path) {
                    files.push(String::from_utf8_lossy(&bytes).into_owned());
                }
            }
        }
        let mut files = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
        walk(&root.join(folder), &mut files);
        files
    }
}

#[cfg(test)]
mod tests {
    /// The warning about a table left short points at the file's line, front
    /// matter included, and the page still gets every cell's text.
    #[test]
    fn an_unfilled_table_is_reported_at_its_line_in_the_file() {
        let rows = "| x |\n".repeat(200);
        let source = format!(
            "---\ntitle: t\n---\n{}|\n{}|\n{rows}",
            "|h".repeat(1000),
            "|-".repeat(1000)
        );
        let rendered = crate::render(&source);
        let warning = rendered
            .diagnostics
            .iter()
            .find(|d| d.code == "markdown.table-cells-not-filled")
            .expect("a warning");
        // Each row misses 999 cells. The table's 5,202 bytes and the shared
        // 65,536 fill in 70 rows; the 71st, on line 72 of the body (from 0),
        // which starts on line 4 of the file, is the first left short.
        assert_eq!(warning.line, Some(4 + 72), "{warning:?}");
        assert_eq!(rendered.html.matches("<td>x</td>").count(), 200);
        assert!(rendered.html.len() < 1_000_000, "{}", rendered.html.len());
    }

    /// An `<a>` start tag closes the open link, so links left unclosed are
    /// side by side, however many; links inside elements that do nest are
    /// still flattened past the limit.
    #[test]
    fn unclosed_links_are_siblings_not_nesting() {
        let options = crate::Options {
            format: crate::Format::Html,
            ..crate::Options::default()
        };
        let links: String = (0..1000)
            .map(|i| format!("<a href=\"/{i}\">x{i}"))
            .collect();
        let rendered = crate::render_with_options(&links, &options).unwrap();
        for i in 0..1000 {
            assert!(
                rendered.html.contains(&format!(
                    r#"<a href="/{i}" rel="noopener noreferrer">x{i}</a>"#
                )),
                "link {i} is kept"
            );
        }
        assert_eq!(rendered.html.matches("<a ").count(), 1000);
        assert!(
            rendered
                .diagnostics
                .iter()
                .all(|d| d.code != "input.too-deep"),
            "{:?}",
            rendered.diagnostics
        );

        let nested: String = (0..1000)
            .map(|i| format!("<div><a href=\"/{i}\">x{i}"))
            .collect();
        let rendered = crate::render_with_options(&nested, &options).unwrap();
        assert!(
            rendered.html.matches("<div>").count() <= 256,
            "a thousand divs, each holding the next, are flattened"
        );
        assert!(rendered.html.contains("x999"), "with their text kept");
        assert!(
            rendered
                .diagnostics
                .iter()
                .any(|d| d.code == "input.too-deep"),
            "{:?}",
            rendered.diagnostics
        );
    }

    /// `sanitize_html` limits nesting as `render` does: 100,000 nested
    /// elements take milliseconds, not minutes, and keep their text.
    #[test]
    fn sanitize_html_flattens_deep_nesting() {
        let deep = format!(
            "{}text{}",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let clean = crate::sanitize_html(&deep, &crate::Options::default()).unwrap();
        assert!(clean.contains("text"));
        assert!(clean.matches("<div>").count() <= 256, "flattened");
    }
}
