#!/bin/sh
# Makes sure the integration tests' programs are present: Prosody and ejabberd (the XMPP servers
# the tests start on their own ports), openssl (their certificate) and Debian's slixmpp (the
# "human" client). As root with apt-get, installs what is missing; otherwise says what to
# install and fails.
set -eu

PACKAGES="prosody lua-unbound ejabberd openssl python3-slixmpp python3-slixmpp-lib"
LOG="${TMPDIR:-/tmp}/fluux-test-deps.log"

missing() {
  command -v prosody >/dev/null 2>&1 || return 0
  command -v prosodyctl >/dev/null 2>&1 || return 0
  # The tests run ejabberd's Erlang VM themselves and read its paths from ejabberdctl.
  [ -x /usr/sbin/ejabberdctl ] || return 0
  command -v erl >/dev/null 2>&1 || return 0
  command -v openssl >/dev/null 2>&1 || return 0
  # slixmpp comes from Debian, so ask Debian's interpreter, not the first python3 on PATH.
  /usr/bin/python3 -c 'import slixmpp' >/dev/null 2>&1 || return 0
  return 1
}

missing || exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need Prosody, ejabberd, openssl and slixmpp. Install them with:" >&2
  echo "  sudo apt-get install -y --no-install-recommends $PACKAGES" >&2
  exit 1
fi

echo "Installing test dependencies ($PACKAGES), log in $LOG"
# The tests run their own servers: keep the packaged services from starting during the install
# (ejabberd's would also wait for itself to come up) with a temporary policy-rc.d, unless the
# machine has its own.
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$POLICY"
  chmod 755 "$POLICY"
  trap 'rm -f "$POLICY"' EXIT
fi
{
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES
} >"$LOG" 2>&1 || {
  echo "Installing test dependencies failed, see $LOG:" >&2
  tail -n 20 "$LOG" >&2
  exit 1
}

# A machine whose own policy lets services start may now run the system Prosody and ejabberd on
# 5222; the tests run their own on other ports, so keep them out of the way. (The test ejabberd
# uses no epmd and no node name, so the packaged node and its epmd cannot clash with it.)
{
  service prosody stop || true
  update-rc.d prosody disable || true
  if [ -f /run/prosody/prosody.pid ]; then kill "$(cat /run/prosody/prosody.pid)" || true; fi
  service ejabberd stop || true
  update-rc.d ejabberd disable || true
} >>"$LOG" 2>&1

missing && { echo "Test dependencies are still missing after installing, see $LOG" >&2; exit 1; }
exit 0
