//! Times the Markdown fast path against the full path on the
//! `../shared/corpus` Markdown files the fast path takes, in the same
//! binary, rounds interleaved: `cargo run --release --example fast_path`.
//!
//! 2026-12-06, git b5b929f, 2-core VM at load 5–8: 123
//! files, 683 KB; median of 15 rounds fast 23.2 ms (29.5 MB/s), full
//! 44.7 ms (15.3 MB/s): the whole `render` 1.93× as fast on the fast path.
//!
//! 2026-12-07, git afe4308 (the library's own HTML taken too), load 4.7:
//! 159 files, 999 KB; fast 26.8 ms (37.3 MB/s), full 58.6 ms (17.0 MB/s):
//! 2.19×.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use article_render::{Options, render_full_path, render_saying_path, render_with_options};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.file_name().is_some_and(|n| n != "README.md") {
            out.push(path);
        }
    }
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    paths.sort();
    let mut docs = Vec::new();
    for path in &paths {
        let source = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        let name = path.file_name().unwrap().to_string_lossy();
        let name = name
            .splitn(3, "__")
            .nth(2)
            .unwrap_or(&name)
            .replace("__", "/");
        let options = Options {
            file_name: Some(name),
            ..Options::default()
        };
        if render_saying_path(&source, &options).unwrap().1 {
            docs.push((source, options));
        }
    }
    let bytes: usize = docs.iter().map(|(s, _)| s.len()).sum();
    println!("{} files the fast path takes, {bytes} bytes", docs.len());
    let rounds = 15;
    let (mut fast, mut full) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let start = Instant::now();
        for (source, options) in &docs {
            std::hint::black_box(render_with_options(source, options).unwrap());
        }
        fast.push(start.elapsed());
        let start = Instant::now();
        for (source, options) in &docs {
            std::hint::black_box(render_full_path(source, options).unwrap());
        }
        full.push(start.elapsed());
    }
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (fast, full) = (median(&mut fast), median(&mut full));
    let mbps = |t: Duration| bytes as f64 / 1e6 / t.as_secs_f64();
    println!(
        "median of {rounds} rounds: fast {fast:.2?} ({:.1} MB/s), full {full:.2?} ({:.1} MB/s), full / fast = {:.2}",
        mbps(fast),
        mbps(full),
        full.as_secs_f64() / fast.as_secs_f64()
    );
}
