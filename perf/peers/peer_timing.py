"""The timing loop every PyTorch peer shares, so that each measures its step the same way as
GpuTrain.Perf's `model` benchmark: warm-up steps, then timed windows, the median window's rate.
"""
import json
import resource
import statistics
import time

import torch


def time_steps(step, warmup, windows, steps_per_window):
    """Runs `step` (which returns its loss) warmup times, then `windows` timed windows; returns the
    median steps per second and the mean loss of each window."""
    for _ in range(warmup):
        step()
    rates, losses = [], []
    for _ in range(windows):
        start, total = time.perf_counter(), 0.0
        for _ in range(steps_per_window):
            total += step()
        rates.append(steps_per_window / (time.perf_counter() - start))
        losses.append(total / steps_per_window)
    return statistics.median(rates), losses


def report(model, threads, steps_per_s, **extra):
    """Prints the peer's one JSON line: rate, ms per step, `extra` fields, and peak RSS."""
    print(json.dumps({"model": model, "framework": "pytorch " + torch.__version__, "threads": threads,
                      "steps_per_s": steps_per_s, "ms_per_step": 1000.0 / steps_per_s, **extra,
                      "peak_rss_mb": peak_rss_mb()}))


def peak_rss_mb():
    """This process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
