#!/usr/bin/env bash
# Make PostgreSQL's server binaries (initdb, pg_ctl, postgres) available for the store tests.
# Idempotent: installs Debian's postgresql package only when they are missing. The tests start
# their own throwaway cluster on 127.0.0.1 (tests/store/conftest.py); nothing is started here.
set -euo pipefail

have_pg() {
    command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1
}

if have_pg; then
    echo "postgres.sh: PostgreSQL server binaries present"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
echo "postgres.sh: installing PostgreSQL from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
# The Debian package starts a default cluster; the tests do not use it.
if command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters --no-header 2>/dev/null | while read -r version name _; do
        $SUDO pg_ctlcluster "$version" "$name" stop 2>/dev/null || true
    done
fi
have_pg
echo "postgres.sh: installed $(ls -d /usr/lib/postgresql/*/bin | tail -1)"
