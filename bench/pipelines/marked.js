// js-yaml + marked + DOMPurify: the other common JavaScript pipeline.
import DOMPurify from "dompurify";
import { Marked } from "marked";
import { splitFrontMatter } from "./front-matter.js";

const marked = new Marked({ gfm: true, async: false });

export const name = "js-yaml + marked + DOMPurify";
export async function prepare() {}
/** `hint` is article-render's body format for the same file ("html" or "markdown"). */
export function run(source, hint) {
  const { data, body } = splitFrontMatter(source);
  const html = hint === "html" ? body : marked.parse(body);
  return { meta: data, html: DOMPurify.sanitize(html) };
}
export const htmlOf = (result) => result.html;
