#!/usr/bin/env bash
# `make bench`: the benchmark of issue 6, from a fresh machine. Never part of
# `make test`. Sets up what it needs (npm devDependencies, Debian's chromium,
# pkg/ when missing or older than the sources), then:
#   1. generates the corpus (bench/corpus.mjs → bench/results/corpus/);
#   2. the browser run (bench/harness.mjs): ours vs js-yaml + markdown-it +
#      DOMPurify vs js-yaml + marked + DOMPurify vs DOMParser, interleaved
#      rounds in headless Chromium, scaling, cold start, code bytes, profile;
#   3. the native run: cargo bench --bench stages (criterion, per stage);
#   4. memory (issue 18): peak wasm memory per input byte, the package in
#      Node, 1 MB and 10 MB of Markdown and of raw HTML, a fresh instance
#      each (bench/memory.mjs);
#   5. the report (bench/report.mjs): every table and the issues' targets,
#      also written to bench/LATEST.md;
#   6. the limits (issue 5): hostile inputs at 10 KB to 10 MB, natively
#      (examples/limits.rs) and in wasm under Node (bench/limits.mjs), time
#      against size, written to bench/LIMITS.md.
# Options: --browser-only (browser and memory), --native-only (both skip
# the limits), --memory-only, --limits-only; BENCH_ROUNDS (default 9, at
# least 7), BENCH_COLD (cold loads per pipeline, default 9), CHROMIUM (the
# browser), BENCH_BEFORE_PKG (another build's pkg/ directory, timed beside
# ours as "ours-before" and measured for memory too).
# Results vary with load: run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."

browser=1 native=1 memory=1 limits=1
for arg in "$@"; do
  case $arg in
    --browser-only) native= limits= ;;
    --native-only) browser= memory= limits= ;;
    --memory-only) browser= native= limits= ;;
    --limits-only) browser= native= memory= ;;
    *) echo "usage: bench/run.sh [--browser-only|--native-only|--memory-only|--limits-only]" >&2; exit 2 ;;
  esac
done
step() { printf '\n==> %s\n' "$*" >&2; }
started=$(date +%s%3N)

step "setup"
missing=
for package in playwright-core vite binaryen js-yaml markdown-it marked dompurify; do
  [ -f "node_modules/$package/package.json" ] || missing=1
done
[ -z "$missing" ] || npm install --no-audit --no-fund
if [ -n "$browser" ] && [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null; then
  sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium
fi
export CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}
# The same rule as `make serve`: build the package when missing or stale.
if [ -n "$browser$memory$limits" ] && { [ ! -f pkg/article_render_bg.wasm ] ||
  [ -n "$(find src translit Cargo.toml Cargo.lock -newer pkg/article_render_bg.wasm -print -quit 2>/dev/null)" ]; }; then
  scripts/pkg.sh
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2

if [ -n "$browser$native$memory" ]; then
  step "corpus"
  node bench/corpus.mjs
fi

if [ -n "$browser" ]; then
  step "browser: headless Chromium, interleaved rounds (bench/harness.mjs)"
  node bench/harness.mjs >/dev/null
fi

if [ -n "$native" ]; then
  step "native: cargo bench --bench stages (criterion)"
  cargo bench --bench stages
fi

if [ -n "$memory" ]; then
  step "memory: peak wasm memory per input byte, in Node (bench/memory.mjs)"
  # Its table goes into the report; alone (--memory-only), it is printed here.
  if [ -n "$browser$native" ]; then
    node bench/memory.mjs --pkg pkg ${BENCH_BEFORE_PKG:+--pkg "$BENCH_BEFORE_PKG"} >/dev/null
  else
    node bench/memory.mjs --pkg pkg ${BENCH_BEFORE_PKG:+--pkg "$BENCH_BEFORE_PKG"}
  fi
fi

if [ -n "$browser$native" ]; then
  step "report"
  node bench/report.mjs --since "$started" --write bench/LATEST.md
fi

if [ -n "$limits" ]; then
  # A crash or a stack overflow is a finding: it is in the tables, and the
  # run fails after writing them.
  failed=
  mkdir -p bench/results
  step "limits: native (cargo run --release --example limits)"
  cargo run --release --example limits >bench/results/limits-native.md || failed=1
  step "limits: wasm under Node (bench/limits.mjs)"
  node bench/limits.mjs >bench/results/limits-wasm.md || failed=1
  same=no
  cmp -s <(cargo run -q --release --example limits -- --inputs) <(node bench/limits.mjs --inputs) && same=yes
  {
    echo "# Limits: hostile inputs, time against size"
    echo
    echo "Written by \`make bench\` (bench/run.sh) on $(date -u +%Y-%m-%dT%H:%MZ); git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null | grep -q . && echo ' with uncommitted changes to src/ or Cargo')."
    echo "Issue 5, point 4: every family below must render in time linear in its input and without a"
    echo "stack overflow, natively and in wasm. Same inputs in both runs (\`--inputs\` of both compared): $same."
    echo "Figures vary with the machine's load, given with each table."
    echo
    cat bench/results/limits-native.md
    echo
    cat bench/results/limits-wasm.md
  } >bench/LIMITS.md
  cat bench/LIMITS.md
  [ -z "$failed" ] || { echo "limits: a family crashed (bench/LIMITS.md)" >&2; exit 1; }
fi
