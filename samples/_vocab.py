"""samples/vocab.yaml and samples/templates.yaml as frozen, validated models.

Same loader as the rules (``anonymizer.config.load_yaml_model``): unknown keys, unknown
template slots and strings that CP932 cannot encode stop generation with the YAML path.
"""

from __future__ import annotations

import functools
import string
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator, model_validator

from anonymizer.config import Frozen, load_yaml_model

HERE = Path(__file__).resolve().parent

#: personal slots → the entity type of their gold span
PERSONAL_SLOTS: dict[str, str] = {
    **dict.fromkeys(("name", "last", "first", "kana", "name2", "last2", "first2", "staff",
                     "doctor", "child"), "PERSON"),
    "age": "AGE", "age2": "AGE", "child_age": "AGE",
    "dob": "DATE_OF_BIRTH", "dob_year": "DATE_OF_BIRTH",
    "address": "JP_ADDRESS", "postal": "JP_POSTAL_CODE",
    "phone": "JP_PHONE_NUMBER", "mobile": "JP_PHONE_NUMBER",
    "email": "EMAIL_ADDRESS", "my_number": "JP_MY_NUMBER",
    "corp_number": "JP_CORPORATE_NUMBER", "resident_code": "JP_RESIDENT_CODE",
    "passport": "JP_PASSPORT", "license": "JP_DRIVERS_LICENSE",
    "pension": "JP_BASIC_PENSION_NUMBER",
    "insurance": "JP_HEALTH_INSURANCE_NUMBER", "kaigo_number": "JP_HEALTH_INSURANCE_NUMBER",
    "account": "JP_BANK_ACCOUNT", "card": "CREDIT_CARD", "url": "URL", "ip": "IP_ADDRESS",
    "code": "LINKING_CODE",
}
#: slots filled with public, non-personal words (never in the gold)
PUBLIC_SLOTS: frozenset[str] = frozenset({
    "facility", "station", "district", "division", "official", "helper", "date", "fy", "budget",
    "docno", "time", "count", "company", "bank", "branch", "medical", "town", "kind",
})


def _cp932(value: str) -> str:
    try:
        value.encode("cp932")
    except UnicodeEncodeError:
        raise ValueError("contains a character CP932 cannot encode") from None
    return value


def slots(template: str) -> list[str]:
    """The slot names of a template, in order (``string.Formatter`` parses the braces)."""
    return [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]


def _check_template(text: str, personal: bool) -> str:
    _cp932(text)
    for name in slots(text):
        if name in PERSONAL_SLOTS:
            if not personal:
                raise ValueError(f"personal slot {{{name}}} in a template that must stay clean")
        elif name not in PUBLIC_SLOTS:
            raise ValueError(f"unknown slot {{{name}}}")
    return text


#: a template that may plant personal data / one that must stay clean (checked per item, so
#: an error names its index: ``clean[3]``)
PersonalTemplate = Annotated[str, AfterValidator(lambda t: _check_template(t, personal=True))]
CleanTemplate = Annotated[str, AfterValidator(lambda t: _check_template(t, personal=False))]


class City(Frozen):
    prefecture: str
    city: str
    weight: float = Field(gt=0)
    area_code: str = Field(pattern=r"^0\d{1,4}$")
    exchanges: tuple[str, ...] = Field(min_length=1)


class Vocab(Frozen):
    home_city: str
    cities: tuple[City, ...] = Field(min_length=1)
    mobile_prefixes: tuple[str, ...] = Field(min_length=1)
    facility: tuple[str, ...] = Field(min_length=1)
    station: tuple[str, ...] = Field(min_length=1)
    division: tuple[str, ...] = Field(min_length=1)
    official: tuple[str, ...] = Field(min_length=1)
    helper: tuple[str, ...] = Field(min_length=1)
    district_suffix: tuple[str, ...] = Field(min_length=1)
    bank: tuple[str, ...] = Field(min_length=1)
    account_kind: tuple[str, ...] = Field(min_length=1)
    email_domains: tuple[str, ...] = Field(min_length=1)
    url_formats: tuple[str, ...] = Field(min_length=1)
    license_prefixes: tuple[str, ...] = Field(min_length=1)
    passport_prefixes: tuple[str, ...] = Field(min_length=1)
    medical: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _home_is_listed(self) -> Vocab:
        if self.home_city not in [c.city for c in self.cities]:
            raise ValueError("home_city must be one of cities")
        for _, value in self:
            if isinstance(value, tuple) and value and isinstance(value[0], str):
                for v in value:
                    _cp932(v)
        return self

    @property
    def home(self) -> int:
        return [c.city for c in self.cities].index(self.home_city)


class SoudanTemplate(Frozen):
    kubun: str
    division: str
    #: the 相談者 ages (inclusive) the text makes sense for; absent: any adult
    ages: tuple[int, int] = (18, 120)
    text: PersonalTemplate

    @field_validator("ages")
    @classmethod
    def _range(cls, v: tuple[int, int]) -> tuple[int, int]:
        if not 0 <= v[0] <= v[1]:
            raise ValueError("must be [low, high] with 0 <= low <= high")
        return v


class Templates(Frozen):
    soudan: tuple[SoudanTemplate, ...] = Field(min_length=1)
    soudan_tail: tuple[PersonalTemplate, ...] = Field(min_length=1)
    biko: tuple[PersonalTemplate, ...] = Field(min_length=1)
    texts: tuple[PersonalTemplate, ...] = Field(min_length=1)
    clean: tuple[CleanTemplate, ...] = Field(min_length=1)
    iken: tuple[PersonalTemplate, ...] = Field(min_length=1)


@functools.cache
def load_vocab(path: Path = HERE / "vocab.yaml") -> Vocab:
    return load_yaml_model(path, Vocab)


@functools.cache
def load_templates(path: Path = HERE / "templates.yaml") -> Templates:
    return load_yaml_model(path, Templates)


__all__ = ["City", "PERSONAL_SLOTS", "PUBLIC_SLOTS", "Templates", "Vocab",
           "load_templates", "load_vocab", "slots"]
