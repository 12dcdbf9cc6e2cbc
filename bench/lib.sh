# bench/lib.sh: shell helpers the bench scripts share (source it; not run).

# pg_throwaway PREFIX: start a throwaway PostgreSQL cluster from the Debian
# package, the way .ci/run does (initdb as the postgres user, a free local
# port, TCP on 127.0.0.1) but with fsync left on: a benchmark with fsync off
# would measure a database that can lose committed rows. Sets pg_url,
# pg_stop (a command for eval), pgbin and pg_port; returns 1, setting
# nothing, when there is no postgresql package or we are not root.
pg_throwaway() {
  local prefix=$1 dir
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$pgbin" ] || [ "$(id -u)" != 0 ] || ! id postgres >/dev/null 2>&1; then
    return 1
  fi
  dir=$(mktemp -d "/tmp/$prefix-pg.XXXXXX")
  chown postgres:postgres "$dir"
  pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  runuser -u postgres -- "$pgbin/initdb" -D "$dir/data" -U vigil --auth=trust -E UTF8 >/dev/null
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  pg_stop="runuser -u postgres -- '$pgbin/pg_ctl' -D '$dir/data' -m fast stop >/dev/null 2>&1; rm -rf '$dir'"
  runuser -u postgres -- "$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U vigil vigil_bench
  pg_url="postgres://vigil@127.0.0.1:$pg_port/vigil_bench?sslmode=disable"
}

# build OUT PKG: other engineers may be editing the tree while a benchmark
# starts, so a package may not compile for a moment; try a few times.
build() {
  local try
  for try in 1 2 3; do
    if go build -o "$1" "$2"; then return 0; fi
    log "building $2 failed (attempt $try); retrying in 20 s"
    sleep 20
  done
  return 1
}

# serve_vigil NAME TRIES BIN ARGS...: start `BIN serve ARGS --addr
# 127.0.0.1:0` in the background, stdout in $out/NAME.out and stderr in
# $out/NAME.log, and wait up to TRIES x 0.1 s for it to print its URL.
# Sets server_pid and url; on failure shows the log and returns 1.
serve_vigil() {
  local name=$1 tries=$2 bin=$3 i
  shift 3
  "$bin" serve "$@" --addr 127.0.0.1:0 --log-level warn >"$out/$name.out" 2>"$out/$name.log" &
  server_pid=$!
  url=""
  for i in $(seq 1 "$tries"); do
    url=$(grep -o 'running at http://[^ /]*' "$out/$name.out" 2>/dev/null | head -n 1 | sed 's/^running at //') || true
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    log "$name: the server did not print its URL; its log:"
    tail -n 20 "$out/$name.log" >&2
    return 1
  fi
}
