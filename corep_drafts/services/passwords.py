"""Passwords: the policy (ASVS 5.0 level 2), NFKC normalisation, argon2id hashing.

The policy is length alone (12 to 128 characters, no composition rules) and refusal of the
common passwords shipped in `corep_drafts/data/common-passwords.txt.gz` (see its LICENSE file).
"""

from __future__ import annotations

import gzip
import unicodedata
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from corep_drafts.services import input_checks
from corep_drafts.services.errors import InvalidInput

COMMON_PASSWORDS_FILE = "common-passwords.txt.gz"


def normalise(password: str) -> str:
    """The same password typed on any keyboard (composed or decomposed é, full-width digits)
    gives the same characters, so it hashes and counts the same."""
    return unicodedata.normalize("NFKC", password or "")


@cache
def common_passwords() -> frozenset[str]:
    packed = resources.files("corep_drafts.data").joinpath(COMMON_PASSWORDS_FILE).read_bytes()
    return frozenset(gzip.decompress(packed).decode("utf-8").split())


def is_common(password: str) -> bool:
    folded = normalise(password).casefold()
    return folded in common_passwords() or "".join(folded.split()) in common_passwords()


def check_policy(password: str, field: str = "password") -> None:
    """Refuse a password that is too short, too long or common, or holds a character no text may
    (NUL, a lone surrogate); length counts characters."""
    input_checks.text(password, field)
    config = current_app.config
    minimum, maximum = config["MIN_PASSWORD_LENGTH"], config["MAX_PASSWORD_LENGTH"]
    length = len(normalise(password))
    if length < minimum:
        raise InvalidInput(
            _("A password has at least %(count)d characters.", count=minimum), field=field
        )
    if length > maximum:
        raise InvalidInput(
            _("A password has at most %(count)d characters.", count=maximum), field=field
        )
    if is_common(password):
        raise InvalidInput(
            _("This password is on a list of common passwords; please choose another."),
            field=field,
        )


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(normalise(password))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(password_hash: str, password: str) -> bool:
    if _verify(password_hash, normalise(password)):
        return True
    # Hashes made before normalisation hold the password as it was typed.
    return normalise(password) != password and _verify(password_hash, password)


def is_normalised_hash(password_hash: str, password: str) -> bool:
    """False for a hash of the password as typed before normalisation (to be hashed again)."""
    return normalise(password) == password or _verify(password_hash, normalise(password))


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


# Verifying against this when no account matches keeps a failed sign-in's cost the same as a
# wrong password's: one argon2 verification with the configured parameters.
_DUMMY_PASSWORD = "not a real password, only for equal timing"


def dummy_hash() -> str:
    """One hash per process and per set of argon2 parameters, made on first use."""
    config = current_app.config
    return _dummy_hash_for(
        config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"]
    )


@cache
def _dummy_hash_for(_time_cost: int, _memory_cost: int, _parallelism: int) -> str:
    return hash_password(_DUMMY_PASSWORD)


def verify_against_dummy(password: str) -> bool:
    """Spend what a real verification spends; never true."""
    verify_password(dummy_hash(), password)
    return False
