//! Peak heap of one `render_with_options` natively, per input byte: the
//! check of issue 18's memory target (≤ 8× the input) without building the
//! wasm. `bench/memory.mjs` measures the package itself; `bench/MEMORY.md`
//! says where the peak comes from.
//!
//! ```sh
//! node bench/corpus.mjs   # the inputs, if bench/results/corpus is missing
//! cargo run --release --example memory [FILE]...
//! ```
//!
//! Without files: the corpus's 1 MB and 10 MB articles, Markdown and raw
//! HTML, as `bench/memory.mjs` uses. Peak = the most bytes live at once
//! during the render (and the JSON of its result, as the binding writes it),
//! over those live before it; the source text itself is not counted. Native
//! is 64-bit: structures of pointers weigh more than in wasm32.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting the bytes live and the most live at once.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every call is passed on to `System` unchanged; only counters change.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: the caller's contract, passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as a copy: the old block and the new one live together.
        grew(new_size);
        // SAFETY: the caller's contract, passed on.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        LIVE.fetch_sub(layout.size(), Relaxed);
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let mut files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/results/corpus");
        files = [
            "big/big-md-1mb.md",
            "scale/scale-md-10mb.md",
            "big/big-html-1mb.md",
            "scale/scale-html-10mb.md",
        ]
        .iter()
        .map(|f| format!("{corpus}/{f}"))
        .collect();
    }
    let options = article_render::Options::default();
    println!(
        "{:>10} {:>9} {:>10}  file",
        "bytes", "peak MB", "peak/input"
    );
    for file in files {
        let Ok(source) = std::fs::read_to_string(&file) else {
            eprintln!(
                "{file}: not readable as UTF-8 (run `node bench/corpus.mjs` for the defaults)"
            );
            std::process::exit(1);
        };
        let before = LIVE.load(Relaxed);
        PEAK.store(before, Relaxed);
        let mut rendered = article_render::render_with_options(&source, &options)
            .expect("the default options are valid");
        // What the binding does next: the result but its HTML as JSON.
        let html = std::mem::take(&mut rendered.html);
        let json = serde_json::to_string(&rendered).expect("a result serializes");
        let peak = PEAK.load(Relaxed) - before;
        drop((rendered, html, json));
        println!(
            "{:>10} {:>9.1} {:>9.1}×  {file}",
            source.len(),
            peak as f64 / 1e6,
            peak as f64 / source.len() as f64
        );
    }
}
