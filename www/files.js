// Open files: the list (an index of the posts once there are many),
// picking, closing, opening from disk, dropping, the samples, New.
import { $, currentOptions, docs, element, formatBytes, formatDate, newDoc, state, toast, ui } from "./common.js";
import { editor, showInEditor, syncText } from "./editor.js";
import { scheduleRender, status, statusParts } from "./render.js";
import { showPane } from "./views.js";
import { callWorker, workerReady } from "./worker-client.js";

const FILE_ICON = "M6 2h8l4 4v14a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zM14 2v4h4";

// With many files open (a blog's posts folder) the list is an index of the
// posts: title, date, categories and tags, excerpt; sortable and filterable.
// Each file's metadata comes from a render in the worker, one file at a
// time in the background (summaryOf keeps only what the index shows), and
// the list is redrawn at most every LIST_REDRAW_MS, so hundreds of files
// never block the page.
const INDEX_FROM = 4;

const LIST_REDRAW_MS = 250;

export function summaryOf(rendered) {
  const { meta, excerpt } = rendered;
  return { title: meta.title ?? null, date: meta.date ?? null, categories: meta.categories, tags: meta.tags, excerpt: excerpt.slice(0, 200) };
}

let indexing = false;

async function indexInBackground() {
  if (indexing) return;
  indexing = true;
  for (let doc; (doc = docs.find((d) => !d.summary && !d.indexFailed)); ) {
    const reply = await callWorker({ type: "render", source: syncText(doc), options: currentOptions(doc) });
    if (reply.type === "rendered") doc.summary = summaryOf(reply.rendered);
    else doc.indexFailed = true;
    scheduleFileList();
  }
  indexing = false;
}

let listTimer = 0;

function scheduleFileList() {
  listTimer ||= setTimeout(() => {
    listTimer = 0;
    renderFileList();
  }, LIST_REDRAW_MS);
}

/** The documents in the list's order, after the filter. */
function listedDocs() {
  const words = ui.fileFilter.value.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (doc) => {
    if (!words.length) return true;
    const s = doc.summary;
    const hay = [doc.name, s?.title, ...(s?.categories ?? []), ...(s?.tags ?? []), s?.excerpt].join("\n").toLowerCase();
    return words.every((w) => hay.includes(w));
  };
  const list = docs.filter(matches);
  const by = ui.fileSort.value;
  if (by === "date") list.sort((a, b) => dateValue(b) - dateValue(a) || 0);
  if (by === "title") list.sort((a, b) => TITLES.compare(a.summary?.title ?? a.name, b.summary?.title ?? b.name));
  return list;
}

/** Titles in the reader's language order, numbers by value ("Part 2"
 * before "Part 10"), case and accents aside. */
const TITLES = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** A date as a moment (dates carry their own zones, so their strings do
 * not sort); files without one go last. */
function dateValue(doc) {
  const time = Date.parse(doc.summary?.date ?? "");
  return Number.isNaN(time) ? -Infinity : time;
}

export function renderFileList() {
  const many = docs.length >= INDEX_FROM;
  ui.fileTools.hidden = !many;
  ui.files.classList.toggle("file-index", many);
  const list = many ? listedDocs() : docs;
  if (many) {
    ui.fileCount.textContent = list.length === docs.length ? `${docs.length} files` : `${list.length} of ${docs.length} files`;
    indexInBackground();
  }
  ui.files.dataset.indexed = String(docs.filter((d) => d.summary).length);
  // Only the first rows are built; the rest come a batch at a time as the
  // list scrolls to its end, or as far as the current file, GROW_STEP rows
  // a task (a posts folder's current file may be its last).
  const at = list.indexOf(state.current);
  const wanted = Math.max(shownItems, LIST_BATCH, at + 1 + Math.min(10, LIST_BATCH));
  const top = ui.files.scrollTop;
  const build = ++builds;
  listed = list;
  shownItems = 0;
  moreRows.disconnect();
  ui.files.replaceChildren();
  const step = () => {
    if (build !== builds) return;
    grow(Math.min(wanted, shownItems + GROW_STEP));
    if (shownItems < Math.min(wanted, listed.length)) return void setTimeout(step);
    ui.files.scrollTop = top;
    revealCurrent();
  };
  step();
}

const LIST_BATCH = 40;
const GROW_STEP = 200;
let shownItems = 0;
let listed = [];
let builds = 0;

/** Builds the listed rows up to `count`, the "more" row last while some are left. */
function grow(count) {
  const next = listed.slice(shownItems, count);
  shownItems += next.length;
  moreRows.disconnect();
  ui.files.querySelector(".file-more")?.remove();
  ui.files.append(...next.map(fileItem));
  if (listed.length > shownItems) {
    const more = element("li", "file-more", `${listed.length - shownItems} more…`);
    ui.files.append(more);
    moreRows.observe(more);
  }
}

/** The list's last row: when it scrolls into view, the next batch is built. */
const moreRows = new IntersectionObserver((entries) => {
  if (entries.some((e) => e.isIntersecting && e.target.isConnected)) grow(shownItems + LIST_BATCH);
}, { root: ui.files });

/** The current file stays in view, in the list's own scroll box only. */
function revealCurrent() {
  const item = ui.files.querySelector(".file-item.current");
  if (!item) return;
  const top = item.offsetTop - ui.files.offsetTop;
  if (top < ui.files.scrollTop || top + item.offsetHeight > ui.files.scrollTop + ui.files.clientHeight) {
    ui.files.scrollTop = top - ui.files.clientHeight / 3;
  }
}

/** One row: title, name, date, categories, size; tags and excerpt in an index. */
function fileItem(doc) {
  const index = docs.length >= INDEX_FROM;
  const li = element("li", `file-item${doc === state.current ? " current" : ""}`);
  const open = element("button", "file-open");
  open.type = "button";
  open.dataset.doc = String(doc.id);
  open.title = doc.name;
  if (doc === state.current) open.setAttribute("aria-current", "true");
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "icon file-icon");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", FILE_ICON);
  svg.append(path);
  const summary = doc.summary ?? (doc.rendered && summaryOf(doc.rendered));
  const title = summary?.title;
  const meta = [];
  if (summary?.date) meta.push(formatDate(summary.date));
  if (summary?.categories.length) meta.push(summary.categories.join(" › "));
  meta.push(doc.kind === "sample" ? "sample" : doc.kind === "new" ? "new" : doc.encoding, formatBytes(doc.bytes));
  open.append(svg);
  if (title && title !== doc.name) open.append(element("span", "file-title", title));
  open.append(element("span", "file-name", doc.name));
  open.append(element("span", "file-meta", meta.join(" · ")));
  if (index && summary?.tags.length) open.append(element("span", "file-tags", summary.tags.map((t) => `#${t}`).join(" ")));
  if (index && summary?.excerpt) open.append(element("span", "file-excerpt", summary.excerpt));
  const close = element("button", "file-close", "×");
  close.type = "button";
  close.dataset.close = String(doc.id);
  close.setAttribute("aria-label", `Close ${doc.name}`);
  close.title = `Close ${doc.name}`;
  li.append(open, close);
  return li;
}

ui.files.addEventListener("click", (event) => {
  const open = event.target.closest("[data-doc]");
  const close = event.target.closest("[data-close]");
  if (open) select(docs.find((d) => d.id === Number(open.dataset.doc)));
  if (close) closeDoc(docs.find((d) => d.id === Number(close.dataset.close)));
});

// Up and down move between the files; Enter or Space opens one.
ui.files.addEventListener("keydown", (event) => {
  const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
  if (!step || !event.target.matches(".file-open")) return;
  const buttons = [...ui.files.querySelectorAll(".file-open")];
  const next = buttons[buttons.indexOf(event.target) + step];
  if (next) {
    event.preventDefault();
    next.focus();
  }
});

// A new filter or order starts again from the first batch.
ui.fileFilter.addEventListener("input", () => {
  shownItems = 0;
  renderFileList();
});

ui.fileSort.addEventListener("change", () => {
  shownItems = 0;
  renderFileList();
});

function select(doc) {
  if (!doc) return;
  const previous = state.current;
  state.current = doc;
  showInEditor(doc, previous);
  ui.sample.value = doc.kind === "sample" ? doc.path : "";
  renderFileList();
  status(statusParts(doc, false));
  scheduleRender(0);
}

function closeDoc(doc) {
  const index = docs.indexOf(doc);
  if (index < 0) return;
  docs.splice(index, 1);
  if (doc === state.current) {
    state.current = null;
    if (docs.length) select(docs[Math.min(index, docs.length - 1)]);
    else newDocument();
  } else {
    renderFileList();
  }
}

export function newDocument() {
  const doc = newDoc({ name: "Untitled.md", text: "", kind: "new" });
  docs.push(doc);
  select(doc);
  editor.focus();
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

export async function openSample(path) {
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

$("#new-doc").addEventListener("click", () => newDocument());
