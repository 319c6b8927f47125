"""Named registries: operators, steps and recognizers are looked up by a stable name.

Names carry a version suffix where behaviour may change (``ja.my_number.v1``), so old
pipeline files keep meaning what they meant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from anonymizer.errors import ConfigError
from anonymizer.i18n import _

T = TypeVar("T")


class Registry(Generic[T]):
    """A name → object map whose failed lookups list the valid names."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, name: str) -> Callable[[T], T]:
        def decorator(obj: T) -> T:
            if name in self._items and self._items[name] is not obj:
                raise ValueError(
                    _("{kind} {name!r} is registered twice").format(kind=self.kind, name=name)
                )
            self._items[name] = obj
            return obj

        return decorator

    def get(self, name: str, where: str = "") -> T:
        try:
            return self._items[name]
        except KeyError:
            prefix = f"{where}: " if where else ""
            raise ConfigError(
                _("{prefix}unknown {kind} {name!r}; valid: {items}").format(
                    prefix=prefix, kind=self.kind, name=name, items=', '.join(sorted(self._items))
                )
            ) from None

    def names(self) -> list[str]:
        return sorted(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._items))
