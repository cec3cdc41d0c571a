#!/bin/sh
# Crash safety, at length: trains mnist-mlp saving every step, SIGKILLs it at a random moment after
# each run's first save, N times (default 30), resuming each time. After every kill the latest
# checkpoint must pass ../shared/tools/tfcheck/tfformat_check.py and be no older than the last one.
# Prints the counts: kills, intact, lost, and how many kills landed while a save was being written.
# Usage: scripts/kill-test.sh [N]   (the CI runs a 20-kill version as KillTests in GpuTrain.Cli.Tests)
set -eu
cd "$(dirname "$0")/.."
kills=${1:-30}
checker="${GPUTRAIN_SHARED:-../shared}/tools/tfcheck/tfformat_check.py"
[ -f "$checker" ] || { echo "kill-test: $checker not found (set GPUTRAIN_SHARED)" >&2; exit 2; }
dotnet build -c Release src/Cli >/dev/null
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
intact=0; lost=0; during=0; last=-1
for i in $(seq 1 "$kills"); do
  before=$(stat -c %Y.%N "$run/checkpoint" 2>/dev/null || echo none)
  dotnet src/Cli/bin/Release/net10.0/gputrain.dll train mnist-mlp --device cpu --steps 1000000 --save-every 1 \
    --max-to-keep 3 --eval-every 0 --histogram-every 0 --logdir "$run" --resume >/dev/null 2>&1 &
  pid=$!
  while [ "$(stat -c %Y.%N "$run/checkpoint" 2>/dev/null || echo none)" = "$before" ]; do sleep 0.05; done
  sleep "$(awk -v s="$i" 'BEGIN { srand(s); printf "%.2f", rand() * 1.5 }')"
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  ls "$run"/*tempstate* >/dev/null 2>&1 && during=$((during + 1))
  latest=$(sed -n 's/^model_checkpoint_path: "\(.*\)"$/\1/p' "$run/checkpoint")
  case "$latest" in /*) ;; *) latest="$run/$latest" ;; esac
  step=${latest##*-}
  if python3 "$checker" ckpt "$latest" >/dev/null 2>&1 && [ "$step" -ge "$last" ]; then intact=$((intact + 1)); else lost=$((lost + 1)); fi
  [ "$step" -gt "$last" ] && last=$step
  echo "kill $i: latest $(basename "$latest")"
done
echo "kills $kills, intact $intact, lost $lost, killed while a save was being written $during"
[ "$lost" -eq 0 ]
