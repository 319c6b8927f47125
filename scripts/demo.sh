#!/usr/bin/env bash
# `make demo`: scan and detect on the samples, run the sample pipelines into OUT, summarize OUT.
# Progress bars show on a terminal only (stderr): a CI log gets none.
set -euo pipefail
OUT=${1:-out}
A=.venv/bin/anonymizer
mkdir -p "$OUT"
# The demo's own state directory: its DP ledger with the ledger's integrity key, and its
# pseudonym key. Outside OUT (so `make clean` keeps it) and never yours: the demo's runs use
# it as $XDG_STATE_HOME, and the demo resets only a directory that carries its own mark.
DEMO_STATE=${DEMO_STATE:-.demo-state}
MARK="$DEMO_STATE/.anonymizer-demo-state"
if [ -e "$DEMO_STATE" ] && [ ! -f "$MARK" ]; then
  echo "$DEMO_STATE exists but is not the demo's state directory; not touching it" >&2
  exit 2
fi
mkdir -p "$DEMO_STATE" && chmod 700 "$DEMO_STATE" && touch "$MARK"
XDG_STATE_HOME="$(cd "$DEMO_STATE" && pwd)"
export XDG_STATE_HOME
# A demo key (64 hex characters) for the 仮名加工情報 pipeline only (an anonymized release
# never takes a key). Production keys live outside the release tree.
KEY="$DEMO_STATE/demo.key"
[ -f "$KEY" ] || "$A" keygen -o "$KEY"

echo "== samples/city: the synthetic city's raw records (住民基本台帳, 異動届, 食品等営業許可; fixed seed)"
.venv/bin/python -m samples.city --out samples/city

echo "== scan: column roles of the consultation records (masked examples only)"
"$A" scan samples/soudan_cp932.csv --mode fast --json "$OUT/scan-soudan.json"

echo "== detect: findings in samples/texts.jsonl → $OUT/detect-texts.jsonl"
"$A" detect --mode fast samples/texts.jsonl > "$OUT/detect-texts.jsonl"

echo "== KPI 6: pipelines/soudan.yaml (匿名加工情報: free text masked, residents pseudonymized by person with a per-release key that is never stored)"
"$A" run pipelines/soudan.yaml --out "$OUT" --force
echo "   public report: $OUT/soudan/report.html · internal report (not for publication): $OUT/soudan.internal/report.html"

echo "== run: pipelines/soudan_kamei.yaml (仮名加工情報, internal use only: a persistent key, no licence, no open-data metadata)"
"$A" run pipelines/soudan_kamei.yaml --out "$OUT" --key-file "$KEY" --force

echo "== KPI 8: pipelines/kaigo.yaml (k-anonymity k=5, 2-diversity of 要介護度, ≤5% suppressed)"
"$A" run pipelines/kaigo.yaml --out "$OUT" --force

echo "== KPI 1: 地域・年齢別人口 (自治体標準オープンデータセット layout; small cells suppressed, audited)"
"$A" run pipelines/jinko.yaml --out "$OUT" --force

echo "== KPI 2: 世帯数 by 町丁 × 世帯人員 (households from residents; cell suppression)"
"$A" run pipelines/setai.yaml --out "$OUT" --force

echo "== KPI 4: 転入者 by 前住地 (都道府県) × 5歳階級 (cell suppression)"
"$A" run pipelines/tennyu.yaml --out "$OUT" --force

echo "== KPI 5: 食品等営業許可一覧 (corporations in full; individual holders' names and home addresses protected)"
"$A" run pipelines/eigyo_kyoka.yaml --out "$OUT" --force

echo "== DP: the residents' privacy budget (ε=1.8 in all) in the demo's own ledger"
# the ledger is in the demo's state directory ($XDG_STATE_HOME/anonymizer, marked as the
# demo's above): a fresh demo starts its own ledger afresh, and no other ledger is touched
rm -rf "$XDG_STATE_HOME/anonymizer"
"$A" budget kunitachi-residents --total 1.8

echo "== KPI 3: 人口動態 by 町丁 × month (DP ε=1.0, at most 2 events per person)"
"$A" run pipelines/jinko_dotai.yaml --out "$OUT" --force

echo "== KPI 7: 相談件数 by 相談区分 × month (DP ε=0.5)"
"$A" run pipelines/soudan_dp.yaml --out "$OUT" --force
echo "== DP again: the ledger has only ε=0.3 left, so this release must be refused (exit 1)"
set +e
"$A" run pipelines/soudan_dp.yaml --out "$OUT" --force
rc=$?
set -e
if [ "$rc" -ne 1 ]; then echo "expected the ledger to refuse (exit 1), got $rc" >&2; exit 1; fi
"$A" budget kunitachi-residents

echo "== the releases in $OUT (anonymizer summary $OUT):"
"$A" summary "$OUT"
