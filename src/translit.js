// Zola's transliteration for the wasm package: the second, on-demand wasm
// module (the crate in translit/, built by scripts/pkg.sh as
// article_render_translit.wasm beside article_render_bg.wasm). The Rust side
// is src/translit.rs; this file is copied into the package by wasm-bindgen.

let module = null; // the instance's exports, once loaded
let pending = null; // Node: a function giving the bytes at the first need

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function attach(instance) {
  module = instance.exports;
  pending = null;
}

/** The text with everything outside ASCII transliterated, or undefined before the module is loaded. */
export function transliterate(text) {
  if (!module && pending) {
    const source = pending;
    pending = null;
    // A throw here would unwind through the render in progress; a module
    // that cannot be read leaves the ids untransliterated, which the
    // render's diagnostic reports.
    try {
      loadSync(source());
    } catch {
      return undefined;
    }
  }
  if (!module) return undefined;
  const bytes = encoder.encode(text);
  const at = module.input(bytes.length);
  new Uint8Array(module.memory.buffer, at, bytes.length).set(bytes);
  const length = module.transliterate_input();
  return decoder.decode(new Uint8Array(module.memory.buffer, module.output(), length));
}

/** Loads the module now from bytes or a compiled module, or later from a function returning them. */
export function loadSync(input) {
  if (module) return;
  if (typeof input === "function") {
    pending = input;
    return;
  }
  const compiled = input instanceof WebAssembly.Module ? input : new WebAssembly.Module(input);
  attach(new WebAssembly.Instance(compiled, {}));
}

/** Loads the module: a URL (by default the file beside this package's wasm), a Response, bytes or a compiled module. */
export async function load(input) {
  if (module) return;
  // This file is at snippets/<crate>/src/translit.js in the package.
  input ??= new URL("../../../article_render_translit.wasm", import.meta.url);
  if (typeof input === "string" || input instanceof URL) input = fetch(input);
  input = await input;
  if (input instanceof WebAssembly.Module) {
    attach(await WebAssembly.instantiate(input, {}));
  } else if (typeof Response === "function" && input instanceof Response) {
    if (!input.ok) throw new Error(`loadTransliterator: ${input.url} gave HTTP ${input.status}`);
    attach((await WebAssembly.instantiate(await input.arrayBuffer(), {})).instance);
  } else {
    attach((await WebAssembly.instantiate(input, {})).instance);
  }
}
