#!/usr/bin/env bash
# The first field check on /check/ as a customer on a phone meets it (issue 22): a cold cache in
# headless Chromium, the network throttled through the DevTools protocol
# (Network.emulateNetworkConditions: 1.6 Mbps down, 750 kbps up, 150 ms latency), the site served
# with its .gz copies as a host sends them. For each field, a fresh browser opens /check/; the moment
# the validator says it is ready (html[data-field-checks]) the field gets a value and a change event,
# and the time is taken when its message changes. Times are from the start of navigation.
#   mobile       subject.principal.mobile: needs no table
#   id-number    subject.certificate_number: answered at once (format, checksum), its region code
#                checked again when the region table (fetched after the module) arrives; modules
#                before that change waited for the table
# A measurement, not a test: it prints figures and exits 0.
#   bash scripts/measure-first-check.sh [RUNS] [--modules DIR]
# --modules DIR puts an older validator.js, validator_bg.wasm and field-checks.js (from DIR) in the
# built site in place of the current ones, to measure a before/after in the same conditions.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
modules=
[ "${2:-}" = "--modules" ] && modules=$3
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

cargo build -q -p site-builder
"${CARGO_TARGET_DIR:-target}/debug/site-builder" build --output "$tmp/site" | tail -1

if [ -n "$modules" ]; then
  python3 - "$tmp/site/assets/validator" "$modules" <<'EOF'
import glob, gzip, os, re, sys
site, src = sys.argv[1], sys.argv[2]
def hashed(stem, ext):
    return os.path.basename(glob.glob(f"{site}/{stem}.*.{ext}")[0])
wasm, js, fc = hashed("validator_bg", "wasm"), hashed("validator", "js"), hashed("field-checks", "js")
data = {
    wasm: open(f"{src}/validator_bg.wasm", "rb").read(),
    js: open(f"{src}/validator.js", "rb").read().replace(b"'validator_bg.wasm'", f"'{wasm}'".encode()).replace(b'"validator_bg.wasm"', f'"{wasm}"'.encode()),
    fc: open(f"{src}/field-checks.js", "rb").read().replace(b"'./validator.js'", f"'./{js}'".encode()),
}
for name, b in data.items():
    open(f"{site}/{name}", "wb").write(b)
    open(f"{site}/{name}.gz", "wb").write(gzip.compress(b, 9, mtime=0))
print("modules from", src, {n: len(gzip.compress(b, 9)) for n, b in data.items()})
EOF
fi

# A static host in the README's manner: FILE.gz to clients that accept gzip, application/wasm.
cat > "$tmp/serve.py" <<'EOF'
import http.server, os, sys
root = sys.argv[1]
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm",
         ".json": "application/json", ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml", ".bin": "application/octet-stream"}
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        path = os.path.normpath(self.path.split("?")[0]).lstrip("/")
        f = os.path.join(root, path)
        if os.path.isdir(f): f = os.path.join(f, "index.html")
        status = 200
        if not os.path.isfile(f): f, status = os.path.join(root, "404.html"), 404
        gz = "gzip" in self.headers.get("Accept-Encoding", "") and os.path.isfile(f + ".gz")
        body = open(f + ".gz" if gz else f, "rb").read()
        self.send_response(status)
        self.send_header("Content-Type", TYPES.get(os.path.splitext(f)[1], "application/octet-stream"))
        if gz: self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print("port", s.server_address[1], flush=True)
s.serve_forever()
EOF
# Both servers take a free port themselves and say which: no port is chosen here.
setsid python3 "$tmp/serve.py" "$tmp/site" > "$tmp/serve.log" 2>&1 &
pids+=($!)
setsid chromedriver --port=0 > "$tmp/driver.log" 2>&1 &
pids+=($!)
port= dport=
for _ in $(seq 1 200); do
  port=$(grep -o '^port [0-9]*' "$tmp/serve.log" | grep -o '[0-9]*' || true)
  dport=$(grep -o 'started successfully on port [0-9]*' "$tmp/driver.log" | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && [ -n "$dport" ] && break
  sleep 0.05
done
[ -n "$port" ] && [ -n "$dport" ] || { echo "server or chromedriver did not start" >&2; exit 1; }

python3 - "$port" "$dport" "$runs" "$tmp" <<'EOF'
import json, statistics, sys, time, urllib.request
port, dport, runs, tmp = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{dport}{path}", method=method, data=data, headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))["value"]
PROBE = """(() => {
  const [selector, value] = %s;
  const out = window.__firstCheck = {};
  const go = () => {
    const el = document.querySelector(selector);
    const msg = document.getElementById(el.getAttribute('aria-describedby').split(' ')[0]);
    new MutationObserver((_, o) => { if (msg.hasAttribute('data-shown')) { out.checked = performance.now(); out.text = msg.textContent; o.disconnect(); } })
      .observe(msg, { attributes: true, childList: true, subtree: true, characterData: true });
    el.value = value;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  };
  new MutationObserver((_, o) => {
    if (document.documentElement.dataset.fieldChecks === 'ready') { out.ready = performance.now(); o.disconnect(); go(); }
  }).observe(document, { attributes: true, subtree: true });
})();"""
FIELDS = {"mobile": ("#subject-principal-mobile", "1380013800"), "id-number": ("#subject-certificate_number", "33010619850301003x")}
results = {k: [] for k in FIELDS}
for i in range(runs):
    for field, probe in FIELDS.items():
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                f"--user-data-dir={tmp}/profile-{field}-{i}"]
        sid = call("POST", "/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}})["sessionId"]
        cdp = lambda cmd, params={}: call("POST", f"/session/{sid}/goog/cdp/execute", {"cmd": cmd, "params": params})
        try:
            cdp("Network.enable")
            cdp("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp("Network.emulateNetworkConditions", {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8})
            cdp("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE % json.dumps(probe)})
            call("POST", f"/session/{sid}/url", {"url": f"http://127.0.0.1:{port}/check/"})
            for _ in range(600):
                r = call("POST", f"/session/{sid}/execute/sync", {"script": "return window.__firstCheck && window.__firstCheck.checked ? window.__firstCheck : null", "args": []})
                if r: break
                time.sleep(0.05)
            results[field].append(r)
        finally:
            call("DELETE", f"/session/{sid}")
for field, rows in results.items():
    rows = [r for r in rows if r]
    if not rows:
        print(f"  {field}: no result"); continue
    med = lambda k: statistics.median(r[k] for r in rows)
    print(f"  {field:10s} module ready {med('ready'):6.0f} ms, field checked {med('checked'):6.0f} ms after navigation (median of {len(rows)}: "
          + ", ".join(f"{r['checked']:.0f}" for r in rows) + f"); message: {rows[0]['text'][:40]!r}")
EOF
