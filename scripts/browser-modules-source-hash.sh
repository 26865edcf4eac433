#!/usr/bin/env bash
# Prints the SHA-256 of the sources the browser modules are built from (the manifests and src/ of
# the crates they contain: rules, guide, browser-glue, browser-checks, browser-guide; the rules'
# data/; and the workspace manifest with the wasm profile), each file fed as
# "path NUL contents NUL" in byte order of path. site-builder's unit test computes the same hash and
# compares it with site-builder/browser-modules/SOURCE-HASH, so a change to the rules without
# rebuilt modules fails the tests even where no wasm toolchain is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
crates="rules guide browser-glue browser-checks browser-guide"
{ echo Cargo.toml; for c in $crates; do echo "wasm-validator/$c/Cargo.toml"; find "wasm-validator/$c/src" -type f; done; find wasm-validator/rules/data -type f; } \
  | LC_ALL=C sort \
  | while IFS= read -r f; do printf '%s\0' "$f"; cat "$f"; printf '\0'; done \
  | sha256sum | cut -d' ' -f1
