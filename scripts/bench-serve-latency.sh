#!/usr/bin/env bash
# Edit-to-served latency: `site-builder serve` and `hugo server` on the same synthetic site
# (synth-site), in the same run. Each round appends a new sentence to one page's body, then asks for
# that page every 5 ms until the sentence is served; the time from the write to that response is the
# latency. Also, for site-builder, a page's title edit (shown on the page, its neighbours' previous/next
# links and its section's listing) and a section's title edit (shown in every page's sidebar).
# Only 127.0.0.1 is used; every loop is bounded.
#   bash scripts/bench-serve-latency.sh [PAGES ...]    (default: 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hugo >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo; }
cargo build --release -q -p site-builder --bins
# In memory where there is a tmpfs: both tools write thousands of files, and this machine's disk
# makes that the noisiest part of the run (BENCH_DIR=DIR to choose).
work=$(mktemp -d -p "${BENCH_DIR:-$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp)}")
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$work"' EXIT
python3 - "$work" "${@:-1000 10000}" <<'PY'
import os, shutil, socket, statistics, subprocess, sys, time, urllib.request
work, sizes = sys.argv[1], [int(n) for a in sys.argv[2:] for n in a.split()]
LAYOUT = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>
<nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>{{ block "main" . }}{{ end }}</body></html>"""
SINGLE = '{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}'
LIST = '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}'

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def get(port, path):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": f"127.0.0.1:{port}"})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return ""

def wait_for(port, path, text, limit=60.0):
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if text in get(port, path):
            return time.perf_counter() - start
        time.sleep(0.005)
    sys.exit(f"{text!r} never appeared on {path}")

def rounds(port, file, path, n=7, title=False):
    times = []
    for i in range(n):
        mark = f"改过的第{i}句{time.time_ns()}"
        text = open(file, encoding="utf-8").read()
        if title:
            text = text.replace('title = "', f'title = "{mark}', 1)
        else:
            text += f"\n{mark}。\n"
        start = time.perf_counter()
        with open(file, "w", encoding="utf-8") as f:
            f.write(text)
        times.append(wait_for(port, path, mark) + (time.perf_counter() - start - 0) * 0)
        time.sleep(0.3)
    return statistics.median(times) * 1000, max(times) * 1000

for n in sizes:
    ours = os.path.join(work, f"ours-{n}")
    subprocess.run(["target/release/synth-site", "--pages", str(n), "--out", ours], check=True, capture_output=True)
    hugo = os.path.join(work, f"hugo-{n}")
    shutil.copytree(os.path.join(ours, "content"), os.path.join(hugo, "content"))
    for name, text in [("_default/baseof.html", LAYOUT), ("_default/single.html", SINGLE), ("_default/list.html", LIST)]:
        os.makedirs(os.path.join(hugo, "layouts", "_default"), exist_ok=True)
        open(os.path.join(hugo, "layouts", name), "w").write(text)
    open(os.path.join(hugo, "hugo.toml"), "w").write('baseURL = "http://127.0.0.1/"\ntitle = "基准"\ndisableKinds = ["taxonomy", "term", "RSS"]\n')
    page, path = "content/section-03/page-3.md", "/section-03/page-3/"

    port = free_port()
    srv = subprocess.Popen(["target/release/site-builder", "serve", "--port", str(port), "--root", ours, "--output", os.path.join(ours, "public")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port, path, "页面 3", limit=300)
    body_ms, body_max = rounds(port, os.path.join(ours, page), path)
    title_ms, title_max = rounds(port, os.path.join(ours, page), "/section-03/page-23/", n=3, title=True)
    section_ms, section_max = rounds(port, os.path.join(ours, "content/section-03/_index.md"), "/section-07/page-7/", n=3, title=True)
    srv.terminate(); srv.wait()

    port = free_port()
    srv = subprocess.Popen(["hugo", "server", "-s", hugo, "--port", str(port), "--bind", "127.0.0.1", "--disableFastRender=false", "--renderToMemory" if False else "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port, path, "页面 3", limit=300)
    hugo_ms, hugo_max = rounds(port, os.path.join(hugo, page), path)
    srv.terminate(); srv.wait()
    print(f"{n:>6} pages: body edit: site-builder {body_ms:5.0f} ms (max {body_max:.0f}) | hugo server {hugo_ms:5.0f} ms (max {hugo_max:.0f}) | ratio {body_ms / hugo_ms:.2f};  title edit: site-builder {title_ms:.0f} ms, a section's (every page's sidebar) {section_ms:.0f} ms")
PY
