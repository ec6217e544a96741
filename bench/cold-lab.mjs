// The cold start alone, for experiments on the build (issue 18, "Targets";
// findings in bench/COLD.md). bench/harness.mjs measures the cold start as
// one part of `make bench`; this runs only that part, for several builds
// and several V8 flag sets in one run, interleaved, so that one run
// compares them under the same load.
//
//   node bench/cold-lab.mjs [--loads N] [--cpu] [--trace DIR] VARIANT...
//   VARIANT = NAME=PKG_DIR[@V8_FLAGS]
//
//   node bench/cold-lab.mjs ours=pkg floor=target/floor-pkg \
//     "eager=pkg@--no-wasm-lazy-compilation" "liftoff=pkg@--no-wasm-tier-up"
//
// PKG_DIR is a wasm-bindgen `--target web` output (its glue and its
// `_bg.wasm`); the floor's single-argument `render(source, markdown)` is
// called the way bench/pipelines/floor.js calls it. Each variant's flags
// get a browser of their own (Chromium's `--js-flags`); every load is a
// fresh context, as in the harness, through bench/cold.html and cold.js,
// the same article (the median generated blog post). The wasm is compiled
// with `WebAssembly.compileStreaming` and then instantiated, so "compile"
// and "instantiate" are apart; the first and second render are cold.js's.
//
// --trace DIR: one more load of each variant with a Chrome trace (V8's
// wasm and compile categories), written to DIR/NAME.json, and a summary of
// what the first render spent on V8's lazy compilation: how many functions,
// how many bytes of code, how long, and the largest functions compiled (with
// names when the .wasm has a name section, or NAMES_<variant>=FILE names a
// copy of the same build that has one).
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { loadavg, cpus } from "node:os";
import { dirname, join, resolve, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { writeCorpus } from "./corpus.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const take = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [, value] = args.splice(i, 2);
  return value;
};
const LOADS = Number(take("--loads", 9));
const TRACE = take("--trace", null);
// --cpu: every load also traced (V8's wasm category only), for the main
// thread's CPU time in lazy compilation, which the machine's load skews
// much less than the wall-clock marks.
const CPU = args.includes("--cpu") && !!args.splice(args.indexOf("--cpu"), 1);
const variants = args.map((arg) => {
  const m = arg.match(/^([\w-]+)=([^@]+)(?:@(.*))?$/);
  if (!m) throw new Error(`not NAME=PKG_DIR[@V8_FLAGS]: ${arg}`);
  const dir = resolve(m[2]);
  const wasm = readdirSync(dir).find((f) => f.endsWith("_bg.wasm"));
  if (!wasm) throw new Error(`${dir}: no *_bg.wasm`);
  const glue = wasm.replace(/_bg\.wasm$/, ".js");
  return { name: m[1], dir, wasm, glue, flags: (m[3] ?? "").trim(), floor: glue.includes("floor") };
});
if (!variants.length) throw new Error("usage: node bench/cold-lab.mjs [--loads N] [--trace DIR] NAME=PKG_DIR[@V8_FLAGS]...");

// The harness's cold-start article: the median-sized generated blog post.
const manifest = writeCorpus(join(here, "results/corpus"));
const posts = manifest.files.filter((f) => f.class.startsWith("md-"))
  .map((f) => readFileSync(join(here, "results/corpus", f.path), "utf8"))
  .sort((a, b) => a.length - b.length);
const coldDoc = posts[posts.length >> 1];

const entry = (v) => `import init, { render } from "./${v.glue}";
export const prepare = async () => {
  const t0 = performance.now();
  const module = await WebAssembly.compileStreaming(fetch(new URL("./${v.wasm}", import.meta.url)));
  const t1 = performance.now();
  await init({ module_or_path: module });
  globalThis.labPhases = { compile: t1 - t0, instantiate: performance.now() - t1 };
};
export const run = ${v.floor ? `(source, hint) => render(source, hint !== "html")` : "(source) => render(source)"};
export const htmlOf = ${v.floor ? "(r) => r" : "(r) => r.html"};
`;
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".wasm": "application/wasm" };
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  const headers = { "cache-control": "no-store", "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };
  let body = null;
  let type = "application/octet-stream";
  // The entry, or a file of the build: its glue, its wasm, and the glue's
  // own imports (wasm-bindgen's `snippets/`, for the package's
  // transliteration loader).
  const m = path.match(/^\/build\/([\w-]+)\/((?:snippets\/[\w./-]+\/)?[\w.-]+)$/);
  const v = m && !m[2].includes("..") && variants.find((x) => x.name === m[1]);
  if (path === "/cold.html" || path === "/cold.js") [body, type] = [readFileSync(join(here, path)), types[extname(path)]];
  else if (path === "/cold-doc.md") [body, type] = [coldDoc, "text/markdown; charset=utf-8"];
  else if (v && m[2] === `${v.name}.js`) [body, type] = [entry(v), types[".js"]];
  else if (v && ([v.glue, v.wasm].includes(m[2]) || m[2].startsWith("snippets/"))) [body, type] = [readFileSync(join(v.dir, m[2])), types[extname(m[2])]];
  if (body === null) return res.writeHead(404, headers).end();
  res.writeHead(200, { ...headers, "content-type": type }).end(body);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const browsers = new Map();
for (const flags of new Set(variants.map((v) => v.flags))) {
  browsers.set(flags, await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", ...(flags ? [`--js-flags=${flags}`] : [])],
  }));
}

async function load(v, trace) {
  const browser = browsers.get(v.flags);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  if (CPU && !trace) await browser.startTracing(page, { categories: ["v8.wasm"] });
  if (trace) {
    await browser.startTracing(page, {
      categories: ["devtools.timeline", "v8", "v8.wasm", "v8.execute", "disabled-by-default-v8.compile", "disabled-by-default-v8.wasm.detailed", "disabled-by-default-v8.wasm.turbofan", "blink", "loading"],
    });
  }
  await page.goto(`${origin}/cold.html?p=${v.name}`);
  await page.waitForFunction(() => window.coldMarks !== undefined, null, { timeout: 60_000 });
  const marks = await page.evaluate(() => ({ ...window.coldMarks, ...globalThis.labPhases, origin: performance.timeOrigin }));
  const traced = trace || CPU ? await browser.stopTracing() : null;
  if (CPU && !trace) {
    const lazy = JSON.parse(traced.toString()).traceEvents.filter((e) => e.name === "wasm.CompileLazy" && e.ph === "X");
    marks.lazyCpu = lazy.reduce((n, e) => n + (e.tdur ?? 0), 0) / 1000;
    marks.lazyCount = lazy.length;
  }
  await ctx.close();
  if (errors.length) throw new Error(`${v.name}: ${errors.join("; ")}`);
  return { marks, traced };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const load0 = loadavg()[0];
const runs = Object.fromEntries(variants.map((v) => [v.name, []]));
for (let i = 0; i < LOADS; i++) for (const v of variants) runs[v.name].push((await load(v)).marks);

const out = [];
out.push(`Cold start lab: ${new Date().toISOString()}, ${cpus()[0]?.model} (${cpus().length} cores), load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)}`);
out.push(`Chromium ${[...browsers.values()][0].version()}; article ${Buffer.byteLength(coldDoc)} bytes; median of ${LOADS} fresh-context loads, interleaved; ms from navigation`);
out.push("(1st: the first render, median and fastest; lazy CPU: main-thread CPU ms in V8's lazy compilation, with --cpu)");
out.push(`${"variant".padEnd(14)} ${"imported".padStart(8)} ${"compile".padStart(8)} ${"inst".padStart(6)} ${"prepared".padStart(8)} ${"1st".padStart(7)} ${"min".padStart(6)} ${"2nd".padStart(6)} ${"done".padStart(7)} ${"lazy CPU".padStart(8)} ${"fns".padStart(4)}  flags`);
for (const v of variants) {
  const m = (k) => median(runs[v.name].map((r) => r[k]));
  const first = median(runs[v.name].map((r) => r.done - r.prepared));
  const fastest = Math.min(...runs[v.name].map((r) => r.done - r.prepared));
  const cpu = CPU ? `${m("lazyCpu").toFixed(1).padStart(8)} ${String(m("lazyCount")).padStart(4)}` : `${"".padStart(8)} ${"".padStart(4)}`;
  out.push(`${v.name.padEnd(14)} ${m("imported").toFixed(1).padStart(8)} ${m("compile").toFixed(1).padStart(8)} ${m("instantiate").toFixed(1).padStart(6)} ${m("prepared").toFixed(1).padStart(8)} ${first.toFixed(1).padStart(7)} ${fastest.toFixed(1).padStart(6)} ${m("second").toFixed(2).padStart(6)} ${m("done").toFixed(1).padStart(7)} ${cpu}  ${v.flags}`);
}
console.log(out.join("\n"));

if (TRACE) {
  mkdirSync(TRACE, { recursive: true });
  for (const v of variants) {
    const { marks, traced } = await load(v, true);
    writeFileSync(join(TRACE, `${v.name}.json`), traced);
    console.log(`\n${v.name}: first render ${(marks.done - marks.prepared).toFixed(1)} ms; trace ${join(TRACE, `${v.name}.json`)}`);
    console.log(summarize(JSON.parse(traced.toString()), marks, v));
  }
}
for (const b of browsers.values()) await b.close();
server.close();

/** Function body sizes and names (the name section, when the file has one) of a .wasm, by function index. */
function functionsOf(file) {
  const buf = readFileSync(file);
  let p = 8;
  const leb = () => { let r = 0, s = 0, b; do { b = buf[p++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return r; };
  const skipLimits = () => { const f = buf[p++]; leb(); if (f & 1) leb(); };
  let imports = 0;
  const sizes = [];
  const names = new Map();
  while (p < buf.length) {
    const id = buf[p++], len = leb(), end = p + len;
    if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        for (let k = 0; k < 2; k++) { const l = leb(); p += l; } // module and field names
        const kind = buf[p++];
        if (kind === 0) { leb(); imports++; } else if (kind === 1) { p++; skipLimits(); } else if (kind === 2) skipLimits(); else if (kind === 3) p += 2; else { p++; leb(); }
      }
    } else if (id === 10) {
      for (let n = leb(); n > 0; n--) { const size = leb(); sizes.push(size); p += size; }
    } else if (id === 0) {
      const nameLen = leb();
      if (buf.subarray(p, p + nameLen).toString() === "name") {
        p += nameLen;
        while (p < end) {
          const sub = buf[p++], subLen = leb(), subEnd = p + subLen;
          if (sub === 1) for (let n = leb(); n > 0; n--) { const i = leb(), l = leb(); names.set(i, buf.subarray(p, p + l).toString()); p += l; }
          p = subEnd;
        }
      }
    }
    p = end;
  }
  return new Map(sizes.map((size, i) => [i + imports, { size, name: (names.get(i + imports) ?? "").replace(/::h[0-9a-f]{16}$/, "") }]));
}

/** What the first render spent its time on: V8's lazy compilation of each function on its first call, from the trace. */
function summarize(trace, marks, v) {
  const events = trace.traceEvents ?? trace;
  const lazy = events.filter((e) => e.name === "wasm.CompileLazy" && e.ph === "X").sort((a, b) => a.ts - b.ts);
  if (!lazy.length) return "  no wasm.CompileLazy events (eager compilation?)";
  // The page's main thread is the one that compiled lazily; the first render
  // is from the first lazy compilation (the render export's first call) to the page's mark.
  const { pid, tid } = lazy[0];
  const t0 = lazy[0].ts;
  const sum = (list) => list.reduce((n, e) => n + (e.dur ?? 0), 0) / 1000;
  const named = process.env[`NAMES_${v.name}`];
  const fns = functionsOf(named ?? join(v.dir, v.wasm));
  const sizes = functionsOf(join(v.dir, v.wasm));
  const total = [...sizes.values()].reduce((n, f) => n + f.size, 0);
  let bytes = 0;
  const rows = lazy.map((e) => {
    const i = e.args.func_index;
    bytes += sizes.get(i)?.size ?? 0;
    return { i, ms: e.dur / 1000, size: sizes.get(i)?.size ?? 0, name: fns.get(i)?.name || `(function ${i})` };
  });
  const onMain = (name) => events.filter((e) => e.name === name && e.pid === pid && e.tid === tid && e.ph === "X" && e.ts >= t0);
  const out = [
    `  lazily compiled on the main thread: ${rows.length} functions, ${bytes} of the ${total} bytes of code (${(100 * bytes / total).toFixed(1)} %), ${sum(lazy).toFixed(1)} ms ` +
      `(Liftoff itself ${sum(onMain("wasm.CompileBaseline")).toFixed(1)} ms); first render ${(marks.done - marks.prepared).toFixed(1)} ms`,
    `  background, whole load: Liftoff ${sum(events.filter((e) => e.name === "wasm.CompileBaseline" && e.tid !== tid)).toFixed(1)} ms, ` +
      `TurboFan tier-up ${sum(events.filter((e) => e.name === "wasm.TopTierCompilation")).toFixed(1)} ms, ` +
      `validation ${sum(events.filter((e) => e.name === "wasm.ValidateFunctionsStreaming")).toFixed(1)} ms`,
    "  the largest functions compiled lazily:",
    ...[...rows].sort((a, b) => b.size - a.size).slice(0, 12).map((r) => `  ${String(r.size).padStart(8)} B ${r.ms.toFixed(2).padStart(7)} ms  ${r.name.slice(0, 100)}`),
  ];
  return out.join("\n");
}
