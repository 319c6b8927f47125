"""Canonical entity names: the contract shared by recognizers, rules, operators and reports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import AfterValidator

from anonymizer.errors import UsageError
from anonymizer.i18n import _

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
#: 在留カード番号 / 特別永住者証明書番号 (AB12345678CD)
JP_RESIDENCE_CARD = "JP_RESIDENCE_CARD"
JP_DRIVERS_LICENSE = "JP_DRIVERS_LICENSE"
JP_BASIC_PENSION_NUMBER = "JP_BASIC_PENSION_NUMBER"
JP_HEALTH_INSURANCE_NUMBER = "JP_HEALTH_INSURANCE_NUMBER"
JP_BANK_ACCOUNT = "JP_BANK_ACCOUNT"
CREDIT_CARD = "CREDIT_CARD"
URL = "URL"
#: an account on a social network or messenger (LINE ID, X/Instagram handle)
ONLINE_ACCOUNT = "ONLINE_ACCOUNT"
#: 自動車登録番号: a number plate (品川 300 あ 12-34); its owner can be looked up
JP_VEHICLE_NUMBER = "JP_VEHICLE_NUMBER"
IP_ADDRESS = "IP_ADDRESS"
#: a labelled record number (宛名番号, 受付番号, 会員番号, 社員番号…): APPI's 連結符号
LINKING_CODE = "LINKING_CODE"
#: an organisation a person belongs to, written in free text: a company with its 法人格
#: (株式会社多摩物流), a school (第三小学校), a workplace after 勤務先は / before に勤務
ORGANIZATION = "ORGANIZATION"
DATE = "DATE"

# 要配慮個人情報 (個人情報保護法第2条第3項, 施行令第2条): one entity per category, so that
# masking, the gate's fail_on and allow-lists, and the report's counts work per category with
# the machinery every other entity uses (a finding carries its type, nothing else). Their
# placeholder is one generic ＜要配慮＞ (rules/entities.yaml): ＜病歴＞ in a released sentence
# would itself disclose the fact.
JP_SENSITIVE_RACE = "JP_SENSITIVE_RACE"  # 人種 (法第2条第3項)
JP_SENSITIVE_CREED = "JP_SENSITIVE_CREED"  # 信条 (同)
JP_SENSITIVE_SOCIAL_STATUS = "JP_SENSITIVE_SOCIAL_STATUS"  # 社会的身分 (同)
#: 病歴 (同) and 心身の機能の障害 (施行令第2条第1号)
JP_SENSITIVE_MEDICAL = "JP_SENSITIVE_MEDICAL"
JP_SENSITIVE_CRIMINAL_RECORD = "JP_SENSITIVE_CRIMINAL_RECORD"  # 犯罪の経歴 (法第2条第3項)
JP_SENSITIVE_CRIME_VICTIM = "JP_SENSITIVE_CRIME_VICTIM"  # 犯罪により害を被った事実 (同)
JP_SENSITIVE_HEALTH_CHECK = "JP_SENSITIVE_HEALTH_CHECK"  # 健康診断等の結果 (施行令第2条第2号)
JP_SENSITIVE_HEALTH_CARE = "JP_SENSITIVE_HEALTH_CARE"  # 保健指導・診療・調剤 (同第3号)
JP_SENSITIVE_CRIMINAL_PROCEDURE = "JP_SENSITIVE_CRIMINAL_PROCEDURE"  # 刑事事件の手続 (同第4号)
#: 少年の保護事件に関する手続 (同第5号)
JP_SENSITIVE_JUVENILE_PROCEDURE = "JP_SENSITIVE_JUVENILE_PROCEDURE"

#: the 要配慮個人情報 categories, in the order of the law
SENSITIVE: tuple[str, ...] = (
    JP_SENSITIVE_RACE,
    JP_SENSITIVE_CREED,
    JP_SENSITIVE_SOCIAL_STATUS,
    JP_SENSITIVE_MEDICAL,
    JP_SENSITIVE_CRIMINAL_RECORD,
    JP_SENSITIVE_CRIME_VICTIM,
    JP_SENSITIVE_HEALTH_CHECK,
    JP_SENSITIVE_HEALTH_CARE,
    JP_SENSITIVE_CRIMINAL_PROCEDURE,
    JP_SENSITIVE_JUVENILE_PROCEDURE,
)

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
    JP_RESIDENCE_CARD,
    JP_DRIVERS_LICENSE,
    JP_BASIC_PENSION_NUMBER,
    JP_HEALTH_INSURANCE_NUMBER,
    JP_BANK_ACCOUNT,
    CREDIT_CARD,
    URL,
    ONLINE_ACCOUNT,
    JP_VEHICLE_NUMBER,
    IP_ADDRESS,
    LINKING_CODE,
    ORGANIZATION,
    *SENSITIVE,
    DATE,
)

#: Detected by default but not personal by themselves: a corporate number is public, and
#: a date is personal only with birth context (then it is DATE_OF_BIRTH).
NOT_PERSONAL: frozenset[str] = frozenset({JP_CORPORATE_NUMBER, DATE})

#: Entities that are personal information by default (what masking and the gate care about).
PERSONAL: tuple[str, ...] = tuple(e for e in ENTITIES if e not in NOT_PERSONAL)

#: Personal where a sentence says them of a person (free text), but the declared content of a
#: structured column: a 障害区分 column is a ``sensitive`` attribute the re-identification policy
#: measures, a 勤務先 column is declared with its own actions. ``mask_text`` masks them by
#: default and the gate refuses them in released free text; in any other column (and in
#: released headers, and in the scan's role guess) they change nothing.
FREE_TEXT_ONLY: frozenset[str] = frozenset({ORGANIZATION, *SENSITIVE})


def parse_entities(spec: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """``"PERSON,AGE"`` → ``("PERSON", "AGE")``; unknown names raise listing the valid ones."""
    if spec is None:
        return None
    names = [s.strip() for s in (spec.split(",") if isinstance(spec, str) else spec)]
    names = [n for n in names if n]
    unknown = [n for n in names if n not in ENTITIES]
    if unknown:
        raise UsageError(
            _("unknown entity {unknown}; valid entities: {entities}").format(
                unknown=', '.join(unknown), entities=', '.join(ENTITIES)
            )
        )
    if not names:
        raise UsageError(
            _("no entity given; valid entities: {entities}").format(entities=', '.join(ENTITIES))
        )
    return tuple(dict.fromkeys(names))


def known_entity(name: str) -> str:
    """Pydantic validator: ``name`` is a canonical entity (the error lists the valid ones)."""
    if name not in ENTITIES:
        raise ValueError(
            _("unknown entity {name!r}; valid: {entities}").format(
                name=name, entities=', '.join(ENTITIES)
            )
        )
    return name


#: a config field holding a canonical entity name
EntityName = Annotated[str, AfterValidator(known_entity)]
