#!/usr/bin/env bash
# Installs what building and testing need, when it is missing. Safe to run again: each step checks first.
#   (no flag)  nothing beyond Rust: a site build needs only the site-builder binary, which embeds the
#              browser modules (site-builder/browser-modules/)
#   --wasm     the wasm32 target and wasm-bindgen-cli, to rebuild those modules
#              (scripts/build-browser-modules.sh) and run the bindings' browser tests
#   --browser  --wasm, plus Debian's Chromium and chromedriver for the browser tests
#              (and nginx, for the deployment test)
set -euo pipefail
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen crate version in Cargo.lock

say() { printf '==> %s\n' "$*"; }

if [ "${1:-}" = "--wasm" ] || [ "${1:-}" = "--browser" ]; then
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! command -v wasm-bindgen >/dev/null 2>&1 || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
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
