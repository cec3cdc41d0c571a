#!/bin/sh
# One benchmark command for the three models (and checkpointing), each against PyTorch measured in the
# same session: GpuTrain's `GpuTrain.Perf model NAME` next to perf/peers/torch_NAME.py run as installed
# and with glibc's malloc tuned (../shared/DESIGN.md), the ratio taken against the faster of the two.
# Prints one table, a roofline line per model (FLOP of a step counted from its shapes, achieved GFLOP/s,
# fraction of the host GEMM's peak measured in the same run) and writes perf/results/DATE-DEVICE.json.
# Usage: perf/run.sh [--device cpu|cuda] [--quick]
# Needs Debian's python3-torch and libopenblas0-openmp (apt-get install -y python3-torch libopenblas0-openmp).
set -eu
cd "$(dirname "$0")/.."
device=cpu
quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --device) device="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    *) echo "usage: perf/run.sh [--device cpu|cuda] [--quick]" >&2; exit 2 ;;
  esac
done
if [ "$quick" = 1 ]; then warmup=10; windows=5; per=10; ckpt_steps=100; else warmup=20; windows=7; per=30; ckpt_steps=300; fi
threads=$(nproc)
tuned='glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=68719476736'

dotnet build -c Release -warnaserror perf/GpuTrain.Perf >/dev/null
perf="dotnet perf/GpuTrain.Perf/bin/Release/net10.0/GpuTrain.Perf.dll"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The host GEMM's peak in this session: each model's roofline line is a fraction of it.
echo "measuring the GEMM peak ..." >&2
$perf gemm --peak > "$tmp/gemm.peak.json"

for model in mnist-cnn ptb-lstm word2vec; do
  peer="perf/peers/torch_$(echo "$model" | tr '-' '_').py"
  echo "measuring $model ..." >&2
  $perf model "$model" --device "$device" --warmup $warmup --windows $windows --steps-per-window $per \
    > "$tmp/$model.gputrain.json" || echo "{\"model\": \"$model\", \"framework\": \"gputrain\", \"error\": \"no workload\"}" > "$tmp/$model.gputrain.json"
  if [ -f "$peer" ]; then
    /usr/bin/python3 "$peer" --threads "$threads" --warmup $warmup --windows $windows --steps-per-window $per \
      > "$tmp/$model.torch.json"
    GLIBC_TUNABLES=$tuned /usr/bin/python3 "$peer" --threads "$threads" --warmup $warmup --windows $windows \
      --steps-per-window $per > "$tmp/$model.torch-tuned.json"
  fi
done

echo "measuring checkpointing ..." >&2
$perf checkpoint-stall --device "$device" --steps $ckpt_steps > "$tmp/checkpoint.stall.json"

mkdir -p perf/results
python3 perf/report.py "$tmp" "$device" "perf/results/$(date -u +%Y-%m-%d)-$device.json"
