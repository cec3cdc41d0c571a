#!/usr/bin/env python3
"""Issue #9's loss target: does `gputrain train word2vec` reach the average loss of its PyTorch peer
(perf/peers/torch_word2vec.py: same corpus, vocabulary, batch generator, sampler and
hyper-parameters) after the same number of steps, within 5%?

Both run --steps steps on the bundled corpus for each seed; every --report-every steps each prints the
mean loss of the window (the tutorial's "Average loss at step N"). The random draws differ between the
two, so each window is compared as the mean over seeds, with the spread between seeds beside it to show
what noise alone does. Prints one table and writes perf/results/DATE-word2vec-loss-CORPUS.json.

Usage: perf/word2vec_loss.py [--data FILE] [--steps 30000] [--report-every 2000] [--seeds 1 2 3]
Needs Debian's python3-torch (apt-get install -y python3-torch) and the .NET SDK.
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = 0.05


def gputrain_windows(cli, data, steps, every, seed):
    with tempfile.TemporaryDirectory() as tmp:
        summary = os.path.join(tmp, "summary.json")
        subprocess.run(["dotnet", cli, "train", "word2vec", "--data", data, "--device", "cpu", "--steps", str(steps),
                        "--report-every", str(every), "--eval-every", "0", "--save-every", "0", "--seed", str(seed),
                        "--logdir", os.path.join(tmp, "run"), "--summary-json", summary],
                       check=True, stdout=subprocess.DEVNULL)
        with open(summary) as f:
            return [r["loss"] for r in json.load(f)["reports"]]


def torch_windows(data, steps, every, seed, threads):
    out = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "perf", "peers", "torch_word2vec.py"),
                          "--data", data, "--threads", str(threads), "--warmup", "0", "--windows", str(steps // every),
                          "--steps-per-window", str(every), "--seed", str(seed)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])["window_losses"]


def spread(values):
    return (max(values) - min(values)) / statistics.mean(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.join(ROOT, "data", "text8", "text8-pd-debian-only.gz"))
    parser.add_argument("--steps", type=int, default=30000)
    parser.add_argument("--report-every", type=int, default=2000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="PyTorch's threads (GpuTrain uses every core)")
    args = parser.parse_args()
    if args.steps % args.report_every:
        sys.exit("--steps must be a multiple of --report-every")

    subprocess.run(["dotnet", "build", "-c", "Release", "-warnaserror", os.path.join(ROOT, "src", "Cli")],
                   check=True, stdout=subprocess.DEVNULL)
    cli = os.path.join(ROOT, "src", "Cli", "bin", "Release", "net10.0", "gputrain.dll")
    ours, theirs = [], []
    for seed in args.seeds:
        print(f"seed {seed} ...", file=sys.stderr)
        ours.append(gputrain_windows(cli, args.data, args.steps, args.report_every, seed))
        theirs.append(torch_windows(args.data, args.steps, args.report_every, seed, args.threads))

    rows = []
    print(f"{'step':>7} {'gputrain':>9} {'spread':>7} {'pytorch':>9} {'spread':>7} {'ratio':>7}")
    for w in range(args.steps // args.report_every):
        g = [run[w] for run in ours]
        t = [run[w] for run in theirs]
        row = {"step": (w + 1) * args.report_every, "gputrain": statistics.mean(g), "gputrain_spread": spread(g),
               "pytorch": statistics.mean(t), "pytorch_spread": spread(t)}
        row["ratio"] = row["gputrain"] / row["pytorch"]
        rows.append(row)
        print(f"{row['step']:>7} {row['gputrain']:>9.3f} {row['gputrain_spread']:>7.1%} {row['pytorch']:>9.3f} "
              f"{row['pytorch_spread']:>7.1%} {row['ratio']:>7.3f}")
    final = rows[-1]["ratio"]
    verdict = "within" if abs(final - 1) <= TARGET else "OUTSIDE"
    print(f"after {args.steps} steps: GpuTrain / PyTorch average loss = {final:.3f} ({verdict} the {TARGET:.0%} target)")

    os.makedirs(os.path.join(ROOT, "perf", "results"), exist_ok=True)
    corpus = os.path.basename(args.data).split(".")[0]
    path = os.path.join(ROOT, "perf", "results", f"{datetime.date.today():%Y-%m-%d}-word2vec-loss-{corpus}.json")
    with open(path, "w") as f:
        json.dump({"date": f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
                   "data": os.path.basename(args.data), "steps": args.steps,
                   "report_every": args.report_every, "seeds": args.seeds, "threads": args.threads,
                   "gputrain_runs": ours, "pytorch_runs": theirs, "windows": rows}, f, indent=2)
    print(f"wrote {os.path.relpath(path, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
