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
    base: str,
    texts: dict[int, str],
    adopted: str,
    edits: dict,
    patches: dict,
    raw: dict | None = None,
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
    if raw is not None:
        raw.update(from_texts=from_texts, from_edits=from_edits, with_texts=with_texts, bare=bare)
    return (
        f"{ms(from_texts)} = {from_texts / bare:.2f}x, from edits {ms(from_edits)}"
        f" (with texts {ms(with_texts)});"
        f" {conflicted} conflicted; bare patch_apply {ms(bare)}"
    )


def measure(base: str, rng: random.Random, raw: dict | None = None) -> dict[str, str]:
    """The figures as text; with ``raw``, the seconds behind the targeted ones are kept there."""
    raw = {} if raw is None else raw
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
    raw["propose p99"] = percentile(samples, 0.99)
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
        raw[f"pairs {count}"] = best
        results[f"all competing pairs among {count}"] = f"{ms(best)} ({pairs} pairs)"
    for count in (10, 100, 1000):
        chosen_texts = dict(list(pending.items())[:count])
        raw[f"rebase {count}"] = {}
        results[f"rebase {count} pending after an adoption"] = rebase_figures(
            base, chosen_texts, adopted, edits, patches, raw[f"rebase {count}"]
        )
    first = min(pending)
    others = {number: text for number, text in pending.items() if number != first}
    raw["rebase 1000 one-word"] = {}
    results["rebase 1000 pending, adopting a one-word amendment instead"] = rebase_figures(
        base,
        dict(list(others.items())[:1000]),
        pending[first],
        edits,
        patches,
        raw["rebase 1000 one-word"],
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
        raw[f"render {count}"] = from_edits
        results[f"render draft, {count} amendments"] = (
            f"{ms(from_texts)} from texts; {ms(from_edits)} from stored edits"
        )
    return results


def adversarial(rng: random.Random, size: int, raw: dict | None = None) -> str:
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
    if raw is not None:
        raw.update(rewrite=elapsed, rewrite_exact=exact)
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


def target_rows() -> list[dict]:
    """The engine's targeted figures, measured again, as rows of the benchmark table (figure,
    target, measured, bare, ratio, met, note): what `bench/all.py` prints."""
    rng = random.Random(20250101)  # the texts main() measures
    small, _ = text_of_20_kb(rng)
    large = text_of_200_kb(small, rng)
    small_raw: dict = {}
    large_raw: dict = {}
    measure(small, random.Random(1), small_raw)
    measure(large, random.Random(2), large_raw)
    adversarial(random.Random(3), 20_000, small_raw)
    adversarial(random.Random(4), 200_000, large_raw)
    rebase, one_word = small_raw["rebase 1000"], small_raw["rebase 1000 one-word"]

    def row(figure, target, measured, met, bare="", ratio="", note=""):
        return {
            "figure": f"text engine: {figure}",
            "target": target,
            "measured": measured,
            "bare": bare,
            "ratio": ratio,
            "met": met,
            "note": note,
        }

    def scaled(figure, small_seconds, large_seconds):
        ratio = large_seconds / small_seconds
        return row(
            f"{figure}, 200 KB against 20 KB",
            "<= ~10x the 20 KB figure",
            ms(large_seconds),
            met=ratio <= 10,
            bare=f"20 KB: {ms(small_seconds)}",
            ratio=f"{ratio:.1f}x",
            note="" if ratio <= 10 else "more than 10x the 20 KB figure",
        )

    return [
        row(
            "propose one amendment, p99, 20 KB",
            "< 5 ms",
            ms(small_raw["propose p99"]),
            small_raw["propose p99"] < 0.005,
        ),
        row(
            "all competing pairs among 1,000, 20 KB",
            "< 50 ms",
            ms(small_raw["pairs 1000"]),
            small_raw["pairs 1000"] < 0.05,
        ),
        row(
            "rebase 1,000 pending from stored edits, 20 KB",
            "< 0.5 s, <= 2.5x bare patch_apply",
            ms(rebase["from_edits"]),
            rebase["from_edits"] < 0.5 and rebase["from_edits"] <= 2.5 * rebase["bare"],
            bare=ms(rebase["bare"]),
            ratio=f"{rebase['from_edits'] / rebase['bare']:.2f}x",
        ),
        row(
            "rebase 1,000 from stored edits after a one-word adoption, 20 KB",
            "<= 2.5x bare patch_apply",
            ms(one_word["from_edits"]),
            one_word["from_edits"] <= 2.5 * one_word["bare"],
            bare=ms(one_word["bare"]),
            ratio=f"{one_word['from_edits'] / one_word['bare']:.2f}x",
            note=f"from full texts {one_word['from_texts'] / one_word['bare']:.2f}x "
            "(not the application's path since migration 0006)",
        ),
        row(
            "render draft, 50 amendments (stored edits), 20 KB",
            "< 200 ms",
            ms(small_raw["render 50"]),
            small_raw["render 50"] < 0.2,
        ),
        row(
            "render draft, 1,000 amendments (stored edits), 20 KB",
            "< 2 s",
            ms(small_raw["render 1000"]),
            small_raw["render 1000"] < 2,
        ),
        row(
            "full rewrite of 200 KB, timeout 0.5 s",
            "bounded ~0.5 s, exact",
            ms(large_raw["rewrite"]),
            large_raw["rewrite"] < 0.6 and large_raw["rewrite_exact"],
            note="" if large_raw["rewrite_exact"] else "not exact",
        ),
        scaled("propose one amendment, p99", small_raw["propose p99"], large_raw["propose p99"]),
        scaled(
            "rebase 1,000 from stored edits, with the carried texts",
            rebase["with_texts"],
            large_raw["rebase 1000"]["with_texts"],
        ),
        scaled(
            "render draft, 1,000 amendments", small_raw["render 1000"], large_raw["render 1000"]
        ),
    ]


if __name__ == "__main__":
    main()
