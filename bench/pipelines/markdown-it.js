// js-yaml + markdown-it + DOMPurify: what a page uses without article-render.
import DOMPurify from "dompurify";
import MarkdownIt from "markdown-it";
import { splitFrontMatter } from "./front-matter.js";

const md = new MarkdownIt({ html: true });

export const name = "js-yaml + markdown-it + DOMPurify";
export async function prepare() {}
/** `hint` is article-render's body format for the same file ("html" or "markdown"). */
export function run(source, hint) {
  const { data, body } = splitFrontMatter(source);
  const html = hint === "html" ? body : md.render(body);
  return { meta: data, html: DOMPurify.sanitize(html) };
}
export const htmlOf = (result) => result.html;
/** The HTML before sanitizing: the DOMParser baseline's input for Markdown bodies. */
export function unsafeHtml(source, hint) {
  const { body } = splitFrontMatter(source);
  return hint === "html" ? body : md.render(body);
}
