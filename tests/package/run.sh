#!/usr/bin/env bash
# The npm package as a user gets it: packs pkg/ (run `make pkg` first),
# installs the tarball into a fresh project, and uses it (a) from Node 20 with
# no init, (b) from a Vite build and (c) from a page with no bundler, both in
# headless Chromium, and type-checks a usage file with tsc --strict.
# One PASS/FAIL line per check; the last line is "N passed, M failed".
# KEEP_TMP=1 keeps the temporary project for a look after a failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/tests/package
cd "$root"

[ -f pkg/package.json ] || { echo "pkg/ is missing: run 'make pkg' first" >&2; exit 2; }

passed=0 failed=0
pass() { echo "PASS  $*"; passed=$((passed + 1)); }
fail() { echo "FAIL  $*"; failed=$((failed + 1)); }

# Runs a Node script that prints its own PASS/FAIL lines and adds them to the
# totals; a crash or a hang (no FAIL line, bad exit) counts as one failure.
node_checks() {
  local name=$1 log=$tmp/$1.log status=0 failures
  shift
  timeout 120 node "$@" >"$log" 2>&1 || status=$?
  cat "$log"
  passed=$((passed + $(grep -c '^PASS ' "$log" || true)))
  failures=$(grep -c '^FAIL ' "$log" || true)
  failed=$((failed + failures))
  if [ "$status" -ne 0 ] && [ "$failures" -eq 0 ]; then fail "$name: exited with status $status"; fi
}

# Starts serve.mjs on a folder in the background and sets $url once it listens.
serve() {
  local log=$tmp/serve-${#servers[@]}.log
  node "$here/serve.mjs" "$1" 300 >"$log" 2>&1 &
  servers+=($!)
  url=
  for _ in $(seq 100); do
    url=$(grep -m1 '^http' "$log" || true)
    [ -n "$url" ] && return 0
    sleep 0.1
  done
  echo "serve.mjs did not start: $(cat "$log")" >&2
  return 1
}

echo "== setup"
# The root package.json pins vite, playwright-core and typescript.
[ -x node_modules/.bin/vite ] && [ -x node_modules/.bin/tsc ] && [ -d node_modules/playwright-core ] && [ -d node_modules/@types/node ] ||
  npm install --no-audit --no-fund
. scripts/chromium.sh
# The first `version` of the [package] table.
version=$(awk -F'"' '/^\[/ { p = ($0 == "[package]") } p && /^version *=/ { print $2; exit }' Cargo.toml)

tmp=$(mktemp -d)
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "${KEEP_TMP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

echo "== pack and install into a fresh project"
tarball=$tmp/$(npm pack ./pkg --pack-destination "$tmp" --silent)
contents=$(tar -tzf "$tarball")
missing=
for file in package.json article_render.js article_render.d.ts article_render_bg.wasm article_render_translit.wasm node.js article.css README.md LICENSE; do
  grep -qx "package/$file" <<<"$contents" || missing+=" $file"
done
# wasm-bindgen's copy of src/translit.js, which loads the transliterator.
grep -q '^package/snippets/.*/src/translit\.js$' <<<"$contents" || missing+=" snippets/*/src/translit.js"
if [ -z "$missing" ]; then
  pass "pack: the tarball holds the entries, the types, both wasm modules and their JavaScript, article.css, README and LICENSE"
else
  fail "pack: the tarball lacks$missing"
fi

app=$tmp/app
mkdir "$app"
echo '{ "name": "consumer", "private": true, "type": "module" }' >"$app/package.json"
cp "$here"/{fixture.md,expect.json,node-check.mjs,usage.ts,usage-bad.ts,tsconfig.json,tsconfig.node.json,tsconfig.bad.json,plain.html,plain.js} \
  "$here"/vite-app/{index.html,main.js} "$app/"
# The tarball has no dependencies, so this needs no registry.
(cd "$app" && npm install --offline --no-audit --no-fund --silent "$tarball")
installed=$(node -p 'require(process.argv[1]).version' "$app/node_modules/article-render/package.json")
if [ "$installed" = "$version" ]; then
  pass "pack: package.json has Cargo.toml's version ($version)"
else
  fail "pack: package.json has version $installed, Cargo.toml $version"
fi

echo "== (a) Node $(node --version)"
EXPECTED_VERSION=$version node_checks node "$app/node-check.mjs"

echo "== the package README's own words"
readme=$app/node_modules/article-render/README.md
if grep -q 'make pkg\|cargo \|src/' "$readme"; then
  fail "readme: the package README talks about the repository (make, cargo, src/)"
else
  pass "readme: the package README is the JavaScript user's, not the repository's"
fi
# Each block after a "<!-- run: node" marker runs as written, beside a post.md.
cp "$here/fixture.md" "$app/post.md"
awk '/^<!-- run: node/ { want = 1; next } want && /^```js$/ { on = 1; n++; file = sprintf("readme-%d.mjs", n); next }
  on && /^```$/ { on = 0; want = 0; next } on { print > (dir "/" file) }' dir="$app" "$readme"
snippets=$(compgen -G "$app/readme-*.mjs" || true)
if [ -z "$snippets" ]; then
  fail "readme: no runnable snippet found"
fi
for snippet in $snippets; do
  if out=$(cd "$app" && timeout 60 node "$snippet" 2>&1) && [ -n "$out" ]; then
    pass "readme: $(basename "$snippet") runs as written: $(head -1 <<<"$out")"
  else
    fail "readme: $(basename "$snippet") does not run as written:"
    echo "$out"
  fi
done
for name in note-warning markdown-alert-title tabs math-display language- video-card template-tag blocked-image; do
  grep -q -- "$name" "$readme" || fail "readme: the class $name is not listed"
  grep -q -- "$name" "$app/node_modules/article-render/article.css" || fail "article.css: no rule for $name"
done

echo "== TypeScript $("$root/node_modules/.bin/tsc" --version)"
tsc() { (cd "$app" && "$root/node_modules/.bin/tsc" "$@" 2>&1); }
for resolution in bundler node16; do
  module=esnext
  [ "$resolution" = node16 ] && module=node16
  if out=$(tsc -p tsconfig.json --noEmit --strict --module "$module" --moduleResolution "$resolution"); then
    pass "tsc: usage.ts type-checks (--strict, moduleResolution $resolution)"
  else
    fail "tsc: usage.ts does not type-check (moduleResolution $resolution):"
    echo "$out"
  fi
done
# A Node project without the DOM lib, library declarations checked too.
if out=$(tsc -p tsconfig.node.json --typeRoots "$root/node_modules/@types"); then
  pass "tsc: the .d.ts checks under lib es2022 + @types/node, skipLibCheck false"
else
  fail "tsc: the .d.ts does not check under lib es2022 + @types/node:"
  echo "$out"
fi
# The negative check: exactly the two planted mistakes are errors, by name.
status=0
out=$(tsc -p tsconfig.bad.json --noEmit --strict) || status=$?
if [ "$status" -ne 0 ] && grep -q "'tittle'" <<<"$out" && grep -q "'fomat'" <<<"$out" &&
  [ "$(grep -c 'error TS' <<<"$out")" -eq 2 ]; then
  pass "tsc: usage-bad.ts fails on exactly 'tittle' and 'fomat'"
else
  fail "tsc: usage-bad.ts should fail on 'tittle' and 'fomat' only (status $status):"
  echo "$out"
fi

echo "== (b) Vite $("$root/node_modules/.bin/vite" --version | cut -d' ' -f1) build, (c) no bundler, in $("$CHROMIUM" --version 2>/dev/null)"
if (cd "$app" && "$root/node_modules/.bin/vite" build --logLevel warn) >"$tmp/vite.log" 2>&1 &&
  [ "$(compgen -G "$app/dist/assets/*.wasm" | wc -l)" -eq 2 ]; then
  pass "vite: the build emits both wasm modules as assets"
else
  fail "vite: the build failed or lacks a .wasm asset:"
  cat "$tmp/vite.log"
fi
serve "$app/dist"
vite_url=$url
# The plain page imports ./node_modules/article-render/ from the project root.
serve "$app"
plain_url=${url}plain.html
node_checks browser "$here/browser-check.mjs" "vite=$vite_url" "plain=$plain_url"

echo "== took ${SECONDS}s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
