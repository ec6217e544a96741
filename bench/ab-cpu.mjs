// Two builds' warm throughput compared by the page's main-thread CPU time
// (CDP Performance.getMetrics, ThreadTime), which a loaded machine skews far
// less than the wall clock bench/harness.mjs reads (bench/COLD.md). Uses
// the harness's page and the bundles of its last run with --before
// (bench/results/build/ours and ours-before): replace the two
// article_render_bg.wasm files there to compare other builds of the same
// glue. Rounds alternate the order of the two builds.
//
//   node bench/ab-cpu.mjs [ROUNDS=9] [CLASSES=news,md-plain,md-html,big]
import { readFileSync, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { join, resolve, extname, dirname, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { writeCorpus } from "./corpus.mjs";
const here = dirname(fileURLToPath(import.meta.url));
const buildDir = join(here, "results/build");
const ROUNDS = Number(process.argv[2] ?? 9);
const CLASSES = (process.argv[3] ?? "news,md-plain,md-html,big").split(",");
const manifest = writeCorpus(join(here, "results/corpus"));
const docs = manifest.files.map((f) => ({ class: f.class, name: f.name, text: readFileSync(join(here, "results/corpus", f.path), "utf8") }));
const corpusJson = JSON.stringify({ docs: docs.filter((d) => CLASSES.includes(d.class)) });
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".wasm": "application/wasm" };
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  const headers = { "cache-control": "no-store", "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };
  let body = null, type = "application/octet-stream";
  if (path === "/corpus.json") [body, type] = [corpusJson, "application/json"];
  else {
    const file = path.startsWith("/build/") ? resolve(buildDir, `.${path.slice(6)}`) : resolve(here, `.${path}`);
    if ((file.startsWith(buildDir + sep) || ["page.html", "page.js"].some((f) => file === join(here, f))) && existsSync(file) && statSync(file).isFile()) [body, type] = [readFileSync(file), types[extname(file)] ?? type];
  }
  if (body === null) return res.writeHead(404, headers).end();
  res.writeHead(200, { ...headers, "content-type": type }).end(body);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--js-flags=--expose-gc"] });
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/page.html?pipelines=ours,ours-before,markdown-it`);
await page.waitForFunction(() => window.benchReady, null, { timeout: 300_000 });
const cdp = await page.context().newCDPSession(page);
await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
const cpu = async () => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "ThreadTime").value;
const res = {};
for (let round = 0; round <= ROUNDS; round++) {
  for (const cls of CLASSES) {
    const order = round % 2 ? ["ours", "ours-before"] : ["ours-before", "ours"];
    for (const p of order) {
      const t0 = await cpu();
      const r = await page.evaluate(([p, c]) => window.bench.pass(p, c, {}), [p, cls]);
      const t1 = await cpu();
      if (round) ((res[cls] ??= {})[p] ??= []).push({ cpu: t1 - t0, wall: r.ms / 1000 });
    }
  }
}
const med = (a) => { a = [...a].sort((x, y) => x - y); const m = a.length >> 1; return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2; };
console.log("class      ours CPU s  before CPU s  ours/before CPU (median of per-round ratios; >1 = ours slower)   wall ratio");
for (const cls of CLASSES) {
  const a = res[cls].ours, b = res[cls]["ours-before"];
  const r = a.map((x, i) => x.cpu / b[i].cpu), w = a.map((x, i) => x.wall / b[i].wall);
  console.log(`${cls.padEnd(10)} ${med(a.map((x) => x.cpu)).toFixed(3).padStart(10)} ${med(b.map((x) => x.cpu)).toFixed(3).padStart(12)}  ${med(r).toFixed(3)} [${r.map((x) => x.toFixed(2)).join(" ")}]  ${med(w).toFixed(3)}`);
}
await browser.close();
server.close();
