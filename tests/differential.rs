//! The Markdown fast path against the full path, its oracle: for every
//! fixture, corpus file (`../shared/corpus`, when there), attack case,
//! CommonMark and GFM spec example (`../shared/specs`, when there), the
//! seed article and generated Markdown, under the default options and a
//! few others, `render` must give exactly the `Rendered` of
//! `render_full_path` (HTML, outline, statistics, excerpt, metadata,
//! diagnostics with their lines).
//!
//! And the fast path must be taken for a good share of the Markdown, so
//! that this cannot pass by declining everything.

#[path = "common/compare.rs"]
mod compare;
#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/fuzz_input.rs"]
mod fuzz_input;
#[path = "common/sources.rs"]
mod sources;

use std::fs;
use std::path::Path;

use article_render::{
    BodyFormat, Format, GeneratorOption, ImagePolicy, Options, render_full_path, render_saying_path,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use sources::{attack_cases, read_lossy, test_files};

/// The option sets each document is rendered with.
fn option_sets() -> Vec<(&'static str, Options)> {
    let mut sets = vec![
        ("default", Options::default()),
        (
            "id prefix",
            Options {
                id_prefix: "post-7-".to_owned(),
                ..Options::default()
            },
        ),
        (
            "base URL",
            Options {
                base_url: Some("https://blog.example/2024/05/notes/".to_owned()),
                ..Options::default()
            },
        ),
        (
            "images blocked",
            Options {
                images: ImagePolicy::Block,
                ..Options::default()
            },
        ),
        (
            "heading ids off",
            Options {
                heading_ids: false,
                ..Options::default()
            },
        ),
    ];
    for (name, generator) in [
        ("hexo", GeneratorOption::Hexo),
        ("jekyll", GeneratorOption::Jekyll),
        ("hugo", GeneratorOption::Hugo),
        ("zola", GeneratorOption::Zola),
        ("none", GeneratorOption::None),
    ] {
        sets.push((
            name,
            Options {
                generator,
                ..Options::default()
            },
        ));
    }
    sets
}

/// Renders `source` both ways; panics with the first difference. Returns
/// whether the fast path took it, and whether the body was Markdown.
fn same(label: &str, source: &str, options: &Options) -> (bool, bool) {
    let full = render_full_path(source, options).expect("valid options");
    let (fast, taken) = render_saying_path(source, options).expect("valid options");
    if fast != full {
        let line = compare::first_difference(("fast", &fast), ("full", &full));
        panic!("{label}: the fast path differs from the full path\n{line}\nsource: {source:?}");
    }
    (taken, full.body_format == BodyFormat::Markdown)
}

/// Counts of documents rendered and of those the fast path took.
#[derive(Default)]
struct Tally {
    markdown: usize,
    taken: usize,
}

impl Tally {
    fn check(&mut self, label: &str, source: &str, options: &Options) {
        let (taken, markdown) = same(label, source, options);
        self.markdown += usize::from(markdown);
        self.taken += usize::from(taken);
    }
}

#[test]
fn fixtures_render_the_same_on_both_paths() {
    let mut tally = Tally::default();
    for path in test_files("fixtures") {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.ends_with(".md") || name.ends_with(".markdown") || name.ends_with(".html"))
            || name == "README.md"
        {
            continue;
        }
        let stem = name.rsplit_once('.').unwrap().0;
        let own: Options = fs::read_to_string(path.with_file_name(format!("{stem}.options.json")))
            .map(|text| serde_json::from_str(&text).expect("valid options"))
            .unwrap_or_default();
        let source = read_lossy(&path);
        for (set, options) in option_sets() {
            let options = Options {
                file_name: Some(name.clone()),
                ..if set == "default" {
                    own.clone()
                } else {
                    options
                }
            };
            tally.check(&format!("{name} ({set})"), &source, &options);
        }
    }
    println!(
        "fixtures: the fast path took {} of {} Markdown renders",
        tally.taken, tally.markdown
    );
    assert!(
        tally.taken * 10 >= tally.markdown * 3,
        "the fast path took only {} of {} Markdown fixture renders",
        tally.taken,
        tally.markdown
    );
}

#[test]
fn corpus_renders_the_same_on_both_paths() {
    let dir = corpus::dir();
    if !dir.exists() {
        println!("skipped: {} is not there", dir.display());
        return;
    }
    let mut tally = Tally::default();
    let mut default = Tally::default();
    for path in corpus::files(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let source = read_lossy(&path);
        for (set, options) in option_sets() {
            let options = Options {
                file_name: Some(corpus::repository_path(&name)),
                ..options
            };
            let label = format!("{name} ({set})");
            match set {
                "default" => default.check(&label, &source, &options),
                _ => tally.check(&label, &source, &options),
            }
        }
    }
    println!(
        "corpus: the fast path took {} of {} Markdown files with the default options ({} of {} renders with the others)",
        default.taken, default.markdown, tally.taken, tally.markdown
    );
    // 159 of 302 when written (123 before the fast path took the HTML the
    // library writes itself): every file declined carries raw HTML of its
    // author's.
    assert!(
        default.taken * 100 >= default.markdown * 50,
        "the fast path took only {} of {} Markdown corpus files",
        default.taken,
        default.markdown
    );
}

#[test]
fn attacks_render_the_same_on_both_paths() {
    let mut cases = 0;
    let mut tally = Tally::default();
    for (label, case) in attack_cases() {
        cases += 1;
        for (set, options) in option_sets() {
            tally.check(&format!("{label} ({set})"), &case, &options);
            let markdown = Options {
                format: Format::Markdown,
                ..options
            };
            tally.check(&format!("{label} ({set}, markdown)"), &case, &markdown);
        }
    }
    println!(
        "attacks: the fast path took {} of {} Markdown renders",
        tally.taken, tally.markdown
    );
    assert!(cases > 100, "{cases} attack cases");
}

/// The fuzzer's findings, replayed as the fuzz target reads them (`.bin`)
/// or as articles under each option set.
#[test]
fn fuzz_regressions_render_the_same_on_both_paths() {
    for path in test_files("fuzz-regressions") {
        let data = fs::read(&path).expect("a regression");
        if path.extension().is_some_and(|e| e == "bin") {
            let (options, source) = fuzz_input::split(&data);
            // Options the library refuses have no render to compare.
            if render_full_path(&source, &options).is_ok() {
                same(&path.display().to_string(), &source, &options);
            }
            continue;
        }
        let source = String::from_utf8_lossy(&data);
        for (set, options) in option_sets() {
            same(&format!("{} ({set})", path.display()), &source, &options);
        }
    }
}

#[test]
fn seed_renders_the_same_on_both_paths() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/sina-finance-post.md");
    let Ok(source) = fs::read_to_string(&seed) else {
        println!("skipped: no seed");
        return;
    };
    for (set, options) in option_sets() {
        same(&format!("seed ({set})"), &source, &options);
    }
}

#[path = "common/spec.rs"]
mod spec_file;

#[test]
fn spec_examples_render_the_same_on_both_paths() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/specs");
    let Ok(entries) = fs::read_dir(&dir) else {
        println!("skipped: {} is not there", dir.display());
        return;
    };
    let mut tally = Tally::default();
    for entry in entries {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = fs::read_to_string(&path).expect("a spec file");
        for example in spec_file::examples(&text) {
            for (set, options) in option_sets() {
                let options = Options {
                    format: Format::Markdown,
                    ..options
                };
                let label = format!("{} example {} ({set})", path.display(), example.number);
                tally.check(&label, &example.markdown, &options);
            }
        }
    }
    println!(
        "spec examples: the fast path took {} of {} renders",
        tally.taken, tally.markdown
    );
    if tally.markdown > 0 {
        assert!(
            tally.taken * 2 >= tally.markdown,
            "the fast path took only {} of {} spec renders",
            tally.taken,
            tally.markdown
        );
    }
}

/// Pieces of real Markdown: block starts, inline syntax, odd URLs,
/// comments, entities, CJK, tabs and control characters.
fn piece() -> impl Strategy<Value = String> {
    let url = prop::sample::select(vec![
        "https://example.com/a?b=1&c=2",
        "/posts/hello world/",
        "../img/pic.png",
        "#intro",
        "#",
        "",
        "mailto:someone@example.com",
        "javascript:alert(1)",
        "JaVa\tScript:x",
        "data:image/png;base64,AAAA",
        "data:text/html,<b>",
        "http://[::1",
        "http://例子.测试/路径",
        "<spaced url>",
        "foo\"bar'baz",
        "%zz%41",
        "//cdn.example/x.png",
        "vbscript:x",
        "ftp://files.example/a",
    ]);
    let title = prop::sample::select(vec![
        "",
        " \"a title\"",
        " 'it''s'",
        " (t & <u>)",
        " \"t&#13;u&#x0D;&#10;v\"",
    ]);
    let text = prop::sample::select(vec![
        "plain words",
        "中文段落，第二句。",
        "AT&T & Q&A",
        "&copy; &#123; &#x7D; &nbsp; &bogus;",
        "carriage&#13;return &#x0D;&#10;twice&#13;",
        "a < b > c \" d ' e",
        "tab\there",
        "ctrl\u{1}\u{7}\u{b}\u{c}x",
        "\u{a0}nbsp\u{a0}",
        "\u{feff}bom",
        "\u{fffd}",
        "emoji 🎉",
        "$x^2$ and $$y$$ and \\(z\\)",
        "https://auto.example/path_(x) www.example.com a@b.co",
        "{{ page.title }} {% raw %}",
        ":smile: ~~gone~~ ^sup^ ~sub~",
        "\"quotes\" -- dashes --- ...",
    ]);
    prop_oneof![
        text.clone().prop_map(str::to_owned),
        (1..7usize, text.clone()).prop_map(|(n, t)| format!("\n{} {t}\n", "#".repeat(n))),
        (text.clone(), 1..5usize).prop_map(|(t, n)| format!("{t}\n{}\n", "=".repeat(n))),
        text.clone().prop_map(|t| format!("*{t}*")),
        text.clone().prop_map(|t| format!("**{t}**")),
        text.clone().prop_map(|t| format!("_{t}_ ")),
        text.clone().prop_map(|t| format!("`{t}`")),
        (text.clone(), url.clone(), title.clone()).prop_map(|(t, u, ti)| format!("[{t}]({u}{ti})")),
        (text.clone(), url.clone(), title.clone())
            .prop_map(|(t, u, ti)| format!("![{t}]({u}{ti})")),
        (text.clone(), url.clone()).prop_map(|(t, u)| format!("[{t}][r]\n\n[r]: {u}\n")),
        url.clone().prop_map(|u| format!("<{u}>")),
        text.clone()
            .prop_map(|t| format!("\n- {t}\n- [ ] todo\n- [x] done\n")),
        text.clone()
            .prop_map(|t| format!("\n1. {t}\n2. two\n\n   para\n")),
        text.clone().prop_map(|t| format!("\n3) {t}\n")),
        text.clone().prop_map(|t| format!("\n> {t}\n> > deeper\n")),
        text.clone().prop_map(|t| format!("\n> [!NOTE]\n> {t}\n")),
        text.clone().prop_map(|t| format!("\n```rust\n{t}\n```\n")),
        text.clone()
            .prop_map(|t| format!("\n~~~ c++ x\n{t}\n~~~\n")),
        text.clone().prop_map(|t| format!("\n    indented {t}\n")),
        text.clone()
            .prop_map(|t| format!("\n| a | b |\n|:-|-:|\n| {t} | x |\n| y |\n")),
        text.clone()
            .prop_map(|t| format!("note[^1] {t}\n\n[^1]: {t}\n")),
        text.clone()
            .prop_map(|t| format!("\nTerm {t}\n: definition\n")),
        (text.clone(), template()).prop_map(|(t, template)| template.replace("{t}", t)),
        prop::sample::select(vec![
            "\n\n",
            "\n",
            "  \n",
            "\\\n",
            "\n---\n",
            "\n***\n",
            "<!-- more -->",
            "\n<!-- more -->\n",
            "<!-- a comment -->",
            "\n<!--\nblock comment\n-->\n",
            "<!---->",
            "<!-- x --> after",
            "<b>bold</b>",
            "<br>",
            "\t",
            "\u{0}",
            "\r\n",
            "# {#custom-id .cls}\n",
            "## h {onclick=x}\n",
            "\n{: .note}\n",
            "[^1]",
        ])
        .prop_map(str::to_owned),
    ]
}

/// What the library writes as HTML of its own, which the fast path takes:
/// template tags of every dialect (rendered, unknown, in containers, inline
/// in links, headings, cells and image text) and alerts, `{t}` standing for
/// some text.
const TEMPLATES: &[&str] = &[
    "\n{% note info %}\n{t}\n{% endnote %}\n",
    "\n{% note warning A *title* & more %}\n{t}\n\n- list\n{% endnote %}\n",
    "\n{% note %}\n{% note danger %}\n{t}\n{% endnote %}\n{% endnote %}\n",
    "\n- item\n\n  {% note success %}\n  {t}\n  {% endnote %}\n",
    "\n> {% note info %}\n> {t}\n> {% endnote %}\n",
    "para {% note info %}{t}{% endnote %} after\n",
    "\n{% note info %}\n{t}\n",
    "{t}\n{% endnote %}\n",
    "inline {% unknown_tag a b %} and {{< shortcode x=\"{t}\" >}} and {{% percent %}}\n",
    "[link {% unknown %}](/x) ![alt {% unknown %}](/a.png)\n",
    "\n## Heading {{< unknown >}}\n",
    "\n| a | {% unknown %} |\n|---|---|\n| {t} | {{< x >}} |\n",
    "*em {% unknown %}* **{{< x >}}**\n",
    "\n{% btn /docs/, Read {t} %}\n",
    "\n| a |\n|---|\n| {% btn /docs/, in a cell %} |\n",
    "\n{% img /images/a.png 200 100 {t} %}\n",
    "\n{% codeblock lang:js %}\n{t}\n{% endcodeblock %}\n",
    "\n{% codeblock %}\n\nstarts with a blank line\n{% endcodeblock %}\n",
    "\n{% blockquote Someone, A Book %}\n{t}\n{% endblockquote %}\n",
    "\n{% pullquote %}\n{t}\n{% endpullquote %}\n",
    "\n{% message color:warning title:{t} %}\nbody\n{% endmessage %}\n",
    "\n{% gallery %}\n![a](/a.png)\n{% endgallery %}\n",
    "\n{% timeline 2024 %}\n<!-- timeline 01-02 -->\n{t}\n<!-- endtimeline -->\n{% endtimeline %}\n",
    "\n{% hideToggle Show {t} %}\nhidden\n{% endhideToggle %}\n",
    "\n{% fold open:true More %}\n{t}\n{% endfold %}\n",
    "\n{% note info no-icon %}\n{t}\n{% endnote %}\n",
    "\n{{< notice warning >}}\n{t}\n{{< /notice >}}\n",
    "\n{{< alert icon=\"x\" >}}\n{t}\n{{< /alert >}}\n",
    "\n{{< hint danger >}}\n{t}\n{{< /hint >}}\n",
    "\n{{< tabs >}}\n{{< tab \"One\" >}}\n{t}\n{{< /tab >}}\n{{< /tabs >}}\n",
    "\n{{< gallery >}}\n![a](/a.png)\n{{< /gallery >}}\n",
    "\n{% spoiler(title=\"{t}\") %}\nhidden\n{% end %}\n",
    "\n{% tabs demo, 2 %}\n<!-- tab One -->\n{t}\n<!-- endtab -->\n<!-- tab Two -->\nsecond\n<!-- endtab -->\n{% endtabs %}\n",
    "\n{% link A site, https://example.com/x?a=1&b=2 %}\n",
    "{% mark {t} %}",
    "\n{{< figure src=\"/a.png\" caption=\"A *caption* with `code`\" link=\"/big.png\" >}}\n",
    "\n{{< youtube abc123 >}}\n",
    "\n{{< gist someone 123 >}}\n",
    "\n{{< highlight go >}}\n{t}\n{{< /highlight >}}\n",
    "\n{{< details summary=\"More\" >}}\n{t}\n{{< /details >}}\n",
    "\n{{< admonition tip \"{t}\" >}}\nbody\n{{< /admonition >}}\n",
    "\n{{< unknown >}}\n{t}\n{{< /unknown >}}\n",
    "\n{{ youtube(id=\"abc\") }}\n",
    "\n{% note(kind=\"info\") %}\n{t}\n{% end %}\n",
    "[zola link](@/blog/post.md)",
    "{{ youtube(id=\"a\") }}\n\n[label {{ unknown() }} x](@/x.md) ![img](@/y.md)\n\n{{ vimeo(id=\"b\") }}\n",
    "\n> [!tip]- {t}\n> body\n",
    "\n> [!bug]+\n> {t}\n",
    "\n> [!WARNING] Title [with\n> link](/x)\n> body\n",
    "\n> [!note]\n> outer\n>\n> > [!caution]\n> > inner {t}\n",
    "\n- > [!IMPORTANT]\n  > {t}\n",
    "\n> [!info] only a title\n",
];

/// What the fast path declines: the library's markup written by the
/// author, the author's text in the HTML block an output starts, and
/// output the tree builder would move.
const DECLINED: &[&str] = &[
    "<div class=\"markdown-alert markdown-alert-note\">\n<p class=\"markdown-alert-title\">",
    "</div>\n",
    "</p></aside>",
    "{% img /images/a.png %}\ntext right under\n",
    // A link in a link, which the tree builder takes apart.
    "[a link around {% btn /docs/, a button %}](/x)\n",
    "\n{% btn /docs/, Read www.example.com %}\n",
];

fn template() -> impl Strategy<Value = &'static str> {
    prop::sample::select([TEMPLATES, DECLINED].concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Generated Markdown renders the same on both paths.
    #[test]
    fn generated_markdown_renders_the_same(pieces in prop::collection::vec(piece(), 0..24), set in 0..10usize) {
        let source = pieces.concat();
        let (name, options) = option_sets().swap_remove(set);
        let options = Options { format: Format::Markdown, ..options };
        same(&format!("generated ({name})"), &source, &options);
    }
}

/// Over many generated documents, the fast path is taken for a good share:
/// the generator must make what real posts have, not only what declines.
#[test]
fn generated_markdown_mostly_takes_the_fast_path() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = prop::collection::vec(piece(), 0..8);
    let (mut taken, mut total) = (0, 0);
    for _ in 0..300 {
        let pieces = strategy.new_tree(&mut runner).unwrap().current();
        let source = pieces.concat();
        let options = Options {
            format: Format::Markdown,
            ..Options::default()
        };
        total += 1;
        taken += usize::from(same("generated", &source, &options).0);
    }
    println!("generated: the fast path took {taken} of {total}");
    assert!(
        taken * 5 >= total,
        "the fast path took only {taken} of {total}"
    );
}

/// Each piece of the library's own HTML renders the same on both paths
/// under every option set, and the fast path takes most of them (they were
/// all declined as raw HTML before it could read them).
#[test]
fn templates_and_alerts_take_the_fast_path() {
    for template in TEMPLATES.iter().chain(DECLINED) {
        for text in ["plain words", "AT&T <b> 中文", "*a* [b](/c) \"q\""] {
            let source = template.replace("{t}", text);
            for (set, options) in option_sets() {
                let label = format!("{template:?} with {text:?} ({set})");
                let (taken, _) = same(&label, &source, &options);
                if set == "default" && !text.contains('<') {
                    assert_eq!(taken, !DECLINED.contains(template), "{label}");
                }
            }
        }
    }
}
