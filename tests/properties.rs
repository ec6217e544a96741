//! Properties that hold for any input: render never panics, the output is a
//! fixed point of the sanitizer, every URL it returns is safe, and the HTML
//! passes the safety check of the attack corpus (`tests/common/safety.rs`:
//! the HTML parsed as a browser parses it, then every element, attribute
//! and URL of the tree checked).

#![cfg(not(target_arch = "wasm32"))]

#[path = "common/safety.rs"]
mod safety;

use article_render::safe_url::{Context, safe};
use article_render::{Format, GeneratorOption, Options, render_with_options, sanitize_html};
use proptest::prelude::*;

/// Pieces that real and hostile articles are made of, so that random
/// strings reach the interesting parts of every stage.
fn article() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("---\n".to_owned()),
        Just("+++\n".to_owned()),
        Just(";;;\n".to_owned()),
        Just("title: x\n".to_owned()),
        Just("cover: javascript:alert(1)\n".to_owned()),
        Just("date: Mon, 19 Jul 2021 11:24:48 GMT\n".to_owned()),
        Just("a: &x [1, *x]\n".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("    ".to_owned()),
        Just("<div>".to_owned()),
        Just("</div>".to_owned()),
        Just("<script>alert(1)</script>".to_owned()),
        Just("<img src=x onerror=alert(1)>".to_owned()),
        Just("<a href=\"java&#x09;script:x\">".to_owned()),
        Just("<svg><style><img src=x onerror=y>".to_owned()),
        Just("<!-- more -->".to_owned()),
        Just("&#123;".to_owned()),
        Just("# 七是加强素质能力建设\n".to_owned()),
        Just("## Heading {#id .cls}\n".to_owned()),
        Just("[^1]".to_owned()),
        Just("[^1]: note\n".to_owned()),
        Just("| a | b |\n|---|---|\n".to_owned()),
        Just("```\n".to_owned()),
        Just("> [!NOTE]\n".to_owned()),
        Just("> [!tip]- Folded *title*\n".to_owned()),
        Just("{: .prompt-tip #x onclick=\"y()\" }\n".to_owned()),
        Just("{:ref: .notice ref}\n{: ref}\n".to_owned()),
        Just("{.c #i title=t}\n".to_owned()),
        Just("*e*{: .c}![i](a.png){: w=\"9\" src=\"javascript:x\"}".to_owned()),
        Just("<div class=\"notice\" markdown=\"1\">\n".to_owned()),
        Just("|---+---|\n|===\n".to_owned()),
        Just("Term\n: definition\n".to_owned()),
        Just("$x$".to_owned()),
        Just("[x](javascript:alert(1))".to_owned()),
        Just("![i](data:text/html,x)".to_owned()),
        Just("\0".to_owned()),
        Just("\u{FEFF}".to_owned()),
        "[a-z<>/=\"'&#;*\\[\\]` \n]{0,12}",
        "\\PC{0,6}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn options() -> impl Strategy<Value = Options> {
    (
        prop_oneof![
            Just(Format::Auto),
            Just(Format::Markdown),
            Just(Format::Html)
        ],
        any::<bool>(),
        any::<bool>(),
        prop_oneof![Just(None), Just(Some("https://blog.example/p/".to_owned()))],
        prop_oneof![
            Just(GeneratorOption::Auto),
            Just(GeneratorOption::Jekyll),
            Just(GeneratorOption::Hugo),
            Just(GeneratorOption::None)
        ],
    )
        .prop_map(
            |(format, heading_ids, block, base_url, generator)| Options {
                format,
                generator,
                heading_ids,
                base_url,
                images: if block {
                    article_render::ImagePolicy::Block
                } else {
                    article_render::ImagePolicy::Load
                },
                ..Options::default()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn output_is_safe_and_stable(source in article(), options in options()) {
        let rendered = render_with_options(&source, &options).expect("valid options");
        let again = sanitize_html(&rendered.html, &options).expect("valid options");
        prop_assert_eq!(&again, &rendered.html, "sanitizing the output again changes nothing");
        for url in rendered.meta.cover.iter().chain(&rendered.meta.thumbnail) {
            prop_assert!(safe(url, Context::Image).is_some(), "meta URL {} is safe", url);
        }
        for image in &rendered.images {
            prop_assert!(safe(&image.src, Context::Image).is_some(), "image {} is safe", image.src);
        }
        // Read as a tree, as a browser reads it: an `onclick` inside a
        // quoted value is text, a handler hidden by quoting is still found.
        let problems = safety::check_html(&rendered.html, &options);
        prop_assert!(problems.is_empty(), "unsafe output: {:#?}", problems);
    }
}

/// The checker reads attributes from the tree, not from the string: a
/// handler's name inside a quoted value is text and passes; a real handler,
/// however it is quoted, fails.
#[test]
fn the_checker_reads_attributes_from_the_tree() {
    let options = Options::default();
    let safe_html = r#"<p title="a onclick=b">x</p>"#;
    assert_eq!(
        safety::check_html(safe_html, &options),
        Vec::<String>::new()
    );
    for unsafe_html in [
        r#"<p title="a" onclick="b">x</p>"#,
        r#"<p title='a'onclick="b">x</p>"#,
    ] {
        assert!(
            !safety::check_html(unsafe_html, &options).is_empty(),
            "{unsafe_html}"
        );
    }
}
