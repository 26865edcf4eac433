#!/usr/bin/env bash
# The validator's JavaScript bindings, tested inside headless Chromium with wasm-bindgen-test
# (wasm-validator/browser-checks/tests/wasm_*.rs). Needs: rustup target add wasm32-unknown-unknown;
# cargo install wasm-bindgen-cli --version 0.2.130; chromium and chromium-driver.
set -euo pipefail
cd "$(dirname "$0")/.."
conf=$(mktemp)
trap 'rm -f "$conf"' EXIT
# Root in a container: Chromium needs --no-sandbox, which only a capabilities file can pass.
echo '{"goog:chromeOptions": {"args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]}}' > "$conf"
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export WASM_BINDGEN_TEST_WEBDRIVER_JSON=$conf
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER:-wasm-bindgen-test-runner}
export PATH="$PATH:$HOME/.cargo/bin"
for t in wasm-validator/browser-checks/tests/wasm_*.rs; do
  cargo test -p beian-browser-checks --target wasm32-unknown-unknown --test "$(basename "$t" .rs)" "$@"
done
