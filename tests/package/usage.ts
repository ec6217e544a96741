// Type-checked with `tsc --noEmit --strict` against the installed package's
// .d.ts: the declared shapes must allow what a user writes. Never run.
import init, { loadTransliterator, loadTransliteratorSync, render, version, type DiagnosticCode, type Options, type Rendered } from "article-render";

await init();

const options: Options = { format: "html", markdown: { math: false } };
const rendered: Rendered = render("# Hello", options);
const title: string | null = rendered.meta.title;
const id: string = rendered.toc[0].id;
const severity: "error" | "warning" | "info" = rendered.diagnostics[0].severity;
// Codes are a union generated from src/diagnostics.rs: a host can switch on them.
const code: DiagnosticCode = rendered.diagnostics[0].code;
const removed: boolean = code === "sanitize.removed-element";
const extra: unknown = rendered.meta.extra["__proto__"];
const v: string = version();

// Zola's transliteration: by default from the file beside the wasm, or
// from a URL, a Response, bytes, or (synchronously) a function giving bytes.
await loadTransliterator();
await loadTransliterator(new URL("https://example.com/article_render_translit.wasm"));
await loadTransliterator(fetch("/article_render_translit.wasm"));
loadTransliteratorSync(new Uint8Array(0));
loadTransliteratorSync(() => new Uint8Array(0));

// Options are optional, as README shows: `render(source)`.
const simple: Rendered = render("# Hello");

console.log(title, id, severity, removed, extra, v, simple.html);
