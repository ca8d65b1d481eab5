#!/bin/sh
# The integration suite once more, on a real PostgreSQL server: a throwaway cluster of Debian's
# `postgresql` in a temp directory (tests/helpers/pg-global.ts). Where PostgreSQL is not
# installed it says so and skips, unless CEPING_REQUIRE_POSTGRES=1 (.ci/run installs it and sets
# that, so CI cannot pass without this run).
set -eu
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  exec env CEPING_TEST_PG=server npx vitest run --config vitest.pg.config.ts
fi
if [ "${CEPING_REQUIRE_POSTGRES:-0}" = 1 ]; then
  echo 'PostgreSQL is not installed (apt-get install postgresql): the run on a real server cannot start' >&2
  exit 1
fi
echo 'PostgreSQL is not installed: the run on a real PostgreSQL server is skipped (apt-get install postgresql, or bash .ci/run)'
