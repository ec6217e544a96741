//! Every file of `../shared/corpus` is read as the generator it was written
//! for: `hexo/` as Hexo, `hugo/` as Hugo, `zola/` as Zola, and the feed bot's
//! posts (Hexo files with nothing of Hexo's own in them) as Hexo or plain.
//! Skips, saying so, when the corpus is not there.

use std::fs;

#[path = "common/corpus.rs"]
mod corpus;
use corpus::{dir as corpus_dir, repository_path};

use article_render::{Generator, Options, render_with_options};

/// Files read as another generator than their folder's, each with why that
/// is right or accepted. Reviewed by hand; keep it short.
const EXCEPTIONS: &[(&str, Generator, &str)] = &[(
    "getzola__zola__test_site__content__.should-not-be-picked-up.md",
    Generator::None,
    "an empty file: nothing in it says which generator",
)];

fn expected(folder: &str, found: Generator) -> bool {
    match folder {
        "hexo" => found == Generator::Hexo,
        "hugo" => found == Generator::Hugo,
        "zola" => found == Generator::Zola,
        "feed" => matches!(found, Generator::Hexo | Generator::None),
        _ => true,
    }
}

fn detect(source: &str, file_name: Option<String>) -> Generator {
    let options = Options {
        file_name,
        ..Options::default()
    };
    render_with_options(source, &options)
        .expect("default options are valid")
        .generator
}

#[test]
fn corpus_files_are_read_as_their_generator() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!(
            "skipping the dialect test: {} does not exist",
            dir.display()
        );
        return;
    }
    let mut wrong = Vec::new();
    let mut bare_wrong = Vec::new();
    let mut total = 0;
    for folder in ["feed", "hexo", "hugo", "zola"] {
        let mut names: Vec<_> = fs::read_dir(dir.join(folder))
            .expect("a corpus folder")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            total += 1;
            let bytes = fs::read(dir.join(folder).join(&name)).expect("readable");
            let source = String::from_utf8_lossy(&bytes);
            let path = repository_path(&name);
            let found = detect(&source, Some(path.clone()));
            let excepted = EXCEPTIONS.iter().any(|(n, g, _)| *n == name && *g == found);
            if !expected(folder, found) && !excepted {
                wrong.push(format!("{folder}/{name} ({path}): {found:?}"));
            }
            // The page knows only the file's name, not its folders.
            let base = path.rsplit('/').next().map(str::to_owned);
            let found = detect(&source, base);
            if !expected(folder, found) {
                bare_wrong.push(format!("{folder}/{name}: {found:?}"));
            }
        }
    }
    eprintln!(
        "{total} files; with the file name alone, {} read otherwise:\n{}",
        bare_wrong.len(),
        bare_wrong.join("\n")
    );
    assert!(
        wrong.is_empty(),
        "{} of {total} files read as another generator:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
