//! Before ammonia parses a raw-HTML body, the guard cuts the attributes the
//! policy drops whatever their value (`src/html/guard/trim.rs`), and puts
//! one marker in their place on formatting elements, whose attributes the
//! tree builder compares. The output must be exactly that of the body as
//! written. Here every document is rendered with and without the cuts and
//! its whole `Rendered` compared: every fixture, attack case, fuzz
//! regression, corpus file (`../shared/corpus`, when there), the seed, each
//! read as detected and as HTML, and generated tag soup made of what the
//! cuts must leave alone or get right (formatting elements with equal and
//! unequal attribute sets, repeated names, no space before an attribute,
//! hidden inputs in tables, SVG, templates, `<image>`).
//!
//! Any difference means a cut changed the tree: fix the rule, never the
//! input.

#[path = "common/compare.rs"]
mod compare;
#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/sources.rs"]
mod sources;

use std::path::Path;

use article_render::{__trim, Format, Options, Rendered, render_with_options, sanitize_html};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use sources::{read_lossy, test_sources};

fn rendered(source: &str, options: &Options, cut: bool) -> Rendered {
    __trim::set_off(!cut);
    let rendered = render_with_options(source, options).expect("valid options");
    __trim::set_off(false);
    rendered
}

/// Panics with the first difference between the renders of `source` with
/// and without the cuts, read as detected and as HTML; returns how many
/// attributes were cut.
fn same(label: &str, source: &str) -> usize {
    let before = __trim::cut();
    for format in [Format::Auto, Format::Html] {
        let options = Options {
            format,
            ..Options::default()
        };
        let written = rendered(source, &options, false);
        let cut = rendered(source, &options, true);
        if cut != written {
            let line = compare::first_difference(("cut", &cut), ("written", &written));
            panic!(
                "{label} ({format:?}): with attributes cut, it renders otherwise\n{line}\nsource: {source:?}"
            );
        }
    }
    let html = sanitize_html(source, &Options::default()).unwrap();
    __trim::set_off(true);
    let written = sanitize_html(source, &Options::default()).unwrap();
    __trim::set_off(false);
    assert_eq!(html, written, "{label}: sanitize_html with attributes cut");
    __trim::cut() - before
}

#[test]
fn test_files_render_the_same_with_attributes_cut() {
    let cuts: Vec<usize> = test_sources(&["fixtures", "attacks", "fuzz-regressions"])
        .iter()
        .map(|(label, source)| same(label, source))
        .collect();
    let cut = compare::documents_cut("test files", &cuts);
    assert!(cut >= 50, "only {cut} test files had attributes cut");
}

#[test]
fn corpus_and_seed_render_the_same_with_attributes_cut() {
    let mut paths = corpus::files(&corpus::dir());
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/sina-finance-post.md");
    paths.push(seed.clone());
    let mut cut = 0;
    for path in paths.iter().filter(|path| path.exists()) {
        let n = same(&path.display().to_string(), &read_lossy(path));
        cut += usize::from(n > 0);
        if *path == seed {
            assert!(n > 0, "the seed's styles are cut");
        }
    }
    println!("{cut} corpus files had attributes cut");
}

/// Four `<b>` left open in a paragraph are reopened in the next one, each
/// as it was; of elements with the same attributes the tree builder keeps
/// three (the "Noah's Ark" clause). The `style` the policy drops decides
/// which are the same, so the markers must stand for it.
#[test]
fn formatting_elements_compare_as_written() {
    let reopened = |html: &str| {
        let before = __trim::cut();
        let out = sanitize_html(html, &Options::default()).unwrap();
        assert!(__trim::cut() > before, "nothing was cut in {html}");
        let second = out.split("<p>").nth(2).expect("a second paragraph");
        second.matches("<b>").count() + second.matches("<b ").count()
    };
    let same = "<p><b style=a><b style=a><b style=a><b style=a>x</p><p>y</p>";
    let unequal = "<p><b style=a><b style=b><b style=c><b style=d>x</p><p>y</p>";
    let reordered = "<p><b style=a title=t><b title=t style=a><b style=a title=t><b title=t style=a>x</p><p>y</p>";
    assert_eq!(reopened(same), 3, "three of four equal ones");
    assert_eq!(reopened(unequal), 4, "all four, each its own");
    assert_eq!(
        reopened(reordered),
        3,
        "the order of attributes does not count"
    );
    for html in [same, unequal, reordered] {
        self::same(html, html);
    }
}

/// Attributes, most dropped by the policy: a few values each, so that
/// formatting elements often have equal sets; kept ones among them.
const ATTRIBUTES: &[&str] = &[
    " style=a",
    " style=\"b\"",
    " cms-style='font-L'",
    " cms-style=\"font-L\"",
    " color=red",
    " face=x",
    " size=2",
    " onclick=x()",
    " data-x=1",
    " _=1",
    " class=k",
    " title=t",
    " id=i",
    " href=\"#x\"",
    " type=hidden",
    " shadowrootmode=open",
    " src=\"a.png\"",
    "\nstyle=c",
    " style = 'd' ",
    " hidden",
    "/",
];

const NAMES: &[&str] = &[
    "b", "i", "u", "s", "a", "font", "nobr", "strong", "em", "big", "code", "p", "div", "span",
    "table", "tr", "td", "input", "template", "image", "select", "li", "h2",
];

const OTHER: &[&str] = &[
    "x",
    " ",
    "</b>",
    "</i>",
    "</a>",
    "</font>",
    "</p>",
    "</div>",
    "</table>",
    "</td>",
    "<br>",
    "</nobr>",
    "</template>",
    "<hr>",
    "<!-- c -->",
];

/// What makes the cuts give up, or sends the rest of a body to another
/// tokenizer state: rare in the soup, so that most of it is cut.
const RARE: &[&str] = &[
    "<svg><font color=red style=a><b style=a>",
    "<math><annotation-xml encoding=\"text/html\"><b style=a>",
    "</svg>",
    "<b lang=\"x\"style=g>",
    "<b style=a style=b>",
    "<p style=a style=b>",
    "<plaintext><b style=a>",
    "<style><b style=a></style>",
    "<textarea><i style=a></textarea>",
];

/// Tag soup of start tags with attribute lists from [`ATTRIBUTES`], end
/// tags and text, and now and then one of [`RARE`].
fn soup() -> impl Strategy<Value = String> {
    let start = (
        prop::sample::select(NAMES),
        prop::collection::vec(prop::sample::select(ATTRIBUTES), 0..4),
    )
        .prop_map(|(name, attributes)| format!("<{name}{}>", attributes.concat()));
    let piece = prop_oneof![
        60 => start,
        40 => prop::sample::select(OTHER).prop_map(str::to_owned),
        1 => prop::sample::select(RARE).prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Generated tag soup renders the same with its attributes cut.
    #[test]
    fn tag_soup_renders_the_same_with_attributes_cut(html in soup()) {
        same("tag soup", &html);
    }
}

/// The soup above is not vacuous: most of it has attributes cut, and some
/// of it is given up (SVG, MathML, a formatting element's attribute glued
/// to a quote or a repeated name).
#[test]
fn generated_soup_is_cut() {
    let mut runner = TestRunner::deterministic();
    let (mut cut, total) = (0, 500);
    for _ in 0..total {
        let html = soup().new_tree(&mut runner).expect("a soup").current();
        cut += usize::from(same("tag soup", &html) > 0);
    }
    println!("{cut} of {total} generated documents had attributes cut");
    assert!(cut * 3 > total, "only {cut} of {total} cut");
    assert!(cut < total, "none given up");
}
