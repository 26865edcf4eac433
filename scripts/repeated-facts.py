#!/usr/bin/env python3
"""Lists the facts written in more than one place, and prints how many (the goal is 0).

A fact is written in its one place: content/_data/facts.toml (numbers, deadlines, copy counts,
places in the filing system, lists of operations, the verification order, ...) or, for a status's
meaning, content/_data/statuses.toml. Pages use {{ fact(key="…") }} / {{ status(id="…") }}, data files
{fact:key}. Any other place where a fact's registered words (value, yes, no, also) or a status's
meaning are typed is a second place: it is listed here with its file and line. `check` refuses the
facts' words too; this script is the reviewer's count, and also covers status meanings.

    python3 scripts/repeated-facts.py            # the list and the count; exit 1 when the count is not 0
    python3 scripts/repeated-facts.py --numbers  # also lists hand-typed numbers with a unit (天, 日,
                                                 # 个工作日, 份) outside any fact, for a reviewer to judge
"""
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
CALL = re.compile(r"\{\{.*?\}\}|\{fact:[a-z0-9_]+\}", re.S)
NUMBER = re.compile(r"\d+\s?(个工作日|天|日|份)")


def blank_calls(text: str) -> str:
    """The text with every shortcode call and {fact:…} blanked out (offsets and lines kept)."""
    return CALL.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def without_asked(text: str) -> str:
    """Front matter `asked` phrasings are the customers' words, not the site's statements."""
    return re.sub(r"(?ms)^asked = \[.*?^\]$|^\[asked_at\]\n(?:[^\[+][^\n]*\n)*", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def sources():
    for path in sorted(CONTENT.rglob("*")):
        if path.suffix == ".md" or (path.suffix == ".toml" and path.parent.name == "_data" and path.stem not in ("facts", "search", "terms")):
            yield path, blank_calls(without_asked(path.read_text(encoding="utf-8")))


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def main() -> int:
    facts = tomllib.loads((CONTENT / "_data/facts.toml").read_text(encoding="utf-8"))
    statuses = tomllib.loads((CONTENT / "_data/statuses.toml").read_text(encoding="utf-8"))
    words = {}  # key -> words that are this fact
    for key, f in facts.items():
        words[key] = [w for w in [f.get("value"), f.get("yes"), f.get("no"), *f.get("also", [])] if w and w.strip()]
        # A provider fact's words hold {settings}: look for the text between them.
        # (only the longer pieces: a short one like 备案属于 is no fact on its own).
        words[key] = [w for w in words[key] if "{" not in w] + [
            part for w in words[key] if "{" in w for part in re.split(r"\{[a-z_]+\}", w) if len(part.strip()) >= 8
        ]
    for s in statuses.get("statuses", []):
        if len(s["meaning"]) >= 8:
            words[f"status:{s['id']}"] = [s["meaning"]]

    places = {key: [] for key in words}
    numbers = []
    texts = list(sources())
    for path, text in texts:
        rel = path.relative_to(ROOT)
        is_statuses = path.name == "statuses.toml"
        taken = []
        for key, ws in sorted(words.items(), key=lambda kv: -max(map(len, kv[1]))):
            if key.startswith("status:") and is_statuses:
                continue
            for w in sorted(ws, key=len, reverse=True):
                for m in re.finditer(re.escape(w), text):
                    if any(a <= m.start() < b for a, b in taken):
                        continue
                    taken.append((m.start(), m.end()))
                    places[key].append(f"{rel}:{line_of(text, m.start())}: {w}")
        for m in NUMBER.finditer(text):
            if not any(a <= m.start() < b for a, b in taken):
                numbers.append(f"{rel}:{line_of(text, m.start())}: {m.group(0)}")

    repeated = {k: v for k, v in places.items() if v}
    for key, where in sorted(repeated.items()):
        home = "content/_data/statuses.toml" if key.startswith("status:") else "content/_data/facts.toml"
        print(f"{key}: written in {len(where) + 1} places ({home} and)")
        for w in where:
            print(f"  {w}")
    if "--numbers" in sys.argv:
        print(f"\nnumbers with a unit typed outside any fact ({len(numbers)}; not counted, for review):")
        for n in numbers:
            print(f"  {n}")
    print(f"{len(repeated)} facts written in more than one place ({len(words)} registered: {len(facts)} facts, {len(words) - len(facts)} status meanings)")
    return 1 if repeated else 0


if __name__ == "__main__":
    sys.exit(main())
