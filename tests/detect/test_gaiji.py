"""A name with an 外字 placeholder (髙橋〓子) is found, the placeholder masked with it."""

from __future__ import annotations

import pytest

CASES = [
    ("髙橋〓子さん（外字）から相談。", ["髙橋〓子"]),
    ("〓田太郎さんから電話", ["〓田太郎"]),
    ("氏名：渡〓 花子", ["渡〓 花子"]),
    ("山田〓〓さんが来庁", ["山田〓〓"]),
    # name kanji outside U+4E00–9FFF (CJK extensions, compatibility ideographs): found whole
    ("申請者は𠮷田一郎。", ["𠮷田一郎"]),
    ("𡈽屋花子さん宅を訪問。", ["𡈽屋花子"]),
    ("𠮷田さんより電話", ["𠮷田"]),
    ("𪉩田次郎さんが来庁", ["𪉩田次郎"]),
    # a placeholder alone is no name
    ("評価は〓で表示", []),
    ("〓〓〓〓", []),
]


def _names(det, text):
    return [text[f.start : f.end] for f in det.detect(text) if f.type == "PERSON"]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_fast(fast, text, expected):
    assert _names(fast, text) == expected


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), CASES)
def test_accurate(accurate, text, expected):
    assert _names(accurate, text) == expected
