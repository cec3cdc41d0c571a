#!/usr/bin/env bash
# The test command of README.md: builds everything in Release and runs every test project.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build GpuTrain.sln -c Release -warnaserror -nologo -v quiet
dotnet test GpuTrain.sln -c Release --no-build -nologo
