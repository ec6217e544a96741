#!/usr/bin/env bash
# A bounded fuzz pass of fuzz/fuzz_targets/render.rs: `scripts/fuzz.sh 60`
# fuzzes for 60 seconds, starting from the attack corpus and the fuzz
# regressions. It needs the nightly toolchain and cargo-fuzz; without them
# it says so and exits 0, so that it can run in every `make test`.
# A finding fails the pass: minimize it (`cargo +nightly fuzz tmin render
# FILE`), copy it into tests/fuzz-regressions/ as NAME.bin, and fix the bug.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."

seconds="${1:-60}"
case "$seconds" in
  '' | *[!0-9]*) echo "usage: scripts/fuzz.sh SECONDS" >&2; exit 2 ;;
esac

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "fuzz: skipped, no nightly toolchain (rustup toolchain install nightly)"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz: skipped, cargo-fuzz is not installed (cargo install cargo-fuzz --version 0.13.2 --locked, the version scripts/test.sh pins)"
  exit 0
fi

# A fresh corpus of seeds each time, so that the pass stays bounded: libFuzzer
# reads its whole corpus before the clock starts, and a corpus grown by
# earlier runs takes minutes to read. FUZZ_CORPUS=DIR keeps one instead.
corpus="${FUZZ_CORPUS:-fuzz/corpus/render-pass}"
if [ -z "${FUZZ_CORPUS:-}" ]; then
  rm -rf "$corpus"
fi
mkdir -p "$corpus"
# Seeds: every attack case and text regression with default options, and
# every fuzz finding as it was found.
ATTACK_SEEDS="$(cd "$corpus" && pwd)" cargo test --quiet --test attacks write_fuzz_seeds >/dev/null
for file in tests/fuzz-regressions/*.bin; do
  cp "$file" "$corpus/regression-$(basename "$file")"
done

echo "fuzz: render for ${seconds}s ($(ls "$corpus" | wc -l) inputs in $corpus)"
# -max_len keeps each input cheap enough to check thoroughly; -timeout
# reports an input that takes 10 s as a finding (time per byte must stay
# bounded); -rss_limit_mb the same for memory.
# cargo-fuzz passes its flags in RUSTFLAGS, which replaces the rustflags of
# .cargo/config.toml: the library's cfg goes in it too (see there).
RUSTFLAGS="${RUSTFLAGS:-} --cfg ammonia_unstable" \
  cargo +nightly fuzz run render "$corpus" -- \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -dict=fuzz/render.dict -print_final_stats=1
