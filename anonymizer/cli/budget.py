"""``anonymizer budget``: show a population's privacy budget, or set its total."""

from __future__ import annotations

import json
from pathlib import Path

import click

from anonymizer.dp.budget import ApproxDP
from anonymizer.dp.ledger import Ledger
from anonymizer.errors import UsageError


@click.command("budget")
@click.argument("population")
@click.option("--ledger", "ledger_path", type=click.Path(path_type=Path), required=True)
@click.option("--total", type=float, help="Set the total ε (only upward once releases exist).")
@click.option("--delta-total", type=float, help="Set the total δ (default 0 for a new total).")
@click.option("--releases", "show_releases", is_flag=True, help="List every release.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def command(
    population: str,
    ledger_path: Path,
    total: float | None,
    delta_total: float | None,
    show_releases: bool,
    as_json: bool,
) -> None:
    """Show POPULATION's spent and remaining budget; with --total, set it first.

    \b
    Examples:
      anonymizer budget kunitachi-residents --ledger dp.sqlite --total 2
      anonymizer budget kunitachi-residents --ledger dp.sqlite --releases
    """
    if total is None and delta_total is not None:
        raise UsageError("--delta-total goes with --total")
    if total is None and not ledger_path.is_file():
        raise UsageError(f"{ledger_path}: ledger not found (create it with --total)")
    ledger = Ledger(ledger_path)
    if total is not None:
        try:
            budget = ApproxDP(total, delta_total or 0.0)
        except ValueError as exc:
            raise UsageError(f"--total/--delta-total: {exc}") from None
        status = ledger.set_total(population, budget)
    else:
        status = ledger.status(population)
    releases = ledger.releases(population) if show_releases else []
    if as_json:
        out = status.to_dict()
        if show_releases:
            out["release_list"] = releases
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    t, s, r = status.total, status.spent, status.remaining
    click.echo(f"population: {population}")
    click.echo(f"total:      ε={t.epsilon:g}  δ={t.delta:g}")
    click.echo(f"spent:      ε={s.epsilon:g}  δ={s.delta:g}  ({status.releases} release(s))")
    click.echo(f"remaining:  ε={r.epsilon:g}  δ={r.delta:g}")
    for rel in releases:
        seed = f"  INSECURE seed {rel['insecure_seed']}" if rel["insecure_seed"] is not None else ""
        click.echo(
            f"  #{rel['id']} {rel['created_at']} {rel['dataset']}: "
            f"ε={rel['epsilon']:g} δ={rel['delta']:g}{seed}"
        )
