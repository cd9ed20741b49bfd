"""Amendments over the API (CONTRACT.md)."""

from flask_login import current_user

from corep_drafts.domain.text import diff_words
from corep_drafts.fragment_cache import fragment_cache
from corep_drafts.services import amendments, audit
from corep_drafts.views.api import bodies, schemas
from corep_drafts.views.api.operations import operation


def amendment_detail(amendment) -> schemas.Amendment:
    return schemas.Amendment.of(
        amendment,
        competing_with=amendments.competing_with(amendment),
        diff=diff_words(amendment.base_version.text, amendment.text),
    )


@operation(
    "GET",
    "/declarations/<int:declaration_id>/amendments",
    summary="The amendments of a declaration, with the ids each one competes with (delegates, "
    "executive; members once adopted)",
    answers={200: list[schemas.AmendmentSummary]},
)
def list_amendments(declaration_id: int):
    stamp = audit.newest_event(declaration_id)  # before the amendments it may keep pairs of
    found = amendments.list_amendments(current_user, declaration_id, without_texts=True)
    # The competing pairs change only with a recorded change (every amendment, vote and version
    # change moves the stamp), so each worker works them out once per state of the declaration.
    competing = fragment_cache("competing_groups").get_or_make(
        (declaration_id, stamp, tuple(a.id for a in found)),
        lambda: amendments.competing_groups(found),
        len,
    )
    return [schemas.AmendmentSummary.of(a, competing.get(a.id, [])) for a in found]


@operation(
    "POST",
    "/declarations/<int:declaration_id>/amendments",
    summary="Propose an amendment (delegate): the whole amended text against any version; one "
    "written on an older version is merged onto the current one at once, or flagged conflicted",
    body=bodies.AmendmentInput,
    answers={201: schemas.Amendment},
)
def create_amendment(declaration_id: int, body: bodies.AmendmentInput):
    amendment = amendments.propose(
        current_user, declaration_id, body.base_version, body.text, body.rationale or ""
    )
    return amendment_detail(amendment)


@operation(
    "GET",
    "/amendments/<int:amendment_id>",
    summary="One amendment with its word-level diff against its base version",
    answers={200: schemas.Amendment},
)
def get_amendment(amendment_id: int):
    return amendment_detail(amendments.get_visible_amendment(current_user, amendment_id))


@operation(
    "PUT",
    "/amendments/<int:amendment_id>",
    summary="Revise one's own amendment while submitted or conflicted",
    body=bodies.AmendmentInput,
    answers={200: schemas.Amendment},
)
def revise_amendment(amendment_id: int, body: bodies.AmendmentInput):
    amendment = amendments.revise(
        current_user, amendment_id, body.base_version, body.text, body.rationale
    )
    return amendment_detail(amendment)


@operation(
    "POST",
    "/amendments/<int:amendment_id>/withdraw",
    summary="Withdraw one's own amendment before its vote opens",
    answers={200: schemas.Amendment},
)
def withdraw_amendment(amendment_id: int):
    return amendment_detail(amendments.withdraw(current_user, amendment_id))
