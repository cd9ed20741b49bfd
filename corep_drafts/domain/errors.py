"""Errors the domain raises when a rule refuses an action.

Each error carries a stable snake_case ``code`` and a ``params`` dict beside its English message:
the JSON API reports the code, and the code with its params is what a caller translates, so the
English text can change without breaking anyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


class DomainError(Exception):
    """A domain rule refused an action; ``code`` says which rule, ``params`` the details."""

    code: str = "domain_error"

    def __init__(
        self, message: str, *, code: str | None = None, params: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.params: dict[str, object] = dict(params or {})


class IllegalTransition(DomainError):
    """A state machine refused to move an object from its current state to the target state."""

    code = "illegal_transition"

    def __init__(self, kind: str, current: str, target: str, allowed: Iterable[str]) -> None:
        allowed = [str(state) for state in allowed]
        article = "An" if kind[:1].lower() in "aeiou" else "A"
        ending = f"allowed: {', '.join(allowed)}." if allowed else f"'{current}' is final."
        super().__init__(
            f"{article} {kind} in state '{current}' cannot move to '{target}'; {ending}",
            params={
                "kind": kind,
                "current": str(current),
                "target": str(target),
                "allowed": allowed,
            },
        )


class AdoptionNeedsFinalVote(IllegalTransition):
    """Refuses moving a declaration to 'adopted' by hand.

    A subclass of IllegalTransition so that callers answering "illegal in the current state"
    (HTTP 409) need no special case, with its own code because its message differs.
    """

    code = "adoption_needs_final_vote"

    def __init__(self, current: str) -> None:
        DomainError.__init__(
            self,
            "A declaration becomes 'adopted' only through a final vote that passes; "
            "it cannot be moved there by hand.",
            params={"kind": "declaration", "current": str(current), "target": "adopted"},
        )
