#!/usr/bin/env bash
# Sets up what the tests need (idempotently) and runs all of them.
# `make test` and `.ci/run` both call this script, so CI runs exactly what a
# developer runs.
set -euo pipefail
cd "$(dirname "$0")/.."

steps=0
step() { steps=$((steps + 1)); printf '\n==> %s\n' "$*"; }
# A step that runs a script of the repository: a missing script is a
# failure, never a silently skipped step.
script() {
  if [ ! -f "$1" ]; then
    echo "test.sh: $1 is missing; this step cannot run" >&2
    exit 1
  fi
  bash "$@"
}
# The oldest Rust the crate supports: Cargo.toml's rust-version.
msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
# cargo-fuzz, pinned: a new release may change flags or the build.
cargo_fuzz=0.13.2

step "toolchain components"
rustup component add rustfmt clippy >/dev/null 2>&1 || true

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy --all-targets --all-features -- -D warnings"
cargo clippy --all-targets --all-features -- -D warnings

step "cargo test --all-features"
cargo test --all-features

step "cargo doc, warnings denied (broken links, missing docs)"
# RUSTDOCFLAGS replaces .cargo/config.toml's rustdocflags: the cfg again.
RUSTDOCFLAGS="-D warnings --cfg ammonia_unstable" cargo doc --all-features --no-deps --quiet

step "without --cfg ammonia_unstable: fixtures, corpus, seed and unit tests"
# What a crate depending on this one builds (a set, empty RUSTFLAGS
# replaces .cargo/config.toml's): the fallback must give the same output,
# so the same expected fixtures must pass (the unit tests of the cfg build
# also compare both paths on every attack case and corpus file), and the
# pieces a big body is cut into write the same output by it. Own target
# dir, shared with the next step.
RUSTFLAGS="" RUSTDOCFLAGS="" CARGO_TARGET_DIR=target/no-cfg \
  cargo test --all-features --quiet --lib --test fixtures --test corpus --test seed --test pieces

step "a new crate with article-render as a path dependency: build, test, doc"
script scripts/dependent.sh

step "MSRV: cargo +$msrv check of the library and the CLI"
rustup toolchain install "$msrv" --profile minimal >/dev/null 2>&1
CARGO_TARGET_DIR=target/msrv cargo "+$msrv" check --all-features --lib --bins --quiet

step "make pkg (release wasm, pinned wasm-bindgen, wasm-opt)"
scripts/pkg.sh

step "wasm tests under Node (wasm-bindgen-test-runner)"
cargo test --target wasm32-unknown-unknown --test wasm

step "the npm package in Node, Vite and the browser; tsc"
script tests/package/run.sh

step "the web page in headless Chromium (playwright-core)"
script tests/page/run.sh

step "the attack corpus in headless Chromium, the page's way and naively"
script tests/browser-attacks/run.sh

step "a bounded fuzz pass (60 s) when the nightly toolchain is there"
if rustup toolchain list 2>/dev/null | grep -q '^nightly' \
  && [ "$(cargo +nightly fuzz --version 2>/dev/null)" != "cargo-fuzz $cargo_fuzz" ]; then
  cargo install cargo-fuzz --version "$cargo_fuzz" --locked
fi
script scripts/fuzz.sh 60

# Every step above stops the script on failure, so reaching here means all passed.
echo
echo "steps: $steps passed, 0 failed"
