// Rendering: when to ask the worker (debounced by the source's size), and
// showing a result: header, status line, and the other parts by module.
import { $, currentOptions, element, formatBytes, guessLang, state, timeElement, ui } from "./common.js";
import { renderFileList, summaryOf } from "./files.js";
import { scrollerOf, showBody, showCover, showToc } from "./frame.js";
import { editor, syncText } from "./editor.js";
import { refreshCodeViews, showDiagnostics } from "./views.js";
import { callWorker, withHtml, workerReady } from "./worker-client.js";

let renderTimer = 0;

let inflight = false;

let again = false;

let pendingSince = 0;

/** Debounced: longer for big sources, so typing in 5 MB stays fluid, but
 * never more than two seconds behind the typing. */
export function scheduleRender(delay = Math.min(900, 90 + (state.current?.bytes ?? 0) / 8000)) {
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
  const doc = state.current;
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
    const source = syncText(doc);
    // Edited text is counted as what a download would hold: UTF-8 bytes.
    if (doc.version > 0) doc.bytes = new Blob([source]).size;
    reply = await callWorker({ type: "render", source, options });
  } catch (error) {
    reply = { type: "error", name: "Error", message: error.message };
  }
  inflight = false;
  if (reply.type === "rendered") {
    withHtml(reply);
    Object.assign(doc, { rendered: reply.rendered, chunks: reply.chunks, renderedVersion: version, renderedKey: key, ms: reply.ms });
    doc.summary = summaryOf(reply.rendered);
    setOptionError(null);
    if (doc === state.current) display(doc);
  } else {
    // Only invalid options throw (a TypeError): say which, keep the last article.
    setOptionError(reply);
  }
  setBusy(false);
  if (again || doc !== state.current || doc.version !== version || JSON.stringify(currentOptions(doc)) !== key) {
    again = false;
    pump();
  }
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
  if (reply && !bad) status([["error", reply.name === "TypeError" ? `The options were refused: ${reply.message}` : `Could not render: ${reply.message}`]]);
  else if (bad) status([["error", "Not rendered: see baseUrl"]]);
}

/** body[data-state]: "rendering" in the worker, "filling" the frame, or "idle". */
export function updateState() {
  const now = inflight ? "rendering" : state.filling ? "filling" : "idle";
  document.body.dataset.state = now;
  ui.reader.setAttribute("aria-busy", String(now !== "idle"));
  // Progress for what takes long enough to see: the worker's part has no
  // measure (the bar moves without a value), the frame's has its slices.
  const long = (state.current?.bytes ?? 0) > PROGRESS_FROM;
  ui.progress.hidden = now === "idle" || !long;
  if (now === "rendering") ui.progress.removeAttribute("value");
}

const PROGRESS_FROM = 256 * 1024;
/** How much of a long article is in the frame, 0 to 1. */
export function showProgress(fraction) {
  ui.progress.value = fraction;
}

function setBusy(value) {
  if (value) status(statusParts(state.current, true));
  updateState();
}

export let shownDoc = null;
export let shownRendered = null;

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
  if (doc.renderedVersion === doc.version) editor.setDiagnostics(rendered.diagnostics);
  showBody(doc, lang, !sameDoc);
  refreshCodeViews();
  status(statusParts(doc, false));
  renderFileList();
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

const FRONT_MATTER = { yaml: "YAML front matter", toml: "TOML front matter", json: "JSON front matter", none: "no front matter" };

const GENERATORS = { hexo: "Hexo", jekyll: "Jekyll", hugo: "Hugo", zola: "Zola" };

/** Counts in the reader's script: characters where CJK is the most, else words. */
function countText(stats) {
  const plural = (n, one, many) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
  if (stats.cjkCharacters && stats.cjkCharacters * 2 >= stats.words) return plural(stats.characters, "character", "characters");
  return plural(stats.words, "word", "words");
}

export function statusParts(doc, rendering) {
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

export function status(parts) {
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

for (const control of [ui.format, ui.images]) control.addEventListener("change", () => scheduleRender(0));

ui.baseUrl.addEventListener("input", () => scheduleRender(300));
