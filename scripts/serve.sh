#!/usr/bin/env bash
# Builds the help site and serves it at http://127.0.0.1:1111/ with live reload.
# Extra arguments go to `site-builder serve` (e.g. --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec cargo run --release -q -p site-builder --bin site-builder -- serve "$@"
