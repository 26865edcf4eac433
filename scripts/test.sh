#!/usr/bin/env bash
# Runs every test: unit tests, doctests, fixture sites built end to end, and browser tests in headless
# Chromium. Installs what the tests need first (see scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
cargo test --workspace --exclude e2e --no-fail-fast
# The end-to-end tests start servers and headless Chromium: one test at a time. Run side by side in
# one process, the /check/ page's renderer stopped answering (a 300 s WebDriver timeout) while the
# same tests pass one after the other; the cause is not found yet (issue 4's closing note).
RUST_TEST_THREADS=1 cargo test -p e2e --no-fail-fast
bash scripts/test-validator-wasm.sh
cargo run -q -p site-builder --bin site-builder -- check
