"""Benchmark of the text engine: run ``.venv/bin/python bench/text_engine.py``.

Texts: the corep-letter from ../shared/corpus (about 20 KB; read in place, never copied) or,
without the corpus, a generated text of the same size; 200 KB is ten perturbed copies of it.
Amendments are random word edits (replace, insert, delete 1-3 words) from a seeded RNG.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from diff_match_patch import diff_match_patch  # noqa: E402

from corep_drafts.domain.text import (  # noqa: E402
    competing_pairs,
    diff_words,
    edits_between,
    edits_from_diff,
    make_patch,
    rebase_all,
    render_draft,
    touched_range,
)

LETTER = REPOSITORY.parent / "shared" / "corpus" / "corep-letter" / "letter.md"
WORDS = [
    "section",
    "delegates",
    "declaration",
    "workers",
    "solidarity",
    "international",
    "amendment",
    "congress",
    "struggle",
    "rights",
    "wages",
    "democracy",
    "union",
    "peace",
    "against",
    "for",
    "with",
    "the",
    "of",
    "and",
    "to",
]


def text_of_20_kb(rng: random.Random) -> tuple[str, str]:
    if LETTER.is_file():
        return LETTER.read_text(encoding="utf-8"), "corep-letter"
    paragraphs = []
    while sum(map(len, paragraphs)) < 20_000:
        paragraphs.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 90))) + ".")
    return "\n\n".join(paragraphs) + "\n", "generated"


def text_of_200_kb(small: str, rng: random.Random) -> str:
    def perturbed(copy: int) -> str:
        words = small.split(" ")
        for _ in range(len(words) // 10):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        return f"## Part {copy}\n\n" + " ".join(words)

    return "\n\n".join(perturbed(copy) for copy in range(1, 11))


def amend(text: str, rng: random.Random) -> str:
    """1-3 random word edits (replace, insert or delete) at random places."""
    words = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(words))
        kind = rng.choice(["replace", "insert", "delete"])
        if kind == "replace":
            words[at] = rng.choice(WORDS)
        elif kind == "insert":
            words.insert(at, rng.choice(WORDS))
        elif len(words) > 1:
            del words[at]
    return " ".join(words)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def propose(base: str, amended: str) -> None:
    diff = diff_words(base, amended)
    make_patch(base, amended, diff=diff)
    touched_range(edits_from_diff(diff))


def rebase_figures(
    base: str, texts: dict[int, str], adopted: str, edits: dict, patches: dict
) -> str:
    dmp = diff_match_patch()
    outcome: dict = {}
    from_texts = timed(lambda: outcome.update(rebase_all(base, texts, adopted)))
    stored = {number: edits[number] for number in texts}
    from_edits = timed(lambda: rebase_all(base, stored, adopted))
    # A rebase builds an amendment's carried text when it is first read; what a close that
    # stores every carried text pays on top of the decisions:
    with_texts = timed(
        lambda: [
            result.text
            for result in rebase_all(base, stored, adopted).values()
            if type(result).__name__ == "Rebased"
        ]
    )
    conflicted = sum(type(result).__name__ == "Conflict" for result in outcome.values())
    bare = timed(
        lambda: [dmp.patch_apply(dmp.patch_fromText(patches[number]), adopted) for number in texts]
    )
    return (
        f"{ms(from_texts)} = {from_texts / bare:.2f}x, from edits {ms(from_edits)}"
        f" (with texts {ms(with_texts)});"
        f" {conflicted} conflicted; bare patch_apply {ms(bare)}"
    )


def measure(base: str, rng: random.Random) -> dict[str, str]:
    results: dict[str, str] = {}
    pending = {number: amend(base, rng) for number in range(1001)}
    sample_texts = list(pending.values())[:300]
    samples = [timed(lambda t=text: diff_words(base, t)) for text in sample_texts]
    results["word diff per amendment, p50 / p99"] = (
        f"{ms(statistics.median(samples))} / {ms(percentile(samples, 0.99))}"
    )
    samples = [timed(lambda t=text: propose(base, t)) for text in sample_texts]
    results["propose one amendment (diff + patch + range), p50"] = ms(statistics.median(samples))
    results["propose one amendment, p99"] = ms(percentile(samples, 0.99))
    edits = {number: edits_between(base, text) for number, text in pending.items()}
    patches = {number: make_patch(base, text) for number, text in pending.items()}
    # The adopted amendment is the one with the most rivals, so that some pending ones
    # really conflict; it is left out of the competing-pairs figures.
    rivals = competing_pairs(edits)
    adopted_number = max(pending, key=lambda number: sum(number in pair for pair in rivals))
    adopted = pending.pop(adopted_number)
    del edits[adopted_number]
    for count in (10, 100, 1000):
        chosen = dict(list(edits.items())[:count])
        best = min(timed(lambda chosen=chosen: competing_pairs(chosen)) for _ in range(5))
        pairs = len(competing_pairs(chosen))
        results[f"all competing pairs among {count}"] = f"{ms(best)} ({pairs} pairs)"
    for count in (10, 100, 1000):
        chosen_texts = dict(list(pending.items())[:count])
        results[f"rebase {count} pending after an adoption"] = rebase_figures(
            base, chosen_texts, adopted, edits, patches
        )
    first = min(pending)
    others = {number: text for number, text in pending.items() if number != first}
    results["rebase 1000 pending, adopting a one-word amendment instead"] = rebase_figures(
        base, dict(list(others.items())[:1000]), pending[first], edits, patches
    )
    words = base.split(" ")
    for _ in range(len(words) // 10):
        words[rng.randrange(len(words))] = rng.choice(WORDS)
    rewrite = " ".join(words)
    results["rebase 1000 pending, adopting a rewrite of a tenth of the words"] = (
        f"({len(edits_between(base, rewrite))} adopted edits) "
        + rebase_figures(base, dict(list(others.items())[:1000]), rewrite, edits, patches)
    )
    for count in (50, 1000):
        chosen_texts = dict(list(pending.items())[:count])
        chosen_edits = {number: edits[number] for number in chosen_texts}
        from_texts = timed(lambda texts=chosen_texts: render_draft(base, texts))
        from_edits = timed(lambda edits=chosen_edits: render_draft(base, edits))
        results[f"render draft, {count} amendments"] = (
            f"{ms(from_texts)} from texts; {ms(from_edits)} from stored edits"
        )
    return results


def adversarial(rng: random.Random, size: int) -> str:
    def random_text() -> str:
        vocabulary = [
            "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
            for _ in range(3000)
        ]
        pieces, length = [], 0
        while length < size:
            piece = rng.choice(vocabulary) + rng.choice([" ", " ", ", ", ".\n\n"])
            pieces.append(piece)
            length += len(piece)
        return "".join(pieces)

    old, new = random_text(), random_text()
    diff: list = []
    elapsed = timed(lambda: diff.extend(diff_words(old, new)))
    exact = (
        "".join(text for op, text in diff if op <= 0) == old
        and "".join(text for op, text in diff if op >= 0) == new
    )
    return f"{ms(elapsed)} ({len(diff)} segments, {'exact' if exact else 'WRONG'})"


def main() -> None:
    rng = random.Random(20250101)
    small, source = text_of_20_kb(rng)
    large = text_of_200_kb(small, rng)
    python = sys.version.split()[0]
    print(f"text: {source}, {len(small):,} and {len(large):,} characters; Python {python}")
    columns = [measure(small, random.Random(1)), measure(large, random.Random(2))]
    columns[0]["full rewrite (timeout 0.5 s)"] = adversarial(random.Random(3), 20_000)
    columns[1]["full rewrite (timeout 0.5 s)"] = adversarial(random.Random(4), 200_000)
    width = max(map(len, columns[0])) + 2
    print(f"{'measure':<{width}}| {'20 KB':<72}| 200 KB")
    print("-" * (width + 150))
    for name in columns[0]:
        print(f"{name:<{width}}| {columns[0][name]:<72}| {columns[1][name]}")


if __name__ == "__main__":
    main()
