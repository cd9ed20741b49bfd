"""The text engine: word-level diffs, amendments as edits, overlap, rebase, rendering.

Pure Python: the standard library, diff-match-patch, fast-diff-match-patch and markupsafe.
Positions are indexes into Python strings (code points), in the coordinates of the text an
amendment was written against (its *base*).

- :mod:`.tokens`: how texts are cut into words (per character for unspaced scripts);
- :mod:`.affixes`: common prefixes and suffixes, cut at line or word boundaries;
- :mod:`.edits`: :class:`Edit` and the canonical placing of edits in repeated text;
- :mod:`.diffing`: :func:`diff_words` (for reading), :func:`edits_between` (minimal, for merging);
- :mod:`.clusters`: an amendment's edits grouped into the changes a merge keeps whole;
- :mod:`.spans`: touched ranges and :func:`competing_pairs` (rules in its docstring);
- :mod:`.merging`: :func:`rebase`, :func:`rebase_across`, :func:`merge_compromise`;
- :mod:`.paragraphs`: :func:`split_paragraphs`, :func:`locate`;
- :mod:`.regions`: the part of a text an editor changes, and putting the edit back;
- :mod:`.render`: HTML (CSS classes listed in its docstring).
"""

from corep_drafts.domain.text.diffing import diff_words, edits_between
from corep_drafts.domain.text.edits import Edit, edits_from_diff
from corep_drafts.domain.text.merging import (
    Conflict,
    Rebased,
    apply_edits,
    make_patch,
    merge_compromise,
    patch_from_edits,
    rebase,
    rebase_across,
    rebase_all,
)
from corep_drafts.domain.text.paragraphs import (
    Location,
    Paragraph,
    ParagraphIndex,
    heading_text,
    locate,
    split_paragraphs,
    states_title,
)
from corep_drafts.domain.text.regions import (
    NoSuchRegion,
    Place,
    Region,
    paragraph_region,
    revision_region,
)
from corep_drafts.domain.text.render import (
    Wording,
    render_draft,
    render_inline,
    render_side_by_side,
)
from corep_drafts.domain.text.spans import (
    Span,
    competing,
    competing_pairs,
    spans_of,
    touched_range,
)

__all__ = [
    "Conflict",
    "Edit",
    "Location",
    "NoSuchRegion",
    "Paragraph",
    "ParagraphIndex",
    "Place",
    "Rebased",
    "Region",
    "Span",
    "Wording",
    "apply_edits",
    "competing",
    "competing_pairs",
    "diff_words",
    "edits_between",
    "edits_from_diff",
    "locate",
    "make_patch",
    "merge_compromise",
    "paragraph_region",
    "patch_from_edits",
    "rebase",
    "rebase_across",
    "rebase_all",
    "render_draft",
    "render_inline",
    "render_side_by_side",
    "revision_region",
    "spans_of",
    "split_paragraphs",
    "states_title",
    "heading_text",
    "touched_range",
]
