// What both test pages share: the built package (web target, `init()`), the
// rendering of one item, the URLs a result declares, waiting for the
// browser to act on what was inserted, and the events found in the page.
import init, { render } from "/pkg/article_render.js";

let loaded = null;
export const ready = () => (loaded ??= init());

/** Findings the page sees itself: CSP violations, links a reader could click. */
const found = [];
export function record(key, kind, detail) {
  if (found.length < 3000) found.push({ key, kind, detail: String(detail).slice(0, 300) });
}
export function take() {
  const missed = (globalThis.__attackMissed ?? []).splice(0);
  const events = found.splice(0);
  for (const call of missed) {
    events.push({ key: call.frame.startsWith("case:") ? call.frame : null, kind: "sentinel", detail: `${call.name}(${call.args}) in ${call.url}` });
  }
  return events;
}

/**
 * The item's result: rendered here through the package, or, for the
 * self-test, the deliberately unsanitized result it carries.
 */
export function renderItem(item) {
  // A self-test result with `__proto__` keys travels as JSON text: an object
  // literal would take them as its prototype, not as keys.
  if (typeof item.rendered === "string") return { rendered: JSON.parse(item.rendered) };
  if (item.rendered) return { rendered: item.rendered };
  try {
    return { rendered: render(item.source, item.options) };
  } catch (error) {
    return { error: `render threw ${error?.name}: ${error?.message}` };
  }
}

/** Every URL of the result (DESIGN.md: safe to put in `src`/`href`). */
export function declared(rendered, options) {
  const { meta, images } = rendered;
  return {
    images: images.map((image) => image.src),
    cover: meta.cover,
    thumbnail: meta.thumbnail,
    permalink: meta.permalink,
    extra: extraStrings(meta.extra),
    blocked: options?.images === "block",
  };
}

/** Every string of `meta.extra`, at any depth: a theme may use any of them
 * as a link or an image. */
export function extraStrings(extra) {
  const out = [];
  const walk = (value) => {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(extra);
  return out;
}

/** The raster types a `data:` URL may have anywhere in the result. */
const RASTER = /^data:\s*image\/(png|apng|jpeg|jpg|pjpeg|gif|webp|avif|bmp|x-icon|vnd\.microsoft\.icon)\s*[;,]/i;

/** Whether a URL, as the browser resolved it, runs script or loads a
 * document: javascript:, vbscript:, or data: other than a raster image. */
export function runsOrLoads(href) {
  let protocol;
  try {
    protocol = new URL(href).protocol;
  } catch {
    return false;
  }
  if (protocol === "javascript:" || protocol === "vbscript:") return true;
  return protocol === "data:" && !RASTER.test(href);
}

export function metadataUrls(rendered) {
  const { meta, images } = rendered;
  return [meta.cover, meta.thumbnail, meta.permalink, ...images.map((image) => image.src)].filter((url) => url != null);
}

/** CSP violations of the document, reported for the item shown in it. */
export function watch(doc, key) {
  doc.addEventListener(
    "securitypolicyviolation",
    (event) => record(key, "csp", `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ${event.sample}`.trim()),
    true,
  );
}

/**
 * `loading="lazy"` images far down a frame might never load during the
 * check, and their handlers never run: every image is made eager, so each
 * one is requested now (a stimulus, not a defence).
 */
export function eager(doc) {
  for (const img of doc.querySelectorAll("img")) img.loading = "eager";
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the images of `docs` have loaded or failed, then a little
 * longer for their load/error events and anything they start. */
export async function settle(docs) {
  const deadline = performance.now() + 3000;
  const pending = () =>
    docs.some((doc) => {
      try {
        return [...doc.images].some((img) => !img.complete);
      } catch {
        return false; // a frame that navigated away
      }
    });
  while (pending() && performance.now() < deadline) await sleep(20);
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  await sleep(60);
}
