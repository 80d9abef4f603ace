#!/bin/sh
# Runs every test (or the files/flags given, e.g. `deno task test tests/foo_test.ts`) after
# making sure Prosody and slixmpp are installed. Exits with deno test's status.
set -eu

cd "$(dirname "$0")/.."
sh scripts/ensure_test_deps.sh

# `deno task` puts the running deno first on PATH; DENO overrides it.
DENO="${DENO:-$(command -v deno || echo "npx -y deno@2.9.6")}"

# Default to the whole suite unless a path to test was given.
targets="src/ tests/ scripts/"
for arg in "$@"; do
  if [ -e "$arg" ]; then targets=""; fi
done

# The tests start servers, spawn clients, write temp dirs and load SQLite extensions: the
# test runner is given every permission; the program itself runs with narrow ones.
# shellcheck disable=SC2086
exec $DENO test --allow-all "$@" $targets
