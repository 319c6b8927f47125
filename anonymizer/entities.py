"""Canonical entity names: the contract shared by recognizers, rules, operators and reports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import AfterValidator

from anonymizer.errors import UsageError

PERSON = "PERSON"
JP_ADDRESS = "JP_ADDRESS"
JP_POSTAL_CODE = "JP_POSTAL_CODE"
JP_PHONE_NUMBER = "JP_PHONE_NUMBER"
EMAIL_ADDRESS = "EMAIL_ADDRESS"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
AGE = "AGE"
JP_MY_NUMBER = "JP_MY_NUMBER"
JP_CORPORATE_NUMBER = "JP_CORPORATE_NUMBER"
JP_RESIDENT_CODE = "JP_RESIDENT_CODE"
JP_PASSPORT = "JP_PASSPORT"
JP_DRIVERS_LICENSE = "JP_DRIVERS_LICENSE"
JP_BASIC_PENSION_NUMBER = "JP_BASIC_PENSION_NUMBER"
JP_HEALTH_INSURANCE_NUMBER = "JP_HEALTH_INSURANCE_NUMBER"
JP_BANK_ACCOUNT = "JP_BANK_ACCOUNT"
CREDIT_CARD = "CREDIT_CARD"
URL = "URL"
IP_ADDRESS = "IP_ADDRESS"
#: a labelled record number (宛名番号, 受付番号, 会員番号, 社員番号…): APPI's 連結符号
LINKING_CODE = "LINKING_CODE"
DATE = "DATE"

#: Every entity a recognizer may emit, in the order reports list them.
ENTITIES: tuple[str, ...] = (
    PERSON,
    JP_ADDRESS,
    JP_POSTAL_CODE,
    JP_PHONE_NUMBER,
    EMAIL_ADDRESS,
    DATE_OF_BIRTH,
    AGE,
    JP_MY_NUMBER,
    JP_CORPORATE_NUMBER,
    JP_RESIDENT_CODE,
    JP_PASSPORT,
    JP_DRIVERS_LICENSE,
    JP_BASIC_PENSION_NUMBER,
    JP_HEALTH_INSURANCE_NUMBER,
    JP_BANK_ACCOUNT,
    CREDIT_CARD,
    URL,
    IP_ADDRESS,
    LINKING_CODE,
    DATE,
)

#: Detected by default but not personal by themselves: a corporate number is public, and
#: a date is personal only with birth context (then it is DATE_OF_BIRTH).
NOT_PERSONAL: frozenset[str] = frozenset({JP_CORPORATE_NUMBER, DATE})

#: Entities that are personal information by default (what masking and the gate care about).
PERSONAL: tuple[str, ...] = tuple(e for e in ENTITIES if e not in NOT_PERSONAL)


def parse_entities(spec: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """``"PERSON,AGE"`` → ``("PERSON", "AGE")``; unknown names raise listing the valid ones."""
    if spec is None:
        return None
    names = [s.strip() for s in (spec.split(",") if isinstance(spec, str) else spec)]
    names = [n for n in names if n]
    unknown = [n for n in names if n not in ENTITIES]
    if unknown:
        raise UsageError(
            f"unknown entity {', '.join(unknown)}; valid entities: {', '.join(ENTITIES)}"
        )
    if not names:
        raise UsageError(f"no entity given; valid entities: {', '.join(ENTITIES)}")
    return tuple(dict.fromkeys(names))


def known_entity(name: str) -> str:
    """Pydantic validator: ``name`` is a canonical entity (the error lists the valid ones)."""
    if name not in ENTITIES:
        raise ValueError(f"unknown entity {name!r}; valid: {', '.join(ENTITIES)}")
    return name


#: a config field holding a canonical entity name
EntityName = Annotated[str, AfterValidator(known_entity)]
