#!/usr/bin/env bash
# Assembles the package a provider's web team vendors (issue 22): beian-checks.js (the drop-in and
# the rules' API), its types, README and package.json from wasm-validator/package/, with the
# committed validator module (validator.js, validator_bg.wasm, validator.d.ts) and its two tables
# from site-builder/browser-modules/. `npm pack OUT` turns it into a tarball. The module is the one
# the help centre embeds, so there is nothing to rebuild: bash scripts/build-package.sh OUT
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/build-package.sh OUT-DIR}
mkdir -p "$out"
cp wasm-validator/package/* "$out/"
for f in validator.js validator_bg.wasm validator.d.ts regions.txt public-suffixes.txt; do
  cp "site-builder/browser-modules/$f" "$out/"
done
echo "package written to $out"
