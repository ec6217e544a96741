//! No file of `../shared/corpus` shows less text than it did at the
//! previous release (`tests/corpus-letters.tsv`: each file's path and the
//! letters and digits of its output's visible text at git d99724d, default
//! options), unless its diagnostics name the elements removed with their
//! content. Letters and digits, not words: a formula shown as text instead
//! of math, or emphasis that splits a word, changes the word count without
//! losing anything.
//! Skips, saying so, when the corpus is not there. Files not in the list
//! (added to the corpus since) are not compared.

#![cfg(not(target_arch = "wasm32"))]

#[path = "common/text_kept.rs"]
mod text_kept;

use std::fs;
use std::path::Path;

/// Codes that say an element went with its text.
const REMOVALS: &[&str] = &["sanitize.removed-element", "embed.dropped"];

#[test]
fn no_corpus_file_loses_words() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!(
            "skipping the corpus text check: {} does not exist",
            corpus.display()
        );
        return;
    }
    let baseline = fs::read_to_string(root.join("tests/corpus-letters.tsv")).expect("the baseline");
    let (mut compared, mut grew, mut shrank_with_removals) = (0, 0, 0);
    let mut failures = Vec::new();
    for line in baseline.lines().filter(|l| !l.starts_with('#')) {
        let Some((path, words)) = line.split_once('\t') else {
            continue;
        };
        let before: usize = words.parse().expect("a count");
        let Ok(bytes) = fs::read(corpus.join(path)) else {
            continue;
        };
        compared += 1;
        let rendered = article_render::render(&String::from_utf8_lossy(&bytes));
        let now = text_kept::visible_text(&rendered.html)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .count();
        if now > before {
            grew += 1;
        }
        if now < before {
            if rendered
                .diagnostics
                .iter()
                .any(|d| REMOVALS.contains(&d.code))
            {
                shrank_with_removals += 1;
            } else {
                failures.push(format!(
                    "{path}: {before} letters and digits before, {now} now"
                ));
            }
        }
    }
    eprintln!(
        "corpus text: {compared} files compared, {grew} show more text than before, {shrank_with_removals} fewer with removals named"
    );
    assert!(
        compared > 0 || baseline.lines().count() < 2,
        "no file of the list found"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
