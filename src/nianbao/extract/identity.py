"""Memoising on what the arguments are, not what they equal: the specs of the formats are frozen
dataclasses, and hashing one walks every label it holds — more than the work it would save."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
Items = TypeVar("Items", bound=tuple[Any, ...])


def per_items(build: Callable[[Items], T]) -> Callable[[Items], T]:
    """``build`` memoised on the identity of the tuple's items (a new tuple of the same specs
    is found again); the items are held, so their ids stay their own.  Bounded: only specs made on
    the fly (tests) come and go."""
    cache: dict[tuple[int, ...], tuple[Items, T]] = {}

    def cached(items: Items) -> T:
        key = tuple(map(id, items))
        found = cache.get(key)
        if found is None:
            if len(cache) >= 8:
                cache.clear()
            found = cache[key] = (items, build(items))
        return found[1]

    return cached
