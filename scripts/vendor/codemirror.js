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
import { Annotation, Compartment, EditorSelection, EditorState } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
  placeholder,
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

/** The language for a source: Markdown with YAML front matter and HTML. */
function languageFor(text, name) {
  if (text.length > HIGHLIGHT_LIMIT) return [];
  if (/\.html?$/i.test(name ?? "")) return html();
  return yamlFrontmatter({ content: markdown() });
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
