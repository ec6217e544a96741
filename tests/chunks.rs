//! A big Markdown source is parsed a chunk at a time
//! (`src/markdown/chunks.rs`); the output must be exactly that of the
//! source parsed whole. Here every document is cut at every line the rule
//! allows (the most chunks), rendered on both paths (the fast path, and the
//! full path that sanitizes), and its whole `Rendered` compared with the
//! render of the source whole: every fixture, attack case, fuzz regression,
//! corpus file (`../shared/corpus`, when there), the seed, the CommonMark
//! and GFM spec examples (`../shared/specs`, when there) one by one and all
//! in one document, and generated Markdown, under the generators whose
//! Markdown is cut and one whose is not.
//!
//! Any difference means the rule cuts where a chunk's parse does not read
//! as the whole's: fix the rule, never the input.

#[path = "common/compare.rs"]
mod compare;
#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/sources.rs"]
mod sources;
#[path = "common/spec.rs"]
mod spec_file;

use std::fs;
use std::path::Path;

use article_render::{
    __chunks, Format, GeneratorOption, Options, Rendered, render_full_path, render_saying_path,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use sources::{read_lossy, test_sources};

/// The option sets: the generators whose Markdown is cut, and Jekyll's,
/// which stays whole.
fn option_sets() -> Vec<(&'static str, Options)> {
    let markdown = |generator| Options {
        format: Format::Markdown,
        generator,
        ..Options::default()
    };
    vec![
        ("auto", Options::default()),
        ("markdown", markdown(GeneratorOption::Auto)),
        ("hexo", markdown(GeneratorOption::Hexo)),
        ("zola", markdown(GeneratorOption::Zola)),
        ("jekyll", markdown(GeneratorOption::Jekyll)),
    ]
}

/// `source` rendered on both paths, cut at every line the rule allows
/// (`cut`) or never.
fn rendered(source: &str, options: &Options, cut: bool) -> (Rendered, Rendered) {
    if cut {
        __chunks::set(0, 0);
    } else {
        __chunks::set(usize::MAX, 0);
    }
    let (either, _) = render_saying_path(source, options).expect("valid options");
    let full = render_full_path(source, options).expect("valid options");
    __chunks::reset();
    (either, full)
}

/// Panics with the first difference between the renders of `source` cut
/// and whole; returns how many cuts were made.
fn same(label: &str, source: &str, sets: &[(&str, Options)]) -> usize {
    __chunks::cuts();
    let mut cuts = 0;
    for (set, options) in sets {
        let whole = rendered(source, options, false);
        assert_eq!(__chunks::cuts(), 0, "{label}: cut when told not to");
        let cut = rendered(source, options, true);
        cuts += __chunks::cuts();
        for (path, cut, whole) in [("either", &cut.0, &whole.0), ("full", &cut.1, &whole.1)] {
            if cut != whole {
                let line = compare::first_difference(("cut", cut), ("whole", whole));
                panic!(
                    "{label} ({set}, {path} path): parsed in chunks, it renders otherwise\n{line}\nsource: {source:?}"
                );
            }
        }
    }
    cuts
}

/// Over the documents, a good share must be cut, or these tests prove
/// nothing.
fn assert_cut(what: &str, cuts: &[usize], share: f64) {
    let cut = compare::documents_cut(what, cuts);
    assert!(
        cut as f64 >= share * cuts.len() as f64,
        "{what}: only {cut} of {} documents cut",
        cuts.len()
    );
}

#[test]
fn test_files_render_the_same_in_chunks() {
    let sets = option_sets();
    let cuts: Vec<usize> = test_sources(&["fixtures", "attacks", "fuzz-regressions"])
        .iter()
        .map(|(label, source)| same(label, source, &sets))
        .collect();
    assert_cut("test files", &cuts, 0.05);
}

#[test]
fn corpus_and_seed_render_the_same_in_chunks() {
    let sets = option_sets();
    let mut paths = corpus::files(&corpus::dir());
    paths.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/sina-finance-post.md"));
    let cuts: Vec<usize> = paths
        .iter()
        .filter(|path| path.exists())
        .map(|path| same(&path.display().to_string(), &read_lossy(path), &sets[..1]))
        .collect();
    if cuts.len() <= 1 {
        println!("skipped: ../shared/corpus is not there");
        return;
    }
    assert_cut("corpus", &cuts, 0.3);
}

/// The spec examples one by one, and two by two.
#[test]
fn spec_examples_render_the_same_in_chunks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/specs");
    let Ok(entries) = fs::read_dir(&dir) else {
        println!("skipped: {} is not there", dir.display());
        return;
    };
    let sets = option_sets();
    let mut cuts = Vec::new();
    for entry in entries {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = fs::read_to_string(&path).expect("a spec file");
        let examples = spec_file::examples(&text);
        for example in &examples {
            let label = format!("{} example {}", path.display(), example.number);
            cuts.push(same(&label, &example.markdown, &sets[1..2]));
        }
        // Two examples in one document, a paragraph after each: where the
        // first's fence, list or HTML block may run into the second.
        let mut pairs = Vec::new();
        for pair in examples.windows(2) {
            let source: String = pair
                .iter()
                .map(|example| format!("{}\nText after {}.\n\n", example.markdown, example.number))
                .collect();
            let label = format!(
                "{} examples {} and {}",
                path.display(),
                pair[0].number,
                pair[1].number
            );
            pairs.push(same(&label, &source, &sets[1..2]));
        }
        assert_cut(
            &format!("{}, examples in pairs", path.display()),
            &pairs,
            0.5,
        );
    }
    if !cuts.is_empty() {
        assert_cut("spec examples", &cuts, 0.02);
    }
}

/// Blocks of Markdown that reach across blank lines, or look as if they
/// did, and the lines a chunk may start at.
const BLOCKS: &[&str] = &[
    "Paragraph text.\n",
    "# Heading\n",
    "#hashtag\n",
    "Setext\n===\n",
    "Setext\n---\n",
    "é and 中文\n",
    "```\ncode\n",
    "```\n",
    "~~~~\nfenced\n\nstill\n",
    "    indented\n",
    "- item\n",
    "  continued\n",
    "1. first\n",
    "> quote\n",
    "> [!NOTE]\n> alert\n",
    "lazy\n",
    "<div>\n",
    "</div>\n",
    "<pre>\n",
    "</pre>\n",
    "<!--\n",
    "-->\n",
    "<!-- more -->\n",
    "<?\n",
    "?>\n",
    "[^n]\n",
    "[^n]: A note.\n",
    "[^m]: Another.\n",
    "Text[^n] and[^m].\n",
    "[ref]: /target \"Title\"\n",
    "[Ref] and [text][ref] and [ref][].\n",
    "[other]: /other\n",
    "| a | b |\n|---|:-:|\n| 1 | 2 |\n",
    "a | b\n",
    "$x$ and $$y$$ and \\(z\\)\n",
    "$$\n",
    "www.example.com and <https://example.com>\n",
    "***\n",
    "*emphasis\n",
    "text*\n",
    "[link](javascript:alert(1))\n",
    "<b>raw</b> html\n",
    "Text <span onclick=\"x()\">with</span> a handler the audit reports.\n",
    "\n",
    "\n",
    "\n",
];

/// Blocks, each followed by a blank line or not.
fn document() -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(BLOCKS), any::<bool>()), 0..40).prop_map(|blocks| {
        blocks
            .into_iter()
            .map(|(block, blank)| {
                if blank {
                    format!("{block}\n")
                } else {
                    block.to_owned()
                }
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Generated Markdown renders the same in chunks.
    #[test]
    fn generated_markdown_renders_the_same_in_chunks(source in document()) {
        same("generated", &source, &option_sets()[1..4]);
    }
}

/// The generator makes documents that are cut, not only ones that stay
/// whole.
#[test]
fn generated_markdown_is_cut() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let cuts: Vec<usize> = (0..200)
        .map(|_| {
            let source = document()
                .new_tree(&mut runner)
                .expect("a document")
                .current();
            same("generated", &source, &option_sets()[1..2])
        })
        .collect();
    assert_cut("generated", &cuts, 0.3);
}
