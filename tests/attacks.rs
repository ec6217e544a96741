//! The attack corpus: every case of `tests/attacks/*.txt`, rendered with each
//! option variant of [`cases::variants`], must pass the safety check of
//! `tests/common/safety.rs` — no script, no navigation, no form, no
//! stylesheet, no foreign namespace, no unsafe URL, ids prefixed, links
//! `rel="noopener noreferrer"`, the output a fixed point of the sanitizer,
//! the JSON shape unchanged.
//!
//! Add a case by appending `=== <id>` and an article file to the category
//! file it belongs to (the format is described in `tests/common/cases.rs`).

#![cfg(not(target_arch = "wasm32"))]

#[path = "common/cases.rs"]
mod cases;
#[path = "common/fuzz_input.rs"]
mod fuzz_input;
#[path = "common/safety.rs"]
mod safety;

use std::collections::{BTreeMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use article_render::{Options, Rendered, render_with_options};

fn corpus() -> Vec<cases::Case> {
    cases::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/attacks"))
}

#[test]
fn every_attack_is_defused() {
    let cases = corpus();
    let mut ids = HashSet::new();
    for case in &cases {
        assert!(
            ids.insert(&case.id),
            "the id {} is used twice (ids are unique across categories)",
            case.id
        );
    }
    assert!(
        cases.len() >= 250,
        "the corpus holds at least 250 cases, not {}",
        cases.len()
    );

    let variants = cases::variants();
    let mut per_category: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for case in &cases {
        *per_category.entry(&case.category).or_default() += 1;
        for (variant, options) in &variants {
            let where_ = format!("{}/{} [{variant}]", case.category, case.id);
            for problem in run(&case.source, options) {
                failures.push(format!("{where_}: {problem}"));
            }
        }
    }

    println!(
        "attack cases: {} cases x {} option variants",
        cases.len(),
        variants.len()
    );
    for (category, count) in &per_category {
        println!("  {category:<20} {count:>4} cases");
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Renders `source` and returns what is wrong with the result: a panic is a
/// problem like any other.
fn run(source: &str, options: &Options) -> Vec<String> {
    match catch_unwind(AssertUnwindSafe(|| render_with_options(source, options))) {
        Err(panic) => vec![format!("render panicked: {}", panic_message(&*panic))],
        Ok(Err(e)) => vec![format!("valid options were refused: {e}")],
        Ok(Ok(rendered)) => safety::check_rendered(&rendered, options),
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned())
}

/// Markup the sanitizer would never let through; the checker must see each
/// problem in it, or the corpus passing proves nothing.
#[test]
fn the_harness_can_fail() {
    let options = Options::default();
    let reported = |html: &str, expected: &str| {
        let problems = safety::check_html(html, &options);
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "the checker reports {expected:?} in {html:?}; it said {problems:#?}"
        );
    };
    reported(
        "<p>a</p><script>alert(1)</script>",
        "dangerous element <script>",
    );
    reported("<img src=x onerror=alert(1)>", "event handler");
    reported(
        r#"<a href="java&#x09;script:alert(1)" rel="noopener noreferrer">x</a>"#,
        "not a safe URL",
    );
    reported(r#"<a href="https://x.example">x</a>"#, "without rel");
    reported(
        r#"<a href="https://x.example" target="_blank" rel="noopener noreferrer">x</a>"#,
        "navigates other frames",
    );
    reported(r#"<div id="cookie">x</div>"#, "lacks the id prefix");
    reported(r#"<img name="getElementById">"#, "clobbers");
    reported(
        r#"<p style="position:fixed;inset:0">x</p>"#,
        "style beyond text-align",
    );
    reported(r#"<input type="text">"#, "other than a disabled checkbox");
    reported(
        r#"<iframe srcdoc="&lt;script&gt;x()&lt;/script&gt;"></iframe>"#,
        "<iframe>",
    );
    reported("<svg><a>x</a></svg>", "namespace");
    reported("<math><mi>x</mi></math>", "namespace");
    reported("<x-widget>x</x-widget>", "not known to be inert");
    reported("<p>a<!-- b --></p>", "comment");
    // Mutation XSS: a tree that reads differently once written out again.
    reported(
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
        "mutates",
    );

    let rendered = Rendered {
        html: "<p>unclosed".to_owned(),
        meta: article_render::Meta {
            cover: Some("javascript:alert(1)".to_owned()),
            permalink: Some("vbscript:x".to_owned()),
            ..Default::default()
        },
        images: vec![
            article_render::Image {
                src: "data:text/html,<script>x()</script>".to_owned(),
                alt: String::new(),
            },
            article_render::Image {
                src: "data:image/svg+xml,<svg onload=x()>".to_owned(),
                alt: "svg".to_owned(),
            },
        ],
        ..Rendered::default()
    };
    let mut rendered = rendered;
    let extra = serde_json::json!({
        "link": " JAVA\tSCRIPT:alert(1)",
        "nested": {"list": ["ok", {"src": "&#106;avascript:alert(2)"}]},
        "og": "data:image/svg+xml,<svg onload=x()>",
        "deep": {"constructor": {"prototype": {"polluted": true}}},
        "__proto__": {"polluted": true},
    });
    rendered.meta.extra = extra.as_object().unwrap().clone();
    let problems = safety::check_rendered(&rendered, &options);
    for expected in [
        "sanitizing the output again changes it",
        "meta.cover",
        "meta.permalink",
        "images[].src: \"data:image/svg",
        "meta.extra.link",
        "meta.extra.nested.list[1].src",
        "meta.extra.og",
        "meta.extra.deep has the key \"constructor\"",
        "meta.extra has the key \"__proto__\"",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "the checker reports {expected:?}; it said {problems:#?}"
        );
    }
}

/// Writes every case, and every text file of `tests/fuzz-regressions/`,
/// as a fuzz seed (default options, see `tests/common/fuzz_input.rs`) into
/// `$ATTACK_SEEDS` (`scripts/fuzz.sh` sets it) or, without it, a folder under
/// the target directory; then reads every seed back as the fuzz target
/// does and checks it is the case it was written from, with the default
/// options, and that no two seeds share a name.
#[test]
fn write_fuzz_seeds() {
    let dir = match std::env::var_os("ATTACK_SEEDS") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-seeds"),
    };
    let dir = dir.as_path();
    std::fs::create_dir_all(dir).expect("the seed directory can be created");
    let regressions = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let texts = std::fs::read_dir(regressions)
        .expect("tests/fuzz-regressions exists")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_none_or(|e| e != "bin"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).expect("a text regression is UTF-8");
            (format!("regression-{name}"), text)
        });
    let cases = corpus()
        .into_iter()
        .map(|case| (format!("{}-{}", case.category, case.id), case.source));
    let seeds: Vec<(String, String)> = cases.chain(texts).collect();
    let mut names = HashSet::new();
    for (name, source) in &seeds {
        assert!(names.insert(name), "two seeds are named {name}");
        let mut data = vec![0; fuzz_input::HEADER];
        data.extend_from_slice(source.as_bytes());
        std::fs::write(dir.join(name), data).expect("a seed can be written");
    }
    assert!(seeds.len() > 100, "only {} seeds", seeds.len());
    for (name, source) in &seeds {
        let data = std::fs::read(dir.join(name)).expect("the seed was written");
        let (options, read) = fuzz_input::split(&data);
        assert_eq!(
            options,
            Options::default(),
            "{name}: a seed has the default options"
        );
        assert_eq!(&read, source, "{name}: the fuzz target reads the case back");
    }
}

/// The rule for `meta.extra` is decided by scheme: values that only hold a
/// colon come back exactly as written, with no warning; the hostile ones
/// come back `null`, each warning naming the key path it is at.
#[test]
fn extra_keeps_text_and_names_what_it_nulls() {
    let case = |id: &str| {
        let case = corpus()
            .into_iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("the case {id}"));
        article_render::render(&case.source)
    };
    let plain = case("extra-plain-text-colons");
    let extra = serde_json::Value::Object(plain.meta.extra.clone());
    for (key, expected) in [
        ("subtitle", "Chapter 1: Intro"),
        ("note", "note:"),
        ("time", "10:30"),
        ("windows", "C:\\Users\\me\\notes.txt"),
        ("lede", "Java script: a primer"),
        ("ratio", "16:9"),
        ("mail", "mailto:editor@news.example"),
    ] {
        assert_eq!(extra[key], expected, "`{key}` is text and stays as written");
    }
    assert!(
        extra["og_image"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;"),
        "a raster data image stays"
    );
    assert!(
        plain
            .diagnostics
            .iter()
            .all(|d| !d.code.starts_with("meta.")),
        "{:?}",
        plain.diagnostics
    );

    let merged = case("extra-yaml-merge-keys");
    let extra = serde_json::Value::Object(merged.meta.extra.clone());
    assert_eq!(extra["post"]["url"], serde_json::Value::Null);
    assert_eq!(extra["post"]["label"], "note: click", "merged text stays");
    assert_eq!(extra["many"]["src"], serde_json::Value::Null);
    let messages: Vec<&str> = merged
        .diagnostics
        .iter()
        .filter(|d| d.code == "meta.unsafe-url")
        .map(|d| d.message.as_str())
        .collect();
    for path in ["`base.url`", "`post.url`", "`many.url`", "`many.src`"] {
        assert!(
            messages.iter().any(|m| m.starts_with(path)),
            "a warning names {path}: {messages:?}"
        );
    }

    let proto = case("proto-via-anchor-and-merge");
    let json = serde_json::to_string(&proto.meta.extra).unwrap();
    assert!(
        !json.contains("__proto__") && !json.contains("constructor"),
        "{json}"
    );
    assert!(
        proto
            .diagnostics
            .iter()
            .any(|d| d.code == "meta.dropped-key" && d.message.contains("`config.__proto__`")),
        "{:?}",
        proto.diagnostics
    );
}
