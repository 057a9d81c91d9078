#!/usr/bin/env bash
# make chaos: three nodes on one PostgreSQL, under load from clients that retry with their Idempotency-Key.
#   1. a fresh PostgreSQL (durable settings) and a Release build with pre-generated code, in Production
#   2. three nodes started at once on the empty database (as an orchestrator starts replicas)
#   3. tests/Encounters.Load --chaos drives load round-robin over the nodes; meanwhile node 2 gets kill -9,
#      PostgreSQL is stopped and started again, and node 2 is brought back
#   4. after the load: time until every async projection reaches the newest event, and every acknowledged
#      write looked up in the event store (exactly once)
# Traffic goes to 127.0.0.1 only. CHAOS_SECONDS (default 45) is the length of the load.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${CHAOS_SECONDS:-45}
key="chaos-signing-key-$(date +%s)-0123456789abcdefghijklmnop"
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$1; while port_busy "$p"; do p=$((p + 1)); done; echo "$p"; }
db_port=$(free_port "${CHAOS_PG_PORT:-55440}")
ports=() next=${CHAOS_APP_PORT:-5191}
for _ in 1 2 3; do p=$(free_port "$next"); ports+=("$p"); next=$((p + 1)); done

work=$(mktemp -d /tmp/encounters-chaos.XXXXXX)
chmod 0755 "$work"
pg_dir="$work/pg"
pids=(0 0 0)
cleanup() {
  # The nodes' logs stay in artifacts/chaos for a look afterwards.
  mkdir -p artifacts/chaos && cp "$work"/*.log "$work"/load.md artifacts/chaos/ 2>/dev/null || true
  for pid in "${pids[@]}"; do [[ $pid != 0 ]] && kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/pg.sh destroy "$pg_dir" >/dev/null 2>&1 || true
  rm -rf src/Encounters.Api/Internal/Generated "$work"
}
trap cleanup EXIT
say() { echo "chaos: $*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

scripts/pg.sh start "$pg_dir" "$db_port" >/dev/null
conn="Host=127.0.0.1;Port=$db_port;Database=encounters;Username=postgres"

say "Release build with pre-generated handlers"
export ConnectionStrings__Encounters="$conn" Auth__SigningKey="$key"
dotnet build src/Encounters.Api -c Release -v quiet -nologo >/dev/null
dotnet run --no-build --project src/Encounters.Api -c Release -- codegen write >/dev/null
dotnet publish src/Encounters.Api -c Release -o "$work/app" -v quiet -nologo >/dev/null
dotnet build tests/Encounters.Load -c Release -v quiet -nologo >/dev/null

start_node() { # index
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Logging__LogLevel__Encounters=Information \
    dotnet "$work/app/Encounters.Api.dll" --urls "http://127.0.0.1:${ports[$1]}" >> "$work/node$1.log" 2>&1 &
  pids[$1]=$!
}
# Waits until node $1 is ready (0) or has died (1); at most 120 s.
wait_ready() {
  for _ in $(seq 1 1200); do
    curl -sf "http://127.0.0.1:${ports[$1]}/health/ready" >/dev/null && return 0
    kill -0 "${pids[$1]}" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

say "starting 3 nodes at once on the empty database (ports ${ports[*]})"
t0=$(now_ms)
for i in 0 1 2; do start_node "$i"; done
ready_together=0 start_report=""
for i in 0 1 2; do
  if wait_ready "$i"; then
    ready_together=$((ready_together + 1)); start_report+="node $i ready after $(( $(now_ms) - t0 )) ms; "
  else
    why=$(grep -oE '(42P07|23505)[^\\"]{0,100}' "$work/node$i.log" | head -n 1 || true)
    [[ -n $why ]] || why=$(grep -oE '[A-Za-z.]*Exception[^\\"]{0,100}' "$work/node$i.log" | head -n 1 || true)
    start_report+="node $i FAILED: $why; "
    kill "${pids[$i]}" 2>/dev/null || true
    start_node "$i"; wait_ready "$i" || { say "node $i does not start:"; tail -n 30 "$work/node$i.log" >&2; exit 1; }
  fi
done
say "$start_report"

urls=$(printf 'http://127.0.0.1:%s,' "${ports[@]}"); urls=${urls%,}
say "load for ${seconds}s from retrying clients"
dotnet tests/Encounters.Load/bin/Release/net10.0/Encounters.Load.dll --chaos --urls "$urls" --key "$key" --db "$conn" \
  --seconds "$seconds" --users "${CHAOS_USERS:-12}" > "$work/load.md" &
load_pid=$!
load_start=$(now_ms)

sleep 10
say "kill -9 node 1"; kill -9 "${pids[1]}"; wait "${pids[1]}" 2>/dev/null || true; pids[1]=0; killed_at=$(( $(now_ms) - load_start ))
sleep 5
say "stopping PostgreSQL"; pg_down_at=$(( $(now_ms) - load_start ))
scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1
sleep 1
probe_start=$(now_ms)
ready_during_outage=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:${ports[0]}/health/ready" || true)
ready_during_outage+=" in $(( $(now_ms) - probe_start )) ms"
sleep 2
scripts/pg.sh start "$pg_dir" "$db_port" >/dev/null 2>&1; pg_up_at=$(( $(now_ms) - load_start ))
say "PostgreSQL is back"
sleep 3
say "bringing node 1 back"; start_node 1; back_at=$(( $(now_ms) - load_start ))
wait_ready 1 || { say "node 1 does not come back:"; tail -n 30 "$work/node1.log" >&2; exit 1; }
ready_at=$(( $(now_ms) - load_start ))

load_rc=0
wait "$load_pid" || load_rc=$?
unhandled=$(cat "$work"/node*.log | grep -c 'Unhandled error' || true)

echo "### make chaos — $(date -u +%FT%TZ) — $(nproc) cores, 3 nodes, ${CHAOS_USERS:-12} retrying clients, ${seconds}s of load"
echo
echo "| figure | value |"
echo "|---|---|"
echo "| nodes ready when started together on an empty database | $ready_together of 3 |"
echo "| start-up | ${start_report%; } |"
echo "| timeline (ms after the load started) | kill -9 node 1 at $killed_at; PostgreSQL down $pg_down_at–$pg_up_at; node 1 started at $back_at, ready at $ready_at |"
echo "| node 0's /health/ready while PostgreSQL was down | $ready_during_outage |"
echo "| 'Unhandled error' lines in the nodes' logs | $unhandled |"
tail -n +3 "$work/load.md"
(( ready_together == 3 && load_rc == 0 )) || { say "FAILED (nodes ready together: $ready_together of 3, load exit $load_rc)"; exit 1; }
