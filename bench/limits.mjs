// The limits of issue 5 as a benchmark, in wasm: the hostile families of
// examples/limits.rs, the same inputs byte for byte (`--inputs` of both
// prints the FNV-1a of every input; `make bench` compares them), rendered with the npm package under Node
// (pkg/node.js, built by `make pkg`) with default options and timed (CPU
// time, so that other work on a shared machine does not count).
// Linear time means the same ms per MB at every size: the table gives the
// ratio of ms/MB at the largest size to ms/MB at the smallest, SUPERLINEAR
// above 3, SLOW above 1000 ms/MB.
//
//   node bench/limits.mjs [--quick] [--inputs] [--family NAME]... [--budget SECONDS] [--pkg DIR]
//
// --quick: sizes up to 1 MB; --inputs: no rendering, each input's family,
// size, n, bytes and FNV-1a, one a line, as examples/limits.rs --inputs; --budget (default 120): a size whose time,
// foreseen from the smaller ones, is over that is skipped, with the larger
// ones; --pkg: the package directory (default pkg/). Each family runs in its
// own Node process with V8's default stack and the wasm's own 1 MiB Rust
// stack, so a trap or a stack overflow is reported and the others still run.
// The Markdown table goes to standard output, progress to standard error.
// `make bench` writes it into bench/LIMITS.md.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SIZES = [10_000, 100_000, 1_000_000, 10_000_000]; // bytes; MB = 10^6
const BEST_OF_3_BELOW = 10_000_000;
const REPEAT_BELOW_MS = 1000;
const SUPERLINEAR = 3;
const SLOW_MS_PER_MB = 1000;

// Keep in step with FAMILIES in examples/limits.rs: same names, same inputs.
const rep = (s, n) => s.repeat(n);
const FAMILIES = [
  ["div", `"<div>"×n + "x" + "</div>"×n`, (n) => `${rep("<div>", n)}x${rep("</div>", n)}`],
  ["span-b", `"<span><b>"×n + "x" + "</b></span>"×n`, (n) => `${rep("<span><b>", n)}x${rep("</b></span>", n)}`],
  ["b-i-unclosed", `"<b><i>"×n + "x"`, (n) => `${rep("<b><i>", n)}x`],
  ["a-unclosed", `'<a href="/">a'×n`, (n) => rep('<a href="/">a', n)],
  ["table-nested", `"<table><tr><td>"×n + "x"`, (n) => `${rep("<table><tr><td>", n)}x`],
  ["div-stray-end", `"<div></span>"×n + "x"`, (n) => `${rep("<div></span>", n)}x`],
  ["div-self-closed", `"<div/>"×n + "x"`, (n) => `${rep("<div/>", n)}x`],
  ["b-div-misnested", `"<b><div></b>"×n + "x"`, (n) => `${rep("<b><div></b>", n)}x`],
  ["b-i-misnested", `"<b><i class=k>x</b>"×n`, (n) => rep("<b><i class=k>x</b>", n)],
  ["div-b-unclosed", `"<div><b class=k>x</div>"×n`, (n) => rep("<div><b class=k>x</div>", n)],
  ["div-b-distinct", `"<div><b class=k" + i + ">x</div>", i = 0..n`, (n) => Array.from({ length: n }, (_, i) => `<div><b class=k${i}>x</div>`).join("")],
  ["attrs-distinct", `"<svg><g" + " a" + i + "=x", i = 0..n, + ">x"`, (n) => `<svg><g${Array.from({ length: n }, (_, i) => ` a${i}=x`).join("")}>x`],
  ["attrs-end-tag", `"<p>x</p" + " a" + i + "=x", i = 0..n, + ">"`, (n) => `<p>x</p${Array.from({ length: n }, (_, i) => ` a${i}=x`).join("")}>`],
  ["attrs-after-script-comment", `"<script><!-- x --></script><svg><g" + " a" + i + "=x", i = 0..n, + ">x"`, (n) => `<script><!-- x --></script><svg><g${Array.from({ length: n }, (_, i) => ` a${i}=x`).join("")}>x`],
  ["attrs-after-cr", `"a&#13;b\\n\\n<div" + " a" + i + "=x", i = 0..n, + ">\\nx\\n</div>\\n" (Markdown)`, (n) => `a&#13;b\n\n<div${Array.from({ length: n }, (_, i) => ` a${i}=x`).join("")}>\nx\n</div>\n`],
  ["font-heavy-unclosed", `'<font title="' + "A"×49 + '"> x'×n`, (n) => rep(`<font title="${rep("A", 49)}"> x`, n)],
  ["form-div", `"<form><div>x</form>"×n`, (n) => rep("<form><div>x</form>", n)],
  ["table-form-br", `"<table>" + "x<form><br>"×n`, (n) => `<table>${rep("x<form><br>", n)}`],
  ["rt-tower", `"<rt>x"×n`, (n) => rep("<rt>x", n)],
  ["li-dd-tower", `"<li>x<dd>x"×n`, (n) => rep("<li>x<dd>x", n)],
  ["table-tr-end-div", `"<table><tr><div></tr>" + "<p>x</p>"×n`, (n) => `<table><tr><div></tr>${rep("<p>x</p>", n)}`],
  ["table-p-ruby", `"<table>" + "<p><ruby>"×n`, (n) => `<table>${rep("<p><ruby>", n)}`],
  ["table-colgroup-math", `"<table>" + "<h1><colgroup><math><p>"×n`, (n) => `<table>${rep("<h1><colgroup><math><p>", n)}`],
  ["table-p", `"<table>" + "<p>x</p>"×n`, (n) => `<table>${rep("<p>x</p>", n)}`],
  ["table-xmp", `"<table>" + "<xmp>x</xmp>"×n`, (n) => `<table>${rep("<xmp>x</xmp>", n)}`],
  ["p-table", `"<p><table>"×n`, (n) => rep("<p><table>", n)],
  ["table-end-text", `"<table></font>></table>"×n`, (n) => rep("<table></font>></table>", n)],
  ["table-text-br", `"<table>" + "x<br>"×n`, (n) => `<table>${rep("x<br>", n)}`],
  ["div-b-long-attr", `'<div><b title="' + "A"×1000 + '">x</div>' + "<p>x</p>"×n`, (n) => `<div><b title="${rep("A", 1000)}">x</div>${rep("<p>x</p>", n)}`],
  ["div-16-formatting-attrs", `"<div>" + 16 formatting elements, each with 100 bytes of attributes + "x</div>" + "<p>x</p>"×n`, (n) => `<div>${["b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u", "b", "i", "u"].map((name, i) => `<${name} title="${i}${rep("A", 100)}">`).join("")}x</div>${rep("<p>x</p>", n)}`],
  ["quote", `">"×n + " x"`, (n) => `${rep(">", n)} x`],
  ["list-dash", `"- "×n + "x"`, (n) => `${rep("- ", n)}x`],
  ["list-ordered", `"1. "×n + "x"`, (n) => `${rep("1. ", n)}x`],
  ["list-indent", `lines "  "×i + "- a\\n", i = 0..n`, (n) => Array.from({ length: n }, (_, i) => `${rep("  ", i)}- a\n`).join("")],
  ["run-[", `"["×n + "a"`, (n) => `${rep("[", n)}a`],
  ["run-*", `"*"×n + "a"`, (n) => `${rep("*", n)}a`],
  ["run-_", `"_"×n + "a"`, (n) => `${rep("_", n)}a`],
  ["run-`", '"`"×n + "a"', (n) => `${rep("`", n)}a`],
  ["run-<", `"<"×n + "a"`, (n) => `${rep("<", n)}a`],
  ["run-&", `"&"×n + "a"`, (n) => `${rep("&", n)}a`],
  ["run-](", `"]("×n + "a"`, (n) => `${rep("](", n)}a`],
  ["brackets", `"["×n + "a" + "]"×n + "(/)"`, (n) => `${rep("[", n)}a${rep("]", n)}(/)`],
  ["link-open", `"[ (]("×n`, (n) => rep("[ (](", n)],
  ["link-unclosed", `"[a](<b"×n`, (n) => rep("[a](<b", n)],
  ["emph-nested", `"*a **a "×n + "b" + " a** a*"×n`, (n) => `${rep("*a **a ", n)}b${rep(" a** a*", n)}`],
  ["emph-mixed", `"*a_ "×n`, (n) => rep("*a_ ", n)],
  ["backticks", '"e" + "`"×i, i = 1..n', (n) => Array.from({ length: n }, (_, i) => `e${rep("`", i + 1)}`).join("")],
  ["entities", `"&amp;&#106;&#x6a;&nbsp&bogus;&"×n`, (n) => rep("&amp;&#106;&#x6a;&nbsp&bogus;&", n)],
  ["prose-amp", `"Q&A, R&D and AT&T\\n"×n (one paragraph)`, (n) => rep("Q&A, R&D and AT&T\n", n)],
  ["attr-amp", `'<a href="/" title="' + "&"×n + '">x</a>'`, (n) => `<a href="/" title="${rep("&", n)}">x</a>`],
  ["comment-open", `"</" + "<!--"×n`, (n) => `</${rep("<!--", n)}`],
  [
    "yaml-bomb",
    `front matter: a = 10 x's, b..d = 10 aliases of the one before, then "k<i>: *d\\n", i = 0..n`,
    (n) => {
      const parts = ["---\na: &a [x, x, x, x, x, x, x, x, x, x]\n"];
      for (const [prev, cur] of [["a", "b"], ["b", "c"], ["c", "d"]]) parts.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(", ")}]\n`);
      for (let i = 0; i < n; i++) parts.push(`k${i}: *d\n`);
      parts.push("---\nbody text\n");
      return parts.join("");
    },
  ],
  ["long-line", `"word "×n (one line)`, (n) => rep("word ", n)],
  ["table-wide", `"|a"×n + "|\\n" + "|-"×n + "|\\n" + "|b"×n + "|\\n"`, (n) => `${rep("|a", n)}|\n${rep("|-", n)}|\n${rep("|b", n)}|\n`],
  ["table-short-rows", `"|a"×n + "|\\n" + "|-"×n + "|\\n" + "x\\n"×n`, (n) => `${rep("|a", n)}|\n${rep("|-", n)}|\n${rep("x\n", n)}`],
  [
    "tables-padded",
    `("|a"×512 + "|\\n" + "|-"×512 + "|\\n" + "x\\n"×512 + "\\n")×n`,
    (n) => rep(`${rep("|a", 512)}|\n${rep("|-", 512)}|\n${rep("x\n", 512)}\n`, n),
  ],
  [
    "tables-padded-small",
    `("|a"×64 + "|\\n" + "|-"×64 + "|\\n" + "x\\n"×64 + "\\n")×n`,
    (n) => rep(`${rep("|a", 64)}|\n${rep("|-", 64)}|\n${rep("x\n", 64)}\n`, n),
  ],
  [
    "footnotes",
    `"a[^<i>] " for i = 0..n, "\\n\\n", "[^<i>]: n\\n" for i = 0..n`,
    (n) => {
      const parts = [];
      for (let i = 0; i < n; i++) parts.push(`a[^${i}] `);
      parts.push("\n\n");
      for (let i = 0; i < n; i++) parts.push(`[^${i}]: n\n`);
      return parts.join("");
    },
  ],
  ["footnote-refs", `"x[^a] "×n + "\\n\\n[^a]: note\\n"`, (n) => `${rep("x[^a] ", n)}\n\n[^a]: note\n`],
  ["fence-paragraphs", `"\`\`\`\\n" + "a\\n\\n"×n`, (n) => `\`\`\`\n${rep("a\n\n", n)}`],
  ["autolinks-split", `"a_b_c_d_e_f https://x.example/ g_h\\n\\n"×n`, (n) => rep("a_b_c_d_e_f https://x.example/ g_h\n\n", n)],
].map(([name, what, generate]) => ({ name, what, generate }));

/** The input of about `target` bytes and its n: as sized() in examples/limits.rs. */
function sized(family, target) {
  const len = (n) => family.generate(n).length;
  const [l0, l1, l2] = [len(0), len(1), len(2)];
  let n = l2 - l1 === l1 - l0 && l1 > l0 ? Math.floor(Math.max(0, target - l0) / (l1 - l0)) : null;
  if (n === null || len(n) > target || len(n + 1) <= target) {
    let [lo, hi] = [0, 1];
    while (len(hi) <= target) [lo, hi] = [hi, hi * 2];
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (len(mid) <= target) lo = mid;
      else hi = mid;
    }
    n = lo;
  }
  return [n, family.generate(n)];
}

/** CPU time of this process in ms (V8's helper threads included): on a shared
 * machine, the time others take does not count. */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e3;
}

const FNV_OFFSET = 0x811c9dc5;
/** FNV-1a, 32 bits, continued from `hash`, over an ASCII string (also flattens it). */
function fnv1a(hash, text) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) throw new Error("inputs are ASCII");
    hash = Math.imul(hash ^ c, 0x01000193) >>> 0;
  }
  return hash;
}
const hex = (h) => h.toString(16).padStart(8, "0");

/** The child: one family at `sizes`, the protocol of examples/limits.rs plus `crash`. */
async function child(name, budgetMs, sizes, pkg) {
  const family = FAMILIES.find((f) => f.name === name);
  const { render } = await import(pathToFileURL(resolve(pkg, "node.js")).href);
  const timeRender = (input) => {
    const start = cpuMs();
    const r = render(input);
    const ms = cpuMs() - start;
    return [ms, r.html.length, [...new Set(r.diagnostics.map((d) => d.code))].sort()];
  };
  // Warm up: V8 compiles the wasm in tiers; time the optimized code.
  const warm = sized(family, 10_000)[1];
  for (let i = 0; i < 5; i++) timeRender(warm);

  let previous = null;
  let growth = 1;
  let skipping = false;
  for (const target of sizes) {
    const [n, input] = sized(family, target);
    fnv1a(FNV_OFFSET, input); // flattens the string, outside the timing
    if (previous !== null) {
      const foreseen = previous * input.length * growth;
      if (skipping || foreseen > budgetMs) {
        skipping = true;
        console.log(`skip ${target} ${foreseen.toFixed(0)}`);
        previous *= growth;
        continue;
      }
    }
    let best, out, codes;
    try {
      [best, out, codes] = timeRender(input);
      if (target < BEST_OF_3_BELOW && best < REPEAT_BELOW_MS) {
        for (let i = 0; i < 2; i++) best = Math.min(best, timeRender(input)[0]);
      }
    } catch (error) {
      console.log(`crash ${target} ${String(error).replace(/\s+/g, " ").slice(0, 160)}`);
      process.exit(1);
    }
    console.log(`size ${target} ${input.length} ${n} ${best.toFixed(4)} ${out} ${codes.length ? codes.join(",") : "-"}`);
    const perByte = best / input.length;
    if (previous !== null) growth = Math.max(1, perByte / previous);
    previous = perByte;
  }
}

function runFamily(name, sizes, budgetS, pkg) {
  const args = [fileURLToPath(import.meta.url), "--child", name, String(budgetS * 1e3), "--pkg", pkg, ...sizes.map(String)];
  // A hang beyond any budget is reported, not waited for.
  const run = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 24, timeout: budgetS * 1e3 * 10 });
  const result = { sizes: [], skipped: [], crash: null };
  for (const line of run.stdout.split("\n")) {
    const f = line.split(" ");
    if (f[0] === "size") {
      result.sizes.push({ target: +f[1], bytes: +f[2], n: +f[3], ms: +f[4], outBytes: +f[5], codes: f[6].replaceAll(",", ", ") });
    } else if (f[0] === "skip") result.skipped.push([+f[1], +f[2]]);
    else if (f[0] === "crash") result.crash = `at ${(+f[1] / 1e6).toString()} MB: ${f.slice(2).join(" ")}`;
  }
  if (run.status !== 0 && !result.crash) {
    const tail = (run.stderr ?? "").trim().split("\n").slice(-2).join(" / ");
    result.crash = `${run.error ? run.error.code : `exit ${run.status ?? run.signal}`} (${tail})`;
  }
  return result;
}

const sizeLabel = (b) => (b >= 1e6 ? `${b / 1e6} MB` : `${b / 1e3} KB`);
const ms = (x) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const perMb = (m) => m.ms / (m.bytes / 1e6);

/** The Rust stack this wasm was linked with: the initial value of its first global, __stack_pointer. */
function wasmStack(pkg) {
  const bytes = readFileSync(resolve(pkg, "article_render_bg.wasm"));
  let p = 8;
  const leb = () => {
    let result = 0, shift = 0, b;
    do {
      b = bytes[p++];
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return result;
  };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    if (id === 6) {
      leb(); // count
      p += 2; // valtype, mutability
      if (bytes[p++] !== 0x41) return null; // i32.const
      return leb();
    }
    p += size;
  }
  return null;
}

function table(families, results, sizes) {
  const lines = [];
  const flagged = [];
  lines.push(`| family | n at largest |${sizes.map((s) => ` ${sizeLabel(s)} ms |`).join("")} ms/MB smallest → largest | ratio | out ÷ in | diagnostics at largest |`);
  lines.push(`|---|---:|${"---:|".repeat(sizes.length)}---:|---:|---:|---|`);
  families.forEach((family, i) => {
    const r = results[i];
    const largest = r.sizes.at(-1);
    let crashed = false;
    const cells = sizes.map((s) => {
      const m = r.sizes.find((m) => m.target === s);
      if (m) return ms(m.ms);
      const k = r.skipped.find((k) => k[0] === s);
      if (k) return `skipped (≈ ${(k[1] / 1e3).toFixed(0)} s)`;
      if (r.crash && !crashed) {
        crashed = true;
        return "CRASH";
      }
      return "–";
    });
    let scaling = "– | –";
    if (r.sizes.length > 1) {
      const ratio = perMb(largest) / perMb(r.sizes[0]);
      let flags = "";
      if (ratio > SUPERLINEAR) flags += " SUPERLINEAR";
      if (perMb(largest) > SLOW_MS_PER_MB) flags += " SLOW";
      if (flags || r.skipped.length) flagged.push(`${family.name}${flags}`);
      scaling = `${ms(perMb(r.sizes[0]))} → ${ms(perMb(largest))} | ${ratio.toFixed(2)}${flags}`;
    }
    const amplification = largest ? (largest.outBytes / largest.bytes).toFixed(2) : "–";
    lines.push(`| ${family.name} | ${largest ? largest.n : "–"} |${cells.map((c) => ` ${c} |`).join("")} ${scaling} | ${amplification} | ${largest ? largest.codes : "–"} |`);
    if (r.crash) flagged.push(`${family.name} CRASH ${r.crash}`);
  });
  return [lines.join("\n"), flagged];
}

async function main() {
  const argv = process.argv.slice(2);
  let pkg = resolve(root, "pkg");
  const pkgAt = argv.indexOf("--pkg");
  if (pkgAt >= 0) {
    pkg = resolve(argv[pkgAt + 1]);
    argv.splice(pkgAt, 2);
  }
  if (argv[0] === "--child") {
    await child(argv[1], Number(argv[2]), argv.slice(3).map(Number), pkg);
    return;
  }
  let sizes = SIZES;
  const only = [];
  let budgetS = 120;
  let inputsOnly = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--quick") sizes = SIZES.filter((s) => s <= 1e6);
    else if (argv[i] === "--inputs") inputsOnly = true;
    else if (argv[i] === "--family") only.push(argv[++i]);
    else if (argv[i] === "--budget") budgetS = Number(argv[++i]);
    else {
      console.error("usage: node bench/limits.mjs [--quick] [--inputs] [--family NAME]... [--budget SECONDS] [--pkg DIR]");
      process.exit(2);
    }
  }
  const families = FAMILIES.filter((f) => only.length === 0 || only.includes(f.name));
  if (inputsOnly) {
    for (const family of families) {
      for (const target of sizes) {
        const [n, input] = sized(family, target);
        console.log(`${family.name} ${target} ${n} ${input.length} ${hex(fnv1a(FNV_OFFSET, input))}`);
      }
    }
    return;
  }
  const started = performance.now();
  const loadStart = loadavg().map((x) => x.toFixed(2)).join(" ");
  const results = [];
  for (const family of families) {
    process.stderr.write(family.name.padEnd(18));
    const t = performance.now();
    const r = runFamily(family.name, sizes, budgetS, pkg);
    process.stderr.write(`${((performance.now() - t) / 1e3).toFixed(1)} s${r.crash ? `  CRASH ${r.crash}` : ""}\n`);
    results.push(r);
  }
  const loadEnd = loadavg().map((x) => x.toFixed(2)).join(" ");

  // Over the limit: one error diagnostic and nothing else.
  const { render } = await import(pathToFileURL(resolve(pkg, "node.js")).href);
  const over = "a".repeat(32 * 1024 * 1024 + 1);
  const t = cpuMs();
  const o = render(over);
  const overMs = cpuMs() - t;

  const stack = wasmStack(pkg);
  const out = [];
  out.push("### wasm under Node (`node bench/limits.mjs`)\n");
  out.push(
    `Node ${process.version}, ${cpus().length} cores, load average ${loadStart} at start, ${loadEnd} at end; ` +
      `${((performance.now() - started) / 1e3).toFixed(0)} s in all. The package in pkg/ (\`make pkg\`), \`render(source)\`, default options ` +
      `(\`maxInputBytes\` 32 MiB), result object included. Each family in its own Node process, after 5 warm-up renders; ` +
      `V8's default stack, the wasm's Rust stack ${stack ? `${stack / 1048576} MiB` : "?"} (its initial __stack_pointer). ` +
      `ms: CPU time of the Node process (V8's helper threads included; the load of other work does not count), ` +
      `best of 3 below 10 MB (1 render when the first took over 1 s), 1 render at 10 MB; MB = 10^6 bytes of input. ` +
      `ratio, SUPERLINEAR, SLOW and out ÷ in as in the native table; a size whose foreseen time is over ${budgetS} s is skipped.\n`,
  );
  const [text, flagged] = table(families, results, sizes);
  out.push(text);
  out.push(
    `\nOver the limit: ${ms(over.length / 1e6)} MB of \`a\` (maxInputBytes + 1) → ${ms(overMs)} ms, html ${o.html.length} bytes, ` +
      `diagnostics: ${o.diagnostics.map((d) => d.code).join(", ")}.`,
  );
  out.push(`\nFlagged: ${flagged.length ? flagged.join("; ") : "none"}.`);
  console.log(out.join("\n"));
  if (results.some((r) => r.crash)) process.exitCode = 1;
}

await main();
