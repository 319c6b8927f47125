"""The default path on exports the samples never showed: ``init`` given the publication
metadata → every free-text column switched to ``mask_text`` (with a review) → ``run``; then
every planted personal value (the generator's gold) is looked for in every released file.

``python -m benchmarks leaks`` (both modes, 600-row exports) or ``--quick`` (fast mode only).
法人番号 are public by design and counted apart.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / ".venv" / "bin" / "anonymizer"
PUBLIC = {"JP_CORPORATE_NUMBER", "DATE", "AGE"}


def _exports(n: int) -> dict[str, Any]:
    from samples._daycare import generate_daycare
    from samples._shugaku import generate_shugaku
    from samples.generate import generate_care, generate_consultations

    return {
        "consultations-7": generate_consultations(n, 7),
        "consultations-2031": generate_consultations(n, 2031),
        "care-5": generate_care(n, 5),
        # another region, two persons per row, buildings without a building word, yyyymmdd
        "daycare-11": generate_daycare(n, 11),
        # a workbook with a cover sheet; names and addresses in several columns; 和暦
        "shugaku-41": generate_shugaku(n, 41),
        # a vendor system's export: romaji codes, or numbered items, for headers (the values
        # say what a column is: a sex, an age, a care level)
        "consultations-romaji-23": recoded(generate_consultations(n, 23), ROMAJI),
        "consultations-english-53": recoded(generate_consultations(n, 53), ENGLISH),
        "care-numbered-13": recoded(generate_care(n, 13), None),
        # a legacy Excel 97–2003 workbook (.xls) with a title row and date cells
        "consultations-xls-37": generate_consultations(n, 37),
        # the address over 都道府県 / 市区町村 / 町名 / 番地 columns
        "consultations-split-91": split_address(generate_consultations(n, 91)),
    }


_ADDRESS = re.compile(
    r"^(東京都|北海道|(?:京都|大阪)府|.{2,3}県)(.+?[市区町村])"
    r"(.+?(?:丁目|町|[^0-9０-９一二三四五六七八九十]+))([0-9０-９一二三四五六七八九十].*)$"
)


def split_address(sample: Any) -> Any:
    """``sample`` with its 住所 over four columns; an address is planted as its 町名 and 番地
    together (what names a home)."""
    frame = sample.frame
    parts = [
        m.groups() if isinstance(a, str) and (m := _ADDRESS.match(a)) else ("", "", a, "")
        for a in frame["住所"]
    ]
    at = list(frame.columns).index("住所")
    for j, name in enumerate(["都道府県", "市区町村", "町名", "番地"]):
        frame.insert(at + j, name, [p[j] for p in parts])
    frame.drop(columns=["住所"], inplace=True)
    gold = sample.gold
    rows = gold["column"] == "住所"
    gold.loc[rows, "value"] = [parts[r][2] + parts[r][3] for r in gold.loc[rows, "row"]]
    return sample


#: a vendor system's column codes for the consultations export
ROMAJI = {
    "相談番号": "SODAN_NO", "受付日": "UKETSUKE_YMD", "氏名": "SHIMEI", "フリガナ": "KANA_SHIMEI",
    "生年月日": "SEINENGAPPI", "性別": "SEIBETSU", "住所": "JUSHO", "郵便番号": "YUBIN_NO",
    "電話番号": "TEL_NO", "メールアドレス": "MAIL_ADDR", "個人番号": "KOJIN_NO",
    "相談区分": "SODAN_KBN", "相談内容": "SODAN_NAIYO", "対応状況": "TAIO_JOKYO",
    "担当課": "TANTO_KA", "備考": "BIKO",
}  # fmt: skip


#: an export for foreign residents' services, in English
ENGLISH = {
    "相談番号": "Case No.", "受付日": "Received", "氏名": "Name", "フリガナ": "Name (Kana)",
    "生年月日": "Date of Birth", "性別": "Sex", "住所": "Address", "郵便番号": "Postal Code",
    "電話番号": "Phone No.", "メールアドレス": "E-mail", "個人番号": "My Number",
    "相談区分": "Category", "相談内容": "Details", "対応状況": "Status", "担当課": "Section",
    "備考": "Notes",
}  # fmt: skip


def recoded(sample: Any, names: dict[str, str] | None) -> Any:
    """``sample`` with its headers renamed (``None``: 項目1, 項目2 …), gold and all."""
    frame = sample.frame
    mapping = names or {c: f"項目{i + 1}" for i, c in enumerate(frame.columns)}
    sample.frame.rename(columns=mapping, inplace=True)
    sample.gold["column"] = sample.gold["column"].map(lambda c: mapping.get(c, c))
    return sample


def one(name: str, sample: Any, mode: str, work: Path) -> dict[str, Any]:
    d = work / mode / name
    d.mkdir(parents=True)
    pipeline = d / "p.yaml"
    if name.startswith("shugaku"):
        from samples._shugaku import write_workbook

        data = write_workbook(sample.frame, d / "export.xlsx")
    elif name.endswith("-xls-37"):
        from samples._write import write_legacy_xls

        data = write_legacy_xls(sample.frame, d / "export.xls", "令和6年度 住民相談記録")
    else:
        data = d / "export.csv"
        sample.frame.to_csv(data, index=False)
    subprocess.run(
        [CLI, "init", data, "-o", pipeline, "--mode", mode, "--title", "ベンチマーク",
         "--publisher", "ベンチマーク市", "--municipality-code", "132152"],
        check=True, capture_output=True,
    )
    spec = yaml.safe_load(pipeline.read_text(encoding="utf-8"))
    reviews = []
    for col, cs in spec["columns"].items():
        if cs["role"] == "free_text":
            cs["actions"] = ["mask_text"]
            reviews.append({"column": col, "role": "個人情報保護担当", "reason": "ベンチマーク"})
    spec["review"] = reviews
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run = subprocess.run(
        [CLI, "run", pipeline, "--out", d / "out", "--no-progress"], capture_output=True, text=True
    )
    files = [p for p in (d / "out").rglob("*") if p.is_file()]
    hay = "\n".join(
        t for p in files for raw in [p.read_text(encoding="utf-8-sig", errors="replace")]
        for t in (raw, unicodedata.normalize("NFKC", raw))
    )
    leaked: dict[str, int] = {}
    planted = 0
    frame = sample.frame
    for g in sample.gold.to_dict("records"):
        value = g.get("value")  # a planted value that is no one cell's text (a joined name)
        if not isinstance(value, str):
            value = str(frame.iloc[g["row"]][g["column"]])[g["start"] : g["end"]]
        if len(value) < 3:
            continue
        planted += 1
        if value in hay or unicodedata.normalize("NFKC", value) in hay:
            leaked[g["type"]] = leaked.get(g["type"], 0) + 1
    personal = sum(v for k, v in leaked.items() if k not in PUBLIC)
    return {"exit": run.returncode, "planted": planted, "personal_leaked": personal,
            "public_found": {k: v for k, v in leaked.items() if k in PUBLIC}, **_classes(d / "out")}


def _classes(out: Path) -> dict[str, Any]:
    """The released classes as the report measured them: the smallest, the columns measured,
    and the kept column the policy does not measure that would split them most (told to the
    reviewer, not refused)."""
    import json

    reports = list(out.glob("*/report.json"))
    if not reports:
        return {}
    policy = json.loads(reports[0].read_text(encoding="utf-8"))["risk"]["policy"] or {}
    worst = (policy.get("unmeasured") or [None])[0]
    return {"min_class": policy.get("min_class"),
            "measured": [m["column"] for m in policy.get("measured", [])],
            "worst_unmeasured": worst}


def run(quick: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("fast",) if quick else ("fast", "accurate"):
            for name, sample in _exports(300 if quick else 600).items():
                out[f"{mode}/{name}"] = one(name, sample, mode, Path(tmp))
    out["personal_leaked_total"] = sum(
        v["personal_leaked"] for v in out.values() if isinstance(v, dict)
    )
    return out
