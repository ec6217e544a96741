// No bundler: import the package's browser entry straight from node_modules.
import init, { loadTransliterator, render } from "./node_modules/article-render/article_render.js";

await init();
const source = await (await fetch("./fixture.md")).text();
const rendered = render(source);
document.querySelector("#out").textContent = rendered.meta.title;
// The sanitized fragment is the only HTML this page inserts.
document.querySelector("#body").innerHTML = rendered.html;

// Zola's heading ids need the transliterator, a second module loaded on demand.
const zola = "+++\ntitle = \"Notes\"\n+++\n## Привет, мир\n";
const before = render(zola, { generator: "zola" });
await loadTransliterator();
const after = render(zola, { generator: "zola" });
document.body.dataset.zola = JSON.stringify([before.toc[0].id, after.toc[0].id,
  after.diagnostics.some((d) => d.code === "outline.not-transliterated")]);
document.body.dataset.done = "";
