"""``anonymizer budget``: show a population's privacy budget, set its total, or re-seal it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from anonymizer.dp.budget import ApproxDP
from anonymizer.errors import UsageError
from anonymizer.i18n import N_, _

#: ledgers used to be a file of their own; they now live in the state directory
LEDGER_MOVED = N_(
    "--ledger: the ledger now lives in the state directory with its integrity key "
    "(default $XDG_STATE_HOME/anonymizer); use --state-dir DIR to choose another"
)


def state_dir_option(f):  # type: ignore[no-untyped-def]
    f = click.option(
        "--ledger", "old_ledger", hidden=True, type=click.Path(path_type=Path),
        help=N_("Replaced by --state-dir."),
    )(f)  # fmt: skip
    return click.option(
        "--state-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
        help=N_("State directory holding the ledger and its key (default $XDG_STATE_HOME/anonymizer)."),
    )(f)  # fmt: skip


def check_total(total: float, delta_total: float) -> ApproxDP:
    """A total must be an ordinary number: 0, or between 1e-6 and 1e9 (δ: 0 or 1e-30…1)."""
    try:
        budget = ApproxDP(total, delta_total)
    except ValueError as exc:
        raise UsageError(_("--total/--delta-total: {exc}").format(exc=exc)) from None
    if budget.epsilon and not 1e-6 <= budget.epsilon <= 1e9:
        raise UsageError(_("--total: ε must be 0 or between 1e-6 and 1e9"))
    if budget.delta and budget.delta < 1e-30:
        raise UsageError(_("--delta-total: δ must be 0 or between 1e-30 and 1"))
    return budget


@click.command("budget", help=N_("""Show POPULATION's spent and remaining budget; with --total, set it first.

    The ledger and its integrity key live in the state directory (--state-dir, default
    $XDG_STATE_HOME/anonymizer). A ledger that fails its integrity check refuses every
    release for the population until an administrator re-seals it with a reason; the
    re-seal carries the largest spent amount any record shows forward.

    \b
    Examples:
      anonymizer budget kunitachi-residents --total 2
      anonymizer budget kunitachi-residents --releases
      anonymizer budget kunitachi-residents --reseal --reason "restored from backup; checked"
    """))
@click.argument("population")
@state_dir_option
@click.option("--total", type=float, help=N_("Set the total ε (only upward once releases exist)."))
@click.option("--delta-total", type=float, help=N_("Set the total δ (default 0 for a new total)."))
@click.option("--releases", "show_releases", is_flag=True, help=N_("List every release."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON instead of text."))
@click.option("--reseal", is_flag=True,
              help=N_("After an integrity failure: accept the ledger as it is now (needs --reason)."))
@click.option("--reason", help=N_("Why the ledger may be re-sealed (recorded in the ledger)."))
def command(
    population: str,
    state_dir: Path | None,
    old_ledger: Path | None,
    total: float | None,
    delta_total: float | None,
    show_releases: bool,
    as_json: bool,
    reseal: bool,
    reason: str | None,
) -> None:  # fmt: skip
    from anonymizer.state import Ledger

    if old_ledger is not None:
        raise UsageError(_(LEDGER_MOVED))
    if total is None and delta_total is not None:
        raise UsageError(_("--delta-total goes with --total"))
    if reason is not None and not reseal:
        raise UsageError(_("--reason goes with --reseal"))
    if reseal and total is not None:
        raise UsageError(_("--reseal and --total are separate steps: re-seal first"))
    ledger = Ledger(state_dir)
    if reseal:
        if reason is None:
            raise UsageError(_("--reseal needs --reason (it is recorded in the ledger)"))
        result = ledger.reseal(population, reason)
        click.echo(
            _("re-sealed population {population!r} in {path} (entry {entry});").format(
                population=population, path=ledger.path, entry=result.entry
            )
        )
        for p in result.problems:
            click.echo(_("  found: {problem}").format(problem=p))
        status = result.status
    elif total is not None:
        status = ledger.set_total(population, check_total(total, delta_total or 0.0))
    else:
        status = ledger.status(population)
    releases = ledger.releases(population) if show_releases else []
    head = ledger.head(population)  # the anchor a published DP report prints
    if as_json:
        out = status.to_dict()
        out["ledger"] = str(ledger.path)
        out["chain_head"] = head
        if show_releases:
            out["release_list"] = releases
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    t, s, r = status.total, status.spent, status.remaining
    click.echo(_("population: {population}").format(population=population))
    click.echo(_("ledger:     {path}").format(path=ledger.path))
    click.echo(_("total:      ε={epsilon:g}  δ={delta:g}").format(epsilon=t.epsilon, delta=t.delta))
    click.echo(
        _("spent:      ε={epsilon:g}  δ={delta:g}  ({releases} release(s))").format(
            epsilon=s.epsilon, delta=s.delta, releases=status.releases
        )
    )
    click.echo(_("remaining:  ε={epsilon:g}  δ={delta:g}").format(epsilon=r.epsilon, delta=r.delta))
    click.echo(_("chain head: {head}").format(head=head))
    for rel in releases:
        seed = f"  INSECURE seed {rel['insecure_seed']}" if rel["insecure_seed"] is not None else ""
        click.echo(
            f"  #{rel['id']} {rel['created_at']} {rel['dataset']}: "
            f"ε={rel['epsilon']:g} δ={rel['delta']:g}{seed}"
        )
