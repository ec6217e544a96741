#!/usr/bin/env bash
# Builds the npm package `article-render` into pkg/: release wasm, the pinned
# wasm-bindgen, wasm-opt from npm's binaryen, and entry points for the
# browser, bundlers and Node. Installs what it needs; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
# The wasm-bindgen CLI must be the version of the crate in Cargo.lock.
bindgen=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"/\1/p;}' Cargo.lock)
[ -n "$bindgen" ] || { echo "pkg: no wasm-bindgen in Cargo.lock" >&2; exit 1; }

rustup target add wasm32-unknown-unknown >/dev/null
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen" ]; then
  # Not --locked: its lock file names a webpki-roots version the registry lacks.
  cargo install wasm-bindgen-cli --version "$bindgen"
fi
[ -x node_modules/.bin/wasm-opt ] || npm install --no-audit --no-fund

# `cargo rustc --crate-type cdylib`, not `cargo build --lib`: cargo does not
# pass `-C lto` to a lib whose crate-type includes "rlib", so only this line
# gives the wasm the fat LTO that Cargo.toml's release profile is chosen for
# (its opt-levels assume it; bench/SIZE.md). Same output file, same profile.
cargo rustc --lib --release --target wasm32-unknown-unknown --crate-type cdylib
rm -rf pkg && mkdir -p pkg
wasm-bindgen --target web --out-dir pkg \
  target/wasm32-unknown-unknown/release/article_render.wasm
# -O3 without memory-packing: that pass cuts the data segment at every run of
# zeros, saving raw bytes but costing 22 KB brotli (bench/SIZE.md, which also
# has the other flags measured). bench/size.sh and bench/floor/build.sh read
# this array.
# -ocimfs=1000: a function called from one place is inlined into its caller
# only up to binaryen's size 1000. Without a limit -O3 merged the pipeline
# into a few giants (the `render` export 159 KB, markdown::render 94 KB,
# Policy::pass 53 KB), and V8 compiles a function whole, on the main thread,
# at its first call: the cold start's first render was 89 % that lazy
# compilation (bench/COLD.md). With the limit the first render's lazy
# compilation takes 42 % less CPU (53.7 -> 31.3 ms), the wasm is 3.2 KB
# brotli smaller and the warm speed the same (-1 to -2 % CPU per class).
# 100 compiled no less and was 3-5 % slower on news.
# --enable-simd: the rustc flag of .cargo/config.toml.
wasm_opt_flags=(-O3 --skip-pass=memory-packing -ocimfs=1000
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue
  --enable-simd)
node_modules/.bin/wasm-opt "${wasm_opt_flags[@]}" pkg/article_render_bg.wasm -o pkg/article_render_bg.wasm

# Zola's transliteration (translit/, deunicode's tables): a module of its
# own that the binding loads only when asked (src/translit.js), so the
# renderer does not carry 130 KB brotli for one generator's heading ids.
# Plain C exports, no wasm-bindgen; it must import nothing. Without
# wasm-bindgen, which drops them from the main module, the DWARF sections
# (50 KB) are wasm-opt's to strip.
cargo rustc -p article-render-translit --lib --release --target wasm32-unknown-unknown --crate-type cdylib
node_modules/.bin/wasm-opt "${wasm_opt_flags[@]}" --strip-debug --strip-producers \
  target/wasm32-unknown-unknown/release/article_render_translit.wasm -o pkg/article_render_translit.wasm
node --input-type=module -e '
  import { readFileSync } from "node:fs";
  const m = new WebAssembly.Module(readFileSync("pkg/article_render_translit.wasm"));
  const imports = WebAssembly.Module.imports(m).map((i) => `${i.module}.${i.name}`);
  const exports = WebAssembly.Module.exports(m).map((e) => e.name);
  const missing = ["memory", "input", "transliterate_input", "output"].filter((name) => !exports.includes(name));
  if (imports.length) throw new Error(`translit module imports ${imports}`);
  if (missing.length) throw new Error(`translit module lacks ${missing}`);
'

# wasm-bindgen's glue types name web types (RequestInfo, BufferSource, the
# WebAssembly namespace) that a Node project without the DOM lib lacks, so
# its .d.ts failed `tsc` with `lib: ["es2022"]` + @types/node. Each becomes
# a local alias: the global type where the project has it, a structural
# stand-in where it does not. Same types under the DOM lib.
node --input-type=module - <<'JS'
import { readFileSync, writeFileSync } from "node:fs";
const file = "pkg/article_render.d.ts";
let dts = readFileSync(file, "utf8");
const names = {
  "WebAssembly.Module": "WasmModule",
  "WebAssembly.Memory": "WasmMemory",
  "WebAssembly.Table": "WasmTable",
  RequestInfo: "WebRequestInfo",
  BufferSource: "WebBufferSource",
};
for (const [from, to] of Object.entries(names)) {
  dts = dts.replace(new RegExp(`(?<![\\w.])${from.replace(".", "\\.")}(?![\\w])`, "g"), (m, at, all) =>
    // Only in type positions: comments (lines starting with " *") keep the names.
    /^\s*\*/.test(all.slice(all.lastIndexOf("\n", at) + 1, at + 1)) ? m : to);
}
const global = (path, fallback) =>
  `typeof globalThis extends ${path.reduceRight((inner, key) => `{ ${key}: ${inner} }`, "new (...args: any[]) => infer T")} ? T : ${fallback}`;
const aliases = `
// Web types the glue below uses, so this file checks with or without the DOM
// lib (a Node project has no RequestInfo, BufferSource or WebAssembly types).
type WasmModule = ${global(["WebAssembly", "Module"], "object")};
type WasmMemory = ${global(["WebAssembly", "Memory"], "{ readonly buffer: ArrayBuffer }")};
type WasmTable = ${global(["WebAssembly", "Table"], "object")};
type WebRequestInfo = (${global(["Request"], "never")}) | string;
type WebBufferSource = ArrayBufferView | ArrayBuffer;
`;
const at = dts.indexOf("\nexport type InitInput");
if (at < 0) throw new Error("pkg.sh: wasm-bindgen's InitInput type moved; update the .d.ts fix");
writeFileSync(file, dts.slice(0, at) + aliases + dts.slice(at));
JS

# Node cannot `fetch` a file URL, so its entry loads the bytes synchronously:
# `import { render } from "article-render"` works with no init.
cat > pkg/node.js <<'JS'
import { readFileSync } from "node:fs";
import { initSync, loadTransliteratorSync } from "./article_render.js";

const exports = initSync({ module: readFileSync(new URL("./article_render_bg.wasm", import.meta.url)) });
// Zola's transliteration, read at the first heading that needs it.
loadTransliteratorSync(() => readFileSync(new URL("./article_render_translit.wasm", import.meta.url)));

export { render, version, initSync, loadTransliterator, loadTransliteratorSync } from "./article_render.js";
/** Already initialized in Node; kept so code written for the browser runs unchanged. */
export default async function init() {
  return exports;
}
JS
# The package's own README (scripts/pkg-README.md: the JavaScript user's
# view, not the repository's), with this build's sizes filled in; and the
# article style sheet the page's frame uses too.
cp www/article.css pkg/article.css
node --input-type=module - <<'JS'
import { readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, gzipSync } from "node:zlib";
const wasm = readFileSync("pkg/article_render_bg.wasm");
const translit = readFileSync("pkg/article_render_translit.wasm");
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const sizes = {
  WASM_BYTES: kb(wasm.length),
  WASM_BROTLI: kb(brotliCompressSync(wasm).length),
  WASM_GZIP: kb(gzipSync(wasm, { level: 9 }).length),
  CSS_BYTES: kb(readFileSync("pkg/article.css").length),
  TRANSLIT_BYTES: kb(translit.length),
  TRANSLIT_BROTLI: kb(brotliCompressSync(translit).length),
};
const readme = readFileSync("scripts/pkg-README.md", "utf8").replace(/@([A-Z_]+)@/g, (_, key) => sizes[key]);
writeFileSync("pkg/README.md", readme);
JS
cp LICENSE pkg/LICENSE
cat > pkg/package.json <<JSON
{
  "name": "article-render",
  "version": "$version",
  "description": "Render untrusted article files (front matter + Markdown or raw HTML) into safe HTML and clean metadata, in WebAssembly.",
  "license": "MIT",
  "type": "module",
  "main": "./article_render.js",
  "types": "./article_render.d.ts",
  "exports": {
    ".": {
      "types": "./article_render.d.ts",
      "node": "./node.js",
      "default": "./article_render.js"
    },
    "./article_render_bg.wasm": "./article_render_bg.wasm",
    "./article_render_translit.wasm": "./article_render_translit.wasm",
    "./article.css": "./article.css",
    "./package.json": "./package.json"
  },
  "files": ["article_render.js", "article_render.d.ts", "article_render_bg.wasm", "article_render_bg.wasm.d.ts", "article_render_translit.wasm", "snippets/", "node.js", "article.css", "README.md", "LICENSE"],
  "sideEffects": ["./node.js", "*.css"],
  "keywords": ["markdown", "front-matter", "sanitize", "hexo", "hugo", "wasm"]
}
JSON
ls -l pkg
