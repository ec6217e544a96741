//! How the fuzz target reads its bytes, shared with the regression test so
//! that a crash file found by the fuzzer replays exactly.
//!
//! The first [`HEADER`] bytes choose the options (through `arbitrary`), the
//! rest is the article, read as UTF-8 with invalid bytes replaced. A header
//! of zero bytes is `Options::default()`, so a seed is `HEADER` zeros
//! followed by an article file.

#![allow(dead_code)]

use arbitrary::Unstructured;
use article_render::{Embeds, Format, ImagePolicy, MathOption, Options, Templates};

/// Bytes of options before the article.
pub const HEADER: usize = 17;

/// Largest article also given to `sanitize_html` raw. Unlike `render`,
/// `sanitize_html` does not flatten deep nesting first, and html5ever's
/// tree builder takes time quadratic in the depth (13,000 nested `<div>`
/// take 0.4 s), which would only make the fuzzer report that again and
/// again.
pub const RAW_SANITIZE_LIMIT: usize = 8 * 1024;

/// The options and the article that `data` stands for.
pub fn split(data: &[u8]) -> (Options, String) {
    let (header, body) = data.split_at(data.len().min(HEADER));
    let options = options(&mut Unstructured::new(header)).unwrap_or_default();
    (options, String::from_utf8_lossy(body).into_owned())
}

/// `byte` ^ default: a zero byte keeps the default.
fn flip(u: &mut Unstructured, default: bool) -> arbitrary::Result<bool> {
    Ok(u.arbitrary::<bool>()? != default)
}

/// Options from bytes, each choice's first value the default. Some choices
/// are invalid on purpose (a `javascript:` base, an empty prefix or one with a space, a
/// zero byte limit): they must come back as an error, never a panic.
/// Fields are set one by one on the defaults, so that an option added later
/// is fuzzed at its default until it is added here.
fn options(u: &mut Unstructured) -> arbitrary::Result<Options> {
    let mut o = Options::default();
    o.format = *u.choose(&[Format::Auto, Format::Markdown, Format::Html])?;
    o.file_name = u
        .choose(&[
            None,
            Some("post.md"),
            Some("post.html"),
            Some("a.HTM"),
            Some(""),
        ])?
        .map(str::to_owned);
    o.base_url = u
        .choose(&[
            None,
            Some("https://blog.example/posts/a/"),
            Some("http://127.0.0.1:8080/x/y?q#f"),
            Some("https://例え.jp/記事/"),
            Some("javascript:alert(1)//"),
            Some("relative/base/"),
        ])?
        .map(str::to_owned);
    o.images = *u.choose(&[ImagePolicy::Load, ImagePolicy::Block])?;
    o.heading_ids = flip(u, o.heading_ids)?;
    o.id_prefix = u
        .choose(&["user-content-", "", "a-", "x_", "Z9", "bad prefix!"])?
        .to_string();
    o.excerpt_length = *u.choose(&[200, 0, 1, 7, 100_000])?;
    o.max_input_bytes = *u.choose(&[32 * 1024 * 1024, 64, 1, 0])?;
    o.templates = *u.choose(&[Templates::Render, Templates::Text])?;
    let m = &mut o.markdown;
    m.tables = flip(u, m.tables)?;
    m.footnotes = flip(u, m.footnotes)?;
    m.strikethrough = flip(u, m.strikethrough)?;
    m.task_lists = flip(u, m.task_lists)?;
    m.heading_attributes = flip(u, m.heading_attributes)?;
    m.alerts = flip(u, m.alerts)?;
    m.math = *u.choose(&[MathOption::Auto, MathOption::On, MathOption::Off])?;
    m.smart_punctuation = flip(u, m.smart_punctuation)?;
    // Last, so that the options of older fuzz findings replay as they were.
    o.embeds = *u.choose(&[Embeds::Link, Embeds::Drop])?;
    Ok(o)
}

#[test]
fn zero_header_is_the_default() {
    let mut data = vec![0; HEADER];
    data.extend_from_slice(b"# Hi");
    let (options, source) = split(&data);
    assert_eq!(options, Options::default(), "zeros choose every default");
    assert_eq!(source, "# Hi", "the rest is the article");
}
