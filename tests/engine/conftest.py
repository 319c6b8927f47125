"""One Spark session for every engine test (``local[2]``, 2 shuffle partitions — one per
core; each task is ≈ 15 ms of a small job — no UI).

The runs under test call :func:`anonymizer.engine.spark.session.get_session`, which reuses
the active session, so a whole test module starts the JVM once. Tests that need a Spark that
cannot start (no JDK, no master) run the CLI in a subprocess instead.

Spark evaluates its expressions interpreted here (:data:`INTERPRETED`), not compiled: on
tables of a few hundred rows, compiling each new query's generated code (Janino, then the
JIT) is a quarter of a run's time. One sample pipeline's equivalence (soudan) runs compiled, as
a run does by default (:func:`compiled`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

#: Spark's settings for expressions evaluated without generated code (both are SQL settings,
#: changed at run time); Spark's own tests check that both ways compute the same
INTERPRETED = {
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
}


@pytest.fixture(scope="session")
def spark():
    from anonymizer.engine.spark.session import get_session, java_available, quiet

    if not java_available():  # make test installs the JDK (scripts/java.sh): say so, loudly
        pytest.fail("no Java runtime: run `make java` (openjdk-17-jre-headless) or set JAVA_HOME")
    quiet()
    session = get_session("local[2]", app="anonymizer-tests")
    session.conf.set("spark.sql.shuffle.partitions", "2")
    for name, value in INTERPRETED.items():
        session.conf.set(name, value)
    yield session
    session.stop()


@pytest.fixture
def compiled(spark) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Spark's default: expressions compiled to generated code (whole-stage included)."""
    for name in INTERPRETED:
        spark.conf.unset(name)
    yield
    for name, value in INTERPRETED.items():
        spark.conf.set(name, value)
