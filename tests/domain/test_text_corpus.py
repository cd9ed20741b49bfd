"""The text engine on real amendments and real revisions from ../shared/corpus."""

from __future__ import annotations

import difflib
import random
import re
from html.parser import HTMLParser
from itertools import pairwise

import fast_diff_match_patch
import pytest
from diff_match_patch import diff_match_patch

from corep_drafts.domain.text import (
    Conflict,
    Edit,
    Rebased,
    apply_edits,
    competing_pairs,
    diff_words,
    edits_between,
    make_patch,
    merge_compromise,
    rebase,
    rebase_across,
    rebase_all,
    render_side_by_side,
)

pytestmark = pytest.mark.corpus


def pull_requests(team_mirai):
    """(version file, PR number, base text, head text, text merged onto) for every real PR."""
    for version in team_mirai.meta["versions"]:
        amendment = version.get("amendment")
        if amendment:
            yield (
                version["file"],
                version["pr"],
                amendment,
                team_mirai.read(amendment["head_text"]),
            )


def test_replaying_every_team_mirai_pull_request_rebuilds_each_version_byte_for_byte(team_mirai):
    names = team_mirai.names
    current = team_mirai.text(names[0])
    for previous, name in pairwise(names):
        version = next(v for v in team_mirai.meta["versions"] if v["file"] == name)
        amendment = version.get("amendment")
        if amendment is None:
            # v01 and v20 were edited directly on main, not proposed as pull requests.
            adopted = rebase(team_mirai.text(previous), team_mirai.text(name), current)
        else:
            head = team_mirai.read(amendment["head_text"])
            assert team_mirai.text(amendment["main_before_merge"]) == current
            adopted = rebase(team_mirai.text(amendment["base_version"]), head, current)
        assert isinstance(adopted, Rebased), f"{name}: {adopted}"
        assert adopted.text == team_mirai.text(name), name
        current = adopted.text


def test_the_five_pull_requests_written_against_older_versions_rebase_without_conflict(
    team_mirai,
):
    older = [
        (name, number, amendment, head)
        for name, number, amendment, head in pull_requests(team_mirai)
        if not amendment["base_is_main_before_merge"]
    ]
    assert sorted(number for _, number, _, _ in older) == [122, 997, 1312, 2993, 4935]
    names = team_mirai.names
    for name, number, amendment, head in older:
        base_at = names.index(amendment["base_version"])
        onto_at = names.index(amendment["main_before_merge"])
        versions = [team_mirai.text(n) for n in names[base_at : onto_at + 1]]
        one_step = rebase(versions[0], head, versions[-1])
        step_by_step = rebase_across(versions, head)
        assert one_step == step_by_step == Rebased(team_mirai.text(name)), number


def test_a_blank_line_the_adopted_text_already_added_lands_once(team_mirai):
    def trailing_breaks(text: str) -> int:
        return len(text) - len(text.rstrip("\n"))

    landed_once = []
    for name, number, amendment, head in pull_requests(team_mirai):
        base = team_mirai.text(amendment["base_version"])
        onto = team_mirai.text(amendment["main_before_merge"])
        shared = set(edits_between(base, head)) & set(edits_between(base, onto))
        if not shared:
            continue
        # In this corpus the shared edit is always the final line break both sides added.
        assert shared == {Edit(len(base), len(base), "\n")}, number
        merged = rebase(base, head, onto)
        assert merged == Rebased(team_mirai.text(name))
        assert trailing_breaks(merged.text) == trailing_breaks(onto) == trailing_breaks(base) + 1
        landed_once.append(number)
    assert sorted(landed_once) == [122, 997, 2993]


def test_three_simultaneous_amendments_on_v02_adopted_in_merge_order_all_rebase_cleanly(
    team_mirai,
):
    heads = {
        number: team_mirai.read(f"amendments/pr{number:05d}.head.md") for number in (381, 122, 997)
    }
    v02 = team_mirai.text("v02.md")
    assert competing_pairs({n: edits_between(v02, text) for n, text in heads.items()}) == set()
    current, pending = v02, dict(heads)
    for number in (381, 122, 997):
        adopted = pending.pop(number)
        results = rebase_all(current, pending, adopted)
        assert all(isinstance(result, Rebased) for result in results.values()), results
        pending = {key: result.text for key, result in results.items()}
        current = adopted
    assert merge_compromise(v02, heads) == Rebased(current)
    # The real history merged #1283 and #1558 in between; carrying our result onto v06
    # must therefore give v07, where all five had landed.
    assert rebase(v02, current, team_mirai.text("v06.md")) == Rebased(team_mirai.text("v07.md"))


def test_japanese_word_diffs_mark_about_as_little_as_a_character_diff_would(team_mirai):
    for _name, number, amendment, head in pull_requests(team_mirai):
        base = team_mirai.text(amendment["base_version"])
        marked = sum(len(text) for op, text in diff_words(base, head) if op)
        minimal = sum(
            count
            for op, count in fast_diff_match_patch.diff(base, head, checklines=False)
            if op != "="
        )
        assert marked <= 2 * minimal, number


def test_a_one_character_typo_fix_in_japanese_is_shown_as_that_character(team_mirai):
    (amendment,) = [a for _, n, a, _ in pull_requests(team_mirai) if n == 1283]
    base = team_mirai.text(amendment["base_version"])
    head = team_mirai.read(amendment["head_text"])
    deleted = [text for op, text in diff_words(base, head) if op == -1 and text.strip()]
    assert deleted.count("他") == 2 and all(len(text.strip()) <= 2 for text in deleted)


def test_replaying_the_contributor_covenant_from_1_0_to_2_1_rebuilds_every_version(covenant):
    dmp = diff_match_patch()
    texts = [covenant.text(name) for name in covenant.names]
    assert len(texts) == 7
    draft = texts[0]
    for older, newer in pairwise(texts):
        patch = dmp.patch_fromText(make_patch(older, newer))
        rebuilt, applied = dmp.patch_apply(patch, draft)
        assert all(applied) and rebuilt == newer
        assert apply_edits(draft, edits_between(draft, newer)) == newer
        assert rebase(older, newer, draft) == Rebased(newer)
        draft = newer
    assert draft == texts[-1]


def test_the_near_complete_rewrite_from_1_4_to_2_0_renders_every_paragraph_side_by_side(covenant):
    old, new = covenant.text("en-versions/v04.md"), covenant.text("en-versions/v05.md")
    view = render_side_by_side(old, new)
    rows = re.findall(r'<tr class="cd-para[^"]*" data-paragraph="(\d+)">', view)
    assert rows == [str(number) for number in range(1, len(rows) + 1)]
    shown_new = re.sub(r"<del[^>]*>.*?</del>", "", view, flags=re.S)
    assert "Our Pledge" in shown_new and "Enforcement Guidelines" in shown_new


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_a_statutory_amendment_split_into_hunks_and_adopted_in_any_order_reaches_the_new_law(
    heilmittelwerbegesetz, seed
):
    v03, v04 = heilmittelwerbegesetz.text("v03.md"), heilmittelwerbegesetz.text("v04.md")
    hunks = unified_diff_hunks(v03, v04)
    assert len(hunks) == 21  # as many as `diff v03.md v04.md` prints
    pending = {number: hunk for number, hunk in enumerate(hunks)}
    assert competing_pairs({n: edits_between(v03, t) for n, t in pending.items()}) == set()
    order = list(pending)
    random.Random(seed).shuffle(order)
    current = v03
    for number in order:
        adopted = pending.pop(number)
        results = rebase_all(current, pending, adopted)
        assert all(isinstance(result, Rebased) for result in results.values()), results
        pending = {key: result.text for key, result in results.items()}
        current = adopted
    assert current == v04


def unified_diff_hunks(old: str, new: str) -> list[str]:
    """``old`` with one hunk of a zero-context line diff applied, for each hunk (as ``diff``
    splits it: runs of changed lines between unchanged ones)."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    return [
        "".join(old_lines[:i1] + new_lines[j1:j2] + old_lines[i2:])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


class SectionText(HTMLParser):
    """Antragsgrün section HTML as Markdown-like text: blocks apart, list items as ``- ``."""

    BLOCKS = {"p", "li", "ul", "ol", "blockquote", "div", "h1", "h2", "h3", "h4", "br"}

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.pieces.append("\n\n")
        if tag == "li":
            self.pieces.append("- ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.pieces.append("\n\n")

    def handle_data(self, data):
        self.pieces.append(data)

    @classmethod
    def convert(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        parser.close()
        return re.sub(r"[ \t]*\n[ \t\n]*\n[ \t\n]*", "\n\n", "".join(parser.pieces)).strip()


def motion_text(motion, changed_sections) -> str:
    parts = []
    for section in motion["sections"]:
        data = changed_sections.get(section["sectionId"], section["data"])
        body = SectionText.convert(data) if section["sectionType"] == 1 else data.strip()
        parts.append(f"## {section['sectionTitle']}\n\n{body}\n\n")
    return "".join(parts)


def test_the_overlapping_antragsgruen_amendment_competes_with_those_it_overlaps(
    antragsgruen_motion_002,
):
    motion = antragsgruen_motion_002
    base = motion_text(motion, {})
    amended = {
        amendment["titlePrefix"]: motion_text(
            motion, {section["sectionId"]: section["data"] for section in amendment["sections"]}
        )
        for amendment in motion["amendments"]
    }
    edits = {key: edits_between(base, text) for key, text in amended.items()}
    rivals_of_a6 = {next(iter(pair - {"Ä6"})) for pair in competing_pairs(edits) if "Ä6" in pair}
    # Ä6 appends to the title that Ä1 replaces, and rewrites the end of "Antragstext" and
    # the start of "Antragstext 2" where Ä2 deletes and inserts. Its other changes sit
    # words away from Ä4's and Ä5's, and Ä3 and Ä7 change other paragraphs.
    assert rivals_of_a6 == {"Ä1", "Ä2"}
    after_a6 = rebase_all(base, {k: t for k, t in amended.items() if k != "Ä6"}, amended["Ä6"])
    conflicted = {key for key, result in after_a6.items() if isinstance(result, Conflict)}
    assert conflicted == {"Ä1", "Ä2"}
