#!/usr/bin/env bash
# CUDA readiness in one command, for a machine with an NVIDIA GPU (H100/H200, CUDA driver, no network):
#   scripts/gpu-check.sh            # summary on stdout, and in $OUT/gpu-check.txt when OUT is set
# Within about 8 minutes it: checks the driver (nvidia-smi) and that ILGPU lists a CUDA device; builds;
# runs the Category=Device tests with GPUTRAIN_TEST_DEVICE=cuda (every kernel family, the GEMM engines,
# every layer's gradient check, the optimizers, the checkpoint staging copies, and each tutorial model
# for a few steps against the CPU run of the same seed, with a save and a resume); and measures steps/s
# of mnist-cnn, ptb-lstm and word2vec on cuda and on the CPU accelerator (GpuTrain.Perf model), with
# PyTorch beside them where it is installed (perf/run.sh --device cuda --quick). Without a CUDA device
# it says so and exits 1. Exit status: 0 when every step passed.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${OUT:-}
work=$(mktemp -d)
summary="$work/gpu-check.txt"
failures=0
started=$SECONDS
budget=${GPU_CHECK_BUDGET_S:-480}   # the whole check, in seconds; optional measurements are skipped past it

say() { printf '%s\n' "$*" | tee -a "$summary"; }
finish() {
  local status=$?
  say "gpu-check: $([ "$status" -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - started)) s"
  if [ -n "$out" ]; then mkdir -p "$out" && cp "$summary" "$work"/*.log "$out"/ 2>/dev/null || true; fi
  rm -rf "$work"
}
trap finish EXIT
# phase NAME SECONDS CMD...: runs CMD with a time limit, its output in $work/NAME.log; 0 or a failure line.
phase() {
  local name=$1 limit=$2 rc=0; shift 2
  timeout --kill-after=10 "$limit" "$@" >"$work/$name.log" 2>&1 || rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then say "gpu-check: $name ran past its ${limit} s limit (log: $name.log)"; fi
  return "$rc"
}

# over_budget SECONDS: true when a phase of that many seconds would end past the budget.
over_budget() { [ $((SECONDS - started + $1)) -gt "$budget" ]; }

say "gpu-check $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if ! command -v nvidia-smi >/dev/null 2>&1; then
  say "gpu-check: no CUDA device: nvidia-smi is not installed (no NVIDIA driver on this machine)"
  exit 1
fi
if ! gpus=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1) || [ -z "$gpus" ]; then
  say "gpu-check: no CUDA device: nvidia-smi lists no GPU (${gpus:-no output})"
  exit 1
fi
say "card: $gpus"
command -v dotnet >/dev/null 2>&1 || { say "gpu-check: dotnet not found; install the .NET 10 SDK"; exit 1; }

phase build 300 dotnet build GpuTrain.sln -c Release -nologo -v quiet || { tail -n 20 "$work/build.log" | tee -a "$summary"; say "gpu-check: build failed"; exit 1; }
gputrain="dotnet src/Cli/bin/Release/net10.0/gputrain.dll"
$gputrain devices 2>&1 | tee "$work/devices.log" >/dev/null || true
if ! grep -qE '^[* ] cuda:0 ' "$work/devices.log"; then
  say "gpu-check: no CUDA device: nvidia-smi sees the card but ILGPU lists none (libcuda.so not loadable?); gputrain devices says:"
  tee -a "$summary" <"$work/devices.log"
  exit 1
fi
say "device: $(grep -E '^[* ] cuda:0 ' "$work/devices.log" | cut -c3-)"

# The device tests (GPUTRAIN_SHARED or ../shared for the fixtures and the checker).
rc=0
phase device-tests 240 env GPUTRAIN_TEST_DEVICE=cuda dotnet test GpuTrain.sln -c Release --no-build -nologo --filter Category=Device || rc=$?
passed=$(grep -Eo 'Passed: +[0-9]+' "$work/device-tests.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$work/device-tests.log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$work/device-tests.log" | awk '{s+=$2} END {print s+0}')
say "device tests on cuda: $passed passed, $failed failed, $skipped skipped"
grep -E '^\s+Failed |Error Message' -A1 "$work/device-tests.log" | head -n 40 | tee -a "$summary" || true
if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then failures=$((failures + 1)); fi

# Steady-state steps/s on synthetic data, cuda and the CPU accelerator (short windows: a smoke figure).
phase perf-build 120 dotnet build -c Release -nologo -v quiet perf/GpuTrain.Perf || { say "gpu-check: perf build failed"; exit 1; }
perf="dotnet perf/GpuTrain.Perf/bin/Release/net10.0/GpuTrain.Perf.dll"
say "steps/s (GpuTrain.Perf model, median of 3 windows of 10 steps after warm-up):"
for model in mnist-cnn ptb-lstm word2vec; do
  for device in cuda cpu; do
    if over_budget 60; then say "  $model on $device: skipped (the check's $budget s budget is spent)"; continue; fi
    if phase "perf-$model-$device" 60 $perf model "$model" --device "$device" --warmup 5 --windows 3 --steps-per-window 10; then
      say "  $model on $device: $(tail -n 1 "$work/perf-$model-$device.log")"
    else
      say "  $model on $device: failed (log: perf-$model-$device.log)"; failures=$((failures + 1))
    fi
  done
done
if over_budget 150; then
  say "no PyTorch comparison: the check's $budget s budget is spent"
elif /usr/bin/python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' >/dev/null 2>&1; then
  if phase perf-run 150 perf/run.sh --device cuda --quick; then tail -n 8 "$work/perf-run.log" | tee -a "$summary"
  else say "gpu-check: perf/run.sh --device cuda --quick failed (log: perf-run.log)"; failures=$((failures + 1)); fi
else
  say "PyTorch with CUDA is not installed here: no PyTorch comparison"
fi

[ "$failures" -eq 0 ]
