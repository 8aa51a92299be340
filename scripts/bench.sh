#!/usr/bin/env bash
# Benchmarks (not tests): communique side by side with Hugo (and Zola when it is on PATH)
# on the same generated corpora, then the serve latency from saving a report to the
# reload message. Prints a Markdown report on stdout (progress goes to stderr); results
# go, with the machine and date, into docs/performance.md.
#
#   scripts/bench.sh                          # 1,000 and 10,000 reports, 5 runs each
#   SIZES="1000 10000 30000" RUNS=5 scripts/bench.sh
#   SIZES=1000 RUNS=3 SERVE=0 scripts/bench.sh   # quick look, no serve latency
#   SIZES=10000 RUNS=3 SERVE=0 LANGS=only scripts/bench.sh   # monolingual against trilingual
#   BASELINE=2a2e4be scripts/bench.sh         # this checkout against an earlier commit
#
# Columns, each on the same corpus (scripts/gen_corpus.py --seed 42):
#   communique, default theme   the corpus's own site.yaml: every output (feeds, sitemap,
#                               JSON-LD, data exports, search index, 20 reports per
#                               home page)
#   communique, default theme, no search   the same with search: false
#   communique, default theme, 3 languages   the same corpus with every report translated
#                               into ru and zh by scripts/translate_corpus.py (x.ru.md and
#                               x.zh.md beside x.md, languages: in site.yaml, registries
#                               with the names of every person and city in both): three
#                               times the pages; a second table sets it beside the
#                               monolingual default-theme build (target: at most 3× its
#                               wall time and peak memory). Checked with `communique check`
#                               first: an error, or a warning the monolingual corpus
#                               does not have, stops the script.
#   communique, bench theme     themes/bench (the pages of the Hugo layouts), no base_url
#                               so no feeds/sitemap/robots.txt (Hugo's config disables
#                               them), search: false, paginate: 50 (Hugo's home page
#                               shows 50), paginate_entities: 1000000 (Hugo's term
#                               pages list every report on one page)
#   Hugo                        hugo --source C/hugo --destination OUT --quiet
#   Zola                        zola --root C/zola build --output-dir OUT, if installed
# Every run writes into a fresh, empty output folder on tmpfs; runs are interleaved
# (A B C, A B C, ...) so a busy spell on the machine hits every tool alike.
#
# Environment: PHOTOS (0; 1: also scripts/bench_photos.sh, communique and Hugo on 1,000
# photos; only: that alone), SIZES, RUNS (5), LANGS (1: with the trilingual corpus; 0: without it;
# only: only the default theme, monolingual and trilingual, no other tool), EDITS (21 body edits), TITLE_EDITS (5 front-matter
# edits), SERVE (1: measure serve latency), SERVE_SIZE (10000, or the largest of SIZES
# when 10000 is not among them), WORK (/dev/shm/communique-bench), GEN (the generator),
# BASELINE (a git revision to compare with, below), KEEP_BASELINE (set: keep its worktree).
#
# BASELINE=<rev> adds that commit's communique to the same run: a detached git worktree
# $WORK/baseline-<short hash> (reused when it is already there at that commit), its
# release binary built with CARGO_TARGET_DIR=$WORK/baseline-target so this checkout's
# build is not invalidated. The first time, that folder is seeded with a copy of this
# checkout's target/release (about 1 GB) so only the crates that differ are compiled
# (about 3.5 minutes on 2 cores under a load of 6); later runs reuse it and recompile
# the communique crate (under 2 minutes), or nothing when the worktree was kept.
# Build table: a "communique (baseline <short hash>)" row after each communique row
# (default theme, no search, and bench theme with the baseline's own themes/bench), run
# interleaved with the others, and columns with this checkout's ratio to the baseline and
# each row's wall range. Serve latency: each measurement for this checkout, then for the
# baseline binary (this checkout's examples/serve_latency.rs drives both), each on a
# fresh copy of the corpus. The worktree is removed at exit if this run created it and
# KEEP_BASELINE is unset; the baseline target folder stays for the next run.
# Without BASELINE the report is exactly what it was before BASELINE existed.
#
# Corpora and outputs live on tmpfs (/dev/shm) because the root disk makes timings swing
# 2-3x. On a shared machine (other builds, a fuzzer) numbers are indicative only: compare
# columns of one run of this script, not numbers of different days.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
# Photos (issue #20): scripts/bench_photos.sh, alone (PHOTOS=only) or after the rest (PHOTOS=1).
PHOTOS=${PHOTOS:-0}
if [ "$PHOTOS" = only ]; then
  exec "$REPO/scripts/bench_photos.sh"
fi

SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-5}
EDITS=${EDITS:-21}
TITLE_EDITS=${TITLE_EDITS:-5}
SERVE=${SERVE:-1}
GEN=${GEN:-scripts/gen_corpus.py}
WORK=${WORK:-/dev/shm/communique-bench}
BASELINE=${BASELINE:-}
LANGS=${LANGS:-1}
TRANSLATE=$REPO/scripts/translate_corpus.py
BASE=https://example.org
# cargo's own default, or where CARGO_TARGET_DIR points (relative to this checkout).
TARGET=$(cd "$REPO" && mkdir -p "${CARGO_TARGET_DIR:-target}" && cd "${CARGO_TARGET_DIR:-target}" && pwd)

log() { echo "$*" >&2; }
die() { log "bench.sh: $*"; exit 1; }

[ -f "$GEN" ] || die "corpus generator not found at $GEN (set GEN=path/to/gen_corpus.py)"
command -v python3 >/dev/null || die "python3 is needed for the corpus generator"
mkdir -p "$WORK"

# Debian packages: hugo for the comparison, time for /usr/bin/time -v.
apt_install() {
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then return 1; fi
  log "installing $* from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "$@" >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq "$@" >/dev/null; }
}
[ -x /usr/bin/time ] || apt_install time || die "/usr/bin/time is missing (apt-get install time)"
command -v hugo >/dev/null || apt_install hugo || log "hugo is missing and could not be installed: Hugo column skipped"

log "building the release binary and examples/serve_latency.rs"
cargo build --release --quiet --bin communique --example serve_latency
BIN=$TARGET/release/communique
LATENCY=$TARGET/release/examples/serve_latency

# BASELINE: a worktree of that commit and its release binary (see the header).
baseline_short="" baseline_dir="" baseline_created=0
remove_baseline_worktree() {
  if [ "$baseline_created" = 1 ] && [ -z "${KEEP_BASELINE:-}" ]; then
    log "removing the baseline worktree $baseline_dir (KEEP_BASELINE=1 keeps it)"
    git -C "$REPO" worktree remove "$baseline_dir" || log "could not remove it: git worktree remove --force $baseline_dir"
  fi
}
# Makes (or reuses) the worktree of $BASELINE and builds its binary; sets BASELINE_BIN.
prepare_baseline() {
  local full target=$WORK/baseline-target started
  full=$(git -C "$REPO" rev-parse --verify --quiet "$BASELINE^{commit}") || die "BASELINE=$BASELINE is not a commit of this repository"
  baseline_short=$(git -C "$REPO" rev-parse --short "$full")
  baseline_dir=$WORK/baseline-$baseline_short
  if [ -e "$baseline_dir" ]; then
    [ "$(git -C "$baseline_dir" rev-parse HEAD 2>/dev/null)" = "$full" ] \
      || die "$baseline_dir exists but is not a worktree at $baseline_short: remove it"
    log "reusing the baseline worktree $baseline_dir"
  else
    git -C "$REPO" worktree prune # a worktree of an earlier run whose folder is gone
    git -C "$REPO" worktree add --quiet --detach "$baseline_dir" "$full"
    baseline_created=1
  fi
  trap remove_baseline_worktree EXIT
  trap 'exit 130' INT TERM HUP
  if [ ! -d "$target/release" ]; then
    log "seeding $target with a copy of $TARGET/release (compiled dependencies)"
    mkdir -p "$target"
    cp -a "$TARGET/release" "$target/release"
  fi
  log "building the baseline $baseline_short in $baseline_dir (the first time about 3.5 minutes on 2 busy cores, then under 2, nothing if the worktree was kept)"
  started=$(date +%s)
  (cd "$baseline_dir" && CARGO_TARGET_DIR=$target cargo build --release --quiet --bin communique) \
    || die "the baseline $baseline_short does not build (its worktree: $baseline_dir)"
  log "baseline built in $(($(date +%s) - started)) s"
  BASELINE_BIN=$target/release/communique
}
[ -z "$BASELINE" ] || prepare_baseline

# name|command template (CORPUS and OUT are substituted)
TOOLS=("communique, default theme|$BIN build --root CORPUS/ours --output OUT"
       "communique, default theme, no search|$BIN build --root CORPUS/nosearch --output OUT"
       "communique, bench theme|$BIN build --root CORPUS/bench --output OUT")
if [ -n "$BASELINE" ]; then
  # Each baseline row right after this checkout's, so the table reads in pairs.
  TOOLS=("${TOOLS[0]}" "communique (baseline $baseline_short), default theme|$BASELINE_BIN build --root CORPUS/ours --output OUT"
         "${TOOLS[1]}" "communique (baseline $baseline_short), default theme, no search|$BASELINE_BIN build --root CORPUS/nosearch --output OUT"
         "${TOOLS[2]}" "communique (baseline $baseline_short), bench theme|$BASELINE_BIN build --root CORPUS/bench-baseline --output OUT")
fi
MONOLINGUAL="communique, default theme" TRILINGUAL="communique, default theme, 3 languages"
case $LANGS in
  0) ;;
  1) TOOLS=("${TOOLS[0]}" "$TRILINGUAL|$BIN build --root CORPUS/langs --output OUT" "${TOOLS[@]:1}") ;;
  only) TOOLS=("$MONOLINGUAL|$BIN build --root CORPUS/ours --output OUT" "$TRILINGUAL|$BIN build --root CORPUS/langs --output OUT") ;;
  *) die "LANGS=$LANGS: 0, 1 or only" ;;
esac
[ "$LANGS" != only ] || [ -z "$BASELINE" ] || die "LANGS=only leaves out the baseline's rows: use LANGS=1 with BASELINE"
if [ "$LANGS" = only ]; then
  log "LANGS=only: Hugo and Zola skipped"
elif command -v hugo >/dev/null; then
  TOOLS+=("Hugo|hugo --source CORPUS/hugo --destination OUT --quiet")
fi
if [ "$LANGS" = only ]; then
  :
elif command -v zola >/dev/null; then
  TOOLS+=("Zola|zola --root CORPUS/zola build --output-dir OUT")
else
  log "zola is not on PATH (it is not in Debian): Zola column skipped"
fi

# Generates the corpus of $1 reports unless it is there already.
generate_corpus() {
  local n=$1 corpus=$WORK/c$1
  if ! grep -qs "\"reports\": $n," "$corpus/corpus.json"; then
    log "generating $n reports in $corpus"
    rm -rf "$corpus"
    python3 "$GEN" --n "$n" --seed 42 --out "$corpus" > "$WORK/corpus-$n.json.tmp"
    mv "$WORK/corpus-$n.json.tmp" "$corpus/corpus.json"
  fi
}

# The bench-theme site beside the corpus of $1 reports: the same content, the
# themes/bench of checkout $2 (this one by default), in folder $3 (bench).
prepare_bench_site() {
  local corpus=$WORK/c$1 checkout=${2:-$REPO} site=$WORK/c$1/${3:-bench}
  rm -rf "$site"
  mkdir -p "$site/themes"
  cp -r "$corpus/ours/content" "$site/content"
  cp -r "$checkout/themes/bench" "$site/themes/bench"
  { grep -v '^base_url:' "$corpus/ours/site.yaml"; printf 'theme: bench\npaginate: 50\npaginate_entities: 1000000\nsearch: false\n'; } > "$site/site.yaml"
}

# The default-theme site with `search: false`: every other output, to show what the
# search index costs.
prepare_nosearch_site() {
  local corpus=$WORK/c$1
  rm -rf "$corpus/nosearch"
  mkdir -p "$corpus/nosearch"
  cp -r "$corpus/ours/content" "$corpus/nosearch/content"
  { grep -v '^search:' "$corpus/ours/site.yaml"; printf 'search: false\n'; } > "$corpus/nosearch/site.yaml"
}

# The trilingual site beside the corpus of $1 reports (see the header), made again when
# the corpus or scripts/translate_corpus.py changed, then checked: a translation that
# failed a check would make the build measure an error path.
prepare_langs_site() {
  local corpus=$WORK/c$1 stamp report warnings original
  stamp="$(sha1sum < "$TRANSLATE" | cut -c1-40) $(sha1sum < "$corpus/corpus.json" | cut -c1-40)"
  if [ "$(cat "$corpus/langs.stamp" 2>/dev/null)" != "$stamp" ]; then
    log "translating the $1 reports into ru and zh in $corpus/langs"
    rm -f "$corpus/langs.stamp"
    python3 "$TRANSLATE" --source "$corpus/ours" --out "$corpus/langs" --seed 42 >&2
    echo "$stamp" > "$corpus/langs.stamp"
  fi
  # The corpus's own warnings (names that look alike) are in both sites: the
  # translations may add none.
  log "communique check on $corpus/ours and $corpus/langs"
  report=$("$BIN" check --root "$corpus/langs" --format json) || true
  if grep -q '"severity":"error"' <<< "$report"; then
    grep '"severity":"error"' <<< "$report" | head -20 >&2
    die "communique check finds the errors above in the trilingual corpus $corpus/langs"
  fi
  warnings=$(grep -c '"severity":"warning"' <<< "$report" || true)
  original=$("$BIN" check --root "$corpus/ours" --format json | grep -c '"severity":"warning"' || true)
  if [ "$warnings" != "$original" ]; then
    grep '"severity":"warning"' <<< "$report" | head -20 >&2
    die "communique check finds $warnings warnings in the trilingual corpus $corpus/langs, $original in the original"
  fi
}

# Runs one build under /usr/bin/time -v; appends "wall cpu rss_kb" to $3.
time_one() {
  local cmd=$1 out=$2 results=$3 stats=$WORK/time.txt
  rm -rf "$out"
  # shellcheck disable=SC2086 # the command line is split into words on purpose
  if ! /usr/bin/time -v -o "$stats" $cmd > "$WORK/last.log" 2>&1; then
    cat "$WORK/last.log" >&2
    die "failed: $cmd"
  fi
  awk -F': ' '
    /User time/ { cpu += $2 }
    /System time/ { cpu += $2 }
    /Maximum resident set size/ { rss = $2 }
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = 0; for (i = 1; i <= n; i++) wall = wall * 60 + t[i] }
    END { printf "%.3f %.3f %d\n", wall, cpu, rss }' "$stats" >> "$results"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v h="$1" -v t="$2" 'BEGIN { if (h == "" || t <= 0) { print "—"; exit } r = h / t; if (r >= 1) printf "%.2f× faster\n", r; else printf "%.2f× slower\n", 1 / r }'; }
# The columns BASELINE adds to the row of tool $1 (runs in file $2): this checkout's
# ratio to the baseline's row of the same site ("(baseline)" on that row, "—" on the
# other tools'), then the wall time's spread over the runs, to tell a difference from
# noise. Reads wall_of and cpu_of.
baseline_columns() {
  local name=$1 runs=$2 pair vs_wall="—" vs_cpu="—"
  if [ "${name#communique (baseline}" != "$name" ]; then
    vs_wall="(baseline)" vs_cpu="(baseline)"
  elif [ "${name#communique, }" != "$name" ]; then
    pair="communique (baseline $baseline_short), ${name#communique, }"
    vs_wall=$(ratio "${wall_of[$pair]:-}" "${wall_of[$name]}")
    vs_cpu=$(ratio "${cpu_of[$pair]:-}" "${cpu_of[$name]}")
  fi
  printf ' %s | %s | %s |' "$vs_wall" "$vs_cpu" \
    "$(cut -d' ' -f1 "$runs" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f–%.2f s", lo, hi }')"
}
thousands() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

serve_size=${SERVE_SIZE:-}
if [ -z "$serve_size" ]; then
  # shellcheck disable=SC2086 # one size a line
  serve_size=$(printf '%s\n' $SIZES | sort -n | tail -1)
  for n in $SIZES; do [ "$n" = 10000 ] && serve_size=10000; done
fi

cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs || true)
mem_gib=$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
echo "# communique benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "- machine: $(nproc) cores ($cpu_model), $mem_gib GiB, $(uname -sr); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $("$BIN" --version)$(command -v hugo >/dev/null && echo ", $(hugo version | cut -d' ' -f1-2)")$(command -v zola >/dev/null && echo ", $(zola --version)")"
echo "- corpora: gen_corpus.py --seed 42 on tmpfs ($WORK); $RUNS runs of each tool into a fresh output folder, interleaved"
echo "- wall and CPU (user + sys) are medians of the runs; peak RSS is the largest of the runs (/usr/bin/time -v)"
if [ -n "$BASELINE" ]; then
  checkout="$(git -C "$REPO" rev-parse --short HEAD)$([ -z "$(git -C "$REPO" status --porcelain)" ] || echo ' with uncommitted changes')"
  echo "- baseline: BASELINE=$BASELINE, $baseline_short \"$(git -C "$REPO" log -1 --format=%s "$baseline_short" | awk '{ print (length($0) > 72 ? substr($0, 1, 71) "…" : $0) }')\" ($("$BASELINE_BIN" --version)), against this checkout at $checkout; \"vs baseline\" is this checkout's ratio to the baseline's row below it"
fi
echo

# The two rows of the languages table for $1 reports (monolingual, trilingual) and
# whether the trilingual build keeps within 3× the monolingual one's time (wall and CPU:
# on a busy machine the wall time alone can hide a miss) and peak RSS. Reads wall_of, cpu_of, rss_of and pages_of; appends to lang_rows.
languages_rows() {
  local n=$1 name label columns
  for name in "$MONOLINGUAL" "$TRILINGUAL"; do
    if [ "$name" = "$MONOLINGUAL" ]; then
      label="en only" columns="— | — | — | (reference)"
    else
      label="en, ru, zh"
      columns=$(awk -v w1="${wall_of[$MONOLINGUAL]}" -v w3="${wall_of[$name]}" \
                    -v c1="${cpu_of[$MONOLINGUAL]}" -v c3="${cpu_of[$name]}" \
                    -v r1="${rss_of[$MONOLINGUAL]}" -v r3="${rss_of[$name]}" \
        'BEGIN { printf "%.2f× | %.2f× | %.2f× | %s", w3 / w1, c3 / c1, r3 / r1, (w3 <= 3 * w1 && c3 <= 3 * c1 && r3 <= 3 * r1) ? "met" : "missed" }')
    fi
    lang_rows+=("$(printf '| %s | %s | %.2f s | %.2f s | %.0f MB | %s | %s |' "$(thousands "$n")" "$label" \
      "${wall_of[$name]}" "${cpu_of[$name]}" "$(awk -v k="${rss_of[$name]}" 'BEGIN { print k / 1024 }')" \
      "$(thousands "${pages_of[$name]}")" "$columns")")
  done
}

rows=()
lang_rows=()
broken_total=0
for n in $SIZES; do
  generate_corpus "$n"
  if [ "$LANGS" != only ]; then
    prepare_bench_site "$n"
    [ -z "$BASELINE" ] || prepare_bench_site "$n" "$baseline_dir" bench-baseline
    prepare_nosearch_site "$n"
  fi
  [ "$LANGS" = 0 ] || prepare_langs_site "$n"
  corpus=$WORK/c$n
  declare -A results=()
  for i in $(seq "$RUNS"); do
    for t in "${!TOOLS[@]}"; do
      name=${TOOLS[$t]%%|*}
      cmd=${TOOLS[$t]#*|}
      out=$WORK/out-$n-$t
      cmd=${cmd//CORPUS/$corpus}
      cmd=${cmd//OUT/$out}
      log "$n reports, run $i/$RUNS: $name"
      results[$t]=$WORK/results-$n-$t.txt
      [ "$i" -gt 1 ] || : > "${results[$t]}"
      time_one "$cmd" "$out" "${results[$t]}"
    done
  done
  declare -A wall_of=() cpu_of=() rss_of=() pages_of=()
  for t in "${!TOOLS[@]}"; do
    name=${TOOLS[$t]%%|*}
    wall_of[$name]=$(cut -d' ' -f1 "${results[$t]}" | median)
    cpu_of[$name]=$(cut -d' ' -f2 "${results[$t]}" | median)
  done
  hugo_wall=${wall_of[Hugo]:-} hugo_cpu=${cpu_of[Hugo]:-}
  for t in "${!TOOLS[@]}"; do
    name=${TOOLS[$t]%%|*}
    out=$WORK/out-$n-$t
    wall=${wall_of[$name]}
    cpu=${cpu_of[$name]}
    rss=$(cut -d' ' -f3 "${results[$t]}" | sort -n | tail -1)
    pages=$(find "$out" -name '*.html' | wc -l)
    rss_of[$name]=$rss pages_of[$name]=$pages
    files=$(find "$out" -type f | wc -l)
    links=$(python3 scripts/check_links.py "$out" --base "$BASE" || true)
    broken=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["broken"])' "$links")
    if [ "$broken" != 0 ]; then
      log "$name, $n reports: $broken broken internal links: $links"
      # The baseline's links are shown, not held against this checkout.
      [ "${name#communique (baseline}" != "$name" ] || broken_total=$((broken_total + broken))
    fi
    if [ "$name" = Hugo ]; then vs_wall="(baseline)" vs_cpu="(baseline)"; else vs_wall=$(ratio "$hugo_wall" "$wall") vs_cpu=$(ratio "$hugo_cpu" "$cpu"); fi
    row=$(printf '| %s | %s | %.2f s | %.2f s | %.0f MB | %s | %s | %s | %s | %s |' \
      "$(thousands "$n")" "$name" "$wall" "$cpu" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
      "$(thousands "$pages")" "$(thousands "$files")" "$broken" "$vs_wall" "$vs_cpu")
    [ -z "$BASELINE" ] || row+=$(baseline_columns "$name" "${results[$t]}")
    rows+=("$row")
  done
  [ "$LANGS" = 0 ] || languages_rows "$n"
  unset results wall_of cpu_of rss_of pages_of
done

if [ -n "$BASELINE" ]; then
  echo "| reports | tool | wall (median) | CPU user+sys (median) | peak RSS | .html pages | files | broken links | wall vs Hugo | CPU vs Hugo | wall vs baseline | CPU vs baseline | wall min–max |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- | ---: |"
else
  echo "| reports | tool | wall (median) | CPU user+sys (median) | peak RSS | .html pages | files | broken links | wall vs Hugo | CPU vs Hugo |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
fi
printf '%s\n' "${rows[@]}"
echo
echo "Not equal work: with either theme communique also writes the data exports (data/*.json,"
echo "data/figures.csv), country pages and the home page's continuation pages, and links the"
echo "first mention of each official and city in every body; Hugo does none of these."
echo
if [ "$LANGS" != 0 ]; then
  echo "Languages: the default theme on the same corpus in English only, and with every report"
  echo "translated into Russian and Chinese (scripts/translate_corpus.py: three times the pages;"
  echo "half the translations repeat the facts with translated roles and labels). Target: the"
  echo "trilingual build within 3× the monolingual one's time (wall and CPU) and peak RSS."
  echo
  echo "| reports | languages | wall (median) | CPU user+sys (median) | peak RSS | .html pages | wall × | CPU × | peak RSS × | target |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  printf '%s\n' "${lang_rows[@]}"
  echo
fi

# BASELINE's serve section: each measurement (the arguments of serve_latency) for this
# checkout, then for the baseline, each on a fresh copy of the corpus.
serve_pair() {
  local label bin site=$WORK/serve-c$serve_size
  for label in "this checkout" "baseline $baseline_short"; do
    bin=$BIN
    [ "$label" = "this checkout" ] || bin=$BASELINE_BIN
    rm -rf "$site"
    cp -r "$WORK/c$serve_size/ours" "$site"
    log "serve latency, $label: $*"
    echo "  - $label: $("$LATENCY" --root "$site" "$@" --bin "$bin" || echo "failed (its error is above, on stderr)")"
  done
}

if [ "$SERVE" = 1 ] && [ -n "$BASELINE" ]; then
  generate_corpus "$serve_size"
  log "serve latency on $serve_size reports (default theme), this checkout and baseline $baseline_short"
  echo "Serve latency, $(thousands "$serve_size") reports, default theme (examples/serve_latency.rs), this checkout against baseline $baseline_short:"
  echo "each line runs this checkout's server and then the baseline's (one server at a time: they would compete for"
  echo "the cores), each on a fresh copy of the corpus; the same example drives both."
  echo
  echo "- body edit:"
  serve_pair --edits "$EDITS"
  echo "- front-matter (title) edit:"
  serve_pair --edits "$TITLE_EDITS" --kind title
  echo "- the same, saves 1.5 s apart (the work that follows a reload is done by the next save):"
  serve_pair --edits "$TITLE_EDITS" --kind title --pause-ms 1500
  echo "- a new official in the front matter (a new person: the site is resolved again), saves 1.5 s apart:"
  serve_pair --edits "$TITLE_EDITS" --kind official --pause-ms 1500
  rm -rf "$WORK/serve-c$serve_size"
  echo
elif [ "$SERVE" = 1 ]; then
  generate_corpus "$serve_size"
  log "serve latency on $serve_size reports (default theme)"
  echo "Serve latency, $(thousands "$serve_size") reports, default theme (examples/serve_latency.rs):"
  echo
  echo "- body edit: $("$LATENCY" --root "$WORK/c$serve_size/ours" --edits "$EDITS" --bin "$BIN")"
  echo "- front-matter (title) edit: $("$LATENCY" --root "$WORK/c$serve_size/ours" --edits "$TITLE_EDITS" --kind title --bin "$BIN")"
  echo "- the same, saves 1.5 s apart (the work that follows a reload is done by the next save): $("$LATENCY" --root "$WORK/c$serve_size/ours" --edits "$TITLE_EDITS" --kind title --pause-ms 1500 --bin "$BIN")"
  echo "- a new official in the front matter (a new person: the site is resolved again), saves 1.5 s apart: $("$LATENCY" --root "$WORK/c$serve_size/ours" --edits "$TITLE_EDITS" --kind official --pause-ms 1500 --bin "$BIN")"
  echo
fi
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

[ "$broken_total" = 0 ] || die "$broken_total broken internal links (see above)"

if [ "$PHOTOS" = 1 ]; then
  echo
  "$REPO/scripts/bench_photos.sh"
fi
