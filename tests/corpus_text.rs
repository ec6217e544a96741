//! No file of `../shared/corpus` shows less text than it did at the
//! previous release (`tests/corpus-letters.tsv`: each file's path and the
//! letters and digits of its output's visible text at git d99724d, default
//! options), unless its diagnostics name the elements removed with their
//! content. Letters and digits, not words: a formula shown as text instead
//! of math, or emphasis that splits a word, changes the word count without
//! losing anything.
//! Skips, saying so, when the corpus is not there. Files not in the list
//! (added to the corpus since) are not compared. When a change is meant to
//! show less text (a template tag rendered instead of shown as its source),
//! `UPDATE_CORPUS_LETTERS=1 cargo test --test corpus_text` rewrites the
//! list; say in the commit which files shrank and why.

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
    let list = root.join("tests/corpus-letters.tsv");
    if std::env::var_os("UPDATE_CORPUS_LETTERS").is_some_and(|v| v == "1") {
        return rewrite_baseline(&corpus, &list);
    }
    let baseline = fs::read_to_string(&list).expect("the baseline");
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
        let now = letters(&bytes);
        if now > before {
            grew += 1;
        }
        if now < before {
            let rendered = article_render::render(&String::from_utf8_lossy(&bytes));
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

/// Letters and digits of the visible text of a rendered file.
fn letters(bytes: &[u8]) -> usize {
    let rendered = article_render::render(&String::from_utf8_lossy(bytes));
    text_kept::visible_text(&rendered.html)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .count()
}

/// Writes the list anew from the corpus as it renders now.
fn rewrite_baseline(corpus: &Path, list: &Path) {
    let mut paths = Vec::new();
    let mut stack = vec![corpus.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("a corpus folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != "README.md") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let mut out = String::from(
        "# Letters and digits of each corpus file's visible output, default options; rewritten with UPDATE_CORPUS_LETTERS=1.\n",
    );
    for path in paths {
        let relative = path.strip_prefix(corpus).expect("inside the corpus");
        let count = letters(&fs::read(&path).expect("a file"));
        out.push_str(&format!("{}\t{count}\n", relative.display()));
    }
    fs::write(list, out).expect("the list is written");
}
