"""Rendered parts of pages kept in the worker between requests, under a key read from the database.

A page's expensive part that is the same for many readers (the draft page's paragraphs with their
amendments) is rendered once and reused while its key stays the same. The key must be made of
everything the part shows that can change, read from the database on each request (for the draft
page: the head of the declaration's audit chain, which every change appends to), so every worker
sees a change on its next request and nothing lives only in one worker's memory: a miss just
renders again. Per-person parts (forms, CSRF tokens, permissions) are never put here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from flask import current_app

Value = TypeVar("Value")

# A draft page's part with 1,000 amendments is about 1 MB of HTML: a worker keeps at most a few
# dozen parts and about 32 MB of them.
MOST_ENTRIES = 64
MOST_CHARACTERS = 32 * 1024 * 1024


class FragmentCache(Generic[Value]):
    """A bounded least-recently-used map, bounded by entries and by the total size given for them
    (characters of HTML); safe under threaded workers."""

    def __init__(self, most_entries: int = MOST_ENTRIES, most_size: int = MOST_CHARACTERS):
        self.most_entries, self.most_size = most_entries, most_size
        self._entries: OrderedDict[Hashable, tuple[Value, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Value | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: Hashable, value: Value, size: int) -> None:
        if size > self.most_size:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._entries[key] = (value, size)
            self._size += size
            while len(self._entries) > self.most_entries or self._size > self.most_size:
                _key, (_value, dropped) = self._entries.popitem(last=False)
                self._size -= dropped

    def get_or_make(self, key: Hashable, make: Callable[[], Value], size: Callable[[Value], int]):
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value, size(value))
        return value

    def __len__(self) -> int:
        return len(self._entries)


def fragment_cache(name: str) -> FragmentCache:
    """The app's cache called `name` (one per app, so tests' apps never share one)."""
    caches = current_app.extensions.setdefault("corep_fragment_caches", {})
    cache = caches.get(name)
    return cache if cache is not None else caches.setdefault(name, FragmentCache())
