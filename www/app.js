// article-render's page: a few small ES modules, no framework. This one
// holds the security boundary and starts the rest:
//   common.js         elements, open documents, options, formatting
//   worker-client.js  the render worker (worker.js) and its memory
//   render.js         when to render, the header and the status line
//   frame.js          the article frame, its images, the contents, scrolling
//   enhance.js        math (KaTeX) and code (highlight.js) in the frame
//   editor.js         the source editor
//   files.js          open files, the posts index, samples, drop, New
//   views.js          HTML / Metadata / Diagnostics views and the tabs
//   downloads.js      Copy HTML, .html and .json
//
// Where the article's content goes, and why it is safe:
// - metadata (title, author, dates, chips, table of contents) is written with
//   textContent and setAttribute, never parsed as HTML;
// - the sanitized body is the only HTML inserted, and only into the
//   script-less frame (see showBody in frame.js);
// - the page's CSP requires Trusted Types, and the one policy below passes
//   nothing but the frame's constant skeleton and strings that came out of
//   the library's render() in the worker.
// Rendering and decoding run in worker.js, so typing never waits for them.

import { $ } from "./common.js";
import { newDocument, openSample } from "./files.js";
import { startFrame } from "./frame.js";
import { status } from "./render.js";
import { startWorker, workerReady, workerVersion } from "./worker-client.js";
import "./downloads.js";
import "./editor.js";
import "./views.js";

// ------------------------------------------------------------ Trusted Types
const FRAME_SKELETON =
  '<!doctype html><html class="frame"><head><meta charset="utf-8">' +
  // The frame also inherits the page's policy; this one says it on its own.
  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data: https: http:; base-uri 'none'; form-action 'none'\">" +
  '<meta name="referrer" content="no-referrer"><meta name="color-scheme" content="light dark">' +
  '<link rel="stylesheet" href="article.css"><link rel="stylesheet" href="frame.css"></head><body class="article"></body></html>';
const WORKER_URL = "worker.js";

// Strings the worker returned from render(): the only HTML the policy passes.
const sanitizedOutput = new Set();
const trusted = (() => {
  const rules = {
    createHTML(html) {
      if (html === FRAME_SKELETON) return html;
      if (sanitizedOutput.has(html)) return html;
      throw new TypeError("article-render policy: not the library's sanitized output");
    },
    createScriptURL(url) {
      if (url === WORKER_URL) return url;
      throw new TypeError(`article-render policy: not the page's worker: ${url}`);
    },
  };
  return globalThis.trustedTypes?.createPolicy("article-render", rules) ?? rules;
})();

// tests/browser-attacks/check.mjs reads `const FRAME_SKELETON = …;` from
// this file as written, so the exports are listed apart.
export { FRAME_SKELETON, WORKER_URL, sanitizedOutput, trusted };

// -------------------------------------------------------------------- start
startWorker();
startFrame();
workerReady.then(
  () => ($("#version").textContent = `v${workerVersion}`),
  (error) => status([["error", `The renderer failed to load: ${error.message}`]]),
);
openSample("samples/jiangnan-bus.md").catch((error) => {
  status([["error", `Could not load the sample: ${error.message}`]]);
  newDocument();
});
