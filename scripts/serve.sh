#!/usr/bin/env bash
# `make serve`: builds the npm package into pkg/ when it is missing or older
# than the sources, then serves the page (www/ at /, pkg/ at /pkg/) on
# http://127.0.0.1:8000 with scripts/serve.mjs, a dependency-free Node server
# that sends .wasm as application/wasm. Runs in the foreground; Ctrl-C stops
# it. PORT=8080 make serve picks another port. First it installs the npm
# dev dependencies if needed and copies the page's third-party code (KaTeX,
# highlight.js) into www/vendor/ (scripts/vendor.mjs): the page's CSP only
# lets it load files from its own origin.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f pkg/article_render.js ] || [ ! -f pkg/article_render_bg.wasm ] ||
  [ -n "$(find src translit Cargo.toml Cargo.lock -newer pkg/article_render_bg.wasm -print -quit 2>/dev/null)" ]; then
  echo "pkg/ is missing or older than src/: building it (scripts/pkg.sh)"
  scripts/pkg.sh
fi
[ -d node_modules/katex ] && [ -d node_modules/esbuild ] && [ -d node_modules/@codemirror/view ] || npm install --no-audit --no-fund
node scripts/vendor.mjs
exec node scripts/serve.mjs --port "${PORT:-8000}"
