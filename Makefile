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
