"""An input at a URI — ``hdfs://``, ``s3a://``, ``abfss://``, ``gs://``, ``file://`` … — read
through Spark's own Hadoop file system (its configuration, its credentials: whatever the
cluster already reads), so no other client is needed on the driver or the executors.

The driver lists the input (a file, or a directory's part files chosen as for a local one:
:func:`anonymizer.io.parts.choose`) and reads the head of each CSV part (its first bytes,
never the whole file); the executors read the parts (:mod:`.read`) and hash them for the
report (:func:`sha256`: the file's SHA-256, or that of a directory's ``sha256sum`` listing,
as for a local input).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from anonymizer.errors import InputError
from anonymizer.i18n import _
from anonymizer.io.parts import choose, file_name, listing_sha256

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@dataclass(frozen=True)
class Listed:
    """A URI's data files: their URIs and names (a directory's parts in name order)."""

    uri: str
    parts: tuple[str, ...]
    names: tuple[str, ...]
    directory: bool


def _fs(spark: SparkSession, uri: str) -> tuple[Any, Any]:
    """(Hadoop ``Path``, its ``FileSystem``) for ``uri``."""
    jvm = spark.sparkContext._jvm
    assert jvm is not None  # a live session's gateway
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return path, path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())  # type: ignore[attr-defined]


def listed(spark: SparkSession, uri: str) -> Listed:
    """The input's data files (InputError: nothing there, or a directory that is not one
    table's parts)."""
    path, fs = _fs(spark, uri)
    if not fs.exists(path):
        raise InputError(_("{path}: not found").format(path=uri))
    if not fs.getFileStatus(path).isDirectory():
        return Listed(uri, (uri,), (str(path.getName()),), False)
    entries = {
        str(s.getPath().getName()): (str(s.getPath().toString()), bool(s.isFile()))
        for s in fs.listStatus(path)
    }
    names = choose(uri, [(n, f) for n, (_u, f) in entries.items()])
    return Listed(uri, tuple(entries[n][0] for n in names), tuple(names), True)


def head(spark: SparkSession, uri: str, n: int) -> tuple[bytes, bool]:
    """(the first ``n`` bytes of the file ``uri``, whether that is all of it)."""
    path, fs = _fs(spark, uri)
    stream = fs.open(path)
    try:
        data = bytes(stream.readNBytes(n + 1))
    finally:
        stream.close()
    return data[:n], len(data) <= n


def sha256(spark: SparkSession, files: Listed) -> str:
    """The file's SHA-256; a directory's: the SHA-256 of one ``<sha256>  <name>`` line per
    part in name order — each part hashed by an executor (Spark's ``binaryFile``: a part of
    at most 2 GiB)."""
    import hashlib

    import pandas as pd

    def hashed(batches):  # type: ignore[no-untyped-def]
        for batch in batches:
            yield pd.DataFrame({
                "path": batch["path"],
                "sha": [hashlib.sha256(bytes(b)).hexdigest() for b in batch["content"]],
            })  # fmt: skip

    frame = spark.read.format("binaryFile").load(list(files.parts))
    got = frame.select("path", "content").mapInPandas(hashed, "path string, sha string")
    by_name = {file_name(str(r["path"])): str(r["sha"]) for r in got.collect()}
    if not files.directory:
        return by_name[files.names[0]]
    return listing_sha256((n, by_name[n]) for n in files.names)


def sha256_of(uri: str) -> str:
    """:func:`sha256` of the input at ``uri``, on the run's (active) Spark session; a
    failure is the engine's exit 2 (:func:`.remote.local_error`)."""
    from pyspark.sql import SparkSession

    from anonymizer.engine.spark.remote import local_error
    from anonymizer.errors import AnonymizerError

    spark = SparkSession.getActiveSession()
    assert spark is not None, "the Spark engine's session ends after the report"
    try:
        return sha256(spark, listed(spark, uri))
    except AnonymizerError:
        raise
    except Exception as exc:  # noqa: BLE001 - Py4J and executor failures alike
        raise local_error(exc, _("hashing the input")) from None
