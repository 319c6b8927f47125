"""Property: any spelling of a row's direct-identifier value planted in free text — spaces
(半角/全角, anywhere), separators (中黒, hyphens), hidden characters (zero-width space, word
joiner, BOM, soft hyphen), 全角 digits and letters, hiragana for a katakana reading, decomposed
dakuten — is masked by ``mask_text`` and refused by the gate's ``raw_values`` check when it
stands in a column released as it is.
"""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anonymizer.detect import Detector
from anonymizer.match import fold_key
from anonymizer.operators import OperatorContext, build_operator
from anonymizer.pipeline.gate import raw_values

#: one record's direct identifiers: {column: (entity, value)}
RECORD = {
    "氏名": ("PERSON", "北　恵子"),
    "フリガナ": ("PERSON", "キタ　ケイコ"),
    "電話番号": ("JP_PHONE_NUMBER", "090-1234-5678"),
    "個人番号": ("JP_MY_NUMBER", "123456789018"),
    "メール": ("EMAIL_ADDRESS", "keiko.kita@example.jp"),
}
HIDDEN = ["\u200b", "\u2060", "\ufeff", "\u00ad", "\u200d"]
SPACES = [" ", "\u3000"]
SEPARATORS = ["・", "-", "－"]
TEMPLATES = ["相談者は{}です。", "{}から電話あり", "確認：{}（本人）", "{}"]


def _hira(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


@st.composite
def variants(draw: st.DrawFn) -> tuple[str, str]:
    column = draw(st.sampled_from(sorted(RECORD)))
    value = RECORD[column][1]
    chars = [c for c in value if c not in " \u3000"] if draw(st.booleans()) else list(value)
    if column == "フリガナ" and draw(st.booleans()):
        chars = list(_hira("".join(chars)))
    if draw(st.booleans()):  # 全角 digits, letters and symbols
        chars = [chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in chars]
    if draw(st.booleans()):  # decomposed kana marks (ケ + ゛ …)
        chars = list(unicodedata.normalize("NFD", "".join(chars)))
    out: list[str] = []
    for c in chars:
        out.append(c)
        kind = draw(st.sampled_from(["none"] * 4 + ["hidden", "space", "sep"]))
        if kind == "hidden":
            out.append(draw(st.sampled_from(HIDDEN)))
        elif kind == "space":
            out.append(draw(st.sampled_from(SPACES)))
        elif kind == "sep" and not column == "メール":
            out.append(draw(st.sampled_from(SEPARATORS)))
    planted = "".join(out).strip(" \u3000")
    return column, draw(st.sampled_from(TEMPLATES)).format(planted)


@pytest.fixture(scope="module")
def mask() -> object:
    with Detector("fast", workers=1) as det:
        ctx = OperatorContext(
            column="相談内容",
            detector=det,
            extras={"identifiers": {c: e for c, (e, _) in RECORD.items()}, "rescan_detector": det},
        )
        yield build_operator("mask_text", None, ctx, "test")


def _refs() -> dict[str, pd.Series]:
    return {c: pd.Series([v], dtype="string") for c, (_, v) in RECORD.items()}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(variants())
def test_any_spelling_of_a_record_value_is_masked_and_refused(mask, planted):
    column, text = planted
    value_key = fold_key(RECORD[column][1])
    assert value_key in fold_key(text)  # the variant still spells the value
    out = mask.apply_with(pd.Series([text], dtype="string"), _refs())  # type: ignore[attr-defined]
    assert value_key not in fold_key(str(out.iloc[0]))
    frame = pd.DataFrame({"備考": pd.Series([text], dtype="string")})
    check = raw_values(frame, {c: [v] for c, (_, v) in RECORD.items()})
    assert not check.passed and check.data["problems"]["備考"]["cells"] == 1
