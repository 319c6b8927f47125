"""Progress bars, decided at the edge and passed in.

The CLI decides whether bars are shown (``--progress/--no-progress``, default: when stderr is
a terminal) and hands a :data:`ProgressFactory` to the pipeline; the detector, the k-anonymity
search and the DP engine only call it — none of them imports tqdm. A bar shows a fixed label,
counts and a rate: never a value, a column header or a file's content. Bars go to stderr only
(never to stdout, a log or a file we write), and disappear when done (``leave=False``).
"""

from __future__ import annotations

import sys
from typing import Any, Protocol

from anonymizer.i18n import N_, _

#: the unit of a bar that counts nothing more particular
ITEMS = N_("items")


class Bar(Protocol):
    def update(self, n: int = 1) -> Any: ...

    def close(self) -> None: ...

    def __enter__(self) -> Bar: ...

    def __exit__(self, *exc: object) -> Any: ...


class ProgressFactory(Protocol):
    def __call__(
        self, desc: str, total: int | None = None, unit: str = ITEMS, delay: float = 0.0
    ) -> Bar:
        """A bar labelled ``desc``; ``total`` None counts without a percentage; ``delay``: show
        it only once it has run this long (for the many short calls of one step)."""
        ...


class _NoBar:
    def update(self, n: int = 1) -> None:
        return None

    def close(self) -> None:
        return None

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


_NO_BAR = _NoBar()


def no_progress(desc: str, total: int | None = None, unit: str = ITEMS, delay: float = 0.0) -> Bar:
    """The default everywhere below the CLI: nothing is shown."""
    return _NO_BAR


def show_progress(flag: bool | None) -> bool:
    """``--progress`` / ``--no-progress`` as given, else whether stderr is a terminal."""
    return sys.stderr.isatty() if flag is None else flag


def terminal_progress(enabled: bool) -> ProgressFactory:
    """tqdm bars on stderr when ``enabled``, else :func:`no_progress`."""
    if not enabled:
        return no_progress
    from tqdm import tqdm

    def make(desc: str, total: int | None = None, unit: str = ITEMS, delay: float = 0.0) -> Bar:
        # sys.stderr looked up now: the CLI's test runner swaps it per invocation
        # labels and units are message ids (N_ at the call site), shown in the run's language
        return tqdm(  # type: ignore[no-any-return]
            total=total, desc=_(desc), unit=_(unit), delay=delay, leave=False, file=sys.stderr,
            dynamic_ncols=True,
        )  # fmt: skip

    return make


def labelled(factory: ProgressFactory, desc: str) -> ProgressFactory:
    """``factory`` with its bars labelled ``desc`` (what the caller is doing: detection,
    re-scan — a message id, translated when shown)."""
    if factory is no_progress:
        return factory

    label = desc

    def make(desc: str, total: int | None = None, unit: str = ITEMS, delay: float = 0.0) -> Bar:
        return factory(label, total, unit, delay)

    return make


__all__ = [
    "Bar", "ProgressFactory", "labelled", "no_progress", "show_progress", "terminal_progress",
]  # fmt: skip
