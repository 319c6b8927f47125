import numpy as np

from anonymizer.tables.engine import protect
from anonymizer.tables.hierarchy import load_hierarchy
from anonymizer.tables.modular import subtables
from anonymizer.tables.spec import SuppressionRules
from anonymizer.tables.table import Dimension, tabulate

from . import _reference as ref
from ._tables import two_level


def test_subtables_cover_every_equation_top_down():
    table = two_level(np.arange(8).reshape(4, 2))
    parts = subtables(table)
    assert [p.depth for p in parts] == sorted(p.depth for p in parts)
    covered = np.zeros(table.equations.shape[0], dtype=bool)
    for p in parts:
        covered[p.rows] = True
    assert covered.all()
    assert len(parts) == 3  # (市 | 北部 | 南部) × 総数


def test_modular_protects_what_the_optimal_method_protects():
    rng = np.random.default_rng(5)
    towns = ["青柳", "石田", "泉", "北", "中", "西", "東", "富士見台", "谷保", "矢川"]
    import pandas as pd

    n = 400
    f = pd.DataFrame({
        "町": rng.choice(towns, n), "年齢": np.clip(rng.gamma(3, 16, n), 0, 104).astype(int).astype(str),
        "性別": rng.choice(["男", "女"], n),
    })  # fmt: skip
    dims = (
        Dimension("町", load_hierarchy("kunitachi_chiku.yaml", "t")),
        Dimension("性別", load_hierarchy("sex.yaml", "t")),
    )
    f = f[f["年齢"].astype(int) > 85]  # few enough to leave small cells
    table = tabulate(f, dims, where="t")
    modular = protect(table, SuppressionRules(method="modular").resolved())
    optimal = protect(table, SuppressionRules(method="optimal").resolved())
    assert modular.verdict.passed and optimal.verdict.passed
    assert modular.outcome.cost >= optimal.outcome.cost
    eq = table.equations.toarray()
    assert ref.protected(eq, table.value, modular.suppressed, modular.verdict.primary.mask, 3)


def test_past_its_time_limit_the_modular_method_still_protects_and_says_so():
    rng = np.random.default_rng(9)
    towns = ["青柳", "石田", "泉", "北", "中", "西", "東", "富士見台", "谷保", "矢川"]
    import pandas as pd

    n = 300
    f = pd.DataFrame({"町": rng.choice(towns, n), "性別": rng.choice(["男", "女"], n)})
    dims = (
        Dimension("町", load_hierarchy("kunitachi_chiku.yaml", "t")),
        Dimension("性別", load_hierarchy("sex.yaml", "t")),
    )
    table = tabulate(f.iloc[:40], dims, where="t")  # 40 persons over 10 towns: small cells
    p = protect(table, SuppressionRules(method="modular", time_limit=1e-9).resolved())
    assert p.verdict.primary.mask.any()
    assert p.outcome.status == "time_limit" and p.verdict.passed


class _Bars:
    """Records the bars the solver asks for (the CLI hands it tqdm's)."""

    def __init__(self) -> None:
        self.made: list[tuple[str, int | None, str]] = []
        self.updates: dict[str, int] = {}

    def __call__(self, desc, total=None, unit="items", delay=0.0):
        self.made.append((desc, total, unit))
        bars = self

        class _Bar:
            def update(self, n=1):
                bars.updates[desc] = bars.updates.get(desc, 0) + n

            def close(self):
                return None

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return None

        return _Bar()


def test_the_solver_reports_its_progress():
    """#19 item 6: the optimal search counts its master problems, the modular one its
    subtables (a bar the CLI shows once the solver runs longer than two seconds)."""
    table = two_level(np.array([[1, 7], [9, 2], [8, 8], [6, 1]]))
    for method, desc, total in (("optimal", "suppression pattern", None),
                                ("modular", "suppression pattern (subtables)", 3)):  # fmt: skip
        bars = _Bars()
        p = protect(table, SuppressionRules(method=method).resolved(), progress=bars)
        assert p.verdict.passed
        assert (desc, total) in [(d, t) for d, t, _ in bars.made]
        assert bars.updates[desc] >= 1
