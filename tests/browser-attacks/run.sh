#!/usr/bin/env bash
# Issue 5's browser half of the attack check: every case of tests/attacks/
# with every option variant, rendered by the built package in Debian's
# headless chromium (playwright-core), shown the way the page shows an
# article and inserted naively, with every dialog, sentinel call, navigation
# and request to a host other than 127.0.0.1 reported (see check.mjs).
# Ends with "self-test: passed; findings: 0" and exit status 0, or not.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

echo "== setup"
[ -d node_modules/playwright-core ] || npm install --no-audit --no-fund
. scripts/chromium.sh
[ -f pkg/article_render_bg.wasm ] || scripts/pkg.sh
if [ -n "$(find src translit Cargo.toml Cargo.lock -newer pkg/article_render_bg.wasm -print -quit 2>/dev/null)" ]; then
  echo "note: pkg/ is older than src/; this checks the package as built (make pkg rebuilds it)"
fi

# A copy of the package, so a rebuild of pkg/ during the run cannot mix two builds.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R pkg/. "$tmp/"

timeout -k 10 900 env ATTACK_PKG="$tmp" node tests/browser-attacks/check.mjs
