#!/usr/bin/env bash
# The validator's JavaScript bindings, tested inside headless Chromium with wasm-bindgen-test
# (wasm-validator/browser-checks/tests/wasm_*.rs). Needs: rustup target add wasm32-unknown-unknown;
# cargo install wasm-bindgen-cli --version 0.2.130; chromium and chromium-driver.
set -euo pipefail
cd "$(dirname "$0")/.."
conf=$(mktemp)
driver_log=$(mktemp)
driver=""
trap '[ -n "$driver" ] && kill -- "-$driver" 2>/dev/null; rm -f "$conf" "$driver_log"' EXIT
# Root in a container: Chromium needs --no-sandbox, which only a capabilities file can pass.
echo '{"goog:chromeOptions": {"args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]}}' > "$conf"
# One chromedriver for every test file, on a port it takes itself (--port=0) and reports: the test
# runner's own way (pick a free port, let it go, start the driver on it) can lose the port to another
# process in between. In its own session, so that the trap stops it and its browsers.
setsid "${CHROMEDRIVER:-/usr/bin/chromedriver}" --port=0 >"$driver_log" 2>&1 &
driver=$!
port=""
for _ in $(seq 1 600); do
  port=$(grep -o 'started successfully on port [0-9]*' "$driver_log" | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  kill -0 "$driver" 2>/dev/null || { cat "$driver_log" >&2; echo "chromedriver exited before saying its port" >&2; exit 1; }
  sleep 0.05
done
[ -n "$port" ] || { echo "chromedriver did not say its port within 30 s" >&2; exit 1; }
export CHROMEDRIVER_REMOTE="http://127.0.0.1:$port"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON=$conf
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER:-wasm-bindgen-test-runner}
export PATH="$PATH:$HOME/.cargo/bin"
for t in wasm-validator/browser-checks/tests/wasm_*.rs; do
  cargo test -p beian-browser-checks --target wasm32-unknown-unknown --test "$(basename "$t" .rs)" "$@"
done
