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
