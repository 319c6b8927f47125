"""What is in an output directory, release by release: the one-screen summary that
``anonymizer run`` ends with and ``anonymizer summary OUT`` prints (the demo ends with it).

Everything is read back from what a run wrote — ``OUT/<name>/report.json`` (public) of each
release and ``OUT/<name>.refused.json`` of each refusal — never recomputed, so the summary
can be printed after the fact, by another process, on another machine. It holds names,
counts, parameters and paths: no cell value (a public report has none).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

#: the verdicts, as the reviewer's page words them
VERDICTS = {"released": "公開可", "internal": "内部利用のみ", "refused": "公開不可"}


@dataclass(frozen=True)
class ReleaseSummary:
    name: str
    title: str
    #: released | internal (仮名加工情報: released to OUT but not for publication) | refused
    verdict: str
    rows: int | None
    protection: str
    path: str

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "verdict_ja": VERDICTS[self.verdict]}


def _steps(report: dict[str, Any]) -> list[str]:
    parts: list[str] = []
    for step in report.get("steps", []):
        kind = step.get("type")
        if kind == "kanonymity":
            achieved = step.get("achieved") or {}
            text = f"k={achieved.get('k-anonymity', '?'):g}" if isinstance(achieved.get("k-anonymity"), (int, float)) else "k-匿名化"
            for model, label in (("distinct-l-diversity", "ℓ"), ("entropy-l-diversity", "ℓ"), ("t-closeness", "t")):
                if isinstance(achieved.get(model), (int, float)):
                    text += f", {label}={achieved[model]:g}"
            parts.append(f"k-匿名化 {text}")
        elif kind == "dp_aggregate":
            spent = step.get("spent") or {}
            eps = spent.get("epsilon")
            parts.append(f"差分プライバシー ε={eps:g}" if isinstance(eps, (int, float)) else "差分プライバシー")
        elif kind == "cell_suppression":
            parts.append(f"セル秘匿 {step.get('suppressed', 0)}セル")
        elif kind == "standard_layout":
            cells = sum(t.get("suppressed", 0) for t in (step.get("tables") or {}).values())
            parts.append(f"標準様式・セル秘匿 {cells}セル")
        elif kind == "holders":
            parts.append(f"法人{step.get('corporations', 0)}・個人{step.get('individuals', 0)}（個人は保護）")
    return parts


def _policy(report: dict[str, Any]) -> str | None:
    for check in report.get("gate", {}).get("checks", []):
        if check.get("name") == "reidentification":
            data = check.get("data", {})
            if "min_class" in data and "k" in data:
                return f"最小クラス{data['min_class']} (k≥{data['k']})"
    return None


def protection(report: dict[str, Any]) -> str:
    parts = _steps(report)
    policy = _policy(report)
    if policy and not any(p.startswith("k-匿名化") for p in parts):
        parts.append(policy)
    if report.get("pipeline", {}).get("purpose") == "pseudonymized":
        parts.insert(0, "仮名加工")
    return "・".join(parts) or "—"


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def collect(out_dir: Path) -> list[ReleaseSummary]:
    """Every release (``OUT/<name>/report.json``) and refusal (``OUT/<name>.refused.json``)
    in ``out_dir``, sorted by name; internal folders (``<name>.internal``) are not releases."""
    found: list[ReleaseSummary] = []
    for entry in sorted(out_dir.iterdir()):
        if entry.name.startswith("."):
            continue  # a run's staging or swapped-out copy, not a release
        if entry.is_dir() and not entry.name.endswith(".internal"):
            report = _read(entry / "report.json")
            if report is None or "pipeline" not in report:
                continue
            purpose = report["pipeline"].get("purpose", "anonymized")
            found.append(ReleaseSummary(
                entry.name, str(report["pipeline"].get("title", "")),
                "internal" if purpose == "pseudonymized" else "released",
                report.get("output", {}).get("rows"), protection(report), str(entry),
            ))  # fmt: skip
        elif entry.name.endswith(".refused.json"):
            report = _read(entry)
            if report is None or "pipeline" not in report:
                continue
            found.append(ReleaseSummary(
                entry.name.removesuffix(".refused.json"), str(report["pipeline"].get("title", "")),
                "refused", None, protection(report), str(entry),
            ))  # fmt: skip
    return sorted(found, key=lambda s: (s.name, s.verdict))


def of(out_dir: Path, name: str) -> list[ReleaseSummary]:
    """The summary of one pipeline's release (or refusal) in ``out_dir``."""
    return [s for s in collect(out_dir) if s.name == name]


def render(summaries: list[ReleaseSummary], width: int = 120) -> str:
    """The one-screen table (rich computes the widths of Japanese text)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for head in ("公開物", "判定", "行数", "保護", "場所"):
        table.add_column(head, overflow="fold")
    for s in summaries:
        table.add_row(
            s.name,
            VERDICTS[s.verdict],
            "—" if s.rows is None else f"{s.rows:,}",
            s.protection,
            s.path,
        )
    console = Console(width=width, record=True, force_terminal=False, color_system=None, file=_Null())
    console.print(table)
    released = sum(s.verdict != "refused" for s in summaries)
    console.print(f"{len(summaries)}件: 公開可・内部利用 {released}件、公開不可 {len(summaries) - released}件")
    return console.export_text()


class _Null:
    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        pass


__all__ = ["VERDICTS", "ReleaseSummary", "collect", "of", "protection", "render"]
