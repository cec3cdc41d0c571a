#!/usr/bin/python3
"""PyTorch peer of GpuTrain's PTB LSTM (TensorFlow's ptb_word_lm, small config).

Run with Debian's python3-torch (/usr/bin/python3).

Benchmark mode (default): synthetic ids, one fixed batch, state carried; prints one JSON line with
steps per second (median of the timed windows) and ms per step, like the other peers.

Training mode (--data DIR): the tutorial's reader (vocabulary by (-count, word), <eos> at line
ends), ptb_producer batching, init uniform(-0.1, 0.1) with zero LSTM biases, the cost summed over
steps and averaged over the batch, global-norm clipping at 5, SGD at lr 1.0 with the tutorial's
decay; trains --train-steps steps (or one epoch) from a zero state and prints one JSON line with
the train and valid perplexity (valid evaluated with batch 20 x 20, as the tutorial's mvalid).
"""
import argparse
import collections
import gzip
import json
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

import peer_timing

SMALL = dict(init_scale=0.1, learning_rate=1.0, max_grad_norm=5.0, num_layers=2, num_steps=20,
             hidden_size=200, max_epoch=4, lr_decay=0.5, batch_size=20, keep_prob=1.0)
MEDIUM = dict(init_scale=0.05, learning_rate=1.0, max_grad_norm=5.0, num_layers=2, num_steps=35,
              hidden_size=650, max_epoch=6, lr_decay=0.8, batch_size=20, keep_prob=0.5)
CONFIGS = {"small": SMALL, "medium": MEDIUM}


class PtbModel(nn.Module):
    """Embedding, stacked LSTM, softmax; with keep_prob < 1 (medium), dropout on the embedding output
    and on every LSTM layer's output, as the tutorial's DropoutWrapper(output_keep_prob) does."""

    def __init__(self, vocab, c):
        super().__init__()
        drop = 1.0 - c["keep_prob"]
        self.embedding = nn.Embedding(vocab, c["hidden_size"])
        self.drop = nn.Dropout(drop)
        self.lstm = nn.LSTM(c["hidden_size"], c["hidden_size"], c["num_layers"], dropout=drop)
        self.softmax = nn.Linear(c["hidden_size"], vocab)
        for name, p in self.named_parameters():
            # BasicLSTMCell's bias starts at zero; every other variable uniform(-init_scale, init_scale).
            if name.startswith("lstm.bias"):
                nn.init.zeros_(p)
            else:
                nn.init.uniform_(p, -c["init_scale"], c["init_scale"])

    def forward(self, ids, state):
        """ids: [steps, batch] (time-major). Returns logits [steps * batch, vocab] and the final state."""
        out, state = self.lstm(self.drop(self.embedding(ids)), state)
        out = self.drop(out)
        return self.softmax(out.reshape(-1, out.shape[-1])), state


def cost(logits, targets, batch):
    """The tutorial's loss: cross-entropy summed over steps, averaged over the batch."""
    return F.cross_entropy(logits, targets.reshape(-1), reduction="sum") / batch


def zero_state(c, batch):
    z = torch.zeros(c["num_layers"], batch, c["hidden_size"])
    return (z, z.clone())


def read_words(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return f.read().replace("\n", "<eos>").split()


def find(data_dir, split):
    for name in (f"ptb.{split}.txt", f"ptb.{split}.txt.gz"):
        if os.path.exists(os.path.join(data_dir, name)):
            return os.path.join(data_dir, name)
    raise FileNotFoundError(f"ptb.{split}.txt[.gz] not in {data_dir}")


def load(data_dir):
    train_words = read_words(find(data_dir, "train"))
    pairs = sorted(collections.Counter(train_words).items(), key=lambda x: (-x[1], x[0]))
    ids = {w: i for i, (w, _) in enumerate(pairs)}
    to_ids = lambda words: [ids[w] for w in words if w in ids]
    return len(ids), to_ids(train_words), to_ids(read_words(find(data_dir, "valid")))


def producer(raw, batch, steps):
    """ptb_producer: rows of len // batch ids; batch i is columns [i*steps, (i+1)*steps), targets shifted by one."""
    data = torch.tensor(raw, dtype=torch.long)
    batch_len = len(raw) // batch
    data = data[: batch * batch_len].reshape(batch, batch_len)
    epoch_size = (batch_len - 1) // steps
    for i in range(epoch_size):
        x = data[:, i * steps:(i + 1) * steps]
        y = data[:, i * steps + 1:(i + 1) * steps + 1]
        yield x.t().contiguous(), y.t().contiguous()


def train_mode(args):
    c = SMALL
    vocab, train, valid = load(args.data)
    torch.manual_seed(args.seed)
    model = PtbModel(vocab, c)
    opt = torch.optim.SGD(model.parameters(), lr=c["learning_rate"])
    batch, steps = c["batch_size"], c["num_steps"]
    epoch_size = (len(train) // batch - 1) // steps
    limit = args.train_steps or epoch_size
    state = zero_state(c, batch)
    costs, iters, start = 0.0, 0, time.perf_counter()
    for step, (x, y) in enumerate(producer(train, batch, steps)):
        if step >= limit:
            break
        lr = c["learning_rate"] * c["lr_decay"] ** max(step // epoch_size + 1 - c["max_epoch"], 0)
        for group in opt.param_groups:
            group["lr"] = lr
        state = tuple(s.detach() for s in state)  # truncated BPTT: carry the values, not the graph
        logits, state = model(x, state)
        loss = cost(logits, y, batch)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), c["max_grad_norm"])
        opt.step()
        costs += loss.item()
        iters += steps
    train_seconds = time.perf_counter() - start
    model.eval()
    state, vcosts, viters = zero_state(c, batch), 0.0, 0
    with torch.no_grad():
        for x, y in producer(valid, batch, steps):
            logits, state = model(x, state)
            vcosts += cost(logits, y, batch).item()
            viters += steps
    print(json.dumps({"model": "ptb-lstm", "framework": "pytorch " + torch.__version__, "threads": args.threads,
                      "steps": min(limit, epoch_size), "epoch_size": epoch_size, "vocab": vocab,
                      "train_perplexity": math.exp(costs / iters), "valid_perplexity": math.exp(vcosts / viters),
                      "train_seconds": train_seconds, "steps_per_s": min(limit, epoch_size) / train_seconds}))


def bench_mode(args):
    c = CONFIGS[args.config]
    vocab = 10000
    torch.manual_seed(0)
    model = PtbModel(vocab, c)
    opt = torch.optim.SGD(model.parameters(), lr=c["learning_rate"])
    batch, steps = c["batch_size"], c["num_steps"]
    x = torch.randint(0, vocab, (steps, batch))
    y = torch.randint(0, vocab, (steps, batch))
    state = [zero_state(c, batch)]

    def step():
        state[0] = tuple(s.detach() for s in state[0])
        logits, state[0] = model(x, state[0])
        loss = cost(logits, y, batch)
        opt.zero_grad(set_to_none=False)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), c["max_grad_norm"])
        opt.step()
        return loss.item()

    sps, _ = peer_timing.time_steps(step, args.warmup, args.windows, args.steps_per_window)
    peer_timing.report("ptb-lstm" if args.config == "small" else "ptb-lstm-" + args.config, args.threads, sps, config=args.config)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--windows", type=int, default=5)
    parser.add_argument("--steps-per-window", type=int, default=10)
    parser.add_argument("--data", help="train on this PTB folder instead of benchmarking")
    parser.add_argument("--train-steps", type=int, default=0, help="training mode: steps to train (0: one epoch)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--config", choices=sorted(CONFIGS), default="small", help="benchmark mode: the tutorial's config")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.data:
        train_mode(args)
    else:
        bench_mode(args)


if __name__ == "__main__":
    main()
