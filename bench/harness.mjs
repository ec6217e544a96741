// The browser benchmark: article-render's npm package against the
// JavaScript pipelines people use today, and the browser's own parser, in
// headless Chromium, in one run with interleaved rounds.
//
//   node bench/harness.mjs [--rounds N] [--cold N] [--no-profile] [--classes a,b] [--out FILE]
//                          [--before PKG_DIR]
//
// Needs pkg/ (make pkg), the devDependencies (npm install) and chromium
// (CHROMIUM, default /usr/bin/chromium); bench/run.sh sets all of that up.
// Builds the floor itself (bench/floor/build.sh: what the library's own
// dependencies cost alone, timed beside it as the pipeline `floor`).
// Steps: generate the corpus (bench/corpus.mjs) and read ../shared/corpus when
// present; bundle each pipeline with Vite into bench/results/build/; count the
// bytes each ships; serve bench/ on 127.0.0.1 (cross-origin isolated, for
// 5 µs timers); then in Chromium: per-round passes over every class in the
// order ours, floor, markdown-it, marked, DOMParser (one warm-up round first, gc()
// before every pass), scaling (100 KB vs 10 MB), cold start in fresh
// contexts, and a profile of where our time goes. Prints the tables and
// writes bench/results/browser-<date>.json and bench/results/browser.json
// (only FILE with --out, for experiments; --classes runs a subset).
// --before (or BENCH_BEFORE_PKG) adds the pipeline "ours-before": the same
// binding loading another build of the package (e.g. an older commit's
// `make pkg`), timed in the same rounds, cold loads and byte counts as ours;
// BENCH_BEFORE_REV names its commit in the tables when git cannot tell.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { cpus, loadavg } from "node:os";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { build } from "vite";
import { SEED, writeCorpus } from "./corpus.mjs";
import { browserTables } from "./report.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const results = join(here, "results");
const buildDir = join(results, "build");

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const ROUNDS = Number(flag("--rounds", process.env.BENCH_ROUNDS ?? 9));
const COLD = Number(flag("--cold", process.env.BENCH_COLD ?? 9));
const PROFILE = !args.includes("--no-profile");
const OUT = flag("--out", null);
const BEFORE = flag("--before", process.env.BENCH_BEFORE_PKG || null);
if (!(ROUNDS >= 7)) console.warn(`harness: ${ROUNDS} rounds; the issue asks for at least 7`);

const withBefore = (list) => (BEFORE ? [list[0], "ours-before", ...list.slice(1)] : list);
const PIPELINES = withBefore(["ours", "floor", "markdown-it", "marked", "domparser"]);
// Scaling is the issue's target for ours; the browser's parser is the reference.
const SCALE_PIPELINES = ["ours", "domparser"];
const COLD_PIPELINES = ["empty", ...withBefore(["ours", "floor", "markdown-it", "marked"])];
// md-plain: Markdown posts whose only raw HTML is comments; md-html: with raw HTML (bench/corpus.mjs).
const CLASSES = ["news", "md-plain", "md-html", "big", "shared"];
const MB = 1e6;

// The CPU profile's vocabulary (see summarize()).
const isWasm = (url) => url.startsWith("wasm://") || url.endsWith(".wasm");
/** A Rust name without hashes and crate disambiguators. */
const clean = (name) => name.replace(/^\$/, "").replace(/::h[0-9a-f]{16}$/, "").replace(/\[[0-9a-f]{16}\]/g, "");
const STAGES = [
  ["ammonia::Builder::clean (parse + filter, both passes)", /^ammonia::Builder::clean$/],
  ["ammonia serialize (Document as Display)", /^<ammonia::Document as core::fmt::Display>::fmt$/],
  ["html5ever tokenizer (all uses)", /^html5ever::tokenizer::/],
  ["html5ever tree builder", /^(<)?html5ever::tree_builder::/],
  ["article_render::sanitize (audit, finish, filters)", /^<?article_render::sanitize::/],
  ["article_render::scan (reads the output back)", /^<?article_render::scan::/],
  ["article_render::outline", /^<?article_render::outline::/],
  ["article_render::depth", /^<?article_render::depth::/],
  ["article_render::markdown", /^<?article_render::markdown::/],
  ["pulldown_cmark", /^<?pulldown_cmark::/],
  ["serde_json (the result as JSON)", /serde_json::/],
  ["front matter (saphyr, toml, yaml, meta)", /^<?(saphyr_parser|toml|article_render::(yaml|front_matter|meta|date))::/],
  ["drop of trees and strings", /drop_in_place|Rc<T,A>::drop_slow/],
  ["allocator (dlmalloc)", /dlmalloc/],
  ["JSON.parse (result)", /^parse$/],
  ["TextDecoder (result)", /^decode$/],
];
const log = (...a) => console.error(...a);
// Other work on the machine skews every number: recorded with the results.
const loadAtStart = loadavg();

// ------------------------------------------------------------------ corpus

log("== corpus");
const manifest = writeCorpus(join(results, "corpus"));
const docs = manifest.files.map((f) => ({
  class: f.class,
  name: f.name,
  text: readFileSync(join(results, "corpus", f.path), "utf8"),
}));
// The real files are read where they are, never copied into the repository.
const sharedDir = resolve(root, "../shared/corpus");
const shared = [];
if (existsSync(sharedDir)) {
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!(dir === sharedDir && entry.name === "README.md")) shared.push(path);
    }
  };
  walk(sharedDir);
  for (const path of shared) {
    docs.push({ class: "shared", name: relative(sharedDir, path), text: readFileSync(path).toString("utf8") });
  }
  log(`   ../shared/corpus: ${shared.length} files`);
} else {
  log("   ../shared/corpus is absent: the shared class is skipped");
}
// --classes news,markdown: a subset, for a quick look while working on the bench.
const only = flag("--classes", null)?.split(",");
const classes = CLASSES.filter((c) => docs.some((d) => d.class === c) && (!only || only.includes(c)));
const withScale = !only || only.includes("scale");
// The cold-start article: the median-sized generated blog post.
const posts = docs.filter((d) => d.class.startsWith("md-")).sort((a, b) => a.text.length - b.text.length);
const coldDoc = posts[posts.length >> 1];

// ------------------------------------------------------------------ bundles

log("== the floor (bench/floor/build.sh)");
execFileSync(join(here, "floor/build.sh"), { stdio: ["ignore", "inherit", "inherit"] });

log("== bundles (vite build)");
async function bundle(name, entry, { minify = true } = {}) {
  await build({
    configFile: false,
    logLevel: "warn",
    root: here,
    base: "./",
    build: {
      outDir: join(buildDir, name),
      emptyOutDir: true,
      target: "es2022",
      minify,
      modulePreload: false,
      reportCompressedSize: false,
      rollupOptions: {
        input: entry,
        preserveEntrySignatures: "exports-only",
        output: { entryFileNames: `${name}.js`, chunkFileNames: "[name].js", assetFileNames: "[name][extname]" },
      },
    },
  });
}
// ours-before: the binding of pipelines/ours.js over the other build, copied
// in beside its entry so that Vite bundles it like pkg/.
let before = null;
if (BEFORE) {
  const dir = resolve(BEFORE);
  const out = join(results, "before-pkg");
  mkdirSync(out, { recursive: true });
  // The whole package: its glue may import wasm-bindgen's snippets/.
  cpSync(dir, out, { recursive: true });
  writeFileSync(join(results, "ours-before.js"), readFileSync(join(here, "pipelines/ours.js"), "utf8").replace("../../pkg/", "./before-pkg/"));
  let rev = process.env.BENCH_BEFORE_REV || null;
  try {
    rev ??= execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: dir, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {}
  before = { pkg: dir === resolve(root, "pkg") ? "pkg" : dir.split(sep).slice(-2).join("/"), rev };
  log(`   ours-before: ${dir} (git ${rev ?? "?"})`);
}
for (const name of PIPELINES) {
  await bundle(name, name === "ours-before" ? join(results, "ours-before.js") : join(here, "pipelines", `${name}.js`));
}

/** Bytes of everything a pipeline's bundle ships: raw, gzip -9, brotli 11. */
function sizes(name) {
  const dir = join(buildDir, name);
  const files = readdirSync(dir).map((file) => {
    const data = readFileSync(join(dir, file));
    return {
      file,
      raw: data.length,
      gzip: gzipSync(data, { level: 9 }).length,
      brotli: brotliCompressSync(data, {
        params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: data.length },
      }).length,
    };
  });
  // Zola's transliterator is fetched only by loadTransliterator(), never
  // by a page that renders other articles: listed, not counted.
  const sum = (k) => files.filter((f) => !/translit/.test(f.file)).reduce((n, f) => n + f[k], 0);
  return { files, raw: sum("raw"), gzip: sum("gzip"), brotli: sum("brotli") };
}
const codeBytes = Object.fromEntries(PIPELINES.filter((p) => p !== "domparser").map((p) => [p, sizes(p)]));

// A build of ours whose wasm keeps its function names, for the profiler:
// the release wasm of target/ (what `make pkg` built last) through
// wasm-bindgen and wasm-opt with pkg.sh's flags and -g, unminified glue.
let profileBuild = null;
if (PROFILE) {
  try {
    const wasm = join(root, "target/wasm32-unknown-unknown/release/article_render.wasm");
    if (!existsSync(wasm)) throw new Error(`${relative(root, wasm)} is missing (run make pkg)`);
    const out = join(results, "profile-pkg");
    execFileSync("wasm-bindgen", ["--target", "web", "--out-dir", out, wasm], { stdio: "inherit" });
    // The flags of scripts/pkg.sh (its wasm_opt_flags array), plus -g to keep the names.
    const pkgSh = readFileSync(join(root, "scripts/pkg.sh"), "utf8").match(/^wasm_opt_flags=\(([^)]*)\)/m);
    const flags = pkgSh ? pkgSh[1].split(/\s+/).filter(Boolean) : ["-O3", "--enable-bulk-memory", "--enable-reference-types", "--enable-multivalue"];
    execFileSync(join(root, "node_modules/.bin/wasm-opt"), [
      ...flags, "-g", join(out, "article_render_bg.wasm"), "-o", join(out, "article_render_bg.wasm"),
    ], { stdio: "inherit" });
    const entry = join(results, "ours-profile.js");
    writeFileSync(entry, readFileSync(join(here, "pipelines/ours.js"), "utf8").replace("../../pkg/", "./profile-pkg/"));
    await bundle("ours-profile", entry, { minify: false });
    profileBuild = relative(root, wasm);
  } catch (error) {
    log(`   no profiling build: ${error.message.split("\n")[0]}`);
  }
}

// ------------------------------------------------------------------ server

const corpusJson = JSON.stringify({ docs });
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".wasm": "application/wasm" };
const server = createServer((request, response) => {
  const path = decodeURIComponent(new URL(request.url, "http://127.0.0.1").pathname);
  const headers = {
    "cache-control": "no-store",
    // Cross-origin isolation gives performance.now() 5 µs resolution.
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-embedder-policy": "require-corp",
  };
  let body = null;
  let type = "application/octet-stream";
  if (path === "/corpus.json") [body, type] = [corpusJson, "application/json"];
  else if (path === "/cold-doc.md") [body, type] = [coldDoc.text, "text/markdown; charset=utf-8"];
  else {
    const file = path.startsWith("/build/") ? resolve(buildDir, `.${path.slice(6)}`) : resolve(here, `.${path}`);
    const allowed = ["page.html", "page.js", "cold.html", "cold.js"].some((f) => file === join(here, f)) || file.startsWith(buildDir + sep);
    if (allowed && existsSync(file) && statSync(file).isFile()) [body, type] = [readFileSync(file), types[extname(file)] ?? type];
  }
  if (body === null) return response.writeHead(404, headers).end();
  response.writeHead(200, { ...headers, "content-type": type }).end(body);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;

// ------------------------------------------------------------------ browser

const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const browser = await chromium.launch({
  executablePath,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    // BENCH_JS_FLAGS adds V8 flags, for experiments (e.g. --no-wasm-lazy-compilation).
    `--js-flags=--expose-gc ${process.env.BENCH_JS_FLAGS ?? ""}`.trim(),
  ],
});
const browserVersion = browser.version();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};

let output;
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${origin}/page.html?pipelines=${PIPELINES.join(",")}`);
  await page.waitForFunction(() => window.benchReady || document.querySelector("#status")?.textContent === "failed", null, { timeout: 300_000 }).catch(() => {});
  if (!(await page.evaluate(() => !!window.benchReady))) throw new Error(`the page did not load: ${errors.join("; ")}`);
  const info = await page.evaluate(() => window.bench.info());
  if (info.problems.length) throw new Error(`outputs failed the check:\n${info.problems.join("\n")}`);
  log(`== Chromium ${browserVersion} (crossOriginIsolated: ${info.crossOriginIsolated})`);
  for (const c of Object.keys(info.classes)) {
    const k = info.classes[c];
    log(`   ${c.padEnd(9)} ${String(k.files).padStart(4)} files ${(k.bytes / MB).toFixed(2).padStart(6)} MB, detected: ${k.html} html, ${k.markdown} markdown`);
  }

  // Throughput: per round, every class, the pipelines in turn (A B C D A B C D …).
  const scaleOpts = { repeat: 10, smallBelow: 1_000_000 };
  const runs = {}; // runs[pipeline][class] = [{ms, bytes, perDoc}]
  for (let round = 0; round <= ROUNDS; round++) {
    const started = Date.now();
    const spent = {};
    for (const cls of withScale ? [...classes, "scale"] : classes) {
      for (const p of cls === "scale" ? SCALE_PIPELINES : PIPELINES) {
        const r = await page.evaluate(([p, c, o]) => window.bench.pass(p, c, o), [p, cls, cls === "scale" ? scaleOpts : {}]);
        spent[p] = (spent[p] ?? 0) + r.ms;
        if (round === 0) continue; // warm-up: JIT, wasm tier-up, caches
        ((runs[p] ??= {})[cls] ??= []).push(r);
      }
    }
    const each = PIPELINES.map((p) => `${p} ${(spent[p] / 1000).toFixed(1)}`).join(", ");
    log(`   round ${round === 0 ? "warm-up" : `${round}/${ROUNDS}`}: ${((Date.now() - started) / 1000).toFixed(1)} s (${each})`);
  }
  if (errors.length) throw new Error(`the page logged errors: ${errors.join("; ")}`);

  const throughput = {};
  for (const p of PIPELINES) {
    throughput[p] = {};
    for (const cls of classes) {
      const rs = runs[p][cls];
      const perDoc = rs.flatMap((r) => r.perDoc);
      throughput[p][cls] = {
        mbps: median(rs.map((r) => r.bytes / MB / (r.ms / 1000))),
        roundsMbps: rs.map((r) => +(r.bytes / MB / (r.ms / 1000)).toFixed(3)),
        p50ms: quantile(perDoc, 0.5),
        p99ms: quantile(perDoc, 0.99),
      };
    }
  }
  const scaling = {};
  if (withScale) {
    const names = info.classes.scale.names;
    for (const p of SCALE_PIPELINES) {
      const msPerMb = (name) => {
        const i = names.indexOf(name);
        const bytes = Buffer.byteLength(docs.find((d) => d.name === name).text);
        return median(runs[p].scale.map((r) => r.perDoc[i])) / (bytes / MB);
      };
      scaling[p] = {};
      for (const kind of ["md", "html"]) {
        const small = msPerMb(`scale-${kind}-100kb.md`);
        const big = msPerMb(`scale-${kind}-10mb.md`);
        scaling[p][kind] = { msPerMb100kb: small, msPerMb10mb: big, ratio: big / small };
      }
    }
  }

  // Cold start: each load in a fresh context, pipelines interleaved.
  log("== cold start");
  const cold = Object.fromEntries(COLD_PIPELINES.map((p) => [p, []]));
  for (let i = 0; i < COLD; i++) {
    for (const p of COLD_PIPELINES) {
      const ctx = await browser.newContext();
      const pg = await ctx.newPage();
      const errs = [];
      pg.on("pageerror", (e) => errs.push(e.message));
      await pg.goto(`${origin}/cold.html?p=${p}`);
      await pg.waitForFunction(() => window.coldMarks !== undefined, null, { timeout: 60_000 });
      const marks = await pg.evaluate(() => window.coldMarks);
      if (errs.length) throw new Error(`cold start of ${p}: ${errs.join("; ")}`);
      cold[p].push(marks);
      await ctx.close();
    }
  }
  const coldStart = {};
  const empty = median(cold.empty.map((m) => m.done));
  for (const p of COLD_PIPELINES) {
    const m = (k) => median(cold[p].map((x) => x[k]));
    coldStart[p] = {
      medianMs: m("done"),
      overEmptyMs: m("done") - empty,
      // Phases, medians: code imported, prepared (wasm compiled and instantiated), first result.
      phasesMs: { imported: m("imported"), prepared: m("prepared"), done: m("done"), secondRender: p === "empty" ? 0 : m("second") },
      runs: cold[p].map((x) => +x.done.toFixed(1)),
    };
  }

  // Where our time goes.
  let profile = null;
  if (PROFILE) {
    log("== profile");
    profile = { boundary: {}, cpu: null };
    for (const cls of classes) profile.boundary[cls] = await page.evaluate((c) => window.bench.jsBoundary(c), cls);
    if (profileBuild) profile.cpu = await cpuProfile(page, classes);
  }

  output = {
    date: new Date().toISOString(),
    command: "make bench",
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, loadavg: { start: loadAtStart, end: loadavg() }, node: process.version, chromium: browserVersion, userAgent: info.userAgent },
    git: gitInfo(),
    releaseProfile: releaseProfile(),
    mainThread: true,
    rounds: ROUNDS,
    seed: SEED,
    corpusSha256: manifest.sha256,
    crossOriginIsolated: info.crossOriginIsolated,
    pipelines: info.names,
    before,
    classes: Object.fromEntries(Object.entries(info.classes).map(([c, k]) => [c, { files: k.files, bytes: k.bytes, detectedHtml: k.html, detectedMarkdown: k.markdown }])),
    throughput,
    scaling,
    coldStart: { doc: coldDoc.name, bytes: Buffer.byteLength(coldDoc.text), loads: COLD, ...coldStart },
    codeBytes,
    profile,
  };
  await context.close();
} finally {
  await browser.close();
  server.close();
}

const stamp = output.date.replace(/[:.]/g, "-");
mkdirSync(results, { recursive: true });
const json = JSON.stringify(output, null, 1);
// --out: an experiment, kept apart from the run report.mjs reads.
const written = OUT ? [resolve(OUT)] : [join(results, `browser-${stamp}.json`), join(results, "browser.json")];
for (const file of written) writeFileSync(file, json);
process.stdout.write(browserTables(output));
log(`wrote ${written.map((w) => relative(root, w)).join(" and ")}`);

// ------------------------------------------------------------------ helpers

function gitInfo() {
  try {
    const rev = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "Cargo.toml", "Cargo.lock", "scripts/pkg.sh"], { cwd: root }).toString().trim();
    return { rev, dirtyBuildInputs: dirty ? dirty.split("\n") : [] };
  } catch {
    return null;
  }
}

function releaseProfile() {
  const toml = readFileSync(join(root, "Cargo.toml"), "utf8");
  const m = toml.match(/^\[profile\.release\][\s\S]*?(?=^\[|(?![\s\S]))/m);
  return m ? m[0].split("\n").filter((l) => l && !l.startsWith("#")).join("; ") : null;
}

/** Samples the CPU while the names-kept build renders each class, and sums self time by crate. */
async function cpuProfile(page, classes) {
  await page.evaluate(() => window.bench.load("ours-profile"));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  const byClass = {};
  for (const cls of classes) {
    const times = cls === "news" || cls.startsWith("md-") ? 10 : 2;
    await page.evaluate(([c]) => window.bench.spin("ours-profile", c, 1), [cls]);
    await cdp.send("Profiler.start");
    await page.evaluate(([c, t]) => window.bench.spin("ours-profile", c, t), [cls, times]);
    const { profile } = await cdp.send("Profiler.stop");
    byClass[cls] = summarize(profile);
  }
  await cdp.detach();
  return byClass;
}

/** Groups a CPU profile's self time: wasm by crate (and our modules), the binding's JavaScript, GC. */
function summarize(profile) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (dt[i + 1] ?? 0));
  }
  const buckets = new Map();
  const functions = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const { functionName, url } = byId.get(id).callFrame;
    const bucket = bucketOf(functionName, url);
    if (bucket === null) continue; // idle, the harness itself
    total += us;
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);
    const fn = `${isWasm(url) ? "wasm " : ""}${clean(functionName) || "(anonymous)"}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  // Inclusive time of the stages whose functions survive inlining: a sample
  // counts for a stage when one of its functions is on the stack.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const { functionName, url } = byId.get(id).callFrame;
      if (!isWasm(url) && url !== "") continue;
      const n = clean(functionName);
      for (const [stage, re] of STAGES) if (re.test(n)) seen.add(stage);
    }
    for (const stage of seen) inclusive.set(stage, (inclusive.get(stage) ?? 0) + (dt[i + 1] ?? 0));
  }
  const top = (m, n) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, ms: +(us / 1000).toFixed(1), share: +(us / total).toFixed(4) }));
  const functionsTop = top(functions, 30);
  // Who calls the hottest functions: the nearest caller with another name.
  const nameOf = (id) => {
    const { functionName, url } = byId.get(id).callFrame;
    return `${isWasm(url) ? "wasm " : ""}${clean(functionName) || "(anonymous)"}`;
  };
  const wanted = new Set(functionsTop.slice(0, 12).map((x) => x.name));
  const callers = new Map();
  for (const [id, us] of self) {
    const name = nameOf(id);
    if (!wanted.has(name)) continue;
    let up = parent.get(id);
    while (up !== undefined && nameOf(up) === name) up = parent.get(up);
    const caller = up === undefined ? "(none)" : nameOf(up);
    const m = callers.get(name) ?? new Map();
    m.set(caller, (m.get(caller) ?? 0) + us);
    callers.set(name, m);
  }
  for (const fn of functionsTop) {
    const m = callers.get(fn.name);
    if (m) fn.callers = top(m, 3).map((c) => `${c.name} ${(100 * c.share).toFixed(1)}%`);
  }
  return { totalMs: +(total / 1000).toFixed(1), buckets: top(buckets, 40), stages: top(inclusive, 40), functions: functionsTop };
}

function bucketOf(name, url) {
  if (name === "(idle)" || name === "(root)" || name === "(program)") return null;
  if (name === "(garbage collector)") return "GC (JavaScript heap)";
  if (!isWasm(url)) {
    // Builtins have no URL: the binding's TextEncoder/TextDecoder and JSON.parse.
    if (url === "" && name === "encodeInto") return "JS: TextEncoder.encodeInto (source in)";
    if (url === "" && name === "decode") return "JS: TextDecoder.decode (result JSON out)";
    if (url === "" && name === "parse") return "JS: JSON.parse (result)";
    if (url.includes("ours-profile")) {
      if (/passStringToWasm/.test(name)) return "JS: TextEncoder.encodeInto (source in)";
      if (/parse/.test(name)) return "JS: JSON.parse (result)";
      return "JS: wasm-bindgen glue";
    }
    return url.includes("page.js") ? null : `JS other: ${name || "(anonymous)"}`;
  }
  // Rust names, demangled: `crate::module::item`, `<crate::Type as crate::Trait>::f`, `core::ptr::drop_in_place<T>`.
  const n = clean(name);
  if (/^render .*shim/.test(n)) return "wasm: render() export (with the code inlined into it)";
  if (/^(memcpy|memmove|memset|memcmp|bcmp)$/.test(n) || /compiler_builtins::mem/.test(n)) return "wasm: mem* (copies)";
  if (/dlmalloc|__rust_(alloc|dealloc|realloc)|__rdl_|^(malloc|free|realloc|calloc)$|__rg_/.test(n)) return "wasm: allocator (dlmalloc)";
  const drop = n.match(/drop_in_place<&?(?:mut )?(?:\(|<)?([a-z_0-9]+)/);
  if (drop) return `wasm: drop (${drop[1]})`;
  const ours = n.match(/^<?article_render::([a-z_0-9]+)/);
  if (ours) return `wasm: article_render::${ours[1]}`;
  const crate = n.match(/^<?(?:&(?:mut )?)?([a-z_0-9]+)::/);
  if (crate) return `wasm: ${crate[1]}`;
  return `wasm: ${n.length > 40 ? `${n.slice(0, 40)}…` : n}`;
}
