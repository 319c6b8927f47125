"""Who holds a permit: a corporation, an individual, or neither — read from the name and the
法人番号 of one row, never guessed.

A **corporation** names a 法人格 (``rules/corporate.yaml``: 株式会社, ㈱, (一社) …) *and* carries
a valid 法人番号 (13 digits whose leading check digit matches: the project's validator,
:func:`anonymizer.recognizers.ja.corporate_number.is_valid_corporate_number`); an
**individual** names no 法人格 and has no number. Anything else — a 法人格 without a number, a
number without a 法人格, a number that fails its check digit, no name at all — is one of the
:data:`FLAGS`: the register is wrong or ambiguous, and a person's name must not be released
because a row looked like a company's.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

import pandas as pd
from pydantic import Field, field_validator

from anonymizer.config import Frozen
from anonymizer.i18n import N_, _
from anonymizer.operators._common import canonical
from anonymizer.recognizers.ja.corporate_number import is_valid_corporate_number
from anonymizer.rules import load_rules

CORPORATION = "corporation"
INDIVIDUAL = "individual"
#: why a row is neither, in the order an error lists them: (problem, which params' columns)
FLAGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "empty_name": (N_("the name is empty"), ("name",)),
    "form_without_number": (N_("a 法人格 in the name but no 法人番号"), ("name", "corporate_number")),
    "invalid_number": (
        N_("a 法人番号 that is not 13 digits with a valid check digit"),
        ("corporate_number",),
    ),
    "number_without_form": (
        N_("a valid 法人番号 but no 法人格 in the name"),
        ("name", "corporate_number"),
    ),
}
_SPACE = re.compile(r"\s+")
_NUMBER_SEPARATORS = re.compile(r"[\s\-]")
_BRACKETED = re.compile(r"\(.+\)")


def _fold(text: str) -> str:
    """NFKC, no spaces, ASCII case-folded: ㈱ and （株） are (株), ＮＰＯ is npo."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


class LegalForm(Frozen):
    word: str = Field(min_length=2)
    abbreviations: tuple[str, ...] = ()

    @field_validator("abbreviations")
    @classmethod
    def _bracketed(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bare = [a for a in v if not _BRACKETED.fullmatch(_fold(a))]
        if bare:
            raise ValueError(
                _(
                    "{n_bare} abbreviation(s) not in brackets: write （株） or ㈱, never a bare 株 (it "
                    "is part of many words and names)"
                ).format(n_bare=len(bare))
            )
        return v


class CorporateRules(Frozen):
    version: Literal[1]
    forms: tuple[LegalForm, ...] = Field(min_length=1)

    def words(self) -> tuple[str, ...]:
        """Every 法人格 word and abbreviation, folded, longest first."""
        folded = {_fold(w) for f in self.forms for w in (f.word, *f.abbreviations)}
        return tuple(sorted(folded, key=len, reverse=True))


def load_corporate_rules() -> CorporateRules:
    return load_rules("corporate.yaml", CorporateRules)


class Classifier:
    """Classifies rows from their name and 法人番号 cells, each distinct value read once."""

    def __init__(self, rules: CorporateRules | None = None) -> None:
        words = (rules or load_corporate_rules()).words()
        self._form = re.compile("|".join(map(re.escape, words)))

    def has_form(self, name: str) -> bool:
        return self._form.search(_fold(name)) is not None

    @staticmethod
    def number_state(number: str) -> Literal["empty", "valid", "invalid"]:
        """全角 digits, hyphens of any kind and spaces are read as the number's own."""
        digits = _NUMBER_SEPARATORS.sub("", canonical(number))
        if not digits:
            return "empty"
        ok = re.fullmatch(r"[0-9]{13}", digits) is not None and is_valid_corporate_number(digits)
        return "valid" if ok else "invalid"

    def classify(self, names: pd.Series, numbers: pd.Series) -> pd.Series:
        """Per row: :data:`CORPORATION`, :data:`INDIVIDUAL` or a key of :data:`FLAGS`."""
        name = names.astype("string").fillna("").str.strip()
        number = numbers.astype("string").fillna("")
        form = name.map({v: self.has_form(v) for v in pd.unique(name)}).astype(bool)
        state = number.map({v: self.number_state(v) for v in pd.unique(number)})
        empty_name = name == ""
        out = pd.Series("invalid_number", index=names.index, dtype=object)
        out[form & (state == "valid")] = CORPORATION
        out[~form & (state == "empty")] = INDIVIDUAL
        out[form & (state == "empty")] = "form_without_number"
        out[~form & (state == "valid")] = "number_without_form"
        out[empty_name] = "empty_name"
        return out
