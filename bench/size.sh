#!/usr/bin/env bash
# What the shipped .wasm weighs and what it is made of. A measurement tool,
# not a test. Results and their reading: bench/SIZE.md.
#
#   bench/size.sh             # `make pkg` (scripts/pkg.sh), then measure pkg/
#   bench/size.sh --no-build  # measure pkg/ as the last `make pkg` left it
#   bench/size.sh --data      # also split the data section by crate (one
#                             # more release build, with a linker map and
#                             # without LTO, ~2 min)
#   bench/size.sh FILE.wasm   # only the sizes of any .wasm
#
# Prints raw, `gzip -9` and brotli quality 11 sizes, the code and data sections
# apart, then twiggy's 25 largest items of a copy of the same build that keeps
# its name section (the wasm-bindgen output optimized again with pkg.sh's
# wasm-opt flags plus `--debuginfo`), the bytes per crate, and what each
# crate (and each module of this crate) costs in the code section, brotli.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes() { # FILE: raw, gzip -9, brotli -q 11, and the code/data sections apart
  # Brotli through Node's zlib (quality 11, window 24, what `brotli -q 11`
  # does): the `brotli` command is often not installed, Node always is here.
  # gzip -9 through the gzip command (zlib's level 9 gives other bytes).
  local f=$1
  printf '%-24s %9s %9s %9s\n' "" raw gzip-9 brotli-11
  node --input-type=module - "$f" "$(basename "$f")" "$(gzip -9 -c "$f" | wc -c)" <<'JS'
import { readFileSync } from "node:fs";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
const [file, name, gzip] = process.argv.slice(2);
const buf = readFileSync(file);
const br = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 } }).length;
console.log(`${name.padEnd(24)} ${String(buf.length).padStart(9)} ${gzip.padStart(9)} ${String(br(buf)).padStart(9)}`);
let p = 8;
const leb = () => { let r = 0, s = 0, b; do { b = buf[p++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return r >>> 0; };
const parts = { code: [], data: [], other: [] };
while (p < buf.length) {
  const id = buf[p++], len = leb();
  parts[id === 10 ? "code" : id === 11 ? "data" : "other"].push(buf.subarray(p, p + len));
  p += len;
}
for (const [name, list] of Object.entries(parts)) {
  const b = Buffer.concat(list);
  console.log(`  ${(name + " section" + (name === "other" ? "s" : "")).padEnd(22)} ${String(b.length).padStart(9)} ${String(gzipSync(b, { level: 9 }).length).padStart(9)} ${String(br(b)).padStart(9)}  (compressed alone)`);
}
JS
}

build=1 data=0 file=
for arg; do
  case $arg in
    --no-build) build=0 ;;
    --data) data=1 ;;
    *.wasm) file=$arg ;;
    *) sed -n '5,9s/^# //p' "$0" >&2; exit 2 ;;
  esac
done
if [ -n "$file" ]; then
  sizes "$file"
  exit
fi
[ "$build" = 0 ] || scripts/pkg.sh >/dev/null
wasm=pkg/article_render_bg.wasm
echo "== sizes (bytes) of $wasm"
sizes "$wasm"

# A named copy of the same build: the wasm-bindgen output keeps the name
# section; pkg.sh's own wasm-opt flags plus --debuginfo keep it through.
command -v twiggy >/dev/null || cargo install twiggy
eval "$(sed -n '/^wasm_opt_flags=(/,/)$/p' scripts/pkg.sh)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wasm-bindgen --target web --out-dir "$tmp" target/wasm32-unknown-unknown/release/article_render.wasm
node_modules/.bin/wasm-opt "${wasm_opt_flags[@]}" --debuginfo \
  "$tmp/article_render_bg.wasm" -o "$tmp/named.wasm"

echo
echo "== twiggy top -n 25 (named copy: its \"names\" subsections are not shipped)"
twiggy top -n 25 "$tmp/named.wasm"

echo
echo "== bytes per crate, before and after wasm-opt (twiggy top -n 100000 --format csv, grouped by path prefix)"
# Each item goes to the crate its path starts with: `<T as a::X>` counts for
# `a`, `<b::Y as a::X>` and `drop_in_place<b::Y>` for `b`. Code inlined into
# another function counts for the function it landed in: after wasm-opt much
# of the pipeline sits in the `render` export, so the column before it
# attributes better. The data segments are opaque to twiggy (bench/SIZE.md
# splits them with a linker map).
by_crate() {
  twiggy top -n 100000 --format csv "$1" | awk '
    NR == 1 { next }
    {
      if (!match($0, /,[0-9]+,[0-9.e+-]+,[^,]*,[^,]*$/)) next
      name = substr($0, 1, RSTART - 1)
      split(substr($0, RSTART + 1), f, ",")
      gsub(/"/, "", name)
      if (name ~ /^data segment/) crate = "(data segments: tables and strings)"
      else if (name ~ /subsection$/ || name ~ /^custom section/) crate = "(names and custom sections; not shipped)"
      else if (name ~ /shim/) crate = "(wasm-bindgen exports, with what got inlined)"
      else {
        n = name
        gsub(/\[[0-9a-f]+\]/, "", n)            # core[c5930c85a12de822]::fmt
        for (;;) {
          if (sub(/^(<|&|mut |dyn |\*const |\*mut |\(|\[)/, "", n)) continue
          if (sub(/^core::ptr::drop_in_place</, "", n)) continue
          if (match(n, /^[^:<> ]+ as /)) { n = substr(n, RLENGTH + 1); continue } # <T as x::Y>
          break
        }
        if (match(n, /^[A-Za-z0-9_]+::/)) crate = substr(n, 1, RLENGTH - 2)
        else if (name ~ /^(type|import|export|func|table|elem|global|memory)/) crate = "(wasm structure)"
        else crate = "(unnamed: libc, allocator shims, builtins)"
      }
      print f[1] "\t" crate
    }' | awk -F'\t' '{ b[$2] += $1 } END { for (c in b) print c "\t" b[c] }'
}
by_crate "$tmp/article_render_bg.wasm" > "$tmp/before.tsv"
by_crate "$tmp/named.wasm" > "$tmp/after.tsv"
awk -F'\t' '
  FNR == NR { before[$1] = $2; next }
  { after[$1] = $2 }
  END {
    for (c in before) if (!(c in after)) after[c] = 0
    for (c in after) printf "%9d %9d  %s\n", before[c], after[c], c
  }' "$tmp/before.tsv" "$tmp/after.tsv" | sort -k1,1nr |
  { printf '%9s %9s  %s\n' before after crate; cat; }

echo
echo "== the code section by crate, and this crate's by module (bench/size-groups.mjs on the named copy)"
node bench/size-groups.mjs "$tmp/named.wasm"

[ "$data" = 1 ] || exit 0
echo
echo "== the data section per crate (a linker map of the release build without LTO)"
# LLVM names most constants `.Lanon.*`, so twiggy sees only numbered
# segments; wasm-ld's map says which object, hence which crate, each came
# from. `<internal>` is the linker's merged string literals. The brotli
# column is what the whole data section would lose without that crate.
# With LTO every crate lands in one object, so the map build is pkg.sh's
# build line with `lto = false`: the same tables, give or take the few that
# LTO finds unused (compare its "data alone" with the data section above).
# The variable replaces .cargo/config.toml's wasm32 rustflags, so it repeats
# the SIMD flag.
build_line=$(grep -E '^cargo (build|rustc) ' scripts/pkg.sh)
CARGO_TARGET_DIR=target/size-map CARGO_PROFILE_RELEASE_LTO=false \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128 -C link-arg=--Map=$tmp/wasm.map" \
  eval "$build_line" -q
node --input-type=module - "$tmp/wasm.map" target/size-map/wasm32-unknown-unknown/release/article_render.wasm <<'JS'
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";
const [mapFile, wasmFile] = process.argv.slice(2);
const br = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 } }).length;

// The memory image the data segments initialize.
const buf = readFileSync(wasmFile);
let p = 8;
const leb = () => { let r = 0, s = 0, b; do { b = buf[p++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return r; };
const mem = new Map(); // offset -> bytes
while (p < buf.length) {
  const id = buf[p++], len = leb(), end = p + len;
  if (id === 11) {
    for (let n = leb(); n > 0; n--) {
      const flags = leb();
      let offset = 0;
      if (flags === 0) { p++; offset = leb(); p++; } // i32.const N end (offsets are positive here)
      const size = leb();
      mem.set(offset, buf.subarray(p, p + size));
      p += size;
    }
  }
  p = end;
}
const read = (addr, size) => {
  for (const [offset, bytes] of mem) if (addr >= offset && addr + size <= offset + bytes.length) return bytes.subarray(addr - offset, addr - offset + size);
  return Buffer.alloc(0); // .bss: zeros, not in the file
};

// Input sections of the data output sections, by the crate of their object.
const pieces = new Map();
let inData = false;
for (const line of readFileSync(mapFile, "utf8").split("\n")) {
  const m = line.match(/^\s*([0-9a-f]+|-)\s+[0-9a-f]+\s+([0-9a-f]+) ( *)(.*)$/);
  if (!m) continue;
  const [, addr, size, indent, what] = m;
  if (indent.length === 0) inData = /^\.(rodata|data|tdata)/.test(what);
  if (!inData || indent.length !== 8) continue;
  const crate = what.startsWith("<internal>") ? "(merged string literals)"
    : /article_render\.article_render\./.test(what) ? "article_render"
    : (what.match(/\/lib([a-z0-9_]+)-[0-9a-f]+\.rlib/) ?? [, "(other)"])[1];
  if (!pieces.has(crate)) pieces.set(crate, []);
  pieces.get(crate).push(read(parseInt(addr, 16), parseInt(size, 16)));
}
const all = Buffer.concat([...pieces.values()].flat());
const total = br(all);
const rows = [...pieces].map(([crate, list]) => {
  const bytes = Buffer.concat(list);
  const without = bytes.length < 4000 ? null : total - br(Buffer.concat([...pieces].filter(([c]) => c !== crate).flatMap(([, l]) => l)));
  return { crate, raw: bytes.length, without };
}).sort((a, b) => b.raw - a.raw);
console.log(`${"raw".padStart(9)} ${"brotli".padStart(9)}  crate (brotli: saved without it; data alone ${all.length} raw, ${total} brotli)`);
for (const r of rows.filter((r) => r.raw >= 1000)) console.log(`${String(r.raw).padStart(9)} ${String(r.without ?? "").padStart(9)}  ${r.crate}`);
JS
