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
        if d["cells"]
        else f"{col}列の{d.get('split_cells', 0)}セル（別の列と分けて書かれた値の一部、{_rows(d['rows'])}）"
        for col, d in data.get("problems", {}).items()
    ]
    return f"直接識別子の元の値が、{'、'.join(parts)}に残っています。"


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def _reidentification(passed: bool, data: Mapping[str, Any], _: Any) -> str:
    unit = "人" if data.get("counted_in") == "persons" else "行（1行を1人として）"
    cols = "・".join(m["column"] for m in data.get("measured", [])) or "（準識別子なし）"
    head = (
        f"準識別子（{cols}）の組合せの最小クラスは{data['min_class']}{unit}、抑制した記録は"
        f"{data['suppressed']}件（{_pct(data['suppressed_share'])}、上限{_pct(data['max_suppression'])}）"
    )
    if passed:
        return f"{head}で、k={data['k']}を満たしています。"
    problems = []
    if data["classes_below_k"]:
        problems.append(f"k={data['k']}未満のクラスが{data['classes_below_k']}個あります")
    if data["suppressed_share"] > data["max_suppression"]:
        problems.append("抑制が上限を超えています")
    drivers = "、".join(
        f"{d['column']}だけで{_pct(d['alone_share'])}の記録がk未満のクラスに入り"
        f"〔一意{_pct(d['alone_unique'])}〕除くと{_pct(d['without_share'])}"
        for d in data.get("drivers", [])
    )
    why = f"主な原因: {drivers}／" if drivers else ""
    return (
        f"{head}で、{'、また'.join(problems) or 'ポリシーを満たしていません'}"
        f"（{why}対処: k-匿名化ステップで準識別子を一般化するか、原因の列をさらに一般化または削除）。"
    )


def _free_text_review(passed: bool, data: Mapping[str, Any], _: Any) -> str:
    if passed:
        done = data.get("reviewed", [])
        if not done:
            return "自由記述の列は公開していません。"
        who = "、".join(f"{r['column']}（{r['role']}）" for r in done)
        return f"自由記述（{who}）はkで測れないため、レビューを受けて公開しました。"
    return (
        f"自由記述の列（{'・'.join(data.get('unreviewed', []))}）がレビューなしで公開されようとして"
        "いるため、削除するか、パイプラインに review（担当の役割と理由）を記入してください。"
    )


def _kanonymity(passed: bool, data: Mapping[str, Any], _: Any) -> str:
    if passed:
        return "k-匿名化ステップが要件を満たす変換を見つけました。"
    return "k-匿名化ステップは、抑制の上限内で要件を満たす一般化を見つけられませんでした。"


def _dp_budget(passed: bool, data: Mapping[str, Any], _: Any) -> str:
    who = f"母集団「{data.get('population', '')}」"
    if passed:
        return f"{who}のプライバシー予算から、この公開の分を台帳に記録して支出しました。"
    return f"{who}のプライバシー予算が足りません。"


def _headers(passed: bool, data: Mapping[str, Any], _: Any) -> str:
    if passed:
        return f"公開する{data.get('headers', 0)}列の見出しに個人情報はありませんでした。"
    where = "、".join(f"{i}列目" for i in data.get("columns", {}))
    return (
        f"列見出し（{where}）に個人情報が含まれています（見出しは表示しません）。"
        "output.columns で列名を変えてください。"
    )


def _publication(passed: bool, data: Mapping[str, Any], _: Any) -> str:
    if passed:
        return "題名・公開者・全国地方公共団体コードに仮の値（要記入など）はなく、コードは実在します。"
    fields = "、".join(data.get("problems", {}))
    return f"公開メタデータが未記入か仮の値です（{fields}）。パイプラインの metadata を記入してください。"


def _cells(coords: Sequence[Mapping[str, str]]) -> str:
    shown = "、".join("（" + "・".join(coords_[k] for k in coords_) + "）" for coords_ in coords[:MAX_ROWS])
    return shown + ("など" if len(coords) > MAX_ROWS else "")


def _cell_suppression_primary(passed: bool, data: Mapping[str, Any], _: Any) -> str:
    if passed:
        return f"一次秘匿の基準に当たる{data.get('primary', 0)}セルは、すべて秘匿されています。"
    exposed = data.get("exposed", [])
    return f"一次秘匿の基準に当たるセルが{len(exposed)}個公開されようとしています: {_cells(exposed)}。"


def _cell_suppression_audit(passed: bool, data: Mapping[str, Any], _: Any) -> str:
    if passed:
        return (
            f"秘匿した{data.get('audited', 0)}セルそれぞれの取りうる範囲を公開値から線形計画で求め、"
            "どれも保護幅を満たしていることを確認しました。"
        )
    narrow = [n["cell"] for n in data.get("narrow", [])]
    return f"公開値から保護幅より狭い範囲に絞り込めるセルがあります: {_cells(narrow)}。"


def _profile(passed: bool, data: Mapping[str, Any], _: Any) -> str:
    standard = data.get("standard", data.get("profile", ""))
    if passed:
        return f"公開する表は「{standard}」の列・順序・型のとおりです。"
    return f"公開する表が「{standard}」の様式に合っていません: {'／'.join(data.get('problems', [])[:3])}。"


#: titles of checks whose names rules/report.yaml may not list yet
_TITLES = {
    "cell_suppression_primary": "セル秘匿（一次秘匿）",
    "cell_suppression_audit": "セル秘匿（秘匿インターバルの監査）",
    "profile": "標準様式",
}

_SENTENCES = {
    "cell_suppression_primary": _cell_suppression_primary,
    "cell_suppression_audit": _cell_suppression_audit,
    "headers": _headers,
    "profile": _profile,
    "publication": _publication,
    "rescan": _rescan,
    "raw_values": _raw_values,
    "reidentification": _reidentification,
    "free_text_review": _free_text_review,
    "kanonymity": _kanonymity,
    "dp_budget": _dp_budget,
}


def check_sentence(
    check: Mapping[str, Any], words: Mapping[str, Mapping[str, str]]
) -> dict[str, Any]:
    """{name, title, passed, sentence} for one gate check (``GateCheck.to_dict()``)."""
    name, passed, data = check["name"], bool(check["passed"]), check.get("data", {})
    base, _, part = name.partition(":")  # one check per table of a step: name:表
    if part and base in _SENTENCES:
        title = (words["checks"].get(base) or _TITLES[base]) + f"（{part}）"
        return {"name": name, "title": title, "passed": passed, "sentence": _SENTENCES[base](passed, data, words)}
    if name in _SENTENCES:
        title = words["checks"].get(name) or _TITLES[name]
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
    notes = []
    for c in checks:
        if c["name"] == "free_text_review" and c["passed"] and c.get("data", {}).get("reviewed"):
            notes.append(check_sentence(c, words)["sentence"])
        if c["name"] == "reidentification" and c["passed"] and c.get("data", {}).get("waived"):
            waived = "、".join(w["column"] for w in c["data"]["waived"])
            notes.append(f"準識別子の測定から除外した列（理由付き）: {waived}")
        if c["name"] == "reidentification" and c["passed"] and c.get("data", {}).get("unmeasured"):
            worst = c["data"]["unmeasured"][0]
            names = "、".join(u["column"] for u in c["data"]["unmeasured"])
            notes.append(
                f"測定していない公開列: {names}（{worst['column']} も知る読み手には記録の "
                f"{worst['share_below_k']:.0%} が k 未満のクラスになります。準識別子なら測定してください）"
            )
    return {
        "released": released,
        "summary": summary,
        "why": why,
        "reasons": [f"{s['title']}: {s['sentence']}" for s in failed],
        "checks": sentences,
        "notes": notes,
    }
