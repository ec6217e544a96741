// How many Markdown posts of ../shared/corpus carry raw HTML beyond
// comments: the share bench/corpus.mjs gives its generated posts (issue 18
// splits the Markdown class on it, because a body whose only raw HTML is
// comments may take a fast path without the sanitizer).
//
//   node bench/raw-html-share.mjs [CORPUS_DIR]   (default ../shared/corpus)
//
// Needs pkg/ (make pkg). A file counts as a Markdown post when our own
// detection says its body is Markdown (`bodyFormat`). Its body is the text
// after the front matter our render found (`frontMatter.raw`), tokenized by
// markdown-it, a CommonMark parser: raw HTML is an `html_block` or
// `html_inline` token, as pulldown-cmark's Html and InlineHtml events; a
// token that is only comments (`<!-- more -->`) does not count. Code spans,
// code blocks and autolinks are not raw HTML to either parser. Template
// tags (`{% %}`, `{{< >}}`) are counted apart: they may expand to HTML.
// The share bench/corpus.mjs uses is that of the blog posts, every folder
// but feed/: the feed bots' posts, raw HTML that our detection now often
// reads as Markdown, are what the generated news class stands for.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import MarkdownIt from "markdown-it";
import { render } from "../pkg/node.js";

const here = dirname(fileURLToPath(import.meta.url));
const dir = resolve(process.argv[2] ?? join(here, "../../shared/corpus"));
const md = new MarkdownIt({ html: true });

const files = [];
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (!(d === dir && e.name === "README.md")) files.push(p);
  }
};
walk(dir);

/** Raw HTML of a token's content with its comments taken out (empty: comments only). */
const beyondComments = (html) => html.replace(/<!--[\s\S]*?(-->|$)/g, "").trim();

/** The tag names of the raw HTML a Markdown body carries, beyond comments. */
function rawTags(body) {
  const tags = [];
  const visit = (tokens) => {
    for (const t of tokens) {
      if ((t.type === "html_block" || t.type === "html_inline") && beyondComments(t.content)) {
        const name = /^<\/?([A-Za-z][A-Za-z0-9-]*)/.exec(beyondComments(t.content))?.[1]?.toLowerCase() ?? "(other)";
        tags.push(name);
      }
      if (t.children) visit(t.children);
    }
  };
  visit(md.parse(body, {}));
  return tags;
}

/** The body: what follows the front matter's closing fence, or the whole text. */
function bodyOf(text, raw) {
  if (raw === null || raw === undefined) return text;
  const at = text.indexOf(raw);
  if (at < 0) return text;
  const rest = text.slice(at + raw.length);
  // The closing fence (`---`, `+++`) or, for JSON front matter, nothing.
  return rest.replace(/^\r?\n?(---|\+\+\+|\.\.\.)[ \t]*(\r?\n|$)/, "");
}

const byFolder = {};
const tagCount = {};
let total = 0;
let withHtml = 0;
let withTemplates = 0;
for (const path of files) {
  const text = readFileSync(path).toString("utf8");
  const folder = relative(dir, path).split("/")[0];
  const f = (byFolder[folder] ??= { files: 0, markdown: 0, rawHtml: 0 });
  f.files++;
  const out = render(text);
  if (out.bodyFormat !== "markdown") continue;
  f.markdown++;
  total++;
  const body = bodyOf(text, out.frontMatter?.raw);
  const tags = rawTags(body);
  if (tags.length) {
    f.rawHtml++;
    withHtml++;
    if (folder !== "feed") for (const t of new Set(tags)) tagCount[t] = (tagCount[t] ?? 0) + 1;
  } else if (/\{%[\s\S]*?%\}|\{\{<[\s\S]*?>\}\}|\{\{%[\s\S]*?%\}\}/.test(body)) {
    withTemplates++;
  }
}

const pct = (a, b) => `${((100 * a) / b).toFixed(1)} %`;
console.log(`${relative(process.cwd(), dir) || dir}: ${files.length} files, ${total} with a Markdown body (our detection)`);
for (const [folder, f] of Object.entries(byFolder)) {
  console.log(`  ${folder.padEnd(6)} ${String(f.files).padStart(4)} files, ${String(f.markdown).padStart(4)} Markdown, ${String(f.rawHtml).padStart(4)} with raw HTML beyond comments`);
}
console.log(`Markdown posts with raw HTML beyond comments: ${withHtml} of ${total} (${pct(withHtml, total)})`);
const blog = Object.entries(byFolder).filter(([folder]) => folder !== "feed").map(([, f]) => f);
const blogMd = blog.reduce((n, f) => n + f.markdown, 0);
const blogHtml = blog.reduce((n, f) => n + f.rawHtml, 0);
console.log(`blog posts (every folder but feed/): ${blogHtml} of ${blogMd} (${pct(blogHtml, blogMd)}): the share bench/corpus.mjs generates`);
console.log(`of the others, with template tags that may expand to HTML: ${withTemplates} (${pct(withTemplates, total)})`);
const top = Object.entries(tagCount).sort((a, b) => b[1] - a[1]).slice(0, 16);
console.log(`blog posts per tag name: ${top.map(([t, n]) => `${t} ${n}`).join(", ")}`);
