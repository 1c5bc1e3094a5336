#!/usr/bin/env bash
# Long mode of the random-program differential tester.
#   tests/Autodiff.Fuzz.Tests/run-fuzz.sh N [FIRST_SEED] [SWITCHES] [FAILURE_FOLDER]
# SWITCHES: "all" (default), "known-bugs-off", or e.g. "-KeywordAdjointNames,-Tensors" (see FuzzConfig.cs).
# Prints the report and writes each failing program (with its generated code) to FAILURE_FOLDER
# (default ./fuzz-failures), plus REPORT.txt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dotnet build "$here/Autodiff.Fuzz.Tests.csproj" -c Release -v q -nologo >/dev/null
exec dotnet "$here/bin/Release/net10.0/Autodiff.Fuzz.Tests.dll" "${1:-1000}" "${2:-1}" "${3:-all}" "${4:-$PWD/fuzz-failures}"
