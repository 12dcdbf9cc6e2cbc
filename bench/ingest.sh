#!/usr/bin/env bash
# bench/ingest.sh: sustained ingest of content batches over HTTP into the
# real `vigil serve`, once on its embedded defaults (SQLite + embedded NATS
# JetStream) and once with PostgreSQL; items/s, batch latency, and a check
# in the database that no acknowledged item was lost. Rewrites the
# "Ingest (HTTP intake)" section of docs/BENCHMARKS.md; leaves the other
# sections alone.
#
# Environment knobs (defaults in brackets):
#   INGESTBENCH_ITEMS [300000]    items per measured run (two runs per database)
#   INGESTBENCH_CLIENTS [8]       concurrent HTTP clients
#   INGESTBENCH_BATCH [1000]      items per batch
#   INGESTBENCH_WARMUP [20000]    items of the warm-up run before the measured ones
#   INGESTBENCH_CORPUS_MB [35]    MB of post text in the corpus (~300,000 posts); texts cycle if fewer
#   INGESTBENCH_PROFILE [1]       also profile the in-process BenchmarkIngestHTTP (0 to skip)
#   VIGIL_BENCH_DATABASE_URL      PostgreSQL to use (an empty database); unset: a throwaway cluster is
#                                 started the way .ci/run does (needs root and the Debian postgresql package)
#   INGESTBENCH_SKIP_POSTGRES [0] 1 to run SQLite only
#   INGESTBENCH_KEEP [0]          1 keeps the servers' data directories under bench/out/
# Everything besides the document goes to bench/out/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

items=${INGESTBENCH_ITEMS:-300000}
clients=${INGESTBENCH_CLIENTS:-8}
batch=${INGESTBENCH_BATCH:-1000}
warmup=${INGESTBENCH_WARMUP:-20000}
corpus_mb=${INGESTBENCH_CORPUS_MB:-35}
profile=${INGESTBENCH_PROFILE:-1}
skip_pg=${INGESTBENCH_SKIP_POSTGRES:-0}
out=bench/out
ib="$out/ingestbench"
# Binary names differ from bench/scan.sh's: both scripts may run at once.
mkdir -p "$out"
rm -f "$out"/ingest-*.json "$out/ingest-web.cpu.prof" "$out/ingest-profile.txt" "$out/ingest-bench.txt" "$out/ingest-stages.txt"

log() { echo "ingest.sh: $*" >&2; }

# build OUT PKG: other engineers edit the tree while this runs, so a
# package may not compile for a moment; try a few times before giving up.
log "building"
build "$out/ingest-vigil" ./cmd/vigil
build "$ib" ./bench/ingestbench
build "$out/ingest-scanbench" ./bench/scanbench

key=$(cat bench/scanbench/corpus.go bench/scanbench/evasion.go bench/scanbench/pools_*.go | sha256sum | cut -c1-12)
corpus="$out/ingest-corpus-$key-$corpus_mb.jsonl"
if [ ! -s "$corpus" ]; then
  rm -f "$out"/ingest-corpus-*
  log "generating the corpus ($corpus_mb MB of post text, seed 2)"
  "$out/ingest-scanbench" corpus --mb "$corpus_mb" --seed 2 --out "$corpus" >/dev/null
fi

env="$out/ingest.env"
mem_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc=$(nproc)"
  echo "cpu_model=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "mem=$(awk -v k="$mem_kb" 'BEGIN {printf "%.1f GB", k / 1024 / 1024}')"
  echo "go_version=$(go env GOVERSION)"
  echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "warmup_items=$warmup"
} >"$env"

server_pid=""
pg_stop=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  if [ -n "$pg_stop" ]; then eval "$pg_stop" || true; fi
}
trap cleanup EXIT

# bench_db NAME [--database-url URL]: a fresh server on a fresh data
# directory, a warm-up, two measured runs, SIGTERM, then the database is
# counted directly.
bench_db() {
  local name=$1
  shift
  local data="$out/ingest-data-$name"
  rm -rf "$data"
  mkdir -p "$data"
  local token
  token=$("$out/ingest-vigil" token create --data "$data" "$@" --name ingestbench --scope ingest 2>&1 | grep -o 'vgl_[A-Za-z0-9_-]*' | head -n 1)
  if [ -z "$token" ]; then
    log "$name: vigil token create printed no token"
    return 1
  fi
  local url
  serve_vigil "ingest-serve-$name" 600 "$out/ingest-vigil" --data "$data" "$@" || return 1
  log "$name: server at $url (pid $server_pid)"
  local common=(--url "$url" --token "$token" --corpus "$corpus" --database "$name" --clients "$clients" --batch "$batch")
  "$ib" run "${common[@]}" --items "$warmup" --label warm-up --json "$out/ingest-$name-0.json"
  for run in 1 2; do
    log "$name: run $run ($items items)"
    "$ib" run "${common[@]}" --items "$items" --label "run $run" --json "$out/ingest-$name-$run.json"
  done
  log "$name: SIGTERM"
  kill -TERM "$server_pid"
  if ! wait "$server_pid"; then
    log "$name: the server did not stop cleanly; its log:"
    tail -n 20 "$out/ingest-serve-$name.log" >&2
    return 1
  fi
  server_pid=""
  local dsn="$data/vigil.db"
  if [ $# -ge 2 ]; then dsn=$2; fi
  for run in 0 1 2; do
    "$ib" verify --dsn "$dsn" --json "$out/ingest-$name-$run.json"
  done
  if [ "${INGESTBENCH_KEEP:-0}" != 1 ]; then rm -rf "$data"; fi # ~0.5 GB for SQLite
  results="$results${results:+,}$out/ingest-$name-0.json,$out/ingest-$name-1.json,$out/ingest-$name-2.json"
}

results=""
bench_db sqlite

# PostgreSQL: the given server, or a throwaway cluster exactly as .ci/run
# starts one, except that fsync stays on: a benchmark with fsync off would
# measure a database that can lose committed rows.
if [ "$skip_pg" != 1 ]; then
  pg_url=${VIGIL_BENCH_DATABASE_URL:-}
  if [ -n "$pg_url" ]; then
    echo "pg_setup=the server named by VIGIL_BENCH_DATABASE_URL (its own settings)." >>"$env"
    echo "pg_version=$(psql "$pg_url" -Atc 'SHOW server_version' 2>/dev/null || echo '(version unknown)')" >>"$env"
  else
    if ! pg_throwaway vigil-bench; then
      log "PostgreSQL skipped: no VIGIL_BENCH_DATABASE_URL, and no Debian postgresql package or not root"
      echo "pg_skipped=no PostgreSQL server: set VIGIL_BENCH_DATABASE_URL, or run as root with the Debian postgresql package installed" >>"$env"
    else
      fsync=$(runuser -u postgres -- "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U vigil -d vigil_bench -Atc 'SHOW fsync')
      sync_commit=$(runuser -u postgres -- "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U vigil -d vigil_bench -Atc 'SHOW synchronous_commit')
      echo "pg_version=$("$pgbin/postgres" --version | awk '{print $3}')" >>"$env"
      echo "pg_setup=a throwaway cluster the script starts the way \`.ci/run\` does (Debian package, \`initdb\` as the \`postgres\` user, a free local port, TCP on 127.0.0.1) but with **fsync left on** (fsync=$fsync, synchronous_commit=$sync_commit; \`.ci/run\` turns fsync off for speed, which would flatter this figure), other settings at their defaults, on the same two cores and disk as everything else." >>"$env"
    fi
  fi
  if [ -n "$pg_url" ]; then
    bench_db postgres --database-url "$pg_url"
  fi
  if [ -n "$pg_stop" ]; then
    eval "$pg_stop"
    pg_stop=""
  fi
fi

log "detection stage cost in process"
"$ib" scancost --corpus "$corpus" --items 30000 --json "$out/ingest-scancost.json" || log "scancost failed (left out of the report)"

log "the consumer's stages in process"
if INGESTBENCH_CORPUS="$PWD/$corpus" go test -tags stagebench -run '^$' -bench Stage -benchtime 20x ./bench/ingestbench/ \
  >"$out/ingest-stages.raw" 2>&1; then
  grep '^Benchmark' "$out/ingest-stages.raw" >"$out/ingest-stages.txt" || true
else
  log "the stage benchmarks did not run (package mid-edit?); left out:"
  tail -n 5 "$out/ingest-stages.raw" >&2
fi

if [ "$profile" = 1 ]; then
  log "profiling the in-process BenchmarkIngestHTTP (SQLite, no detection stage)"
  if env -u VIGIL_TEST_DATABASE_URL go test ./web/ -run '^$' -bench 'BenchmarkIngestHTTP/sqlite' -benchtime 100x \
    -cpuprofile "$out/ingest-web.cpu.prof" -o "$out/ingest-web.test" >"$out/ingest-bench.raw" 2>&1; then
    grep '^Benchmark' "$out/ingest-bench.raw" >"$out/ingest-bench.txt" || true
    {
      echo "The 20 functions with the most flat time (go tool pprof -top):"
      echo
      go tool pprof -top -nodecount=20 "$out/ingest-web.test" "$out/ingest-web.cpu.prof" 2>/dev/null | sed -n '/flat%/,$p'
      echo
      echo "Vigil's own functions by cumulative time (go tool pprof -top -cum -show='^vigil/'):"
      echo
      go tool pprof -top -cum -show='^vigil/' -nodecount=20 "$out/ingest-web.test" "$out/ingest-web.cpu.prof" 2>/dev/null | sed -n '/flat%/,$p'
    } >"$out/ingest-profile.txt" || true
  else
    log "the web benchmark did not run (package mid-edit?); profile left out:"
    tail -n 5 "$out/ingest-bench.raw" >&2
  fi
fi

echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$env"
"$ib" report --results "$results" --shell "$env" --scancost "$out/ingest-scancost.json" \
  --profile "$out/ingest-profile.txt" --bench "$out/ingest-bench.txt" --stages "$out/ingest-stages.txt" \
  --doc docs/BENCHMARKS.md
log "wrote docs/BENCHMARKS.md"
