#!/usr/bin/env bash
# The test command of README.md: builds everything in Release, runs every test project, and ends
# with one total line over the projects ("total: N passed, M failed, K skipped").
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build GpuTrain.sln -c Release -warnaserror -nologo -v quiet
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test GpuTrain.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?
# dotnet test prints one "Failed: F, Passed: P, Skipped: S" summary per test project.
sum() { grep -Eo "$1: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}'; }
echo "total: $(sum Passed) passed, $(sum Failed) failed, $(sum Skipped) skipped"
exit "$status"
