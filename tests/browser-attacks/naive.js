// Check (b) and (c): each item inserted the way a careless host page would,
// with nothing but the library between the article and the reader: no CSP,
// no sandbox, `div.innerHTML = rendered.html`, and once more the way
// jQuery's .html() does, through Range.createContextualFragment, which runs
// the scripts it inserts; every URL of the metadata as an `img.src` and an
// `a.href`; every string of `meta.extra`, at any depth, the way themes use
// front-matter fields (`link`, `source_url`, `og_image`, `headimg.src`…): as
// `img.src` and `a.href`, and written into an HTML template that escapes
// quotes and tags but not `&`, so character references are decoded; `meta`
// deep-merged into the host's config with a naive recursive merge, the
// prototype-pollution pattern; then every link and control clicked and
// every event handler attribute that survived fired.
//
// Each item gets its own same-origin frame (a document with no CSP, like
// this page), so one case cannot hide or undo another and check.mjs can
// tell from the frame which case did what; the frames are emptied and kept
// from batch to batch (check.mjs opens a fresh page after any finding).
// Steps, driven by check.mjs: show(items) is the body; step("metadata");
// step("interact").
import { declared, eager, extraStrings, metadataUrls, ready, record, renderItem, runsOrLoads, settle, take, watch } from "./shared.js";

let shown = [];
const frames = []; // per item index: its frame's document

/** The document of item `i`'s frame, made the first time. */
function frameDocument(i, key) {
  if (!frames[i]) {
    const frame = document.createElement("iframe");
    frame.name = key; // check.mjs attributes the frame's events by it
    document.body.append(frame);
    frames[i] = frame.contentDocument;
    watch(frames[i], key);
    frames[i].addEventListener("click", stopExpectedLinks, true);
  }
  return frames[i];
}

async function show(items) {
  await ready();
  shown = items.map((item) => ({ key: item.key, options: item.options, ...renderItem(item) }));
  for (const [i, state] of shown.entries()) {
    if (!state.rendered) continue;
    state.doc = frameDocument(i, state.key);
    const div = state.doc.createElement("div");
    const again = state.doc.createElement("div");
    state.doc.body.append(div, again);
    div.innerHTML = state.rendered.html;
    const range = state.doc.createRange();
    range.selectNodeContents(again);
    again.append(range.createContextualFragment(state.rendered.html));
    eager(state.doc);
  }
  await settle(docs());
  return shown.map((s) => ({ key: s.key, error: s.error, declared: s.rendered && declared(s.rendered, s.options) }));
}

const docs = () => shown.filter((s) => s.doc).map((s) => s.doc);

/** (c): the metadata's URLs, each as an image and as a link; `meta.extra`
 * as a theme uses it; `meta` merged into the host's config. */
async function metadata() {
  for (const state of shown.filter((s) => s.doc)) {
    const box = state.doc.createElement("div");
    for (const url of metadataUrls(state.rendered)) {
      const img = state.doc.createElement("img");
      img.src = url;
      const a = state.doc.createElement("a");
      a.href = url;
      a.textContent = url;
      box.append(img, a);
    }
    const values = extraStrings(state.rendered.meta.extra);
    for (const value of values) {
      const img = state.doc.createElement("img");
      img.src = value;
      const a = state.doc.createElement("a");
      a.href = value;
      a.dataset.extra = "";
      a.textContent = "extra";
      box.append(img, a);
    }
    const template = state.doc.createElement("div");
    template.innerHTML = values.map((v) => `<a data-extra href="${attribute(v)}">extra</a><img src="${attribute(v)}">`).join("");
    box.append(template);
    state.doc.body.append(box);
    merged(state);
  }
  await settle(docs());
}

/** A hand-written escaper of the kind themes use: safe against breaking out
 * of the attribute, blind to character references. */
const attribute = (value) => value.replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A deep merge as hosts write it (and as lodash's did before 4.17.12):
 * keys followed with `in`, so `__proto__` and `constructor.prototype` lead
 * to a prototype. `Empty` makes new objects in the target's realm. */
function naiveMerge(target, source, Empty) {
  for (const key in source) {
    const value = source[key];
    if (value && typeof value === "object" && !Array.isArray(value)) {
      if (!(key in target) || target[key] === null) target[key] = new Empty();
      naiveMerge(target[key], value, Empty);
    } else {
      target[key] = value;
    }
  }
  return target;
}

/** `meta` merged into a config object of the item's own frame, whose
 * `Object` must come out as it went in. */
function merged(state) {
  const win = state.doc.defaultView;
  const shape = () =>
    JSON.stringify([win.Object.prototype, win.Object, win.Function.prototype].map((o) => Object.getOwnPropertyNames(o).sort()));
  const before = shape();
  const config = new win.Object();
  config.site = new win.Object();
  config.site.title = "host";
  try {
    naiveMerge(config, { meta: state.rendered.meta }, win.Object);
  } catch (error) {
    record(state.key, "pollution", `the merge threw ${error?.message}`);
  }
  const probe = new win.Object();
  const after = shape();
  if (after !== before || "polluted" in probe || "isAdmin" in probe) {
    record(state.key, "pollution", `merging meta changed Object.prototype or Object: ${after.slice(0, 200)}`);
  }
}

// Following a link is what links are for: a click on one of these is
// stopped (and counted); any other link is left to do what it does.
const EXPECTED_LINK = /^(https?:|mailto:|data:image\/)/i;
let followed = 0;
function stopExpectedLinks(event) {
  const link = event.target.closest?.("a[href], area[href]");
  // A value of meta.extra is often text, not a URL ("note:", "C:\\x"): as a
  // link it is harmless unless it runs or loads something.
  const harmlessExtra = link && "extra" in link.dataset && !runsOrLoads(link.href);
  if (link && (EXPECTED_LINK.test(link.href) || harmlessExtra)) {
    event.preventDefault();
    followed += 1;
  }
}

/** A reader clicking everything, and every surviving `on*` attribute fired. */
async function interact() {
  for (const state of shown.filter((s) => s.doc)) {
    const doc = state.doc;
    for (const link of doc.querySelectorAll("a[href], area[href]")) {
      if ("extra" in link.dataset) {
        if (runsOrLoads(link.href)) record(state.key, "link", `a meta.extra value a theme links to goes to ${link.href.slice(0, 120)}`);
      } else if (!EXPECTED_LINK.test(link.href)) {
        record(state.key, "link", `a link a reader can click goes to ${link.href.slice(0, 120)}`);
      }
    }
    for (const node of doc.querySelectorAll("*")) {
      for (const { name } of [...node.attributes]) {
        if (/^on./i.test(name)) node.dispatchEvent(new Event(name.slice(2).toLowerCase()));
      }
    }
    for (const node of doc.querySelectorAll("a, area, button, input, summary, label")) node.click();
  }
  await settle(docs());
}

async function step(name) {
  if (name === "metadata") return metadata();
  if (name === "interact") return interact();
  throw new Error(`no step ${name}`);
}

function takeAll() {
  const events = take();
  const count = followed;
  followed = 0;
  return { events, followed: count };
}

function clear() {
  for (const state of shown.filter((s) => s.doc)) state.doc.body.replaceChildren();
  shown = [];
}

globalThis.harness = { show, step, take: takeAll, clear, record };
