#!/usr/bin/env bash
# Builds the help site and serves it at http://127.0.0.1:1111/ with live reload.
# Extra arguments go to `site-builder serve` (e.g. --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The dev profile: it compiles in about half the time of --release, and builds this site in well
# under a second all the same (use --release for a site of thousands of pages).
exec cargo run -q -p site-builder --bin site-builder -- serve "$@"
