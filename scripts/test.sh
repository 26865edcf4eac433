#!/usr/bin/env bash
# Runs every test: unit tests, doctests, fixture sites built end to end, and browser tests in headless
# Chromium. Installs what the tests need first (see scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
# The embedded browser modules must be what the current rules build (fails if they are stale).
bash scripts/build-browser-modules.sh --check
# The workspace's lints ([workspace.lints] in Cargo.toml), natively and for the browser crates.
cargo clippy -q --workspace --all-targets -- -D warnings
cargo clippy -q --target wasm32-unknown-unknown -p beian-browser-checks -p beian-browser-guide -p beian-browser-glue -- -D warnings
cargo test --workspace --exclude e2e --no-fail-fast
cargo test -p e2e --no-fail-fast
bash scripts/test-validator-wasm.sh
# The search tokenizer in the browser engine gives the words site-builder gives.
node tests/node/tokenizer.mjs
node tests/node/meanings.mjs
cargo run -q -p site-builder --bin site-builder -- check
# Every fact in one place: no registered fact or status meaning written twice.
python3 scripts/repeated-facts.py
