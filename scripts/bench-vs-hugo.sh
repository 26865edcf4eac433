#!/usr/bin/env bash
# Side-by-side build benchmark: the same synthetic Chinese site (synth-site: ~4 KB a page,
# 20 sections, headings with ids) built by site-builder, search index included, and by Hugo plus the
# Pagefind CLI, in the same run on the same machine. Prints wall time and peak memory of each and
# their ratio (ours / theirs): the machine is noisy, the ratio much less so.
#   bash scripts/bench-vs-hugo.sh [PAGES ...]      (default: 1000 10000)
# Installs Debian's hugo and the pagefind npm package (into target/bench-tools) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hugo >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo; }
tools=target/bench-tools
[ -x "$tools/node_modules/.bin/pagefind" ] || { mkdir -p "$tools" && (cd "$tools" && npm install --silent pagefind@1.6.0 >/dev/null); }
cargo build --release -q -p site-builder --bins
# In memory where there is a tmpfs: both tools write thousands of files, and this machine's disk
# makes that the noisiest part of the run (BENCH_DIR=DIR to choose).
work=$(mktemp -d -p "${BENCH_DIR:-$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp)}")
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$tools/node_modules/.bin/pagefind" "${@:-1000 10000}" <<'PY'
import os, resource, shutil, subprocess, sys, time
work, pagefind, sizes = sys.argv[1], os.path.abspath(sys.argv[2]), [int(n) for a in sys.argv[3:] for n in a.split()]
LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} - {{ .Site.Title }}</title>
<link rel="stylesheet" href="/style.css"></head><body><nav><ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>""",
    "_default/single.html": """{{ define "main" }}<article data-pagefind-body><h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}</article>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}""",
    "_default/list.html": """{{ define "main" }}<article data-pagefind-body><h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></article>{{ end }}""",
}
def run(cmds):
    """Wall time of each command, run one after another, and the largest peak memory of any (MB)."""
    times = []; peak = 0
    for cmd in cmds:
        start = time.perf_counter()
        out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if out.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
        peak = max(peak, int(out.stderr.strip().splitlines()[-1]) // 1024)
    return times, peak
for run_number, n in enumerate(sizes):
    ours = os.path.join(work, f"ours-{run_number}-{n}")
    subprocess.run(["target/release/synth-site", "--pages", str(n), "--out", ours], check=True, capture_output=True)
    hugo = os.path.join(work, f"hugo-{run_number}-{n}")
    shutil.copytree(os.path.join(ours, "content"), os.path.join(hugo, "content"))
    for name, text in LAYOUTS.items():
        os.makedirs(os.path.dirname(os.path.join(hugo, "layouts", name)), exist_ok=True)
        open(os.path.join(hugo, "layouts", name), "w").write(text)
    open(os.path.join(hugo, "hugo.toml"), "w").write('baseURL = "https://help.example.com/"\ntitle = "基准"\nlanguageCode = "zh-CN"\ndisableKinds = ["taxonomy", "term", "RSS"]\n')
    (t_ours,), m_ours = run([["target/release/site-builder", "build", "--root", ours, "--output", os.path.join(ours, "public")]])
    (t_hugo, t_pagefind), m_hugo = run([["hugo", "--quiet", "-s", hugo], [pagefind, "--site", os.path.join(hugo, "public"), "--force-language", "zh", "--quiet"]])
    files = lambda d: sum(len(f) for _, _, f in os.walk(d))
    print(f"{n:>6} pages: site-builder {t_ours:6.2f} s, {m_ours:5d} MB, {files(os.path.join(ours, 'public'))} files | Hugo {t_hugo:6.2f} s, {files(os.path.join(hugo, 'public')) } files with Pagefind's | + Pagefind {t_hugo + t_pagefind:6.2f} s, {m_hugo:5d} MB"
          f" | ratio time to Hugo {t_ours / t_hugo:.2f}, to Hugo + Pagefind {t_ours / (t_hugo + t_pagefind):.2f}, memory {m_ours / m_hugo:.2f}")
PY
