// A Vite user's code: the bundler finds the wasm through the package's
// `new URL("article_render_bg.wasm", import.meta.url)` and emits it as an asset.
import init, { render } from "article-render";
import source from "./fixture.md?raw";

await init();
const rendered = render(source);
document.querySelector("#out").textContent = rendered.meta.title;
// The sanitized fragment is the only HTML this page inserts.
document.querySelector("#body").innerHTML = rendered.html;
document.body.dataset.done = "";
