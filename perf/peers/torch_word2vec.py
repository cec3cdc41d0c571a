#!/usr/bin/python3
"""PyTorch peer of GpuTrain's word2vec step: TensorFlow's word2vec_basic (skip-gram, tf.nn.nce_loss
with the log-uniform unique sampler and the log-expected-count correction, SGD at 1.0 on sparse rows).

Same corpus, vocabulary (UNK + the --vocab-size - 1 most frequent words, fewer when the corpus has
fewer), batch generator, sampler formulas, initialization ranges and hyper-parameters as
`gputrain train word2vec`; the random draws differ. The tables and the sampler's range are the
vocabulary actually built, as in GpuTrain: sizing them by --vocab-size on a corpus with fewer distinct
words (the bundled one has 33,237) would draw a third of the candidates from rows no word uses, which
slows learning by half (the loss gap once recorded in perf/RESULTS.md).
Run with Debian's python3-torch (/usr/bin/python3). Prints one JSON line: steps per second (median
window), ms per step, and the average loss of every window (perf/word2vec_loss.py compares them with
GpuTrain's average-loss reports).
"""
import argparse
import collections
import gzip
import math
import random

import torch

import peer_timing


def read_words(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode("ascii").split()


def build_dataset(words, n_words):
    count = [["UNK", -1]]
    count.extend(collections.Counter(words).most_common(n_words - 1))
    dictionary = {w: i for i, (w, _) in enumerate(count)}
    return [dictionary.get(w, 0) for w in words], len(dictionary)


class Batcher:
    """The tutorial's generate_batch with its deque and data_index."""

    def __init__(self, data, batch_size, num_skips, skip_window):
        self.data, self.batch_size, self.num_skips, self.skip_window = data, batch_size, num_skips, skip_window
        self.data_index = 0

    def next(self):
        span = 2 * self.skip_window + 1
        batch, labels = [0] * self.batch_size, [0] * self.batch_size
        buf = collections.deque(maxlen=span)
        if self.data_index + span > len(self.data):
            self.data_index = 0
        buf.extend(self.data[self.data_index:self.data_index + span])
        self.data_index += span
        for i in range(self.batch_size // self.num_skips):
            context = [w for w in range(span) if w != self.skip_window]
            for j, c in enumerate(random.sample(context, self.num_skips)):
                batch[i * self.num_skips + j] = buf[self.skip_window]
                labels[i * self.num_skips + j] = buf[c]
            if self.data_index == len(self.data):
                buf.extend(self.data[0:span])
                self.data_index = span
            else:
                buf.append(self.data[self.data_index])
                self.data_index += 1
        self.data_index = (self.data_index + len(self.data) - span) % len(self.data)
        return torch.tensor(batch), torch.tensor(labels)


def log_uniform_unique(num_sampled, range_max, log_range):
    """TF's LogUniformSampler with unique=True: draws until num_sampled distinct classes."""
    taken, seen, tries = [], set(), 0
    while len(taken) < num_sampled:
        v = (int(math.exp(random.random() * log_range)) - 1) % range_max
        tries += 1
        if v not in seen:
            seen.add(v)
            taken.append(v)
    return torch.tensor(taken), tries


def expected_count(ids, num_sampled, tries, range_max):
    p = (torch.log(ids.double() + 2) - torch.log(ids.double() + 1)) / math.log(range_max + 1)
    c = p * num_sampled if tries == num_sampled else -torch.expm1(tries * torch.log1p(-p))
    return c.float()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="data/text8/text8-pd-debian-only.gz")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--windows", type=int, default=5)
    parser.add_argument("--steps-per-window", type=int, default=1000)
    parser.add_argument("--vocab-size", type=int, default=50000)
    parser.add_argument("--embedding-size", type=int, default=128)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--num-sampled", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    data, v = build_dataset(read_words(args.data), args.vocab_size)
    d, b, s = args.embedding_size, args.batch_size, args.num_sampled
    batches = Batcher(data, b, 2, 1)
    emb = torch.nn.Embedding(v, d, sparse=True)
    w = torch.nn.Embedding(v, d, sparse=True)
    bias = torch.nn.Embedding(v, 1, sparse=True)
    with torch.no_grad():
        emb.weight.uniform_(-1, 1)
        torch.nn.init.trunc_normal_(w.weight, std=1 / math.sqrt(d), a=-2 / math.sqrt(d), b=2 / math.sqrt(d))
        bias.weight.zero_()
    opt = torch.optim.SGD(list(emb.parameters()) + list(w.parameters()) + list(bias.parameters()), lr=1.0)
    log_range = math.log1p(v)

    def step():
        x, y = batches.next()
        sampled, tries = log_uniform_unique(s, v, log_range)
        e = emb(x)
        true_logits = (e * w(y)).sum(1) + bias(y).squeeze(1) - torch.log(expected_count(y, s, tries, v))
        sampled_logits = e @ w(sampled).t() + bias(sampled).squeeze(1) - torch.log(expected_count(sampled, s, tries, v))
        loss = (torch.nn.functional.softplus(-true_logits) + torch.nn.functional.softplus(sampled_logits).sum(1)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    sps, losses = peer_timing.time_steps(step, args.warmup, args.windows, args.steps_per_window)
    peer_timing.report("word2vec", args.threads, sps, steps=args.warmup + args.windows * args.steps_per_window,
                       vocabulary=v, average_loss_last_window=losses[-1], window_losses=losses)


if __name__ == "__main__":
    main()
