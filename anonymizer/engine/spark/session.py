"""The Spark session a run uses: checked before it is started, so a missing JDK or an
unreachable master is a one-line exit 2 instead of a JVM stack trace or a hang.

Executors run this interpreter (``PYSPARK_PYTHON`` = ``sys.executable``), so they import the
same package, rules and models as the driver. An active session (a test's, a notebook's) is
reused as it is.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from anonymizer.errors import ConfigError
from anonymizer.i18n import _

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

#: seconds to wait for a standalone master's port before giving up
CONNECT_TIMEOUT = 5.0
DEFAULT_MASTER = "local[*]"
#: the JVM heap of a local master (driver and executors in one process)
LOCAL_MEMORY = "4g"
#: no JVM log lines (a task failure's would quote an executor's traceback)
LOG_CONFIG = Path(__file__).with_name("log4j2.properties")


def java_available() -> bool:
    """A ``java`` Spark can start: ``$JAVA_HOME/bin/java``, else one on ``PATH``."""
    home = os.environ.get("JAVA_HOME")
    if home:
        return (Path(home) / "bin" / "java").is_file()
    return shutil.which("java") is not None


def check_master(master: str) -> None:
    """A ``spark://host:port[,host:port]`` master must accept a connection (else the
    application would wait for executors that never come)."""
    if not master.startswith("spark://"):
        return
    for hostport in master.removeprefix("spark://").split(","):
        parts = urlsplit(f"//{hostport}")
        host, port = parts.hostname, parts.port or 7077
        try:
            with socket.create_connection((host or "localhost", port), timeout=CONNECT_TIMEOUT):
                return
        except OSError:
            continue
    raise ConfigError(
        _(
            "engine spark: no Spark master reachable at {master} (waited {seconds} s); start it, "
            "or run with --master local[2]"
        ).format(master=master, seconds=f"{CONNECT_TIMEOUT:g}")
    )


def get_session(
    master: str | None, app: str = "anonymizer", conf: dict[str, str] | None = None
) -> SparkSession:
    """The active session, else a new one on ``master`` (default ``local[*]``) with ``conf``
    (the pipeline's ``spark.conf``). On a local master the JVM is driver and executors at
    once, and Spark's 1 GB default heap is too small for a million rows: 4 GB unless set."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(
            _("engine spark: pyspark is not installed (pip install 'anonymizer[spark]')")
        ) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if not java_available():
        raise ConfigError(
            _(
                "engine spark: no Java runtime found (Spark needs Java 17 or later): install "
                "openjdk-17-jre-headless (make test does) or set JAVA_HOME"
            )
        )
    master = master or DEFAULT_MASTER
    check_master(master)
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # no loopback-address warning
    # a JVM out of heap exits (the run then fails: exit 2, nothing released) instead of
    # losing the thread that ran out — a task-result getter's OutOfMemoryError left a 10M-row
    # run waiting for ever
    logging = f"-Dlog4j2.configurationFile={LOG_CONFIG.as_uri()} -XX:+ExitOnOutOfMemoryError"
    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", logging)
        .config("spark.executor.extraJavaOptions", logging)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.executorEnv.PYSPARK_PYTHON", sys.executable)
        # a failed task is not retried on a local master: a Python error is not transient
        .config("spark.task.maxFailures", "1" if master.startswith("local") else "4")
    )
    settings = dict(conf or {})
    if master.startswith("local"):
        settings.setdefault("spark.driver.memory", LOCAL_MEMORY)
    for name, value in settings.items():
        builder = builder.config(name, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start, or refused the master
        raise ConfigError(
            _("engine spark: Spark could not start on {master} ({error_type})").format(
                master=master, error_type=type(exc).__name__
            )
        ) from None
    session.sparkContext.setLogLevel("OFF")
    return session


def quiet() -> None:
    """No warning from PySpark reaches stderr: besides its pandas-3 notices, ``toPandas``
    warns with an executor's whole error text, which may quote a cell (the run reports every
    failure itself, without values: :mod:`anonymizer.engine.spark.remote`)."""
    import warnings

    warnings.filterwarnings("ignore", module=r"pyspark(\.|$)")
