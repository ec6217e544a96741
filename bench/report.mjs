// The tables of `make bench`: the browser run (bench/results/browser.json,
// written by harness.mjs), the native run (criterion's estimates under
// target/criterion), and the issue's targets checked against both.
//
//   node bench/report.mjs [--since EPOCH_MS] [--write bench/LATEST.md]
//
// --since ignores criterion results older than that (an earlier run's);
// --write also saves the whole report as Markdown.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const MB = 1e6;
// "ours-before" is there when the run was given an older build (harness.mjs, BENCH_BEFORE_PKG).
const PIPELINES = ["ours", "ours-before", "floor", "markdown-it", "marked", "domparser"];
const COLD_PIPELINES = ["empty", "ours", "ours-before", "floor", "markdown-it", "marked"];
const LABEL = { ours: "ours", "ours-before": "before", floor: "floor", "markdown-it": "md-it", marked: "marked", domparser: "DOMParser", empty: "empty" };
/** What each class holds, for the targets and the README. */
export const CLASS_LABEL = {
  news: "news (raw HTML)",
  "md-plain": "Markdown without raw HTML",
  "md-html": "Markdown with raw HTML",
  big: "big (1 and 5 MB)",
  shared: "real files (../shared/corpus)",
  markdown: "Markdown (both kinds)",
};
const f = (x, d = 1) => (x === undefined || x === null || Number.isNaN(x) ? "–" : x.toFixed(d));
const pad = (s, n) => String(s).padStart(n);

/** The browser tables, as harness.mjs prints them. */
export function browserTables(o) {
  const lines = [];
  lines.push("");
  lines.push(`Browser: Chromium ${o.machine.chromium}, ${o.machine.cpu} (${o.machine.cores} cores), ${o.date.slice(0, 10)}, git ${o.git?.rev ?? "?"}`);
  const load = o.machine.loadavg;
  if (load) lines.push(`Load average (1 min) at start ${load.start[0].toFixed(2)}, at end ${load.end[0].toFixed(2)}: other work on the machine skews every figure.`);
  lines.push(`Rendering on the page's main thread for every pipeline; median of ${o.rounds} interleaved rounds; MB = 10^6 bytes of article source.`);
  lines.push("ours = article-render (wasm); md-it = js-yaml + markdown-it + DOMPurify; marked = js-yaml + marked + DOMPurify;");
  lines.push("DOMParser = parseFromString + body.innerHTML of the HTML a sanitizer gets (baseline, no front matter or Markdown);");
  lines.push("floor = ours's own dependencies alone in wasm: saphyr (front matter), pulldown-cmark, ammonia's default policy once");
  lines.push("(bench/floor/floor.rs). floor/md-it is the best ours/md-it could be if everything ours adds to them were free.");
  lines.push("");
  const here = PIPELINES.filter((p) => o.throughput[p]);
  if (o.throughput["ours-before"]) lines.push(`before = ours built at git ${o.before?.rev ?? "?"} (${o.before?.pkg ?? "another pkg/"}), timed in the same rounds.`);
  lines.push("md-plain = Markdown posts whose only raw HTML is comments; md-html = Markdown posts with raw HTML.");
  lines.push("");
  lines.push("Throughput (MB/s)");
  const ratios = [["ours", "floor"], ["ours", "markdown-it"], ["ours", "domparser"], ["floor", "markdown-it"]];
  if (o.throughput["ours-before"]) ratios.unshift(["ours", "ours-before"]);
  const ratioName = ([a, b]) => `${LABEL[a]}/${LABEL[b]}`;
  lines.push(`${"class".padEnd(9)} ${pad("files", 5)} ${pad("MB", 6)} ${here.map((p) => pad(LABEL[p], 6)).join(" ")}   ${ratios.map((r) => pad(ratioName(r), 11)).join(" ")}`);
  for (const c of Object.keys(o.throughput.ours)) {
    const t = (p) => o.throughput[p]?.[c]?.mbps;
    const x = ([a, b]) => `${f(t(a) / t(b), 2)}×`;
    lines.push(
      `${c.padEnd(9)} ${pad(o.classes[c].files, 5)} ${pad(f(o.classes[c].bytes / MB, 2), 6)} ${here.map((p) => pad(f(t(p)), Math.max(6, LABEL[p].length))).join(" ")}   ${ratios.map((r) => pad(x(r), 11)).join(" ")}`,
    );
  }
  lines.push("");
  lines.push("Per document (ms), p50 / p99 over all rounds");
  lines.push(`${"class".padEnd(9)} ${here.map((p) => pad(LABEL[p], 17)).join(" ")}`);
  for (const c of Object.keys(o.throughput.ours)) {
    lines.push(`${c.padEnd(9)} ${here.map((p) => pad(`${f(o.throughput[p]?.[c]?.p50ms, 2)} / ${f(o.throughput[p]?.[c]?.p99ms, 2)}`, 17)).join(" ")}`);
  }
  if (Object.keys(o.scaling).length) {
    lines.push("");
    lines.push("Scaling in the browser: ms per MB, 100 KB article → 10 MB article (target: ratio ≤ 1.5)");
    for (const p of Object.keys(o.scaling)) {
      const s = o.scaling[p];
      lines.push(`${LABEL[p].padEnd(9)} Markdown ${f(s.md.msPerMb100kb)} → ${f(s.md.msPerMb10mb)} ms/MB (${f(s.md.ratio, 2)}×)   HTML ${f(s.html.msPerMb100kb)} → ${f(s.html.msPerMb10mb)} ms/MB (${f(s.html.ratio, 2)}×)`);
    }
  }
  lines.push("");
  lines.push(`Cold start: navigation to the first rendered result (${o.coldStart.doc}, ${(o.coldStart.bytes / 1000).toFixed(1)} KB), fresh context, median of ${o.coldStart.loads}`);
  lines.push("(imported: the pipeline's code loaded; prepared: init() done, for ours the wasm compiled and instantiated; all from navigation)");
  lines.push("(first render = done − prepared; the same render again, warm, for comparison)");
  lines.push(`${"".padEnd(9)} ${pad("total ms", 9)} ${pad("- empty", 8)} ${pad("imported", 9)} ${pad("prepared", 9)} ${pad("1st render", 10)} ${pad("2nd", 6)} ${pad("raw KB", 8)} ${pad("gzip KB", 8)} ${pad("brotli KB", 9)}`);
  for (const p of COLD_PIPELINES.filter((p) => o.coldStart[p])) {
    const s = o.codeBytes[p];
    const c = o.coldStart[p];
    const ph = c.phasesMs;
    const first = p === "empty" ? "" : f(ph.done - ph.prepared);
    const second = p === "empty" ? "" : f(ph.secondRender, 2);
    lines.push(`${LABEL[p].padEnd(9)} ${pad(f(c.medianMs), 9)} ${pad(p === "empty" ? "" : f(c.overEmptyMs), 8)} ${pad(f(ph.imported), 9)} ${pad(f(ph.prepared), 9)} ${pad(first, 10)} ${pad(second, 6)} ${pad(s ? f(s.raw / 1000) : "", 8)} ${pad(s ? f(s.gzip / 1000) : "", 8)} ${pad(s ? f(s.brotli / 1000) : "", 9)}`);
  }
  for (const p of ["ours", "ours-before"]) {
    const wasm = o.codeBytes[p]?.files.find((x) => x.file.endsWith(".wasm"));
    if (wasm) lines.push(`(${LABEL[p]} ships ${(wasm.raw / 1000).toFixed(1)} KB of wasm, ${(wasm.brotli / 1000).toFixed(1)} KB brotli; the rest is the JS glue. KB = 1000 bytes; gzip -9, brotli 11)`);
  }
  if (o.profile) {
    lines.push("");
    lines.push("Where ours spends its time in the browser: the binding's JavaScript steps timed alone, as a share of render()");
    lines.push("(decode: the result's JSON and its HTML, which crosses apart; JSON.parse: the JSON alone; out/source: bytes of both ÷ bytes of source)");
    lines.push(`${"class".padEnd(9)} ${pad("render ms", 10)} ${pad("wasm", 7)} ${pad("encode", 7)} ${pad("decode", 7)} ${pad("JSON.parse", 10)} ${pad("out/source", 11)}`);
    for (const [c, b] of Object.entries(o.profile.boundary)) {
      const sh = (x) => `${((100 * x) / b.render).toFixed(1)}%`;
      lines.push(`${c.padEnd(9)} ${pad(f(b.render), 10)} ${pad(sh(b.wasm), 7)} ${pad(sh(b.encode), 7)} ${pad(sh(b.decode), 7)} ${pad(sh(b.parse), 10)} ${pad(f(b.jsonBytes / b.bytes, 2) + "×", 11)}`);
    }
    if (o.profile.cpu) {
      lines.push("");
      lines.push("CPU profile of ours (the same code, built with function names), share of sampled time");
      for (const [c, p] of Object.entries(o.profile.cpu)) {
        lines.push(`${c} (${f(p.totalMs, 0)} ms sampled)`);
        lines.push(`  self, by crate: ${p.buckets.slice(0, 12).map((b) => `${b.name} ${(100 * b.share).toFixed(1)}%`).join("; ")}`);
        lines.push(`  inclusive:      ${p.stages.map((b) => `${b.name} ${(100 * b.share).toFixed(1)}%`).join("; ")}`);
      }
    }
  }
  lines.push("");
  return lines.join("\n");
}

/** Criterion's results: `{ "render/news/render_with_options": { ns, bytes, mbps } }`. */
export function readCriterion(dir, since = 0) {
  const out = {};
  if (!existsSync(dir)) return out;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "benchmark.json" && d.endsWith(`${"/"}new`)) {
        if (statSync(p).mtimeMs < since) continue;
        const b = JSON.parse(readFileSync(p, "utf8"));
        const est = JSON.parse(readFileSync(join(d, "estimates.json"), "utf8"));
        const ns = est.median.point_estimate;
        const bytes = b.throughput?.Bytes ?? null;
        out[b.full_id] = { ns, bytes, mbps: bytes ? bytes / MB / (ns / 1e9) : null };
      }
    }
  };
  walk(dir);
  return out;
}

/** The native tables: the pipeline and its stages per class, and scaling. */
export function nativeTables(c) {
  const lines = [];
  const classes = [...new Set(Object.keys(c).filter((k) => k.startsWith("render/")).map((k) => k.split("/")[1]))];
  if (!classes.length) return "";
  const ms = (k) => (c[k] ? c[k].ns / 1e6 : undefined);
  const mbps = (k) => c[k]?.mbps;
  lines.push("");
  lines.push("Native (criterion, cargo bench --bench stages): median time of one pass over the class, ms (MB/s of that stage's input)");
  lines.push("render = render_with_options, the whole pipeline; json = serde_json of the result (what the wasm binding adds);");
  lines.push("pulldown = pulldown-cmark alone on the Markdown bodies; sanitize = sanitize_html alone on the HTML the body stage makes;");
  lines.push("ammonia×1 = one ammonia::clean, default policy; html5ever = parse + serialize only; tokenize = html5ever's tokenizer alone;");
  lines.push("rest = render − pulldown − sanitize (front matter, templates, audit, depth, outline, stats, excerpt). Shares are of render.");
  lines.push(`${"class".padEnd(9)} ${pad("render", 15)} ${pad("json", 11)} ${pad("pulldown", 12)} ${pad("sanitize", 13)} ${pad("rest", 12)} ${pad("ammonia×1", 13)} ${pad("html5ever", 13)} ${pad("tokenize", 12)}`);
  for (const k of classes) {
    const cell = (key, share = false) => {
      const t = ms(key);
      if (t === undefined) return "–";
      const extra = share ? `${f((100 * t) / ms(`render/${k}/render_with_options`), 0)}%` : `${f(mbps(key))}`;
      return `${f(t, t < 10 ? 2 : 1)} (${extra})`;
    };
    const render = ms(`render/${k}/render_with_options`);
    const rest = render - (ms(`pulldown/${k}/push_html`) ?? 0) - (ms(`sanitize/${k}/sanitize_html`) ?? 0);
    const restCell = `${f(rest, rest < 10 ? 2 : 1)} (${f((100 * rest) / render, 0)}%)`;
    lines.push(
      `${k.padEnd(9)} ${pad(cell(`render/${k}/render_with_options`), 15)} ${pad(cell(`json/${k}/serde_json::to_string`, true), 11)} ${pad(cell(`pulldown/${k}/push_html`, true), 12)} ${pad(cell(`sanitize/${k}/sanitize_html`, true), 13)} ${pad(restCell, 12)} ${pad(cell(`sanitize/${k}/ammonia_clean_once`, true), 13)} ${pad(cell(`sanitize/${k}/html5ever_parse_serialize`, true), 13)} ${pad(cell(`sanitize/${k}/html5ever_tokenize`, true), 12)}`,
    );
  }
  const scaling = nativeScaling(c);
  if (scaling) {
    lines.push("");
    lines.push("Native scaling: ms per MB, 100 KB article → 10 MB article (target: ratio ≤ 1.5)");
    for (const [kind, s] of Object.entries(scaling)) {
      lines.push(`${(kind === "md" ? "Markdown" : "HTML").padEnd(9)} ${f(s.msPerMb100kb)} → ${f(s.msPerMb10mb)} ms/MB (${f(s.ratio, 2)}×)`);
    }
  }
  lines.push("");
  return lines.join("\n");
}

export function nativeScaling(c) {
  const per = (k) => (c[k] ? c[k].ns / 1e6 / (c[k].bytes / MB) : undefined);
  const out = {};
  for (const kind of ["md", "html"]) {
    const small = per(`scaling/scale-${kind}-100kb`);
    const big = per(`scaling/scale-${kind}-10mb`);
    if (small && big) out[kind] = { msPerMb100kb: small, msPerMb10mb: big, ratio: big / small };
  }
  return Object.keys(out).length ? out : null;
}

/** Peak wasm memory per input byte (bench/memory.mjs's result), as a table. */
export function memoryTable(m) {
  const lines = [""];
  lines.push(`Memory: peak wasm memory of one render() in a fresh instance (Node ${m.node}, ${m.date.slice(0, 10)}, git ${m.git ?? "?"}; bench/memory.mjs)`);
  lines.push("peak = memory.buffer.byteLength after the render − that of the fresh instance; MB = 10^6 bytes; the first render of a fresh instance is slow (lazy compilation), not a speed figure");
  lines.push(`${"build".padEnd(22)} ${"input".padEnd(24)} ${pad("bytes", 10)} ${pad("fresh MB", 9)} ${pad("after MB", 9)} ${pad("peak MB", 8)} ${pad("peak/input", 10)} ${pad("1st render ms", 13)}`);
  for (const r of m.runs) {
    lines.push(
      `${r.pkg.padEnd(22)} ${`${r.kind} ${r.size}`.padEnd(24)} ${pad(r.bytes, 10)} ${pad(f(r.baseline / MB), 9)} ${pad(f(r.after / MB), 9)} ${pad(f(r.peak / MB), 8)} ${pad(`${f(r.perInputByte)}×`, 10)} ${pad(f(r.ms, 0), 13)}`,
    );
  }
  lines.push("");
  return lines.join("\n");
}

/** Issue 18's targets (and issue 6's scaling), each with the measured value and whether it is met. */
export function targets(o, c, m) {
  const rows = [];
  const ratio = (cls, p, of = "ours") => o.throughput[of]?.[cls]?.mbps / o.throughput[p]?.[cls]?.mbps;
  if (o) {
    const goals = [["news", 0.8], ["md-plain", 1.5], ["md-html", 0.75], ["big", 0.85], ["shared", 0.9]];
    for (const [cls, goal] of goals.filter(([cls]) => o.throughput.ours[cls] && o.throughput.floor?.[cls])) {
      rows.push([`throughput ${CLASS_LABEL[cls]}: ours ÷ floor`, `≥ ${goal}×`, `${f(ratio(cls, "floor"), 2)}×`, ratio(cls, "floor") >= goal]);
    }
    const cold = o.coldStart;
    if (cold.floor) {
      rows.push(["cold start over an empty page: ours vs the floor", `≤ ${f(cold.floor.overEmptyMs, 0)} ms`, `${f(cold.ours.overEmptyMs, 0)} ms`, cold.ours.overEmptyMs <= cold.floor.overEmptyMs]);
    }
    const wasm = o.codeBytes.ours.files.find((x) => x.file.endsWith(".wasm"));
    const floorWasm = o.codeBytes.floor?.files.find((x) => x.file.endsWith(".wasm"));
    const sizeFloor = floorWasm ? ` (floor ${f(floorWasm.brotli / 1000, 1)} KB)` : "";
    if (wasm) rows.push([".wasm size, brotli", "≤ 420 KB", `${f(wasm.brotli / 1000, 1)} KB${sizeFloor}`, wasm.brotli <= 420_000]);
    for (const [kind, s] of Object.entries(o.scaling.ours ? { md: o.scaling.ours.md, html: o.scaling.ours.html } : {})) {
      rows.push([`scaling in the browser, ${kind === "md" ? "Markdown" : "HTML"}: ms/MB at 10 MB ÷ at 100 KB`, "≤ 1.5×", `${f(s.ratio, 2)}×`, s.ratio <= 1.5]);
    }
  }
  const ns = c && nativeScaling(c);
  for (const [kind, s] of Object.entries(ns ?? {})) {
    rows.push([`scaling natively, ${kind === "md" ? "Markdown" : "HTML"}: ms/MB at 10 MB ÷ at 100 KB`, "≤ 1.5×", `${f(s.ratio, 2)}×`, s.ratio <= 1.5]);
  }
  // Memory: the package in pkg/ (the first build measured).
  const first = m?.runs[0]?.pkg;
  for (const r of (m?.runs ?? []).filter((r) => r.pkg === first)) {
    rows.push([`peak wasm memory, ${r.kind} ${r.size}: peak ÷ input`, "≤ 8×", `${f(r.perInputByte)}×`, r.perInputByte <= 8]);
  }
  if (!rows.length) return "";
  const width = Math.max(...rows.map((r) => r[0].length));
  const lines = ["", "Targets of issue 18 (scaling: issue 6)"];
  for (const [what, goal, got, ok] of rows) lines.push(`${ok ? "met    " : "NOT met"}  ${what.padEnd(width)}  ${pad(goal, 9)}  measured ${got}`);
  lines.push("");
  return lines.join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = resolve(here, "..");
  const args = process.argv.slice(2);
  const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
  const browserJson = join(here, "results", "browser.json");
  const o = existsSync(browserJson) ? JSON.parse(readFileSync(browserJson, "utf8")) : null;
  const target = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(root, "target");
  const c = readCriterion(join(target, "criterion"), Number(flag("--since") ?? 0));
  // The memory run of bench/memory.mjs, when it is from this run (or --since is not given).
  const memoryJson = join(here, "results", "memory.json");
  const since = Number(flag("--since") ?? 0);
  const m = existsSync(memoryJson) && statSync(memoryJson).mtimeMs >= since ? JSON.parse(readFileSync(memoryJson, "utf8")) : null;
  const text = [
    o ? browserTables(o) : "\n(no browser results: bench/results/browser.json is missing)\n",
    nativeTables(c),
    m ? memoryTable(m) : "",
    targets(o, c, m),
  ].join("");
  process.stdout.write(text);
  const write = flag("--write");
  if (write) {
    const head = [
      "# Benchmark: latest results",
      "",
      `Written by \`make bench\` (bench/run.sh) on ${o?.date ?? new Date().toISOString()}; git ${o?.git?.rev ?? "?"}` +
        (o?.git?.dirtyBuildInputs?.length ? ` with uncommitted changes to ${o.git.dirtyBuildInputs.map((l) => l.slice(3)).join(", ")}` : "") +
        ".",
      o ? `Machine: ${o.machine.cpu}, ${o.machine.cores} cores; Node ${o.machine.node}; Chromium ${o.machine.chromium}.` : "",
      o?.releaseProfile ? `Release profile: \`${o.releaseProfile}\`.` : "",
      o ? `Corpus: seed ${o.seed}, sha256 ${o.corpusSha256.slice(0, 16)}…, plus ../shared/corpus when present. Raw data: bench/results/*.json (not committed).` : "",
      "",
      "```text",
    ].join("\n");
    writeFileSync(resolve(write), `${head}${text}\`\`\`\n`);
    console.error(`wrote ${write}`);
  }
}
