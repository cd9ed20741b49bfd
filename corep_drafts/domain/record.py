"""The tamper-evident chain of versions: each hash covers its predecessor's hash and its text."""
import hashlib

GENESIS_HASH = "0" * 64


def chain_hash(prev_hash: str, text: str) -> str:
    """sha256(prev_hash || text), both as UTF-8; prev_hash is the predecessor's hex digest."""
    return hashlib.sha256(prev_hash.encode("ascii") + text.encode("utf-8")).hexdigest()


def first_broken_link(links) -> int | None:
    """Given (number, prev_hash, text, stored_hash) in order, the number of the first bad one."""
    expected_prev = GENESIS_HASH
    for number, prev_hash, text, stored_hash in links:
        if prev_hash != expected_prev or chain_hash(prev_hash, text) != stored_hash:
            return number
        expected_prev = stored_hash
    return None
