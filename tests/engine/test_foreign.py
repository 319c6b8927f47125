"""What each row is given of the other rows' values before the row pass
(:mod:`anonymizer.engine.spark.foreign`): the whole values of any row found in its free-text
cells, or across two of them, each with the column the whole table's matcher gives it — the
same whether the texts are sent to the values (few) or joined with them on anchors (many)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

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


@pytest.mark.parametrize("gate", ["executors", "driver"])
def test_each_row_is_given_the_values_its_texts_hold(spark, monkeypatch, gate):
    """With the gate on the executors the input's notes never reach the driver: the join;
    with it on the driver (which holds the rows anyway), few notes are sent to the values —
    the same, checked against the join."""
    frame = pd.read_csv(ROOT / "samples" / "soudan_utf8.csv", dtype=str, keep_default_na=False)
    frame = frame.iloc[:40].copy()
    cited, split = frame.loc[3, "相談番号"], frame.loc[30, "相談番号"]
    phone = frame.loc[5, "電話番号"]
    frame.loc[12, "備考"] = f"{cited}の件と関連"
    frame.loc[20, "相談内容"] = "前回は" + split[:5]
    frame.loc[20, "備考"] = split[5:] + "も参照"
    frame.loc[25, "相談内容"] = f"連絡先は{phone}（別世帯）"
    if gate == "executors":  # no note is collected to be sent

        def collected(*_args: object) -> None:
            raise AssertionError("the input's notes reached the driver")

        monkeypatch.setattr(raw, "_sent", collected)
    given = _given(spark, frame, gate)
    assert (fold_key(cited), "相談番号") in given[12]
    assert (fold_key(split), "相談番号") in given[20]  # across 相談内容 and 備考
    assert (fold_key(phone), "電話番号") in given[25]
    # every key given is a whole value of some row, found in that row's texts
    for row, keys in given.items():
        texts = [fold_key(frame.loc[row, c]) for c in ("相談内容", "備考")]
        for key, _column in keys:
            assert key in "".join(texts) or any(key in t for t in texts), row
    if gate == "driver":  # sent: the same as the join, whatever the gate
        monkeypatch.setattr(raw, "BROADCAST_CHARS", -1)
        assert _given(spark, frame, gate) == given
