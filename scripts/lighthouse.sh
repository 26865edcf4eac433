#!/usr/bin/env bash
# Scores built pages with Lighthouse 13 (offline, Debian's Chromium): accessibility, performance,
# best practices, SEO. Usage: bash scripts/lighthouse.sh BASE_URL PATH...
# Needs: npm install --prefix "${LH_PREFIX:-/tmp/lh}" lighthouse@13
set -euo pipefail
base=$1; shift
lh="${LH_PREFIX:-/tmp/lh}/node_modules/.bin/lighthouse"
[ -x "$lh" ] || npm install --prefix "${LH_PREFIX:-/tmp/lh}" lighthouse@13 >/dev/null
export CHROME_PATH=/usr/bin/chromium
for path in "$@"; do
  out=$(mktemp)
  "$lh" "$base$path" --quiet --output=json --output-path="$out" \
    --only-categories=accessibility,performance,best-practices,seo \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" >/dev/null 2>&1 || true
  python3 - "$out" "$path" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["categories"]
scores = " ".join(f"{k}={c[k]['score']:.2f}" for k in ["accessibility", "performance", "best-practices", "seo"])
print(f"{sys.argv[2]:<40} {scores}")
for k in c:
    for ref in c[k]["auditRefs"]:
        a = r["audits"][ref["id"]]
        if ref["weight"] and a["score"] is not None and a["score"] < 1:
            print(f"    {k}: {a['id']} {a['score']}: {a['title']}")
PY
  rm -f "$out"
done
