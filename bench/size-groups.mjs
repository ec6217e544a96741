// What each part of the code costs: for a .wasm that keeps its name
// section, the functions are put in groups (by crate, and this crate's by
// module), and each group is measured as what the code section loses, in
// brotli bytes, when that group's function bodies are left out. Removal, not
// the group compressed alone: what a group shares with the rest (common
// instruction sequences) is not counted as its own. Code inlined into a
// function counts for that function: most of the pipeline's glue sits in
// the `render` export, which is a group of its own. bench/size.sh runs it
// on its named copy of the shipped build.
//
//   node bench/size-groups.mjs NAMED.wasm
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";

const br = (b) =>
  brotliCompressSync(b, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
  }).length;

const buf = readFileSync(process.argv[2]);
let p = 8;
const leb = () => {
  let r = 0, s = 0, b;
  do { b = buf[p++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80);
  return r;
};
const str = () => { const n = leb(); const s = buf.toString("utf8", p, p + n); p += n; return s; };

let imported = 0;
const bodies = [];
const names = new Map();
while (p < buf.length) {
  const id = buf[p++], len = leb(), end = p + len;
  if (id === 2) { // imports: functions among them shift the indices
    for (let n = leb(); n > 0; n--) {
      str(); str();
      const kind = buf[p++];
      if (kind === 0) { leb(); imported++; }
      else if (kind === 1) { p++; const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 3) { p += 2; }
      else { p++; leb(); }
    }
  } else if (id === 10) {
    for (let n = leb(); n > 0; n--) { const size = leb(); bodies.push(buf.subarray(p, p + size)); p += size; }
  } else if (id === 0 && str() === "name") {
    while (p < end) {
      const sub = buf[p++], size = leb(), subEnd = p + size;
      if (sub === 1) for (let n = leb(); n > 0; n--) { const i = leb(); names.set(i, str()); }
      p = subEnd;
    }
  }
  p = end;
}

// Legacy Rust mangling (`_ZN3foo3bar17h…E`) to `foo::bar`; other names as they are.
const demangle = (name) => {
  const m = name.match(/^_?_ZN(.*)E$/);
  if (!m) return name;
  const parts = [];
  let s = m[1];
  while (s.length && /^\d/.test(s)) {
    const n = parseInt(s, 10), digits = String(n).length;
    parts.push(s.slice(digits, digits + n));
    s = s.slice(digits + n);
  }
  if (parts.length && /^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop();
  return parts.join("::").replace(/\$([A-Za-z0-9]+)\$/g, (all, code) => ({ LT: "<", GT: ">", RF: "&", BP: "*", C: ",", SP: "@", u20: " ", u27: "'", u5b: "[", u5d: "]", u7b: "{", u7d: "}", u3b: ";", u2b: "+", u22: '"' })[code] ?? all)
    .replace(/\.\./g, "::").replace(/^_</, "<");
};

// The crate a function belongs to: `<T as x::Y>` counts for T's crate,
// `drop_in_place<T>` for T's; this crate's functions by module.
const crateOf = (full) => {
  let n = full.replace(/\[[0-9a-f]+\]/g, "");
  for (;;) {
    const before = n;
    n = n.replace(/^(<|&|mut |dyn |\*const |\*mut |\(|\[)/, "").replace(/^core::ptr::drop_in_place</, "");
    const as = n.match(/^[^:<> ]+ as /);
    if (as) n = n.slice(as[0].length);
    if (n === before) break;
  }
  const path = n.match(/^([A-Za-z0-9_]+)::([A-Za-z0-9_]+)/);
  if (!path) return /shim|^__wbg|^__wbindgen|^__externref/.test(full) ? "(wasm-bindgen glue and exports, with what got inlined)" : "(unnamed: libc, allocator, builtins)";
  if (path[1] === "article_render") return `article_render::${path[2]}`;
  return path[1];
};

// The crates of the product questions, together.
const families = [
  [/^(url|idna|idna_adapter|form_urlencoded|percent_encoding|icu_\w+|zerovec|zerotrie|yoke|potential_utf|writeable|tinystr|litemap|smallvec|utf8_iter|utf16_iter|write16)$/, "url + idna + ICU4X"],
  [/^(ammonia|html5ever|markup5ever|tendril|string_cache|web_atoms|phf\w*|siphasher|cssparser|dtoa\w*|futf|mac|new_debug_unreachable|precomputed_hash|utf8)$/, "ammonia + html5ever (+ cssparser)"],
  [/^(pulldown_cmark|pulldown_cmark_escape|unicase|memchr)$/, "pulldown-cmark (+ memchr, unicase)"],
  [/^(toml|toml_parser|toml_datetime|serde_spanned|winnow)$/, "toml"],
  [/^(serde_json|zmij|itoa|ryu)$/, "serde_json"],
  [/^(serde|serde_core)$/, "serde"],
  [/^(saphyr_parser|arraydeque|hashlink)$/, "saphyr-parser"],
  [/^(chrono|num_traits)$/, "chrono"],
  [/^(core|alloc|std|dlmalloc|compiler_builtins|hashbrown|indexmap|equivalent|foldhash)$/, "core, alloc, std, hashbrown, indexmap"],
  [/^(wasm_bindgen|js_sys)$/, "wasm-bindgen, js-sys"],
];
const familyOf = (crate) => crate.startsWith("article_render::") ? "article_render (this crate)" : (families.find(([re]) => re.test(crate))?.[1] ?? crate);

const code = Buffer.concat(bodies);
const total = br(code);
const groups = new Map();
bodies.forEach((body, i) => {
  const full = demangle(names.get(i + imported) ?? "");
  const crate = crateOf(full);
  for (const key of [`${familyOf(crate)}`, crate === familyOf(crate) ? null : `  ${crate}`]) {
    if (!key) continue;
    const g = groups.get(key) ?? { family: familyOf(crate), sub: key.startsWith("  "), count: 0, raw: 0, idx: new Set() };
    g.count++; g.raw += body.length; g.idx.add(i);
    groups.set(key, g);
  }
});
const without = (idx) => br(Buffer.concat(bodies.filter((_, i) => !idx.has(i))));
const rows = [...groups].map(([key, g]) => ({ key, ...g, brotli: g.raw < 3000 ? null : total - without(g.idx) }));
// Families by size, each followed by its members by size.
const tops = rows.filter((r) => !r.sub).sort((a, b) => b.raw - a.raw);
console.log(`${"functions".padStart(9)} ${"raw".padStart(9)} ${"brotli".padStart(9)}  group (code section: ${code.length} raw, ${total} brotli; brotli = saved without the group; blank under 3,000 raw)`);
for (const top of tops) {
  const line = (r) => console.log(`${String(r.count).padStart(9)} ${String(r.raw).padStart(9)} ${String(r.brotli ?? "").padStart(9)}  ${r.key}`);
  line(top);
  rows.filter((r) => r.sub && r.family === top.key && r.raw >= 1000).sort((a, b) => b.raw - a.raw).forEach(line);
}
