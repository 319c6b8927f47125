"""``holders``: a register of permit or licence holders (食品等営業許可一覧 …) where a holder is a
corporation or an individual — corporations released in full, individuals protected.

Per row (:mod:`anonymizer.steps._corporate`): a **corporation** names a 法人格 and carries a
valid 法人番号 — its name, number and address are public (国税庁法人番号公表サイト publishes
商号又は名称, 本店所在地 and 法人番号), so they are released as they are and declared *public
cells*: the gate's re-scan does not refuse 株式会社山田商店 for the 山田 in it, and its raw-value
check hunts only the individuals' values. An **individual** names no 法人格 and has no number:
the name becomes ``individual_label`` and every ``personal`` column (the holder's own address)
is generalized with the project's gazetteer or blanked. Any other row is flagged, not guessed:
the run stops (InputError, exit 2) naming the columns, the count and up to five rows — a
person's name must never go out because the row looked like a company's.

``address`` defaults to ``address_city``, not the 町字: the row also names the facility, its
address and trade, and the operator of a shop who lives in a small 町字 of the same city is
easy to single out by the pair (a 町字 holds hundreds to a few thousand households, a 市 tens
of thousands). ``address_town`` is for registers where that is judged acceptable; ``drop``
blanks them.

The step's gate check ``holders`` re-derives the classification from the released rows: every
row released with public cells must still read as a corporation, every other row must carry
the label, no 法人番号, and personal cells at most at the chosen level.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from anonymizer.config import Frozen
from anonymizer.errors import ConfigError, InputError
from anonymizer.i18n import _
from anonymizer.io.rows import describe_rows
from anonymizer.operators._common import blank_mask, row_numbers
from anonymizer.steps._corporate import CORPORATION, FLAGS, INDIVIDUAL, Classifier
from anonymizer.steps.base import GateCheck, PublicCells, Step, StepContext, StepResult, register

#: the values of ``class_column``
CLASS_LABELS = {CORPORATION: "法人", INDIVIDUAL: "個人"}
PUBLIC_REASON = {
    "name": "法人の商号又は名称（国税庁法人番号公表サイトで公表）",
    "corporate_number": "法人番号（国税庁が指定し公表）",
    "personal": "法人の本店又は主たる事務所の所在地（国税庁法人番号公表サイトで公表）",
}
_LEVELS = {"address_city": "city", "address_town": "town"}
_DONE = {"address_city": "市区町村まで一般化", "address_town": "町字まで一般化", "drop": "削除"}


class HoldersParams(Frozen):
    #: the holder's name (営業者氏名又は名称)
    name: str = Field(min_length=1)
    #: the holder's 法人番号 (empty for an individual)
    corporate_number: str = Field(min_length=1)
    #: the holder's own columns protected for an individual (営業者住所)
    personal: tuple[str, ...] = ()
    individual_label: str = Field(default="個人", min_length=1)
    address: Literal["address_city", "address_town", "drop"] = "address_city"
    #: a new column, right after ``name``, saying 法人 or 個人
    class_column: str | None = Field(default=None, min_length=1)
    #: other columns where an individual's home address may also stand (施設所在地 of a shop in
    #: the holder's home): in an individual's row, a cell holding that home address is
    #: generalized like it — the facility's address is public, the holder's home is not
    home_in: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _distinct(self) -> HoldersParams:
        named = [self.name, self.corporate_number, *self.personal, *self.home_in]
        twice = sorted({c for c in named if named.count(c) > 1})
        if twice:
            raise ValueError(
                _("name, corporate_number and personal name {twice} more than once").format(
                    twice=twice
                )
            )
        if self.class_column in named:
            raise ValueError(_("class_column: a new column, not one of the step's own"))
        return self


def _rows(mask: pd.Series) -> list[int]:
    return row_numbers(mask.index, mask.to_numpy(dtype=bool))


@register("holders")
class Holders(Step):
    Params = HoldersParams

    def preflight(self, pipeline_path: Path) -> None:
        """rules/corporate.yaml is read (and checked) before any data."""
        if Classifier().has_form(self.params.individual_label):
            raise ConfigError(
                _("{where}: individual_label must not contain a 法人格").format(where=self.where)
            )

    def check_columns(self, columns: list[str]) -> None:
        p = self.params
        missing = [c for c in (p.name, p.corporate_number, *p.personal, *p.home_in) if c not in columns]
        if missing:
            raise ConfigError(
                _("{where}: column(s) {missing} not in the table at this step").format(
                    where=self.where, missing=', '.join(missing)
                )
            )
        if p.class_column is not None and p.class_column in columns:
            raise ConfigError(
                _("{where}: class_column {class_column!r} is already a column").format(
                    where=self.where, class_column=p.class_column
                )
            )

    def run(self, frame: pd.DataFrame, ctx: StepContext) -> StepResult:
        self.require_identifiers(ctx)
        self.preflight(ctx.pipeline_path)
        kind = self.kinds(frame)
        self._refuse_flagged(kind)
        corp = (kind == CORPORATION).astype(bool)
        out = self.released(frame, corp)
        public = self.public_cells(corp)
        report = self.summary(int(corp.sum()), int((~corp).sum()))
        return StepResult(frame=out, report=report, checks=[self.check(out, public)], public=public)

    def require_identifiers(self, ctx: StepContext) -> None:
        """The holder's name and personal columns must be direct identifiers (ConfigError)."""
        p = self.params
        # the gate hunts the raw values of direct identifiers everywhere in the release: an
        # individual's name or home address declared anything else would not be hunted
        loose = [c for c in (p.name, *p.personal) if ctx.roles.get(c) != "direct_identifier"]
        if loose:
            raise ConfigError(
                _(
                    "{where}: column(s) {loose} must be declared role: direct_identifier (the gate "
                    "then looks for every individual's value anywhere in the release); the step "
                    "decides per row what is released"
                ).format(where=self.where, loose=', '.join(loose))
            )

    def kinds(self, frame: pd.DataFrame) -> pd.Series:
        """Each row's class: :data:`CORPORATION`, :data:`INDIVIDUAL` or one of :data:`FLAGS`."""
        return Classifier().classify(frame[self.params.name], frame[self.params.corporate_number])

    def released(self, frame: pd.DataFrame, corp: pd.Series) -> pd.DataFrame:
        """The rows as released: an individual's name replaced by the label and personal cells
        protected, corporations as they are (``corp``: per row), the class column added."""
        p = self.params
        indiv = ~corp
        out = frame.copy()
        out.loc[indiv, p.name] = p.individual_label
        for col in p.home_in:
            at_home = indiv & self._holds_home(frame, col)
            out[col] = self._protect(out[col], at_home)
        for col in p.personal:
            out[col] = self._protect(out[col], indiv)
        if p.class_column is not None:
            at = list(out.columns).index(p.name) + 1
            labels = corp.map({True: CLASS_LABELS[CORPORATION], False: CLASS_LABELS[INDIVIDUAL]})
            out.insert(at, p.class_column, labels.astype("string"))
        return out

    def columns_after(self, columns: list[str]) -> list[str]:
        """The released columns, given the step's table's (the class column added)."""
        p = self.params
        if p.class_column is None:
            return list(columns)
        at = columns.index(p.name) + 1
        return [*columns[:at], p.class_column, *columns[at:]]

    def public_cells(self, corp: pd.Series) -> dict[str, PublicCells]:
        """The corporations' cells of the holder's columns, declared public (by row)."""
        p = self.params
        return {
            col: PublicCells(corp, PUBLIC_REASON[what])
            for what, cols in (
                ("name", [p.name]),
                ("corporate_number", [p.corporate_number]),
                ("personal", p.personal),
            )
            for col in cols
        }

    def summary(self, corporations: int, individuals: int) -> dict[str, object]:
        """The step's report."""
        p = self.params
        return {
            "type": "holders",
            "corporations": corporations,
            "individuals": individuals,
            "individual_label": p.individual_label,
            "address": p.address,
            # what was done to the holder's columns (the APPI checklist reads it)
            "protected": {
                p.name: f"個人は「{p.individual_label}」に置換、法人は公表情報",
                **dict.fromkeys(p.personal, f"個人は{_DONE[p.address]}、法人は公表情報"),
            },
        }

    def _refuse_flagged(self, kind: pd.Series) -> None:
        flagged = ~kind.isin([CORPORATION, INDIVIDUAL])
        if not flagged.any():
            return
        found = {}
        for key in FLAGS:
            hit = kind == key
            if hit.any():
                found[key] = (int(hit.sum()), _rows(hit))
        raise self.flagged_error(found, len(kind))

    def flagged_error(self, found: Mapping[str, tuple[int, list[int]]], total: int) -> InputError:
        """The refusal of rows that are neither a corporation nor an individual: ``found``,
        per flag, (how many rows, the first rows' data-row numbers)."""
        params = {"name": self.params.name, "corporate_number": self.params.corporate_number}
        parts = []
        for key, (problem, which) in FLAGS.items():
            if key in found:
                n, rows = found[key]
                cols = ", ".join(repr(params[w]) for w in which)
                parts.append(
                    _("{problem} ({columns}): {count} row(s) ({rows})").format(
                        problem=_(problem), columns=cols, count=n, rows=describe_rows(rows, n > 5)
                    )
                )
        return InputError(
            _(
                "{where}: {flagged} of {total} row(s) are neither a corporation (a 法人格 and a "
                "valid 法人番号) nor an individual (no 法人格, no 法人番号), and the step does not "
                "guess: {problems}. Correct the register (a column's own missing: list reads a "
                "placeholder such as なし as empty)"
            ).format(
                where=self.where, flagged=sum(n for n, _r in found.values()), total=total,
                problems=_("; ").join(parts),
            )
        )

    def _holds_home(self, frame: pd.DataFrame, col: str) -> pd.Series:
        """Rows whose ``col`` cell holds one of the row's own ``personal`` values (any spelling)."""
        from anonymizer.match import fold_key

        cells = frame[col].astype("string").fillna("").map(fold_key)
        hit = pd.Series(False, index=frame.index)
        for own in self.params.personal:
            home = frame[own].astype("string").fillna("").map(fold_key)
            hit |= pd.Series(
                [bool(h) and h in c for h, c in zip(home.tolist(), cells.tolist(), strict=True)],
                index=frame.index,
            )
        return hit

    def _protect(self, values: pd.Series, indiv: pd.Series) -> pd.Series:
        """Individuals' addresses cut to the municipality (or 町字) by the gazetteer, or blanked."""
        out = values.astype("string").copy()
        if not indiv.any():
            return out
        if self.params.address == "drop":
            out[indiv] = pd.NA
            return out
        from anonymizer.operators import OperatorContext, build_operator

        col = str(values.name)
        op = build_operator(
            "generalize",
            {"to": self.params.address},
            OperatorContext(column=col),
            f"{self.where}.address",
        )
        try:
            out[indiv] = op.apply(out[indiv])
        except InputError as err:  # rows of the input; never a value
            raise InputError(
                _("{where}: individuals' {message}").format(where=self.where, message=err.message)
            ) from None
        return out

    def check(self, out: pd.DataFrame, public: Mapping[str, PublicCells]) -> GateCheck:
        """Re-derive each released row's class from its released cells."""
        corp = public[self.params.name].rows.reindex(out.index, fill_value=False).astype(bool)
        bad = self.against_class(out, corp)
        problems = {k: {"cells": int(m.sum()), "rows": _rows(m)} for k, m in bad.items() if m.any()}
        return self.judged(int(corp.sum()), int((~corp).sum()), problems)

    def against_class(self, out: pd.DataFrame, corp: pd.Series) -> dict[str, pd.Series]:
        """Per problem, the released rows against their class (``corp``: released public)."""
        p = self.params
        indiv = ~corp
        kind = Classifier().classify(out[p.name], out[p.corporate_number])
        bad: dict[str, pd.Series] = {
            "public_not_corporation": corp & (kind != CORPORATION),
            "name_not_label": indiv
            & (out[p.name].astype("string").fillna("") != p.individual_label),
            "number_kept": indiv
            & ~pd.Series(blank_mask(out[p.corporate_number].astype("string")), index=out.index),
        }
        for col in p.personal:
            bad[f"personal:{col}"] = indiv & ~self._at_level(out[col])
        if p.class_column is not None:
            expected = np.where(corp, CLASS_LABELS[CORPORATION], CLASS_LABELS[INDIVIDUAL])
            bad["class_column"] = out[p.class_column].astype("string").fillna("") != expected
        return bad

    def judged(
        self, corporations: int, individuals: int, problems: Mapping[str, dict[str, object]]
    ) -> GateCheck:
        """The step's gate check: ``problems``, per kind of row released against its class,
        ``{"cells": how many, "rows": the first rows' data-row numbers}``."""
        p = self.params
        data = {"corporations": corporations, "individuals": individuals, "problems": problems}
        if problems:
            detail = _("rows released against their class: {problems}").format(
                problems=", ".join(f"{k} ×{v['cells']}" for k, v in problems.items())
            )
            return GateCheck("holders", False, detail, data)
        detail = _(
            "{corporations} row(s) released as corporations carry a 法人格 and a valid 法人番号; "
            "{individuals} individual(s) carry the label, no 法人番号 and {cells}"
        ).format(
            corporations=data["corporations"],
            individuals=data["individuals"],
            cells=_("no personal cell")
            if p.address == "drop"
            else _("personal cells at {level} level at most").format(level=_LEVELS[p.address]),
        )
        return GateCheck("holders", True, detail, data)

    def _at_level(self, values: pd.Series) -> pd.Series:
        """Cells that are blank, or an address the gazetteer places that is no finer than the
        chosen level (its own generalization at that level)."""
        text = values.astype("string")
        blank = pd.Series(blank_mask(text), index=values.index)
        if self.params.address == "drop":
            return blank
        from anonymizer.gazetteer import load_gazetteer

        gazetteer, level = load_gazetteer(), _LEVELS[self.params.address]
        ok = {v: gazetteer.generalize(v, level) == v for v in pd.unique(text.dropna())}
        return blank | text.map(ok).fillna(False).astype(bool)
