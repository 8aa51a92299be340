#!/usr/bin/env bash
# Benchmarks (not tests): full-build throughput and peak memory on generated corpora, and
# the serve latency from saving a report to the reload message. Results go, with the
# machine and date, into docs/performance.md.
#
#   scripts/bench.sh                # 1,000 and 10,000 reports
#   SIZES="10000 30000" RUNS=5 scripts/bench.sh
#
# Corpora come from ../shared/bench/gen_corpus.py (seed 42) and live on tmpfs (/dev/shm)
# because the root disk makes timings swing 2-3x.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-3}
EDITS=${EDITS:-21}
GEN=${GEN:-../shared/bench/gen_corpus.py}
WORK=${WORK:-/dev/shm/communique-bench}

cargo build --release --quiet
cargo build --release --quiet --example serve_latency
BIN=target/release/communique

echo "# $(date -u +%Y-%m-%d) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for n in $SIZES; do
  corpus="$WORK/c$n"
  if [ ! -f "$corpus/ours/site.yaml" ]; then
    python3 "$GEN" --n "$n" --seed 42 --out "$corpus" >/dev/null
  fi
  out="$WORK/out$n"
  best=""
  rss=0
  for _ in $(seq "$RUNS"); do
    rm -rf "$out"
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$BIN" build --root "$corpus/ours" --output "$out" >/dev/null
    read -r secs kb < "$WORK/time.txt"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
    if [ "$kb" -gt "$rss" ]; then rss=$kb; fi
  done
  pages=$(find "$out" -name '*.html' | wc -l)
  awk -v n="$n" -v s="$best" -v kb="$rss" -v p="$pages" 'BEGIN{
    printf "build %6d reports (%d pages): best of runs %.2f s, %.0f reports/s, peak RSS %.0f MB\n", n, p, s, n/s, kb/1024 }'
  target/release/examples/serve_latency --root "$corpus/ours" --edits "$EDITS" --bin "$BIN"
  target/release/examples/serve_latency --root "$corpus/ours" --edits 5 --kind title --bin "$BIN"
done
