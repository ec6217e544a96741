// The page's third-party code, copied from node_modules/ into www/vendor/ so
// the page loads it from its own origin (its CSP allows 'self' only):
// - KaTeX (math): its ES module (minified), style sheet and woff2 fonts;
// - CodeMirror 6 (the source editor): scripts/vendor/codemirror.js and the
//   packages it imports, bundled by esbuild into one ES module;
// - highlight.js (code): the core, bundled once from CommonJS into one ES
//   module by esbuild (the package ships no browser ES build of the core),
//   and every language as its own ES module, so the page imports only the
//   languages a document uses.
// `make serve` and tests/page/run.sh run it; it does nothing when www/vendor/
// is newer than package-lock.json and scripts/vendor/. Usage: node scripts/vendor.mjs
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const modules = join(root, "node_modules");
const out = join(root, "www", "vendor");
const stamp = join(out, ".built");
const lock = join(root, "package-lock.json");

const inputs = [lock, join(root, "scripts", "vendor", "codemirror.js"), fileURLToPath(import.meta.url)];
if (existsSync(stamp) && inputs.every((file) => statSync(stamp).mtimeMs >= statSync(file).mtimeMs)) process.exit(0);

rmSync(out, { recursive: true, force: true });
const katex = join(modules, "katex", "dist");
mkdirSync(join(out, "katex", "fonts"), { recursive: true });
copyFileSync(join(katex, "katex.min.css"), join(out, "katex", "katex.min.css"));
// KaTeX ships its ES module unminified (600 KB): minified, it is 270 KB.
await build({ entryPoints: [join(katex, "katex.mjs")], bundle: true, format: "esm", minify: true, outfile: join(out, "katex", "katex.mjs"), logLevel: "warning" });
for (const font of readdirSync(join(katex, "fonts")).filter((f) => f.endsWith(".woff2"))) {
  copyFileSync(join(katex, "fonts", font), join(out, "katex", "fonts", font));
}

await build({
  entryPoints: [join(modules, "highlight.js", "lib", "core.js")],
  bundle: true,
  format: "esm",
  minify: true,
  outfile: join(out, "highlight", "core.js"),
  logLevel: "warning",
});
await build({
  entryPoints: [join(root, "scripts", "vendor", "codemirror.js")],
  bundle: true,
  format: "esm",
  minify: true,
  outfile: join(out, "codemirror.js"),
  logLevel: "warning",
});
const languages = join(modules, "highlight.js", "es", "languages");
mkdirSync(join(out, "highlight", "languages"), { recursive: true });
const names = [];
// (X.js.js files are deprecation shims of the package: left out.)
for (const file of readdirSync(languages).filter((f) => f.endsWith(".js") && !f.endsWith(".js.js"))) {
  copyFileSync(join(languages, file), join(out, "highlight", "languages", file));
  names.push(file.slice(0, -3));
}
// The list, so the page never asks for a language that is not there.
writeFileSync(join(out, "highlight", "languages.js"), `export default ${JSON.stringify(names.sort())};\n`);
writeFileSync(stamp, `${new Date().toISOString()}\n`);
console.log("www/vendor/: KaTeX, highlight.js and CodeMirror from node_modules/");
