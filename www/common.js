// What every part of the page uses: its elements, the open documents, the
// render options from the controls, and small formatting helpers. It imports
// nothing, so any module can import it.

export const $ = (selector) => document.querySelector(selector);

export const ui = {
  editorHost: $("#source"),
  files: $("#file-list"),
  fileTools: $("#file-tools"),
  fileFilter: $("#file-filter"),
  fileSort: $("#file-sort"),
  fileCount: $("#file-count"),
  fileInput: $("#file-input"),
  sample: $("#sample"),
  format: $("#opt-format"),
  images: $("#opt-images"),
  baseUrl: $("#opt-baseUrl"),
  status: $("#status"),
  progress: $("#progress"),
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

/** Every loaded file, sample or pasted text (objects made by newDoc). */
export const docs = [];
/** What several modules change: the document in the editor, and whether
 * the frame is being filled. */
export const state = { current: null, filling: false };

let docSerial = 0;

export function newDoc({ name, text, encoding = "UTF-8", guessed = false, bytes = null, kind = "file" }) {
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

/** The render options from the controls; their names are the option keys. */
export function currentOptions(doc) {
  const options = { format: ui.format.value, images: ui.images.value };
  const base = ui.baseUrl.value.trim();
  if (base) options.baseUrl = base;
  if (doc?.kind === "file") options.fileName = doc.name;
  return options;
}

/** The article's language: its `lang`, or a guess from its letters (for fonts). */
export function guessLang(rendered) {
  const given = rendered.meta.lang;
  if (given && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(given)) return given;
  const text = `${rendered.meta.title ?? ""} ${rendered.excerpt}`;
  if (/[\u3040-\u30ff]/.test(text)) return "ja";
  if (/[\uac00-\ud7a3]/.test(text)) return "ko";
  if (/[\u4e00-\u9fff]/.test(text)) return "zh";
  return "en";
}

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
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
export function formatDate(value) {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return dateOnly.format(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$/.exec(value);
  if (m) return wallClock.format(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0)));
  const date = new Date(value);
  const offset = /(Z|[+-]\d{2}:\d{2})$/i.exec(value)?.[1].toUpperCase();
  return Number.isNaN(date.valueOf()) ? value : formatInstant(date, offset ?? "Z");
}

export function timeElement(value, original) {
  const time = element("time", null, formatDate(value));
  time.dateTime = value;
  time.title = original && original !== value ? `${original}  (${value})` : value;
  return time;
}

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

let toastTimer = 0;

export function toast(message) {
  ui.toast.textContent = message;
  ui.toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (ui.toast.hidden = true), 2600);
}

export const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
