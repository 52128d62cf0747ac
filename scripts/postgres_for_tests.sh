#!/usr/bin/env bash
# Install (Debian's package) and start a local PostgreSQL for the second test run; print its URL.
# Listens on 127.0.0.1 only. Needs root, as CI has.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  if su postgres -c "psql -tAc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done
su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'reservrutin-test'\"" >/dev/null
port=$(su postgres -c "psql -tAc 'show port'")
echo "postgresql+psycopg://postgres:reservrutin-test@127.0.0.1:${port}/postgres"
