//! A big document is sanitized in pieces cut at split points
//! (`src/html/guard/split.rs`); the output must be exactly that of the
//! document in one piece. Here every document is cut at every split point
//! it has (the most pieces a rule allows), rendered on the full path (the
//! one that sanitizes), and its whole `Rendered` compared with the render
//! in one piece: every fixture, attack case, fuzz regression, corpus file
//! (`../shared/corpus`, when there), the seed, and generated tag soup, each
//! read as it is detected, as HTML and as Markdown.
//!
//! Any difference means the split rule cuts where the tree builder's state
//! is not back at its start: fix the rule, never the input.

#[path = "common/compare.rs"]
mod compare;
#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/sources.rs"]
mod sources;

use std::path::Path;

use article_render::{__pieces, Format, Options, Rendered, render_full_path};
use proptest::prelude::*;
use sources::{read_lossy, test_sources};

/// The render of `source` on the full path, cut into as many pieces as
/// the rule allows (`cut`) or never.
fn rendered(source: &str, options: &Options, cut: bool) -> Rendered {
    if cut {
        __pieces::set(0, 1);
    } else {
        __pieces::set(usize::MAX, usize::MAX);
    }
    let rendered = render_full_path(source, options).expect("valid options");
    __pieces::reset();
    rendered
}

/// Panics with the first difference between the two renders of `source`
/// in each format; returns how many cuts the sanitizer made.
fn same(label: &str, source: &str) -> usize {
    __pieces::cuts();
    __pieces::fell_back();
    for format in [Format::Auto, Format::Html, Format::Markdown] {
        let options = Options {
            format,
            ..Options::default()
        };
        let whole = rendered(source, &options, false);
        let cut = rendered(source, &options, true);
        if cut != whole {
            let line = compare::first_difference(("cut", &cut), ("whole", &whole));
            panic!(
                "{label} ({format:?}): cut into pieces, it renders otherwise\n{line}\nsource: {source:?}"
            );
        }
    }
    assert_eq!(
        __pieces::fell_back(),
        0,
        "{label}: a piece's tree lost its wrappers"
    );
    __pieces::cuts()
}

/// Over all the documents, the rule must cut most of them, or these tests
/// prove nothing.
fn assert_cut(what: &str, cuts: &[usize]) {
    let cut = compare::documents_cut(what, cuts);
    assert!(
        cut * 2 > cuts.len(),
        "{what}: only {cut} of {} documents cut",
        cuts.len()
    );
}

#[test]
fn test_files_render_the_same_in_pieces() {
    let cuts: Vec<usize> = test_sources(&["fixtures", "attacks", "fuzz-regressions"])
        .iter()
        .map(|(label, source)| same(label, source))
        .collect();
    assert_cut("test files", &cuts);
}

#[test]
fn corpus_and_seed_render_the_same_in_pieces() {
    let mut paths = corpus::files(&corpus::dir());
    paths.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/sina-finance-post.md"));
    let cuts: Vec<usize> = paths
        .iter()
        .filter(|path| path.exists())
        .map(|path| same(&path.display().to_string(), &read_lossy(path)))
        .collect();
    if cuts.len() <= 1 {
        println!("skipped: ../shared/corpus is not there");
        return;
    }
    assert_cut("corpus", &cuts);
}

/// Tags whose handling by the tree builder goes beyond opening and closing
/// an element: implied ends, scopes, tables, formatting, foreign content,
/// raw text, and the tokens a piece's start treats otherwise.
const SOUP: &[&str] = &[
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<a href=\"#x\">",
    "</a>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<em>",
    "</em>",
    "<h1>",
    "</h1>",
    "<h2>",
    "</h2>",
    "<li>",
    "</li>",
    "<ul>",
    "</ul>",
    "<ol>",
    "</ol>",
    "<dl>",
    "<dd>",
    "</dd>",
    "<dt>",
    "</dt>",
    "<table>",
    "</table>",
    "<tbody>",
    "</tbody>",
    "<tr>",
    "</tr>",
    "<td>",
    "</td>",
    "<th>",
    "</th>",
    "<caption>",
    "</caption>",
    "<colgroup>",
    "</colgroup>",
    "<col>",
    "<thead>",
    "<pre>",
    "</pre>",
    "<ruby>",
    "<rt>",
    "</rt>",
    "<rp>",
    "<button>",
    "</button>",
    "<form>",
    "</form>",
    "<select>",
    "</select>",
    "<option>",
    "</option>",
    "<optgroup>",
    "<font>",
    "</font>",
    // Formatting elements left active and reopened after a cut: equal
    // ones (the "Noah's Ark" clause), distinct ones, and attributes that
    // must read back the same (references, quotes, duplicates, odd names).
    "<b class=k1>",
    "<b class=k2>",
    "<i title=\"a&amp;&quot;b&#39;\" lang=en>",
    "<u>",
    "</u>",
    "<s ID=x id=y>",
    "</s>",
    "<font a\"b=1 =c=2 color='r\"d'>",
    "<x-y>",
    "</x-y>",
    "<listing>",
    "</listing>",
    "<wbr>",
    "<nobr>",
    "</nobr>",
    "<center>",
    "<menu>",
    "<svg>",
    "</svg>",
    "<math>",
    "</math>",
    "<template>",
    "<span>",
    "</span>",
    "<br>",
    "</br>",
    "<hr>",
    "<img src=\"a.png\">",
    "<input type=checkbox>",
    "<blockquote>",
    "</blockquote>",
    "<section>",
    "</section>",
    "<summary>",
    "<details>",
    "</details>",
    "<object>",
    "</object>",
    "<marquee>",
    "</marquee>",
    "<applet>",
    "<style>",
    "</style>",
    "<title>",
    "</title>",
    "<textarea>",
    "</textarea>",
    "<script>",
    "</script>",
    "<noscript>",
    "</noscript>",
    "<xmp>",
    "</xmp>",
    "<plaintext>",
    "<iframe>",
    "</iframe>",
    "<image>",
    "<frameset>",
    "<body>",
    "<html>",
    "<head>",
    "<frame>",
    "<keygen>",
    "<param>",
    "<p/>",
    "<div/>",
    "x",
    " ",
    "\n",
    "&#13;",
    "&amp;",
    "\u{FEFF}",
    "<!-- c -->",
    "<![CDATA[x]]>",
    "<?pi?>",
];

/// Tag soup that closes what it opens in most places, so that it has split
/// points: balanced elements (wrappers among them) around random pieces,
/// nested.
fn soup() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(SOUP).prop_map(str::to_owned);
    const NAMES: &[&str] = &[
        "p",
        "div",
        "section",
        "blockquote",
        "article",
        "figure",
        "b",
        "a",
        "table",
        "ul",
        "li",
        "span",
        "em",
        "td",
        "select",
        "h2",
        "button",
        "nobr",
        "pre",
        "i",
        "x-y",
        "h3",
    ];
    let tree = piece.prop_recursive(3, 64, 6, |inner| {
        (
            prop::sample::select(NAMES),
            prop::collection::vec(inner, 0..6),
        )
            .prop_map(|(name, inner)| format!("<{name}>{}</{name}>", inner.concat()))
    });
    prop::collection::vec(tree, 0..12).prop_map(|pieces| pieces.concat())
}

/// Formatting elements left open in blocks, which the tree builder keeps
/// active after the block's end tag and reopens in what follows, amid
/// what reopens them or not: tag soup with few of the tags that stop the
/// cutting altogether, so that cuts fall where formatting elements wait to
/// be reopened.
const FORMATTING_SOUP: &[&str] = &[
    "<b>",
    "</b>",
    "<b class=k1>",
    "<b class=k2>",
    "<i title=\"a&amp;&quot;b&#39;\" lang=en>",
    "</i>",
    "<u>",
    "</u>",
    "<a href=\"#x\">",
    "</a>",
    "<nobr>",
    "</nobr>",
    "<font a\"b=1 =c=2 color='r\"d'>",
    "</font>",
    "<s ID=x id=y>",
    "</s>",
    "x",
    " ",
    "\n",
    "<!-- c -->",
    "<br>",
    "</br>",
    "<img src=\"a.png\">",
    "<hr>",
    "<wbr>",
    "<input>",
    "<param>",
    "<span>",
    "</span>",
    "<x-y>",
    "</x-y>",
    "<p>",
    "</p>",
    "</div>",
    "<h2>",
    "</h2>",
    "<li>",
    "<pre>",
    "<listing>",
    "<textarea>",
    "</textarea>",
    "<xmp>",
    "</xmp>",
    "<style>",
    "</style>",
    "<button>",
    "</button>",
    "<table>",
    "<td>",
    "<object>",
    "</object>",
    "<select>",
];

/// [`FORMATTING_SOUP`] in blocks, wrappers among them, nested.
fn formatting_soup() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(FORMATTING_SOUP).prop_map(str::to_owned);
    const NAMES: &[&str] = &[
        "div",
        "section",
        "blockquote",
        "p",
        "span",
        "x-y",
        "h2",
        "li",
        "ul",
        "pre",
        "b",
        "i",
    ];
    let tree = piece.prop_recursive(3, 48, 6, |inner| {
        (
            prop::sample::select(NAMES),
            prop::collection::vec(inner, 0..6),
        )
            .prop_map(|(name, inner)| format!("<{name}>{}</{name}>", inner.concat()))
    });
    prop::collection::vec(tree, 0..16).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Generated tag soup renders the same in pieces.
    #[test]
    fn tag_soup_renders_the_same_in_pieces(html in soup()) {
        same("tag soup", &html);
    }

    /// So does soup that leaves formatting elements to reopen at the cuts.
    #[test]
    fn formatting_left_active_renders_the_same_in_pieces(html in formatting_soup()) {
        same("formatting soup", &html);
    }
}

/// A long feed article, minified onto one line, whose every item leaves a
/// coloured `<font>` open (each its own colour, so the tree builder forgets
/// none of them): the list of active formatting elements is never empty
/// again, and the parser reopens them all in every item. Before the
/// splitter followed that list such a body had no split point, so ammonia
/// built one tree for all of it, every item holding copies of 16 of them
/// (123 MB of wasm memory for 1 MB of the `div-b-distinct` limits family).
/// At the sizes a render uses, it is cut, and renders as in one piece.
/// (With text between the items the copies stay open around all that
/// follows, and there is no cut; but nothing is copied into each item.)
#[test]
fn items_leaving_formatting_open_are_still_cut() {
    let body: String = (0..6000)
        .map(|i| {
            format!(
                "<div class=\"item\"><font color=\"#{:06x}\"><b>Update {i}.</b> Shares \
                 of the lender closed {}.{} % higher after the results.</div>",
                i * 97 % 0xFFFFFF,
                i % 7,
                i % 10
            )
        })
        .collect();
    let source = format!("---\ntitle: Market live blog\n---\n{body}");
    assert!(body.len() > 256 * 1024, "{} bytes", body.len());
    let options = Options {
        format: Format::Html,
        ..Options::default()
    };
    __pieces::set(usize::MAX, usize::MAX);
    let whole = render_full_path(&source, &options).expect("valid options");
    __pieces::reset();
    __pieces::cuts();
    let cut = render_full_path(&source, &options).expect("valid options");
    let cuts = __pieces::cuts();
    assert!(cuts >= 4, "cut {cuts} times");
    assert_eq!(__pieces::fell_back(), 0, "a piece's tree lost its wrappers");
    assert!(cut == whole, "cut into pieces, it renders otherwise");
}
