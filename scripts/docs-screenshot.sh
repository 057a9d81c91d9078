#!/usr/bin/env bash
# `make docs-screenshot`: the API reference (/scalar/) as a person sees it, in headless Chromium, with the browser's
# network log checked: every request must go to the service itself. Writes artifacts/docs/scalar.png.
# DOCS_PORT (5099) and DOCS_PG_PORT (55490) choose the ports. Needs Chromium (Debian's `chromium`; installed here when missing and we are root).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=artifacts/docs
mkdir -p "$OUT"

if ! command -v chromium >/dev/null; then
  [[ $(id -u) == 0 ]] || { echo "docs-screenshot: install chromium first" >&2; exit 1; }
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

TMP=$(mktemp -d -t encounters-docs.XXXXXX); chmod 0755 "$TMP"
# Ports overridable so that several checkouts on one machine do not collide.
PORT=${DOCS_PORT:-5099}
cleanup() { [[ -n ${SERVICE:-} ]] && kill "$SERVICE" 2>/dev/null || true; scripts/pg.sh destroy "$TMP/pg" >/dev/null 2>&1 || true; rm -rf "$TMP"; }
trap cleanup EXIT

CONN=$(scripts/pg.sh start "$TMP/pg" "${DOCS_PG_PORT:-55490}" --fast)
dotnet build src/Encounters.Api -v quiet -nologo >/dev/null
ConnectionStrings__Encounters="$CONN" ASPNETCORE_ENVIRONMENT=Development \
  dotnet run --no-build --project src/Encounters.Api --urls "http://127.0.0.1:$PORT" >"$TMP/service.log" 2>&1 &
SERVICE=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 1; done

# The browser's own background services (updates, accounts…) are switched off where Chromium allows it, and no name but the
# service's resolves, so nothing leaves the machine. What is left of them also shows for about:blank: that baseline is
# subtracted, and any other host the page asked for fails the run.
browse() {
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1440,1000 --virtual-time-budget=15000 \
    --disable-background-networking --disable-component-update --disable-sync --disable-default-apps --no-first-run \
    --disable-domain-reliability --disable-client-side-phishing-detection --disable-features=OptimizationHints,MediaRouter,AutofillServerCommunication \
    --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" --log-net-log="$1" "${@:2}" >/dev/null 2>&1
  grep -o '"url":"[a-z]*://[^/"]*' "$1" | sed 's/"url":"//' | sort -u
}
browse "$TMP/blank.json" --dump-dom about:blank >"$TMP/baseline.txt"
browse "$TMP/page.json" --screenshot="$OUT/scalar.png" "http://127.0.0.1:$PORT/scalar/" >"$OUT/hosts.txt"
echo "hosts the page asked for:"; comm -23 "$OUT/hosts.txt" "$TMP/baseline.txt" | tee "$OUT/page-hosts.txt"
if grep -v -x "http://127.0.0.1:$PORT" "$OUT/page-hosts.txt" | grep -q .; then
  echo "docs-screenshot: the page reached a host other than the service (above)" >&2; exit 1
fi
echo "docs-screenshot: $OUT/scalar.png; every request went to 127.0.0.1:$PORT"
