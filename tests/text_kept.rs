//! No author's text is ever lost: the visible text of the output holds every
//! word of the input's prose that is not inside a removed element whose end
//! tag exists. A `<title>`, `<style>`, `<textarea>`… mentioned in prose has
//! no end tag, so it must not hide the words after it. The articles are
//! built by `common/text_kept.rs`, which the fuzz target uses too.

#![cfg(not(target_arch = "wasm32"))]

#[path = "common/text_kept.rs"]
mod text_kept;

use article_render::{Format, Options};
use proptest::prelude::*;

fn in_format(format: Format) -> Options {
    Options {
        format,
        ..Options::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_word_of_the_prose_is_shown(choices in proptest::collection::vec(any::<u8>(), 1..60)) {
        let (source, words) = text_kept::article(&choices);
        for format in [Format::Auto, Format::Markdown, Format::Html] {
            let lost = text_kept::lost(&source, &words, &in_format(format));
            prop_assert!(lost.is_empty(), "{format:?} lost {lost:?} of {source:?}");
        }
    }
}

/// The examples of the issue, each a way text was lost.
#[test]
fn the_reported_losses_are_gone() {
    for source in [
        "Put the page name in the <title> element.\n\n## Next section\n\nq1z and q2z.\n",
        "<plaintext>\n\n# q1z\n\n*q2z*\n",
        "> quoted <xmp> q1z\n> q2z\n\nq3z\n",
        "<noscript>\n\nq1z\n\nq2z\n",
        "<style>\n\n    <p>q1z</p>\n\nq2z\n",
    ] {
        let words: Vec<String> = ["q1z", "q2z", "q3z"]
            .iter()
            .filter(|w| source.contains(*w))
            .map(|w| w.to_string())
            .collect();
        for format in [Format::Auto, Format::Markdown, Format::Html] {
            let lost = text_kept::lost(source, &words, &in_format(format));
            assert!(lost.is_empty(), "{format:?} lost {lost:?} of {source:?}");
        }
    }
}

/// The check can fail: a word inside a complete `<script>` is removed.
#[test]
fn the_check_sees_a_removed_word() {
    let words = vec!["q1z".to_owned()];
    let lost = text_kept::lost("<script>q1z</script>", &words, &Options::default());
    assert_eq!(lost, words);
}
