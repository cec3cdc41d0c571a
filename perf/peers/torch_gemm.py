#!/usr/bin/python3
"""PyTorch's GEMM at the shapes of perf/GpuTrain.Perf/GemmShapes.cs, the peer of `GpuTrain.Perf gemm`.

Run with Debian's python3-torch (+ libopenblas0-openmp) and 2 threads, once as installed and once with
GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=68719476736
(perf/gemm.sh does both). torch.mm writes into a preallocated C through out=, transposed operands are
views, so BLAS sees the same transposes GpuTrain's engines do. Prints JSON:
{"tuned": bool, "torch": version, "threads": n, "gflops": {shape: median GFLOP/s}}.
"""
import json
import os
import statistics
import sys
import time

import torch

# name, transA, transB, m, n, k: keep in step with GemmShapes.cs
SHAPES = [
    ("sq64", False, False, 64, 64, 64),
    ("sq256", False, False, 256, 256, 256),
    ("sq512", False, False, 512, 512, 512),
    ("sq1024", False, False, 1024, 1024, 1024),
    ("sq2048", False, False, 2048, 2048, 2048),
    ("conv1.fwd", False, False, 50 * 28 * 28, 32, 25),
    ("conv1.dW", True, False, 25, 32, 50 * 28 * 28),
    ("conv2.fwd", False, False, 50 * 14 * 14, 64, 800),
    ("conv2.dW", True, False, 800, 64, 50 * 14 * 14),
    ("conv2.dX", False, True, 50 * 14 * 14, 800, 64),
    ("fc1.fwd", False, False, 50, 1024, 3136),
    ("fc1.dW", True, False, 3136, 1024, 50),
    ("fc1.dX", False, True, 50, 3136, 1024),
    ("fc2.fwd", False, False, 50, 10, 1024),
    ("fc2.dW", True, False, 1024, 10, 50),
    ("fc2.dX", False, True, 50, 1024, 10),
    ("lstm.fwd", False, False, 20, 800, 200),
    ("lstm.dh", False, True, 20, 200, 800),
    ("lstm.in", False, False, 400, 800, 200),
    ("lstm.dW", True, False, 200, 800, 400),
    ("softmax.fwd", False, False, 400, 10000, 200),
    ("softmax.dW", True, False, 200, 10000, 400),
    ("softmax.dX", False, True, 400, 200, 10000),
]
MIN_REP_SECONDS = 0.02


def measure(ta, tb, m, n, k, reps):
    g = torch.Generator().manual_seed(1)
    a = torch.rand((k, m) if ta else (m, k), generator=g) - 0.5
    b = torch.rand((n, k) if tb else (k, n), generator=g) - 0.5
    c = torch.empty((m, n))
    opa = a.t() if ta else a
    opb = b.t() if tb else b
    start = time.perf_counter()
    torch.mm(opa, opb, out=c)
    calls = max(1, int(MIN_REP_SECONDS / max(time.perf_counter() - start, 1e-7)))
    rates = []
    for _ in range(reps):
        start = time.perf_counter()
        for _ in range(calls):
            torch.mm(opa, opb, out=c)
        rates.append(2.0 * m * n * k * calls / (time.perf_counter() - start) / 1e9)
    return statistics.median(rates)


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    torch.set_num_threads(2)
    result = {
        "tuned": "mmap_threshold" in os.environ.get("GLIBC_TUNABLES", ""),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "gflops": {name: measure(ta, tb, m, n, k, reps) for name, ta, tb, m, n, k in SHAPES},
    }
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
