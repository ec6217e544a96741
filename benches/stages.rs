//! The pipeline natively, stage by stage, so a regression can be located.
//!
//! `make bench` runs it (or `cargo bench --bench stages [-- FILTER]`). The
//! corpus is the generated one of `bench/corpus.mjs` (made here with `node`
//! when missing), plus `../shared/corpus` when that folder exists. Groups,
//! each per class (`news`, `md-plain` and `md-html` — Markdown without and
//! with raw HTML —, `big`, `shared`), throughput in bytes
//! of article source:
//!
//! - `render`    — `render_with_options` with the default options: the whole pipeline;
//! - `json`      — `serde_json::to_string(&Rendered)`: what the wasm binding adds;
//! - `pulldown`  — pulldown-cmark alone on the Markdown bodies, our extensions on;
//! - `sanitize`  — `sanitize_html` alone on the HTML the body stage hands it
//!   (the raw HTML body, or pulldown-cmark's output);
//! - `ammonia`   — one `ammonia::clean` of that HTML, the default policy: one
//!   parse and one serialization, the floor under `sanitize`;
//! - `html5ever` — parse that HTML into a tree and serialize it, nothing else;
//!   and tokenize it alone (no tree), the cost of one more pass such as the audit;
//! - `scaling`   — one 100 KB and one 10 MB article of each kind: time per MB.
//!
//! Sample sizes are small on purpose: the whole run takes a few minutes.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use article_render::{BodyFormat, Options, render_with_options, sanitize_html};
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tokenizer::{
    BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::{QualName, local_name, ns, serialize};
use markup5ever_rcdom::{RcDom, SerializableHandle};
use pulldown_cmark::{Options as Extensions, Parser, html};

struct Doc {
    class: String,
    name: String,
    text: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The generated corpus (bench/results/corpus), written by `bench/corpus.mjs`
/// if it is not there yet, then the shared corpus of real files if present.
fn corpus() -> Vec<Doc> {
    let dir = root().join("bench/results/corpus");
    let manifest = dir.join("manifest.json");
    if !manifest.exists() {
        let status = Command::new("node")
            .arg(root().join("bench/corpus.mjs"))
            .arg(&dir)
            .status()
            .expect("node runs bench/corpus.mjs");
        assert!(status.success(), "bench/corpus.mjs failed");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).expect("manifest"))
            .expect("manifest JSON");
    let mut docs: Vec<Doc> = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| Doc {
            class: f["class"].as_str().unwrap().to_owned(),
            name: f["name"].as_str().unwrap().to_owned(),
            text: std::fs::read_to_string(dir.join(f["path"].as_str().unwrap())).unwrap(),
        })
        .collect();
    let shared = root().join("../shared/corpus");
    if shared.is_dir() {
        let mut files = Vec::new();
        walk(&shared, &mut files);
        files.sort();
        for path in files {
            let bytes = std::fs::read(&path).unwrap();
            docs.push(Doc {
                class: "shared".to_owned(),
                name: path.strip_prefix(&shared).unwrap().display().to_string(),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            });
        }
    } else {
        eprintln!("stages: ../shared/corpus is absent; the `shared` class is skipped");
    }
    docs
}

/// Every article file under `dir`, but the folder's README.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.parent() != Some(dir) || path.file_name().unwrap() != "README.md" {
            out.push(path);
        }
    }
}

/// What follows the front matter, found the simple way (`---` or `+++`
/// fences): enough to hand the body stages the same text `render` does.
fn body(source: &str) -> &str {
    let start = source.trim_start_matches(['\u{feff}', '\n', '\r', ' ']);
    for fence in ["---", "+++"] {
        if let Some(rest) = start.strip_prefix(fence) {
            let mut offset = 0;
            for line in rest.split_inclusive('\n').skip(1) {
                offset += line.len();
                if line.trim_end() == fence {
                    let first = rest.split_inclusive('\n').next().unwrap().len();
                    return &rest[first + offset..];
                }
            }
        }
    }
    source
}

/// pulldown-cmark with the extensions `Options::default()` turns on.
fn extensions() -> Extensions {
    Extensions::ENABLE_TABLES
        | Extensions::ENABLE_FOOTNOTES
        | Extensions::ENABLE_STRIKETHROUGH
        | Extensions::ENABLE_TASKLISTS
        | Extensions::ENABLE_HEADING_ATTRIBUTES
        | Extensions::ENABLE_GFM
        | Extensions::ENABLE_MATH
}

fn pulldown(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(markdown, extensions()));
    out
}

fn parse_and_serialize(html: &str) -> String {
    let dom = html5ever::parse_fragment(
        RcDom::default(),
        Default::default(),
        QualName::new(None, ns!(html), local_name!("div")),
        Vec::new(),
        false,
    )
    .one(html);
    let root = dom.document.children.borrow()[0].clone();
    let mut out = Vec::new();
    serialize(
        &mut out,
        &SerializableHandle::from(root),
        Default::default(),
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

/// A token sink that looks at nothing: the cost of tokenizing alone, the
/// floor under any pass over the HTML that does not build a tree (the
/// sanitizer's audit is one).
struct Nothing;

impl TokenSink for Nothing {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        black_box(&token);
        TokenSinkResult::Continue
    }
}

fn tokenize(html: &str) {
    let tokenizer = Tokenizer::new(Nothing, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
}

/// One class of documents prepared for every stage.
struct Class {
    name: &'static str,
    docs: Vec<String>,
    /// The HTML the body stage hands the sanitizer, per document.
    unsafe_html: Vec<String>,
    /// The Markdown bodies (empty for raw-HTML documents).
    markdown: Vec<String>,
}

impl Class {
    fn new(name: &'static str, docs: Vec<String>) -> Class {
        let options = Options::default();
        let mut unsafe_html = Vec::new();
        let mut markdown = Vec::new();
        for doc in &docs {
            let rendered = render_with_options(doc, &options).unwrap();
            let body = body(doc);
            match rendered.body_format {
                BodyFormat::Html => unsafe_html.push(body.to_owned()),
                BodyFormat::Markdown => {
                    unsafe_html.push(pulldown(body));
                    markdown.push(body.to_owned());
                }
            }
        }
        Class {
            name,
            docs,
            unsafe_html,
            markdown,
        }
    }

    fn bytes(&self) -> u64 {
        self.docs.iter().map(|d| d.len() as u64).sum()
    }
}

fn group<'a>(c: &'a mut Criterion, name: String, bytes: u64) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.throughput(Throughput::Bytes(bytes));
    group
}

/// Benchmarks `work` with ten samples: a few seconds for fast work, and for
/// slow work (big files) ten single runs, sized from a first run, so the
/// whole benchmark stays within minutes.
fn bench(group: &mut BenchmarkGroup<'_, WallTime>, id: &str, mut work: impl FnMut()) {
    let started = Instant::now();
    work();
    let once = started.elapsed();
    if once > Duration::from_millis(100) {
        group.sampling_mode(SamplingMode::Flat);
        group.measurement_time(once * 9);
    } else {
        group.sampling_mode(SamplingMode::Auto);
        group.measurement_time(Duration::from_secs(3));
    }
    group.bench_function(id, |b| b.iter(&mut work));
}

fn stages(c: &mut Criterion) {
    let all = corpus();
    let options = Options::default();
    let of = |class: &str| -> Vec<String> {
        all.iter()
            .filter(|d| d.class == class)
            .map(|d| d.text.clone())
            .collect()
    };
    let mut classes = vec![
        Class::new("news", of("news")),
        Class::new("md-plain", of("md-plain")),
        Class::new("md-html", of("md-html")),
        Class::new("big", of("big")),
    ];
    if all.iter().any(|d| d.class == "shared") {
        classes.push(Class::new("shared", of("shared")));
    }

    for class in &classes {
        let mut g = group(c, format!("render/{}", class.name), class.bytes());
        bench(&mut g, "render_with_options", || {
            for doc in &class.docs {
                black_box(render_with_options(black_box(doc), &options).unwrap());
            }
        });
        g.finish();

        let rendered: Vec<_> = class
            .docs
            .iter()
            .map(|d| render_with_options(d, &options).unwrap())
            .collect();
        let mut g = group(c, format!("json/{}", class.name), class.bytes());
        bench(&mut g, "serde_json::to_string", || {
            for r in &rendered {
                black_box(serde_json::to_string(black_box(r)).unwrap());
            }
        });
        g.finish();

        if !class.markdown.is_empty() {
            let bytes = class.markdown.iter().map(|m| m.len() as u64).sum();
            let mut g = group(c, format!("pulldown/{}", class.name), bytes);
            bench(&mut g, "push_html", || {
                for m in &class.markdown {
                    black_box(pulldown(black_box(m)));
                }
            });
            g.finish();
        }

        let bytes = class.unsafe_html.iter().map(|h| h.len() as u64).sum();
        let mut g = group(c, format!("sanitize/{}", class.name), bytes);
        bench(&mut g, "sanitize_html", || {
            for h in &class.unsafe_html {
                black_box(sanitize_html(black_box(h), &options).unwrap());
            }
        });
        bench(&mut g, "ammonia_clean_once", || {
            for h in &class.unsafe_html {
                black_box(ammonia::clean(black_box(h)));
            }
        });
        bench(&mut g, "html5ever_parse_serialize", || {
            for h in &class.unsafe_html {
                black_box(parse_and_serialize(black_box(h)));
            }
        });
        bench(&mut g, "html5ever_tokenize", || {
            for h in &class.unsafe_html {
                tokenize(black_box(h));
            }
        });
        g.finish();
    }

    for name in [
        "scale-md-100kb.md",
        "scale-md-10mb.md",
        "scale-html-100kb.md",
        "scale-html-10mb.md",
    ] {
        let doc = &all
            .iter()
            .find(|d| d.name == name)
            .expect("scale document")
            .text;
        let mut g = group(c, "scaling".to_owned(), doc.len() as u64);
        bench(&mut g, name.trim_end_matches(".md"), || {
            black_box(render_with_options(black_box(doc), &options).unwrap());
        });
        g.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
