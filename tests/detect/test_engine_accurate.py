"""The Detector in accurate mode, with the REAL ja_ginza model (all tests marked slow)."""

from __future__ import annotations

import itertools

import pytest

from anonymizer.detect import Detector
from anonymizer.detect.calibration import Calibrator, load_calibration
from anonymizer.detect.resolve import to_findings

pytestmark = pytest.mark.slow

#: morphology misses the hiragana given name; GiNZA's NER finds it
NER_ONLY = "長女さつきが来所し、就学について相談した。"


def persons(text, findings):
    return [(f.start, f.end, text[f.start : f.end]) for f in findings if f.type == "PERSON"]


def test_ner_adds_a_person_that_morphology_misses(fast, accurate):
    assert persons(NER_ONLY, fast.detect(NER_ONLY)) == []
    before = accurate.stats["ner_texts"]
    out = accurate.detect(NER_ONLY)
    assert persons(NER_ONLY, out) == [(2, 5, "さつき")]
    (f,) = [f for f in out if f.type == "PERSON"]
    # rules/ner_labels.yaml: Person, evidence 0.5; reported as that evidence's probability
    ner_alone = Calibrator(load_calibration(), "accurate")("PERSON", "ja.person.v1", 0.5)
    assert (f.score, f.recognizer) == (ner_alone, "ja.person.v1")
    assert accurate.stats["ner_texts"] == before + 1


def test_accurate_keeps_what_fast_finds(fast, accurate):
    texts = [
        "山田太郎さん（45歳）の電話は090-1234-5678",
        "住所：東京都国立市富士見台1-2-3、メール taro@example.jp",
        "来庁者：山田太郎、昭和45年3月2日、国立市在住",
    ]
    for text, f_fast, f_acc in zip(
        texts, fast.detect_many(texts), accurate.detect_many(texts), strict=True
    ):
        acc = {(f.type, f.start, f.end) for f in f_acc}
        assert {(f.type, f.start, f.end) for f in f_fast} <= acc, text


@pytest.mark.parametrize("text", ["090-1234-5678", "12345", "", "　", "03-1234-5678 / 42"])
def test_ner_is_skipped_when_no_letters_remain(accurate, text):
    before = dict(accurate.stats)
    accurate.detect(text)
    assert accurate.stats["ner_texts"] == before["ner_texts"]


def test_sentence_cache_avoids_rerunning_ner_on_a_repeated_masked_sentence(accurate):
    stage = accurate._ner
    texts = [
        "佐藤花子さんから至急の電話があり、折り返し連絡した（試験A）。",
        "鈴木一郎さんから至急の電話があり、折り返し連絡した（試験A）。",
    ]
    before = dict(stage.stats)
    accurate.detect(texts[0])
    mid = dict(stage.stats)
    assert mid["ner_runs"] - before["ner_runs"] == 1
    out = accurate.detect(texts[1])  # a different text, the same sentence once names are masked
    after = dict(stage.stats)
    assert after["ner_runs"] == mid["ner_runs"]
    assert after["cache_hits"] - mid["cache_hits"] == 1
    assert persons(texts[1], out) == [(0, 4, "鈴木一郎")]


def test_header_context_never_decides_ner(accurate):
    """In cells, the header is context only: a value without letters does not run NER."""
    before = accurate.stats["ner_texts"]
    out = list(accurate.detect_cells(["090-1234-5678", "03-9876-5432"], header="連絡先電話番号"))
    assert [[f.type for f in c] for c in out] == [["JP_PHONE_NUMBER"], ["JP_PHONE_NUMBER"]]
    assert accurate.stats["ner_texts"] == before
    (cell,) = accurate.detect_cells(["さつき"], header="長女の名前")
    assert [(f.type, f.start, f.end) for f in cell] == [("PERSON", 0, 3)]


def test_versions_include_the_model(accurate):
    assert accurate.versions()["ja-ginza"] == "5.3.0"


def _texts(n: int) -> list[str]:
    surnames = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤"]
    given = ["太郎", "花子", "一郎", "さくら", "健太", "美咲"]
    templates = [
        "{s}{g}さん（{a}歳）から電話があった。連絡先は090-{p:04d}-{q:04d}。",
        "長女{g}が来所し、{s}氏と就学について相談した（No.{p}）。",
        "担当：{s}。{a}歳の申請者の書類を受け付けた。メール {p}@example.jp",
        "{s}{g}、昭和{a}年3月{q2}日、国立市富士見台{q2}-{a}-{p}",
        "特記事項なし（{p}）。後日、{s}課長に報告する。",
    ]
    out = []
    for i, (s, g, t) in enumerate(itertools.product(surnames, given, templates)):
        out.append(t.format(s=s, g=g, a=20 + i % 60, p=1000 + i, q=2000 + i, q2=1 + i % 28))
    return out[:n]


def test_two_workers_give_the_same_findings_as_one(accurate):
    texts = _texts(300)
    assert len(set(texts)) == 300
    with Detector(mode="accurate", workers=2) as two:
        parallel = list(two.detect_many(texts))
        assert two._pool is not None  # the work really went to two processes
    single = list(accurate.detect_many(texts))
    assert parallel == single
    assert sum(len(f) for f in single) > 600


def test_stock_presidio_analyzer_uses_ner_too(accurate):
    engine = accurate.analyzer_engine()
    results = engine.analyze(text=NER_ONLY, language="ja")
    found = [(f.type, f.start, f.end) for f in to_findings(results, accurate.min_score, None)]
    assert found == [(f.type, f.start, f.end) for f in accurate.detect(NER_ONLY)]
    assert ("PERSON", 2, 5) in found


#: distinct texts (no other test uses them): names NER finds, places, organisations, none
BATCH_TABLE = [
    "次女みのりが保育園の入園について相談に来た（表1）。",
    "担当の高瀬から折り返し連絡する（表1）。",
    "株式会社ミドリ商事に勤務している父親と面談した（表1）。",
    "大阪府堺市北区に住む織田信長氏から苦情があった（表1）。",
    "後日連絡することとした（表1）。",
    "電話 090-2222-3333（表1）",
    "ヴァヒド・ハリルホジッチ監督が来日した。翌日、長男けんたが同行した（表1）。",
]


def test_a_batch_gives_the_findings_of_one_text_at_a_time(accurate):
    batched = accurate._compute(BATCH_TABLE)
    for text, together in zip(BATCH_TABLE, batched, strict=True):
        accurate._ner.cache.clear()  # NER runs again on this text alone
        assert accurate._compute([text])[0] == together, text
    assert persons(BATCH_TABLE[0], batched[0]) == [(2, 5, "みのり")]
