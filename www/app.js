// article-render's page: one module, no framework, no build step.
//
// Where the article's content goes, and why it is safe:
// - metadata (title, author, dates, chips, table of contents) is written with
//   textContent and setAttribute, never parsed as HTML;
// - the sanitized body is the only HTML inserted, and only into the
//   script-less frame (see showBody);
// - the page's CSP requires Trusted Types, and the one policy below passes
//   nothing but the frame's constant skeleton and strings that came out of
//   the library's render() in the worker.
// Rendering and decoding run in worker.js, so typing never waits for them.

import { highlightCode, typesetMath } from "./enhance.js";

const $ = (selector) => document.querySelector(selector);

// ------------------------------------------------------------ Trusted Types
const FRAME_SKELETON =
  '<!doctype html><html class="frame"><head><meta charset="utf-8">' +
  // The frame also inherits the page's policy; this one says it on its own.
  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data: https: http:; base-uri 'none'; form-action 'none'\">" +
  '<meta name="referrer" content="no-referrer"><meta name="color-scheme" content="light dark">' +
  '<link rel="stylesheet" href="article.css"><link rel="stylesheet" href="frame.css"></head><body class="article"></body></html>';
const WORKER_URL = "worker.js";

// Strings the worker returned from render(): the only HTML the policy passes.
const sanitizedOutput = new Set();
const trusted = (() => {
  const rules = {
    createHTML(html) {
      if (html === FRAME_SKELETON) return html;
      if (sanitizedOutput.has(html)) return html;
      throw new TypeError("article-render policy: not the library's sanitized output");
    },
    createScriptURL(url) {
      if (url === WORKER_URL) return url;
      throw new TypeError(`article-render policy: not the page's worker: ${url}`);
    },
  };
  return globalThis.trustedTypes?.createPolicy("article-render", rules) ?? rules;
})();

// ------------------------------------------------------------------- worker
// Wasm memory only grows: a worker that rendered a big document keeps that
// much for as long as it lives. So after a result of a source over a
// million characters (RECYCLE_BYTES), the page ends that worker and starts a fresh one (in the
// background, ready before the next render is due); body[data-workers]
// counts the workers started.
const RECYCLE_BYTES = 1024 * 1024;
let worker = null;
let workerReady = null;
let workerVersion = null;
let workersStarted = 0;
const pending = new Map();
let nextId = 1;

function startWorker() {
  const started = new Worker(trusted.createScriptURL(WORKER_URL), { type: "module", name: "article-render" });
  worker = started;
  document.body.dataset.workers = String(++workersStarted);
  workerReady = new Promise((resolve, reject) => {
    started.addEventListener("message", ({ data }) => {
      if (data.id === 0) {
        if (data.type === "ready") {
          workerVersion = data.version;
          resolve();
        } else {
          reject(new Error(data.message));
        }
        return;
      }
      pending.get(data.id)?.(data);
      pending.delete(data.id);
    });
    started.addEventListener("error", (event) => reject(new Error(event.message || "the render worker failed to start")));
  });
  workerReady.catch(() => {}); // reported where it is awaited
  return workerReady;
}
startWorker();

async function callWorker(message, transfer = []) {
  await workerReady;
  const id = nextId++;
  const reply = await new Promise((resolve) => {
    pending.set(id, resolve);
    worker.postMessage({ id, ...message }, transfer);
  });
  if (message.type === "render" && message.source.length > RECYCLE_BYTES && pending.size === 0) {
    worker.terminate();
    startWorker();
  }
  return reply;
}

// -------------------------------------------------------------------- state
const ui = {
  source: $("#source"),
  files: $("#file-list"),
  fileInput: $("#file-input"),
  sample: $("#sample"),
  format: $("#opt-format"),
  images: $("#opt-images"),
  baseUrl: $("#opt-baseUrl"),
  status: $("#status"),
  reader: $("#reader"),
  cover: $("#cover"),
  title: $("#title"),
  lead: $("#lead"),
  byline: $("#byline"),
  categories: $("#categories"),
  tags: $("#tags"),
  toc: $("#toc"),
  tocList: $("#toc-list"),
  frame: $("#body-frame"),
  imagesNotice: $("#images-notice"),
  imagesNoticeText: $("#images-notice-text"),
  loadImages: $("#load-images"),
  htmlCode: $("#html-code code"),
  htmlNote: $("#html-note"),
  metaCode: $("#meta-code code"),
  diagnosticsList: $("#diagnostics-list"),
  diagnosticsEmpty: $("#diagnostics-empty"),
  diagnosticsCount: $("#diagnostics-count"),
  workspace: $("#workspace"),
  toast: $("#toast"),
};

/** @type {Doc[]} every loaded file, sample or pasted text */
const docs = [];
let current = null;
let docSerial = 0;

function newDoc({ name, text, encoding = "UTF-8", guessed = false, bytes = null, kind = "file" }) {
  return {
    id: ++docSerial,
    name,
    text,
    encoding,
    guessed,
    bytes: bytes ?? new Blob([text]).size,
    kind,
    version: 0,
    rendered: null, // the last Rendered for (renderedVersion, renderedKey)
    chunks: null,
    renderedVersion: -1,
    renderedKey: "",
    ms: 0,
    loadAllImages: false,
    allowedImages: new Set(),
    scroll: 0,
  };
}

// ------------------------------------------------------------------ options
/** The render options from the controls; their names are the option keys. */
function currentOptions(doc) {
  const options = { format: ui.format.value, images: ui.images.value };
  const base = ui.baseUrl.value.trim();
  if (base) options.baseUrl = base;
  if (doc?.kind === "file") options.fileName = doc.name;
  return options;
}

// ---------------------------------------------------------------- rendering
let renderTimer = 0;
let inflight = false;
let again = false;

let pendingSince = 0;

/** Debounced: longer for big sources, so typing in 5 MB stays fluid, but
 * never more than two seconds behind the typing. */
function scheduleRender(delay = Math.min(900, 90 + (current?.text.length ?? 0) / 8000)) {
  const now = performance.now();
  pendingSince ||= now;
  clearTimeout(renderTimer);
  renderTimer = setTimeout(pump, Math.min(delay, Math.max(0, pendingSince + 2000 - now)));
}

async function pump() {
  pendingSince = 0;
  if (inflight) {
    again = true;
    return;
  }
  const doc = current;
  if (!doc) return;
  const options = currentOptions(doc);
  const key = JSON.stringify(options);
  if (doc.rendered && doc.renderedVersion === doc.version && doc.renderedKey === key) {
    display(doc);
    return;
  }
  inflight = true;
  const version = doc.version;
  setBusy(true);
  let reply;
  try {
    await workerReady;
    reply = await callWorker({ type: "render", source: doc.text, options });
  } catch (error) {
    reply = { type: "error", name: "Error", message: error.message };
  }
  inflight = false;
  if (reply.type === "rendered") {
    withHtml(reply);
    Object.assign(doc, { rendered: reply.rendered, chunks: reply.chunks, renderedVersion: version, renderedKey: key, ms: reply.ms });
    setOptionError(null);
    if (doc === current) display(doc);
  } else {
    // Only invalid options throw (a TypeError): say which, keep the last article.
    setOptionError(reply);
  }
  setBusy(false);
  if (again || doc !== current || doc.version !== version || JSON.stringify(currentOptions(doc)) !== key) {
    again = false;
    pump();
  }
}

/** The worker sends the body once, in slices; `html` joins them when asked. */
function withHtml(reply) {
  let html = null;
  Object.defineProperty(reply.rendered, "html", {
    get: () => (html ??= reply.chunks.join("")),
    enumerable: true,
  });
  return reply.rendered;
}

/** An option the library refused, said once, next to the option, in plain words. */
function setOptionError(reply) {
  const bad = reply && /baseUrl/i.test(reply.message);
  ui.baseUrl.setAttribute("aria-invalid", String(Boolean(bad)));
  const help = $("#opt-baseUrl-help");
  help.className = bad ? "field-error" : "field-help";
  help.textContent = bad
    ? "baseUrl must be a full address such as https://example.com/posts/ (or empty). The article below is the last one that rendered."
    : "Relative links and images resolve against it";
  if (reply && !bad) status([["error", `The options were refused: ${reply.message}`]]);
  else if (bad) status([["error", "Not rendered: see baseUrl"]]);
}

let filling = false;
/** body[data-state]: "rendering" in the worker, "filling" the frame, or "idle". */
function updateState() {
  const state = inflight ? "rendering" : filling ? "filling" : "idle";
  document.body.dataset.state = state;
  ui.reader.setAttribute("aria-busy", String(state !== "idle"));
}
function setBusy(value) {
  if (value) status(statusParts(current, true));
  updateState();
}

// ------------------------------------------------------------------ display
let shownDoc = null;
let shownRendered = null;

function display(doc) {
  const rendered = doc.rendered;
  const sameDoc = shownDoc === doc;
  if (!sameDoc && shownDoc) shownDoc.scroll = scrollerOf().scrollTop;
  shownDoc = doc;
  shownRendered = rendered;
  document.body.dataset.rendered = String(doc.id);
  const lang = guessLang(rendered);
  ui.reader.lang = lang;
  showHeader(doc, rendered);
  showToc(rendered.toc);
  showDiagnostics(rendered.diagnostics);
  showBody(doc, lang, !sameDoc);
  refreshCodeViews();
  status(statusParts(doc, false));
  renderFileList();
}

/** The article's language: its `lang`, or a guess from its letters (for fonts). */
function guessLang(rendered) {
  const given = rendered.meta.lang;
  if (given && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(given)) return given;
  const text = `${rendered.meta.title ?? ""} ${rendered.excerpt}`;
  if (/[\u3040-\u30ff]/.test(text)) return "ja";
  if (/[\uac00-\ud7a3]/.test(text)) return "ko";
  if (/[\u4e00-\u9fff]/.test(text)) return "zh";
  return "en";
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

function showHeader(doc, rendered) {
  const { meta, stats } = rendered;
  ui.title.textContent = meta.title ?? doc.name;
  ui.title.classList.toggle("untitled", !meta.title);
  document.title = `${meta.title ?? doc.name} — article-render`;

  ui.lead.hidden = !meta.description;
  ui.lead.textContent = meta.description ?? "";

  const chips = (list, items) => list.replaceChildren(...items.map((item) => element("li", null, item)));
  chips(ui.categories, meta.categories);
  chips(ui.tags, meta.tags);

  const byline = [];
  if (meta.author) byline.push(element("span", "author", meta.author));
  if (meta.date) byline.push(timeElement(meta.date, originalValue(rendered, "date")));
  if (meta.updated && meta.updated !== meta.date) {
    const updated = element("span", "updated", "Updated ");
    updated.append(timeElement(meta.updated, originalValue(rendered, "updated")));
    byline.push(updated);
  }
  byline.push(element("span", "reading", `${stats.readingMinutes} min read`));
  if (meta.draft) byline.push(element("span", "draft", "Draft"));
  ui.byline.replaceChildren(...byline);

  showCover(doc, meta.cover ?? meta.thumbnail);
}

/** The value as the front matter wrote it, for the date's tooltip. */
function originalValue(rendered, key) {
  const raw = rendered.frontMatter.raw ?? "";
  const pattern = {
    yaml: new RegExp(`^${key}\\s*:\\s*(.+?)\\s*$`, "m"),
    toml: new RegExp(`^${key}\\s*=\\s*(.+?)\\s*$`, "m"),
    json: new RegExp(`"${key}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*"|[^,}\\s]+)`),
  }[rendered.frontMatter.format];
  const found = pattern?.exec(raw)?.[1];
  return found ? found.replace(/^(["'])(.*)\1$/, "$2") : null;
}

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "long", timeZone: "UTC" });
const wallClock = new Intl.DateTimeFormat(undefined, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

/** An instant at the offset its author wrote, e.g. "… 8:30 AM GMT+9". */
function formatInstant(date, offset) {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  const minutes = m ? (m[1] === "-" ? -1 : 1) * (+m[2] * 60 + +m[3]) : 0;
  const label = minutes === 0 ? "UTC" : `GMT${m[1]}${+m[2]}${m[3] === "00" ? "" : `:${m[3]}`}`;
  return `${wallClock.format(date.valueOf() + minutes * 60_000)} ${label}`;
}

/** RFC 3339 from the library, localized without moving floating times. */
function formatDate(value) {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return dateOnly.format(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$/.exec(value);
  if (m) return wallClock.format(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0)));
  const date = new Date(value);
  const offset = /(Z|[+-]\d{2}:\d{2})$/i.exec(value)?.[1].toUpperCase();
  return Number.isNaN(date.valueOf()) ? value : formatInstant(date, offset ?? "Z");
}

function timeElement(value, original) {
  const time = element("time", null, formatDate(value));
  time.dateTime = value;
  time.title = original && original !== value ? `${original}  (${value})` : value;
  return time;
}

// ------------------------------------------------------------------- images
// With images: "block" nothing is requested until the reader asks, except
// data: images and the page's own samples (files of this site).
const isRelative = (url) => !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url);
function isLocal(doc, url) {
  if (/^data:/i.test(url)) return true;
  if (doc.kind !== "sample") return false;
  try {
    return new URL(url, document.baseURI).origin === location.origin;
  } catch {
    return false;
  }
}
function hostOf(url) {
  if (isRelative(url)) return "relative paths (set baseUrl)";
  try {
    return new URL(url).host || "another site";
  } catch {
    return "another site";
  }
}
function imageAllowed(doc, url) {
  return isLocal(doc, url) || doc.loadAllImages || doc.allowedImages.has(url);
}

function showCover(doc, url) {
  ui.cover.hidden = !url;
  if (!url) {
    ui.cover.replaceChildren();
    return;
  }
  const existing = ui.cover.querySelector("img");
  if (imageAllowed(doc, url)) {
    if (existing?.getAttribute("src") === url) return;
    const img = document.createElement("img");
    img.referrerPolicy = "no-referrer";
    img.decoding = "async";
    img.alt = "Cover image";
    img.src = url;
    ui.cover.replaceChildren(img);
  } else {
    const button = element("button", "cover-blocked");
    button.type = "button";
    button.append(iconBlocked(), element("span", null, `Cover image from ${hostOf(url)} is blocked — click to load it`));
    button.addEventListener("click", () => allowImage(doc, url));
    ui.cover.replaceChildren(button);
  }
}

function iconBlocked() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "icon icon-large");
  svg.setAttribute("aria-hidden", "true");
  for (const d of ["M3 7a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z", "m3 16 5-5 4 4 3-3 6 6", "M4 4l16 16"]) {
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

function allowImage(doc, url) {
  doc.allowedImages.add(url);
  applyImages(doc);
}
function allowAllImages(doc) {
  doc.loadAllImages = true;
  applyImages(doc);
}

/**
 * Moves data-src to src for the images the reader allowed. Each other one
 * waits behind a button (built with textContent: the alt text and the host)
 * that loads it; the button is keyboard reachable like any other.
 */
function applyImages(doc, root = frameDocument()?.body) {
  if (!root) return;
  const owner = root.ownerDocument;
  for (const img of root.querySelectorAll("img[data-src]:not([src])")) {
    const url = img.getAttribute("data-src");
    const placeholder = img.previousElementSibling?.matches(".blocked-image") ? img.previousElementSibling : null;
    if (imageAllowed(doc, url)) {
      placeholder?.remove();
      img.src = url;
    } else if (!placeholder) {
      const button = owner.createElement("button");
      button.type = "button";
      button.className = "blocked-image";
      const from = isRelative(url) ? `a relative path: “${url}”` : hostOf(url);
      button.title = `Load this image from ${from}`;
      const label = owner.createElement("span");
      label.className = "blocked-label";
      label.textContent = img.alt || "Image";
      const host = owner.createElement("span");
      host.className = "blocked-host";
      host.textContent = isRelative(url) ? "relative path · set baseUrl" : `${hostOf(url)} · click to load`;
      button.append(label, host);
      img.before(button);
    }
  }
  if (root === frameDocument()?.body) {
    const rendered = doc.rendered;
    if (rendered) showCover(doc, rendered.meta.cover ?? rendered.meta.thumbnail);
    updateImagesNotice(doc);
  }
}

function updateImagesNotice(doc) {
  const blocked = [...(frameDocument()?.querySelectorAll("img[data-src]:not([src])") ?? [])];
  const cover = doc.rendered?.meta.cover ?? doc.rendered?.meta.thumbnail;
  const urls = blocked.map((img) => img.getAttribute("data-src"));
  if (cover && !imageAllowed(doc, cover)) urls.push(cover);
  ui.imagesNotice.hidden = urls.length === 0;
  if (urls.length) {
    const hosts = [...new Set(urls.map(hostOf))];
    const shown = hosts.slice(0, 2).join(", ") + (hosts.length > 2 ? ` and ${hosts.length - 2} more` : "");
    ui.imagesNoticeText.textContent = `${urls.length} ${urls.length === 1 ? "image is" : "images are"} blocked, so nothing was requested from ${shown}.`;
  }
}

// -------------------------------------------------------------------- frame
// The body is shown in <iframe sandbox="allow-same-origin"> (no allow-scripts):
// - without allow-scripts nothing in the frame can run: no script, no event
//   handler, no javascript: URL; forms, popups, top navigation and plugins
//   are off by the sandbox as well;
// - allow-same-origin only lets *this page* reach into the frame: to insert
//   the sanitized body, to scroll to a heading, to load a blocked image on
//   click and to open links. With no script inside, nothing in the frame can
//   use that same origin against the page, so the combination is safe here
//   (it is only dangerous together with allow-scripts);
// - the frame's document comes from srcdoc and inherits the page's CSP, so
//   its own <style> would be blocked (style-src 'self'): it links style.css
//   instead, the same file as the page;
// - the HTML is parsed by DOMParser (inert: no scripts, no requests) and the
//   nodes are adopted into the frame, in slices, so a 5 MB article never
//   blocks the page for long.
const frameReady = new Promise((resolve) => {
  ui.frame.addEventListener("load", () => resolve(initFrame()), { once: true });
  ui.frame.srcdoc = trusted.createHTML(FRAME_SKELETON);
});
const frameDocument = () => ui.frame.contentDocument;

function initFrame() {
  const fdoc = frameDocument();
  fdoc.addEventListener("click", onFrameClick);
  // The frame is as tall as its content, so the article scrolls with the pane.
  new ResizeObserver(() => sizeFrame()).observe(fdoc.documentElement);
  return fdoc;
}

let frameMinHeight = 0;
function sizeFrame() {
  const fdoc = frameDocument();
  if (!fdoc?.documentElement) return;
  // The root element's own box: scrollHeight never drops below the frame's
  // current height, so a shorter article would keep the old one.
  const height = Math.max(Math.ceil(fdoc.documentElement.getBoundingClientRect().height), frameMinHeight);
  ui.frame.style.height = `${height}px`;
}

function onFrameClick(event) {
  const blocked = event.target.closest?.(".blocked-image");
  if (blocked) {
    event.preventDefault();
    const img = blocked.nextElementSibling;
    if (img?.matches("img[data-src]")) allowImage(shownDoc, img.getAttribute("data-src"));
    return;
  }
  const link = event.target.closest?.("a");
  if (!link) return;
  // Nothing navigates the frame: fragments scroll, other links open in a new tab.
  event.preventDefault();
  const href = link.getAttribute("href");
  if (!href) return;
  if (href.startsWith("#")) {
    scrollToId(decodeURIComponent(href.slice(1)));
    return;
  }
  const url = new URL(href, document.baseURI);
  if (["http:", "https:", "mailto:"].includes(url.protocol)) window.open(url.href, "_blank", "noopener,noreferrer");
}

let fillGeneration = 0;
let fillDone = Promise.resolve();
const parser = new DOMParser();

/** The article's sanitized HTML into the frame, a slice per task. */
function showBody(doc, lang, isNewDoc) {
  const generation = ++fillGeneration;
  const chunks = doc.chunks;
  filling = true;
  updateState();
  fillDone = frameReady.then(async (fdoc) => {
    fdoc.documentElement.lang = lang;
    const scroller = scrollerOf();
    const keep = isNewDoc ? doc.scroll : scroller.scrollTop;
    // Keep the frame's height while a long article is refilled, so the
    // pane's scroll position does not jump while the reader types.
    frameMinHeight = chunks.length > 1 && !isNewDoc ? ui.frame.offsetHeight : 0;
    // A long article skips the layout of what is off screen (style.css).
    fdoc.body.classList.toggle("long", chunks.length > 1);
    fdoc.body.replaceChildren(parseSlice(doc, fdoc, chunks[0]));
    applyImages(doc);
    sizeFrame();
    scroller.scrollTop = keep;
    for (let i = 1; i < chunks.length; ) {
      await nextTask();
      if (generation !== fillGeneration) return false;
      const deadline = performance.now() + 10;
      do fdoc.body.append(parseSlice(doc, fdoc, chunks[i++]));
      while (i < chunks.length && performance.now() < deadline);
    }
    frameMinHeight = 0;
    applyImages(doc);
    // Math and code after the text is in, so the article reads at once.
    const live = () => generation === fillGeneration;
    try {
      await typesetMath(fdoc, live);
      await highlightCode(fdoc, live);
    } catch (error) {
      toast(`Math or code could not be typeset: ${error.message}`);
    }
    if (!live()) return false;
    sizeFrame();
    if (isNewDoc) scroller.scrollTop = keep;
    filling = false;
    updateState();
    return true;
  });
  return fillDone;
}

function parseSlice(doc, fdoc, html) {
  sanitizedOutput.add(html);
  let parsed;
  try {
    parsed = parser.parseFromString(trusted.createHTML(html), "text/html");
  } finally {
    sanitizedOutput.delete(html);
  }
  const body = parsed.body;
  for (const link of body.querySelectorAll("a:not([href])")) {
    if (link.textContent.trim()) link.title = "This link's address was removed as unsafe";
  }
  applyImages(doc, body);
  const fragment = fdoc.createDocumentFragment();
  for (const node of [...body.childNodes]) fragment.append(fdoc.adoptNode(node));
  return fragment;
}

// After the next frame is drawn, so the browser lays out each slice as it
// comes (a yield that runs before rendering would leave the layout of the
// whole article to one long task at the end).
const nextTask = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

// ---------------------------------------------------------------------- toc
function showToc(toc) {
  ui.toc.hidden = toc.length === 0;
  const items = toc.slice(0, 500).map((entry) => {
    const li = element("li", `level-${entry.level}`);
    const a = element("a", null, entry.text);
    a.href = `#${entry.id}`;
    a.dataset.target = entry.id;
    li.append(a);
    return li;
  });
  ui.tocList.replaceChildren(...items);
}

ui.tocList.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-target]");
  if (!link) return;
  event.preventDefault();
  scrollToId(link.dataset.target);
});

/** The pane that scrolls the article: the preview panel, or the window on phones. */
function scrollerOf() {
  const panel = $("#panel-preview");
  return getComputedStyle(panel).overflowY === "auto" ? panel : document.scrollingElement;
}

async function scrollToId(id) {
  await fillDone;
  const fdoc = frameDocument();
  const target = fdoc.getElementById(id) ?? fdoc.getElementsByName(id)[0];
  if (!target) return;
  const scroller = scrollerOf();
  const page = scroller === document.scrollingElement;
  const distance = () => {
    const top = page ? $(".output-bar").offsetHeight : scroller.getBoundingClientRect().top;
    return ui.frame.getBoundingClientRect().top + target.getBoundingClientRect().top - top - 12;
  };
  // In a long article the parts off screen have estimated heights that
  // settle as they come into view: jump, then correct until it holds.
  const long = fdoc.body.classList.contains("long");
  const smooth = !long && !matchMedia("(prefers-reduced-motion: reduce)").matches;
  scroller.scrollBy({ top: distance(), behavior: smooth ? "smooth" : "auto" });
  for (let i = 0; long && i < 5; i++) {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const d = distance();
    if (Math.abs(d) < 2) break;
    scroller.scrollBy({ top: d });
  }
  target.tabIndex = -1;
  target.focus({ preventScroll: true });
}

// -------------------------------------------------------------- code views
const HTML_VIEW_LIMIT = 200 * 1024;

function refreshCodeViews() {
  const rendered = shownRendered;
  if (!rendered) return;
  const tab = document.querySelector('[role="tab"][aria-selected="true"]').id;
  if (tab === "tab-html" && ui.htmlCode.dataset.for !== keyOf(rendered)) {
    const html = rendered.html;
    const long = html.length > HTML_VIEW_LIMIT;
    ui.htmlNote.hidden = !long;
    ui.htmlNote.textContent = long
      ? `Showing the first ${formatBytes(HTML_VIEW_LIMIT)} of ${formatBytes(html.length)}. Copy HTML or download to get all of it.`
      : "";
    ui.htmlCode.replaceChildren(highlightHtml(long ? html.slice(0, HTML_VIEW_LIMIT) : html));
    ui.htmlCode.dataset.for = keyOf(rendered);
  }
  if (tab === "tab-meta" && ui.metaCode.dataset.for !== keyOf(rendered)) {
    ui.metaCode.replaceChildren(highlightJson(JSON.stringify(metadataOf(rendered), null, 2)));
    ui.metaCode.dataset.for = keyOf(rendered);
  }
}
const renderedKeys = new WeakMap();
let renderedSerial = 0;
function keyOf(rendered) {
  if (!renderedKeys.has(rendered)) renderedKeys.set(rendered, String(++renderedSerial));
  return renderedKeys.get(rendered);
}

/** Everything but the body and the diagnostics, which have their own views. */
function metadataOf(rendered) {
  const { meta, generator, frontMatter, bodyFormat, excerpt, toc, stats, images } = rendered;
  return { meta, generator, frontMatter, bodyFormat, excerpt, toc, stats, images };
}

/** Sanitized HTML as colored text: spans built with textContent. */
function highlightHtml(html) {
  const out = document.createDocumentFragment();
  const span = (className, text) => out.append(element("span", className, text));
  let at = 0;
  const tag = /<\/?[A-Za-z][^\s/>]*|<!--[\s\S]*?-->|&[#A-Za-z0-9]+;/g;
  for (let m; (m = tag.exec(html)); ) {
    if (m.index > at) out.append(html.slice(at, m.index));
    if (m[0][0] === "&") {
      span("tok-entity", m[0]);
      at = tag.lastIndex;
      continue;
    }
    if (m[0].startsWith("<!--")) {
      span("tok-attr", m[0]);
      at = tag.lastIndex;
      continue;
    }
    span("tok-tag", m[0]);
    // attributes up to the closing '>'
    const attrs = /\s+|([^\s=>/]+)(=("[^"]*"|'[^']*'|[^\s>]+))?|(\/?>)/g;
    attrs.lastIndex = tag.lastIndex;
    let a;
    while ((a = attrs.exec(html))) {
      if (a.index !== attrs.lastIndex - a[0].length) break;
      if (a[4]) {
        span("tok-tag", a[4]);
        break;
      }
      if (a[1]) {
        span("tok-attr", a[1]);
        if (a[2]) {
          out.append("=");
          span("tok-value", a[3]);
        }
      } else out.append(a[0]);
    }
    at = attrs.lastIndex;
    tag.lastIndex = at;
  }
  if (at < html.length) out.append(html.slice(at));
  return out;
}

function highlightJson(json) {
  const out = document.createDocumentFragment();
  const token = /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
  let at = 0;
  for (let m; (m = token.exec(json)); ) {
    if (m.index > at) out.append(json.slice(at, m.index));
    if (m[1]) {
      out.append(element("span", m[2] ? "tok-key" : "tok-string", m[1]));
      if (m[2]) out.append(m[2]);
    } else {
      out.append(element("span", m[3] ? "tok-literal" : "tok-number", m[0]));
    }
    at = token.lastIndex;
  }
  out.append(json.slice(at));
  return out;
}

// -------------------------------------------------------------- diagnostics
const SEVERITY = { error: 0, warning: 1, info: 2 };

function showDiagnostics(diagnostics) {
  const sorted = [...diagnostics].sort(
    (a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || SEVERITY[a.severity] - SEVERITY[b.severity],
  );
  const worst = sorted.reduce((w, d) => (SEVERITY[d.severity] < SEVERITY[w] ? d.severity : w), "info");
  ui.diagnosticsCount.textContent = String(diagnostics.length);
  ui.diagnosticsCount.dataset.severity = diagnostics.length ? worst : "none";
  $("#tab-diagnostics").setAttribute("aria-label", `Diagnostics (${diagnostics.length})`);
  ui.diagnosticsEmpty.hidden = diagnostics.length > 0;
  ui.diagnosticsList.replaceChildren(
    ...sorted.slice(0, 1000).map((d) => {
      const li = element("li", `diagnostic ${d.severity}`);
      li.append(element("span", "severity", d.severity), element("code", "diagnostic-code", d.code));
      if (d.line != null) {
        const jump = element("button", "button button-small line", `Line ${d.line}`);
        jump.type = "button";
        jump.dataset.line = String(d.line);
        jump.setAttribute("aria-label", `Go to line ${d.line} in the source`);
        li.append(jump);
      } else {
        li.append(element("span", "no-line", "no line"));
      }
      li.append(element("p", "diagnostic-message", d.message));
      return li;
    }),
  );
}

ui.diagnosticsList.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-line]");
  if (button) goToLine(Number(button.dataset.line));
});

/** Selects the line in the editor and scrolls it into view. */
function goToLine(line) {
  showPane("source");
  const text = ui.source.value;
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf("\n", start);
    if (next < 0) break;
    start = next + 1;
  }
  let end = text.indexOf("\n", start);
  if (end < 0) end = text.length;
  ui.source.focus({ preventScroll: true });
  ui.source.setSelectionRange(start, end);
  ui.source.scrollTop = Math.max(0, caretTop(start) - ui.source.clientHeight / 3);
  ui.source.scrollIntoView({ block: "nearest" });
}

/** The y offset of a position in the textarea, measured on a hidden copy. */
function caretTop(position) {
  const style = getComputedStyle(ui.source);
  const mirror = document.createElement("div");
  for (const p of ["fontFamily", "fontSize", "lineHeight", "letterSpacing", "tabSize", "paddingTop", "paddingLeft", "paddingRight", "borderLeftWidth", "borderRightWidth", "boxSizing"]) {
    mirror.style[p] = style[p];
  }
  mirror.style.width = `${ui.source.clientWidth}px`;
  mirror.style.boxSizing = "content-box";
  mirror.style.width = `${ui.source.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)}px`;
  mirror.style.whiteSpace = "pre-wrap";
  mirror.style.overflowWrap = "break-word";
  mirror.style.position = "absolute";
  mirror.style.visibility = "hidden";
  mirror.style.top = "0";
  mirror.style.left = "-9999px";
  mirror.textContent = ui.source.value.slice(0, position);
  const marker = element("span", null, "\u200b");
  mirror.append(marker);
  document.body.append(mirror);
  const top = marker.offsetTop;
  mirror.remove();
  return top;
}

// ------------------------------------------------------------------- status
function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const FRONT_MATTER = { yaml: "YAML front matter", toml: "TOML front matter", json: "JSON front matter", none: "no front matter" };

const GENERATORS = { hexo: "Hexo", jekyll: "Jekyll", hugo: "Hugo", zola: "Zola" };

/** Counts in the reader's script: characters where CJK is the most, else words. */
function countText(stats) {
  const plural = (n, one, many) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
  if (stats.cjkCharacters && stats.cjkCharacters * 2 >= stats.words) return plural(stats.characters, "character", "characters");
  return plural(stats.words, "word", "words");
}

function statusParts(doc, rendering) {
  if (!doc) return [];
  const parts = [["encoding", `${doc.encoding}${doc.guessed ? " (detected)" : ""}`]];
  const r = doc.rendered;
  if (r) {
    if (r.generator && r.generator !== "none") parts.push(["generator", GENERATORS[r.generator] ?? r.generator]);
    parts.push(["", FRONT_MATTER[r.frontMatter.format]], ["", `${r.bodyFormat === "html" ? "HTML" : "Markdown"} body`]);
    parts.push(["", countText(r.stats)]);
  }
  parts.push(["", formatBytes(doc.bytes)]);
  parts.push(rendering ? ["busy", "Rendering…"] : ["", `rendered in ${doc.ms < 10 ? doc.ms.toFixed(1) : Math.round(doc.ms)} ms`]);
  return parts;
}

function status(parts) {
  ui.status.replaceChildren(
    ...parts.map(([kind, text]) => {
      const span = element("span", kind === "busy" || kind === "error" ? kind : null, text);
      if (kind === "encoding") {
        span.id = "encoding";
        span.title = "The encoding the file was read with";
      }
      return span;
    }),
  );
}

// -------------------------------------------------------------------- files
const FILE_ICON = "M6 2h8l4 4v14a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zM14 2v4h4";

function renderFileList() {
  ui.files.replaceChildren(
    ...docs.map((doc) => {
      const li = element("li", `file-item${doc === current ? " current" : ""}`);
      const open = element("button", "file-open");
      open.type = "button";
      open.dataset.doc = String(doc.id);
      if (doc === current) open.setAttribute("aria-current", "true");
      const ns = "http://www.w3.org/2000/svg";
      const svg = document.createElementNS(ns, "svg");
      svg.setAttribute("viewBox", "0 0 24 24");
      svg.setAttribute("class", "icon file-icon");
      svg.setAttribute("aria-hidden", "true");
      const path = document.createElementNS(ns, "path");
      path.setAttribute("d", FILE_ICON);
      svg.append(path);
      const title = doc.rendered?.meta.title;
      const meta = [doc.kind === "sample" ? "sample" : doc.kind === "new" ? "new" : doc.encoding, formatBytes(doc.bytes)];
      if (title && title !== doc.name) meta.unshift(title);
      open.append(svg, element("span", "file-name", doc.name), element("span", "file-meta", meta.join(" · ")));
      const close = element("button", "file-close", "×");
      close.type = "button";
      close.dataset.close = String(doc.id);
      close.setAttribute("aria-label", `Close ${doc.name}`);
      close.title = `Close ${doc.name}`;
      li.append(open, close);
      return li;
    }),
  );
}

ui.files.addEventListener("click", (event) => {
  const open = event.target.closest("[data-doc]");
  const close = event.target.closest("[data-close]");
  if (open) select(docs.find((d) => d.id === Number(open.dataset.doc)));
  if (close) closeDoc(docs.find((d) => d.id === Number(close.dataset.close)));
});

function select(doc) {
  if (!doc) return;
  if (current && current !== doc) current.selection = [ui.source.selectionStart, ui.source.selectionEnd, ui.source.scrollTop];
  current = doc;
  if (ui.source.value !== doc.text) ui.source.value = doc.text;
  if (doc.selection) {
    ui.source.setSelectionRange(doc.selection[0], doc.selection[1]);
    ui.source.scrollTop = doc.selection[2];
  } else {
    ui.source.setSelectionRange(0, 0);
    ui.source.scrollTop = 0;
  }
  ui.sample.value = doc.kind === "sample" ? doc.path : "";
  renderFileList();
  status(statusParts(doc, false));
  scheduleRender(0);
}

function closeDoc(doc) {
  const index = docs.indexOf(doc);
  if (index < 0) return;
  docs.splice(index, 1);
  if (doc === current) {
    current = null;
    if (docs.length) select(docs[Math.min(index, docs.length - 1)]);
    else newDocument();
  } else {
    renderFileList();
  }
}

function newDocument() {
  const doc = newDoc({ name: "Untitled.md", text: "", kind: "new" });
  docs.push(doc);
  select(doc);
  ui.source.focus();
}

/** Decodes in the worker (BOM, strict UTF-8, then a CJK guess) and opens. */
async function openFiles(fileList) {
  const files = [...fileList];
  if (!files.length) return;
  await workerReady;
  const opened = [];
  for (const file of files) {
    const buffer = await file.arrayBuffer();
    const reply = await callWorker({ type: "decode", bytes: buffer }, [buffer]);
    if (reply.type !== "decoded") {
      toast(`Could not read ${file.name}: ${reply.message}`);
      continue;
    }
    const doc = newDoc({ name: file.name, text: reply.text, encoding: reply.encoding, guessed: reply.guessed, bytes: file.size, kind: "file" });
    docs.push(doc);
    opened.push(doc);
  }
  if (opened.length) {
    select(opened[0]);
    showPane("article");
    toast(opened.length === 1 ? `Opened ${opened[0].name} (${opened[0].encoding})` : `Opened ${opened.length} files`);
  }
}

ui.fileInput.addEventListener("change", () => {
  openFiles(ui.fileInput.files);
  ui.fileInput.value = "";
});

// Drag and drop anywhere on the page.
let dragDepth = 0;
const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes("Files");
window.addEventListener("dragenter", (event) => {
  if (!hasFiles(event)) return;
  event.preventDefault();
  dragDepth++;
  $("#drop-overlay").hidden = false;
});
window.addEventListener("dragover", (event) => {
  if (!hasFiles(event)) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = "copy";
});
window.addEventListener("dragleave", (event) => {
  if (!hasFiles(event)) return;
  if (--dragDepth <= 0) {
    dragDepth = 0;
    $("#drop-overlay").hidden = true;
  }
});
window.addEventListener("drop", (event) => {
  if (!hasFiles(event)) return;
  event.preventDefault();
  dragDepth = 0;
  $("#drop-overlay").hidden = true;
  openFiles(event.dataTransfer.files);
});

// ------------------------------------------------------------------ samples
async function openSample(path) {
  const existing = docs.find((d) => d.kind === "sample" && d.path === path);
  if (existing) return select(existing);
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  const text = await response.text();
  const doc = newDoc({ name: path.split("/").pop(), text, kind: "sample" });
  doc.path = path;
  docs.push(doc);
  select(doc);
}

ui.sample.addEventListener("change", () => {
  if (ui.sample.value) openSample(ui.sample.value).catch((error) => toast(`Could not open the sample: ${error.message}`));
});

// ------------------------------------------------------------------- editor
ui.source.addEventListener("input", () => {
  // Editing a sample makes a new document: the sample stays as it was, and
  // what is typed or pasted is not treated as this site's file (its name,
  // the downloads' names, its relative images are not this site's).
  if (!current || current.kind === "sample") {
    const from = current;
    current = newDoc({ name: "Untitled.md", text: "", kind: "new" });
    if (from) current.selection = null;
    docs.splice(from ? docs.indexOf(from) + 1 : docs.length, 0, current);
    ui.sample.value = "";
    renderFileList();
  }
  current.text = ui.source.value;
  current.version++;
  current.bytes = current.text.length; // refined (UTF-8 bytes) when it renders
  scheduleRender();
});
for (const control of [ui.format, ui.images]) control.addEventListener("change", () => scheduleRender(0));
ui.baseUrl.addEventListener("input", () => scheduleRender(300));

$("#new-doc").addEventListener("click", () => newDocument());

ui.loadImages.addEventListener("click", () => shownDoc && allowAllImages(shownDoc));

// --------------------------------------------------------------------- tabs
const tabs = [...document.querySelectorAll('[role="tab"]')];
function selectTab(tab, focus = false) {
  for (const t of tabs) {
    const selected = t === tab;
    t.setAttribute("aria-selected", String(selected));
    t.tabIndex = selected ? 0 : -1;
    document.getElementById(t.getAttribute("aria-controls")).hidden = !selected;
  }
  if (focus) tab.focus();
  refreshCodeViews();
}
for (const tab of tabs) {
  tab.addEventListener("click", () => selectTab(tab));
  tab.addEventListener("keydown", (event) => {
    const i = tabs.indexOf(tab);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    selectTab(tabs[(to + tabs.length) % tabs.length], true);
  });
}

// Phones show one pane at a time.
function showPane(which) {
  ui.workspace.dataset.show = which;
  $("#show-source").setAttribute("aria-pressed", String(which === "source"));
  $("#show-article").setAttribute("aria-pressed", String(which === "article"));
}
$("#show-source").addEventListener("click", () => showPane("source"));
$("#show-article").addEventListener("click", () => showPane("article"));

// ------------------------------------------------------------------ actions
let toastTimer = 0;
function toast(message) {
  ui.toast.textContent = message;
  ui.toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (ui.toast.hidden = true), 2600);
}

/**
 * What Copy HTML, .html and .json give: the same result for all three. "with
 * images" (the default) is the article rendered with images: "load", so
 * its images have a real src wherever the HTML goes; "as shown" is the
 * result on screen (with images blocked, their URLs wait in data-src).
 */
async function exportRendered() {
  const doc = shownDoc;
  if (!doc || !shownRendered) return null;
  if ($("#export-images").value === "shown" || ui.images.value === "load") return shownRendered;
  const reply = await callWorker({ type: "render", source: doc.text, options: { ...currentOptions(doc), images: "load" } });
  if (reply.type !== "rendered") throw new Error(reply.message);
  return withHtml(reply);
}

$("#copy-html").addEventListener("click", async () => {
  const rendered = await exportRendered().catch((error) => toast(error.message));
  if (!rendered) return;
  try {
    await navigator.clipboard.writeText(rendered.html);
    toast("Copied the sanitized HTML");
  } catch {
    // No clipboard permission: select the HTML view so Ctrl+C copies it.
    selectTab($("#tab-html"));
    getSelection().selectAllChildren(ui.htmlCode);
    toast("Press Ctrl+C (⌘C) to copy the selected HTML");
  }
});

function baseName(doc) {
  return (doc.name.replace(/\.[^.]+$/, "") || "article").replace(/[^\p{L}\p{N}._-]+/gu, "-");
}

function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = element("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

$("#download-json").addEventListener("click", async () => {
  const rendered = await exportRendered().catch((error) => toast(error.message));
  if (rendered) download(`${baseName(shownDoc)}.json`, "application/json", `${JSON.stringify(rendered, null, 2)}\n`);
});

// The .html file is the article itself, read later without this page,
// under its own strict CSP.
$("#download-html").addEventListener("click", async () => {
  const doc = shownDoc;
  const rendered = await exportRendered().catch((error) => toast(error.message));
  if (rendered) download(`${baseName(doc)}.html`, "text/html", await standaloneDocument(rendered));
});

let articleCss = null;
/** article.css, the same sheet as the frame's, inlined in the download. */
async function standaloneCss() {
  articleCss ??= (await (await fetch("article.css")).text()).trim();
  return articleCss;
}

const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

async function sha256(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/** A page that stands alone: the metadata as escaped <meta> tags, its own CSP. */
async function standaloneDocument(rendered) {
  const { meta } = rendered;
  const css = await standaloneCss();
  const lang = guessLang(rendered);
  // The one style element by its hash: the article needs no other style.
  const csp = `default-src 'none'; img-src https: http: data:; style-src 'sha256-${await sha256(`\n${css}\n`)}'; base-uri 'none'; form-action 'none'`;
  const tags = [];
  const tag = (attr, key, value) => value && tags.push(`<meta ${attr}="${escapeHtml(key)}" content="${escapeHtml(value)}">`);
  tag("name", "author", meta.author);
  tag("name", "description", meta.description ?? rendered.excerpt);
  tag("name", "keywords", meta.tags.join(", "));
  tag("name", "generator", `article-render ${workerVersion ?? ""}`.trim());
  tag("property", "og:type", "article");
  tag("property", "og:title", meta.title);
  tag("property", "og:image", meta.cover);
  tag("property", "article:published_time", meta.date);
  tag("property", "article:modified_time", meta.updated);
  tag("property", "article:author", meta.author);
  for (const category of meta.categories) tag("property", "article:section", category);
  for (const t of meta.tags) tag("property", "article:tag", t);
  const byline = [meta.author, meta.date && formatDate(meta.date)].filter(Boolean).map(escapeHtml).join(" · ");
  const cover = meta.cover ? `<img class="standalone-cover" src="${escapeHtml(meta.cover)}" alt="" referrerpolicy="no-referrer">\n` : "";
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(meta.title ?? "Untitled")}</title>
${tags.join("\n")}
<style>
${css}
</style>
</head>
<body class="article standalone">
<main>
<article>
<header>
${cover}<h1 class="standalone-title">${escapeHtml(meta.title ?? "Untitled")}</h1>
${byline ? `<p class="standalone-byline">${byline}</p>` : ""}
</header>
${rendered.html}
</article>
</main>
</body>
</html>
`;
}

// -------------------------------------------------------------------- start
workerReady.then(
  () => ($("#version").textContent = `v${workerVersion}`),
  (error) => status([["error", `The renderer failed to load: ${error.message}`]]),
);
openSample("samples/jiangnan-bus.md").catch((error) => {
  status([["error", `Could not load the sample: ${error.message}`]]);
  newDocument();
});
