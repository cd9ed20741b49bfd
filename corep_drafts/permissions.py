"""Who may do what: the one place where permissions are decided (DESIGN.md, "People").

Two layers, both here:
- `ENDPOINT_ACTIONS` names the action every endpoint needs; `check_endpoint_access` enforces it
  before any view runs, and refuses (fails closed) an endpoint missing from the table.
- object rules (`can_read_declaration`, ...) decide on a given object; for objects one may not
  know exist the caller answers 404, not 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from corep_drafts.domain import workflow
from corep_drafts.domain.workflow import DeclarationStatus

SIGNED_IN_ROLES = frozenset({"member", "delegate", "executive", "admin"})


class Action(StrEnum):
    PUBLIC = "public"  # anyone, signed in or not
    SIGNED_IN = "signed_in"  # any account
    READ_DECLARATIONS = "read_declarations"  # listing and reading, filtered by object rules
    MANAGE_USERS = "manage_users"
    MANAGE_SECTIONS = "manage_sections"
    CREATE_DECLARATION = "create_declaration"
    MANAGE_DECLARATIONS = "manage_declarations"  # edit drafts, transitions, deadlines, compromises
    PROPOSE_AMENDMENT = "propose_amendment"  # propose, revise, withdraw, co-sponsor
    DISCUSS_AMENDMENTS = "discuss_amendments"  # comment
    VOTE = "vote"  # cast a ballot for one's own section
    MAKE_COMPROMISE = "make_compromise"  # the executive at once; proposers together
    TRANSLATE = "translate"  # write and update translations of a declaration


ACTION_ROLES: dict[Action, frozenset[str] | None] = {
    Action.PUBLIC: None,
    Action.SIGNED_IN: SIGNED_IN_ROLES,
    Action.READ_DECLARATIONS: None,
    Action.MANAGE_USERS: frozenset({"admin"}),
    Action.MANAGE_SECTIONS: frozenset({"admin"}),
    Action.CREATE_DECLARATION: frozenset({"executive"}),
    Action.MANAGE_DECLARATIONS: frozenset({"executive"}),
    Action.PROPOSE_AMENDMENT: frozenset({"delegate"}),
    Action.DISCUSS_AMENDMENTS: frozenset({"delegate", "executive"}),
    Action.VOTE: frozenset({"delegate"}),
    Action.MAKE_COMPROMISE: frozenset({"executive", "delegate"}),
    Action.TRANSLATE: frozenset({"executive", "delegate"}),
}

ENDPOINT_ACTIONS: dict[str, Action] = {
    "static": Action.PUBLIC,
    "main.index": Action.PUBLIC,
    "main.set_language": Action.PUBLIC,
    "auth.login": Action.PUBLIC,
    "auth.logout": Action.SIGNED_IN,
    "auth.profile": Action.SIGNED_IN,
    "auth.change_password": Action.SIGNED_IN,
    "auth.create_token": Action.SIGNED_IN,
    "auth.revoke_token": Action.SIGNED_IN,
    "auth.update_preferences": Action.SIGNED_IN,
    "second_factor.code": Action.PUBLIC,  # between the password and the code: not yet signed in
    "second_factor.enrol": Action.SIGNED_IN,
    "second_factor.disable": Action.SIGNED_IN,
    "invitations.accept": Action.PUBLIC,  # the link's token is the credential
    "declarations.show": Action.READ_DECLARATIONS,
    "declarations.version": Action.READ_DECLARATIONS,
    "declarations.new": Action.CREATE_DECLARATION,
    "declarations.edit": Action.MANAGE_DECLARATIONS,
    "declarations.transition": Action.MANAGE_DECLARATIONS,
    "declarations.deadline": Action.MANAGE_DECLARATIONS,
    "declarations.compromise": Action.MAKE_COMPROMISE,
    "amendments.new": Action.PROPOSE_AMENDMENT,
    "amendments.preview": Action.PROPOSE_AMENDMENT,
    "amendments.show": Action.READ_DECLARATIONS,
    "amendments.revision": Action.READ_DECLARATIONS,
    "amendments.revise": Action.PROPOSE_AMENDMENT,
    "amendments.withdraw": Action.PROPOSE_AMENDMENT,
    "amendments.cosponsor": Action.PROPOSE_AMENDMENT,
    "amendments.uncosponsor": Action.PROPOSE_AMENDMENT,
    "amendments.comment": Action.DISCUSS_AMENDMENTS,
    "amendments.agree_compromise": Action.PROPOSE_AMENDMENT,
    "admin.users": Action.MANAGE_USERS,
    "admin.new_user": Action.MANAGE_USERS,
    "admin.edit_user": Action.MANAGE_USERS,
    "admin.set_user_active": Action.MANAGE_USERS,
    "admin.reissue_invitation": Action.MANAGE_USERS,
    "admin.security": Action.MANAGE_USERS,
    "admin.reset_second_factor": Action.MANAGE_USERS,
    "admin.outbox_state": Action.MANAGE_USERS,
    "notifications.index": Action.SIGNED_IN,
    "notifications.mark_read": Action.SIGNED_IN,
    "notifications.mark_all_read": Action.SIGNED_IN,
    "admin.sections": Action.MANAGE_SECTIONS,
    "admin.new_section": Action.MANAGE_SECTIONS,
    "admin.edit_section": Action.MANAGE_SECTIONS,
    "api.openapi": Action.PUBLIC,
    "api.list_declarations": Action.SIGNED_IN,
    "api.get_declaration": Action.SIGNED_IN,
    "api.list_versions": Action.SIGNED_IN,
    "api.get_version": Action.SIGNED_IN,
    "api.transition_declaration": Action.MANAGE_DECLARATIONS,
    "api.list_amendments": Action.SIGNED_IN,
    "api.create_amendment": Action.PROPOSE_AMENDMENT,
    "api.get_amendment": Action.SIGNED_IN,
    "api.revise_amendment": Action.PROPOSE_AMENDMENT,
    "api.withdraw_amendment": Action.PROPOSE_AMENDMENT,
    "votes.index": Action.READ_DECLARATIONS,
    "votes.open_amendment": Action.MANAGE_DECLARATIONS,
    "votes.open_final": Action.MANAGE_DECLARATIONS,
    "votes.show": Action.READ_DECLARATIONS,
    "votes.projector": Action.READ_DECLARATIONS,
    "votes.live": Action.READ_DECLARATIONS,
    "votes.events": Action.READ_DECLARATIONS,
    "votes.ballot": Action.VOTE,
    "votes.close": Action.MANAGE_DECLARATIONS,
    "record.reading": Action.READ_DECLARATIONS,
    "record.version_permalink": Action.READ_DECLARATIONS,
    "record.history": Action.READ_DECLARATIONS,
    "record.export": Action.READ_DECLARATIONS,
    "record.audit_log": Action.MANAGE_DECLARATIONS,
    "record.feed": Action.PUBLIC,
    "translations.index": Action.READ_DECLARATIONS,
    "translations.start": Action.TRANSLATE,
    "translations.edit": Action.TRANSLATE,
    "translations.save": Action.TRANSLATE,
    "api.list_translations": Action.SIGNED_IN,
    "api.get_translation": Action.SIGNED_IN,
    "api.put_translation": Action.TRANSLATE,
    "api.open_amendment_vote": Action.MANAGE_DECLARATIONS,
    "api.open_final_vote": Action.MANAGE_DECLARATIONS,
    "api.cast_ballot": Action.VOTE,
    "api.close_vote": Action.MANAGE_DECLARATIONS,
    "api.get_vote": Action.SIGNED_IN,
}


def roles_of(user) -> frozenset[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    return user.roles


def may(user, action: Action) -> bool:
    allowed = ACTION_ROLES[action]
    if allowed is None:
        return True
    return bool(roles_of(user) & allowed)


def action_for_endpoint(endpoint: str) -> Action | None:
    return ENDPOINT_ACTIONS.get(endpoint)


# Declarations: which states each role may read. Delegates and the executive work on drafts;
# members read what was adopted; everyone reads what was published.
_READABLE_STATES_BY_ROLE = {
    "executive": frozenset(DeclarationStatus),
    "delegate": frozenset(DeclarationStatus),
    "member": workflow.DECIDED,
    "admin": workflow.DECIDED,
}
_PUBLIC_STATES = frozenset({DeclarationStatus.PUBLISHED})


def readable_declaration_states(user) -> frozenset[str]:
    states = set(_PUBLIC_STATES)
    for role in roles_of(user):
        states |= _READABLE_STATES_BY_ROLE.get(role, frozenset())
    return frozenset(states)


def can_read_declaration(user, declaration) -> bool:
    return declaration.status in readable_declaration_states(user)


def amendment_readable_states(user) -> frozenset[str]:
    """The declaration states in which ``user`` follows its amendments (and votes): delegates
    and the executive while drafting; members once adopted."""
    roles = roles_of(user)
    readable = readable_declaration_states(user)
    if roles & {"delegate", "executive"}:
        return readable
    if not roles:
        return frozenset()
    return frozenset(state for state in readable if workflow.is_decided(state))


def can_read_amendments(user, declaration) -> bool:
    return declaration.status in amendment_readable_states(user)


def can_propose(user, declaration) -> bool:
    return (
        "delegate" in roles_of(user)
        and user.section_id is not None
        and can_read_declaration(user, declaration)
    )


def is_proposer(user, amendment) -> bool:
    return getattr(user, "is_authenticated", False) and amendment.proposer_id == user.id


def can_cosponsor(user, amendment) -> bool:
    """A delegate of another section than the proposing one, once per section."""
    return (
        "delegate" in roles_of(user)
        and user.section_id is not None
        and user.section_id != amendment.section_id
        and all(c.section_id != user.section_id for c in amendment.cosponsors)
    )


def speaks_for_section(user) -> bool:
    """A delegate with a section: what they propose, co-sponsor and vote is their section's."""
    return "delegate" in roles_of(user) and getattr(user, "section_id", None) is not None


def cosponsors_for_section(user, amendment) -> bool:
    """Whether this delegate's section co-sponsors the amendment (so they may withdraw that)."""
    return speaks_for_section(user) and any(
        c.section_id == user.section_id for c in amendment.cosponsors
    )


def can_comment(user, amendment) -> bool:
    return bool(roles_of(user) & {"delegate", "executive"}) and can_read_declaration(
        user, amendment.declaration
    )


def can_vote(user) -> bool:
    return speaks_for_section(user)


def can_manage_declaration(user) -> bool:
    return "executive" in roles_of(user)


def can_see_turnout_by_section(user, vote) -> bool:
    """Which sections have voted and which not: the executive while the vote is open (to chase
    the missing ones); once it is closed the result's per-section table shows it to every reader,
    so the lists may too. Everyone else sees only the count while it is open."""
    return vote.state != workflow.VoteState.OPEN or can_manage_declaration(user)


def can_translate(user, declaration) -> bool:
    """Delegates and the executive write translations of the declarations they can read."""
    return bool(roles_of(user) & {"delegate", "executive"}) and can_read_declaration(
        user, declaration
    )


@dataclass(frozen=True)
class AmendmentActions:
    """What a person may do with an amendment now: the buttons its page shows."""

    revise: bool  # and withdraw: the proposer, while it is pending
    cosponsor: bool
    uncosponsor: bool
    comment: bool
    open_vote: bool
    draft_compromise: bool  # with other amendments, as their proposer


def amendment_actions(user, amendment) -> AmendmentActions:
    declaration = amendment.declaration
    pending = workflow.is_pending(amendment.status)
    on_current = amendment.base_version_id == declaration.current_version.id
    ready = workflow.may_put_to_vote(amendment.status, on_current, declaration.status)
    return AmendmentActions(
        revise=is_proposer(user, amendment) and pending,
        cosponsor=pending and can_cosponsor(user, amendment),
        uncosponsor=pending and cosponsors_for_section(user, amendment),
        comment=can_comment(user, amendment),
        open_vote=can_manage_declaration(user) and ready,
        draft_compromise=is_proposer(user, amendment) and ready,
    )
