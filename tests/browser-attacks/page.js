// Check (a): each item shown the way www/app.js shows an article, in a page
// with www/index.html's CSP (Trusted Types required). The frame's skeleton
// and attributes and the slicing come from www/ itself
// (check.mjs serves them as /www-page.js); the code below follows showBody,
// parseSlice, applyImages, showCover, showHeader and showToc of app.js.
//
// Steps, driven by check.mjs: show(items) inserts every item, each in its
// own frame; step("images") is the reader clicking "Load images". Like the
// page, which keeps one frame and replaces its body for each article, the
// frames are kept from batch to batch (check.mjs opens a fresh page after
// any finding).
import { FRAME_ATTRIBUTES, FRAME_SKELETON, splitTopLevel } from "/www-page.js";
import { declared, eager, ready, record, renderItem, settle, take, watch } from "./shared.js";

// The page's one Trusted Types policy: the skeleton and render() output only.
const outputs = new Set();
const trusted = trustedTypes.createPolicy("article-render", {
  createHTML(html) {
    if (html === FRAME_SKELETON) return html;
    if (outputs.has(html)) return html;
    throw new TypeError("article-render policy: not the library's sanitized output");
  },
});
const parser = new DOMParser();
let shown = [];
const slots = []; // per item index: its box in the page and its frame

watch(document, null);

function element(owner, tag, className, text) {
  const node = owner.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

async function show(items) {
  await ready();
  shown = items.map((item) => ({ key: item.key, options: item.options, ...renderItem(item), loadAll: false }));
  await Promise.all(shown.map((state, i) => slot(i, state.key).then((s) => Object.assign(state, s))));
  for (const state of shown.filter((s) => s.rendered)) showItem(state);
  await settle([document, ...shown.filter((s) => s.rendered).map((s) => s.fdoc)]);
  return shown.map((s) => ({ key: s.key, error: s.error, declared: s.rendered && declared(s.rendered, s.options) }));
}

/** The box and frame of item `i`, made the first time (app.js: frameReady). */
async function slot(i, key) {
  slots[i] ??= (async () => {
    const box = element(document, "article");
    const cover = element(document, "div", "cover");
    const head = element(document, "div");
    const frame = document.createElement("iframe");
    for (const [name, value] of FRAME_ATTRIBUTES) frame.setAttribute(name, value);
    frame.name = key; // check.mjs attributes the frame's events by it
    const fdoc = await new Promise((resolve) => {
      frame.addEventListener("load", () => resolve(frame.contentDocument), { once: true });
      frame.srcdoc = trusted.createHTML(FRAME_SKELETON);
      box.append(cover, head, frame);
      document.body.append(box);
    });
    watch(fdoc, key);
    return { cover, head, fdoc };
  })();
  return slots[i];
}

function showItem(state) {
  const { rendered } = state;
  state.head.replaceChildren(header(rendered), toc(rendered.toc));
  showCover(state);

  // showBody: the first slice replaces the body, the others are appended.
  const chunks = splitTopLevel(rendered.html);
  state.fdoc.body.classList.toggle("long", chunks.length > 1);
  state.fdoc.body.replaceChildren(parseSlice(state, chunks[0]));
  applyImages(state);
  for (const chunk of chunks.slice(1)) state.fdoc.body.append(parseSlice(state, chunk));
  applyImages(state);
  eager(state.fdoc);
}

function parseSlice(state, html) {
  outputs.add(html);
  let parsed;
  try {
    parsed = parser.parseFromString(trusted.createHTML(html), "text/html");
  } finally {
    outputs.delete(html);
  }
  const body = parsed.body;
  for (const link of body.querySelectorAll("a:not([href])")) {
    if (link.textContent.trim()) link.title = "This link's address was removed as unsafe";
  }
  applyImages(state, body);
  const fragment = state.fdoc.createDocumentFragment();
  for (const node of [...body.childNodes]) fragment.append(state.fdoc.adoptNode(node));
  return fragment;
}

// With images: "block" nothing is requested until the reader asks, except
// data: images (app.js also allows the page's own samples: none here).
const imageAllowed = (state, url) => /^data:/i.test(url) || state.loadAll;

function applyImages(state, root = state.fdoc.body) {
  const owner = root.ownerDocument;
  for (const img of root.querySelectorAll("img[data-src]:not([src])")) {
    const url = img.getAttribute("data-src");
    const placeholder = img.previousElementSibling?.matches(".blocked-image") ? img.previousElementSibling : null;
    if (imageAllowed(state, url)) {
      placeholder?.remove();
      img.src = url;
    } else if (!placeholder) {
      const button = element(owner, "button", "blocked-image");
      button.type = "button";
      button.title = `Load this image from ${url}`;
      button.append(element(owner, "span", "blocked-label", img.alt || "Image"), element(owner, "span", "blocked-host", url));
      img.before(button);
    }
  }
}

function showCover(state) {
  const url = state.rendered.meta.cover ?? state.rendered.meta.thumbnail;
  if (!url) {
    state.cover.replaceChildren();
    return;
  }
  if (imageAllowed(state, url)) {
    if (state.cover.querySelector("img")?.getAttribute("src") === url) return;
    const img = document.createElement("img");
    img.referrerPolicy = "no-referrer";
    img.decoding = "async";
    img.alt = "Cover image";
    img.src = url;
    state.cover.replaceChildren(img);
  } else {
    state.cover.replaceChildren(element(document, "button", "cover-blocked", `Cover image from ${url} is blocked`));
  }
}

/** showHeader: every text field with textContent. */
function header(rendered) {
  const { meta, stats } = rendered;
  const head = element(document, "header", "reader-head");
  const chips = (items) => {
    const list = element(document, "ul", "chips");
    list.append(...items.map((item) => element(document, "li", null, item)));
    return list;
  };
  const byline = element(document, "p", "byline");
  for (const [className, value] of [["author", meta.author], ["date", meta.date], ["updated", meta.updated]]) {
    if (value) byline.append(element(document, "span", className, value));
  }
  byline.append(element(document, "span", "reading", `${stats.readingMinutes} min read`));
  head.append(
    chips(meta.categories),
    element(document, "h1", "reader-title", meta.title ?? "Untitled"),
    element(document, "p", "reader-lead", meta.description ?? ""),
    byline,
    chips(meta.tags),
  );
  return head;
}

/** showToc: links to `#id`, the text with textContent. */
function toc(entries) {
  const list = element(document, "ol", "toc-list");
  for (const entry of entries.slice(0, 500)) {
    const a = element(document, "a", null, entry.text);
    a.href = `#${entry.id}`;
    a.dataset.target = entry.id;
    const li = element(document, "li", `level-${entry.level}`);
    li.append(a);
    list.append(li);
  }
  return list;
}

/** The reader clicks "Load images": app.js's allowAllImages. */
async function loadImages() {
  for (const state of shown.filter((s) => s.rendered)) {
    state.loadAll = true;
    applyImages(state);
    showCover(state);
    eager(state.fdoc);
  }
  await settle([document, ...shown.filter((s) => s.rendered).map((s) => s.fdoc)]);
}

async function step(name) {
  if (name !== "images") throw new Error(`no step ${name}`);
  await loadImages();
}

/** Empties every frame, so nothing of this batch loads during the next. */
function clear() {
  for (const state of shown.filter((s) => s.fdoc)) {
    state.fdoc.body.replaceChildren();
    state.cover.replaceChildren();
    state.head.replaceChildren();
  }
  shown = [];
}

globalThis.harness = { show, step, take: () => ({ events: take(), followed: 0 }), clear, record };
