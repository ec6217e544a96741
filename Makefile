# The two commands of the README, and the steps they are made of.
.PHONY: test

# Set up and pass every test (what CI runs).
test:
	scripts/test.sh

.PHONY: pkg
# Build the npm package into pkg/ (installs the wasm target, the pinned
# wasm-bindgen-cli and binaryen itself).
pkg:
	scripts/pkg.sh

.PHONY: serve
# Set up and run the page: builds pkg/ if it is missing or older than src/,
# puts the page's third-party code (CodeMirror, KaTeX, highlight.js) from npm
# into www/vendor/ (scripts/vendor.mjs), then serves www/ (and pkg/ at
# /pkg/) on http://127.0.0.1:8000.
serve:
	scripts/serve.sh

.PHONY: bench
# The benchmark (issue 6): ours vs the JavaScript pipelines in headless
# Chromium, and the pipeline stage by stage natively (criterion). Sets up
# what it needs; prints the tables and writes bench/LATEST.md. Slow (about
# 15 minutes) and never part of `make test`.
bench:
	bench/run.sh
