#!/usr/bin/env bash
# Build benchmark: writes synthetic Chinese sites (about 4 KB of text a page, 20 sections) and builds
# each with the release builder, reporting wall time, peak memory and the time of every step.
# Usage: bash scripts/bench-build.sh [PAGES ...]   (default: 100 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p site-builder --bins
bin=target/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in "${@:-100 10000}"; do
  for pages in $n; do
    site="$work/site-$pages"
    "$bin/synth-site" --pages "$pages" --out "$site" >/dev/null
    # Peak resident memory from the kernel's accounting of the finished child (no extra tools needed).
    python3 - "$bin/site-builder" "$site" "$pages" <<'PY'
import resource, subprocess, sys, time
binary, site, pages = sys.argv[1:]
start = time.perf_counter()
out = subprocess.run([binary, "build", "--root", site], capture_output=True, text=True)
wall = time.perf_counter() - start
if out.returncode != 0:
    sys.exit(out.stderr)
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{pages:>6} pages: wall {wall:.2f} s, peak memory {peak_mb:.0f} MB")
print("        " + out.stdout.strip().split(": ", 1)[1])
PY
  done
done
