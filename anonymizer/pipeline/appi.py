"""The APPI 匿名加工 checklist (個人情報保護法施行規則 第34条 各号), derived from measured facts.

1. 特定の個人を識別することができる記述等の全部又は一部を削除（置換を含む）
2. 個人識別符号の全部を削除
3. 情報を相互に連結する符号（連結符号）を削除
4. 特異な記述等を削除
5. その他、個人情報データベース等の性質を勘案した適切な措置

Each measure gets one status — ``done`` 実施, ``partial`` 一部実施, ``review`` 要確認,
``not_applicable`` 該当なし — and its evidence (columns, operators, gate figures). A status
is never taken from what the pipeline declares alone:

* 第1号 is 実施 only when every direct identifier was removed, replaced or generalized, free
  text was masked or dropped, and the gate's re-scan and raw-value check found nothing;
* 第2号 only when no 個人識別符号 was found anywhere in the release and every column holding
  one was deleted entirely (a masked My Number is still part of one);
* 第3号 only when no *persistent* linking code leaves the release: a pseudonym made with a
  per-release key that was never stored links nothing outside the release; one made with a
  key the city keeps can be re-linked by whoever holds it (仮名加工情報 territory, 施行規則
  第31条), so it is 要確認;
* 第4号 only when the gate's re-identification policy was met on measured columns (top-coding
  alone is not enough: 一部実施), and it stays 要確認 while free text goes out under a review;
* 第5号 lists the other measures taken.

For aggregate (statistical) releases the 匿名加工 rule does not apply; the checklist says so.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from anonymizer.entities import (
    JP_BASIC_PENSION_NUMBER,
    JP_DRIVERS_LICENSE,
    JP_HEALTH_INSURANCE_NUMBER,
    JP_MY_NUMBER,
    JP_PASSPORT,
    JP_RESIDENCE_CARD,
    JP_RESIDENT_CODE,
)

if TYPE_CHECKING:
    from anonymizer.operators import Operator
    from anonymizer.pipeline.gate import GateResult
    from anonymizer.pipeline.spec import PipelineSpec
    from anonymizer.steps import StepResult

IDENTIFICATION_CODES = {
    JP_MY_NUMBER, JP_PASSPORT, JP_DRIVERS_LICENSE, JP_BASIC_PENSION_NUMBER,
    JP_HEALTH_INSURANCE_NUMBER, JP_RESIDENT_CODE, JP_RESIDENCE_CARD,
}
#: operators whose output holds nothing of the value (deleted or replaced)
_REMOVING = {"drop", "redact", "replace", "pseudonymize"}
#: measure 1 allows deleting *part* of a description (住所 → 市区町村)
_PARTIAL = _REMOVING | {"generalize", "mask"}
MEASURES = (
    ("1", "特定の個人を識別できる記述等の削除"),
    ("2", "個人識別符号の全部削除"),
    ("3", "連結符号の削除"),
    ("4", "特異な記述等の削除"),
    ("5", "その他の適切な措置"),
)
STATUSES = {"done": "実施", "partial": "一部実施", "review": "要確認", "not_applicable": "該当なし"}
_LINKING_ENTITIES = {None, "LINKING_CODE"}


def _final(operators: dict[str, list[Operator]], col: str) -> str:
    return operators[col][-1].NAME if operators.get(col) else "keep"


def _persistent(op: Operator) -> bool:
    return op.NAME == "pseudonymize" and op.describe().get("key") == "persistent"


def appi_checklist(
    spec: PipelineSpec,
    operators: dict[str, list[Operator]],
    steps: list[StepResult],
    gate: GateResult,
    aggregate: bool,
    released: Collection[str] | None = None,
) -> list[dict[str, Any]]:
    """One item per measure: ``{measure, title, status, evidence}``. ``released``: the input
    columns whose values reach the release (default: every column not dropped)."""
    step_types = [s.report.get("type", "") for s in steps]
    if aggregate:
        na = "統計情報（集計表）の公開であり、匿名加工情報の加工基準は適用対象外"
        extra = {
            "dp_aggregate": "（差分プライバシーによる集計）",
            "cell_suppression": "（秘匿処理による集計表）",
        }
        note = "".join(extra.get(t, "") for t in dict.fromkeys(step_types))
        return [
            {"measure": m, "title": t, "status": "not_applicable", "evidence": na + note}
            for m, t in MEASURES
        ]

    def final(col: str) -> str:
        return _final(operators, col)

    if released is None:
        released = {c for c in spec.columns if final(c) != "drop"}
    released = set(released)
    checks = {c.name: c for c in gate.checks}
    rescan, raw = checks.get("rescan"), checks.get("raw_values")
    policy, review = checks.get("reidentification"), checks.get("free_text_review")
    findings: dict[str, dict[str, Any]] = rescan.data.get("findings", {}) if rescan else {}
    found_types = {t for ents in findings.values() for t in ents}
    rescan_ok = rescan is not None and rescan.passed
    raw_ok = raw is None or raw.passed

    direct = [c for c, cs in spec.columns.items() if cs.role == "direct_identifier"]
    free = [c for c, cs in spec.columns.items() if cs.role == "free_text"]
    kanon_generalized = {
        c for st in steps if st.report.get("type") == "kanonymity"
        for c, level in (st.report.get("levels") or {}).items() if level
    }

    # a step that protects a column row by row says so in its report (holders: an individual's
    # name replaced, home address generalized; a corporation's released as published) — taken
    # only when the step's own gate checks, which re-derive it, passed
    by_step = {
        c: f"{st.report['type']}（{how}）"
        for st in steps if all(ch.passed for ch in st.checks)
        for c, how in (st.report.get("protected") or {}).items()
    }

    def fate(c: str) -> str:
        return by_step.get(c, final(c)) if c in released else "削除"

    def handled(c: str) -> bool:
        return c not in released or final(c) in _PARTIAL or c in kanon_generalized or c in by_step

    free_open = [
        c for c in free
        if c in released and "mask_text" not in [o.NAME for o in operators.get(c, [])]
    ]

    # 第1号 — identifying descriptions
    kept_direct = [c for c in direct if not handled(c)]
    how = ", ".join(f"{c}: {fate(c)}" for c in direct) or "なし"
    ev1 = (
        f"直接識別子 {len(direct)} 列（{how}）; 自由記述 {len(free)} 列"
        + (
            f"（置換なしで公開: {', '.join(free_open)}）"
            if free_open
            else "（検出箇所を置換または削除）"
        )
        + f"; 公開前の再検査: {'検出なし' if rescan_ok else '検出あり'}"
        + f"; 原値照合: {'一致なし' if raw_ok else '一致あり'}"
    )
    if not kept_direct and not free_open and rescan_ok and raw_ok:
        s1 = "done"
    elif len(kept_direct) < len(direct) or not direct:
        s1 = "partial" if rescan_ok and raw_ok else "review"
    else:
        s1 = "review"

    # 第2号 — identification codes, wholly deleted
    codes = [c for c, cs in spec.columns.items() if cs.entity in IDENTIFICATION_CODES]
    codes_left = [c for c in codes if c in released and final(c) not in _REMOVING]
    masked_codes = sum(
        n for col, ops in operators.items() for op in ops
        for t, n in (getattr(op, "stats", None) or {}).items() if t in IDENTIFICATION_CODES
    )
    found_codes = sorted(found_types & IDENTIFICATION_CODES)
    ev2 = (
        f"個人識別符号の列: {', '.join(f'{c}: {fate(c)}' for c in codes) or 'なし'}"
        f"; 自由記述中で置換した個人識別符号: {masked_codes} 件"
        f"; 公開物の再検査で検出: {', '.join(found_codes) or 'なし'}"
    )
    if found_codes or codes_left or free_open or not rescan_ok:
        s2 = "review"
    elif codes or masked_codes:
        s2 = "done"
    else:
        s2 = "not_applicable"
        ev2 += "（入力に個人識別符号の列がなく、公開物にも見つからない）"

    # 第3号 — linking codes: nothing persistent may leave
    links = [
        c for c in direct if spec.columns[c].entity in _LINKING_ENTITIES
    ] + ([spec.person_column] if spec.person_column and spec.person_column not in direct else [])
    persistent = [
        c for c in released if any(_persistent(o) for o in operators.get(c, []))
    ]
    per_release = [
        c for c in released
        if c not in persistent and any(o.NAME == "pseudonymize" for o in operators.get(c, []))
    ]
    links_kept = [c for c in links if c in released and final(c) not in _REMOVING]
    parts3 = [
        f"連結符号の列: {', '.join(f'{c}: {fate(c)}' for c in links) or 'なし'}"
    ]
    if per_release:
        parts3.append(
            f"仮名ID（{', '.join(per_release)}）は公開ごとの乱数鍵で作成し鍵は保存しない"
            "（この公開物の中だけで連結でき、他の公開物や本人とは連結できない）"
        )
    if persistent:
        parts3.append(
            f"仮名ID（{', '.join(persistent)}）は保管する鍵で作成: 鍵の保有者は再連結できる"
            "（仮名加工情報。匿名加工情報としては連結符号が残る）"
        )
    if links_kept:
        parts3.append(f"そのまま公開する連結符号: {', '.join(links_kept)}")
    if "LINKING_CODE" in found_types:
        parts3.append("公開物の再検査で管理番号等を検出")
    ev3 = "; ".join(parts3)
    if persistent or links_kept or "LINKING_CODE" in found_types:
        s3 = "review"
    elif links or per_release:
        s3 = "done"
    else:
        s3 = "not_applicable"

    # 第4号 — peculiar descriptions: the re-identification policy, measured
    coded = [c for c, ops in operators.items() if any(o.NAME == "top_bottom_code" for o in ops)]
    measures4 = []
    if coded:
        measures4.append(f"トップ／ボトムコーディング: {', '.join(coded)}")
    if "kanonymity" in step_types:
        measures4.append("k-匿名化（希少な組合せの一般化・抑制）")
    met = policy is not None and policy.passed
    measured = bool(policy and policy.data.get("measured"))
    waived = bool(policy and policy.data.get("waived"))
    if policy is not None:
        unit = "人" if policy.data.get("counted_in") == "persons" else "行"
        k = policy.data.get("k")
        state = "満たす" if met else "満たさない"
        what = "測定した準識別子" if measured else "準識別子なし（公開物全体を1クラスとして）"
        measures4.append(f"ゲートの再識別ポリシー（各クラス k≥{k}{unit}、{what}）を{state}")
        if waived:
            measures4.append(
                "測定を免除した列: " + ", ".join(w["column"] for w in policy.data["waived"])
            )
    reviewed = [r["column"] for r in (review.data.get("reviewed", []) if review else [])]
    if reviewed:
        measures4.append(f"自由記述（{', '.join(reviewed)}）はkで測れずレビューを経て公開")
    if met and not reviewed and not waived:
        s4 = "done"
    elif met or coded or "kanonymity" in step_types:
        s4 = "review" if met or reviewed else "partial"
    else:
        s4 = "review"
    ev4 = "; ".join(measures4) or "特異な記述への措置（トップコーディング、k-匿名化等）なし"

    # 第5号 — other measures taken
    generalized = [c for c, ops in operators.items() if any(o.NAME == "generalize" for o in ops)]
    measures5 = []
    if generalized:
        measures5.append(f"一般化: {', '.join(generalized)}")
    masked = [c for c, ops in operators.items() if any(o.NAME == "mask_text" for o in ops)]
    if masked:
        measures5.append(f"自由記述の個人情報をラベルに置換: {', '.join(masked)}")
    measures5 += [f"ステップ: {t}" for t in step_types if t]
    if rescan is not None:
        measures5.append("公開前ゲート（再検査・原値照合・見出し検査・再識別ポリシー）")
    s5 = "done" if measures5 else "review"
    ev5 = "; ".join(measures5) or "追加の措置なし"
    items = [("1", s1, ev1), ("2", s2, ev2), ("3", s3, ev3), ("4", s4, ev4), ("5", s5, ev5)]
    titles = dict(MEASURES)
    return [{"measure": m, "title": titles[m], "status": s, "evidence": e} for m, s, e in items]
