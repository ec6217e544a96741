// The browser's own parser, the floor of any DOM-based sanitizer: parse the
// HTML that article-render sanitizes, serialize it back. No front matter, no
// Markdown, no policy: a baseline, not a pipeline.
export const name = "DOMParser + innerHTML (baseline)";
const parser = new DOMParser();
export async function prepare() {}
/** `html` is the HTML article-render's sanitizer receives for the document. */
export function run(html) {
  return parser.parseFromString(html, "text/html").body.innerHTML;
}
export const htmlOf = (result) => result;
