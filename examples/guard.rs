//! Times the guard's audit by html5ever's tokenizer and by its own lexer,
//! in one binary, interleaved: `cargo run --release --example guard`.
//!
//! Reads `bench/results/corpus` (made by `node bench/corpus.mjs
//! bench/results/corpus`): its news (raw-HTML bodies) and Markdown posts,
//! and `../shared/corpus` when present. For each class: time per render
//! with each tokenizer, and the audit alone on each file's text. The audit
//! share is the audit alone over the render, both with the same tokenizer.

use std::path::Path;
use std::time::Instant;

use article_render::__guard_timing as timing;

fn files(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
}

/// Median of `rounds` timings of `f` over `docs`, in microseconds per
/// document.
fn time(docs: &[String], f: &dyn Fn(&str) -> usize) -> f64 {
    let start = Instant::now();
    let mut sink = 0;
    for doc in docs {
        sink += f(doc);
    }
    std::hint::black_box(sink);
    start.elapsed().as_secs_f64() * 1e6 / docs.len() as f64
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut classes = Vec::new();
    for class in ["news", "markdown"] {
        let mut docs = Vec::new();
        files(&root.join("bench/results/corpus").join(class), &mut docs);
        classes.push((class, docs));
    }
    let mut shared = Vec::new();
    files(&root.join("../shared/corpus"), &mut shared);
    classes.push(("shared", shared));
    // `GUARD_ROUNDS` and a class name as argument, for a profiler's run.
    let rounds = std::env::var("GUARD_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(15);
    let only = std::env::args().nth(1);
    classes.retain(|(class, _)| only.as_deref().is_none_or(|o| o == *class));
    println!(
        "class     files  under the bound  render µs (html5ever / lexer)  audit µs (html5ever / lexer)  audit share (html5ever / lexer)"
    );
    for (class, docs) in &classes {
        if docs.is_empty() {
            continue;
        }
        let render = |d: &str| article_render::render(d).html.len();
        let mut samples = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
        for _ in 0..rounds {
            for (i, html5ever) in [(0, true), (1, false)] {
                // `GUARD_ONLY=html5ever` or `lexer`: one side alone, for a
                // profiler's instruction counts.
                let only = std::env::var("GUARD_ONLY").ok();
                if only.is_some_and(|o| (o == "html5ever") != html5ever) {
                    continue;
                }
                timing::use_html5ever(html5ever);
                samples[i].push(time(docs, &render));
                samples[i + 2].push(time(docs, &timing::audit));
            }
        }
        timing::use_html5ever(false);
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let [r5, rl, a5, al] = samples.map(|mut v| {
            if v.is_empty() {
                v.push(f64::NAN);
            }
            median(&mut v)
        });
        // (Of the file as an HTML fragment: a Markdown body's audit reads
        // its tags alone, which are fewer.)
        let under = docs.iter().filter(|d| timing::under_the_bound(d)).count();
        println!(
            "{class:<9} {:>5}  {under:>15}  {r5:>10.1} / {rl:>8.1}            {a5:>8.1} / {al:>8.1}            {:>5.1}% / {:>5.1}%",
            docs.len(),
            100.0 * a5 / r5,
            100.0 * al / rl
        );
    }
}
