#!/usr/bin/env bash
# Runs every test against real parts: a private PostgreSQL (started by the tests), local platform simulators and
# Debian's Chromium. Installs what a fresh Debian machine lacks. Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need_dotnet
need_postgres
need_chromium

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

dotnet build Moderator.sln -c Release -nologo -clp:ErrorsOnly
status=0
dotnet test Moderator.sln -c Release --no-build --nologo \
  --logger "trx" --results-directory "$results" \
  --blame-hang-timeout 10m -- RunConfiguration.TreatNoTestsAsError=false || status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); x=$(get aborted); ne=$(get notExecuted)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${x:-0})); skipped=$((skipped + ${ne:-0}))
done
if [ "$files" = 0 ] || [ "$passed" = 0 ]; then
  echo "error: no test results were produced" >&2; status=1
fi
[ "$status" != 0 ] && [ "$failed" = 0 ] && failed=1

if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
exit "$status"
