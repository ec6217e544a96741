// No bundler: import the package's browser entry straight from node_modules.
import init, { render } from "./node_modules/article-render/article_render.js";

await init();
const source = await (await fetch("./fixture.md")).text();
const rendered = render(source);
document.querySelector("#out").textContent = rendered.meta.title;
// The sanitized fragment is the only HTML this page inserts.
document.querySelector("#body").innerHTML = rendered.html;
document.body.dataset.done = "";
