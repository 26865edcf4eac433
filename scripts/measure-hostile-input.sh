#!/usr/bin/env bash
# What hostile pages cost `check`: pages of N identical headings (unique ids used to take quadratic
# time) and 4 MB of nested Markdown (`[`, `>`, `*a `: the parser kept several hundred bytes per mark).
# Prints seconds and peak memory for each, for this build and, side by side, for an older binary.
#   bash scripts/measure-hostile-input.sh [OLD_SITE_BUILDER]
# Without OLD_SITE_BUILDER only this build is measured. Each run is limited to 120 s and 6 GB.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release -p site-builder --bin site-builder
new=$PWD/target/release/site-builder
old=${1:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/hostile-input.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'EOF'
import sys, os
work = sys.argv[1]
def page(name, body):
    os.makedirs(f"{work}/{name}/content", exist_ok=True)
    open(f"{work}/{name}/content/_index.md", "w").write("# 首页\n")
    open(f"{work}/{name}/content/p.md", "w").write("# 页\n\n" + body + "\n")
for n in (4166, 8333, 16666, 74000):
    page(f"headings-{n}", "## 标题\n\n" * n)
page("brackets-4MB", "[" * (4 << 20))
page("quotes-4MB", ">" * (4 << 20))
page("emphasis-4MB", "*a " * ((4 << 20) // 3))
EOF

measure() { # binary, site → "seconds s, peak MB, exit"
  /usr/bin/time -o "$work/time" -f '%e %M' timeout 120 prlimit --as=6442450944 "$1" check --root "$2" >/dev/null 2>&1 || true
  read -r secs kb < <(tail -1 "$work/time")
  if [[ "$secs" =~ ^[0-9.]+$ ]]; then printf '%6.2f s %6d MB' "$secs" $((kb / 1024)); else printf '  failed or over 120 s'; fi
}

printf '%-16s | %-20s | %s\n' "page" "this build" "${old:+older build}"
for site in "$work"/*/; do
  [ -d "$site/content" ] || continue
  name=$(basename "$site")
  printf '%-16s | %-20s | %s\n' "$name" "$(measure "$new" "$site")" "${old:+$(measure "$old" "$site")}"
done
