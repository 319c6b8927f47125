#!/usr/bin/env bash
# `make demo`: scan and detect on the samples, then run the sample pipelines into OUT.
set -euo pipefail
OUT=${1:-out}
A=.venv/bin/anonymizer
mkdir -p "$OUT"
# A demo key (64 hex characters). Production keys live outside the release tree.
[ -f "$OUT/demo.key" ] || "$A" keygen -o "$OUT/demo.key"

echo "== scan: column roles of the consultation records (masked examples only)"
"$A" scan samples/soudan_cp932.csv --mode fast --json "$OUT/scan-soudan.json"

echo "== detect: findings in samples/texts.jsonl → $OUT/detect-texts.jsonl"
"$A" detect --mode fast samples/texts.jsonl > "$OUT/detect-texts.jsonl"

echo "== run: pipelines/soudan.yaml (free text masked, residents pseudonymized)"
"$A" run pipelines/soudan.yaml --out "$OUT" --key-file "$OUT/demo.key" --force --no-progress

echo "== releases in $OUT:"
ls -1 "$OUT"
