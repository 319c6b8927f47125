"""The verdict in Japanese: released or refused, and why — one sentence each.

Every gate check becomes one sentence built from its data (counts, column names, row numbers,
entity types), never from a value. A check this module does not know (a future step's) is
still reported, by its name and pass/fail, so nothing the gate decided is left off the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from anonymizer.report.format import format_value

MAX_ROWS = 3


def _rows(rows: Sequence[int]) -> str:
    shown = "・".join(str(r) for r in rows[:MAX_ROWS])
    return f"{shown}行目{'など' if len(rows) > MAX_ROWS else ''}"


def _rescan(passed: bool, data: Mapping[str, Any], words: Mapping[str, Mapping[str, str]]) -> str:
    if passed:
        n = len(data.get("scanned_with", {}))
        return f"出力の全{n}列を再検査し、個人情報は検出されませんでした。"
    parts = [
        f"{col}列に{words['entities'].get(t, t)}{d['cells']}セル（{_rows(d['rows'])}）"
        for col, ents in data.get("findings", {}).items()
        for t, d in ents.items()
    ]
    return f"出力の再検査で、{'、'.join(parts)}の個人情報が検出されました。"


def _raw_values(passed: bool, data: Mapping[str, Any], _: Any) -> str:
    if passed:
        n = format_value(data.get("values_checked", 0))
        return f"直接識別子の元の値{n}種類は、出力のどのセルにも含まれていません。"
    parts = [
        f"{col}列の{d['cells']}セル（{'・'.join(d['from_columns'])}の値、{_rows(d['rows'])}）"
        for col, d in data.get("problems", {}).items()
    ]
    return f"直接識別子の元の値が、{'、'.join(parts)}に残っています。"


def _min_k(passed: bool, data: Mapping[str, Any], _: Any) -> str:
    if "k" not in data:
        return "最小クラスサイズ k が宣言されていますが、公開する準識別子の列がありません。"
    head = f"準識別子の組合せの最小クラスサイズは{data['min_class']}（{data['classes']}クラス）"
    if passed:
        return f"{head}で、k={data['k']}を満たしています。"
    return f"{head}で、k={data['k']}を下回るクラスが{data['classes_below_k']}個あります。"


def _dp_budget(passed: bool, data: Mapping[str, Any], _: Any) -> str:
    who = f"母集団「{data.get('population', '')}」"
    if passed:
        return f"{who}のプライバシー予算から、この公開の分を台帳に記録して支出しました。"
    return f"{who}のプライバシー予算が足りません。"


_SENTENCES = {
    "rescan": _rescan,
    "raw_values": _raw_values,
    "min_k": _min_k,
    "dp_budget": _dp_budget,
}


def check_sentence(
    check: Mapping[str, Any], words: Mapping[str, Mapping[str, str]]
) -> dict[str, Any]:
    """{name, title, passed, sentence} for one gate check (``GateCheck.to_dict()``)."""
    name, passed, data = check["name"], bool(check["passed"]), check.get("data", {})
    if name in _SENTENCES:
        title = words["checks"][name]
        sentence = _SENTENCES[name](passed, data, words)
    elif name.startswith("kanonymity_"):
        model = name.removeprefix("kanonymity_")
        title = words["models"].get(model, model)
        value = format_value(data.get("achieved"))
        sentence = (
            f"k-匿名化ステップが{title}を値{value}で達成しました（ステップの要件を満たす値）。"
            if passed
            else f"k-匿名化ステップの{title}が要件を満たしていません（達成値{value}）。"
        )
    else:
        title = name
        sentence = f"検査「{name}」に{'合格' if passed else '不合格'}しました。"
    return {"name": name, "title": title, "passed": passed, "sentence": sentence}


def verdict(
    released: bool,
    checks: Sequence[Mapping[str, Any]],
    rows: int,
    columns: int,
    words: Mapping[str, Mapping[str, str]],
) -> dict[str, Any]:
    sentences = [check_sentence(c, words) for c in checks]
    failed = [s for s in sentences if not s["passed"]]
    if released:
        summary = f"公開可: {rows}行・{columns}列を公開しました。"
        titles = "、".join(s["title"] for s in sentences)
        why = f"公開前ゲートの全{len(sentences)}検査（{titles}）に合格したためです。"
    else:
        summary = "公開不可: 何も公開していません。"
        why = f"公開前ゲートの{len(sentences)}検査のうち{len(failed)}件に不合格だったためです。"
    return {
        "released": released,
        "summary": summary,
        "why": why,
        "reasons": [f"{s['title']}: {s['sentence']}" for s in failed],
        "checks": sentences,
    }
