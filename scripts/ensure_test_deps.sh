#!/bin/sh
# Makes sure the integration tests' programs are present: Prosody (the XMPP server each test
# starts on its own ports), openssl (its certificate) and Debian's slixmpp (the "human" client).
# As root with apt-get, installs what is missing; otherwise says what to install and fails.
set -eu

PACKAGES="prosody lua-unbound openssl python3-slixmpp python3-slixmpp-lib"
LOG="${TMPDIR:-/tmp}/fluux-test-deps.log"

missing() {
  command -v prosody >/dev/null 2>&1 || return 0
  command -v prosodyctl >/dev/null 2>&1 || return 0
  command -v openssl >/dev/null 2>&1 || return 0
  # slixmpp comes from Debian, so ask Debian's interpreter, not the first python3 on PATH.
  /usr/bin/python3 -c 'import slixmpp' >/dev/null 2>&1 || return 0
  return 1
}

missing || exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need Prosody, openssl and slixmpp. Install them with:" >&2
  echo "  sudo apt-get install -y --no-install-recommends $PACKAGES" >&2
  exit 1
fi

echo "Installing test dependencies ($PACKAGES), log in $LOG"
{
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES
} >"$LOG" 2>&1 || {
  echo "Installing test dependencies failed, see $LOG:" >&2
  tail -n 20 "$LOG" >&2
  exit 1
}

# Debian may start the system Prosody on 5222; the tests run their own, so keep it out of the way.
{
  service prosody stop || true
  update-rc.d prosody disable || true
  if [ -f /run/prosody/prosody.pid ]; then kill "$(cat /run/prosody/prosody.pid)" || true; fi
} >>"$LOG" 2>&1

missing && { echo "Test dependencies are still missing after installing, see $LOG" >&2; exit 1; }
exit 0
