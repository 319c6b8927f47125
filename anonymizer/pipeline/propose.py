"""``init``: a proposed pipeline for a file, safe by default.

Direct identifiers are dropped (pseudonymize is suggested in a comment: it needs a key),
free text is masked, quasi-identifiers are generalized where their type is known, and every
choice carries a comment telling the steward what to review.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from anonymizer.scan.profile import ColumnProfile, ScanResult

_SLUG = re.compile(r"[^a-z0-9_-]+")


def slug(text: str) -> str:
    s = _SLUG.sub("-", text.lower()).strip("-_")
    return s[:64] if s and s[0].isalnum() else "dataset"


def actions_for(col: ColumnProfile) -> tuple[list[Any], str]:
    """Default actions and the comment that explains them."""
    role, entity = col.role, col.entity
    if role == "direct_identifier":
        hint = "連結が必要なら [pseudonymize]（鍵が必要: --key-file）" if entity is None else "直接識別子のため削除"
        return ["drop"], hint
    if role == "free_text":
        return ["mask_text"], "自由記述: 検出した個人情報をラベルに置換。残存がないか報告書で確認"
    if role == "quasi_identifier":
        if entity in ("DATE_OF_BIRTH", "AGE"):
            return [{"generalize": {"to": "age_band", "width": 10}}, {"top_bottom_code": {"top": 90}}], "10歳階級に一般化し90歳以上をまとめる（特異な記述）"
        if entity == "JP_POSTAL_CODE":
            return [{"generalize": {"to": "postal3"}}], "郵便番号は上3桁に一般化"
        if col.entities.get("JP_ADDRESS", 0) >= max(1, col.sampled // 3):
            return [{"generalize": {"to": "address_city"}}], "住所は市区町村までに一般化"
        if col.entities.get("DATE", 0) + col.entities.get("DATE_OF_BIRTH", 0) >= max(1, col.sampled // 2):
            return [{"generalize": {"to": "year_month"}}], "日付は年月に一般化"
        return ["keep"], "準識別子: 組合せで個人が特定されないか要確認（k-匿名化の追加を検討）"
    if role == "sensitive":
        return ["keep"], "要配慮の属性: 準識別子との組合せに注意（ℓ-多様性の検討）"
    return ["keep"], "その他: そのまま公開。個人に関する記述がないか確認"


def propose(scan: ScanResult, pipeline_path: Path, name: str | None) -> str:
    base = pipeline_path.parent.resolve()
    rel = os.path.relpath(Path(scan.file).resolve(), base)
    pname = name or slug(pipeline_path.stem)
    columns = []
    for col in scan.columns:
        actions, comment = actions_for(col)
        found = ", ".join(f"{k}×{v}" for k, v in col.entities.items()) or "なし"
        columns.append({
            "name": json.dumps(col.name, ensure_ascii=False),
            "role": col.role,
            "entity": json.dumps(col.entity) if col.entity else None,
            "actions": json.dumps(actions, ensure_ascii=False),
            "comment": f"{comment}（判定: {col.role_source}; 検出: {found}）",
        })
    env = Environment(
        loader=PackageLoader("anonymizer.pipeline", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("pipeline.yaml.j2").render(
        name=pname,
        file=json.dumps(Path(scan.file).name, ensure_ascii=False),
        input_path=json.dumps(rel, ensure_ascii=False),
        encoding=json.dumps(scan.encoding or "auto"),
        mode=scan.mode,
        columns=columns,
        output_file=json.dumps(f"{pname}.csv"),
        title=json.dumps(Path(scan.file).stem, ensure_ascii=False),
        issued=dt.date.today().isoformat(),
    )
