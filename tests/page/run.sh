#!/usr/bin/env bash
# The web page in a real browser: Debian's chromium driven by playwright-core.
# Builds pkg/ if needed, starts scripts/serve.mjs on a free 127.0.0.1 port,
# runs tests/page/check.mjs (one PASS/FAIL line per check), writes
# screenshots to tests/output/, and ends with "N passed, M failed".
# KEEP_TMP=1 keeps the temporary files (the generated articles, downloads).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

echo "== setup"
[ -d node_modules/playwright-core ] && [ -d node_modules/katex ] && [ -d node_modules/esbuild ] && [ -d node_modules/@codemirror/view ] ||
  npm install --no-audit --no-fund
# KaTeX and highlight.js into www/vendor/, as `make serve` does.
node scripts/vendor.mjs
. scripts/chromium.sh
# The same rule as `make serve`: build the package when it is missing or stale.
if [ ! -f pkg/article_render_bg.wasm ] ||
  [ -n "$(find src Cargo.toml Cargo.lock -newer pkg/article_render_bg.wasm -print -quit 2>/dev/null)" ]; then
  scripts/pkg.sh
fi

tmp=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  if [ -n "${KEEP_TMP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# A GB18030 file made here, so no legacy-encoded file lives in the repository.
python3 - "$tmp/gb18030.md" <<'PY'
import sys
text = """---
title: 地方财政收入稳步增长 基层保障能力持续提升
author: 测试编辑部
date: 2024-05-06 08:00:00
categories: [财经]
---

# 正文

这是一篇以 GB18030 编码保存的测试文章，用来检查页面能否正确识别编码并显示中文标题。
"""
open(sys.argv[1], "wb").write(text.encode("gb18030"))
PY

mkdir -p tests/output
node scripts/serve.mjs --port 0 >"$tmp/serve.log" 2>&1 &
server=$!
url=
for _ in $(seq 100); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$tmp/serve.log" | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "the server did not start: $(cat "$tmp/serve.log")" >&2; exit 1; }
echo "== $("$CHROMIUM" --version 2>/dev/null) on $url"

status=0
timeout 600 node tests/page/check.mjs "$url" "$tmp" >"$tmp/check.log" 2>&1 || status=$?
cat "$tmp/check.log"
passed=$(grep -c '^PASS ' "$tmp/check.log" || true)
failed=$(grep -c '^FAIL ' "$tmp/check.log" || true)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "FAIL  check.mjs exited with status $status"
  failed=1
fi
echo "== took ${SECONDS}s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
