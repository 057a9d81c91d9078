#!/usr/bin/env bash
# `make test`: build, start a throwaway PostgreSQL, run the suite against it, always destroy it.
#
#   scripts/test.sh [extra dotnet test arguments, e.g. --filter Name~Visit]
#
# Results: artifacts/test-results/results.trx (removed and rewritten on each run).
# Exit code: dotnet test's (non-zero on any failure), or the build's / the database's if those fail.
# Environment: TEST_PG_PORT (first port to try, default 55433; the next free one is taken).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RESULTS=artifacts/test-results
PORT=${TEST_PG_PORT:-55433}

# Old results first, so that a failed build never leaves a stale TRX behind to be read.
rm -rf -- "$RESULTS"

# Locked mode: packages.lock.json decides every package; a registry that changes under us fails here
# with NU1004/NU1101 naming the package instead of silently resolving to something else.
echo "==> dotnet restore Encounters.sln --locked-mode"
dotnet restore Encounters.sln --locked-mode
echo "==> dotnet build Encounters.sln -c Debug"
dotnet build Encounters.sln -c Debug --no-restore

# A port nobody listens on, from $PORT upwards.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in $(seq 1 50); do
  port_busy "$PORT" || break
  PORT=$((PORT + 1))
done
port_busy "$PORT" && { echo "test.sh: no free port found from ${TEST_PG_PORT:-55433}" >&2; exit 1; }

TMP=$(mktemp -d -t encounters-test.XXXXXX)
# mktemp -d makes a 0700 folder; let the postgres user (root runs the server as postgres) reach it.
chmod 0755 "$TMP"
PG_DIR=$TMP/pg

cleanup() {
  local rc=$?
  "$ROOT/scripts/pg.sh" destroy "$PG_DIR" || echo "test.sh: WARNING: could not destroy $PG_DIR" >&2
  rm -rf -- "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "==> throwaway PostgreSQL in $PG_DIR on port $PORT"
CONN=$("$ROOT/scripts/pg.sh" start "$PG_DIR" "$PORT" --fast)

mkdir -p "$RESULTS"

echo "==> dotnet test tests/Encounters.Tests ($CONN)"
set +e
# DATABASE_URL is cleared so that a developer's own database is never touched by the suite.
env -u DATABASE_URL ConnectionStrings__Encounters="$CONN" \
  dotnet test tests/Encounters.Tests --no-build \
    --logger "trx;LogFileName=results.trx" --results-directory "$RESULTS" "$@"
rc=$?
set -e
echo "==> dotnet test exited with $rc"
exit "$rc"
