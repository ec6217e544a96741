// Cold start: from navigation (performance.now() counts from it) to the
// first rendered result in the page, in a fresh browser context each time
// (no HTTP cache, no compiled-code cache). The article is fetched in
// parallel with the pipeline's code, as a page would.
const p = new URLSearchParams(location.search).get("p");
const article = fetch("./cold-doc.md").then((r) => r.text());
const marks = {};
let html;
if (p === "empty") {
  html = (await article).length ? "" : "?";
  marks.imported = marks.prepared = performance.now();
} else {
  const [pipeline, source] = await Promise.all([import(`./build/${p}/${p}.js`), article]);
  marks.imported = performance.now();
  await pipeline.prepare(); // ours: fetch, compile and instantiate the wasm
  marks.prepared = performance.now();
  html = pipeline.htmlOf(pipeline.run(source, "markdown"));
  marks.done = performance.now();
  // Not part of the cold start: the same render again, warm, so the first
  // render's one-time cost (lazy compilation, first allocations) shows.
  pipeline.run(source, "markdown");
  marks.second = performance.now() - marks.done;
}
marks.done ??= performance.now();
marks.htmlLength = html.length;
window.coldMarks = marks;
