#!/usr/bin/env bash
# What hostile pages cost `check`: pages of N identical headings (unique ids used to take quadratic
# time) and 4 MB of nested Markdown (`[`, `>`, `*a `: the parser kept several hundred bytes per mark);
# the second attack review's quadratic checks (F3: a term's word written 800,000 times; F6: a fact
# typed 80,000 times, 20,000 data-file links, 40,000 asked-as phrases, 330,000 `{fact:` in a title,
# 400,000 `{` in a fact) and F4's long title x 5,000 headings, which costs `build` (the search index),
# not `check`: that case runs `build`, and its output size is printed.
# Prints seconds, peak memory and exit status for each, for this build and, side by side, for an
# older binary.
#   bash scripts/measure-hostile-input.sh [OLD_SITE_BUILDER]      (or OLD_BINARY=... in the environment)
# Without an older binary only this build is measured. Each run is limited to 120 s and 6 GB.
# An older binary may refuse a case's data (it prints exit 1 in a fraction of a second).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release -p site-builder --bin site-builder
new=${CARGO_TARGET_DIR:-$PWD/target}/release/site-builder
old=${1:-${OLD_BINARY:-}}
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
def data(name, file, text):
    os.makedirs(f"{work}/{name}/content/_data", exist_ok=True)
    open(f"{work}/{name}/content/_data/{file}", "w").write(text)
def front(name, front_matter, body="正文。"):
    open(f"{work}/{name}/content/p.md", "w").write(f"+++\n{front_matter}\n+++\n{body}\n")
# F3: terms.toml refuses 信息安全管理协议 beside 信息安全管理协议书, written 800,000 times (9.6 MB).
page("f3-terms-9MB", ("信息安全管理协议书，" * 10 + "\n") * 80000)
data("f3-terms-9MB", "terms.toml", '[[terms]]\nuse = "信息安全管理协议书"\nnot = ["信息安全管理协议"]\n')
# F4: a 10,000-character title on a page of 5,000 headings (build; now an error at the title).
page("f4-title-build", "")
front("f4-title-build", 'title = "' + ("备案标题很长" * 2000)[:10000] + '"', "".join(f"## h{i}\n\n" for i in range(5000)))
open(f"{work}/f4-title-build/command", "w").write("build")
# F4 at the limit: a 100-character title on a page of 5,000 headings (build).
page("f4-title100-build", "")
front("f4-title100-build", 'title = "' + "备" * 100 + '"', "".join(f"## h{i}\n\n" for i in range(5000)))
open(f"{work}/f4-title100-build/command", "w").write("build")
# F6: a fact's words typed 80,000 times (1.9 MB, 8,000 lines).
page("f6-facts-2MB", ("要等20 个工作日，" * 10 + "\n") * 8000)
data("f6-facts-2MB", "facts.toml", '[review_days]\nvalue = "20 个工作日"\nsource = "004 #43"\n')
# F6: 20,000 statuses, each linking its own address (2.9 MB).
page("f6-data-links", "")
data("f6-data-links", "statuses.toml", '[who]\nyou = "你"\n' + "".join(
    f'[[statuses]]\nid = "s{i}"\nstatus = "状态{i}"\nmeaning = "m"\nwho = "you"\ntodo = "t"\nsource = "s"\nlinks = [{{ title = "x", url = "/p/?s{i}" }}]\n'
    for i in range(20000)))
# F6: 40,000 asked-as phrases.
page("f6-asked-40k", "")
front("f6-asked-40k", 'title = "P"\nasked = [' + ",".join(f'"问法{i}号"' for i in range(40000)) + "]")
# F6: 330,000 `{fact:` in a title (2 MB), and a fact's words of 400,000 `{`.
page("f6-title-facts", "")
front("f6-title-facts", 'title = "' + "{fact:" * 330000 + '"')
page("f6-fact-braces", "")
data("f6-fact-braces", "facts.toml", '[braces]\nvalue = "' + "{" * 400000 + '"\nsource = "s"\n')
EOF

measure() { # binary, site -> "seconds s, peak MB, exit N" (build: and the output's size)
  local command=check
  [ -f "$2/command" ] && command=$(cat "$2/command")
  rm -rf "$2/public"
  /usr/bin/time -o "$work/time" -f '%e %M %x' timeout 120 prlimit --as=6442450944 "$1" "$command" --root "$2" >/dev/null 2>&1 || true
  read -r secs kb status < <(tail -1 "$work/time")
  if [[ "$secs" =~ ^[0-9.]+$ ]]; then printf '%6.2f s %6d MB exit %s' "$secs" $((kb / 1024)) "$status"; else printf '  failed or over 120 s'; fi
  if [ -d "$2/public" ]; then printf ', %s out' "$(du -sh --apparent-size "$2/public" | cut -f1)"; fi
}

printf '%-18s | %-34s | %s\n' "page" "this build" "${old:+older build}"
for site in "$work"/*/; do
  [ -d "$site/content" ] || continue
  name=$(basename "$site")
  printf '%-18s | %-34s | %s\n' "$name" "$(measure "$new" "$site")" "${old:+$(measure "$old" "$site")}"
done
