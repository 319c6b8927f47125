"""Small synthetic tables built in the tests (no shared data is copied here)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

DISEASES = ["胃潰瘍", "胃炎", "胃癌", "インフルエンザ", "肺炎", "気管支炎"]

# inline hierarchy specs (the same shapes as rules/hierarchies/*.yaml)
AGE = {"type": "intervals", "lower": 0, "upper": 100, "widths": [10, 50]}
SEX = {"type": "categories", "values": ["男", "女"]}
ZIP = {"type": "masking", "levels": [1, 2]}
DISEASE_TREE = {
    "type": "categories",
    "levels": [{"groups": {"胃の病気": DISEASES[:3], "呼吸器の病気": DISEASES[3:]}}],
}


def people(n: int, seed: int) -> pd.DataFrame:
    """Skewed ages, sex, 7-digit postal codes, a disease and a salary (all text)."""
    rng = np.random.default_rng(seed)
    age = np.clip(rng.gamma(4.0, 11.0, n).astype(int), 0, 99)
    zips = [f"186-00{d:02d}" for d in rng.integers(0, 12, n)]
    disease = rng.choice(DISEASES, n, p=[0.3, 0.2, 0.05, 0.2, 0.15, 0.1])
    salary = rng.choice([3, 4, 5, 6, 7, 8, 9, 10, 11], n)
    return pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(n)],
            "age": age.astype(str),
            "sex": rng.choice(["男", "女"], n),
            "zip": zips,
            "disease": disease,
            "salary": salary.astype(str),
        }
    ).astype(str)


@pytest.fixture(scope="session")
def small() -> pd.DataFrame:
    return people(300, seed=7)


QIS = {"age": AGE, "sex": SEX, "zip": ZIP}
