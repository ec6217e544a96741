// The throughput page. Loads the bundle of every pipeline (built by the
// harness into build/<name>/) and the corpus (served from memory as
// corpus.json), then exposes window.bench for bench/harness.mjs to call, one
// timed pass at a time, so the harness can interleave pipelines round by
// round. Everything runs on the page's main thread, the same for all.
// The harness names the pipelines (ours-before only when it has another build).
const NAMES = new URLSearchParams(location.search).get("pipelines")?.split(",") ?? ["ours", "floor", "markdown-it", "marked", "domparser"];

const pipelines = {};
for (const name of NAMES) {
  pipelines[name] = await import(`./build/${name}/${name}.js`);
  await pipelines[name].prepare();
}
const { docs } = await (await fetch("./corpus.json")).json();
const utf8 = new TextEncoder();
for (const doc of docs) {
  doc.bytes = utf8.encode(doc.text).length;
  // Equal work: the JavaScript pipelines are told what our detection found.
  doc.hint = pipelines.ours.run(doc.text).bodyFormat;
  // The baseline parses the HTML a sanitizer gets: the raw body, or the
  // Markdown rendered (by markdown-it: pulldown-cmark's HTML is not exposed).
  doc.unsafeHtml = pipelines["markdown-it"].unsafeHtml(doc.text, doc.hint);
}

const gc = () => globalThis.gc?.();
let sink = 0;

/** Runs `pipeline` once over every document of `cls` (small ones `repeat` times). */
function pass(pipeline, cls, { repeat = 1, smallBelow = 0 } = {}) {
  const p = pipelines[pipeline];
  const list = docs.filter((d) => d.class === cls);
  gc();
  const perDoc = [];
  let bytes = 0;
  const started = performance.now();
  for (const doc of list) {
    const times = doc.bytes < smallBelow ? repeat : 1;
    const input = pipeline === "domparser" ? doc.unsafeHtml : doc.text;
    const t0 = performance.now();
    for (let i = 0; i < times; i++) {
      const out = p.run(input, doc.hint);
      sink += p.htmlOf(out).length;
    }
    const t = performance.now() - t0;
    perDoc.push(t / times);
    bytes += doc.bytes * times;
  }
  const ms = performance.now() - started;
  return { ms, bytes, perDoc };
}

/** Untimed: sizes, hints and a look at every output, before any round. */
function info() {
  const classes = {};
  for (const d of docs) {
    const c = (classes[d.class] ??= { files: 0, bytes: 0, html: 0, markdown: 0, names: [] });
    c.files++;
    c.bytes += d.bytes;
    c[d.hint]++;
    c.names.push(d.name);
  }
  const problems = [];
  for (const name of NAMES) {
    for (const d of docs) {
      if (d.class === "scale") continue;
      const html = pipelines[name].htmlOf(pipelines[name].run(name === "domparser" ? d.unsafeHtml : d.text, d.hint));
      if (typeof html !== "string") problems.push(`${name} ${d.name}: no HTML string`);
      else if (name !== "domparser" && /<script/i.test(html)) problems.push(`${name} ${d.name}: a <script> survived`);
    }
  }
  return {
    classes,
    problems,
    crossOriginIsolated,
    userAgent: navigator.userAgent,
    names: Object.fromEntries(NAMES.map((n) => [n, pipelines[n].name])),
  };
}

/**
 * Where ours spends its time, without touching its code: the JavaScript
 * steps of the binding timed alone on the same data, as src/wasm.rs does
 * them (UTF-8 encoding of the source; decoding of the JSON the wasm writes,
 * whose `html` is empty, and of the HTML, which crosses as a string of its
 * own; JSON.parse of the JSON alone); the rest is wasm.
 */
function jsBoundary(cls) {
  const list = docs.filter((d) => d.class === cls);
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
  let render = 0, encode = 0, decode = 0, parse = 0, jsonBytes = 0;
  for (const doc of list) {
    gc();
    let t = performance.now();
    const result = pipelines.ours.run(doc.text);
    render += performance.now() - t;
    const jsonUtf8 = utf8.encode(JSON.stringify({ ...result, html: "" }));
    const htmlUtf8 = utf8.encode(result.html);
    jsonBytes += jsonUtf8.length + htmlUtf8.length;
    const buffer = new Uint8Array(doc.text.length * 3);
    t = performance.now();
    utf8.encodeInto(doc.text, buffer);
    encode += performance.now() - t;
    t = performance.now();
    const text = decoder.decode(jsonUtf8);
    sink += decoder.decode(htmlUtf8).length;
    decode += performance.now() - t;
    t = performance.now();
    sink += JSON.parse(text).bodyFormat.length;
    parse += performance.now() - t;
  }
  const bytes = list.reduce((n, d) => n + d.bytes, 0);
  return { render, encode, decode, parse, wasm: render - encode - decode - parse, bytes, jsonBytes };
}

/** Loads another bundle (the profiling build) into the page. */
async function load(name) {
  pipelines[name] = await import(`./build/${name}/${name}.js`);
  await pipelines[name].prepare();
}

/** Runs `pipeline` `times` times over a class, untimed: for the CPU profiler. */
function spin(pipeline, cls, times) {
  const list = docs.filter((d) => d.class === cls);
  for (let i = 0; i < times; i++) for (const d of list) sink += pipelines[pipeline].htmlOf(pipelines[pipeline].run(d.text, d.hint)).length;
}

window.bench = { pass, info, jsBoundary, load, spin, sink: () => sink };
document.querySelector("#status").textContent = "ready";
window.benchReady = true;
