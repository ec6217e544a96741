//! `render_with_options` over arbitrary bytes and arbitrary options: it never
//! panics, an invalid option is an error and nothing else, and the result
//! passes the same safety check as the attack corpus. The sanitizer alone is
//! checked on the raw input too: its output is safe and cleaning it again
//! changes nothing. Rendered with the body cut at every split point, the
//! result is the same; parsed in chunks, and with no attribute cut before
//! the parser, too. And the bytes, read as an article of prose words and
//! unclosed raw-text tags, lose no word.
//!
//! Input layout (shared with `tests/fuzz_regressions.rs`): the first
//! `fuzz_input::HEADER` bytes choose the options, the rest is the article.

#![no_main]

#[path = "../../tests/common/fuzz_input.rs"]
mod fuzz_input;
#[path = "../../tests/common/safety.rs"]
mod safety;
#[path = "../../tests/common/text_kept.rs"]
mod text_kept;

use article_render::{
    __chunks, __pieces, __trim, ImagePolicy, Options, render_full_path, render_with_options, sanitize_html,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (options, source) = fuzz_input::split(data);
    let Ok(rendered) = render_with_options(&source, &options) else {
        // Only options can be invalid, and then sanitizing refuses them too.
        assert!(sanitize_html("", &options).is_err(), "{options:?}");
        return;
    };
    let problems = safety::check_rendered(&rendered, &options);
    assert!(problems.is_empty(), "unsafe output: {problems:#?}");
    let full = render_full_path(&source, &options).expect("the options are valid");
    assert!(rendered == full, "the fast path differs from the full path");
    // A big body is sanitized in pieces (`src/html/guard/split.rs`): cut at
    // every split point it has, it must render the same.
    __pieces::set(0, 1);
    let cut = render_full_path(&source, &options).expect("the options are valid");
    __pieces::reset();
    assert!(cut == full, "cut into pieces, the render differs");
    // A big Markdown source is parsed in chunks (`src/markdown/chunks.rs`):
    // cut at every line the rule allows, on either path, it must render
    // the same.
    __chunks::set(0, 0);
    let chunked = render_with_options(&source, &options).expect("the options are valid");
    let chunked_full = render_full_path(&source, &options).expect("the options are valid");
    __chunks::reset();
    assert!(chunked == full, "parsed in chunks, the render differs");
    assert!(chunked_full == full, "parsed in chunks, the full path's render differs");
    // A raw-HTML body loses the attributes the policy drops before it is
    // parsed (`src/html/guard/trim.rs`): kept as written, it must render the
    // same.
    __trim::set_off(true);
    let written = render_full_path(&source, &options).expect("the options are valid");
    __trim::set_off(false);
    assert!(written == full, "with its attributes as written, the render differs");

    // The same bytes as an article of prose words and unclosed raw-text
    // tags (`tests/common/text_kept.rs`): no word may be lost.
    let choices = &data[fuzz_input::HEADER.min(data.len())..];
    let (article, words) = text_kept::article(&choices[..choices.len().min(256)]);
    let lost = text_kept::lost(&article, &words, &options);
    assert!(lost.is_empty(), "lost {lost:?} of {article:?}");

    if source.len() > fuzz_input::RAW_SANITIZE_LIMIT {
        return;
    }
    // `sanitize_html` is the policy alone: it does not move images to
    // `data-src`, whatever `images` says.
    let options = Options {
        images: ImagePolicy::Load,
        ..options
    };
    let once = sanitize_html(&source, &options).expect("the options are valid");
    __trim::set_off(true);
    let written = sanitize_html(&source, &options).expect("the options are valid");
    __trim::set_off(false);
    assert_eq!(once, written, "with its attributes as written, sanitizing differs");
    let problems = safety::check_html(&once, &options);
    assert!(problems.is_empty(), "unsafe sanitized HTML: {problems:#?}");
    let twice = sanitize_html(&once, &options).expect("the options are valid");
    assert_eq!(once, twice, "sanitizing twice changes the HTML");
});
