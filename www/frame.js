// The article frame: the sanitized body going in (the only HTML the page
// inserts), its blocked images, the table of contents and scrolling to ids.
import { FRAME_SKELETON, sanitizedOutput, trusted } from "./app.js";
import { highlightCode, typesetMath } from "./enhance.js";
import { $, element, state, toast, ui } from "./common.js";
import { showProgress, shownDoc, updateState } from "./render.js";

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

export function showCover(doc, url) {
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
//   its own <style> would be blocked (style-src 'self'): it links
//   article.css (the article's look, also shipped in the npm package) and
//   frame.css, never the page's style.css, so no page rule reaches in;
// - the HTML is parsed by DOMParser (inert: no scripts, no requests) and the
//   nodes are adopted into the frame, in slices, so a 5 MB article never
//   blocks the page for long.
let frameReady = null;
/** Loads the frame's skeleton (app.js calls it once the policy exists). */
export function startFrame() {
  frameReady = new Promise((resolve) => {
    ui.frame.addEventListener("load", () => resolve(initFrame()), { once: true });
    ui.frame.srcdoc = trusted.createHTML(FRAME_SKELETON);
  });
}

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
export function showBody(doc, lang, isNewDoc) {
  const generation = ++fillGeneration;
  const chunks = doc.chunks;
  state.filling = true;
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
    fdoc.body.replaceChildren(slice(fdoc, parseSlice(doc, fdoc, chunks[0]), chunks.length > 1));
    applyImages(doc);
    sizeFrame();
    scroller.scrollTop = keep;
    for (let i = 1; i < chunks.length; ) {
      await nextTask();
      if (generation !== fillGeneration) return false;
      const deadline = performance.now() + 10;
      do fdoc.body.append(slice(fdoc, parseSlice(doc, fdoc, chunks[i++]), true));
      while (i < chunks.length && performance.now() < deadline);
      showProgress(i / chunks.length);
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
    state.filling = false;
    updateState();
    return true;
  });
  return fillDone;
}

/**
 * A long article's slice goes in its own <div class="slice">, which
 * frame.css lays out only near the screen (content-visibility): the body
 * then has a few hundred children, not tens of thousands of paragraphs that
 * each slice's layout would walk again.
 */
function slice(fdoc, fragment, long) {
  if (!long) return fragment;
  const div = fdoc.createElement("div");
  div.className = "slice";
  div.append(fragment);
  return div;
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

export function showToc(toc) {
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
export function scrollerOf() {
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

ui.loadImages.addEventListener("click", () => shownDoc && allowAllImages(shownDoc));
