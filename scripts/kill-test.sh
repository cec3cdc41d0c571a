#!/bin/sh
# Crash safety, at length: trains MODEL (default mnist-mlp) saving as often as it can, SIGKILLs it at
# a random moment after each run's first save, N times (default 30), resuming each time. After every
# kill the latest checkpoint must pass ../shared/tools/tfcheck/tfformat_check.py and be no older than
# the last one. Prints the counts: kills, intact, lost, and how many kills landed while a save was
# being written.
# Usage: scripts/kill-test.sh [N] [mnist-mlp|word2vec|ptb-lstm]
# (the CI runs a 20-kill mnist-mlp version as KillTests in GpuTrain.Cli.Tests)
set -eu
cd "$(dirname "$0")/.."
kills=${1:-30}
model=${2:-mnist-mlp}
case "$model" in
  mnist-mlp) args="--steps 1000000 --save-every 1 --eval-every 0" ;;
  word2vec) args="--steps 100000000 --save-every 20 --eval-every 0 --vocab-size 2000 --embedding-size 16 --num-sampled 8" ;;
  ptb-lstm) args="--epochs 1000 --save-every 1" ;;
  *) echo "kill-test: unknown model '$model' (mnist-mlp, word2vec or ptb-lstm)" >&2; exit 2 ;;
esac
checker="${GPUTRAIN_SHARED:-../shared}/tools/tfcheck/tfformat_check.py"
[ -f "$checker" ] || { echo "kill-test: $checker not found (set GPUTRAIN_SHARED)" >&2; exit 2; }
dotnet build -c Release src/Cli >/dev/null
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
intact=0; lost=0; during=0; last=-1
for i in $(seq 1 "$kills"); do
  before=$(stat -c %Y.%N "$run/checkpoint" 2>/dev/null || echo none)
  # shellcheck disable=SC2086 # $args is a list of options
  dotnet src/Cli/bin/Release/net10.0/gputrain.dll train "$model" --device cpu $args \
    --max-to-keep 3 --histogram-every 0 --logdir "$run" --resume >/dev/null 2>&1 &
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
