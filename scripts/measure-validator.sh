#!/usr/bin/env bash
# Measures the browser validator against its budgets (issue 4): size of validator.js + .wasm, raw and
# gzipped (budget 150 KB gzipped, all data included), where the bytes go (twiggy), and in headless
# Chromium the module's init time (budget 30 ms) and a whole-form check (budget 1 ms).
# A measurement, not a test: it prints figures and exits 0. Usage: scripts/measure-validator.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
tmp=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

echo "== build (site-builder copies the embedded modules into /assets/validator/)"
cargo build -q -p site-builder
"${CARGO_TARGET_DIR:-target}"/debug/site-builder build --root tests/fixtures/validator --output "$tmp/site" | tail -1
dir="$tmp/site/assets/validator"

echo
echo "== size (goal, issue 22: 75 KB gzipped, JS + wasm, for a page with fields; the two tables follow it)"
size() {
  local total_raw=0 total_gz=0 f raw gz
  for f in "$@"; do
    raw=$(wc -c < "$dir/$f"); gz=$(gzip -9c "$dir/$f" | wc -c)
    total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
    printf '  %-18s %8d bytes raw %8d gzipped\n' "$f" "$raw" "$gz"
  done
  printf '  %-18s %8d bytes raw %8d gzipped (%d KB)\n' total "$total_raw" "$total_gz" $((total_gz / 1024))
}
size validator.js validator_bg.wasm field-checks.js
echo "== the tables the validator fetches once it has started (loadTables)"
size regions.txt public-suffixes.txt
echo "== the guide module (/wizard/, /materials/), for comparison"
size guide.js guide_bg.wasm

echo
echo "== data compiled in (wasm-validator/rules/data)"
for f in wasm-validator/rules/data/*.txt; do
  printf '  %-40s %8d bytes raw %8d gzipped\n' "$f" "$(wc -c < "$f")" "$(gzip -9c "$f" | wc -c)"
done

echo
echo "== where the bytes go (twiggy top, on the same module with its names kept)"
bash scripts/build-browser-modules.sh --check >/dev/null   # builds the module (and says if the committed one is stale)
wasm=${CARGO_TARGET_DIR:-target}/browser-modules/wasm32-unknown-unknown/wasm/beian_browser_checks.wasm
wasm-bindgen --target web --out-name named --out-dir "$tmp/named" --remove-producers-section "$wasm" 2>/dev/null
if command -v twiggy >/dev/null || [ -x "$HOME/.cargo/bin/twiggy" ]; then
  tw=$(command -v twiggy || echo "$HOME/.cargo/bin/twiggy")
  "$tw" top -n 25 "$tmp/named/named_bg.wasm" | cut -c1-150
  # Per crate, code only (the data segment is listed above).
  "$tw" top -n 100000 -f csv "$tmp/named/named_bg.wasm" | python3 -c '
import csv, re, sys, collections
agg = collections.Counter()
for r in csv.DictReader(sys.stdin):
    n, s = r["Name"], int(r["ShallowSize"])
    if n.startswith("custom section") or "names\" subsection" in n or n.startswith("data segment"):
        key = n
    else:
        m = re.search(r"\b([a-z_][a-z0-9_]*)(\[[0-9a-f]+\])?::", n)
        key = "crate " + m.group(1) if m else "other (exports, imports, tables, unnamed)"
    agg[key] += s
total = sum(agg.values())
print("  by crate or section:")
for k, v in agg.most_common(14):
    print(f"  {v:8d} {100 * v / total:5.1f}%  {k}")
'
else
  echo "  twiggy not installed: cargo install twiggy"
fi

echo
echo "== speed in headless Chromium (budgets: init 30 ms, whole-form check 1 ms), median of $runs runs"
mkdir -p "$tmp/site/measure"
cat > "$tmp/site/measure/index.html" <<'EOF'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>pending</title>
<script type="module" src="/measure/measure.js"></script></head><body></body></html>
EOF
{
  echo "const CLEAN = $(cat wasm-validator/rules/examples/form-clean.json);"
  cat <<'EOF'
import init, { checkForm, checkDomain, checkIdNumber, loadTables } from '/assets/validator/validator.js';
const t0 = performance.now();
await init();
const init_ms = performance.now() - t0;
const [regions, suffixes] = await Promise.all(['regions.txt', 'public-suffixes.txt'].map((n) => fetch(`/assets/validator/${n}`).then((r) => r.text())));
loadTables(regions, suffixes);
const options = { today: '2026-11-23', ipRanges: ['192.0.2.0/24', '198.51.100.0/24'] };
const broken = structuredClone(CLEAN);
broken.subject.principal.id_number = '33010619850301003x';
broken.websites[0].homepage = 'www.example.net';
// The first call of each kind parses the tables it needs (public suffixes, regions, word lists).
const once = (f) => { const s = performance.now(); const r = f(); return [performance.now() - s, r]; };
const [domain_first_ms] = once(() => checkDomain('example.com'));
const [id_first_ms] = once(() => checkIdNumber('33010619850301003X'));
const [first_ms, first] = once(() => checkForm(CLEAN, options));
const time = (form) => {
  for (let i = 0; i < 50; i++) checkForm(form, options);
  const n = 2000;
  const s = performance.now();
  for (let i = 0; i < n; i++) checkForm(form, options);
  return (performance.now() - s) / n;
};
const clean_ms = time(CLEAN), broken_ms = time(broken);
document.title = JSON.stringify({ init_ms, domain_first_ms, id_first_ms, first_ms, clean_ms, broken_ms, ok: first.ok, findings: checkForm(broken, options).findings.length });
EOF
} > "$tmp/site/measure/measure.js"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$tmp/site" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
dport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
chromedriver --port="$dport" >/dev/null 2>&1 &
driver=$!
trap 'kill $driver 2>/dev/null; cleanup' EXIT
sleep 1
# Plain WebDriver over HTTP: a fresh headless Chromium (cold cache) per run.
python3 - "$port" "$dport" "$runs" "$tmp" > "$tmp/results.jsonl" <<'EOF'
import json, sys, time, urllib.request
port, dport, runs, tmp = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{dport}{path}", method=method, data=data, headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))["value"]
for i in range(runs):
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--user-data-dir={tmp}/profile-{i}"]
    session = call("POST", "/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}})["sessionId"]
    try:
        call("POST", f"/session/{session}/url", {"url": f"http://127.0.0.1:{port}/measure/"})
        for _ in range(300):
            title = call("POST", f"/session/{session}/execute/sync", {"script": "return document.title", "args": []})
            if title != "pending":
                break
            time.sleep(0.1)
        print(title)
    finally:
        call("DELETE", f"/session/{session}")
EOF
grep -v '^{' "$tmp/results.jsonl" | sed 's/^/  run without result: /' || true
python3 - "$tmp/results.jsonl" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
if not rows:
    sys.exit("  no result from Chromium")
med = lambda k: statistics.median(r[k] for r in rows)
print(f"  runs: {len(rows)}; clean form ok: {all(r['ok'] for r in rows)}; broken form findings: {rows[0]['findings']}")
each = ", ".join("%.1f" % r["init_ms"] for r in rows)
print(f"  init (fetch + compile + instantiate, cold cache): {med('init_ms'):7.2f} ms  (runs: {each})")
print(f"  first checkDomain (parses the suffix list):      {med('domain_first_ms'):7.2f} ms")
print(f"  first checkIdNumber (parses the region table):   {med('id_first_ms'):7.2f} ms")
print(f"  first whole-form check after those two:          {med('first_ms'):7.2f} ms")
print(f"  whole-form check, clean form (mean of 2000):     {med('clean_ms') * 1000:7.1f} µs")
print(f"  whole-form check, form with 2 errors:            {med('broken_ms') * 1000:7.1f} µs")
EOF
