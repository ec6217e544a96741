//! `cargo run --release --example timing [ROUNDS] [corpus|news]`: time per render, with
//! the default options, of every file of `../shared/corpus` (when that
//! folder is there) and of a generated news article with a raw-HTML body.
//! A quick native check beside `cargo bench --bench stages`, for comparing
//! two builds on the same machine (run them interleaved).
use std::hint::black_box;
use std::time::Instant;

fn files(dir: &std::path::Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
}

/// A news article as feed bots write them: a raw-HTML body of paragraphs
/// with links, entities and emphasis, subheadings, figures and a table.
fn news() -> String {
    let mut body = String::from("---\ntitle: Markets close higher\n---\n");
    for i in 0..60 {
        if i % 8 == 0 {
            body.push_str(&format!("<h2>Section {i}: rates &amp; outlook</h2>\n"));
        }
        body.push_str(&format!(
            "<p class=\"lead\" style=\"margin:0\">Shares of <a href=\"https://news.example/co/{i}?a=1&amp;b=2\" \
             target=\"_blank\">Company {i}</a> rose <strong>{i}.5%</strong> on Tuesday &mdash; \
             the &ldquo;best day&rdquo; since March, analysts at <em>Bank&nbsp;{i}</em> said. \
             Volume was <span>above average</span>.</p>\n"
        ));
        if i % 10 == 5 {
            body.push_str(&format!(
                "<figure><img src=\"https://img.example/{i}.jpg\" alt=\"Chart {i}\" \
                 onerror=\"x()\"><figcaption>Chart {i}</figcaption></figure>\n\
                 <table><tr><th>Index</th><th>Change</th></tr><tr><td>A</td><td>+{i}</td></tr></table>\n"
            ));
        }
    }
    body
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let only = std::env::args().nth(2);
    let mut corpus = Vec::new();
    files(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        &mut corpus,
    );
    let news = news();
    let options = article_render::Options::default();
    for (name, docs) in [("corpus", corpus), ("news", vec![news])] {
        if docs.is_empty() || only.as_deref().is_some_and(|only| only != name) {
            continue;
        }
        let bytes: usize = docs.iter().map(String::len).sum();
        let mut best = f64::MAX;
        for _ in 0..rounds {
            let start = Instant::now();
            for doc in &docs {
                black_box(article_render::render_with_options(black_box(doc), &options).unwrap());
            }
            best = best.min(start.elapsed().as_secs_f64());
        }
        println!(
            "{name}: {} files, {bytes} bytes: best of {rounds} rounds {:.2} ms, {:.1} µs per render",
            docs.len(),
            best * 1e3,
            best * 1e6 / docs.len() as f64
        );
    }
}
