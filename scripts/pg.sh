#!/usr/bin/env bash
# A project-local PostgreSQL cluster, run from the installed server programs (no Docker needed).
#
#   scripts/pg.sh start   DIR PORT [--fast]   initdb DIR if needed, start it on 127.0.0.1:PORT,
#                                             create database "encounters", print the connection string
#   scripts/pg.sh stop    DIR                 stop the cluster in DIR (no-op if not running)
#   scripts/pg.sh destroy DIR                 stop it and delete DIR (and its data)
#
# --fast (throwaway test clusters only): fsync=off, synchronous_commit=off, full_page_writes=off.
# A crash can corrupt such a cluster; never use it for data you want to keep.
#
# Layout of DIR:
#   DIR/data          the data folder (PGDATA)
#   DIR/log           the server log
#   DIR/.s.PGSQL.PORT the unix socket (clients here use TCP on 127.0.0.1; the socket is a bonus)
#
# Root: initdb refuses to run as root, so as root the server runs as the `postgres` user, which
# must own the cluster and be able to reach it. If the folder holding DIR is not traversable by
# `postgres` (a repository under /root, or a 0700 folder from mktemp -d), we do NOT loosen the
# permissions of the user's folders; the cluster lives instead in a postgres-owned folder under
# the postgres user's home (~postgres/encounters-clusters/<name>-<hash of DIR>) and DIR becomes a
# symlink to it. `destroy` removes both. As a normal user, everything runs as that user in DIR.
set -euo pipefail

DB_NAME=encounters
PROG=${0##*/}

die() { echo "$PROG: $*" >&2; exit 1; }
say() { echo "$PROG: $*" >&2; }

usage() {
  cat >&2 <<EOF
usage: $PROG start DIR PORT [--fast]
       $PROG stop DIR
       $PROG destroy DIR
EOF
  exit 2
}

is_root() { [[ $(id -u) -eq 0 ]]; }

# --- locating (and if need be installing) the server programs -------------------------------

find_bindir() {
  local d
  if d=$(pg_config --bindir 2>/dev/null) && [[ -x $d/initdb && -x $d/pg_ctl ]]; then
    echo "$d"; return 0
  fi
  # Newest installed major version first.
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
    if [[ -x $d/initdb && -x $d/pg_ctl ]]; then echo "$d"; return 0; fi
  done
  return 1
}

ensure_bindir() {
  if BINDIR=$(find_bindir); then return 0; fi
  if ! is_root; then
    die "PostgreSQL server programs (initdb, pg_ctl) not found (pg_config --bindir, /usr/lib/postgresql/*/bin).
Install them first, e.g.: sudo apt-get install -y postgresql"
  fi
  say "PostgreSQL server programs not found; installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y postgresql >&2
  BINDIR=$(find_bindir) || die "installed postgresql, but still no initdb/pg_ctl found"
}

# --- running as the cluster's owner ------------------------------------------------------------

# Run a server program as the cluster owner: `postgres` when we are root, else ourselves.
# From / so that postgres never trips over an unreadable working directory.
as_owner() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

ensure_postgres_user() {
  is_root || return 0
  if ! id postgres >/dev/null 2>&1; then
    say "creating system user postgres"
    useradd --system --home-dir /var/lib/postgresql --create-home --shell /bin/bash postgres
  fi
}

postgres_home() {
  local h
  h=$(getent passwd postgres | cut -d: -f6)
  [[ -n $h && -d $h ]] || h=/var/lib/postgresql
  echo "$h"
}

# Can the postgres user reach (traverse) folder $1?
postgres_can_reach() { (cd / && runuser -u postgres -- test -x "$1") 2>/dev/null; }

# --- paths -------------------------------------------------------------------------------------

# Absolute DIR as given (symlink not resolved), and the real cluster folder (symlink resolved).
abs_path() {
  local p=$1
  [[ $p == /* ]] || p="$PWD/$p"
  # Normalise . and .. without resolving a final symlink.
  echo "$(cd "$(dirname "$p")" 2>/dev/null && pwd -P || realpath -m "$(dirname "$p")")/$(basename "$p")"
}

resolve_dirs() {
  DIR_ABS=$(abs_path "$1")
  if [[ -L $DIR_ABS ]]; then
    REAL=$(readlink -f "$DIR_ABS")
  else
    REAL=$DIR_ABS
  fi
  PGDATA_DIR=$REAL/data
  LOGFILE=$REAL/log
}

# Prepare the folder for a new cluster (start only): create it, hand it to postgres when root.
prepare_dir() {
  if [[ -e $REAL/data/PG_VERSION ]]; then return 0; fi
  mkdir -p "$(dirname "$DIR_ABS")"
  if is_root && [[ ! -L $DIR_ABS ]]; then
    if ! postgres_can_reach "$(dirname "$DIR_ABS")"; then
      # See the header: keep the user's folder permissions, put the cluster where postgres can go.
      local base hash
      base=$(postgres_home)/encounters-clusters
      hash=$(printf '%s' "$DIR_ABS" | sha1sum | cut -c1-10)
      REAL=$base/$(basename "$DIR_ABS")-$hash
      if [[ -e $DIR_ABS && -n $(ls -A "$DIR_ABS" 2>/dev/null) ]]; then
        die "$DIR_ABS exists, is not empty, and user postgres cannot reach it; remove it or choose another DIR"
      fi
      rmdir "$DIR_ABS" 2>/dev/null || true
      mkdir -p "$REAL"
      chown postgres:postgres "$base"
      ln -sfn "$REAL" "$DIR_ABS"
      say "postgres cannot traverse $(dirname "$DIR_ABS"); cluster kept in $REAL ($DIR_ABS links to it)"
      PGDATA_DIR=$REAL/data
      LOGFILE=$REAL/log
    fi
  fi
  mkdir -p "$REAL"
  if is_root; then
    chown -R postgres:postgres "$REAL"
    postgres_can_reach "$REAL" || die "user postgres cannot reach $REAL"
  fi
  chmod 0700 "$REAL"
}

# Unix socket folder: DIR itself, unless the socket path would exceed the ~107-byte limit
# (then no unix socket at all; every client here connects over TCP).
socket_dir() {
  local port=$1
  if (( ${#REAL} + ${#port} + 12 <= 100 )); then echo "$REAL"; else echo ""; fi
}

is_running() { [[ -f $PGDATA_DIR/PG_VERSION ]] && as_owner "$BINDIR/pg_ctl" status -D "$PGDATA_DIR" >/dev/null 2>&1; }

running_port() { sed -n 4p "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true; }

psql_q() { # port sql...
  local port=$1; shift
  PGCONNECT_TIMEOUT=10 "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@"
}

# --- commands ----------------------------------------------------------------------------------

cmd_start() {
  local dir=$1 port=$2 fast=$3
  [[ $port =~ ^[0-9]+$ ]] && (( port > 0 && port < 65536 )) || die "bad PORT: $port"
  ensure_bindir
  ensure_postgres_user
  resolve_dirs "$dir"
  prepare_dir

  if [[ ! -f $PGDATA_DIR/PG_VERSION ]]; then
    # Leftovers of an initdb that did not finish would make initdb refuse the folder.
    [[ -d $PGDATA_DIR ]] && rm -rf -- "$PGDATA_DIR"
    say "initialising a cluster in $PGDATA_DIR"
    as_owner "$BINDIR/initdb" -D "$PGDATA_DIR" --auth=trust -U postgres --encoding=UTF8 \
      --locale=C.UTF-8 >"$REAL/initdb.log" 2>&1 \
      || as_owner "$BINDIR/initdb" -D "$PGDATA_DIR" --auth=trust -U postgres --encoding=UTF8 \
           --locale=C >"$REAL/initdb.log" 2>&1 \
      || { cat "$REAL/initdb.log" >&2; die "initdb failed"; }
    # Our settings live in one file, rewritten at each start (so PORT and --fast always apply).
    echo "include_if_exists = 'encounters.conf'" | as_owner tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
  fi

  if is_running; then
    local current; current=$(running_port)
    if [[ -n $current && $current != "$port" ]]; then
      say "already running on port $current (not $port); leaving it as is"
      port=$current
    else
      say "already running"
    fi
  else
    local sock; sock=$(socket_dir "$port")
    {
      echo "# Written by scripts/pg.sh at each start; edits are overwritten."
      echo "listen_addresses = '127.0.0.1'"
      echo "port = $port"
      echo "unix_socket_directories = '$sock'"
      echo "max_connections = 200"
      if [[ $fast == 1 ]]; then
        echo "# --fast: a throwaway cluster"
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
      fi
    } | as_owner tee "$PGDATA_DIR/encounters.conf" >/dev/null
    say "starting on 127.0.0.1:$port$([[ $fast == 1 ]] && echo ' (fast, throwaway)') — log: $LOGFILE"
    if ! as_owner "$BINDIR/pg_ctl" start -w -t 60 -D "$PGDATA_DIR" -l "$LOGFILE" >/dev/null; then
      tail -n 30 "$LOGFILE" >&2 || true
      die "could not start PostgreSQL in $PGDATA_DIR on port $port (is the port in use?)"
    fi
  fi

  local ok=0
  for _ in $(seq 1 30); do
    if psql_q "$port" -c 'select 1' >/dev/null 2>&1; then ok=1; break; fi
    sleep 1
  done
  (( ok )) || die "PostgreSQL on 127.0.0.1:$port does not accept connections"
  if [[ -z $(psql_q "$port" -tA -c "select 1 from pg_database where datname = '$DB_NAME'") ]]; then
    psql_q "$port" -c "create database $DB_NAME" >/dev/null
    say "created database $DB_NAME"
  fi
  echo "Host=127.0.0.1;Port=$port;Database=$DB_NAME;Username=postgres"
}

cmd_stop() {
  resolve_dirs "$1"
  if [[ ! -f $PGDATA_DIR/PG_VERSION ]]; then
    say "no cluster in $DIR_ABS"; return 0
  fi
  BINDIR=$(find_bindir) || die "PostgreSQL server programs not found; cannot stop $PGDATA_DIR"
  if is_running; then
    as_owner "$BINDIR/pg_ctl" stop -w -t 60 -m fast -D "$PGDATA_DIR" >/dev/null \
      || as_owner "$BINDIR/pg_ctl" stop -w -t 30 -m immediate -D "$PGDATA_DIR" >/dev/null
    say "stopped $DIR_ABS"
  else
    say "not running: $DIR_ABS"
  fi
}

cmd_destroy() {
  cmd_stop "$1"
  resolve_dirs "$1"
  if [[ -L $DIR_ABS ]]; then
    rm -rf -- "$REAL"
    rm -f -- "$DIR_ABS"
  else
    rm -rf -- "$DIR_ABS"
  fi
  say "destroyed $DIR_ABS"
}

[[ $# -ge 2 ]] || usage
case $1 in
  start)
    [[ $# -ge 3 && $# -le 4 ]] || usage
    fast=0
    if [[ $# -eq 4 ]]; then [[ $4 == --fast ]] || usage; fast=1; fi
    cmd_start "$2" "$3" "$fast" ;;
  stop)    [[ $# -eq 2 ]] || usage; cmd_stop "$2" ;;
  destroy) [[ $# -eq 2 ]] || usage; cmd_destroy "$2" ;;
  *) usage ;;
esac
