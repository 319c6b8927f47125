"""A name held in two columns (申請者姓 / 申請者名): which columns pair, and the joined names.

A part alone (上杉, 太郎) is no one's name: it is a place (青葉区上杉), a school (市立上杉山中学校)
or a thousand other people's. The joined name of one row is a person's, wherever it appears;
the part alone counts only in its own row's text, where it stands as a name (the record
matcher's ``part_columns``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from anonymizer.scan.headers import load_header_rules, normalize_header

FAMILY, GIVEN = "family", "given"
NAME_PARTS = (FAMILY, GIVEN)


def _stem(header: str) -> str:
    """The header without its part word (申請者姓 → 申請者; 姓（カナ） → カナ)."""
    key = normalize_header(header)
    parts = load_header_rules().name_parts
    for pattern in (*parts.family, *parts.given):
        cut = re.sub(pattern, "", key)
        if cut != key:
            return cut
    return key


def pair_name_parts(parts: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(family column, given column) pairs from ``parts`` — (column, family|given) in the
    table's column order. Each family column takes the unpaired given column with the same
    stem (申請者姓 → 申請者名), else the nearest one after it, else the nearest before it."""
    order = {c: i for i, (c, _kind) in enumerate(parts)}
    given = [c for c, kind in parts if kind == GIVEN]
    taken: set[str] = set()
    pairs = []
    for family, kind in parts:
        if kind != FAMILY:
            continue
        free = [g for g in given if g not in taken]
        if not free:
            continue
        stem = _stem(family)
        best = min(
            free,
            key=lambda g: (
                _stem(g) != stem,
                order[g] < order[family],
                abs(order[g] - order[family]),
            ),
        )
        taken.add(best)
        pairs.append((family, best))
    return pairs


def joined_label(family: str, given: str) -> str:
    return f"{family}+{given}"


def joined_names(
    columns: Mapping[str, pd.Series], pairs: Sequence[tuple[str, str]]
) -> dict[str, pd.Series]:
    """Per pair present in ``columns``: the row's family and given parts joined (山田 + 太郎 →
    山田太郎; spacing does not matter to the matcher), and given before family where the family
    part has no kanji (マイケル + ジョンソン, as foreign names are written in kana)."""
    out: dict[str, pd.Series] = {}
    for family, given in pairs:
        if family not in columns or given not in columns:
            continue
        f = columns[family].astype("string").str.strip()
        g = columns[given].astype("string").str.strip()
        both = f.notna() & g.notna() & (f != "") & (g != "")
        joined = (f + g).where(both)
        kana = ~f.fillna("").str.contains(r"[\u3400-\u9fff々〆]", regex=True)
        reverse = (g + f).where(both & kana)
        out[joined_label(family, given)] = pd.concat([joined, reverse.dropna()]).dropna()
    return out


__all__ = ["FAMILY", "GIVEN", "NAME_PARTS", "joined_label", "joined_names", "pair_name_parts"]
