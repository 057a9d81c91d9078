# Encounters — build, run and test. Needs the .NET 10 SDK and PostgreSQL's server programs
# (scripts/pg.sh installs Debian's `postgresql` package when they are missing and we are root).
#
#   make run       the service on http://127.0.0.1:5080 (Development), against $DATABASE_URL if set,
#                  else against the project-local cluster .data/pg on port 55432 (started for you)
#   make test      build + the whole suite against a throwaway cluster (scripts/test.sh)
#   make bench     the load benchmark (scripts/bench.sh); BENCH_QUICK=1 for a short run
#   make chaos     3 nodes, kill -9 one, restart PostgreSQL, under retrying load; verifies every write (scripts/chaos.sh)
#   make db-start  start the project-local cluster (.data/pg, port 55432)
#   make db-stop   stop it (data kept; `scripts/pg.sh destroy .data/pg` deletes it)
#   make codegen   write Wolverine's pre-generated code (src/Encounters.Api/Internal/Generated)
#   make rebuild-projections
#                  rebuild the timeline, task list, audit trail and turnaround tallies from the events (stop the service first)
#   make docs-screenshot
#                  the API reference in headless Chromium (artifacts/docs/scalar.png); fails if it loads anything external
#   make clean     dotnet clean + remove artifacts/

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

API_PROJECT := src/Encounters.Api
SOLUTION    := Encounters.sln
PG_DIR      := .data/pg
PG_PORT     := 55432
URLS        := http://127.0.0.1:5080
EMBEDDED_CONN := Host=127.0.0.1;Port=$(PG_PORT);Database=encounters;Username=postgres

# Shell snippet: when DATABASE_URL is unset, start the embedded cluster and point the app at it.
# (When it is set, it reaches the app unchanged as the environment variable DATABASE_URL.)
define use_database
if [[ -z "$${DATABASE_URL:-}" ]]; then \
  scripts/pg.sh start $(PG_DIR) $(PG_PORT) >/dev/null; \
  export ConnectionStrings__Encounters='$(EMBEDDED_CONN)'; \
  echo "database: $(PG_DIR) ($(EMBEDDED_CONN))"; \
else \
  echo "database: \$$DATABASE_URL"; \
fi
endef

.PHONY: docs-screenshot help run test bench chaos db-start db-stop codegen rebuild-projections clean

help:
	@sed -n '1,/^$$/p' Makefile | sed 's/^# \{0,1\}//'

run:
	@$(use_database); \
	export ASPNETCORE_ENVIRONMENT=Development; \
	exec dotnet run --project $(API_PROJECT) --urls $(URLS)

test:
	@scripts/test.sh

db-start:
	@scripts/pg.sh start $(PG_DIR) $(PG_PORT)

db-stop:
	@scripts/pg.sh stop $(PG_DIR)

codegen:
	@$(use_database); \
	dotnet run --project $(API_PROJECT) -- codegen write

rebuild-projections:
	@$(use_database); \
	dotnet run --project $(API_PROJECT) -- projections rebuild

clean:
	dotnet clean $(SOLUTION)
	rm -rf artifacts

# The benchmark (scripts/bench.sh): own PostgreSQL, pgbench baseline, Release build with pre-generated
# code in Production, tests/Encounters.Load over HTTP. BENCH_QUICK=1 for a short run.
bench:
	@scripts/bench.sh

# Several nodes, node loss and a database restart under load (scripts/chaos.sh); prints the figures.
chaos:
	@scripts/chaos.sh

docs-screenshot:
	@scripts/docs-screenshot.sh
