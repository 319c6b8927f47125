import numpy as np
import pandas as pd
import pytest

from samples._text import MAKERS, Filled, concat, fill, parse
from samples._vocab import PERSONAL_SLOTS, PUBLIC_SLOTS, load_vocab


def test_every_slot_has_a_maker() -> None:
    assert set(MAKERS) == set(PERSONAL_SLOTS) | PUBLIC_SLOTS


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{last}様より", [("", "last"), ("様より", None)]),
        ("電話{phone}、{age}", [("電話", None), ("", "phone"), ("、", None), ("", "age")]),
        ("特記事項なし。", [("特記事項なし。", None)]),
    ],
)
def test_parse(template: str, expected: list) -> None:
    assert parse(template) == expected


@pytest.fixture(scope="module")
def ctx():
    from samples._datasets import _context, _town_rows
    from samples._people import people

    rng = np.random.default_rng(4)
    vocab = load_vocab()
    ref = pd.Series(pd.to_datetime(["2024-10-01"] * 6))
    p1 = people(rng, ref, np.array([30, 45, 70, 82, 19, 101]))
    return _context(rng, vocab, ref, p1, _town_rows(rng, vocab, 6))


def test_fill_records_exact_spans_and_keeps_honorifics_outside(ctx) -> None:
    templates = ["{last}様（{age}）、{facility}にて。", "〒{postal} {address}、{phone}"]
    chosen = np.array([0, 1, -1, 0, 1, 0])
    out = fill(np.random.default_rng(0), templates, chosen, ctx, load_vocab())
    assert out.texts[2] == ""
    for row, start, end, kind in out.spans:
        piece = out.texts[row][start:end]
        if kind == "PERSON":
            assert piece == ctx.p1["last"].iloc[row]
            assert out.texts[row][end] == "様"
        if kind == "AGE":
            assert piece.endswith("歳")
    assert {k for *_, k in out.spans} == {"PERSON", "AGE", "JP_POSTAL_CODE", "JP_ADDRESS",
                                          "JP_PHONE_NUMBER"}
    assert not [s for s in out.spans if s[0] == 2]
    # the facility (public) is in the text but not in the gold
    assert all("国立" in t or "センター" in t or "館" in t or "プラス" in t or "舎" in t
               or "プラザ" in t or "いえ" in t for t in (out.texts[i] for i in (0, 3, 5)))


def test_concat_shifts_tail_spans() -> None:
    head = Filled(["山田様。", ""], [(0, 0, 2, "PERSON")])
    tail = Filled(["電話0425761234。", "x"], [(0, 2, 12, "JP_PHONE_NUMBER")])
    out = concat(head, tail)
    assert out.texts == ["山田様。電話0425761234。", "x"]
    assert out.spans == [(0, 0, 2, "PERSON"), (0, 6, 16, "JP_PHONE_NUMBER")]
    assert out.texts[0][6:16] == "0425761234"
