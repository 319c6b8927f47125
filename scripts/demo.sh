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

echo "== run: pipelines/kaigo.yaml (k-anonymity k=5, 2-diversity of 要介護度, ≤5% suppressed)"
"$A" run pipelines/kaigo.yaml --out "$OUT" --force --no-progress

echo "== DP: consultations by 町 and month (ε=0.5 from a population budget of ε=0.8)"
# pipelines/soudan_dp.yaml keeps its ledger in out/ledger.sqlite; a fresh demo starts a fresh one
LEDGER=out/ledger.sqlite
mkdir -p out
rm -f "$LEDGER"
"$A" budget kunitachi-residents --ledger "$LEDGER" --total 0.8
"$A" run pipelines/soudan_dp.yaml --out "$OUT" --force --no-progress
echo "== DP again: the ledger has only ε=0.3 left, so this release must be refused (exit 1)"
set +e
"$A" run pipelines/soudan_dp.yaml --out "$OUT" --force --no-progress
rc=$?
set -e
if [ "$rc" -ne 1 ]; then echo "expected the ledger to refuse (exit 1), got $rc" >&2; exit 1; fi
"$A" budget kunitachi-residents --ledger "$LEDGER"

echo "== releases in $OUT:"
ls -1 "$OUT"
