// Math and code in the article frame, done by the page after the body is in.
//
// The library leaves TeX in <span class="math math-inline|math-display">
// and code in <pre><code class="language-x">. The page typesets them here,
// in its own context (the frame runs no script), with code from its own
// origin (www/vendor/, built by scripts/vendor.mjs), loaded only when a
// document has math or code, and only the languages it uses. Neither touches
// an HTML sink: KaTeX builds DOM nodes, and highlight.js's HTML (escaped text
// in <span class="hljs-…">) is rebuilt as nodes by buildHighlight, which
// refuses anything else. Work goes in slices of a few milliseconds so a long
// article never blocks the page.

const VENDOR = new URL("vendor/", import.meta.url);

// KaTeX's settings for untrusted input: no \href/\includegraphics (trust),
// non-standard LaTeX is an error (strict), bounded sizes and macro expansion.
const KATEX_OPTIONS = { throwOnError: true, trust: false, strict: "error", maxSize: 20, maxExpand: 500, output: "htmlAndMathml" };

let katex = null;
let hljs = null;
const languages = new Map(); // file name -> Promise<boolean> (registered?)
let known = new Set(); // the languages highlight.js has (scripts/vendor.mjs lists them)

/** A yield that lets the browser draw between slices. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
const SLICE_MS = 8;

/** Links a style sheet of the page's origin into the frame once. */
function ensureStylesheet(fdoc, href) {
  if (fdoc.head.querySelector(`link[data-vendor="${href}"]`)) return;
  const link = fdoc.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL(href, VENDOR).href;
  link.dataset.vendor = href;
  fdoc.head.append(link);
}

/**
 * Typesets every math span of the frame with KaTeX. Returns the number
 * typeset; stops early (returning -1) once `current()` turns false.
 */
export async function typesetMath(fdoc, current) {
  const spans = [...fdoc.body.querySelectorAll(".math:not(.typeset):not(.math-error)")];
  if (!spans.length) return 0;
  ensureStylesheet(fdoc, "katex/katex.min.css");
  katex ??= (await import(new URL("katex/katex.mjs", VENDOR).href)).default;
  let done = 0;
  let deadline = performance.now() + SLICE_MS;
  for (const span of spans) {
    if (!current()) return -1;
    const tex = span.textContent;
    try {
      katex.render(tex, span, { ...KATEX_OPTIONS, displayMode: span.classList.contains("math-display") });
      span.classList.add("typeset");
      done++;
    } catch (error) {
      // Shown as the TeX it is, in the error colour, with KaTeX's reason.
      span.textContent = tex;
      span.classList.add("math-error");
      span.title = String(error?.message ?? error);
    }
    if (performance.now() > deadline) {
      await nextTask();
      deadline = performance.now() + SLICE_MS;
    }
  }
  return done;
}

// Names authors put after ``` that highlight.js files under another name.
const ALIASES = {
  js: "javascript", jsx: "javascript", mjs: "javascript", cjs: "javascript", node: "javascript",
  ts: "typescript", tsx: "typescript", py: "python", py3: "python", sh: "bash", zsh: "bash",
  console: "shell", shellsession: "shell", yml: "yaml", toml: "ini", conf: "ini", cfg: "ini",
  html: "xml", xhtml: "xml", svg: "xml", vue: "xml", rss: "xml", atom: "xml", "c++": "cpp",
  cc: "cpp", cxx: "cpp", hpp: "cpp", h: "c", rs: "rust", golang: "go", kt: "kotlin", cs: "csharp",
  "c#": "csharp", rb: "ruby", md: "markdown", mkd: "markdown", ps: "powershell", ps1: "powershell",
  objc: "objectivec", tex: "latex", docker: "dockerfile", patch: "diff", jsonc: "json", json5: "json",
  text: "plaintext", txt: "plaintext", plain: "plaintext", vim: "vim", proto: "protobuf", gql: "graphql",
};
// Longer blocks stay plain: one highlight call is one task, and must stay short.
const MAX_BLOCK = 40_000;

function languageFile(name) {
  const lower = name.toLowerCase();
  const file = ALIASES[lower] ?? lower;
  return /^[a-z0-9][a-z0-9-]*$/.test(file) ? file : null;
}

function loadLanguage(file) {
  if (!known.has(file)) return false;
  if (!languages.has(file)) {
    languages.set(
      file,
      import(new URL(`highlight/languages/${file}.js`, VENDOR).href).then(
        (module) => (hljs.registerLanguage(file, module.default), true),
        () => false, // could not load: the block stays plain
      ),
    );
  }
  return languages.get(file);
}

/** Highlights every `language-*` code block of the frame. */
export async function highlightCode(fdoc, current) {
  const blocks = [...fdoc.body.querySelectorAll('pre > code[class*="language-"]:not([data-highlighted])')];
  if (!blocks.length) return 0;
  if (!hljs) {
    const [core, list] = await Promise.all([import(new URL("highlight/core.js", VENDOR).href), import(new URL("highlight/languages.js", VENDOR).href)]);
    hljs = core.default;
    known = new Set(list.default);
  }
  let done = 0;
  let deadline = performance.now() + SLICE_MS;
  for (const code of blocks) {
    if (!current()) return -1;
    code.dataset.highlighted = "no";
    const name = /(?:^|\s)language-(\S+)/.exec(code.className)?.[1];
    const file = name && languageFile(name);
    const text = code.textContent;
    if (!file || file === "plaintext" || text.length > MAX_BLOCK || !(await loadLanguage(file))) continue;
    if (!current()) return -1;
    const nodes = buildHighlight(fdoc, hljs.highlight(text, { language: file, ignoreIllegals: true }).value);
    if (nodes && nodes.textContent === text) {
      code.replaceChildren(nodes);
      code.dataset.highlighted = "yes";
      done++;
    }
    if (performance.now() > deadline) {
      await nextTask();
      deadline = performance.now() + SLICE_MS;
    }
  }
  return done;
}

const ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&#39;": "'" };

/**
 * highlight.js's output as DOM nodes, without an HTML parser: it is text
 * (with the five escapes) and <span class="hljs-…"> … </span>, nothing
 * else. Anything else returns null and the block stays as it was.
 */
function buildHighlight(fdoc, html) {
  const root = fdoc.createDocumentFragment();
  const stack = [root];
  const token = /<span class="([a-z0-9_ -]+)">|<\/span>|[^<&]+|&(?:amp|lt|gt|quot|#x27|#39);/gy;
  let at = 0;
  for (let m; at < html.length && (m = token.exec(html)); at = token.lastIndex) {
    const [whole, classes] = m;
    const top = stack[stack.length - 1];
    if (classes !== undefined) {
      const span = fdoc.createElement("span");
      span.className = classes;
      top.append(span);
      stack.push(span);
    } else if (whole === "</span>") {
      if (stack.length === 1) return null;
      stack.pop();
    } else {
      top.append(ENTITIES[whole] ?? whole);
    }
  }
  return at === html.length && stack.length === 1 ? root : null;
}
