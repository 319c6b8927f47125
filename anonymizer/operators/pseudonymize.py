"""``pseudonymize``: keyed pseudonyms, ``ID-`` + 16 letters, the same for the same value.

pseudonym = prefix + letters(HMAC-SHA256(key, domain ‖ 0x1f ‖ value))[:length], where
value is the cell normalized (whole-string NFKC, then hyphen variants → "-" as in
:mod:`anonymizer.text.normalize`) and stripped, so 全角/半角 spellings of one value link.
The same key and domain give the same pseudonym in every row and column of a release
(records stay linkable); without the key nobody can recompute or invert them — unlike a
bare or unsalted hash, which anyone can rebuild from a list of candidate names or phone
numbers. 0x1f (unit separator) cannot occur in a domain, so ("a", "bc") and ("ab", "c")
never collide.

The digest is written with the letters a–p (one per hex digit), never digits: a pseudonym can
then not look like a phone number or a My Number to the release gate's re-scan. 16 letters
carry 64 bits, so 1 million distinct values collide with probability ≈ 3·10⁻⁸.
Without a key the operator refuses to run (KeyMissingError): there is no keyless fallback.

Two purposes (the pipeline's ``purpose``):

* ``anonymized`` (匿名加工情報, the default): pseudonyms are made **by person** — the HMAC of the
  row's person identifier (``person_column``), not of the cell — under a per-release random
  key that is never written (:func:`anonymizer.keys.release_key`). Two residents who share a
  name get two pseudonyms, one resident's rows share one, and no other release (nor anyone
  holding a key) can link to them.
* ``pseudonymized`` (仮名加工情報, internal use): the HMAC of the value under a persistent key
  (``--key-file``), so the holder of the key can link releases — which is why such a
  release is never open data.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from typing import Any

import pandas as pd
from pydantic import Field, field_validator

from anonymizer.config import Frozen
from anonymizer.errors import ConfigError, KeyMissingError
from anonymizer.i18n import _
from anonymizer.keys import MIN_KEY_BYTES, key_id
from anonymizer.operators._common import canonical, map_distinct
from anonymizer.operators.base import Operator, OperatorContext, register

SEPARATOR = b"\x1f"
#: hex digit → letter: 0→a … f→p
_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


class PseudonymizeParams(Frozen):
    prefix: str = "ID-"
    length: int = Field(default=16, ge=12, le=64)
    #: overrides the release's domain: a column with its own domain is unlinkable to others
    domain: str | None = None

    @field_validator("prefix")
    @classmethod
    def _no_digits(cls, v: str) -> str:
        if any(unicodedata.normalize("NFKC", ch).isdigit() for ch in v):
            raise ValueError(_("must not contain digits (pseudonyms must not look like numbers)"))
        return v

    @field_validator("domain")
    @classmethod
    def _no_separator(cls, v: str | None) -> str | None:
        if v is not None and "\x1f" in v:
            raise ValueError(_("must not contain the unit separator U+001F"))
        return v


@register("pseudonymize")
class Pseudonymize(Operator):
    Params = PseudonymizeParams
    CONTROLLED_OUTPUT = True

    def __init__(self, params: PseudonymizeParams, context: OperatorContext) -> None:
        super().__init__(params, context)
        if context.key is None or len(context.key) < MIN_KEY_BYTES:
            raise KeyMissingError(
                _(
                    "column {column!r}: pseudonymize needs a secret key of at least "
                    "{min_key_bytes} bytes (a key file or $ANONYMIZER_KEY; `anonymizer keygen -o "
                    "FILE` makes one)"
                ).format(column=context.column, min_key_bytes=MIN_KEY_BYTES)
            )
        domain = params.domain if params.domain is not None else context.domain
        if "\x1f" in domain:
            raise ConfigError(
                _("column {column!r}: the pseudonym domain contains U+001F").format(
                    column=context.column
                )
            )
        self._key = context.key
        self._salt = domain.encode("utf-8") + SEPARATOR
        self._person: str | None = context.extras.get("person_column")
        self._key_kind: str = context.extras.get("key_kind", "persistent")

    def references(self) -> tuple[str, ...]:
        """By person: the person column of the row."""
        return (self._person,) if self._person else ()

    def apply_with(self, values: pd.Series, refs: dict[str, pd.Series]) -> pd.Series:
        """Each non-empty cell becomes the pseudonym of its row's person."""
        if not self._person:
            return self.apply(values)
        persons = refs[self._person].astype("string").str.strip()
        ids, _ = map_distinct(persons, self.pseudonym)
        present = values.notna() & (values.str.strip() != "")
        return values.astype("string").mask(present.fillna(False), ids)

    def pseudonym(self, value: str) -> str:
        """The pseudonym of one value."""
        message = self._salt + canonical(value).strip().encode("utf-8")
        digest = hmac.digest(self._key, message, hashlib.sha256).hex()
        return self.params.prefix + digest[: self.params.length].translate(_LETTERS)

    def apply(self, values: pd.Series) -> pd.Series:
        result, _ = map_distinct(values, self.pseudonym)
        return result

    def describe(self) -> dict[str, Any]:
        """A persistent key adds its fingerprint (never the key) so a release records which key
        it used; a per-release key is named as such (it exists nowhere after the run)."""
        if self._key_kind != "persistent":
            return {**super().describe(), "by": "person" if self._person else "value",
                    "key": self._key_kind}
        return {**super().describe(), "by": "value", "key": "persistent", "key_id": key_id(self._key)}
