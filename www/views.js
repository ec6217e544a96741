// The output's other views (HTML, Metadata, Diagnostics), the tabs between
// them, and the source/article switch of phones.
import { $, element, formatBytes, ui } from "./common.js";
import { goToLine } from "./editor.js";
import { shownRendered } from "./render.js";

const HTML_VIEW_LIMIT = 200 * 1024;

export function refreshCodeViews() {
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

const SEVERITY = { error: 0, warning: 1, info: 2 };

export function showDiagnostics(diagnostics) {
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

const tabs = [...document.querySelectorAll('[role="tab"]')];

export function selectTab(tab, focus = false) {
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
export function showPane(which) {
  ui.workspace.dataset.show = which;
  $("#show-source").setAttribute("aria-pressed", String(which === "source"));
  $("#show-article").setAttribute("aria-pressed", String(which === "article"));
}

$("#show-source").addEventListener("click", () => showPane("source"));

$("#show-article").addEventListener("click", () => showPane("article"));
