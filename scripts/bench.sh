#!/usr/bin/env bash
# make bench: the clinic's morning rush against a Release build with production settings.
#   1. its own PostgreSQL (durable settings, not the test cluster's --fast ones)
#   2. pgbench's one-row jsonb insert at 4 and 16 clients: the machine's ceiling for one durable write
#   3. Release build with Wolverine's code pre-generated (codegen write), started in Production
#   4. tests/Encounters.Load drives it over HTTP; Markdown to stdout, JSON to artifacts/bench/
# BENCH_QUICK=1 runs shorter levels (4 and 16 users, 8 s each) after the warm-up (BENCH_WARMUP_SECONDS, default 90): about seven minutes.
# BENCH_PRELOAD_VISITS=N instead compares the empty database with one holding N more finished visits (over
# BENCH_PRELOAD_DAYS days, default 90), written through the event store: the same open-loop level (16 users at
# BENCH_RATE commands/s, default 40) and 300-entry timeline read in each phase, with the top statements of each.
# Before the service starts, the reference floor (tests/Encounters.Load FloorServer: the same visits, each command's durable
# writes in one transaction, its own process and schema) runs alone on BENCH_FLOOR_PORT; the report gives our cost as a multiple.
# BENCH_KEEP_DB=1 keeps the database for inspection. BENCH_SECONDS overrides the length of a level. BENCH_APP_PORT / BENCH_PG_PORT pick the ports (the next free PostgreSQL port from there is taken).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=${BENCH_QUICK:-0}
if [[ $quick == 1 ]]; then levels=4,16; seconds=8; pgbench_seconds=5; else levels=4,16,64; seconds=30; pgbench_seconds=15; fi
seconds=${BENCH_SECONDS:-$seconds}
# An unreported 16-user level before the measured ones, for the service and the floor alike: a node serves for days, and
# its first minute pays the JIT's tiers, which short levels would otherwise count as cost per command.
warm_up=${BENCH_WARMUP_SECONDS:-90}
out=artifacts/bench
key="bench-signing-key-$(date +%s)-0123456789abcdefghijklmnop"
app_port=${BENCH_APP_PORT:-5090}
db_port=${BENCH_PG_PORT:-55434}
while (exec 3<>"/dev/tcp/127.0.0.1/$db_port") 2>/dev/null; do db_port=$((db_port + 1)); done

work=$(mktemp -d /tmp/encounters-bench.XXXXXX)
pg_dir="$work/pg"
service_pid=
floor_pid=
cleanup() {
  [[ -n $floor_pid ]] && kill "$floor_pid" 2>/dev/null && wait "$floor_pid" 2>/dev/null || true
  [[ -n $service_pid ]] && kill "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null || true
  if [[ ${BENCH_KEEP_DB:-0} == 1 ]]; then
    scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1 || true
    echo "bench: database kept in $pg_dir (scripts/pg.sh start $pg_dir $db_port; destroy it when done)" >&2
  else
    scripts/pg.sh destroy "$pg_dir" >/dev/null 2>&1 || true
    rm -rf "$work"
  fi
  rm -rf src/Encounters.Api/Internal/Generated
}
trap cleanup EXIT

scripts/pg.sh start "$pg_dir" "$db_port" >/dev/null
# pg_stat_statements counts the SQL statements a command costs (reported per level); it needs a restart to load.
bindir=$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | tail -n 1)
if [[ -f $bindir/../lib/pg_stat_statements.so ]]; then
  psql -q -h 127.0.0.1 -p "$db_port" -U postgres encounters -c "alter system set shared_preload_libraries = 'pg_stat_statements'"
  # A server's buffer cache, not a laptop's default 128 MB (docs/operations.md): otherwise a preloaded phase measures cache
  # misses on tables that outgrew 128 MB rather than the cost of the queries.
  psql -q -h 127.0.0.1 -p "$db_port" -U postgres encounters -c "alter system set shared_buffers = '2GB'"
  scripts/pg.sh stop "$pg_dir" >/dev/null && scripts/pg.sh start "$pg_dir" "$db_port" >/dev/null
  psql -q -h 127.0.0.1 -p "$db_port" -U postgres encounters -c "create extension if not exists pg_stat_statements"
  # pageinspect: the preload comparison reports the depth of the btree indexes in each phase.
  psql -q -h 127.0.0.1 -p "$db_port" -U postgres encounters -c "create extension if not exists pageinspect" || true
else
  echo "bench: pg_stat_statements not installed; statements per command will read 0" >&2
fi
pg_pid=$(head -n 1 "$pg_dir/data/postmaster.pid")
conn="Host=127.0.0.1;Port=$db_port;Database=encounters;Username=postgres"

echo "bench: pgbench baseline (${pgbench_seconds}s per client count)" >&2
psql -q -h 127.0.0.1 -p "$db_port" -U postgres encounters -c \
  "create table bench_events (stream_id uuid, version int, data jsonb not null, primary key (stream_id, version))"
payload=$(printf '{"type":"vital_signs_recorded","tenant":"bench","facility":"clinic-1","data":{"systolicBp":128,"diastolicBp":82,"pulse":76,"temperatureC":37.1,"spO2":98},"headers":{"userId":"nurse-1","role":"nurse","correlationId":"%s"}}' "$(printf 'a%.0s' {1..150})")
printf "insert into bench_events values (gen_random_uuid(), 1, '%s');\n" "$payload" > "$work/insert.sql"
tps() { "$bindir/pgbench" -n -f "$work/insert.sql" -c "$1" -j 2 -T "$pgbench_seconds" -h 127.0.0.1 -p "$db_port" -U postgres encounters 2>/dev/null \
  | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1; }
tps4=$(tps 4); tps16=$(tps 16)
psql -q -h 127.0.0.1 -p "$db_port" -U postgres encounters -c "drop table bench_events"
echo "bench: pgbench $tps4 TPS at 4 clients, $tps16 at 16" >&2

echo "bench: Release build with pre-generated handlers" >&2
export ConnectionStrings__Encounters="$conn" Auth__SigningKey="$key" Audit__SealKey="bench-audit-seal-key-$key"
dotnet build src/Encounters.Api -c Release -v quiet -nologo >/dev/null
dotnet run --no-build --project src/Encounters.Api -c Release -- codegen write >/dev/null
dotnet publish src/Encounters.Api -c Release -o "$work/app" -v quiet -nologo >/dev/null
dotnet build tests/Encounters.Load -c Release -v quiet -nologo >/dev/null

load=tests/Encounters.Load/bin/Release/net10.0/Encounters.Load.dll
mkdir -p "$out"
if [[ ${BENCH_PRELOAD_VISITS:-0} == 0 ]]; then
  floor_port=${BENCH_FLOOR_PORT:-$((app_port + 1))}
  echo "bench: reference floor on port $floor_port (alone, before the service starts)" >&2
  dotnet "$load" --floor-serve --url "http://127.0.0.1:$floor_port" --db "$conn" > "$work/floor.log" 2>&1 &
  floor_pid=$!
  until curl -sf "http://127.0.0.1:$floor_port/health" >/dev/null; do
    kill -0 "$floor_pid" 2>/dev/null || { echo "bench: the floor died:" >&2; tail -n 40 "$work/floor.log" >&2; exit 1; }
    sleep 0.05
  done
  dotnet "$load" --floor-bench --url "http://127.0.0.1:$floor_port" --key "$key" --seconds "$seconds" --warm-up-seconds "$warm_up" --tenants 3 --db "$conn" \
    --pid "$floor_pid" --pg-pid "$pg_pid" --out "$out/floor.json"
  kill "$floor_pid" && wait "$floor_pid" 2>/dev/null || true
  floor_pid=
fi

echo "bench: starting the service (Production, logging at Warning)" >&2
started=$(date +%s%N)
ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  dotnet "$work/app/Encounters.Api.dll" --urls "http://127.0.0.1:$app_port" > "$work/service.log" 2>&1 &
service_pid=$!
until curl -sf "http://127.0.0.1:$app_port/health/ready" >/dev/null; do
  kill -0 "$service_pid" 2>/dev/null || { echo "bench: the service died:" >&2; tail -n 40 "$work/service.log" >&2; exit 1; }
  sleep 0.05
done
cold_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "bench: ready after ${cold_ms} ms" >&2

preload=()
[[ ${BENCH_PRELOAD_VISITS:-0} != 0 ]] && preload=(--preload "$BENCH_PRELOAD_VISITS" --preload-days "${BENCH_PRELOAD_DAYS:-90}"
  --rate "${BENCH_RATE:-40}") && out_file="$out/preload.json"
dotnet "$load" "${preload[@]}" --url "http://127.0.0.1:$app_port" --key "$key" \
  --levels "$levels" --seconds "$seconds" --warm-up-seconds "$warm_up" --tenants 3 --db "$conn" --pid "$service_pid" --pg-pid "$pg_pid" \
  --pgbench4 "${tps4:-0}" --pgbench16 "${tps16:-0}" --cold-start-ms "$cold_ms" --floor-json "$out/floor.json" --out "${out_file:-$out/latest.json}"
