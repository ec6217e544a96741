// The page's source editor: CodeMirror 6 with what the page needs, bundled
// by scripts/vendor.mjs into www/vendor/codemirror.js (CodeMirror is
// published as many small packages with bare imports, which a browser
// cannot resolve without a bundler). www/editor.js is the page's side.
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { html } from "@codemirror/lang-html";
import { markdown } from "@codemirror/lang-markdown";
import { yamlFrontmatter } from "@codemirror/lang-yaml";
import { bracketMatching, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { Annotation, Compartment, EditorSelection, EditorState, RangeSetBuilder } from "@codemirror/state";
import {
  Decoration,
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
  placeholder,
  ViewPlugin,
} from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";

// Above this size the source is plain text: the parser works in idle slices,
// but colouring megabytes buys nothing and costs memory and main-thread time.
const HIGHLIGHT_LIMIT = 1024 * 1024;

// Tokens get classes (tok-heading, tok-string, …) that the page's
// editor.css colours for light and dark, so the colours follow the scheme
// as it changes.
// Marks the page's own edits (opening a file), which are not the reader's.
const fromPage = Annotation.define();

// TOML front matter (Hugo and Zola's +++ … +++): no Lezer grammar handles
// it inside Markdown, so its visible lines get token classes from a small
// line tokenizer: tables, keys, strings, numbers and dates, booleans,
// comments.
const TOML_TOKEN =
  /(#.*$)|("(?:[^"\\]|\\.)*"|'[^']*')|\b(true|false)\b|\b(\d[\d_:.TZ+-]*)|(?<=^\s*)(\[\[?[^\]]*\]\]?)|([A-Za-z0-9_-]+|"[^"]*")(?=\s*(?:\.[^=]*)?=)/g;
const TOML_CLASS = ["tok-comment", "tok-string", "tok-bool", "tok-number", "tok-heading", "tok-propertyName"];

function tomlDecorations(view) {
  const doc = view.state.doc;
  if (doc.lines < 2 || doc.line(1).text.trim() !== "+++") return Decoration.none;
  const builder = new RangeSetBuilder();
  const meta = Decoration.mark({ class: "tok-meta" });
  const end = view.viewport.to;
  for (let n = 1; n <= doc.lines; n++) {
    const line = doc.line(n);
    if (line.from > end) break;
    if (n === 1 || line.text.trim() === "+++") {
      if (line.to > line.from) builder.add(line.from, line.to, meta);
      if (n > 1) break;
      continue;
    }
    for (const m of line.text.matchAll(TOML_TOKEN)) {
      const kind = m.slice(1).findIndex((g) => g !== undefined);
      if (kind < 0 || !m[0]) continue;
      builder.add(line.from + m.index, line.from + m.index + m[0].length, Decoration.mark({ class: TOML_CLASS[kind] }));
    }
  }
  return builder.finish();
}

const tomlFrontMatter = ViewPlugin.fromClass(
  class {
    constructor(view) {
      this.decorations = tomlDecorations(view);
    }
    update(update) {
      if (update.docChanged || update.viewportChanged) this.decorations = tomlDecorations(update.view);
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

/** The language for a source: Markdown with YAML front matter and HTML. */
function languageFor(text, name) {
  if (text.length > HIGHLIGHT_LIMIT) return [];
  if (/\.html?$/i.test(name ?? "")) return html();
  return [yamlFrontmatter({ content: markdown() }), tomlFrontMatter];
}

/**
 * An editor in `parent`, inside `root` (a shadow root, where CodeMirror's
 * styles are adopted rather than put in a <style> element). `onChange()`
 * runs after each edit of the reader's. Returns the
 * small API the page uses.
 */
export function createEditor(parent, { root, onChange, label, hint }) {
  const language = new Compartment();
  let plain = false; // colouring off for a huge text
  let fileName = null;
  const view = new EditorView({
    parent,
    root,
    state: EditorState.create({
      doc: "",
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        bracketMatching(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        search({ top: true }),
        lintGutter(),
        EditorView.lineWrapping,
        syntaxHighlighting(classHighlighter),
        // No Tab binding: Tab moves the focus on, as everywhere else on the page.
        keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap]),
        placeholder(hint),
        language.of([]),
        EditorView.contentAttributes.of({ "aria-label": label, spellcheck: "false", autocapitalize: "off", autocorrect: "off" }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          // A paste that makes the text huge turns the colouring off (after
          // this update: an update may not dispatch another).
          const huge = update.state.doc.length > HIGHLIGHT_LIMIT;
          if (huge !== plain) {
            plain = huge;
            const text = huge ? "" : update.state.doc.sliceString(0, 4096);
            setTimeout(() => view.dispatch({ effects: language.reconfigure(huge ? [] : languageFor(text, fileName)) }));
          }
          if (!update.transactions.every((t) => t.annotation(fromPage))) onChange();
        }),
      ],
    }),
  });
  return {
    view,
    /** The whole text (a string made on demand: the editor keeps a tree). */
    text: () => view.state.doc.toString(),
    length: () => view.state.doc.length,
    /** Replaces the document (a new file): no undo across documents. */
    setText(text, name, selection = null) {
      fileName = name;
      plain = text.length > HIGHLIGHT_LIMIT;
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: text },
        selection: selection ? EditorSelection.create([EditorSelection.range(selection[0], selection[1])]) : { anchor: 0 },
        effects: language.reconfigure(languageFor(text, name)),
        annotations: fromPage.of(true),
        scrollIntoView: true,
      });
      view.dispatch(setDiagnostics(view.state, []));
    },
    selection: () => [view.state.selection.main.anchor, view.state.selection.main.head],
    scrollTop: () => view.scrollDOM.scrollTop,
    setScrollTop: (top) => (view.scrollDOM.scrollTop = top),
    focus: () => view.focus(),
    /** The library's diagnostics as markers in the gutter and the text. */
    setDiagnostics(list) {
      const doc = view.state.doc;
      const marks = list
        .filter((d) => d.line != null && d.line >= 1 && d.line <= doc.lines)
        .map((d) => {
          const line = doc.line(d.line);
          return { from: line.from, to: line.to, severity: d.severity, message: `${d.code}: ${d.message}` };
        });
      view.dispatch(setDiagnostics(view.state, marks));
    },
    /** Selects a 1-based line and scrolls it to the upper third. */
    goToLine(n) {
      const doc = view.state.doc;
      const line = doc.line(Math.max(1, Math.min(n, doc.lines)));
      view.dispatch({
        selection: { anchor: line.from, head: line.to },
        effects: EditorView.scrollIntoView(line.from, { y: "start", yMargin: view.scrollDOM.clientHeight / 3 }),
      });
      view.focus();
    },
  };
}
