// The source pane's editor: CodeMirror 6 (www/vendor/codemirror.js, built
// from scripts/vendor/codemirror.js) with line numbers, Markdown + YAML
// front matter + HTML colouring, search (Ctrl+F), and the library's
// diagnostics as gutter markers. A document's text lives in the editor while
// it is open; doc.text is brought up to date (syncText) only when something
// needs it (a render, an export, switching files), so typing in 5 MB never
// copies 5 MB per key.
import { createEditor } from "./vendor/codemirror.js";
import { docs, newDoc, state, ui } from "./common.js";
import { renderFileList } from "./files.js";
import { scheduleRender } from "./render.js";
import { showPane } from "./views.js";

// In a shadow root: there CodeMirror adopts its styles as a constructed
// style sheet instead of adding a <style> element, which the CSP refuses.
const shadow = ui.editorHost.attachShadow({ mode: "open" });
const sheet = document.createElement("link");
sheet.rel = "stylesheet";
sheet.href = "editor.css";
const mount = document.createElement("div");
mount.className = "editor-mount";
shadow.append(sheet, mount);

export const editor = createEditor(mount, {
  root: shadow,
  label: "Article source",
  hint: "Paste an article: front matter and a Markdown or HTML body.",
  onChange: edited,
});
// For the page tests (tests/page/check.mjs), which read and set the text.
ui.editorHost.editor = editor;

/** Brings the current document's text up to date with the editor. */
export function syncText(doc = state.current) {
  if (doc && doc === state.current && doc.stale) {
    doc.text = editor.text();
    doc.stale = false;
  }
  return doc?.text ?? "";
}

/** Shows a document in the editor, where the reader left it. */
export function showInEditor(doc, previous) {
  if (previous && previous !== doc) {
    syncText(previous);
    previous.selection = [...editor.selection(), editor.scrollTop()];
  }
  editor.setText(doc.text, doc.name, doc.selection);
  if (doc.selection) editor.setScrollTop(doc.selection[2]);
  if (doc.rendered) editor.setDiagnostics(doc.rendered.diagnostics);
  // After the frame that shows it (the page tests measure from here).
  requestAnimationFrame(() => setTimeout(() => performance.mark("editor-shown", { detail: doc.name })));
}

function edited() {
  // Editing a sample makes a new document: the sample stays as it was, and
  // what is typed or pasted is not treated as this site's file (its name,
  // the downloads' names, its relative images are not this site's).
  if (!state.current || state.current.kind === "sample") {
    const from = state.current;
    state.current = newDoc({ name: "Untitled.md", text: "", kind: "new" });
    docs.splice(from ? docs.indexOf(from) + 1 : docs.length, 0, state.current);
    ui.sample.value = "";
    renderFileList();
  }
  const doc = state.current;
  doc.stale = true;
  doc.version++;
  doc.bytes = editor.length(); // refined (UTF-8 bytes) when it renders
  scheduleRender();
}

/** Selects the line in the editor and scrolls it into view. */
export function goToLine(line) {
  showPane("source");
  editor.goToLine(line);
  ui.editorHost.scrollIntoView({ block: "nearest" });
}
