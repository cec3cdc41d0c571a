#!/usr/bin/env python3
"""Sets the JSON lines perf/run.sh collected side by side: one table, ratio GpuTrain / faster PyTorch,
and a roofline line per model: the FLOP of one step counted from its shapes, the GFLOP/s each
framework achieves, and that as a fraction of the host GEMM's peak measured in the same run.

Usage: report.py DIR DEVICE OUT.json  (DIR holds MODEL.gputrain.json, MODEL.torch.json, MODEL.torch-tuned.json,
checkpoint.stall.json and gemm.peak.json).
"""
import datetime
import glob
import json
import os
import platform
import subprocess
import sys


def load(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        lines = [line for line in f.read().splitlines() if line.strip().startswith("{")]
    return json.loads(lines[-1]) if lines else None


def cpu_name():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        return next(l.split(":", 1)[1].strip() for l in out.splitlines() if l.startswith("Model name"))
    except (OSError, StopIteration):
        return platform.processor()


def main():
    folder, device, out_path = sys.argv[1:4]
    order = ["mnist-cnn", "ptb-lstm", "word2vec", "mnist-cnn-b256", "ptb-lstm-medium"]
    models = sorted({os.path.basename(p).split(".")[0] for p in glob.glob(os.path.join(folder, "*.json"))} - {"checkpoint", "gemm"},
                    key=lambda m: order.index(m) if m in order else 9)
    rows = []
    print(f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; device: {device}; "
          f"cpu: {cpu_name()}, {os.cpu_count()} cores; load average: {os.getloadavg()[0]:.1f}")
    header = f"{'model':<15} {'gputrain/s':>10} {'ms/step':>8} {'rss MB':>7} {'torch/s':>8} {'tuned/s':>8} {'torch MB':>8} {'ratio':>6}"
    print(header)
    for model in models:
        g = load(os.path.join(folder, f"{model}.gputrain.json")) or {}
        t = load(os.path.join(folder, f"{model}.torch.json")) or {}
        tt = load(os.path.join(folder, f"{model}.torch-tuned.json")) or {}
        best = max([x for x in (t, tt) if "steps_per_s" in x], key=lambda x: x["steps_per_s"], default=None)
        ratio = g["steps_per_s"] / best["steps_per_s"] if best and "steps_per_s" in g else None
        rows.append({"model": model, "gputrain": g, "torch": t, "torch_tuned": tt, "ratio": ratio})

        def f(x, key, fmt):
            return format(x[key], fmt) if key in x else "-".rjust(int(fmt.split(".")[0]))
        print(f"{model:<15} {f(g, 'steps_per_s', '10.2f')} {f(g, 'ms_per_step', '8.2f')} {f(g, 'peak_rss_mb', '7.0f')} "
              f"{f(t, 'steps_per_s', '8.2f')} {f(tt, 'steps_per_s', '8.2f')} "
              f"{format(best['peak_rss_mb'], '8.0f') if best and 'peak_rss_mb' in best else '       -'} "
              f"{format(ratio, '6.2f') if ratio else '     -'}")
    peak = (load(os.path.join(folder, "gemm.peak.json")) or {}).get("gflops")
    if peak:
        print(f"roofline: host GEMM peak {peak:.1f} GFLOP/s (2048^3, this run); a step's FLOP counted from its shapes "
              "(2 per multiply-add, backward = 2x forward)")
    for row in rows:
        g, best = row["gputrain"], max([x for x in (row["torch"], row["torch_tuned"]) if "steps_per_s" in x],
                                        key=lambda x: x["steps_per_s"], default=None)
        if not peak or "gflop_per_step" not in g or "steps_per_s" not in g:
            continue
        flop = g["gflop_per_step"]
        line = (f"  {row['model']:<15} {flop:8.3f} GFLOP/step  gputrain {flop * g['steps_per_s']:7.1f} GFLOP/s "
                f"= {flop * g['steps_per_s'] / peak:6.1%} of peak")
        if best:
            line += f"  torch {flop * best['steps_per_s']:7.1f} GFLOP/s = {flop * best['steps_per_s'] / peak:6.1%}"
        line += f"  floor {1000 * flop / peak:7.2f} ms/step"
        row["roofline"] = {"gflop_per_step": flop, "peak_gflops": peak, "fraction_of_peak": flop * g["steps_per_s"] / peak}
        print(line)
    ckpt = load(os.path.join(folder, "checkpoint.stall.json"))
    if ckpt:
        print(f"checkpointing (mnist-cnn, {ckpt['bytes'] / 1e6:.1f} MB a save): stall {ckpt['stall_ms_shards1']:.2f} ms vs memcpy "
              f"{ckpt['memcpy_ms_shards1']:.2f} ms = {ckpt['stall_over_memcpy_shards1']:.2f}x (4 shards: {ckpt['stall_over_memcpy_shards4']:.2f}x); "
              f"step {ckpt['step_ms_no_saving']:.2f} ms without saving; saving every {ckpt['saving_every']} steps, "
              f"median of {ckpt['saving_pairs']} paired windows: wall {ckpt['saving_overhead'] * 100:+.2f}% "
              f"(quartiles {ckpt['saving_overhead_q1'] * 100:+.2f}% .. {ckpt['saving_overhead_q3'] * 100:+.2f}%), "
              f"processor {ckpt['saving_overhead_cpu'] * 100:+.2f}% "
              f"({ckpt['saving_overhead_cpu_q1'] * 100:+.2f}% .. {ckpt['saving_overhead_cpu_q3'] * 100:+.2f}%), "
              f"{ckpt['save_cpu_ms']:.0f} processor ms a save ({ckpt['save_cpu_ms_alone']:.0f} ms alone: "
              f"{ckpt['saving_overhead_modelled'] * 100:.2f}% of the windows' processor time)")
    with open(out_path, "w") as f:
        json.dump({"checkpointing": ckpt, "date": datetime.datetime.now(datetime.timezone.utc).isoformat(), "device": device,
                   "cpu": cpu_name(), "cores": os.cpu_count(), "load_average": os.getloadavg()[0], "models": rows}, f, indent=1)
    print(f"wrote {out_path}")


if __name__ == "__main__":
    main()
