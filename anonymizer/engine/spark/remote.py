"""Errors across the executor boundary, without a value on the way.

An executor's error reaches the driver as Spark's exception, whose text holds the whole
Python traceback — and an unexpected exception's message may quote a cell. So an executor
function raises only a marker line: ``anonymizer-error:<Type>:<message>`` for the project's
own errors (their messages name files, rows and columns, never values), and for anything
else only what :func:`anonymizer.failures.describe` says (type and source line). The driver
finds the marker and raises the same typed error; a Spark failure without one (an executor
lost, a master gone) is an exit 2 naming the Spark exception's type only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from anonymizer import errors
from anonymizer.errors import AnonymizerError, ConfigError
from anonymizer.i18n import _

MARKER = "anonymizer-error:"
_FOUND = re.compile(re.escape(MARKER) + r"(\w+):(.*)")
F = TypeVar("F", bound=Callable[..., Iterator[Any]])
T = TypeVar("T")


class RemoteError(RuntimeError):
    """What an executor raises: the marker line only."""


def carry_errors(fn: F) -> F:
    """Wrap a ``mapInPandas`` function so its failures cross to the driver as markers."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Iterator[Any]:
        try:
            yield from fn(*args, **kwargs)
        except RemoteError:
            raise
        except Exception as exc:  # every failure, but only its marker (GeneratorExit passes)
            from anonymizer.failures import describe

            err = describe(exc)
            message = err.message.replace("\n", " ")
            raise RemoteError(f"{MARKER}{type(err).__name__}:{message}") from None

    return run  # type: ignore[return-value]


def local_error(exc: BaseException, doing: str) -> AnonymizerError:
    """The typed error for a Spark failure seen on the driver."""
    found = _FOUND.search(str(exc))
    if found:
        cls = getattr(errors, found.group(1), None)
        if isinstance(cls, type) and issubclass(cls, AnonymizerError):
            try:
                return cls(found.group(2).strip())
            except TypeError:
                pass
        return errors.InternalError(found.group(2).strip())
    from anonymizer.failures import debugging

    detail = f"\n{exc}" if debugging() else ""  # a developer's own test data only
    return ConfigError(
        _(
            "engine spark: {doing} failed ({error_type}: an executor or the cluster failed); "
            "nothing was released"
        ).format(doing=doing, error_type=type(exc).__name__)
        + detail
    )


def guarded(fn: Callable[[], T], doing: str) -> T:
    """``fn()`` run on the driver; a Spark failure is the engine's exit 2 naming ``doing``
    and no value (the project's own errors pass as they are)."""
    try:
        return fn()
    except AnonymizerError:
        raise
    except Exception as exc:  # noqa: BLE001 - Py4J, PySpark and executor failures alike
        raise local_error(exc, doing) from None
