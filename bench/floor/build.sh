#!/usr/bin/env bash
# Builds the benchmark's floor (bench/floor/floor.rs) into
# target/floor-pkg/: release wasm with the library's profile and lock file,
# the pinned wasm-bindgen, and wasm-opt with scripts/pkg.sh's flags.
# Needs what `make pkg` installs; bench/harness.mjs runs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
# The library's versions of ammonia, html5ever and pulldown-cmark.
cp Cargo.lock bench/floor/Cargo.lock
(
  cd bench/floor
  CARGO_TARGET_DIR="$root/target/floor" cargo build --release --target wasm32-unknown-unknown
)
rm -rf target/floor-pkg
wasm-bindgen --target web --out-dir target/floor-pkg \
  target/floor/wasm32-unknown-unknown/release/article_render_floor.wasm
eval "$(sed -n '/^wasm_opt_flags=(/,/)/p' scripts/pkg.sh)"
node_modules/.bin/wasm-opt "${wasm_opt_flags[@]}" target/floor-pkg/article_render_floor_bg.wasm \
  -o target/floor-pkg/article_render_floor_bg.wasm
