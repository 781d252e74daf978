#!/usr/bin/env bash
# Shared by run.sh and test.sh: installs what a fresh Debian/Ubuntu machine lacks, or says what to install.
# Usage: source scripts/prerequisites.sh; need_postgres; need_chromium

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@";
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@";
  else return 1; fi
}

_apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: please install: $* (no apt-get on this machine)" >&2; return 1
  fi
  if [ "$_apt_updated" = 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || {
      echo "error: please install: $* (apt-get needs root or passwordless sudo: sudo apt-get install -y $*)" >&2; return 1; }
    _apt_updated=1
  fi
  echo "Installing $* ..."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

have_postgres_server() {
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

need_dotnet() {
  command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET 10 SDK is required: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2; exit 1; }
}

need_postgres() {
  # The embedded cluster needs initdb/pg_ctl/postgres (and runuser, from util-linux, when started as root).
  have_postgres_server || apt_install postgresql || exit 1
}

need_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium || exit 1
}
