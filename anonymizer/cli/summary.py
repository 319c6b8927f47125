"""``anonymizer summary``: one screen of what OUT holds — every release and refusal, its
verdict, rows released, protection and files — read back from what the releases wrote
(:mod:`anonymizer.release.summary`: nothing recomputed, no data file opened).

``anonymizer run`` prints the same table for its own release. Every label is in
:data:`MESSAGES`, translated from the catalog when it is read (``--json`` gives English keys
and codes in every language).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click
from rich.cells import cell_len

from anonymizer.i18n import N_, _
from anonymizer.release.summary import Protection, ReleaseSummary


class _Catalog(dict[str, str]):
    """Keys to message ids, translated when read (the language of this invocation)."""

    def __getitem__(self, key: str) -> str:
        return _(super().__getitem__(key))

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return self[key] if key in self else default


#: every string the summary prints (English message ids; Japanese in the catalog)
MESSAGES: dict[str, str] = _Catalog({
    "col.name": N_("name"),
    "col.status": N_("verdict"),
    "col.rows": N_("rows"),
    "col.protection": N_("protection"),
    "col.where": N_("where"),
    "status.released": N_("open data"),
    "status.internal": N_("internal use only"),
    "status.refused": N_("refused"),
    "status.unreadable": N_("unreadable"),
    "protection.pseudonymized": N_("pseudonymized"),
    "protection.k_anonymity": N_("k={k}"),
    "protection.l": N_("ℓ={l}"),
    "protection.t": N_("t={t}"),
    "protection.policy": N_("k≥{k} (re-identification policy)"),
    "protection.policy_waived": N_("k≥{k} (re-identification policy, {waived} column(s) waived)"),
    "protection.dp": N_("ε={epsilon}"),
    "protection.dp_delta": N_("ε={epsilon} δ={delta}"),
    "protection.cell_suppression": N_("cell suppression, {cells} cell(s)"),
    "protection.standard_layout": N_("standard layout, cell suppression, {cells} cell(s)"),
    "protection.holders": N_(
        "{corporations} corporation(s), {individuals} individual(s) (individuals protected)"
    ),
    "protection.none": N_("—"),
    "protection.join": N_(", "),
    "failed": N_("failed: {checks}"),
    "unknown": N_("?"),
    "total": N_("{n} in all ({parts})"),
    "total.part": N_("{status} {n}"),
    "total.join": N_(", "),
})

_STATUSES = ("released", "internal", "refused", "unreadable")


def _num(value: object) -> str:
    return f"{value:g}" if isinstance(value, int | float) else MESSAGES["unknown"]


def protection_label(p: Protection) -> str:
    m, v = MESSAGES, p.params
    if p.kind == "k_anonymity":
        parts = [m["protection.k_anonymity"].format(k=_num(v.get("k")))]
        if v.get("l") is not None:
            parts.append(m["protection.l"].format(l=_num(v["l"])))
        if v.get("t") is not None:
            parts.append(m["protection.t"].format(t=f"{v['t']:.3g}"))
        return " ".join(parts)
    if p.kind == "dp":
        key = "protection.dp_delta" if v.get("delta") else "protection.dp"
        return m[key].format(epsilon=_num(v.get("epsilon")), delta=_num(v.get("delta")))
    if p.kind == "policy":
        key = "protection.policy_waived" if v.get("waived") else "protection.policy"
        return m[key].format(k=_num(v.get("k")), waived=v.get("waived"))
    if p.kind == "cell_suppression":
        return m["protection.cell_suppression"].format(cells=_num(v.get("cells")))
    if p.kind == "standard_layout":
        return m["protection.standard_layout"].format(cells=_num(v.get("cells")))
    if p.kind == "holders":
        return m["protection.holders"].format(
            corporations=_num(v.get("corporations")), individuals=_num(v.get("individuals"))
        )
    return m.get(f"protection.{p.kind}", p.kind)


def _cells(s: ReleaseSummary) -> list[str]:
    m = MESSAGES
    if s.status == "unreadable":
        what = s.problem or m["unknown"]
    elif s.status == "refused" and s.failed:
        what = m["failed"].format(checks=m["protection.join"].join(s.failed))
    else:
        what = m["protection.join"].join(map(protection_label, s.protection))
    if s.refusal_file is not None:
        where = str(s.refusal_file)
    else:
        where = f"{s.folder}/" if s.folder is not None else m["unknown"]
    rows = m["unknown"] if s.rows is None else f"{s.rows:,}"
    return [s.name, m[f"status.{s.status}"], rows, what or m["protection.none"], where]


def render_table(entries: Sequence[ReleaseSummary]) -> str:
    """Aligned columns in display cells (a kanji is two), no trailing spaces; rows right."""
    m = MESSAGES
    head = [m["col.name"], m["col.status"], m["col.rows"], m["col.protection"], m["col.where"]]
    lines = [head, *(_cells(s) for s in entries)]
    widths = [max(cell_len(line[i]) for line in lines) for i in range(len(head))]
    rule = ["-" * w for w in widths]
    out = []
    for line in [lines[0], rule, *lines[1:]]:
        cells = []
        for i, text in enumerate(line):
            pad = " " * (widths[i] - cell_len(text))
            last = i == len(line) - 1
            cells.append(pad + text if i == 2 else text if last else text + pad)
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def counts(entries: Sequence[ReleaseSummary]) -> dict[str, int]:
    return {st: sum(1 for s in entries if s.status == st) for st in _STATUSES}


def total_line(entries: Sequence[ReleaseSummary]) -> str:
    m = MESSAGES
    parts = [
        m["total.part"].format(status=m[f"status.{st}"], n=n)
        for st, n in counts(entries).items()
        if n
    ]
    return m["total"].format(n=len(entries), parts=m["total.join"].join(parts))


def exit_code(entries: Sequence[ReleaseSummary]) -> int:
    """0 every entry released (or internal only), 1 any refused, 2 any unreadable."""
    if any(s.status == "unreadable" for s in entries):
        return 2
    return 1 if any(s.status == "refused" for s in entries) else 0


@click.command("summary", help=N_("""One line per release and refusal in OUT: verdict, rows released, protection, files.

    Read from what each release wrote (manifest.json and report.json in OUT/<name>/,
    OUT/<name>.refused.json): nothing is recomputed, no data file is opened, no value shown.
    A refused run's previous release is listed too, beside its refusal. A privacy-budget
    refusal writes nothing, so it is not listed.

    Exit 0: every release listed is released (公開可, or 内部利用のみ for 仮名加工情報).
    Exit 1: at least one refusal (公開不可). Exit 2: OUT holds no release or refusal, cannot
    be read, or a release's manifest.json or report.json cannot be read.

    \b
    Example:
      anonymizer summary out
      anonymizer summary out --json | jq '.releases[] | select(.status == "refused")'
    """))
@click.argument("out_dir", metavar="OUT", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help=N_("The same data as JSON on stdout."))
def command(out_dir: Path, as_json: bool) -> None:
    from anonymizer.errors import UsageError
    from anonymizer.release.summary import read_out

    entries = read_out(out_dir)
    if not entries:
        raise UsageError(
            _("{out_dir}: no release or refusal found (anonymizer run … --out {out_dir})").format(
                out_dir=out_dir
            )
        )
    if as_json:
        data = {
            "out": str(out_dir),
            "releases": [s.to_dict() for s in entries],
            "counts": counts(entries),
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(render_table(entries))
        click.echo(total_line(entries))
    click.get_current_context().exit(exit_code(entries))
