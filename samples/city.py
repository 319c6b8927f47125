"""Generate a synthetic city's raw records: 国立市's residents, FY2024 異動 and 営業許可.

``python -m samples.city [--seed 20261204] [--residents 52000] [--out samples/city]`` writes

- ``jumin.csv`` (CP932, CRLF): 住民基本台帳 extract as of 2025-01-01, one row per resident;
- ``ido.csv`` (UTF-8 with BOM): 異動届 of FY2024 (出生, 死亡, 転入, 転出), one row per event;
- ``eigyo_kyoka.csv`` (UTF-8 with BOM): 食品等営業許可 register;
- ``gold/eigyo_holders.csv``: per register row, 個人 or 法人 and the holder's 住民票コード when
  the holder is a resident (never published).

Same seed → byte-identical files, written to a temporary directory inside ``--out`` and moved
into place only when all are complete. The output is not committed (``make demo`` builds it);
benchmarks and tests build cities in memory::

    from samples.city import generate_city
    city = generate_city(residents=5000, seed=1)   # .jumin, .ido, .eigyo, .eigyo_individual
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click
import numpy as np
import pandas as pd

from samples._city import JUMIN_COLUMNS, jumin_frame, profile
from samples._city import residents as build_residents
from samples._city_eigyo import generate_eigyo
from samples._city_ido import generate_ido
from samples._write import write_files

HERE = Path(__file__).resolve().parent
DEFAULT_SEED = 20261204
DEFAULT_RESIDENTS = 52_000


@dataclass(frozen=True)
class City:
    jumin: pd.DataFrame  # 住民基本台帳: JUMIN_COLUMNS, all strings
    ido: pd.DataFrame  # 異動届 FY2024: IDO_COLUMNS, all strings
    eigyo: pd.DataFrame  # 食品等営業許可: EIGYO_COLUMNS, all strings
    eigyo_holders: pd.DataFrame  # per eigyo row: 区分 (個人/法人), a resident holder's 住民票コード

    @property
    def eigyo_individual(self) -> pd.Series:
        """True where the permit holder is a natural person (personal data)."""
        return self.eigyo_holders["区分"] == "個人"


def generate_city(residents: int = DEFAULT_RESIDENTS, seed: int = DEFAULT_SEED,
                  businesses: int | None = None) -> City:
    """A whole city in memory; ``businesses`` defaults to 900 permits per 52,000 residents."""
    if residents < 100:
        raise ValueError("residents: at least 100 (every 町丁 needs a household)")
    rng = np.random.default_rng([seed, 11])
    prof = profile(rng)
    people = jumin_frame(build_residents(rng, residents, prof), rng)
    ido = generate_ido(np.random.default_rng([seed, 12]), people, prof)
    eigyo, holders = generate_eigyo(np.random.default_rng([seed, 13]), people, businesses)
    jumin = people[list(JUMIN_COLUMNS)].astype(str)
    return City(jumin, ido, eigyo, holders)


def render(city: City) -> dict[str, bytes]:
    """Every output file's relative path → its exact bytes."""
    def csv(frame: pd.DataFrame, encoding: str, newline: str = "\n") -> bytes:
        return frame.to_csv(index=False, lineterminator=newline).encode(encoding)

    return {
        "jumin.csv": csv(city.jumin, "cp932", "\r\n"),
        "ido.csv": csv(city.ido, "utf-8-sig"),
        "eigyo_kyoka.csv": csv(city.eigyo, "utf-8-sig"),
        "gold/eigyo_holders.csv": csv(city.eigyo_holders.rename_axis("row").reset_index(),
                                      "utf-8"),
    }


def write_city(out: Path | str = HERE / "city", seed: int = DEFAULT_SEED,
               residents: int = DEFAULT_RESIDENTS) -> list[Path]:
    """Write every file under ``out`` (via a temporary directory there); return their paths."""
    files = render(generate_city(residents, seed))  # everything before anything is written
    return write_files(Path(out), files, ".city-")


@click.command()
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Random seed; the same seed gives byte-identical files.")
@click.option("--residents", type=click.IntRange(min=100), default=DEFAULT_RESIDENTS,
              show_default=True, help="Rows of jumin.csv (the other files scale with it).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=HERE / "city",
              show_default="samples/city", help="Directory to write into (gold/ goes under it).")
def main(seed: int, residents: int, out: Path) -> None:
    """Generate the synthetic city's raw records (国立市: 住民, 異動, 営業許可).

    Example: python -m samples.city --seed 20261204 --residents 52000 --out samples/city
    """
    for path in write_city(out, seed, residents):
        click.echo(str(path))


__all__ = ["DEFAULT_RESIDENTS", "DEFAULT_SEED", "City", "generate_city", "render", "write_city"]

if __name__ == "__main__":
    main()
