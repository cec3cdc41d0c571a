#!/bin/sh
# One benchmark command for the three models (and checkpointing), each against PyTorch measured in the
# same session: GpuTrain's `GpuTrain.Perf model NAME` next to perf/peers/torch_NAME.py run as installed
# and with glibc's malloc tuned (../shared/DESIGN.md), the ratio taken against the faster of the two.
# Prints one table, a roofline line per model (FLOP of a step counted from its shapes, achieved GFLOP/s,
# fraction of the host GEMM's peak measured in the same run) and writes perf/results/DATE-DEVICE.json.
# How cost grows with size: the PTB medium config and the CNN at batch 256 are rows of the same table,
# and the CNN's ms/step against batch size (16, 50, 128, 256), GpuTrain and PyTorch, is printed as a
# Markdown table and drawn to perf/results/DATE-DEVICE-cnn-batch.svg.
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
if [ "$quick" = 1 ]; then warmup=10; windows=5; per=10; ckpt_pairs=6; else warmup=20; windows=7; per=30; ckpt_pairs=16; fi
# The larger shapes take 5-10x longer a step: fewer steps, same number of windows.
if [ "$quick" = 1 ]; then big_warmup=3; big_per=3; else big_warmup=5; big_per=5; fi
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

# GpuTrain and both PyTorch runs of one row: NAME, the GpuTrain options, the peer script, its options.
measure_big() {
  name=$1; ours=$2; peer=$3; theirs=$4; out=$5
  echo "measuring $name ..." >&2
  # shellcheck disable=SC2086
  $perf model $ours --device "$device" --warmup $big_warmup --windows $windows --steps-per-window $big_per \
    > "$out.gputrain.json" || echo "{\"model\": \"$name\", \"framework\": \"gputrain\", \"error\": \"no workload\"}" > "$out.gputrain.json"
  # shellcheck disable=SC2086
  /usr/bin/python3 "$peer" --threads "$threads" $theirs --warmup $big_warmup --windows $windows --steps-per-window $big_per > "$out.torch.json"
  # shellcheck disable=SC2086
  GLIBC_TUNABLES=$tuned /usr/bin/python3 "$peer" --threads "$threads" $theirs --warmup $big_warmup --windows $windows \
    --steps-per-window $big_per > "$out.torch-tuned.json"
}
measure_big ptb-lstm-medium "ptb-lstm --config medium" perf/peers/torch_ptb_lstm.py "--config medium" "$tmp/ptb-lstm-medium"
measure_big mnist-cnn-b256 "mnist-cnn --batch 256" perf/peers/torch_mnist_cnn.py "--batch-size 256" "$tmp/mnist-cnn-b256"

# The CNN's cost against batch size: 50 and 256 are the rows above; 16 and 128 are measured here.
mkdir -p "$tmp/batch"
for peer_run in gputrain torch torch-tuned; do
  cp "$tmp/mnist-cnn.$peer_run.json" "$tmp/batch/b50.$peer_run.json"
  cp "$tmp/mnist-cnn-b256.$peer_run.json" "$tmp/batch/b256.$peer_run.json"
done
for b in 16 128; do
  measure_big "mnist-cnn at batch $b" "mnist-cnn --batch $b" perf/peers/torch_mnist_cnn.py "--batch-size $b" "$tmp/batch/b$b"
done

echo "measuring checkpointing ..." >&2
$perf checkpoint-stall --device "$device" --pairs $ckpt_pairs > "$tmp/checkpoint.stall.json"

mkdir -p perf/results
python3 perf/report.py "$tmp" "$device" "perf/results/$(date -u +%Y-%m-%d)-$device.json"
echo "mnist-cnn, ms per step against batch size:"
$perf batch-plot "$tmp/batch" -o "perf/results/$(date -u +%Y-%m-%d)-$device-cnn-batch.svg"
