#!/usr/bin/env bash
# bench/scan.sh: detection speed of `vigil scan` against two baselines (Go
# regexp alternation and GNU grep -F) on one synthetic mixed-language corpus,
# single core, plus --workers scaling. Rewrites the "Detection (vigil scan)"
# section of docs/BENCHMARKS.md; leaves the other sections alone.
#
# Environment knobs (defaults in brackets):
#   SCANBENCH_MB [60]            corpus size in MB of post text (the issue asks >= 50)
#   SCANBENCH_SEED [1]           corpus seed
#   SCANBENCH_REGEXP_EVERY [100] the regexp baseline runs on every k-th post only: on the whole
#                                corpus it would take most of an hour (it runs at well under 1 MB/s)
#   SCANBENCH_GREP_UTF8 [1]      also time grep in the C.UTF-8 locale (0 to skip)
# Everything it writes besides the document goes to bench/out/ (git-ignored);
# the corpus is cached there and regenerated when the generator changes.
set -euo pipefail
cd "$(dirname "$0")/.."

mb=${SCANBENCH_MB:-60}
seed=${SCANBENCH_SEED:-1}
every=${SCANBENCH_REGEXP_EVERY:-100}
grep_utf8=${SCANBENCH_GREP_UTF8:-1}
out=bench/out
mkdir -p "$out"

echo "scan.sh: building" >&2
go build -o "$out/vigil" ./cmd/vigil
go build -o "$out/scanbench" ./bench/scanbench

key=$(cat bench/scanbench/corpus.go bench/scanbench/evasion.go bench/scanbench/pools_*.go | sha256sum | cut -c1-12)
corpus="$out/corpus-$key-$mb-$seed.jsonl"
text="${corpus%.jsonl}.txt"
if [ ! -s "$corpus" ] || [ ! -s "$text" ]; then
  rm -f "$out"/corpus-*
  echo "scan.sh: generating the corpus ($mb MB, seed $seed)" >&2
  "$out/scanbench" corpus --mb "$mb" --seed "$seed" --out "$corpus" --text "$text"
fi
"$out/scanbench" literals --out "$out/literals.txt"
cat "$corpus" "$text" >/dev/null # into the page cache before anything is timed

env="$out/shell.env"
{
  echo "corpus_mb=$mb"
  echo "corpus_seed=$seed"
  echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "grep_version=$(grep --version | head -n 1)"
} >"$env"

# timeit NAME CMD...: runs CMD under /usr/bin/time and records NAME_seconds
# (wall clock), NAME_cpu_seconds (user + system) and NAME_rss_kb (peak
# resident set size).
timeit() {
  local name=$1
  shift
  /usr/bin/time -o "$out/time.$name" -f '%e %U %S %M' "$@"
  local secs user sys rss
  read -r secs user sys rss <"$out/time.$name"
  echo "${name}_seconds=$secs" >>"$env"
  echo "${name}_cpu_seconds=$(echo "$user $sys" | awk '{print $1 + $2}')" >>"$env"
  echo "${name}_rss_kb=$rss" >>"$env"
  echo "scan.sh: $name: ${secs}s wall, ${user}s user, ${sys}s sys, peak RSS ${rss} kB" >&2
}

echo "scan.sh: engine and regexp baseline (GOMAXPROCS=1)" >&2
GOMAXPROCS=1 "$out/scanbench" run --corpus "$corpus" --regexp-every "$every" \
  --json "$out/run.json" --cpuprofile "$out/scan.cpu.prof"
go tool pprof -top -nodecount=15 "$out/scanbench" "$out/scan.cpu.prof" 2>/dev/null >"$out/profile.txt" || true
go tool pprof -top -cum -show='^vigil/detect' -nodecount=14 "$out/scanbench" "$out/scan.cpu.prof" \
  2>/dev/null >"$out/profile_cum.txt" || true

echo "scan.sh: grep baseline" >&2
# grep exits 1 when no line matches; a count of 0 is still a measurement.
grep_c() { grep -F -i -c -f "$out/literals.txt" "$text" >"$out/grep.count" || [ $? -eq 1 ]; }
export -f grep_c
export out text
echo "grep_locale=LC_ALL=C" >>"$env"
timeit grep env LC_ALL=C bash -c grep_c
echo "grep_lines=$(cat "$out/grep.count")" >>"$env"
if [ "$grep_utf8" = 1 ]; then
  timeit grep_utf8 env LC_ALL=C.UTF-8 bash -c grep_c
fi

echo "scan.sh: vigil scan, single core" >&2
timeit cli1 env GOMAXPROCS=1 sh -c 'exec "$0" scan --in "$1" --workers 1 >/dev/null' "$out/vigil" "$corpus"

procs=$(nproc)
echo "cliw_procs=$procs" >>"$env"
for w in 1 2; do
  echo "scan.sh: vigil scan --workers $w (GOMAXPROCS=$procs)" >&2
  timeit "cliw$w" sh -c 'exec "$0" scan --in "$1" --workers "$2" >/dev/null' "$out/vigil" "$corpus" "$w"
done

# Output order and content must not depend on the worker count.
head -n 20000 "$corpus" >"$out/order.jsonl"
"$out/vigil" scan --in "$out/order.jsonl" --workers 1 >"$out/order.w1"
"$out/vigil" scan --in "$out/order.jsonl" --workers 2 >"$out/order.w2"
if cmp -s "$out/order.w1" "$out/order.w2"; then
  echo "order_check=identical output for --workers 1 and 2 on the first 20,000 posts" >>"$env"
else
  echo "order_check=**DIFFERENT** output for --workers 1 and 2 on the first 20,000 posts" >>"$env"
fi
echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$env"

"$out/scanbench" report --results "$out/run.json" --shell "$env" --profile "$out/profile.txt" --profile-cum "$out/profile_cum.txt" --doc docs/BENCHMARKS.md
echo "scan.sh: wrote docs/BENCHMARKS.md (profile: $out/profile.txt)" >&2
