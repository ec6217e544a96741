// A Vite user's code: the bundler finds the wasm through the package's
// `new URL("article_render_bg.wasm", import.meta.url)` and emits it as an asset.
import init, { loadTransliterator, render } from "article-render";
import source from "./fixture.md?raw";

await init();
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
