#!/usr/bin/env bash
# Regenerates the browser modules that site-builder embeds (site-builder/browser-modules/): the form
# checks (validator.js + validator_bg.wasm, and the tables it fetches: regions.txt, public-suffixes.txt) and the guide tools (guide.js + guide_bg.wasm), compiled
# from the binding crates in wasm-validator/ for wasm32, bound with the pinned wasm-bindgen, then
# shrunk with the pinned wasm-opt (binaryen) and esbuild. A content build never runs
# this: it copies the committed files. Run it after changing wasm-validator/ (not the command line), and commit the result.
#
#   bash scripts/build-browser-modules.sh           write the modules into site-builder/browser-modules/
#                                                   (and the npm package folder into target/beian-checks-package/)
#   bash scripts/build-browser-modules.sh --check   rebuild into a temporary folder and fail if the
#                                                   committed files differ (the test command runs this)
#
# Paths are remapped (the workspace to /workspace, cargo's home to /cargo) so that the bytes do not
# depend on where the clone is: a fresh clone on another machine of the same toolchain rebuilds them
# byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --wasm
tools=$PWD/target/browser-tools/node_modules/.bin   # wasm-opt and esbuild, installed by setup.sh --wasm
mode=${1:-write}
committed=site-builder/browser-modules
out=$committed
if [ "$mode" = "--check" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
cargo_home=${CARGO_HOME:-$HOME/.cargo}
export RUSTFLAGS="--remap-path-prefix=$PWD=/workspace --remap-path-prefix=$cargo_home=/cargo"
unset CARGO_ENCODED_RUSTFLAGS
# Its own target folder (other RUSTFLAGS than a normal build), under CARGO_TARGET_DIR when that is set.
build_dir=${CARGO_TARGET_DIR:-target}/browser-modules

# name:crate — each module is its own thin binding crate, so a page with fields never downloads the
# wizard's code, and the reverse.
for module in validator:beian-browser-checks guide:beian-browser-guide; do
  name=${module%%:*}; crate=${module#*:}
  # strip = debuginfo, not the profile's full strip: wasm-bindgen reads the target_features section.
  CARGO_PROFILE_WASM_STRIP=debuginfo cargo rustc --quiet --lib -p "$crate" \
    --profile wasm --target wasm32-unknown-unknown --crate-type cdylib --target-dir "$build_dir"
  wasm-bindgen --target web --out-name "$name" --remove-name-section --remove-producers-section \
    --out-dir "$out" "$build_dir/wasm32-unknown-unknown/wasm/${crate//-/_}.wasm"
  # Binaryen's wasm-opt on the bound module (validator 72,414 → 71,097 bytes gzipped, guide 26,765 →
  # 25,805), then esbuild's minifier on the glue (validator.js 5,428 → 4,595, guide.js 2,905 → 2,234):
  # both pinned npm packages in target/browser-tools (scripts/setup.sh --wasm), deterministic, so a
  # fresh machine rebuilds the committed bytes.
  "$tools/wasm-opt" -Oz --converge "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
  "$tools/esbuild" "$out/$name.js" --minify --format=esm --log-level=warning --outfile="$out/$name.min.js"
  mv "$out/$name.min.js" "$out/$name.js"
done
# The two tables the validator module does not compile in (beian-rules without builtin-tables): the
# page fetches them from beside validator.js and gives them with loadTables().
cp wasm-validator/rules/data/regions.txt wasm-validator/rules/data/public-suffixes.txt "$out/"
bash scripts/browser-modules-source-hash.sh > "$out/SOURCE-HASH"

if [ "$mode" = "--check" ]; then
  stale=()
  for f in "$out"/*; do
    cmp -s "$f" "$committed/$(basename "$f")" || stale+=("$(basename "$f")")
  done
  if [ ${#stale[@]} -gt 0 ]; then
    echo "error: the committed browser modules in $committed/ are stale (${stale[*]} differ from a rebuild):" >&2
    echo "       run 'bash scripts/build-browser-modules.sh' and commit $committed/" >&2
    exit 1
  fi
  echo "browser modules: the committed files are what the sources build"
else
  echo "browser modules written to $committed/: commit them"
  # The package a provider vendors (wasm-validator/package/ with this module): npm pack turns it
  # into a tarball. Not committed: scripts/build-package.sh rebuilds it from the committed files.
  bash scripts/build-package.sh target/beian-checks-package
fi
