//! `cargo run --release --example limits`: the limits of issue 5 as a
//! benchmark, natively. Hostile inputs (the families below) are generated at
//! 10 KB, 100 KB, 1 MB and 10 MB, rendered with `article_render::render`
//! (default options: `maxInputBytes` is 32 MiB, so even 10 MB needs no
//! other), and timed: CPU time of the rendering thread, so that other work
//! on a shared machine does not count. Linear time means the same milliseconds per MB at
//! every size: the table gives the ratio of ms/MB at the largest size to
//! ms/MB at the smallest, and calls a family SUPERLINEAR when it is above 3.
//!
//! No larger stack: each family runs in a child process (so a crash is
//! reported as such and the other families still run), on the main thread's
//! ordinary stack (`ulimit -s`, 8 MiB), then once more at the largest size on
//! a thread with a 1 MiB stack, the size of the Rust stack in wasm.
//!
//! The families and their inputs are the same, byte for byte, in
//! `bench/limits.mjs` (the wasm run under Node): `--inputs` of both prints
//! the FNV-1a of every input, and `make bench` compares them. Change one
//! list, change the other.
//!
//! Options: `--quick` (up to 1 MB), `--family NAME` (repeatable), `--inputs`
//! (no rendering: each input's name, size, n, bytes and FNV-1a, one a line,
//! as `node bench/limits.mjs --inputs` prints them),
//! `--budget SECONDS` (default 60: a size whose time, foreseen from the
//! smaller ones, is over that is skipped, with the larger ones). The
//! Markdown table goes to standard output, progress to standard error.
//! `make bench` writes it into `bench/LIMITS.md`.

use std::fmt::Write as _;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Input sizes, in bytes (MB = 10^6).
const SIZES: [usize; 4] = [10_000, 100_000, 1_000_000, 10_000_000];
/// Sizes below this are timed as the best of 3 renders, larger ones once.
const BEST_OF_3_BELOW: usize = 10_000_000;
/// ... unless the first render took longer than this.
const REPEAT_BELOW_MS: f64 = 1000.0;
/// Above this ratio of ms/MB, largest size to smallest, a family is superlinear.
const SUPERLINEAR: f64 = 3.0;
/// Above this many ms per MB at the largest size (under 1 MB/s), a family is slow.
const SLOW_MS_PER_MB: f64 = 1000.0;

/// A family of hostile inputs: `generate(n)` repeats its pattern n times.
struct Family {
    name: &'static str,
    /// The input, as documented in the output (JS string notation).
    what: &'static str,
    generate: fn(usize) -> String,
}

/// Keep in step with `FAMILIES` in `bench/limits.mjs`.
static FAMILIES: &[Family] = &[
    Family {
        name: "div",
        what: r#""<div>"×n + "x" + "</div>"×n"#,
        generate: |n| format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n)),
    },
    Family {
        name: "span-b",
        what: r#""<span><b>"×n + "x" + "</b></span>"×n"#,
        generate: |n| format!("{}x{}", "<span><b>".repeat(n), "</b></span>".repeat(n)),
    },
    Family {
        name: "b-i-unclosed",
        what: r#""<b><i>"×n + "x""#,
        generate: |n| format!("{}x", "<b><i>".repeat(n)),
    },
    Family {
        name: "a-unclosed",
        what: r#"'<a href="/">a'×n"#,
        generate: |n| "<a href=\"/\">a".repeat(n),
    },
    Family {
        name: "table-nested",
        what: r#""<table><tr><td>"×n + "x""#,
        generate: |n| format!("{}x", "<table><tr><td>".repeat(n)),
    },
    Family {
        name: "div-stray-end",
        what: r#""<div></span>"×n + "x""#,
        generate: |n| format!("{}x", "<div></span>".repeat(n)),
    },
    Family {
        name: "div-self-closed",
        what: r#""<div/>"×n + "x""#,
        generate: |n| format!("{}x", "<div/>".repeat(n)),
    },
    Family {
        name: "b-div-misnested",
        what: r#""<b><div></b>"×n + "x""#,
        generate: |n| format!("{}x", "<b><div></b>".repeat(n)),
    },
    Family {
        name: "b-i-misnested",
        what: r#""<b><i class=k>x</b>"×n"#,
        generate: |n| "<b><i class=k>x</b>".repeat(n),
    },
    Family {
        name: "div-b-unclosed",
        what: r#""<div><b class=k>x</div>"×n"#,
        generate: |n| "<div><b class=k>x</div>".repeat(n),
    },
    Family {
        name: "div-b-distinct",
        what: r#""<div><b class=k" + i + ">x</div>", i = 0..n"#,
        generate: |n| {
            (0..n)
                .map(|i| format!("<div><b class=k{i}>x</div>"))
                .collect()
        },
    },
    Family {
        name: "attrs-distinct",
        what: r#""<svg><g" + " a" + i + "=x", i = 0..n, + ">x""#,
        generate: |n| {
            let attrs: String = (0..n).map(|i| format!(" a{i}=x")).collect();
            format!("<svg><g{attrs}>x")
        },
    },
    Family {
        name: "attrs-end-tag",
        what: r#""<p>x</p" + " a" + i + "=x", i = 0..n, + ">""#,
        generate: |n| {
            let attrs: String = (0..n).map(|i| format!(" a{i}=x")).collect();
            format!("<p>x</p{attrs}>")
        },
    },
    Family {
        name: "attrs-after-script-comment",
        what: r#""<script><!-- x --></script><svg><g" + " a" + i + "=x", i = 0..n, + ">x""#,
        generate: |n| {
            let attrs: String = (0..n).map(|i| format!(" a{i}=x")).collect();
            format!("<script><!-- x --></script><svg><g{attrs}>x")
        },
    },
    Family {
        name: "attrs-after-cr",
        what: r#""a&#13;b\n\n<div" + " a" + i + "=x", i = 0..n, + ">\nx\n</div>\n" (Markdown)"#,
        generate: |n| {
            let attrs: String = (0..n).map(|i| format!(" a{i}=x")).collect();
            format!("a&#13;b\n\n<div{attrs}>\nx\n</div>\n")
        },
    },
    Family {
        name: "font-heavy-unclosed",
        what: r#"'<font title="' + "A"×49 + '"> x'×n"#,
        generate: |n| format!("<font title=\"{}\"> x", "A".repeat(49)).repeat(n),
    },
    Family {
        name: "form-div",
        what: r#""<form><div>x</form>"×n"#,
        generate: |n| "<form><div>x</form>".repeat(n),
    },
    Family {
        name: "table-form-br",
        what: r#""<table>" + "x<form><br>"×n"#,
        generate: |n| format!("<table>{}", "x<form><br>".repeat(n)),
    },
    Family {
        name: "rt-tower",
        what: r#""<rt>x"×n"#,
        generate: |n| "<rt>x".repeat(n),
    },
    Family {
        name: "li-dd-tower",
        what: r#""<li>x<dd>x"×n"#,
        generate: |n| "<li>x<dd>x".repeat(n),
    },
    Family {
        name: "table-tr-end-div",
        what: r#""<table><tr><div></tr>" + "<p>x</p>"×n"#,
        generate: |n| format!("<table><tr><div></tr>{}", "<p>x</p>".repeat(n)),
    },
    Family {
        name: "table-p-ruby",
        what: r#""<table>" + "<p><ruby>"×n"#,
        generate: |n| format!("<table>{}", "<p><ruby>".repeat(n)),
    },
    Family {
        name: "table-colgroup-math",
        what: r#""<table>" + "<h1><colgroup><math><p>"×n"#,
        generate: |n| format!("<table>{}", "<h1><colgroup><math><p>".repeat(n)),
    },
    Family {
        name: "table-p",
        what: r#""<table>" + "<p>x</p>"×n"#,
        generate: |n| format!("<table>{}", "<p>x</p>".repeat(n)),
    },
    Family {
        name: "table-xmp",
        what: r#""<table>" + "<xmp>x</xmp>"×n"#,
        generate: |n| format!("<table>{}", "<xmp>x</xmp>".repeat(n)),
    },
    Family {
        name: "p-table",
        what: r#""<p><table>"×n"#,
        generate: |n| "<p><table>".repeat(n),
    },
    Family {
        name: "table-end-text",
        what: r#""<table></font>></table>"×n"#,
        generate: |n| "<table></font>></table>".repeat(n),
    },
    Family {
        name: "table-text-br",
        what: r#""<table>" + "x<br>"×n"#,
        generate: |n| format!("<table>{}", "x<br>".repeat(n)),
    },
    Family {
        name: "div-b-long-attr",
        what: r#"'<div><b title="' + "A"×1000 + '">x</div>' + "<p>x</p>"×n"#,
        generate: |n| {
            format!(
                "<div><b title=\"{}\">x</div>{}",
                "A".repeat(1_000),
                "<p>x</p>".repeat(n)
            )
        },
    },
    Family {
        name: "div-16-formatting-attrs",
        what: r#""<div>" + 16 formatting elements, each with 100 bytes of attributes + "x</div>" + "<p>x</p>"×n"#,
        generate: |n| {
            let open: String = ["b", "big", "code", "em", "font", "i", "nobr", "s"]
                .iter()
                .chain(&["small", "strike", "strong", "tt", "u", "b", "i", "u"])
                .enumerate()
                .map(|(i, name)| format!("<{name} title=\"{i}{}\">", "A".repeat(100)))
                .collect();
            format!("<div>{open}x</div>{}", "<p>x</p>".repeat(n))
        },
    },
    Family {
        name: "quote",
        what: r#"">"×n + " x""#,
        generate: |n| format!("{} x", ">".repeat(n)),
    },
    Family {
        name: "list-dash",
        what: r#""- "×n + "x""#,
        generate: |n| format!("{}x", "- ".repeat(n)),
    },
    Family {
        name: "list-ordered",
        what: r#""1. "×n + "x""#,
        generate: |n| format!("{}x", "1. ".repeat(n)),
    },
    Family {
        name: "list-indent",
        what: r#"lines "  "×i + "- a\n", i = 0..n"#,
        generate: |n| (0..n).map(|i| format!("{}- a\n", "  ".repeat(i))).collect(),
    },
    Family {
        name: "run-[",
        what: r#""["×n + "a""#,
        generate: |n| format!("{}a", "[".repeat(n)),
    },
    Family {
        name: "run-*",
        what: r#""*"×n + "a""#,
        generate: |n| format!("{}a", "*".repeat(n)),
    },
    Family {
        name: "run-_",
        what: r#""_"×n + "a""#,
        generate: |n| format!("{}a", "_".repeat(n)),
    },
    Family {
        name: "run-`",
        what: r#""`"×n + "a""#,
        generate: |n| format!("{}a", "`".repeat(n)),
    },
    Family {
        name: "run-<",
        what: r#""<"×n + "a""#,
        generate: |n| format!("{}a", "<".repeat(n)),
    },
    Family {
        name: "run-&",
        what: r#""&"×n + "a""#,
        generate: |n| format!("{}a", "&".repeat(n)),
    },
    Family {
        name: "run-](",
        what: r#""]("×n + "a""#,
        generate: |n| format!("{}a", "](".repeat(n)),
    },
    Family {
        name: "brackets",
        what: r#""["×n + "a" + "]"×n + "(/)""#,
        generate: |n| format!("{}a{}(/)", "[".repeat(n), "]".repeat(n)),
    },
    Family {
        name: "link-open",
        what: r#""[ (]("×n"#,
        generate: |n| "[ (](".repeat(n),
    },
    Family {
        name: "link-unclosed",
        what: r#""[a](<b"×n"#,
        generate: |n| "[a](<b".repeat(n),
    },
    Family {
        name: "emph-nested",
        what: r#""*a **a "×n + "b" + " a** a*"×n"#,
        generate: |n| format!("{}b{}", "*a **a ".repeat(n), " a** a*".repeat(n)),
    },
    Family {
        name: "emph-mixed",
        what: r#""*a_ "×n"#,
        generate: |n| "*a_ ".repeat(n),
    },
    Family {
        name: "backticks",
        what: r#""e" + "`"×i, i = 1..n"#,
        generate: |n| (1..=n).map(|i| format!("e{}", "`".repeat(i))).collect(),
    },
    Family {
        name: "entities",
        what: r#""&amp;&#106;&#x6a;&nbsp&bogus;&"×n"#,
        generate: |n| "&amp;&#106;&#x6a;&nbsp&bogus;&".repeat(n),
    },
    Family {
        name: "prose-amp",
        what: r#""Q&A, R&D and AT&T\n"×n (one paragraph)"#,
        generate: |n| "Q&A, R&D and AT&T\n".repeat(n),
    },
    Family {
        name: "attr-amp",
        what: r#"'<a href="/" title="' + "&"×n + '">x</a>'"#,
        generate: |n| format!("<a href=\"/\" title=\"{}\">x</a>", "&".repeat(n)),
    },
    Family {
        name: "comment-open",
        what: r#""</" + "<!--"×n"#,
        generate: |n| format!("</{}", "<!--".repeat(n)),
    },
    Family {
        name: "yaml-bomb",
        what: r#"front matter: a = 10 x's, b..d = 10 aliases of the one before, then "k<i>: *d\n", i = 0..n"#,
        generate: |n| {
            let mut s = String::from("---\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
            for (prev, cur) in [('a', 'b'), ('b', 'c'), ('c', 'd')] {
                let aliases = vec![format!("*{prev}"); 10].join(", ");
                let _ = writeln!(s, "{cur}: &{cur} [{aliases}]");
            }
            for i in 0..n {
                let _ = writeln!(s, "k{i}: *d");
            }
            s + "---\nbody text\n"
        },
    },
    Family {
        name: "long-line",
        what: r#""word "×n (one line)"#,
        generate: |n| "word ".repeat(n),
    },
    Family {
        name: "table-wide",
        what: r#""|a"×n + "|\n" + "|-"×n + "|\n" + "|b"×n + "|\n""#,
        generate: |n| {
            format!(
                "{}|\n{}|\n{}|\n",
                "|a".repeat(n),
                "|-".repeat(n),
                "|b".repeat(n)
            )
        },
    },
    Family {
        name: "table-short-rows",
        what: r#""|a"×n + "|\n" + "|-"×n + "|\n" + "x\n"×n"#,
        generate: |n| {
            format!(
                "{}|\n{}|\n{}",
                "|a".repeat(n),
                "|-".repeat(n),
                "x\n".repeat(n)
            )
        },
    },
    Family {
        name: "tables-padded",
        what: r#"("|a"×512 + "|\n" + "|-"×512 + "|\n" + "x\n"×512 + "\n")×n"#,
        generate: |n| {
            format!(
                "{}|\n{}|\n{}\n",
                "|a".repeat(512),
                "|-".repeat(512),
                "x\n".repeat(512)
            )
            .repeat(n)
        },
    },
    Family {
        name: "tables-padded-small",
        what: r#"("|a"×64 + "|\n" + "|-"×64 + "|\n" + "x\n"×64 + "\n")×n"#,
        generate: |n| {
            format!(
                "{}|\n{}|\n{}\n",
                "|a".repeat(64),
                "|-".repeat(64),
                "x\n".repeat(64)
            )
            .repeat(n)
        },
    },
    Family {
        name: "footnotes",
        what: r#""a[^<i>] " for i = 0..n, "\n\n", "[^<i>]: n\n" for i = 0..n"#,
        generate: |n| {
            let mut s = String::new();
            for i in 0..n {
                let _ = write!(s, "a[^{i}] ");
            }
            s.push_str("\n\n");
            for i in 0..n {
                let _ = writeln!(s, "[^{i}]: n");
            }
            s
        },
    },
    Family {
        name: "footnote-refs",
        what: r#""x[^a] "×n + "\n\n[^a]: note\n""#,
        generate: |n| format!("{}\n\n[^a]: note\n", "x[^a] ".repeat(n)),
    },
    // A fence never closed, a line a big source could be cut at every three
    // bytes (src/markdown/chunks.rs): each try fails, the next is twice as far.
    Family {
        name: "fence-paragraphs",
        what: r#""```\n" + "a\n\n"×n"#,
        generate: |n| format!("```\n{}", "a\n\n".repeat(n)),
    },
    // Text pulldown-cmark splits at each `_` around an autolink literal: the
    // link's paragraph comes out in fewer events than it went in, so the
    // events rewritten in place leave free slots behind, more at every
    // paragraph (src/rewrite.rs moves each kept event once, whatever that).
    Family {
        name: "autolinks-split",
        what: r#""a_b_c_d_e_f https://x.example/ g_h\n\n"×n"#,
        generate: |n| "a_b_c_d_e_f https://x.example/ g_h\n\n".repeat(n),
    },
];

/// The input of about `target` bytes: the largest n whose input fits, and
/// the input. When the length looks affine in n, n is computed and checked;
/// otherwise searched (doubling, then bisecting: never more than twice n).
fn sized(family: &Family, target: usize) -> (usize, String) {
    let len = |n: usize| (family.generate)(n).len();
    let (l0, l1, l2) = (len(0), len(1), len(2));
    let guess = (l2 - l1 == l1 - l0 && l1 > l0).then(|| target.saturating_sub(l0) / (l1 - l0));
    let n = if let Some(n) = guess.filter(|&n| len(n) <= target && len(n + 1) > target) {
        n
    } else {
        let (mut lo, mut hi) = (0, 1); // lo fits, hi does not (once found)
        while len(hi) <= target {
            lo = hi;
            hi *= 2;
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if len(mid) <= target {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    };
    (n, (family.generate)(n))
}

/// FNV-1a, 32 bits, continued from `hash`: the inputs' fingerprint (`--inputs`), as in limits.mjs.
fn fnv1a(mut hash: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}
const FNV_OFFSET: u32 = 0x811c_9dc5;

/// Time on the CPU of the calling thread, in ms (`CLOCK_THREAD_CPUTIME_ID`):
/// on a shared machine, the time others take does not count.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn thread_cpu_ms() -> Option<f64> {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec, 64-bit fields on 64-bit Linux.
    let ok = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    ok.then(|| t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 / 1e6)
}

/// Elsewhere: none, and the wall clock is used.
#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn thread_cpu_ms() -> Option<f64> {
    None
}

/// One render, timed: milliseconds (CPU time of this thread, or wall-clock
/// time where that is unavailable), output bytes, the distinct diagnostic codes.
fn time_render(input: &str) -> (f64, usize, Vec<&'static str>) {
    let cpu = thread_cpu_ms();
    let start = Instant::now();
    let rendered = std::hint::black_box(article_render::render(std::hint::black_box(input)));
    let wall = start.elapsed().as_secs_f64() * 1e3;
    let ms = cpu.zip(thread_cpu_ms()).map_or(wall, |(a, b)| b - a);
    let mut codes: Vec<&'static str> = rendered.diagnostics.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    (ms, rendered.html.len(), codes)
}

/// The child: renders one family at `sizes`, one line per result on stdout:
///   size TARGET BYTES N MS OUT_BYTES CODES
///   skip TARGET FORESEEN_MS
///   stack1m MS
fn child(name: &str, sizes: &[usize], budget_ms: f64) {
    let family = FAMILIES
        .iter()
        .find(|f| f.name == name)
        .expect("a known family");
    let mut largest = None;
    // ms per byte at the previous size, and how much it grew from the one before.
    let mut previous: Option<f64> = None;
    let mut growth = 1.0_f64;
    let mut skipping = false;
    for &target in sizes {
        let (n, input) = sized(family, target);
        assert!(input.is_ascii(), "inputs are ASCII, so JS strings match");
        // The time foreseen from the smaller sizes: over the budget, skip.
        if let Some(p) = previous {
            let foreseen = p * input.len() as f64 * growth;
            if skipping || foreseen > budget_ms {
                skipping = true;
                println!("skip {target} {foreseen:.0}");
                previous = Some(p * growth);
                continue;
            }
        }
        // Best of 3 when small and quick; one render otherwise.
        let (mut best, out_bytes, codes) = time_render(&input);
        if target < BEST_OF_3_BELOW && best < REPEAT_BELOW_MS {
            for _ in 0..2 {
                best = best.min(time_render(&input).0);
            }
        }
        let codes = if codes.is_empty() {
            "-".to_owned()
        } else {
            codes.join(",")
        };
        let bytes = input.len();
        println!("size {target} {bytes} {n} {best:.4} {out_bytes} {codes}");
        let per_byte = best / input.len() as f64;
        if let Some(p) = previous {
            growth = (per_byte / p).max(1.0);
        }
        previous = Some(per_byte);
        largest = Some(input);
    }
    // The largest input run again, on a thread with wasm's stack size.
    if let Some(input) = largest {
        let ms = std::thread::Builder::new()
            .name(format!("{name} on a 1 MiB stack"))
            .stack_size(1 << 20)
            .spawn(move || time_render(&input).0)
            .expect("a thread")
            .join()
            .expect("no panic");
        println!("stack1m {ms:.4}");
    }
}

/// One size of one family, as the child measured it.
struct Measured {
    target: usize,
    bytes: usize,
    n: usize,
    ms: f64,
    out_bytes: usize,
    codes: String,
}

impl Measured {
    fn ms_per_mb(&self) -> f64 {
        self.ms / (self.bytes as f64 / 1e6)
    }
}

/// What the parent knows of one family.
#[derive(Default)]
struct Outcome {
    sizes: Vec<Measured>,
    /// Sizes not run, with the foreseen milliseconds.
    skipped: Vec<(usize, f64)>,
    stack1m: Option<f64>,
    /// Exit status and the end of stderr when the child did not finish.
    crash: Option<String>,
}

fn run_family(name: &str, sizes: &[usize], budget_s: f64) -> Outcome {
    let exe = std::env::current_exe().expect("the example's path");
    let mut args = vec![
        "--child".to_owned(),
        name.to_owned(),
        (budget_s * 1e3).to_string(),
    ];
    args.extend(sizes.iter().map(|s| s.to_string()));
    // The child prints a few lines only, so its pipes cannot fill up while
    // it runs. A hang beyond any budget is reported, not waited for.
    let mut running = Command::new(exe)
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the child");
    let deadline = Instant::now() + Duration::from_secs_f64(budget_s * 10.0);
    let mut timed_out = false;
    while running.try_wait().expect("the child's status").is_none() {
        if Instant::now() > deadline {
            let _ = running.kill();
            timed_out = true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = running.wait_with_output().expect("the child's output");
    let mut result = Outcome::default();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let f: Vec<&str> = line.split(' ').collect();
        let num = |i: usize| f[i].parse::<f64>().expect("a number from the child");
        match f[0] {
            "size" => {
                result.sizes.push(Measured {
                    target: num(1) as usize,
                    bytes: num(2) as usize,
                    n: num(3) as usize,
                    ms: num(4),
                    out_bytes: num(5) as usize,
                    codes: f[6].replace(',', ", "),
                });
            }
            "skip" => result.skipped.push((num(1) as usize, num(2))),
            "stack1m" => result.stack1m = Some(num(1)),
            _ => {}
        }
    }
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().filter(|l| !l.is_empty()).collect();
        result.crash = Some(format!(
            "{} ({})",
            if timed_out {
                format!("killed after {:.0} s", budget_s * 10.0)
            } else {
                out.status.to_string()
            },
            tail[tail.len().saturating_sub(2)..].join(" / ")
        ));
    }
    result
}

/// The Markdown table of the outcomes.
fn table(families: &[&Family], results: &[Outcome], sizes: &[usize]) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut flagged = Vec::new();
    let _ = write!(out, "| family | n at largest |");
    for s in sizes {
        let _ = write!(out, " {} ms |", size_label(*s));
    }
    let _ = writeln!(
        out,
        " ms/MB smallest → largest | ratio | 1 MiB stack ms | out ÷ in | diagnostics at largest |"
    );
    let _ = writeln!(
        out,
        "|---|---:|{}---:|---:|---:|---:|---|",
        "---:|".repeat(sizes.len())
    );
    for (family, r) in families.iter().zip(results) {
        let largest = r.sizes.last();
        let _ = write!(
            out,
            "| {} | {} |",
            family.name,
            largest.map_or("–".to_owned(), |m| m.n.to_string())
        );
        let mut crashed = false;
        for s in sizes {
            let cell = if let Some(m) = r.sizes.iter().find(|m| m.target == *s) {
                ms(m.ms)
            } else if let Some((_, foreseen)) = r.skipped.iter().find(|k| k.0 == *s) {
                format!("skipped (≈ {:.0} s)", foreseen / 1e3)
            } else if r.crash.is_some() && !crashed {
                crashed = true;
                "CRASH".to_owned()
            } else {
                "–".to_owned()
            };
            let _ = write!(out, " {cell} |");
        }
        match (r.sizes.first(), largest) {
            (Some(a), Some(b)) if r.sizes.len() > 1 => {
                let ratio = b.ms_per_mb() / a.ms_per_mb();
                let mut flags = String::new();
                if ratio > SUPERLINEAR {
                    flags.push_str(" SUPERLINEAR");
                }
                if b.ms_per_mb() > SLOW_MS_PER_MB {
                    flags.push_str(" SLOW");
                }
                if !flags.is_empty() || !r.skipped.is_empty() {
                    flagged.push(format!("{}{flags}", family.name));
                }
                let _ = write!(
                    out,
                    " {} → {} | {ratio:.2}{flags} |",
                    ms(a.ms_per_mb()),
                    ms(b.ms_per_mb())
                );
            }
            _ => {
                let _ = write!(out, " – | – |");
            }
        }
        let stack = match (r.stack1m, &r.crash) {
            (Some(t), _) => ms(t),
            (None, Some(_)) => "CRASH".to_owned(),
            (None, None) => "–".to_owned(),
        };
        let (amplification, codes) = largest.map_or(("–".to_owned(), "–"), |m| {
            (
                format!("{:.2}", m.out_bytes as f64 / m.bytes as f64),
                m.codes.as_str(),
            )
        });
        let _ = writeln!(out, " {stack} | {amplification} | {codes} |");
        if let Some(c) = &r.crash {
            flagged.push(format!("{} CRASH {c}", family.name));
        }
    }
    (out, flagged)
}

fn size_label(bytes: usize) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{} MB", b / 1_000_000),
        b => format!("{} KB", b / 1_000),
    }
}

/// Milliseconds with about three significant digits.
fn ms(x: f64) -> String {
    match x {
        x if x < 10.0 => format!("{x:.2}"),
        x if x < 100.0 => format!("{x:.1}"),
        x => format!("{x:.0}"),
    }
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split(' ').take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".to_owned())
}

/// The main thread's stack limit (`ulimit -s`), from /proc/self/limits.
fn main_stack() -> String {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|l| {
            l.lines()
                .find(|l| l.starts_with("Max stack size"))
                .and_then(|l| l.split_whitespace().nth(3).map(str::to_owned))
        })
        .and_then(|soft| soft.parse::<u64>().ok())
        .map_or_else(|| "?".to_owned(), |b| format!("{} MiB", b >> 20))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        let budget_ms: f64 = args[2].parse().expect("budget");
        let sizes: Vec<usize> = args[3..].iter().map(|s| s.parse().expect("size")).collect();
        child(&args[1], &sizes, budget_ms);
        return ExitCode::SUCCESS;
    }

    let mut sizes = SIZES.to_vec();
    let mut only = Vec::new();
    let mut budget_s = 60.0;
    let mut inputs_only = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--quick" => sizes.retain(|&s| s <= 1_000_000),
            "--inputs" => inputs_only = true,
            "--family" => only.push(it.next().expect("--family NAME").clone()),
            "--budget" => {
                budget_s = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--budget SECONDS")
            }
            _ => {
                eprintln!(
                    "usage: limits [--quick] [--inputs] [--family NAME]... [--budget SECONDS]"
                );
                return ExitCode::from(2);
            }
        }
    }
    let families: Vec<&Family> = FAMILIES
        .iter()
        .filter(|f| only.is_empty() || only.iter().any(|o| o == f.name))
        .collect();

    if inputs_only {
        for family in &families {
            for &target in &sizes {
                let (n, input) = sized(family, target);
                let hash = fnv1a(FNV_OFFSET, input.as_bytes());
                println!("{} {target} {n} {} {hash:08x}", family.name, input.len());
            }
        }
        return ExitCode::SUCCESS;
    }
    let started = Instant::now();
    let load_start = loadavg();
    let mut results = Vec::new();
    for family in &families {
        eprint!("{:<17}", family.name);
        let started = Instant::now();
        let result = run_family(family.name, &sizes, budget_s);
        eprintln!(
            " {:.1} s{}",
            started.elapsed().as_secs_f64(),
            result
                .crash
                .as_deref()
                .map_or(String::new(), |c| format!("  CRASH {c}"))
        );
        results.push(result);
    }
    let load_end = loadavg();

    // The over-the-limit case: one error diagnostic and nothing else.
    let over = "a".repeat(article_render::Options::default().max_input_bytes + 1);
    let (over_ms, over_out, over_codes) = time_render(&over);

    let mut out = String::new();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let _ = writeln!(out, "### Native (`cargo run --release --example limits`)\n");
    let _ = writeln!(
        out,
        "Rust {}, {cores} cores, load average {load_start} at start, {load_end} at end; \
         {:.0} s in all. `article_render::render`, default options (`maxInputBytes` 32 MiB). \
         Each family in its own process, on the main thread (stack {}). ms: {}, best of 3 \
         below 10 MB (1 render when the first took over 1 s), 1 render at 10 MB; MB = 10^6 \
         bytes of input. ratio = ms/MB at the largest size run ÷ ms/MB at the smallest: linear is about 1 or below (fixed costs fade), SUPERLINEAR above \
         {SUPERLINEAR}; SLOW: more than {SLOW_MS_PER_MB} ms per MB at the largest size. A size \
         whose foreseen time is over {budget_s} s is skipped. 1 MiB stack: the largest input \
         run again on a thread with a 1 MiB stack (wasm's). out ÷ in: bytes of HTML per byte \
         of input.\n",
        rustc_version(),
        started.elapsed().as_secs_f64(),
        main_stack(),
        if thread_cpu_ms().is_some() {
            "time on the CPU of the rendering thread (the load of other work does not count)"
        } else {
            "wall-clock time"
        },
    );
    let (table, flagged) = table(&families, &results, &sizes);
    out.push_str(&table);
    let _ = writeln!(
        out,
        "\nOver the limit: {} MB of `a` (maxInputBytes + 1) → {} ms, html {} bytes, diagnostics: {}.",
        ms(over.len() as f64 / 1e6),
        ms(over_ms),
        over_out,
        over_codes.join(", ")
    );
    let _ = writeln!(
        out,
        "\nFlagged: {}.",
        if flagged.is_empty() {
            "none".to_owned()
        } else {
            flagged.join("; ")
        }
    );
    let _ = writeln!(
        out,
        "\nFamilies (JS notation; for each size, n is the largest whose input fits):\n\n```text"
    );
    for family in &families {
        let _ = writeln!(out, "{:<17} {}", family.name, family.what);
    }
    let _ = writeln!(out, "```");
    print!("{out}");
    if results.iter().any(|r| r.crash.is_some()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The compiler's version, for the report (none when rustc is not on PATH).
fn rustc_version() -> String {
    Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|v| v.split_whitespace().nth(1).map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}
