"""The APPI 匿名加工 checklist (個人情報保護法施行規則 第34条 各号): what satisfied each measure.

1. 特定の個人を識別することができる記述等の全部又は一部を削除（置換を含む）
2. 個人識別符号の全部を削除
3. 情報を相互に連結する符号（連結符号）を削除
4. 特異な記述等を削除
5. その他、個人情報データベース等の性質を勘案した適切な措置
For aggregate (statistical) releases the 匿名加工 rule does not apply; the checklist says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from anonymizer.entities import (
    JP_BASIC_PENSION_NUMBER,
    JP_DRIVERS_LICENSE,
    JP_HEALTH_INSURANCE_NUMBER,
    JP_MY_NUMBER,
    JP_PASSPORT,
    JP_RESIDENT_CODE,
)

if TYPE_CHECKING:
    from anonymizer.operators import Operator
    from anonymizer.pipeline.gate import GateResult
    from anonymizer.pipeline.spec import PipelineSpec
    from anonymizer.steps import StepResult

IDENTIFICATION_CODES = {
    JP_MY_NUMBER, JP_PASSPORT, JP_DRIVERS_LICENSE, JP_BASIC_PENSION_NUMBER,
    JP_HEALTH_INSURANCE_NUMBER, JP_RESIDENT_CODE,
}
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


def appi_checklist(
    spec: PipelineSpec,
    operators: dict[str, list[Operator]],
    steps: list[StepResult],
    gate: GateResult,
    aggregate: bool,
) -> list[dict[str, Any]]:
    def final(col: str) -> str:
        return operators[col][-1].NAME

    direct = [c for c, cs in spec.columns.items() if cs.role == "direct_identifier"]
    free = [c for c, cs in spec.columns.items() if cs.role == "free_text"]
    # columns a kanonymity step generalized (level > 0) had part of their description removed
    kanon_generalized = {
        c for st in steps if st.report.get("type") == "kanonymity"
        for c, level in (st.report.get("levels") or {}).items() if level
    }
    kept_direct = [c for c in direct if final(c) not in _PARTIAL and c not in kanon_generalized]
    unmasked_free = [c for c in free if "mask_text" not in [o.NAME for o in operators[c]] and final(c) != "drop"]
    codes = [c for c, cs in spec.columns.items() if cs.entity in IDENTIFICATION_CODES]
    links = [c for c in direct if spec.columns[c].entity is None]
    step_types = [s.report.get("type", "") for s in steps]
    coded = [c for c, ops in operators.items() if any(o.NAME == "top_bottom_code" for o in ops)]
    generalized = [c for c, ops in operators.items() if any(o.NAME == "generalize" for o in ops)]
    rescan_ok = bool(gate.checks) and gate.checks[0].passed

    if aggregate:
        na = "統計情報（集計表）の公開であり、匿名加工情報の加工基準は適用対象外"
        return [
            {"measure": m, "title": t, "status": "not_applicable", "evidence": na
             + ("（差分プライバシーによる集計）" if "dp_aggregate" in step_types else "")}
            for m, t in MEASURES
        ]

    def item(m: str, ok: bool | None, evidence: str) -> dict[str, Any]:
        status = "satisfied" if ok else ("not_applicable" if ok is None else "not_satisfied")
        title = dict(MEASURES)[m]
        return {"measure": m, "title": title, "status": status, "evidence": evidence}

    ev1 = (
        f"直接識別子 {len(direct)} 列を削除・置換（{', '.join(f'{c}: {final(c)}' for c in direct) or 'なし'}）; "
        f"自由記述 {len(free)} 列は検出箇所を置換（mask_text）; 公開前の再検査: {'検出なし' if rescan_ok else '検出あり'}"
    )
    ok1 = not kept_direct and not unmasked_free and rescan_ok
    ev2 = (
        f"個人識別符号の列 {', '.join(codes) or 'なし'} を削除・置換; 自由記述中の番号類は mask_text で置換"
    )
    ok2 = all(final(c) in _REMOVING for c in codes) and not unmasked_free
    ev3 = (
        "連結符号（管理番号等）: "
        + (", ".join(f"{c}: {final(c)}" for c in links) or "該当なし")
        + "（仮名化は鍵付きHMAC、鍵は公開物に含めない）"
    )
    ok3: bool | None = all(final(c) in _REMOVING for c in links) if links else None
    measures4 = []
    if coded:
        measures4.append(f"トップ／ボトムコーディング: {', '.join(coded)}")
    if "kanonymity" in step_types:
        measures4.append("k-匿名化（希少な組合せの一般化・抑制）")
    policy = next((c for c in gate.checks if c.name == "reidentification"), None)
    if policy is not None and policy.passed and policy.data.get("measured"):  # not all waived
        unit = "人" if policy.data.get("counted_in") == "persons" else "行"
        measures4.append(f"ゲートで再識別ポリシー（各クラス k≥{policy.data['k']}{unit}）を確認")
    ok4 = bool(measures4)
    measures5 = []
    if generalized:
        measures5.append(f"一般化: {', '.join(generalized)}")
    measures5 += [f"ステップ: {t}" for t in step_types if t]
    ok5 = bool(measures5)
    return [
        item("1", ok1, ev1),
        item("2", ok2, ev2),
        item("3", ok3, ev3),
        item("4", ok4, "; ".join(measures4) or "特異な記述への措置（トップコーディング、k-匿名化）が未設定: 要確認"),
        item("5", ok5, "; ".join(measures5) or "一般化等の追加措置なし: 要確認"),
    ]
