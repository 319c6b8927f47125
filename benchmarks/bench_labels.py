"""Band labels in a real spreadsheet: LibreOffice opens released CSVs; does every label stay text?

Excel in Japanese reads ``10-19``, ``1-2`` or ``3/4`` in a CSV as dates and ``100+`` as a number,
silently, when a resident opens a release. The project writes every band in one format
(``rules/bands.yaml``: 10～19歳, 1～2人, 1940～1949年, 90歳以上). This opens CSVs with the
spreadsheet engine of the OS (``soffice --headless --convert-to xlsx``, CSV import in ja-JP) and
reads each cell's type back with openpyxl: a label must come back a string, unchanged.

- ``labels``: a table of every band label each producer emits — generalize (age_band 5 and
  10), top_bottom_code, the shipped k-anonymity hierarchies (age_5y, household_size,
  birth_date / year_month decades) and builders (ordered categories, continuous intervals), the
  tables' age_5y_10y codes, the risk report's class sizes — made by the real code, plus the
  **old** labels the same producers wrote before (10-19, 05-09歳, 1940-1949, 100+, 7+ …), which
  shows the check can fail. Other released codes that are not bands (year, year_month, 年度,
  quarter, postal3, masked postal codes, DP histogram headers) are checked for information.
- Two import settings: ``excel_like`` ("detect special numbers" on: what Excel does) and
  ``libreoffice_default``; UTF-8 with BOM (``utf-8-sig`` releases) and cp932.
- ``releases``: the sample pipelines kaigo (k-anonymity microdata; ``--quick``: this one only) and
  kaigo_cells (cell suppression) are run by the CLI into a temp dir and their CSVs converted:
  every cell of a band column must stay the string written.

``python -m benchmarks labels`` (``--quick``: without kaigo_cells, ≈ 35 s less). Needs
``soffice`` (Debian: ``apt-get install --no-install-recommends libreoffice-calc-nogui``);
without it the result says so and checks nothing.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / ".venv" / "bin" / "anonymizer"
#: LibreOffice's CSV import options: separator ",", quote '"', charset, from line 1, no column
#: formats, language 1041 (ja-JP), quoted fields not forced to text, detect special numbers
CHARSETS = {"utf-8-sig": 76, "cp932": 60}  # RTL_TEXTENCODING_UTF8, RTL_TEXTENCODING_MS_932
SETTINGS = {"excel_like": "true", "libreoffice_default": "false"}
INSTALL = "apt-get install --no-install-recommends libreoffice-calc-nogui"
#: band columns of the sample releases
RELEASES = {
    "kaigo": ("kaigo.csv", ("年齢階級", "世帯人数")),
    "kaigo_cells": ("kaigo_cells.csv", ("年齢階級",)),
}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _filter(charset: int, special: str) -> str:
    return f"CSV:44,34,{charset},1,,1041,false,{special}"


def convert(csv_path: Path, out_dir: Path, encoding: str, setting: str) -> Path:
    """``csv_path`` opened by LibreOffice (ja-JP, ``setting``) and saved as xlsx in ``out_dir``."""
    exe = soffice()
    assert exe is not None, "soffice is not installed"
    profile = out_dir / "profile"  # its own profile: never the user's, never a running office
    subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--infilter=" + _filter(CHARSETS[encoding], SETTINGS[setting]),
         "--outdir", str(out_dir), str(csv_path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    out = out_dir / (csv_path.stem + ".xlsx")
    assert out.is_file(), f"LibreOffice wrote no {out.name}"
    return out


def read_back(xlsx: Path) -> list[list[tuple[Any, str]]]:
    """Every cell as (value, openpyxl type: s string, n number, d date, b bool)."""
    import openpyxl

    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None
    return [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]


# -- the labels ---------------------------------------------------------------------------
def new_labels() -> dict[str, list[str]]:
    """Every band label each producer emits, made by the producer itself."""
    from anonymizer.kanon.builders import CategoriesSpec, IntervalsSpec
    from anonymizer.kanon.resolve import resolve_hierarchy
    from anonymizer.kanon.risk import risk_report
    from anonymizer.operators import OperatorContext, build_operator
    from anonymizer.tables.hierarchy import load_hierarchy

    def op(name: str, params: dict[str, Any], values: list[str]) -> list[str]:
        context = OperatorContext(column="c", reference_date="2024-04-01")
        out = build_operator(name, params, context, "bench").apply(
            pd.Series(values, dtype="string")
        )
        return list(dict.fromkeys(str(v) for v in out))

    def kanon(name: str, values: list[str], first: int = 1) -> list[str]:
        """The labels of levels ``first`` and up (the top, *, left out)."""
        h = resolve_hierarchy(name, "c", values)
        return list(dict.fromkeys(str(x) for lv in h.labels[first:-1] for x in lv))

    ages = [str(a) for a in range(0, 111)]
    dates = [f"{y}-06-15" for y in range(1900, 2026)]
    runs = CategoriesSpec(
        type="categories", values=[str(i) for i in range(1, 7)], levels=[{"size": 2}, {"size": 2}]
    ).columns()
    cont = IntervalsSpec(
        type="intervals", lower=0, upper=10, widths=(2.5, 5), integer=False, below=True,
        above=True, unit="kg",
    )  # fmt: skip
    cont_h = cont.build("w", "c", ["-1", "0", "1.2", "2.6", "5", "7.5", "12"], Path("."))
    table = load_hierarchy("age_5y_10y.yaml", "bench")
    return {
        "generalize age_band width 5": op("generalize", {"to": "age_band", "width": 5}, ages),
        "generalize age_band width 10": op("generalize", {"to": "age_band", "width": 10}, ages),
        "top_bottom_code 歳": op("top_bottom_code", {"top": 90, "bottom": 5}, ["3", "95"]),
        "top_bottom_code 人": op("top_bottom_code", {"top": 7, "unit": "人"}, ["9"]),
        "top_bottom_code on bands": op("top_bottom_code", {"top": 90}, ["90～99歳", "80～89歳"]),
        "kanon age_5y": kanon("age_5y", ages),
        "kanon household_size": kanon("household_size", [str(i) for i in range(1, 12)]),
        "kanon birth_date decades": kanon("birth_date", dates, first=3),  # month, year, decade
        "kanon year_month decades": kanon("year_month", [d[:7] for d in dates], first=2),
        "kanon categories runs": list(dict.fromkeys(runs[1] + runs[2])),
        "kanon intervals continuous": list(
            dict.fromkeys(str(x) for lv in cont_h.labels[1:] for x in lv if str(x) != "*")
        ),
        "tables age_5y_10y": [c for c in table.codes if c != "総数"],
        "risk class sizes": [  # the bands; sizes 1 and 2 are numbers (other_codes)
            b.label for b in risk_report(np.array([1]), 0.5).distribution if not b.label.isdigit()
        ],
    }


def old_labels() -> dict[str, list[str]]:
    """What the same producers wrote before rules/bands.yaml (their old f-strings)."""
    gen5 = [f"{lo:02d}-{lo + 4:02d}歳" for lo in range(0, 111, 5)]
    gen10 = [f"{lo:02d}-{lo + 9:02d}歳" for lo in range(0, 111, 10)]
    kanon = [f"{lo}-{lo + w - 1}" for w in (5, 10, 20) for lo in range(0, 100, w)] + ["100+"]
    return {
        "generalize age_band (05-09歳)": gen5 + gen10,
        "top_bottom_code": ["90歳以上", "5歳以下"],  # unchanged: already text
        "kanon age_5y (35-39, 100+)": kanon,
        "kanon household_size (1-2, 7+)": ["1-2", "3-4", "5-6", "1-6", "7+"],
        "kanon decades (1940-1949)": [f"{y}-{y + 9}" for y in range(1900, 2030, 10)],
        "kanon categories runs (1-2)": ["1-2", "3-4", "5-6", "1-2-3-4"],
        "tables age_5y_10y (0-4歳)": [
            f"{lo}-{lo + w - 1}歳" for w in (5, 10) for lo in range(0, 100, w)
        ],
        "risk class sizes (3-4, 100+)": ["3-4", "5-9", "10-19", "20-49", "50-99", "100+"],
    }


def other_codes() -> dict[str, list[str]]:
    """Released codes that are not bands, checked for information."""
    from anonymizer.dp.spec import HistogramMeasure

    hist = HistogramMeasure(type="histogram", column="年齢", edges=(0, 20, 40, 65, 120))
    return {
        "generalize year": ["1985", "2024"],
        "generalize year_month / kanon month": ["2024-04", "1985-12"],
        "generalize fiscal_year": ["2024年度"],
        "kanon quarter": ["2024-Q1"],
        "generalize postal3": ["186", "001"],
        "kanon masking": ["18*", "1**", "186-000*"],
        "dp histogram headers": hist.bin_names(),
        "risk class sizes 1 and 2": ["1", "2"],
    }


# -- the checks ---------------------------------------------------------------------------
def check_table(groups: dict[str, dict[str, list[str]]], work: Path) -> dict[str, Any]:
    """One CSV (kind, producer, label) per encoding, opened with each setting."""
    rows = [
        (kind, prod, lab) for kind, g in groups.items() for prod, labs in g.items() for lab in labs
    ]
    out: dict[str, Any] = {"labels": {k: sum(map(len, g.values())) for k, g in groups.items()}}
    for encoding in CHARSETS:
        path = work / f"labels-{encoding}.csv"
        with path.open("w", encoding=encoding, newline="") as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(["kind", "producer", "label"])
            w.writerows(rows)
        for setting in SETTINGS:
            cells = read_back(convert(path, work / f"{encoding}-{setting}", encoding, setting))
            converted: dict[str, dict[str, list[str]]] = {k: {} for k in groups}
            for (kind, prod, lab), got in zip(rows, cells[1:], strict=True):
                value, kind_of_cell = got[2]
                if kind_of_cell != "s" or value != lab:
                    seen = f"{value:%m-%d}" if kind_of_cell == "d" else repr(value)
                    converted[kind].setdefault(prod, []).append(f"{lab} → {kind_of_cell} {seen}")
            out[f"{encoding}/{setting}"] = {
                k: {"converted": sum(len(v) for v in c.values()), "which": c}
                for k, c in converted.items()
            }
    return out


def _release(name: str, work: Path) -> tuple[Path, str, float]:
    """pipelines/<name>.yaml run by the CLI into ``work/out``: (release dir, encoding, seconds)."""
    spec = yaml.safe_load((ROOT / "pipelines" / f"{name}.yaml").read_text(encoding="utf-8"))
    spec["input"]["path"] = str((ROOT / "pipelines" / spec["input"]["path"]).resolve())
    spec["state"] = str(work / "state")
    pipeline = work / f"{name}.yaml"
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    t0 = time.perf_counter()
    command = [str(CLI), "run", str(pipeline), "--out", str(work / "out"), "--no-progress"]
    subprocess.run(command, check=True, capture_output=True, timeout=1800)
    encoding = "cp932" if spec["output"].get("encoding") == "cp932" else "utf-8-sig"
    return (work / "out" / spec["name"]).resolve(), encoding, time.perf_counter() - t0


def check_releases(work: Path, names: tuple[str, ...]) -> dict[str, Any]:
    """The sample pipelines released into ``work``; each CSV converted Excel-like."""
    out: dict[str, Any] = {}
    for name in names:
        file, columns = RELEASES[name]
        release, encoding, seconds = _release(name, work)
        written = pd.read_csv(release / file, dtype=str, keep_default_na=False, encoding=encoding)
        cells = read_back(convert(release / file, work / f"{name}-xlsx", encoding, "excel_like"))
        header = [v for v, _ in cells[0]]
        result: dict[str, Any] = {"run_seconds": round(seconds, 1)}
        for col in columns:
            back = [row[header.index(col)] for row in cells[1:]]
            bad = [
                f"{w} → {t} {v!r}"
                for w, (v, t) in zip(written[col], back, strict=True)
                if t != "s" or v != w
            ]
            result[col] = {
                "cells": len(written),
                "distinct": sorted(set(written[col])),
                "converted": len(bad),
                "which": bad[:10],
            }
        out[name] = result
    return out


def run(quick: bool = False) -> dict[str, Any]:
    exe = soffice()
    if exe is None:
        return {"skipped": f"soffice (LibreOffice) is not installed: {INSTALL}"}
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=120)
    groups = {"new": new_labels(), "old": old_labels(), "other": other_codes()}
    with tempfile.TemporaryDirectory(prefix="bench-labels-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        table = check_table(groups, work)
        table_seconds = round(time.perf_counter() - t0, 1)
        releases = check_releases(work, ("kaigo",) if quick else ("kaigo", "kaigo_cells"))
    new_converted = sum(table[f"{e}/{s}"]["new"]["converted"] for e in CHARSETS for s in SETTINGS)
    release_converted = sum(
        r[c]["converted"] for name, r in releases.items() for c in RELEASES[name][1]
    )
    return {
        "engine": version.stdout.strip(),
        "import": {s: _filter(CHARSETS["utf-8-sig"], v) for s, v in SETTINGS.items()},
        "new_labels": groups["new"],
        "table": table,
        "table_seconds": table_seconds,
        "releases": releases,
        "passed": new_converted == 0 and release_converted == 0,
        "old_labels_converted_excel_like": table["utf-8-sig/excel_like"]["old"]["converted"],
    }
