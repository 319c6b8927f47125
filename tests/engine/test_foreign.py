"""What each row is given of the other rows' values before the row pass
(:mod:`anonymizer.engine.spark.foreign`): the whole values of any row found in its free-text
cells, or across two of them, each with the column the whole table's matcher gives it — the
same whether the texts go to every share of the values (few) or are joined with them on
anchors (many)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from anonymizer.engine.spark import raw
from anonymizer.engine.spark.foreign import COLUMN, labels, with_foreign
from anonymizer.engine.spark.rows import RowJob
from anonymizer.match import fold_key
from anonymizer.pipeline.spec import load_pipeline

ROOT = Path(__file__).resolve().parents[2]


def _given(spark, frame: pd.DataFrame, gate: str) -> dict[int, set[tuple[str, str]]]:
    """{row: {(key, column)}} for the soudan pipeline over ``frame``, its gate at ``gate``."""
    spec = load_pipeline(ROOT / "pipelines" / "soudan.yaml")
    spec = spec.model_copy(update={"spark": spec.spark.model_copy(update={"gate": gate})})
    columns = tuple(frame.columns)
    data = pd.DataFrame({f"c{i}": frame[c].astype(object) for i, c in enumerate(columns)})
    data.insert(0, "__row", range(len(frame)))
    schema = ", ".join(["__row long", *(f"c{i} string" for i in range(len(columns)))])
    rows = spark.createDataFrame(data, schema).repartition(3)
    job = RowJob(spec, ROOT / "pipelines" / "soudan.yaml", Path("in.csv"), None, "none", 7,
                 columns, columns)  # fmt: skip
    names, _entities = labels(spec)
    out: dict[int, set[tuple[str, str]]] = {}
    for r in with_foreign(rows, job).select("__row", COLUMN).collect():
        if r[COLUMN] is not None:
            out[r["__row"]] = {(x["k"], names[x["h"]]) for x in json.loads(r[COLUMN])}
    return out


def test_each_row_is_given_the_values_its_texts_hold(spark, monkeypatch):
    """The input's notes never reach the driver, whatever the gate (no path collects them):
    each chunk goes to every task holding a share of the values, or (many values and notes)
    they are joined with the values on anchors — the same."""
    frame = pd.read_csv(ROOT / "samples" / "soudan_utf8.csv", dtype=str, keep_default_na=False)
    frame = frame.iloc[:40].copy()
    cited, split = frame.loc[3, "相談番号"], frame.loc[30, "相談番号"]
    phone = frame.loc[5, "電話番号"]
    frame.loc[12, "備考"] = f"{cited}の件と関連"
    frame.loc[20, "相談内容"] = "前回は" + split[:5]
    frame.loc[20, "備考"] = split[5:] + "も参照"
    frame.loc[25, "相談内容"] = f"連絡先は{phone}（別世帯）"

    monkeypatch.setattr(raw, "VALUES_PER_TASK", 50)  # the values in shares, the notes in chunks:
    monkeypatch.setattr(raw, "CHUNK_CHARS", 300)  # every share sees every chunk
    given = _given(spark, frame, "executors")
    assert (fold_key(cited), "相談番号") in given[12]
    assert (fold_key(split), "相談番号") in given[20]  # across 相談内容 and 備考
    assert (fold_key(phone), "電話番号") in given[25]
    # every key given is a whole value of some row, found in that row's texts
    for row, keys in given.items():
        texts = [fold_key(frame.loc[row, c]) for c in ("相談内容", "備考")]
        for key, _column in keys:
            assert key in "".join(texts) or any(key in t for t in texts), row
    monkeypatch.setattr(raw, "GROUPED_SHARES", 0)  # the join on anchors, the gate elsewhere: same
    assert _given(spark, frame, "driver") == given
