#!/usr/bin/env bash
# Runs README.md's commands as a new user would paste them: every ```sh block, in order, in one
# shell, on a fresh clone of this checkout's HEAD (commit first). scripts/test.sh is left out (CI runs
# it itself). A code block without a language fails the check, so no command block goes unchecked:
# commands are ```sh, anything else (synopses, output, C#) says what it is.
# HOME (where `dotnet tool` installs gputrain) and the NuGet cache of GpuTrain's own packages are
# temporary; third-party packages come from the usual cache when it has them.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/GpuTrain"
python3 - "$work/GpuTrain/README.md" > "$work/readme.sh" <<'PY'
import sys
path = sys.argv[1]
lines = open(path, encoding="utf-8").read().split("\n")
out, block, lang, start, errors = [], None, None, 0, []
for number, line in enumerate(lines, 1):
    if line.startswith("```"):
        if block is None:
            lang, start, block = line[3:].strip(), number, []
            if lang == "":
                errors.append(f"README.md:{number}: a code block without a language: mark commands ```sh, anything else ```text")
        else:
            if lang == "sh" and [l for l in block if l.strip()] != ["scripts/test.sh"]:
                out.append(f"echo '### README.md:{start}'")
                out.extend(block)
            block = None
    elif block is not None:
        block.append(line)
if errors:
    sys.exit("\n".join(errors))
print("set -euo pipefail\nset -x")
print("\n".join(out))
PY
cd "$work/GpuTrain"
# NuGet refuses a fallback folder that does not exist (a machine that has never restored anything).
cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}
if [ -d "$cache" ]; then export NUGET_FALLBACK_PACKAGES=$cache; fi
export HOME=$work/home NUGET_PACKAGES=$work/nuget DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$HOME"
if bash "$work/readme.sh"; then
  echo "readme-check: every command block of README.md ran"
else
  echo "readme-check: FAILED (the command above, README.md block named by the last '### README.md:LINE')"
  exit 1
fi
