// Issue 5's browser half of the attack check: every case of tests/attacks/
// with every option variant, rendered by the built package in headless
// Chromium and inserted (a) the way the page shows an article (page.js) and
// (b, c) naively (naive.js). What counts, and is printed as a FINDING:
//   sentinel    a call of alert/confirm/prompt/print/x/msgbox/… (sentinels.js)
//   dialog      a real dialog
//   navigation  the test page, an article's frame or a frame inside the
//               article loading anything, a window opening
//   request     a request to a host other than 127.0.0.1, except an image
//               the result declares (images[].src, meta.cover, …) while
//               images may load: images "load", or after the reader's click
//   blocked     script, a redirect or a dialog the page's sandbox refused
//   csp         anything the page's Content-Security-Policy refused
//   link        (naive) a link a reader can click to a scheme other than
//               http(s), mailto or data:image; a meta.extra value that,
//               as a theme's link, is javascript:, vbscript: or non-raster data:
//   pollution   (naive) merging `meta` into the host's config with a naive
//               deep merge changed Object.prototype
//   render / script error / harness   render() threw, an uncaught error, a hang
// Zero is the only passing number. First, a self-test feeds deliberately
// unsanitized results through the same code and requires each to be found.
//
// Usage: node tests/browser-attacks/check.mjs [--self-test]   (run.sh sets
// up and runs it; --self-test runs only the self-test)
// ATTACK_PKG=dir serves the package from dir instead of pkg/.
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { load, selfCheck, variants } from "./corpus.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const pkgDir = resolve(process.env.ATTACK_PKG ?? join(root, "pkg"));
const started = Date.now();

// -------------------------------------------------------------- www pieces
/** What page.js takes from the page itself, so the check follows it. */
function wwwPieces() {
  const read = (name) => readFileSync(join(root, "www", name), "utf8");
  const [index, app, worker] = [read("index.html"), read("app.js"), read("worker.js")];
  const pick = (text, pattern, what) => {
    const found = pattern.exec(text);
    if (!found) throw new Error(`tests/browser-attacks/check.mjs cannot find ${what}: update it with the page`);
    return found[0];
  };
  const csp = pick(index, /<meta http-equiv="Content-Security-Policy"[^>]*>/, "the CSP <meta> of www/index.html");
  const referrer = pick(index, /<meta name="referrer"[^>]*>/, "the referrer <meta> of www/index.html");
  const frame = pick(index, /<iframe\b[^>]*\bid="body-frame"[^>]*>/, "iframe#body-frame in www/index.html");
  const attributes = [...frame.matchAll(/\s([a-z-]+)="([^"]*)"/g)]
    .map((m) => [m[1], m[2]])
    .filter(([name]) => !["id", "class", "title"].includes(name));
  if (!attributes.some(([name]) => name === "sandbox")) throw new Error("iframe#body-frame has no sandbox attribute");
  const module = [
    `export ${pick(app, /^const FRAME_SKELETON =[\s\S]*?;$/m, "FRAME_SKELETON in www/app.js")}`,
    `export const FRAME_ATTRIBUTES = ${JSON.stringify(attributes)};`,
    pick(worker, /^const VOID = [\s\S]*?;$/m, "VOID in www/worker.js"),
    pick(worker, /^export function splitTopLevel\([\s\S]*?^\}$/m, "splitTopLevel in www/worker.js"),
  ].join("\n\n");
  return { head: `${csp}\n${referrer}`, module, attributes };
}

// ------------------------------------------------------------------ server
// A real 1x1 PNG: images of the articles at 127.0.0.1 load (onload runs),
// other paths are 404 (onerror runs).
const PIXEL = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const TYPES = { html: "text/html; charset=utf-8", js: "text/javascript; charset=utf-8", css: "text/css; charset=utf-8", wasm: "application/wasm" };

function startServer(pieces) {
  const page = readFileSync(join(here, "page.html"), "utf8");
  const marker = "<!-- check.mjs puts the CSP and referrer <meta> of www/index.html here -->";
  if (!page.includes(marker)) throw new Error("page.html lost its CSP marker");
  const generated = { "/page.html": ["html", page.replace(marker, pieces.head)], "/www-page.js": ["js", pieces.module] };
  const files = {
    "/naive.html": ["html", join(here, "naive.html")],
    "/page.js": ["js", join(here, "page.js")],
    "/naive.js": ["js", join(here, "naive.js")],
    "/shared.js": ["js", join(here, "shared.js")],
    "/style.css": ["css", join(root, "www/style.css")],
  };
  // The package whole: its glue imports wasm-bindgen's snippets/ (the
  // transliterator's loader), which can fetch a second .wasm.
  const packaged = (path) => {
    const type = { ".js": "js", ".wasm": "wasm" }[extname(path)];
    const file = resolve(pkgDir, path.slice("/pkg/".length));
    return type && path.startsWith("/pkg/") && file.startsWith(pkgDir + sep) && existsSync(file) ? [type, file] : null;
  };
  const server = createServer((request, response) => {
    const path = new URL(request.url, "http://127.0.0.1").pathname;
    const send = (type, body) => {
      response.writeHead(200, { "content-type": type, "cache-control": "no-store" });
      response.end(body);
    };
    try {
      if (generated[path]) return send(TYPES[generated[path][0]], generated[path][1]);
      const file = files[path] ?? packaged(path);
      if (file) return send(TYPES[file[0]], readFileSync(file[1]));
    } catch (error) {
      response.writeHead(500).end(String(error));
      return;
    }
    if (/\.(png|jpe?g|gif|webp|avif|bmp|ico|svg)$/i.test(path)) return send("image/png", PIXEL);
    response.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// ------------------------------------------------------------------ checks
const CHECKS = {
  page: { title: "the page's way", path: "/page.html", frameUrl: "about:srcdoc", steps: ["images"] },
  naive: { title: "naively", path: "/naive.html", frameUrl: "about:blank", steps: ["metadata", "interact"] },
};

const isExternal = (url) => {
  try {
    const u = new URL(url);
    return /^(https?|wss?):$/.test(u.protocol) && u.hostname !== "127.0.0.1";
  } catch {
    return false;
  }
};
/** `url` as the browser requests it from a test page: absolute, no fragment. */
const withoutHash = (url, base) => {
  try {
    const u = new URL(url, base);
    u.hash = "";
    return u.href;
  } catch {
    return url;
  }
};

// What the sandbox refuses says what the output tried (CSP violations are
// counted from the page's own `securitypolicyviolation` events instead).
const BLOCKED = /Blocked script execution|Refused to execute the redirect|Ignored call to '|Blocked form submission|Blocked opening|Unsafe attempt to initiate navigation|not allowed to navigate/i;

/** The article a frame belongs to: the nearest frame named `case:N`. */
function keyOf(frame) {
  for (let f = frame; f; f = f.parentFrame()) {
    if (f.name().startsWith("case:")) return f.name();
  }
  return null;
}

/** The images an item may load in a step: only those it declares, and only
 * when nothing blocks them (or the harness itself set them as `img.src`). */
function allowedImages(check, phase, declared, base) {
  if (!declared) return new Set();
  const body = declared.blocked ? [] : declared.images;
  // The naive host also uses every string of meta.extra as an image.
  const all = [...declared.images, declared.cover, declared.thumbnail, declared.permalink, ...declared.extra].filter(Boolean);
  const urls = {
    page: { show: body, images: [...declared.images, declared.cover, declared.thumbnail].filter(Boolean) },
    naive: { show: body, metadata: all, interact: all },
  }[check][phase] ?? [];
  return new Set(urls.map((url) => withoutHash(url, base)));
}

// Running items again one by one costs a fresh page each: with more
// findings than this, the rest are reported by batch (the run fails anyway).
const RERUN_BUDGET = 450;

class Runner {
  constructor(browser, name, origin) {
    // `browser()` gives the running browser, launching another if it died.
    Object.assign(this, { browser, name, check: CHECKS[name], url: origin + CHECKS[name].path });
    this.events = [];
    this.page = null;
    this.reruns = 0;
  }

  /** Keeps an event for the batch; a flood of them (a case with 100,000
   * handlers that all run) is counted past the first few thousand. */
  push(event) {
    if (this.events.length < 3000) this.events.push(event);
    else if (this.events.length === 3000) this.events.push({ kind: event.kind, key: null, detail: "and more events, not kept" });
  }

  async open() {
    await this.context?.close().catch(() => {});
    this.context = await (await this.browser()).newContext();
    await this.context.route((url) => isExternal(url.href), (route) => route.abort("blockedbyclient"));
    this.context.on("request", (request) => {
      if (!isExternal(request.url())) return;
      let frame = null;
      try {
        frame = request.frame();
      } catch {
        // a request of no frame (a worker's): unattributed
      }
      this.push({
        kind: "request",
        key: frame ? keyOf(frame) : null,
        url: request.url(),
        type: request.resourceType(),
        navigation: request.isNavigationRequest(),
        phase: this.phase,
      });
    });
    const page = await this.context.newPage();
    await page.exposeBinding("__attackReport", (source, call) =>
      this.push({ kind: "sentinel", key: keyOf(source.frame), detail: `${call.name}(${call.args}) in ${call.url}` }),
    );
    await page.addInitScript({ path: join(here, "sentinels.js") });
    page.on("dialog", (dialog) => {
      this.push({ kind: "dialog", key: null, detail: `${dialog.type()} "${dialog.message().slice(0, 100)}"` });
      dialog.dismiss().catch(() => {});
    });
    page.on("popup", (popup) => {
      this.push({ kind: "navigation", key: null, detail: `a window opened at ${popup.url()}` });
      popup.close().catch(() => {});
    });
    page.on("console", (message) => {
      if (BLOCKED.test(message.text())) this.push({ kind: "blocked", key: null, detail: message.text().slice(0, 160) });
    });
    page.on("pageerror", (error) => this.push({ kind: "script error", key: null, detail: String(error.message).slice(0, 160) }));
    page.on("websocket", (socket) => {
      if (isExternal(socket.url())) this.push({ kind: "request", key: null, detail: `a WebSocket to ${socket.url()}` });
    });
    page.on("framenavigated", (frame) => this.navigated(frame));
    this.navigating = true;
    await page.goto(this.url);
    await page.waitForFunction(() => globalThis.harness);
    this.navigating = false;
    this.page = page;
    this.tainted = false;
    this.events = [];
  }

  navigated(frame) {
    const url = frame.url();
    const parent = frame.parentFrame();
    if (!parent) {
      if (!this.navigating) {
        this.push({ kind: "navigation", key: null, detail: `the test page navigated to ${url.slice(0, 120)}` });
        this.tainted = true;
      }
      return;
    }
    if (!parent.parentFrame() && frame.name().startsWith("case:")) {
      if (url !== "about:blank" && url !== this.check.frameUrl) {
        this.push({ kind: "navigation", key: frame.name(), detail: `the article's frame navigated to ${url.slice(0, 120)}` });
      }
      return;
    }
    this.push({ kind: "navigation", key: keyOf(frame), detail: `a frame inside the article loaded ${url.slice(0, 120)}` });
  }

  /**
   * The page waits for its images; frames inside an article (opaque ones
   * included) are only known here: wait for them to load, and a little
   * longer for what their load runs.
   */
  async settleFrames() {
    const main = this.page.mainFrame();
    const nested = this.page.frames().filter((frame) => frame.parentFrame() && frame.parentFrame() !== main);
    if (!nested.length) return;
    await Promise.all(nested.map((frame) => frame.waitForLoadState("load", { timeout: 3000 }).catch(() => {})));
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  /** Settles a promise from the page, or gives up on the page. */
  async timed(promise, seconds) {
    let timer;
    const limit = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${seconds} s`)), seconds * 1000);
    });
    try {
      return await Promise.race([promise, limit]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Shows `items` in one page load and returns the findings, each with its
   * item. An event no frame can attribute (a dialog, a console message, the
   * page navigating) makes every item of the batch run again alone.
   */
  async run(items) {
    const late = this.events.splice(0);
    const list = items.map((item, i) => ({ key: `case:${i}`, source: item.source, options: item.options, rendered: item.rendered }));
    const seconds = 30 + Math.ceil(items.reduce((n, item) => n + (item.source?.length ?? 0), 0) / 50_000);
    let infos = [];
    let followed = 0;
    try {
      if (!this.page || this.tainted) await this.open();
      this.phase = "show";
      infos = await this.timed(this.page.evaluate((l) => globalThis.harness.show(l), list), seconds);
      await this.settleFrames();
      for (const step of this.check.steps) {
        this.phase = step;
        await this.timed(this.page.evaluate((s) => globalThis.harness.step(s), step), seconds);
        await this.settleFrames();
      }
      this.phase = "done";
      const taken = await this.timed(this.page.evaluate(() => globalThis.harness.take()), seconds);
      await this.timed(this.page.evaluate(() => globalThis.harness.clear()), seconds);
      for (const event of taken.events) this.push(event);
      followed = taken.followed;
    } catch (error) {
      this.push({ kind: "harness", key: null, detail: `the check did not finish: ${String(error.message).split("\n")[0]}` });
      this.tainted = true;
      await this.context?.close().catch(() => {});
    }
    const events = [...late.map((e) => ({ ...e, key: null, detail: `after the previous batch: ${e.detail ?? e.url}` })), ...this.events.splice(0)];

    const declaredOf = new Map(infos.map((info) => [info.key, info.declared]));
    const findings = [];
    let expected = 0;
    for (const info of infos) if (info.error) findings.push({ key: info.key, kind: "render", detail: info.error });
    for (const event of events) {
      if (event.kind !== "request" || !event.url) {
        findings.push(event);
        continue;
      }
      if (event.navigation) {
        findings.push({ key: event.key, kind: "navigation", detail: `requested a page from ${event.url.slice(0, 120)}` });
        continue;
      }
      const keys = event.key ? [event.key] : [...declaredOf.keys()];
      const allowed = keys.some((key) => allowedImages(this.name, event.phase, declaredOf.get(key), this.url).has(withoutHash(event.url)));
      if (event.type === "image" && allowed) {
        expected += 1;
        continue;
      }
      findings.push({ key: event.key, kind: "request", detail: `${event.type} from ${event.url.slice(0, 120)} (step ${event.phase})` });
    }
    if (findings.length) this.tainted = true; // the next batch starts on a fresh page

    const item = (key) => items[Number(key?.slice("case:".length))];
    const loose = findings.filter((f) => !item(f.key));
    if (loose.length && items.length > 1 && this.reruns + items.length <= RERUN_BUDGET) {
      this.reruns += items.length;
      const alone = { findings: [], expected: 0, followed: 0 };
      for (const one of items) {
        const result = await this.run([one]);
        alone.findings.push(...result.findings);
        alone.expected += result.expected;
        alone.followed += result.followed;
      }
      if (!alone.findings.length) {
        const ids = items.map((i) => `${i.case.id} [${i.variant}]`).join(", ");
        for (const f of loose) alone.findings.push({ item: null, kind: f.kind, detail: `${f.detail}, in a batch of ${ids}, not found when each ran alone` });
      }
      return alone;
    }
    const ids = items.length > 1 ? `, in a batch of ${items.map((i) => `${i.case.id} [${i.variant}]`).join(", ")} (not run again alone: too many findings)` : "";
    return {
      findings: findings.map((f) => (item(f.key) ? { item: item(f.key), kind: f.kind, detail: f.detail ?? "" } : { item: items.length > 1 ? null : items[0], kind: f.kind, detail: `${f.detail ?? ""}${ids}` })),
      expected,
      followed,
    };
  }
}

// --------------------------------------------------------------- self-test
/** A result shaped like render()'s, holding what the library never outputs. */
function fake(html, { meta = {}, images = [], json = false } = {}) {
  const result = {
    meta: { title: "self-test", author: null, date: null, updated: null, categories: [], tags: [], description: null, cover: null, thumbnail: null, draft: null, comments: null, lang: null, slug: null, permalink: null, extra: {}, ...meta },
    generator: "none",
    frontMatter: { format: "none", raw: null },
    bodyFormat: "html",
    html,
    excerpt: "",
    toc: [],
    stats: { characters: 0, cjkCharacters: 0, words: 0, readingMinutes: 1, images: images.length, links: 0 },
    images,
    diagnostics: [],
  };
  return json ? JSON.stringify(result) : result;
}

// Each unsafe result must be reported with at least the kinds named; the
// clean ones (remote images the result declares, a link) with nothing.
const SELF_TEST = [
  ["an event handler", fake('<p>x</p><img src="x" onerror="alert(1)">'), { naive: ["sentinel"], page: ["blocked|csp"] }],
  ["a prompt, which opens a real dialog", fake('<img src="x" onerror="prompt(5)">'), { naive: ["sentinel", "dialog"] }, {}, "alone"],
  ["a javascript: link", fake('<a href="javascript:alert(2)">click</a>'), { naive: ["sentinel", "link"] }],
  ["a script element", fake("<p>x</p><script>x(6)</script>"), { naive: ["sentinel"] }],
  ["an image from another host the result does not declare", fake('<img src="http://evil.example/x.png" alt="">'), { naive: ["request"], page: ["request"] }],
  ["a CSS background from another host", fake('<p style="background:url(http://evil.example/bg.png)">x</p>'), { naive: ["request"] }],
  ["a stylesheet", fake('<p>x</p><link rel="stylesheet" href="http://evil.example/x.css">'), { naive: ["request"], page: ["csp"] }],
  ["a meta refresh", fake('<p>x</p><meta http-equiv="refresh" content="0;url=http://evil.example/">'), { naive: ["navigation"], page: ["blocked|navigation"] }],
  // The sentinels may reach the frame's script first, or not.
  [
    "a sandboxed frame with its own script",
    fake('<iframe sandbox="allow-scripts allow-modals" srcdoc="<script>alert(3)</script>"></iframe>'),
    { naive: ["dialog|sentinel", "navigation"], page: ["navigation"] },
    {},
    "alone",
  ],
  ["a javascript: cover", fake("<p>x</p>", { meta: { cover: "javascript:alert(4)" } }), { naive: ["sentinel"] }],
  ["a javascript: link in meta.extra", fake("<p>x</p>", { meta: { extra: { link: "javascript:alert(7)" } } }), { naive: ["sentinel", "link"] }],
  [
    "a character-referenced javascript: deep in meta.extra",
    fake("<p>x</p>", { meta: { extra: { banner: { images: [{ src: "&#106;avascript:alert(8)" }] } } } }),
    { naive: ["sentinel", "link"] },
  ],
  ["an SVG data: URL in meta.extra", fake("<p>x</p>", { meta: { extra: { og_image: "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='alert(9)'/>" } } }), { naive: ["link"] }],
  ["a __proto__ key in meta.extra", fake("<p>x</p>", { meta: { extra: JSON.parse('{"__proto__": {"polluted": true}}') }, json: true }), { naive: ["pollution"] }],
  ["a constructor.prototype key in meta.extra", fake("<p>x</p>", { meta: { extra: { theme: { constructor: { prototype: { isAdmin: true } } } } } }), { naive: ["pollution"] }],
  [
    "a declared image loading while images are blocked",
    fake('<img src="https://ok.example/b.png" alt="b">', { images: [{ src: "https://ok.example/b.png", alt: "b" }] }),
    { naive: ["request"], page: ["request"] },
    { images: "block" },
  ],
  [
    "clean output: a link, a declared remote image and cover",
    fake('<p><a href="https://ok.example/" rel="noopener noreferrer">a link</a> <img src="https://ok.example/a.png" alt="" loading="lazy"></p>', {
      meta: { cover: "https://ok.example/c.png" },
      images: [{ src: "https://ok.example/a.png", alt: "" }],
    }),
    "clean",
  ],
  [
    "clean meta.extra: text with colons, links, a remote and a raster data image",
    fake("<p>x</p>", {
      meta: {
        extra: {
          subtitle: "Chapter 1: Intro",
          note: "note:",
          time: "10:30",
          path: "C:\\notes.txt",
          source_url: "https://ok.example/story",
          og_image: "https://ok.example/og.png",
          pixel: "data:image/png;base64,iVBORw0KGgo=",
          nested: { list: ["mailto:a@ok.example", { src: "/img/a.png" }] },
        },
      },
    }),
    "clean",
  ],
  [
    "clean output with images blocked",
    fake('<p><img data-src="https://ok.example/b.png" alt="b" loading="lazy"></p>', { images: [{ src: "https://ok.example/b.png", alt: "b" }] }),
    "clean",
    { images: "block" },
  ],
];

// Items marked "alone" open dialogs: they run one per page (see sentinels.js);
// the others run as one batch, which their unattributed events (console
// messages) make run again item by item, as a corpus batch would.
async function selfTest(runners) {
  const items = SELF_TEST.map(([name, rendered, expect, options = {}, alone]) => ({ case: { category: "self-test", id: name }, variant: "self-test", rendered, options, expect, alone }));
  const batches = [items.filter((item) => !item.alone), ...items.filter((item) => item.alone).map((item) => [item])];
  const results = await Promise.all(
    Object.values(runners).map(async (runner) => {
      const findings = [];
      for (const batch of batches) findings.push(...(await runner.run(batch)).findings);
      return { findings };
    }),
  );
  let failed = 0;
  for (const [i, check] of Object.keys(runners).entries()) {
    const { findings } = results[i];
    for (const item of items) {
      const mine = findings.filter((f) => f.item === item);
      const kinds = new Set(mine.map((f) => f.kind));
      const clean = item.expect === "clean";
      const wanted = clean ? [] : (item.expect[check] ?? []);
      const ok = clean ? mine.length === 0 : wanted.every((k) => k.split("|").some((alternative) => kinds.has(alternative)));
      if (!ok) failed += 1;
      const said = mine.length ? mine.map((f) => `${f.kind}: ${f.detail}`).join("; ") : "nothing";
      const expectation = clean ? "nothing" : wanted.length ? wanted.join(" + ") : "(none required)";
      console.log(`${ok ? "PASS" : "FAIL"}  self-test ${check}: ${item.case.id}: expected ${expectation}; reported ${said.slice(0, 400)}`);
    }
    for (const f of findings.filter((f) => !items.includes(f.item))) {
      failed += 1;
      console.log(`FAIL  self-test ${check}: unattributed ${f.kind}: ${f.detail}`);
    }
  }
  return failed;
}

// -------------------------------------------------------------------- main
// timeout(1) stops the run; Playwright would only close the browser.
process.on("SIGTERM", () => process.exit(143));
selfCheck();
const cases = process.argv.includes("--self-test") ? [] : load(join(root, "tests/attacks"));
const pieces = wwwPieces();
const server = await startServer(pieces);
const origin = `http://127.0.0.1:${server.address().port}`;

// Debian's chromium, not a Playwright download; flags keep it from calling
// home, and no host name but 127.0.0.1 resolves. Launched again if it dies
// (the batch it died in counts a finding and runs again item by item).
let launched = null;
let closing = false;
let crashes = 0;
function browser() {
  launched ??= chromium
    .launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
      ],
    })
    .then((b) => {
      b.on("disconnected", () => {
        if (closing) return;
        crashes += 1;
        launched = null;
      });
      return b;
    });
  return launched;
}
const runners = { page: new Runner(browser, "page", origin), naive: new Runner(browser, "naive", origin) };

console.log(`== ${(await browser()).version()} on ${origin}; the page's frame: ${pieces.attributes.map(([n, v]) => `${n}="${v}"`).join(" ")}`);
console.log("== self-test: deliberately unsanitized results must be reported");
const selfFailures = await selfTest(runners);

// Batches of whole cases (every variant of a case together), bounded by size.
const batches = [];
let batch = [];
let size = 0;
for (const c of cases) {
  if (batch.length && (batch.length + variants.length > 150 || size + c.source.length * variants.length > 2_000_000)) {
    batches.push(batch);
    batch = [];
    size = 0;
  }
  for (const [variant, options] of variants) batch.push({ case: c, variant, source: c.source, options });
  size += c.source.length * variants.length;
}
if (batch.length) batches.push(batch);

console.log(`== attack corpus: ${cases.length} cases x ${variants.length} option variants (${variants.map(([v]) => v).join(", ")}), ${batches.length} batches`);
const results = await Promise.all(
  Object.values(runners).map(async (runner) => {
    const all = { findings: [], expected: 0, followed: 0, runs: {} };
    for (const items of batches) {
      const result = await runner.run(items);
      all.findings.push(...result.findings);
      all.expected += result.expected;
      all.followed += result.followed;
      for (const item of items) all.runs[item.case.category] = (all.runs[item.case.category] ?? 0) + 1;
    }
    return all;
  }),
);
closing = true;
await (await browser()).close();
server.close();

// Runs are case x variant, per check; findings of a batch no case could be
// blamed for count in the total only.
const pad = (text, n) => String(text).padStart(n);
const row = (name, count, cells) => console.log(`${name.padEnd(20)} ${pad(count, 5)} ${cells.map(([runs, found]) => `${pad(runs, 6)} ${pad(found, 8)}`).join(" ")}`);
const sum = (values) => values.reduce((a, b) => a + b, 0);
console.log(`${"".padEnd(26)} ${"page's way".padEnd(15)} naively`);
console.log(`${"category".padEnd(20)} ${pad("cases", 5)} ${pad("runs", 6)} ${pad("findings", 8)} ${pad("runs", 6)} ${pad("findings", 8)}`);
const categories = [...new Set(cases.map((c) => c.category))];
for (const category of categories) {
  row(category, cases.filter((c) => c.category === category).length, results.map((r) => [r.runs[category] ?? 0, r.findings.filter((f) => f.item?.case.category === category).length]));
}
row("total", cases.length, results.map((r) => [sum(Object.values(r.runs)), r.findings.length]));
const findings = results.flatMap((r, i) => r.findings.map((f) => ({ ...f, check: Object.keys(runners)[i] })));
console.log(
  `not findings: ${sum(results.map((r) => r.expected))} requests for remote images the results declare while images may load; ` +
    `${sum(results.map((r) => r.followed))} clicks on http(s)/mailto/data:image links stopped`,
);
for (const f of findings) {
  const where = f.item ? `${f.item.case.category}/${f.item.case.id} [${f.item.variant}]` : "(batch)";
  console.log(`FINDING ${CHECKS[f.check].title}: ${where}: ${f.kind}: ${f.detail}`);
}
if (crashes) console.log(`the browser crashed ${crashes} time(s) and was launched again`);
console.log(`== took ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`self-test: ${selfFailures ? `${selfFailures} failed` : "passed"}; findings: ${findings.length}`);
process.exit(selfFailures || findings.length ? 1 : 0);
