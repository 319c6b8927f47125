"""Helpers shared by the contact-detail recognizers (postal code, URL)."""

from __future__ import annotations

from anonymizer.errors import ConfigError
from anonymizer.i18n import _
from anonymizer.recognizers.spec import RecognizerSpec


def check_pattern_names(
    spec: RecognizerSpec, params: object, fields: tuple[str, ...], where: str
) -> None:
    """Params that list pattern names must name patterns of ``spec`` (a typo would disable a rule).

    ``where`` is ``"<file>: <recognizer>.params"``; the error names the field, never a value
    from the data.
    """
    names = {p.name for p in spec.patterns}
    for field in fields:
        unknown = [n for n in getattr(params, field) if n not in names]
        if unknown:
            raise ConfigError(
                _(
                    "{where}.{field}: unknown pattern(s) {unknown}; patterns: {names}"
                ).format(
                    where=where,
                    field=field,
                    unknown=', '.join(unknown),
                    names=', '.join(sorted(names)),
                )
            )
