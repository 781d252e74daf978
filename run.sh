#!/usr/bin/env bash
# Runs the whole product on this machine: a private PostgreSQL (in .data/postgres), the worker and Admin, with a
# demo school when nothing is configured. Ctrl+C stops everything it started; the next run reuses the data.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need_dotnet
need_postgres

dotnet build src/Moderator.Worker -c Release -nologo -clp:ErrorsOnly
exec dotnet src/Moderator.Worker/bin/Release/net10.0/moderator.dll demo "$@"
