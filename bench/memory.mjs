// Peak wasm memory per input byte (issue 18, "Memory"): the npm package in
// Node renders a 1 MB and a 10 MB article of each kind (Markdown, raw HTML),
// generated like the benchmark corpus, each in a fresh module instance.
//
//   node bench/memory.mjs [--pkg DIR]... [--out FILE]
//
// Wasm memory only grows, so after one render its size is the render's high
// water mark (dlmalloc's fragmentation and the 64 KiB pages included): peak
// = memory.buffer.byteLength after one render() in a fresh instance, minus
// that of a fresh instance before it. Each measurement runs in a child
// process of its own, so no instance, heap or compiled code is shared.
// --pkg (default pkg/) may be given more than once, to compare builds.
// Prints a table and writes bench/results/memory.json (FILE with --out).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { writeCorpus } from "./corpus.mjs";
import { memoryTable } from "./report.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const args = process.argv.slice(2);

// The inputs: the corpus's 1 MB files and its 10 MB scaling files. Its
// Markdown carries raw HTML (the full path: sanitizer and walk); "Markdown,
// no HTML" is the same Markdown with every tag taken out, which the fast
// path writes straight from pulldown-cmark's events, with buffers of its own.
const INPUTS = [
  ["Markdown", "1 MB", "big/big-md-1mb.md"],
  ["Markdown", "10 MB", "scale/scale-md-10mb.md"],
  ["Markdown, no HTML", "1 MB", "big/big-md-1mb.md", "strip"],
  ["Markdown, no HTML", "10 MB", "scale/scale-md-10mb.md", "strip"],
  ["raw HTML", "1 MB", "big/big-html-1mb.md"],
  ["raw HTML", "10 MB", "scale/scale-html-10mb.md"],
];

if (args[0] === "--one") {
  // The child: one fresh instance, one render, sizes on stdout.
  const [, pkg, file] = args;
  const glue = await import(pathToFileURL(join(pkg, "article_render.js")).href);
  const wasm = glue.initSync({ module: readFileSync(join(pkg, "article_render_bg.wasm")) });
  const source = readFileSync(file, "utf8");
  const before = wasm.memory.buffer.byteLength;
  const started = performance.now();
  const out = glue.render(source);
  const ms = performance.now() - started;
  const after = wasm.memory.buffer.byteLength;
  process.stdout.write(
    JSON.stringify({ before, after, ms, htmlBytes: Buffer.byteLength(out.html), bodyFormat: out.bodyFormat, rss: process.memoryUsage().rss }),
  );
  process.exit(0);
}

const pkgs = [];
let out = join(here, "results", "memory.json");
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--pkg") pkgs.push(resolve(args[++i]));
  else if (args[i] === "--out") out = resolve(args[++i]);
  else {
    console.error("usage: node bench/memory.mjs [--pkg DIR]... [--out FILE]");
    process.exit(2);
  }
}
if (!pkgs.length) pkgs.push(join(root, "pkg"));

const corpus = join(here, "results", "corpus");
writeCorpus(corpus);
const runs = [];
for (const pkg of pkgs) {
  const wasmBytes = readFileSync(join(pkg, "article_render_bg.wasm")).length;
  for (const [kind, size, from, strip] of INPUTS) {
    let path = from;
    if (strip) {
      path = join("memory", from.replace(/\//g, "-").replace(/\.md$/, "-no-html.md"));
      mkdirSync(join(corpus, "memory"), { recursive: true });
      writeFileSync(join(corpus, path), readFileSync(join(corpus, from), "utf8").replace(/<[^>]*>/g, ""));
    }
    const file = join(corpus, path);
    const bytes = readFileSync(file).length;
    const child = execFileSync(process.execPath, ["--max-old-space-size=4096", fileURLToPath(import.meta.url), "--one", pkg, file], {
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(child.toString());
    runs.push({
      pkg: relative(root, pkg) || ".",
      wasmBytes,
      kind,
      size,
      file: path,
      bytes,
      bodyFormat: r.bodyFormat,
      baseline: r.before,
      after: r.after,
      peak: r.after - r.before,
      perInputByte: (r.after - r.before) / bytes,
      ms: r.ms,
      htmlBytes: r.htmlBytes,
    });
    console.error(`   ${relative(root, pkg)}: ${kind} ${size}: ${((r.after - r.before) / bytes).toFixed(1)}× the input`);
  }
}
const result = {
  date: new Date().toISOString(),
  node: process.version,
  git: (() => {
    try {
      return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root }).toString().trim();
    } catch {
      return null;
    }
  })(),
  runs,
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 1));
process.stdout.write(memoryTable(result));
console.error(`wrote ${relative(root, out)}`);
