#!/bin/sh
# GEMM: GpuTrain's engines and PyTorch (as installed, and with glibc malloc tuned) in one session,
# printed as one table with the ratio GpuTrain / best PyTorch. Needs Debian's python3-torch and
# libopenblas0-openmp (apt-get install -y python3-torch libopenblas0-openmp).
set -eu
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
echo "dotnet: $(dotnet --version); torch: $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
/usr/bin/python3 perf/peers/torch_gemm.py > "$out/torch.json"
GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=68719476736 \
  /usr/bin/python3 perf/peers/torch_gemm.py > "$out/torch-tuned.json"
dotnet run -c Release --project perf/GpuTrain.Perf -- gemm --torch "$out/torch.json,$out/torch-tuned.json" "$@"
