"""One Spark session for every engine test (``local[2]``, few shuffle partitions, no UI).

The runs under test call :func:`anonymizer.engine.spark.session.get_session`, which reuses
the active session, so a whole test module starts the JVM once. Tests that need a Spark that
cannot start (no JDK, no master) run the CLI in a subprocess instead.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def spark():
    from anonymizer.engine.spark.session import get_session, java_available, quiet

    if not java_available():  # make test installs the JDK (scripts/java.sh): say so, loudly
        pytest.fail("no Java runtime: run `make java` (openjdk-17-jre-headless) or set JAVA_HOME")
    quiet()
    session = get_session("local[2]", app="anonymizer-tests")
    session.conf.set("spark.sql.shuffle.partitions", "4")
    yield session
    session.stop()
