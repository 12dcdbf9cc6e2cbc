#!/usr/bin/env bash
# bench/portal.sh: the law-enforcement portal under load. Starts the real
# `vigil serve --demo` (SQLite, then PostgreSQL), signs in as the demo
# lecontact (le_response) and the demo officer through the pages, seeds
# requests through the portal's new-request form, then drives the JSON
# queue API and request submission with wrk on loopback (p50/p99,
# requests/s), and times the 1,000-account production package build.
# Rewrites the "Law-enforcement portal" section of docs/BENCHMARKS.md;
# leaves the other sections alone.
#
# Environment knobs (defaults in brackets):
#   PORTALBENCH_SEED [1000]          requests submitted through the portal form before measuring
#   PORTALBENCH_DURATION [15s]       each wrk run
#   PORTALBENCH_THREADS [2]          wrk threads
#   PORTALBENCH_CONNECTIONS [8]      wrk connections for the queue API
#   PORTALBENCH_SUBMIT_CONNECTIONS [4] wrk connections for submissions
#   PORTALBENCH_PACED_CONNECTIONS [14] wrk connections of the paced queue run (20 ms pause each)
#   PORTALBENCH_DEMO_ACCOUNTS [2000] accounts in the demo platform
#   VIGIL_BENCH_DATABASE_URL         PostgreSQL to use (an empty database); unset: a throwaway cluster is
#                                    started the way bench/ingest.sh does (needs root and the Debian postgresql package)
#   PORTALBENCH_SKIP_POSTGRES [0]    1 to run SQLite only
# Everything besides the document goes to bench/out/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

seed=${PORTALBENCH_SEED:-1000}
duration=${PORTALBENCH_DURATION:-15s}
threads=${PORTALBENCH_THREADS:-2}
conns=${PORTALBENCH_CONNECTIONS:-8}
sconns=${PORTALBENCH_SUBMIT_CONNECTIONS:-4}
pconns=${PORTALBENCH_PACED_CONNECTIONS:-14}
accounts=${PORTALBENCH_DEMO_ACCOUNTS:-2000}
skip_pg=${PORTALBENCH_SKIP_POSTGRES:-0}
out=bench/out
pb="$out/portalbench"
mkdir -p "$out"
rm -f "$out"/portal-wrk-*.txt "$out/portal-build.txt"

log() { echo "portal.sh: $*" >&2; }

if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk (Debian package)"
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else
    sudo apt-get install -y wrk >/dev/null
  fi
fi

# build OUT PKG: other engineers edit the tree while this runs, so a
# package may not compile for a moment; try a few times before giving up.
log "building"
build "$out/portal-vigil" ./cmd/vigil
build "$pb" ./bench/portalbench

env="$out/portal.env"
mem_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc=$(nproc)"
  echo "cpu_model=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "mem=$(awk -v k="$mem_kb" 'BEGIN {printf "%.1f GB", k / 1024 / 1024}')"
  echo "go_version=$(go env GOVERSION)"
  echo "wrk_version=$(wrk -v 2>&1 | head -n 1 | awk '{print $1, $2}')"
  echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "seeded=$seed"
  echo "duration=$duration"
} >"$env"

server_pid=""
pg_stop=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  if [ -n "$pg_stop" ]; then eval "$pg_stop" || true; fi
}
trap cleanup EXIT

wrks=""
# bench_db NAME [--database-url URL]: a fresh demo server, sign-ins, the
# seed, the wrk runs, SIGTERM.
bench_db() {
  local name=$1
  shift
  local data="$out/portal-data-$name"
  rm -rf "$data"
  mkdir -p "$data"
  local url
  serve_vigil "portal-serve-$name" 3000 "$out/portal-vigil" --demo --demo-accounts "$accounts" --data "$data" "$@" || return 1
  log "$name: server at $url (pid $server_pid)"
  local staff officer
  staff=$("$pb" login --url "$url" --kind staff --user lecontact --password demo-lecontact-passphrase)
  officer=$("$pb" login --url "$url" --kind officer --user det.rivera@demo-county-sheriff.gov --password demo-officer-passphrase)
  local scookie ocookie ocsrf
  scookie=$(sed -n 's/^cookie=//p' <<<"$staff")
  ocookie=$(sed -n 's/^cookie=//p' <<<"$officer")
  ocsrf=$(sed -n 's/^csrf=//p' <<<"$officer")
  log "$name: seeding $seed requests through the portal form"
  "$pb" seed --url "$url" --cookie "$ocookie" --csrf "$ocsrf" --n "$seed"
  "$pb" form --out "$out" --cookie "$ocookie" --csrf "$ocsrf"
  local f
  for limit in 100 1000; do
    f="$out/portal-wrk-$name-queue$limit.txt"
    log "$name: wrk GET /api/v1/requests?limit=$limit"
    wrk -t "$threads" -c "$conns" -d "$duration" --latency -H "Cookie: vigil_session=$scookie" \
      "$url/api/v1/requests?limit=$limit" >"$f"
    wrks="$wrks${wrks:+,}$name:queue API ($limit rows):$conns=$f"
  done
  # Paced: each connection waits 20 ms after every answer, so N
  # connections offer at most N/(20 ms + latency) requests/s: about 550
  # to 640 for 14 (roughly what wrk2's fixed rate would do), and the
  # latency is not inflated by the closed loop's queueing.
  f="$out/portal-wrk-$name-queue-paced.txt"
  printf 'function delay()\n  return 20\nend\n' >"$out/portal-paced.lua"
  log "$name: wrk GET /api/v1/requests paced ($pconns connections, 20 ms pause)"
  wrk -t "$threads" -c "$pconns" -d "$duration" --latency -s "$out/portal-paced.lua" -H "Cookie: vigil_session=$scookie" \
    "$url/api/v1/requests" >"$f"
  wrks="$wrks${wrks:+,}$name:queue API (100 rows) paced with a 20 ms pause:$pconns=$f"
  f="$out/portal-wrk-$name-submit.txt"
  log "$name: wrk POST /portal/requests"
  wrk -t "$threads" -c "$sconns" -d "$duration" --latency -s "$out/portal-submit.lua" "$url/portal/requests" >"$f"
  wrks="$wrks${wrks:+,}$name:request submission (portal form):$sconns=$f"
  log "$name: SIGTERM"
  kill -TERM "$server_pid"
  if ! wait "$server_pid"; then
    log "$name: the server did not stop cleanly; its log:"
    tail -n 20 "$out/portal-serve-$name.log" >&2
  fi
  server_pid=""
  rm -rf "$data"
}

bench_db sqlite

if [ "$skip_pg" != 1 ]; then
  pg_url=${VIGIL_BENCH_DATABASE_URL:-}
  if [ -n "$pg_url" ]; then
    echo "pg_version=$(psql "$pg_url" -Atc 'SHOW server_version' 2>/dev/null || echo '(version unknown)')" >>"$env"
  else
    if ! pg_throwaway vigil-portalbench; then
      log "PostgreSQL skipped: no VIGIL_BENCH_DATABASE_URL, and no Debian postgresql package or not root"
      echo "pg_skipped=no PostgreSQL server: set VIGIL_BENCH_DATABASE_URL, or run as root with the Debian postgresql package installed" >>"$env"
    else
      echo "pg_version=$("$pgbin/postgres" --version | awk '{print $3}')" >>"$env"
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

log "production package build (BenchmarkBuild1000Accounts)"
if ! go test ./production/ -run '^$' -bench 'BenchmarkBuild1000Accounts' -benchtime 5x >"$out/portal-build.txt" 2>&1; then
  log "the production benchmark did not run (package mid-edit?); left out:"
  tail -n 5 "$out/portal-build.txt" >&2
fi

echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$env"
"$pb" report --env "$env" --wrk "$wrks" --build "$out/portal-build.txt" --doc docs/BENCHMARKS.md
log "wrote docs/BENCHMARKS.md"
