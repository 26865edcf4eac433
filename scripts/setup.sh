#!/usr/bin/env bash
# Installs what building and testing need, when it is missing. Safe to run again: each step checks first.
#   (no flag)  nothing beyond Rust: a site build needs only the site-builder binary, which embeds the
#              browser modules (site-builder/browser-modules/)
#   --wasm     clippy, the wasm32 target and wasm-bindgen-cli, to rebuild those modules
#              (scripts/build-browser-modules.sh) and run the bindings' browser tests; and the npm
#              packages binaryen (wasm-opt) and esbuild, pinned, into target/browser-tools (needs npm)
#   --browser  --wasm, plus Debian's Chromium and chromedriver for the browser tests
#              (and nginx, for the deployment test)
set -euo pipefail
cd "$(dirname "$0")/.."
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen crate version in Cargo.lock
BINARYEN_VERSION=132.0.0       # wasm-opt, and esbuild: the browser modules' bytes depend on both
ESBUILD_VERSION=0.28.2

say() { printf '==> %s\n' "$*"; }

if [ "${1:-}" = "--wasm" ] || [ "${1:-}" = "--browser" ]; then
  if ! cargo clippy --version >/dev/null 2>&1; then
    say "adding clippy (the test command holds the code to the workspace's lints)"
    rustup component add clippy
  fi
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! command -v wasm-bindgen >/dev/null 2>&1 || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
  tools=target/browser-tools
  if [ "$(node -p "require('./$tools/node_modules/binaryen/package.json').version" 2>/dev/null)" != "$BINARYEN_VERSION" ] \
    || [ "$("$tools/node_modules/.bin/esbuild" --version 2>/dev/null)" != "$ESBUILD_VERSION" ]; then
    command -v npm >/dev/null 2>&1 || { echo "error: npm (Node.js 18 or later) is needed to install wasm-opt and esbuild" >&2; exit 1; }
    say "installing binaryen $BINARYEN_VERSION and esbuild $ESBUILD_VERSION from npm into $tools"
    mkdir -p "$tools"
    (cd "$tools" && npm install --silent --no-audit --no-fund --no-save "binaryen@$BINARYEN_VERSION" "esbuild@$ESBUILD_VERSION" >/dev/null)
  fi
fi

if [ "${1:-}" = "--browser" ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  # nginx for the deployment test (tests/e2e/deploy_nginx.rs, deploy/nginx/); in /usr/sbin.
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from Debian"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
  fi
fi
