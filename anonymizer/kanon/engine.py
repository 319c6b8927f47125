"""``anonymize(frame, config)``: the library entry point the ``kanonymity`` step calls.

Resolve hierarchies → encode once → build the privacy models → optimal full-domain search
(or Mondrian local recoding) → release frame, metric, classes and risk before/after.
Nothing here logs or raises a data value: errors name columns and counts.

The search needs only the distinct (QI…, sensitive…, person) tuples and their counts:
:func:`search` takes either every row or those tuples (``counts``), and
:func:`finish_labelled` builds the result from rows whose labels were applied elsewhere (the
Spark engine joins them onto its rows), so both paths give the same result.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from anonymizer.errors import InputError
from anonymizer.i18n import _
from anonymizer.kanon.encode import Encoded, encode
from anonymizer.kanon.local import recode
from anonymizer.kanon.metrics import make_metric
from anonymizer.kanon.models import (
    AverageRisk,
    ClassModel,
    DistinctL,
    EntropyL,
    KAnonymity,
    RecursiveCL,
    TCloseness,
)
from anonymizer.kanon.optimal import optimal
from anonymizer.kanon.outcome import Release
from anonymizer.kanon.release import release_classes, release_frame, tuple_labels
from anonymizer.kanon.resolve import resolve_hierarchy
from anonymizer.kanon.result import ClassStats, KAnonResult
from anonymizer.kanon.risk import RiskReport, risk_report
from anonymizer.kanon.spec import KAnonConfig
from anonymizer.kanon.tdist import distances
from anonymizer.progress import ProgressFactory, no_progress


def _distinct(series: pd.Series) -> list[str]:
    """The distinct values of a column, in the order they first appear; an empty cell (a
    missing value) as "". A categorical column (an engine's codes and their values) is read
    from its codes, without a string per row."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        if not (codes < 0).any():
            return [str(v) for v in series.cat.categories[pd.unique(codes)]]
    return [str(v) for v in pd.unique(series.astype("string").fillna(""))]


def person_codes(persons: Sequence[object] | pd.Series | np.ndarray, rows: int) -> np.ndarray:
    """A code per row for the person identifiers (InputError on a missing one: never values)."""
    ids = pd.Series(np.asarray(persons, dtype=object)).astype("string").str.strip()
    if len(ids) != rows:
        raise InputError(
            _("person identifiers: {n_ids} given for {rows} rows").format(n_ids=len(ids), rows=rows)
        )
    missing = (ids.isna() | (ids == "")).to_numpy(dtype=bool)
    if missing.any():
        where = ", ".join(str(int(i) + 1) for i in np.flatnonzero(missing)[:5])
        raise InputError(
            _("person identifier missing in {int} row(s) (rows {where})").format(
                int=int(missing.sum()), where=where
            )
        )
    return pd.factorize(ids)[0].astype(np.int64)


def prepare(
    frame: pd.DataFrame,
    config: KAnonConfig,
    rules_directory: Path | str | None = None,
    persons: Sequence[object] | pd.Series | np.ndarray | None = None,
    counts: Sequence[int] | np.ndarray | None = None,
    person_counts: Sequence[int] | np.ndarray | None = None,
) -> Encoded:
    """Check columns, resolve hierarchies and encode (InputError/ConfigError on problems).

    ``persons``: the person identifier of every row (positionally); classes then count
    distinct persons. ``counts``: the records each row stands for, when ``frame`` holds the
    distinct rows in the order they first appear (the hierarchies see the same values in
    the same order, so they are built as from the full table). ``person_counts``: instead of
    ``persons``, the distinct persons each row stands for, when no person's records are in
    two rows (an engine that counted them where the rows are). Both: the rows of persons
    whose records are all alike stand for their distinct persons (``person_counts`` > 0,
    their ``persons`` not read), the other rows for one person each (``person_counts`` 0),
    named by ``persons`` — a class's distinct persons are then the first ones summed and
    the others' distinct names."""
    missing = [c for c in [*config.qis, *config.sensitive] if c not in frame.columns]
    if missing:
        raise InputError(
            _("column(s) not in the input: {map}").format(map=', '.join(map(repr, missing)))
        )
    if len(frame) == 0:
        raise InputError(_("the input has no rows"))
    by_weight = None if person_counts is None else np.asarray(person_counts, dtype=np.int64)
    codes = None
    if persons is not None and by_weight is not None:  # counted, and named where they differ
        named = by_weight == 0
        codes = np.full(len(frame), -1, dtype=np.int64)
        codes[named] = person_codes(np.asarray(persons, dtype=object)[named], int(named.sum()))
    elif persons is not None:
        codes = person_codes(persons, len(frame))
    hier = {
        c: resolve_hierarchy(ref, c, _distinct(frame[c]), rules_directory)
        for c, ref in config.qis.items()
    }
    sens_h = {
        s: resolve_hierarchy(ref, s, _distinct(frame[s]), rules_directory)
        for s, ref in config.sensitive_hierarchies.items()
    }
    weights = None if counts is None else np.asarray(counts, dtype=np.int64)
    return encode(frame, hier, config.sensitive, sens_h, codes, weights, by_weight)


def class_models(config: KAnonConfig, enc: Encoded) -> list[ClassModel]:
    """The class-level models the config asks for (k-anonymity always, k=1 is no-op)."""
    models: list[ClassModel] = [KAnonymity(config.k)]
    s = len(config.sensitive)
    if config.l is not None:
        if config.l_variant == "distinct":
            models.append(DistinctL(config.l, s))
        elif config.l_variant == "entropy":
            models.append(EntropyL(config.l, s))
        else:
            assert config.c is not None
            models.append(RecursiveCL(config.c, config.l, s))
    if config.t is not None:
        models.append(TCloseness(config.t, distances(enc, config.t_distance)))
    return models


@dataclass(frozen=True, eq=False)
class Found:
    """What the search chose, per encoded tuple: no row has been released yet."""

    enc: Encoded
    release: Release
    before: RiskReport
    #: when the work began (``time.perf_counter``), for the result's seconds
    started: float

    def labels(self, config: KAnonConfig) -> list[np.ndarray]:
        """The released label of every tuple, per QI (suppressed tuples starred if asked)."""
        rel = self.release
        star = rel.star | rel.suppressed[:, None] if config.suppressed == "star" else rel.star
        return tuple_labels(self.enc, rel.levels, star, config.star)

    def rows(self, config: KAnonConfig) -> tuple[list[np.ndarray], np.ndarray]:
        """Per row of the searched frame: (label per QI, suppressed?) — the small map an engine
        applies to the rows those tuples stand for."""
        at = self.enc.row_tuple
        return [lab[at] for lab in self.labels(config)], self.release.suppressed[at]


def search(
    frame: pd.DataFrame,
    config: KAnonConfig,
    rules_directory: Path | str | None = None,
    persons: Sequence[object] | pd.Series | np.ndarray | None = None,
    progress: ProgressFactory = no_progress,
    counts: Sequence[int] | np.ndarray | None = None,
    person_counts: Sequence[int] | np.ndarray | None = None,
) -> Found:
    """Encode and search (GateRefused when nothing satisfies the models); ``frame`` is every
    row, or — with ``counts`` — the distinct rows in the order they first appear (and with
    ``person_counts``, the distinct persons of each: :func:`prepare`)."""
    t0 = time.perf_counter()
    enc = prepare(frame, config, rules_directory, persons, counts, person_counts)
    models = class_models(config, enc)
    risk = AverageRisk(config.max_risk) if config.max_risk is not None else None
    metric = make_metric(config.metric, enc)
    _, sizes0 = enc.group([0] * len(enc.columns))
    before = risk_report(sizes0, config.risk_threshold)
    if config.local_recoding:
        rel = recode(enc, config, models, risk, metric)
    else:
        rel = optimal(enc, config, models, risk, metric, progress)
    return Found(enc, rel, before, t0)


def anonymize(
    frame: pd.DataFrame,
    config: KAnonConfig,
    rules_directory: Path | str | None = None,
    persons: Sequence[object] | pd.Series | np.ndarray | None = None,
    progress: ProgressFactory = no_progress,
) -> KAnonResult:
    """Generalize (and suppress) ``frame``'s QIs until every configured model holds.

    With ``persons`` (a person identifier per row) k counts distinct persons per class; the
    suppression limit still counts records. Raises GateRefused when no transformation
    satisfies the models within the suppression limit: nothing is released. ``progress``:
    a bar over the lattice nodes evaluated (:mod:`anonymizer.progress`).
    """
    return finish(frame, config, search(frame, config, rules_directory, persons, progress))


def finish(frame: pd.DataFrame, config: KAnonConfig, found: Found) -> KAnonResult:
    """The result for ``frame``, the very rows that were searched."""
    labels = found.labels(config)
    out, supp_rows = release_frame(
        frame, found.enc, labels, found.release.suppressed, config.suppressed
    )
    return _result(config, found, labels, out, supp_rows)


def finish_labelled(
    frame: pd.DataFrame, config: KAnonConfig, found: Found, suppressed: np.ndarray
) -> KAnonResult:
    """The result for rows whose QI columns already hold their released labels
    (:meth:`Found.rows`, applied where the rows are); ``suppressed``: per row."""
    suppressed = np.asarray(suppressed, dtype=bool)
    out = frame.loc[~suppressed] if config.suppressed == "remove" else frame
    return _result(config, found, found.labels(config), out, np.flatnonzero(suppressed))


def finish_counted(
    frame: Any, config: KAnonConfig, found: Found, counts: np.ndarray
) -> KAnonResult:
    """The result where the rows stay elsewhere (the Spark engine's executors): ``frame`` is
    the released table as that engine holds it, ``counts`` the records of each searched row
    (:meth:`Found.rows`); the suppressed records are counted from them (their positions are
    not known here)."""
    _labels, suppressed = found.rows(config)
    n = int(np.asarray(counts, dtype=np.int64)[np.asarray(suppressed, dtype=bool)].sum())
    return _result(config, found, found.labels(config), frame, np.zeros(0, np.int64), n)


def _result(
    config: KAnonConfig,
    found: Found,
    labels: list[np.ndarray],
    out: Any,
    supp_rows: np.ndarray,
    suppressed: int | None = None,
) -> KAnonResult:
    """Classes, risk after and the summary: all from the tuples, whichever path built ``out``
    (``suppressed``: the records suppressed, when ``supp_rows`` does not list them)."""
    enc, rel = found.enc, found.release
    kept_cls, kept_sizes = release_classes(enc, labels, ~rel.suppressed)
    if enc.by_person:  # class sizes in distinct persons, as k was judged
        kept = ~rel.suppressed
        kept_sizes = enc.persons(kept_cls[kept], len(kept_sizes), np.flatnonzero(kept))
    shown = ~rel.suppressed if config.suppressed == "remove" else np.ones_like(rel.suppressed)
    _, shown_sizes = release_classes(enc, labels, shown)
    return KAnonResult(
        frame=out,
        method=rel.method,
        levels=rel.level_map,
        suppressed=len(supp_rows) if suppressed is None else suppressed,
        classes=ClassStats.of(kept_sizes),
        metric=config.metric,
        metric_value=rel.value,
        achieved=rel.achieved,
        risk_before=found.before,
        risk_after=risk_report(shown_sizes, config.risk_threshold),
        seconds=time.perf_counter() - found.started,
        lattice_size=rel.lattice_size,
        checked=rel.checked,
        suppressed_rows=supp_rows,
        counted_in="persons" if enc.by_person else "records",
    )
