#!/usr/bin/env bash
# Sets up what the tests need (idempotently) and runs all of them.
# `make test` and `.ci/run` both call this script, so CI runs exactly what a
# developer runs.
set -euo pipefail
cd "$(dirname "$0")/.."

steps=0
step() { steps=$((steps + 1)); printf '\n==> %s\n' "$*"; }

step "toolchain components"
rustup component add rustfmt clippy >/dev/null 2>&1 || true

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy --all-targets --all-features -- -D warnings"
cargo clippy --all-targets --all-features -- -D warnings

step "cargo test --all-features"
cargo test --all-features

step "make pkg (release wasm, pinned wasm-bindgen, wasm-opt)"
scripts/pkg.sh

step "wasm tests under Node (wasm-bindgen-test-runner)"
cargo test --target wasm32-unknown-unknown --test wasm

if [ -f tests/package/run.sh ]; then
  step "the npm package in Node, Vite and the browser; tsc"
  bash tests/package/run.sh
fi

if [ -f tests/page/run.sh ]; then
  step "the web page in headless Chromium (playwright-core)"
  bash tests/page/run.sh
fi

if [ -f tests/browser-attacks/run.sh ]; then
  step "the attack corpus in headless Chromium, the page's way and naively"
  bash tests/browser-attacks/run.sh
fi

step "a bounded fuzz pass (60 s) when the nightly toolchain is there"
if rustup toolchain list 2>/dev/null | grep -q '^nightly' \
  && ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz
fi
scripts/fuzz.sh 60

# Every step above stops the script on failure, so reaching here means all passed.
echo
echo "steps: $steps passed, 0 failed"
