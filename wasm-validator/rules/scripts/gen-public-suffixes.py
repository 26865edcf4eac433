#!/usr/bin/env python3
"""Regenerate data/public-suffixes.txt: the ICANN section of the Public Suffix List (MPL-2.0).

    pip download --no-deps publicsuffixlist==1.1.2.20261023 -d /tmp/psl
    python3 scripts/gen-public-suffixes.py /tmp/psl/publicsuffixlist-1.1.2.20261023-py3-none-any.whl \
        > data/public-suffixes.txt

Only the ICANN section: private suffixes (github.io, …) are not registrable domains for a filing.
Rules keep the list's own syntax (`*.` wildcards, `!` exceptions) in Unicode, lower case. They are
grouped by top-level domain, one line each: `TLD REST REST …`, where REST is the rule without its last
label (`-` for the TLD's own rule). Lines are sorted by TLD and the rests within a line by byte value,
so the validator can binary-search them. Grouping saves the repeated TLDs (24 KB gzipped, not 28 KB).

One cut: under .jp only the second-level rules are kept (co.jp, aichi.jp, …), not the city-level ones
(kawasaki.kanagawa.jp, *.kobe.jp, …). They were 43% of the file and 8.5 KB gzipped of the browser
module, and no filing can use them: .jp is not among the top-level domains MIIT has approved.
"""
import sys
import zipfile

VERSION = "1.1.2.20261023"
# TLD -> keep only rules of this many labels or fewer (see the docstring).
MAX_LABELS = {"jp": 2}


def main():
    if len(sys.argv) != 2 or VERSION not in sys.argv[1]:
        sys.exit(f"usage: gen-public-suffixes.py publicsuffixlist-{VERSION}-py3-none-any.whl")
    with zipfile.ZipFile(sys.argv[1]) as zf:
        text = zf.read("publicsuffixlist/public_suffix_list.dat").decode("utf-8")
    rules, inside = set(), False
    for line in text.splitlines():
        line = line.strip()
        if "===BEGIN ICANN DOMAINS===" in line:
            inside = True
        elif "===END ICANN DOMAINS===" in line:
            inside = False
        elif inside and line and not line.startswith("//"):
            rule = line.split()[0].lower()
            labels = rule.lstrip("!").split(".")
            if len(labels) <= MAX_LABELS.get(labels[-1], len(labels)):
                rules.add(rule)
    groups = {}
    for rule in rules:
        exception = rule.startswith("!")
        labels = rule.lstrip("!").split(".")
        rest = ".".join(labels[:-1]) or "-"
        groups.setdefault(labels[-1], []).append(("!" if exception else "") + rest)
    key = lambda s: s.encode("utf-8")
    for tld in sorted(groups, key=key):
        sys.stdout.write(" ".join([tld] + sorted(groups[tld], key=key)) + "\n")


if __name__ == "__main__":
    main()
