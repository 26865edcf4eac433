#!/usr/bin/env bash
# Big-input figures: one page of 1, 4 and 10 MB of Chinese Markdown, and one line of
# 700,000 Chinese characters, and 10 MB in one paragraph, each checked and built with the release builder. Reports wall time and
# peak memory; the build's own step times show where the time goes (render, index: parse).
# Usage: bash scripts/measure-big-input.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p site-builder --bin site-builder
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" target/release/site-builder <<'PY'
import os, random, resource, subprocess, sys, time
work, binary = sys.argv[1:]
para = "备案需要准备主体证件和负责人证件，请按照系统提示上传清晰的彩色扫描件。[常见问题](/faq/)里有更多说明。\n\n"
random.seed(1)
chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自"
# Paragraphs of ten sentences: a page holds at most 50,000 lines (docs/content-format.md).
para = para.strip() * 10 + "\n\n"
cases = [(f"{mb} MB page", para * (mb * 1024 * 1024 // len(para.encode()))) for mb in (1, 4, 10)]
cases.append(("10 MB in one paragraph", "备案需要准备主体证件和负责人证件请按照系统提示上传清晰的彩色扫描件。" * 100_000 + "\n"))
cases.append(("700,000-character line", "".join(random.choice(chars) for _ in range(700_000)) + "\n"))
for name, body in cases:
    site = os.path.join(work, "".join(c for c in name if c.isalnum()))
    os.makedirs(os.path.join(site, "content"))
    for file, text in [("_index.md", "# 首页\n\n正文\n"), ("faq.md", "# 常见问题\n\n正文\n"), ("big.md", "# 大页面\n\n" + body)]:
        with open(os.path.join(site, "content", file), "w") as f:
            f.write(text)
    for command in ("check", "build"):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        out = subprocess.run([binary, command, "--root", site], capture_output=True, text=True)
        wall = time.perf_counter() - start
        if out.returncode != 0:
            sys.exit(out.stderr)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        steps = out.stdout.strip().split(" in ", 1)[1] if command == "build" else ""
        print(f"{name:>24} {command:>5}: {wall:6.2f} s, peak {max(peak, before) / 1024:5.0f} MB  {steps}")
PY
