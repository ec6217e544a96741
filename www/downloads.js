// Copy HTML, the .html and .json downloads: one result for all three.
import { $, currentOptions, element, escapeHtml, formatDate, guessLang, toast, ui } from "./common.js";
import { syncText } from "./editor.js";
import { shownDoc, shownRendered } from "./render.js";
import { selectTab } from "./views.js";
import { callWorker, withHtml, workerVersion } from "./worker-client.js";

/**
 * What Copy HTML, .html and .json give: the same result for all three. "with
 * images" (the default) is the article rendered with images: "load", so
 * its images have a real src wherever the HTML goes; "as shown" is the
 * result on screen (with images blocked, their URLs wait in data-src).
 */
async function exportRendered() {
  const doc = shownDoc;
  if (!doc || !shownRendered) return null;
  if ($("#export-images").value === "shown" || ui.images.value === "load") return shownRendered;
  const reply = await callWorker({ type: "render", source: syncText(doc), options: { ...currentOptions(doc), images: "load" } });
  if (reply.type !== "rendered") throw new Error(reply.message);
  return withHtml(reply);
}

$("#copy-html").addEventListener("click", async () => {
  const rendered = await exportRendered().catch((error) => toast(error.message));
  if (!rendered) return;
  try {
    await navigator.clipboard.writeText(rendered.html);
    toast("Copied the sanitized HTML");
  } catch {
    // No clipboard permission: select the HTML view so Ctrl+C copies it.
    selectTab($("#tab-html"));
    getSelection().selectAllChildren(ui.htmlCode);
    toast("Press Ctrl+C (⌘C) to copy the selected HTML");
  }
});

function baseName(doc) {
  return (doc.name.replace(/\.[^.]+$/, "") || "article").replace(/[^\p{L}\p{N}._-]+/gu, "-");
}

function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = element("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

$("#download-json").addEventListener("click", async () => {
  const rendered = await exportRendered().catch((error) => toast(error.message));
  if (rendered) download(`${baseName(shownDoc)}.json`, "application/json", `${JSON.stringify(rendered, null, 2)}\n`);
});

// The .html file is the article itself, read later without this page,
// under its own strict CSP.
$("#download-html").addEventListener("click", async () => {
  const doc = shownDoc;
  const rendered = await exportRendered().catch((error) => toast(error.message));
  if (rendered) download(`${baseName(doc)}.html`, "text/html", await standaloneDocument(rendered));
});

let articleCss = null;

/** article.css, the same sheet as the frame's, inlined in the download. */
async function standaloneCss() {
  articleCss ??= (await (await fetch("article.css")).text()).trim();
  return articleCss;
}

async function sha256(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/** A page that stands alone: the metadata as escaped <meta> tags, its own CSP. */
async function standaloneDocument(rendered) {
  const { meta } = rendered;
  const css = await standaloneCss();
  const lang = guessLang(rendered);
  // The one style element by its hash: the article needs no other style.
  const csp = `default-src 'none'; img-src https: http: data:; style-src 'sha256-${await sha256(`\n${css}\n`)}'; base-uri 'none'; form-action 'none'`;
  const tags = [];
  const tag = (attr, key, value) => value && tags.push(`<meta ${attr}="${escapeHtml(key)}" content="${escapeHtml(value)}">`);
  tag("name", "author", meta.author);
  tag("name", "description", meta.description ?? rendered.excerpt);
  tag("name", "keywords", meta.tags.join(", "));
  tag("name", "generator", `article-render ${workerVersion ?? ""}`.trim());
  tag("property", "og:type", "article");
  tag("property", "og:title", meta.title);
  tag("property", "og:image", meta.cover);
  tag("property", "article:published_time", meta.date);
  tag("property", "article:modified_time", meta.updated);
  tag("property", "article:author", meta.author);
  for (const category of meta.categories) tag("property", "article:section", category);
  for (const t of meta.tags) tag("property", "article:tag", t);
  const byline = [meta.author, meta.date && formatDate(meta.date)].filter(Boolean).map(escapeHtml).join(" · ");
  const cover = meta.cover ? `<img class="standalone-cover" src="${escapeHtml(meta.cover)}" alt="" referrerpolicy="no-referrer">\n` : "";
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(meta.title ?? "Untitled")}</title>
${tags.join("\n")}
<style>
${css}
</style>
</head>
<body class="article standalone">
<main>
<article>
<header>
${cover}<h1 class="standalone-title">${escapeHtml(meta.title ?? "Untitled")}</h1>
${byline ? `<p class="standalone-byline">${byline}</p>` : ""}
</header>
${rendered.html}
</article>
</main>
</body>
</html>
`;
}
