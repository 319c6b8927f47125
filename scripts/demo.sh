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
  echo "$DEMO_STATE はデモの状態ディレクトリではないため触れません（$DEMO_STATE exists but is not the demo's state directory）" >&2
  exit 2
fi
mkdir -p "$DEMO_STATE" && chmod 700 "$DEMO_STATE" && touch "$MARK"
XDG_STATE_HOME="$(cd "$DEMO_STATE" && pwd)"
export XDG_STATE_HOME
# A demo key (64 hex characters) for the 仮名加工情報 pipeline only (an anonymized release
# never takes a key). Production keys live outside the release tree.
KEY="$DEMO_STATE/demo.key"
[ -f "$KEY" ] || "$A" keygen -o "$KEY"

echo "== samples/city: 架空の市の元データ（住民基本台帳・異動届・食品等営業許可。固定の乱数種）"
.venv/bin/python -m samples.city --out samples/city

echo "== scan: 相談記録の列の役割（例は伏せ字のみ）"
"$A" scan samples/soudan_cp932.csv --mode fast --json "$OUT/scan-soudan.json"

echo "== detect: samples/texts.jsonl の検出結果 → $OUT/detect-texts.jsonl"
"$A" detect --mode fast samples/texts.jsonl > "$OUT/detect-texts.jsonl"

echo "== KPI 6: pipelines/soudan.yaml（匿名加工情報: 自由記述は伏せ字、住民は公開ごとの保存しない鍵で人ごとに仮名化）"
"$A" run pipelines/soudan.yaml --out "$OUT" --force
echo "   公開レポート: $OUT/soudan/report.html ・ 内部レポート（公開しない）: $OUT/soudan.internal/report.html"

echo "== run: pipelines/soudan_kamei.yaml（仮名加工情報・内部利用のみ: 保存した鍵、ライセンスなし、オープンデータのメタデータなし）"
"$A" run pipelines/soudan_kamei.yaml --out "$OUT" --key-file "$KEY" --force

echo "== KPI 8: pipelines/kaigo.yaml（k-匿名性 k=5、要介護度の2-多様性、抑制5%以下）"
"$A" run pipelines/kaigo.yaml --out "$OUT" --force

echo "== KPI 1: 地域・年齢別人口（自治体標準オープンデータセットの様式。小さいセルを秘匿し監査）"
"$A" run pipelines/jinko.yaml --out "$OUT" --force

echo "== KPI 2: 町丁 × 世帯人員別の世帯数（住民から世帯を集計。セル秘匿）"
"$A" run pipelines/setai.yaml --out "$OUT" --force

echo "== KPI 4: 前住地（都道府県）× 5歳階級別の転入者（セル秘匿）"
"$A" run pipelines/tennyu.yaml --out "$OUT" --force

echo "== KPI 5: 食品等営業許可一覧（法人はそのまま。個人の営業者の氏名と自宅住所は保護）"
"$A" run pipelines/eigyo_kyoka.yaml --out "$OUT" --force

echo "== DP: 住民のプライバシー予算（計 ε=1.8）をデモ専用の台帳に"
# the ledger is in the demo's state directory ($XDG_STATE_HOME/anonymizer, marked as the
# demo's above): a fresh demo starts its own ledger afresh, and no other ledger is touched
rm -rf "$XDG_STATE_HOME/anonymizer"
"$A" budget kunitachi-residents --total 1.8

echo "== KPI 3: 町丁 × 月別の人口動態（差分プライバシー ε=1.0、1人2件まで）"
"$A" run pipelines/jinko_dotai.yaml --out "$OUT" --force

echo "== KPI 7: 相談区分 × 月別の相談件数（差分プライバシー ε=0.5）"
"$A" run pipelines/soudan_dp.yaml --out "$OUT" --force
echo "== DP をもう一度: 台帳の残りは ε=0.3 なので、この公開は拒否されるはず（終了コード 1）"
set +e
"$A" run pipelines/soudan_dp.yaml --out "$OUT" --force
rc=$?
set -e
if [ "$rc" -ne 1 ]; then echo "台帳が拒否する（終了コード 1）はずが $rc でした" >&2; exit 1; fi
"$A" budget kunitachi-residents

echo "== $OUT の公開（anonymizer summary $OUT）:"
"$A" summary "$OUT"
