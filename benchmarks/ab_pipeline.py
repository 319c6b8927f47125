"""Side by side: the same pipeline run by two checkouts, alternately, in one script.

The machine's speed drifts by ±20% over minutes, so a speed-up is only measured against a
peer run in the same window. Each run imports ``anonymizer`` from its checkout in a fresh
interpreter (this venv's libraries) and calls ``run_pipeline`` in-process.

    git worktree add /tmp/base <commit>
    .venv/bin/python -m benchmarks.ab_pipeline /tmp/base . PIPELINE.yaml --rounds 2

``--key-file`` for a ``pseudonymized`` pipeline. Both runs use one insecure seed, so an
``anonymized`` pipeline's per-release pseudonym key is the same in both, and the script also
reports whether both checkouts released byte-identical CSV files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

_ONE_RUN = """
import json, logging, sys, time
sys.path.insert(0, sys.argv[1])
logging.disable(logging.WARNING)
from pathlib import Path
from anonymizer.pipeline.run import RunOptions, run_pipeline
import anonymizer.pipeline.run as run
assert run.__file__.startswith(sys.argv[1]), run.__file__
pipeline, out = Path(sys.argv[2]), Path(sys.argv[3])
key = Path(sys.argv[4]) if sys.argv[4] else None
opts = RunOptions(pipeline, out, key, force=True, seed=1, progress=False)
r = run_pipeline(opts)
print(json.dumps({"seconds": round(r.seconds, 1), "rows": r.rows_in}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("pipeline", type=Path)
    parser.add_argument("--key-file", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"base": [], "new": []}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for name in ("base", "new"):
                root = str(getattr(args, name).resolve())
                out = subprocess.run(
                    [sys.executable, "-c", _ONE_RUN, root, str(args.pipeline.resolve()),
                     str(Path(tmp) / name), str(args.key_file.resolve()) if args.key_file else ""],
                    check=True, capture_output=True, text=True, cwd=tmp,
                )
                res = json.loads(out.stdout.strip().splitlines()[-1])
                times[name].append(res["seconds"])
                print(name, res, flush=True)
        same = _data_files(Path(tmp) / "base") == _data_files(Path(tmp) / "new")
    ratios = [b / n for b, n in zip(times["base"], times["new"], strict=True)]
    print(json.dumps({
        "seconds": times,
        "speedup_per_round": [round(r, 2) for r in ratios],
        "same_data_files": same,
    }))


def _data_files(out: Path) -> dict[str, str]:
    """sha256 of each released CSV, by path inside the output directory."""
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*.csv"))
    }


if __name__ == "__main__":
    main()
