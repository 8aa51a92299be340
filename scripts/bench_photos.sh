#!/usr/bin/env bash
# Benchmark (not a test) of photos: communique and Hugo on the same generated corpus with
# 1,000 photos of about 2 megapixels (scripts/photo_corpus.py), resized to the same widths
# (480, 960, 1600) as WebP at quality 80. Prints a Markdown table on stdout (progress on
# stderr); results go, with the machine and date, into docs/performance.md.
#
#   scripts/bench_photos.sh                 # 1,000 reports, 1,000 photos, 1 run
#   N=1000 PHOTO_COUNT=1000 PHOTO_RUNS=3 scripts/bench_photos.sh
#   PHOTOS=only scripts/bench.sh            # the same, through bench.sh
#
# Rows (each build into a fresh output folder on tmpfs):
#   communique, no photos        the corpus as generated (the reference for the cache)
#   communique, first build      .communique-cache/ deleted before each run: every photo
#                                decoded, resized and encoded
#   communique, cache warm       the same site again: no photo decoded
#   Hugo, first build            resources/_gen deleted before each run
#   Hugo, cache warm             Hugo's resources/_gen kept
# Targets (issue #20): communique's first build at least 2× faster than Hugo's; its warm
# build within 10% of the site without photos; peak memory bounded by the photos in
# flight (compare the first build's peak RSS with the no-photos build's).
#
# Environment: N (reports, 1000), PHOTO_COUNT (photos, 1000), PHOTO_RUNS (1: Hugo's first build
# takes minutes), WARM_RUNS (7: runs of the quick rows, the site without photos and both
# warm caches, taken in turn after the first builds), WORK (/dev/shm/communique-bench), GEN (the corpus generator).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
N=${N:-1000}
PHOTO_COUNT=${PHOTO_COUNT:-1000}
RUNS=${PHOTO_RUNS:-1}
WARM_RUNS=${WARM_RUNS:-7}
WORK=${WORK:-/dev/shm/communique-bench}
GEN=${GEN:-scripts/gen_corpus.py}
TARGET=$(mkdir -p "${CARGO_TARGET_DIR:-target}" && cd "${CARGO_TARGET_DIR:-target}" && pwd)
BIN=$TARGET/release/communique
CORPUS=$WORK/c$N

log() { echo "$*" >&2; }
die() { log "bench_photos.sh: $*"; exit 1; }
command -v hugo >/dev/null || die "hugo is not on PATH (apt-get install hugo)"
python3 -c "import numpy, PIL" 2>/dev/null || die "scripts/photo_corpus.py needs numpy and Pillow (pip install numpy pillow, or apt-get install python3-numpy python3-pil)"

log "building the release binary"
cargo build --release --quiet --bin communique

if ! grep -qs "\"reports\": $N," "$CORPUS/corpus.json"; then
  log "generating $N reports in $CORPUS"
  rm -rf "$CORPUS"
  mkdir -p "$WORK"
  python3 "$GEN" --n "$N" --seed 42 --out "$CORPUS" > "$WORK/corpus-$N.json.tmp"
  mv "$WORK/corpus-$N.json.tmp" "$CORPUS/corpus.json"
fi
# The photo sites are copies: `ours` and `hugo` stay without photos for bench.sh.
stamp="$(sha1sum < scripts/photo_corpus.py | cut -c1-40) $PHOTO_COUNT"
if [ "$(cat "$CORPUS/photos.stamp" 2>/dev/null)" != "$stamp" ]; then
  log "adding $PHOTO_COUNT photos to copies of the corpus"
  rm -rf "$CORPUS/photos" "$CORPUS/hugo-photos" "$CORPUS/photos.stamp"
  cp -r "$CORPUS/ours" "$CORPUS/photos"
  cp -r "$CORPUS/hugo" "$CORPUS/hugo-photos"
  python3 scripts/photo_corpus.py "$CORPUS" --n "$PHOTO_COUNT" --sites photos,hugo-photos --cache "$WORK/photo-cache" >&2
  echo "$stamp" > "$CORPUS/photos.stamp"
fi

# Runs one build under /usr/bin/time -v after `prepare` (a command, or `:`); prints
# "wall cpu rss_kb".
time_one() {
  local prepare=$1 cmd=$2 out=$3 stats=$WORK/photos-time.txt
  rm -rf "$out"
  eval "$prepare"
  # shellcheck disable=SC2086 # the command line is split into words on purpose
  /usr/bin/time -v -o "$stats" $cmd > "$WORK/photos-last.log" 2>&1 || { cat "$WORK/photos-last.log" >&2; die "failed: $cmd"; }
  awk -F': ' '
    /User time/ { cpu += $2 } /System time/ { cpu += $2 } /Maximum resident set size/ { rss = $2 }
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = 0; for (i = 1; i <= n; i++) wall = wall * 60 + t[i] }
    END { printf "%.3f %.3f %d\n", wall, cpu, rss }' "$stats"
}

OUT=$WORK/photos-out
NAMES=("communique, no photos" "communique, first build" "communique, cache warm" "Hugo, first build" "Hugo, cache warm")
PREPARE=(":" "rm -rf $CORPUS/photos/.communique-cache" ":" "rm -rf $CORPUS/hugo-photos/resources/_gen" ":")
CMDS=("$BIN build --root $CORPUS/ours --output $OUT"
      "$BIN build --root $CORPUS/photos --output $OUT"
      "$BIN build --root $CORPUS/photos --output $OUT"
      "hugo --source $CORPUS/hugo-photos --destination $OUT --quiet"
      "hugo --source $CORPUS/hugo-photos --destination $OUT --quiet")
declare -A runs=()
for i in $(seq "$RUNS"); do
  for r in "${!NAMES[@]}"; do
    log "run $i/$RUNS: ${NAMES[$r]}"
    runs[$r]+="$(time_one "${PREPARE[$r]}" "${CMDS[$r]}" "$OUT")"$'\n'
  done
done
# The quick rows (no photos, and both warm caches) again, alternating, until each has
# WARM_RUNS runs: one run of a half-second build is too noisy to judge a 10% target.
for i in $(seq $((RUNS + 1)) "$WARM_RUNS"); do
  for r in 0 2 4; do
    log "run $i/$WARM_RUNS: ${NAMES[$r]}"
    runs[$r]+="$(time_one "${PREPARE[$r]}" "${CMDS[$r]}" "$OUT")"$'\n'
  done
done
rm -rf "$OUT"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A wall=() cpu=() rss=()
for r in "${!NAMES[@]}"; do
  wall[$r]=$(printf '%s' "${runs[$r]}" | awk 'NF { print $1 }' | median)
  cpu[$r]=$(printf '%s' "${runs[$r]}" | awk 'NF { print $2 }' | median)
  rss[$r]=$(printf '%s' "${runs[$r]}" | awk 'NF { print $3 }' | sort -g | tail -1)
done

echo "# communique photo benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(uname -sr); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $("$BIN" --version), $(hugo version | cut -d' ' -f1-2)"
echo "- $N reports (gen_corpus.py --seed 42), $PHOTO_COUNT of them with a photo of 1800 × 1125 (scripts/photo_corpus.py), widths 480, 960, 1600 as WebP q80; $RUNS run(s) of the first builds, $(( WARM_RUNS > RUNS ? WARM_RUNS : RUNS )) of the others, medians; peak RSS the largest"
echo
echo "| build | wall | CPU user+sys | peak RSS |"
echo "| --- | ---: | ---: | ---: |"
for r in "${!NAMES[@]}"; do
  printf '| %s | %.2f s | %.2f s | %.0f MB |\n' "${NAMES[$r]}" "${wall[$r]}" "${cpu[$r]}" "$(awk -v k="${rss[$r]}" 'BEGIN { print k / 1024 }')"
done
echo
awk -v c="${wall[1]}" -v h="${wall[3]}" -v w="${wall[2]}" -v n="${wall[0]}" -v rc="${rss[1]}" -v rn="${rss[0]}" 'BEGIN {
  printf "- first build: communique %.1f× faster than Hugo (target: at least 2×): %s\n", h / c, (h >= 2 * c) ? "met" : "missed"
  printf "- cache warm: %+.0f%% against the same site without photos (target: within 10%%): %s\n", 100 * (w / n - 1), (w <= 1.1 * n) ? "met" : "missed"
  printf "- peak memory of the first build: %.0f MB, %.0f MB more than without photos\n", rc / 1024, (rc - rn) / 1024
}'
