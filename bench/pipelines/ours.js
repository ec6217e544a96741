// article-render, as a page ships it: the npm package's entry and its .wasm.
import init, { render } from "../../pkg/article_render.js";

export const name = "article-render";
export const prepare = () => init();
// Detection, front matter, templates, Markdown, sanitizing, outline: all ours.
export const run = (source) => render(source);
/** The HTML of a result, for checks outside the timed loops. */
export const htmlOf = (result) => result.html;
