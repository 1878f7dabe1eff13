#!/usr/bin/env bash
# Start the local PostgreSQL cluster for the test suite's second leg, only if it is not running.
# Tests connect to 127.0.0.1:5432 as user postgres (trust auth); pytest-django creates and drops
# its own test_<name> database.
set -euo pipefail
host=${PGHOST:-127.0.0.1}
port=${PGPORT:-5432}
if pg_isready -q -h "$host" -p "$port"; then
    exit 0
fi
echo "PostgreSQL is down on $host:$port; starting it" >&2
pg_ctlcluster --skip-systemctl-redirect 15 main start
for _ in $(seq 30); do
    pg_isready -q -h "$host" -p "$port" && exit 0
    sleep 1
done
echo "PostgreSQL did not start on $host:$port" >&2
exit 1
