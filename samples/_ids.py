"""Identifiers with valid check digits, contact handles and payment data.

Check digits are the project's own (anonymizer.recognizers.ja.*): a planted number is valid
exactly when the recognizer's validator says so. Shapes without a public check digit
(旅券, 基礎年金番号, 被保険者番号, 口座番号) follow the formats those recognizers document.
"""

from __future__ import annotations

import ipaddress

import numpy as np
import pandas as pd

from anonymizer.recognizers.ja.corporate_number import corporate_check_digit
from anonymizer.recognizers.ja.credit_card import luhn_check_digit
from anonymizer.recognizers.ja.drivers_license import drivers_license_check_digit
from anonymizer.recognizers.ja.my_number import my_number_check_digit
from anonymizer.recognizers.ja.resident_code import resident_code_check_digit
from samples._people import StyleTable, choose, num_text
from samples._places import _zenkaku


def digits(rng: np.random.Generator, n: int, width: int, first: str = "0123456789") -> np.ndarray:
    """``n`` random digit strings of ``width``; the first digit drawn from ``first``."""
    head = np.array(list(first), dtype=object)[rng.integers(0, len(first), n)]
    if width == 1:
        return head
    # digit bytes viewed as one fixed-width byte string per row: no per-row Python work
    raw = rng.integers(48, 58, size=(n, width - 1), dtype=np.uint8)
    tail = np.ascontiguousarray(raw).view(f"S{width - 1}").ravel().astype(str).astype(object)
    return head + tail


def my_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    base = digits(rng, n, 11)
    return np.array([b + str(my_number_check_digit(b)) for b in base], dtype=object)


def corporate_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    # 会社法人等番号: 4-digit 登記所 code, 2-digit 会社 kind (01 株式会社), 6-digit serial
    base = digits(rng, n, 4, "0123") + "01" + digits(rng, n, 6)
    return np.array([str(corporate_check_digit(b)) + b for b in base], dtype=object)


def resident_codes(rng: np.random.Generator, n: int) -> np.ndarray:
    base = digits(rng, n, 10)
    return np.array([b + str(resident_code_check_digit(b)) for b in base], dtype=object)


def license_numbers(rng: np.random.Generator, prefixes: tuple[str, ...], issue_year: np.ndarray
                    ) -> np.ndarray:
    """公安委員会 code, 2-digit year of first issue, serial, check digit, reissue count."""
    n = len(issue_year)
    pre = np.array(prefixes, dtype=object)[rng.integers(0, len(prefixes), n)]
    yy = num_text(np.asarray(issue_year) % 100, 2)
    base = pre + yy + digits(rng, n, 6)
    reissue = np.where(rng.random(n) < 0.9, "0", "1")
    return np.array([b + str(drivers_license_check_digit(b)) for b in base], dtype=object) + reissue


def passports(rng: np.random.Generator, prefixes: tuple[str, ...], n: int) -> np.ndarray:
    pre = np.array(prefixes, dtype=object)[rng.integers(0, len(prefixes), n)]
    return pre + digits(rng, n, 7)


def record_codes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Record numbers a city or a business writes after a label: 0001234567, CT90288167,
    R06-000123."""
    letters = np.array(list("ABCDEFGHJKLMNPRSTUVWXYZ"), dtype=object)
    two = letters[rng.integers(0, len(letters), n)] + letters[rng.integers(0, len(letters), n)]
    style = rng.integers(0, 3, n)
    return np.where(
        style == 0, digits(rng, n, 10, "0"),
        np.where(style == 1, two + digits(rng, n, 8), "R0" + digits(rng, n, 1, "5678") + "-" + digits(rng, n, 6)),
    )


def pensions(rng: np.random.Generator, n: int) -> np.ndarray:
    """基礎年金番号: 4-digit 記号 and 6-digit 番号, mostly written 1234-567890."""
    a, b = digits(rng, n, 4, "123456789"), digits(rng, n, 6)
    return np.where(rng.random(n) < 0.75, a + "-" + b, a + b)


def insurance_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """国保・後期高齢者医療 被保険者番号: 8 digits (never a YYYYMMDD date: first digit 3–9)."""
    return digits(rng, n, 8, "3456789")


def kaigo_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """介護保険 被保険者番号: 10 digits, unique within one call."""
    values = rng.choice(10**8, size=n, replace=False)
    return "00" + np.strings.zfill(values.astype(str), 8).astype(object)


def accounts(rng: np.random.Generator, n: int) -> np.ndarray:
    return digits(rng, n, 7)


#: IIN prefixes and lengths: Visa, Mastercard, JCB, American Express
_CARD_BRANDS = (("4", 16), ("5", 16), ("35", 16), ("37", 15))


def cards(rng: np.random.Generator, n: int) -> np.ndarray:
    """Luhn-valid card numbers, grouped 4-4-4-4 (Amex 4-6-5) by a space or hyphen, or not."""
    brand = rng.choice(len(_CARD_BRANDS), size=n, p=[0.45, 0.25, 0.22, 0.08])
    out = np.empty(n, dtype=object)
    sep = np.array([" ", "-", ""], dtype=object)[rng.choice(3, size=n, p=[0.4, 0.4, 0.2])]
    for i, (b, s) in enumerate(zip(brand, sep, strict=True)):
        prefix, length = _CARD_BRANDS[b]
        body = prefix + "".join(str(d) for d in rng.integers(0, 10, length - len(prefix) - 1))
        num = body + str(luhn_check_digit(body))
        groups = (4, 6, 5) if length == 15 else (4, 4, 4, 4)
        cuts = np.cumsum((0, *groups))
        out[i] = s.join(num[cuts[k]: cuts[k + 1]] for k in range(len(groups)))
    return out


def ips(rng: np.random.Generator, n: int) -> np.ndarray:
    """Public IPv4 addresses (``ipaddress`` says global; private and reserved ranges redrawn)."""
    out: list[str] = []
    while len(out) < n:
        for v in rng.integers(1 << 24, 224 << 24, size=max(8, 2 * (n - len(out)))):
            addr = ipaddress.IPv4Address(int(v))
            if addr.is_global and len(out) < n:
                out.append(str(addr))
    return np.array(out, dtype=object)


def handles(rng: np.random.Generator, p: pd.DataFrame) -> np.ndarray:
    """Login names built from a person's romanized name: taro.yamada, yamada_t72, tyamada…"""
    first, last = (np.strings.lower(np.asarray(p[c], dtype=str)).astype(object)
                   for c in ("first_latin", "last_latin"))
    n = len(p)
    yy = num_text(pd.DatetimeIndex(p["dob"]).year % 100, 2)
    num = num_text(rng.integers(1, 1000, n))
    initial = np.strings.slice(first.astype(str), 0, 1).astype(object)
    table: StyleTable = {
        "dot": first + "." + last,
        "under": last + "_" + initial + yy,
        "init": initial + last + num,
        "plain": last + first + yy,
    }
    styles = np.array(list(table), dtype=object)[rng.integers(0, len(table), n)]
    return choose(styles, table)


def emails(rng: np.random.Generator, p: pd.DataFrame, domains: tuple[str, ...]) -> np.ndarray:
    dom = np.array(domains, dtype=object)[rng.integers(0, len(domains), len(p))]
    return handles(rng, p) + "@" + dom


def urls(rng: np.random.Generator, p: pd.DataFrame, formats: tuple[str, ...]) -> np.ndarray:
    fmt = np.array(formats, dtype=object)[rng.integers(0, len(formats), len(p))]
    return np.array([f.format(h=h) for f, h in zip(fmt, handles(rng, p), strict=True)],
                    dtype=object)


NUMBER_STYLES = ("plain", "space4", "hyphen4", "zenkaku")


def grouped(values: np.ndarray, styles: np.ndarray) -> np.ndarray:
    """A 12-digit number as written: 123456789018, 1234 5678 9018, 1234-5678-9018, 全角."""
    s = np.asarray(values, dtype=str)
    parts = [np.strings.slice(s, i, i + 4).astype(object) for i in range(0, 12, 4)]
    plain = s.astype(object)
    table: StyleTable = {
        "plain": plain,
        "space4": parts[0] + " " + parts[1] + " " + parts[2],
        "hyphen4": parts[0] + "-" + parts[1] + "-" + parts[2],
        "zenkaku": lambda rows: _zenkaku(plain[rows]),
    }
    return choose(styles, table)
