"""Benchmarks: each ``bench_<area>.py`` has ``run(args) -> dict`` and writes results/<area>.json."""
