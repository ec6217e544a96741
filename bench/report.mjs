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
const PIPELINES = ["ours", "floor", "markdown-it", "marked", "domparser"];
const COLD_PIPELINES = ["empty", "ours", "floor", "markdown-it", "marked"];
const LABEL = { ours: "ours", floor: "floor", "markdown-it": "md-it", marked: "marked", domparser: "DOMParser", empty: "empty" };
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
  lines.push("Throughput (MB/s)");
  lines.push(`${"class".padEnd(9)} ${pad("files", 5)} ${pad("MB", 6)} ${pad("ours", 6)} ${pad("floor", 6)} ${pad("md-it", 6)} ${pad("marked", 6)} ${pad("DOMParser", 9)}   ${pad("ours/md-it", 10)} ${pad("ours/marked", 11)} ${pad("ours/DOMParser", 14)} ${pad("ours/floor", 10)} ${pad("floor/md-it", 11)}`);
  for (const c of Object.keys(o.throughput.ours)) {
    const t = (p) => o.throughput[p]?.[c]?.mbps;
    const x = (a, b) => `${f(t(a) / t(b), 2)}×`;
    lines.push(
      `${c.padEnd(9)} ${pad(o.classes[c].files, 5)} ${pad(f(o.classes[c].bytes / MB, 2), 6)} ${pad(f(t("ours")), 6)} ${pad(f(t("floor")), 6)} ${pad(f(t("markdown-it")), 6)} ${pad(f(t("marked")), 6)} ${pad(f(t("domparser")), 9)}   ${pad(x("ours", "markdown-it"), 10)} ${pad(x("ours", "marked"), 11)} ${pad(x("ours", "domparser"), 14)} ${pad(x("ours", "floor"), 10)} ${pad(x("floor", "markdown-it"), 11)}`,
    );
  }
  lines.push("");
  lines.push("Per document (ms), p50 / p99 over all rounds");
  lines.push(`${"class".padEnd(9)} ${PIPELINES.map((p) => pad(LABEL[p], 17)).join(" ")}`);
  for (const c of Object.keys(o.throughput.ours)) {
    lines.push(`${c.padEnd(9)} ${PIPELINES.map((p) => pad(`${f(o.throughput[p]?.[c]?.p50ms, 2)} / ${f(o.throughput[p]?.[c]?.p99ms, 2)}`, 17)).join(" ")}`);
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
  const wasm = o.codeBytes.ours.files.find((x) => x.file.endsWith(".wasm"));
  if (wasm) lines.push(`(ours ships ${(wasm.raw / 1000).toFixed(1)} KB of wasm, ${(wasm.brotli / 1000).toFixed(1)} KB brotli; the rest is the JS glue. KB = 1000 bytes; gzip -9, brotli 11)`);
  if (o.profile) {
    lines.push("");
    lines.push("Where ours spends its time in the browser: the binding's JavaScript steps timed alone, as a share of render()");
    lines.push(`${"class".padEnd(9)} ${pad("render ms", 10)} ${pad("wasm", 7)} ${pad("encode", 7)} ${pad("decode", 7)} ${pad("JSON.parse", 10)} ${pad("JSON/source", 11)}`);
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

/** The issue's targets, each with the measured value and whether it is met. */
export function targets(o, c) {
  const rows = [];
  const ratio = (cls, p, of = "ours") => o.throughput[of]?.[cls]?.mbps / o.throughput[p]?.[cls]?.mbps;
  // What the floor (ours's dependencies alone) reaches on the same target.
  const floor = (cls, p) => (o.throughput.floor ? ` (floor ${f(ratio(cls, p, "floor"), 2)}×)` : "");
  if (o) {
    for (const [cls, goal] of [["news", 2.5], ["markdown", 5], ["big", 6]]) {
      rows.push([`throughput ${cls}: ours / (js-yaml + markdown-it + DOMPurify)`, `≥ ${goal}×`, `${f(ratio(cls, "markdown-it"), 2)}×${floor(cls, "markdown-it")}`, ratio(cls, "markdown-it") >= goal]);
    }
    for (const cls of Object.keys(o.throughput.ours)) {
      rows.push([`throughput ${cls}: ours / DOMParser + innerHTML`, "≥ 1.0×", `${f(ratio(cls, "domparser"), 2)}×${floor(cls, "domparser")}`, ratio(cls, "domparser") >= 1]);
    }
    const cold = o.coldStart;
    const fastestJs = Math.min(cold["markdown-it"].overEmptyMs, cold.marked.overEmptyMs);
    rows.push(["cold start over an empty page: ours vs markdown-it pipeline", `≤ ${f(cold["markdown-it"].overEmptyMs, 0)} ms`, `${f(cold.ours.overEmptyMs, 0)} ms`, cold.ours.overEmptyMs <= cold["markdown-it"].overEmptyMs]);
    const coldFloor = cold.floor ? ` (floor ${f(cold.floor.overEmptyMs, 0)} ms)` : "";
    rows.push(["cold start over an empty page: ours vs the faster JS pipeline", `≤ ${f(fastestJs, 0)} ms`, `${f(cold.ours.overEmptyMs, 0)} ms${coldFloor}`, cold.ours.overEmptyMs <= fastestJs]);
    const wasm = o.codeBytes.ours.files.find((x) => x.file.endsWith(".wasm"));
    const floorWasm = o.codeBytes.floor?.files.find((x) => x.file.endsWith(".wasm"));
    const sizeFloor = floorWasm ? ` (floor ${f(floorWasm.brotli / 1000, 1)} KB)` : "";
    if (wasm) rows.push([".wasm size, brotli", "≤ 350 KB", `${f(wasm.brotli / 1000, 1)} KB${sizeFloor}`, wasm.brotli <= 350_000]);
    for (const [kind, s] of Object.entries(o.scaling.ours ? { md: o.scaling.ours.md, html: o.scaling.ours.html } : {})) {
      rows.push([`scaling in the browser, ${kind === "md" ? "Markdown" : "HTML"}: ms/MB at 10 MB ÷ at 100 KB`, "≤ 1.5×", `${f(s.ratio, 2)}×`, s.ratio <= 1.5]);
    }
  }
  const ns = c && nativeScaling(c);
  for (const [kind, s] of Object.entries(ns ?? {})) {
    rows.push([`scaling natively, ${kind === "md" ? "Markdown" : "HTML"}: ms/MB at 10 MB ÷ at 100 KB`, "≤ 1.5×", `${f(s.ratio, 2)}×`, s.ratio <= 1.5]);
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  const lines = ["", "Targets of issue 6"];
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
  const text = [o ? browserTables(o) : "\n(no browser results: bench/results/browser.json is missing)\n", nativeTables(c), targets(o, c)].join("");
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
