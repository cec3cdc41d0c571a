#!/bin/sh
# Crash safety, at length: trains MODEL (default mnist-mlp) saving as often as it can, SIGKILLs it at
# a random moment after each run's first save, N times (default 30), resuming each time. After every
# kill the latest checkpoint must pass ../shared/tools/tfcheck/tfformat_check.py and be no older than
# the last one. At the end one more resumed run trains a step and exits; it cuts the half-written last
# record a kill inside the event writer's flush leaves, and every event file must then pass the checker.
# With WHEN=logs every step logs histograms and each kill is timed to the moment the newest event file
# grows (the log writer's flush) instead of a random delay.
# Prints the counts: kills, intact, lost, how many kills landed while a save was being written and how
# many left an event file ending inside a record.
# Usage: scripts/kill-test.sh [N] [mnist-mlp|word2vec|ptb-lstm] [random|logs]
# (the CI runs a 20-kill mnist-mlp version as KillTests in GpuTrain.Cli.Tests)
set -eu
cd "$(dirname "$0")/.."
kills=${1:-30}
model=${2:-mnist-mlp}
when=${3:-random}
case "$model" in
  mnist-mlp) args="--save-every 1 --eval-every 0"; until="--steps" ;;
  word2vec) args="--save-every 20 --eval-every 0 --vocab-size 2000 --embedding-size 16 --num-sampled 8"; until="--steps" ;;
  ptb-lstm) args="--epochs 1000 --save-every 1"; until="--max-steps" ;;
  *) echo "kill-test: unknown model '$model' (mnist-mlp, word2vec or ptb-lstm)" >&2; exit 2 ;;
esac
case "$when" in
  random) histograms=0 ;;
  logs) histograms=1 ;;
  *) echo "kill-test: unknown timing '$when' (random or logs)" >&2; exit 2 ;;
esac
checker="${GPUTRAIN_SHARED:-../shared}/tools/tfcheck/tfformat_check.py"
[ -f "$checker" ] || { echo "kill-test: $checker not found (set GPUTRAIN_SHARED)" >&2; exit 2; }
dotnet build -c Release src/Cli >/dev/null
run=$(mktemp -d)
out=$(mktemp)
trap 'rm -rf "$run" "$out"' EXIT
train() {
  # exec: the backgrounded subshell becomes dotnet itself, so $! is the pid that SIGKILL must reach.
  # shellcheck disable=SC2086 # $args is a list of options
  exec dotnet src/Cli/bin/Release/net10.0/gputrain.dll train "$model" --device cpu $args \
    --max-to-keep 3 --histogram-every "$histograms" --logdir "$run" --resume "$@"
}
newest_events() { ls -t "$run"/*tfevents* 2>/dev/null | head -n 1; }
intact=0; lost=0; during=0; during_log=0; last=-1
for i in $(seq 1 "$kills"); do
  before=$(stat -c %Y.%N "$run/checkpoint" 2>/dev/null || echo none)
  train "$until" 100000000 >"$out" 2>&1 &
  pid=$!
  while [ "$(stat -c %Y.%N "$run/checkpoint" 2>/dev/null || echo none)" = "$before" ]; do sleep 0.05; done
  if [ "$when" = logs ]; then
    events=$(newest_events); size=$(stat -c %s "$events")
    while [ "$(stat -c %s "$events")" = "$size" ] && kill -0 "$pid" 2>/dev/null; do :; done
  else
    sleep "$(awk -v s="$i" 'BEGIN { srand(s); printf "%.2f", rand() * 1.5 }')"
  fi
  if ! kill -9 "$pid" 2>/dev/null; then
    echo "kill-test: run $i ended before it was killed:" >&2; tail -n 5 "$out" >&2; exit 1
  fi
  wait "$pid" 2>/dev/null || true
  ls "$run"/*tempstate* >/dev/null 2>&1 && during=$((during + 1))
  python3 "$checker" events "$(newest_events)" 2>&1 | grep -q "truncated record" && during_log=$((during_log + 1))
  latest=$(sed -n 's/^model_checkpoint_path: "\(.*\)"$/\1/p' "$run/checkpoint")
  case "$latest" in /*) ;; *) latest="$run/$latest" ;; esac
  step=${latest##*-}
  if python3 "$checker" ckpt "$latest" >/dev/null 2>&1 && [ "$step" -ge "$last" ]; then intact=$((intact + 1)); else lost=$((lost + 1)); fi
  [ "$step" -gt "$last" ] && last=$step
  echo "kill $i: latest $(basename "$latest")"
done
(train "$until" $((last + 1))) >"$out" 2>&1 || { echo "kill-test: the final resumed run failed:" >&2; tail -n 5 "$out" >&2; lost=$((lost + 1)); }
logs_clean=yes
for events in "$run"/*tfevents*; do
  python3 "$checker" events "$events" 2>&1 | grep -q "^RESULT: PASS (0 error(s), 0 warning(s))" || { logs_clean=no; echo "kill-test: $events fails the checker" >&2; }
done
echo "kills $kills, intact $intact, lost $lost, killed while a save was being written $during," \
  "event files left ending inside a record $during_log, every event file clean after the last resume: $logs_clean"
[ "$lost" -eq 0 ] && [ "$logs_clean" = yes ]
