import ipaddress
import re

import numpy as np
import pandas as pd
import pytest

from anonymizer.recognizers.ja.corporate_number import is_valid_corporate_number
from anonymizer.recognizers.ja.credit_card import is_luhn_valid
from anonymizer.recognizers.ja.drivers_license import is_valid_drivers_license
from anonymizer.recognizers.ja.health_insurance_number import is_valid_health_insurance_number
from anonymizer.recognizers.ja.my_number import is_valid_my_number
from anonymizer.recognizers.ja.resident_code import is_valid_resident_code
from samples import _ids

N = 300


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(11)


@pytest.mark.parametrize(
    ("make", "valid", "length"),
    [
        (_ids.my_numbers, is_valid_my_number, 12),
        (_ids.corporate_numbers, is_valid_corporate_number, 13),
        (_ids.resident_codes, is_valid_resident_code, 11),
        (_ids.insurance_numbers, is_valid_health_insurance_number, 8),
        (_ids.kaigo_numbers, is_valid_health_insurance_number, 10),
    ],
)
def test_numbers_pass_the_project_validators(rng, make, valid, length) -> None:
    values = make(rng, N)
    assert all(valid(v) and len(v) == length and v.isdigit() for v in values)


def test_checks_are_not_vacuous(rng) -> None:
    """A changed last digit breaks a My Number: the validators above really check."""
    broken = [v[:-1] + str((int(v[-1]) + 1) % 10) for v in _ids.my_numbers(rng, N)]
    assert not any(is_valid_my_number(v) for v in broken)


def test_licence_numbers_encode_commission_and_year(rng) -> None:
    years = rng.integers(1960, 2025, N)
    values = _ids.license_numbers(rng, ("30", "45"), years)
    assert all(is_valid_drivers_license(v) for v in values)
    assert all(v[:2] in ("30", "45") and v[2:4] == f"{y % 100:02d}"
               for v, y in zip(values, years, strict=True))


def test_cards_are_luhn_valid_and_grouped(rng) -> None:
    values = _ids.cards(rng, N)
    assert all(is_luhn_valid(v) for v in values)
    shapes = {re.sub(r"\d", "9", v) for v in values}
    assert {"9999 9999 9999 9999", "9999-9999-9999-9999", "9999999999999999"} <= shapes
    assert any(re.fullmatch(r"3[47]\d\d[ -]?\d{6}[ -]?\d{5}", v) for v in values)  # Amex 4-6-5


def test_passports_pensions_accounts(rng) -> None:
    assert all(re.fullmatch(r"[A-Z]{2}\d{7}", v) for v in _ids.passports(rng, ("TK", "MZ"), N))
    assert all(re.fullmatch(r"[1-9]\d{3}-?\d{6}", v) for v in _ids.pensions(rng, N))
    assert all(re.fullmatch(r"\d{7}", v) for v in _ids.accounts(rng, N))


def test_ips_are_public(rng) -> None:
    assert all(ipaddress.ip_address(v).is_global for v in _ids.ips(rng, N))


def test_kaigo_numbers_are_unique(rng) -> None:
    assert len(set(_ids.kaigo_numbers(rng, 5_000))) == 5_000


@pytest.mark.parametrize(("style", "expected"), [
    ("plain", "123456789018"), ("space4", "1234 5678 9018"), ("hyphen4", "1234-5678-9018"),
    ("zenkaku", "１２３４５６７８９０１８"),
])
def test_my_number_groupings(style: str, expected: str) -> None:
    assert _ids.grouped(np.array(["123456789018"], dtype=object),
                        np.array([style], dtype=object))[0] == expected


def test_emails_and_urls_are_built_from_the_romanized_name(rng) -> None:
    p = pd.DataFrame({"first_latin": ["tarou"] * 40, "last_latin": ["yamada"] * 40,
                      "dob": pd.to_datetime(["1972-05-01"] * 40)})
    mails = _ids.emails(rng, p, ("gmail.com",))
    assert all(re.fullmatch(r"[a-z0-9._]+@gmail\.com", m) and "yamada" in m for m in mails)
    urls = _ids.urls(rng, p, ("https://x.com/{h}",))
    assert all(u.startswith("https://x.com/") and "yamada" in u for u in urls)
