"""Values kept in this process under a key that holds their data version.

For figures derived from data that changes rarely but is read all day: the location data
(`locations.selectors.location_data_version`) and a team's meetings and clients
(`Team.figures_version`, raised by database triggers). The version in the key keeps a value
correct; the size only bounds memory, the oldest values make room.

Values are kept as they are, not pickled (unpickling model instances cost more than the queries
it saved), so callers must not change what they get. Each gunicorn worker has its own.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

_SIZE = 4096
_values: OrderedDict[str, object] = OrderedDict()
_lock = threading.Lock()
_MISSING = object()


def version_key(name: str, version: object, *parts: object) -> str:
    """`name:version:digest of the parts` (any parts: a safe, short key)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"{name}:{version}:{digest}"


def _store(key: str, value: object) -> None:
    _values[key] = value
    while len(_values) > _SIZE:
        _values.popitem(last=False)


def remembered[T](key: str, compute: Callable[[], T]) -> T:
    """The value kept under `key`, else `compute()` (then kept)."""
    with _lock:
        value = _values.get(key, _MISSING)
        if value is not _MISSING:
            _values.move_to_end(key)
            return value  # type: ignore[return-value]
    computed = compute()
    with _lock:
        _store(key, computed)
    return computed


def remembered_each[K, V](
    keys: dict[K, str], compute_missing: Callable[[list[K]], dict[K, V]]
) -> dict[K, V]:
    """`remembered` for many items at once, each under its own key: the missing ones are
    computed together (one set of queries for all of them)."""
    found: dict[K, V] = {}
    with _lock:
        for item, key in keys.items():
            value = _values.get(key, _MISSING)
            if value is not _MISSING:
                _values.move_to_end(key)
                found[item] = value  # type: ignore[assignment]
    missing = [item for item in keys if item not in found]
    if missing:
        computed = compute_missing(missing)
        with _lock:
            for item in missing:
                _store(keys[item], computed[item])
        found.update(computed)
    return found


def forget_all() -> None:
    """Drop every kept value (tests start from nothing)."""
    with _lock:
        _values.clear()
