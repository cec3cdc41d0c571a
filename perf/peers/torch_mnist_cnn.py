#!/usr/bin/python3
"""PyTorch peer of GpuTrain's Deep MNIST CNN: same model, batch, optimizer and thread count.

Run with Debian's python3-torch (/usr/bin/python3). Synthetic data, as GpuTrain's benchmark uses.
Prints one JSON line: steps per second (median of the timed windows), ms per step.
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F

import peer_timing


class DeepMnistCnn(nn.Module):
    """TensorFlow's Deep MNIST tutorial model (conv5x5x32, pool, conv5x5x64, pool, fc1024, dropout, fc10)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5, padding=2)
        self.conv2 = nn.Conv2d(32, 64, 5, padding=2)
        self.fc1 = nn.Linear(7 * 7 * 64, 1024)
        self.fc2 = nn.Linear(1024, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.dropout(F.relu(self.fc1(x.flatten(1))), 0.5, self.training)
        return self.fc2(x)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--windows", type=int, default=5)
    parser.add_argument("--steps-per-window", type=int, default=20)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = DeepMnistCnn()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4, eps=1e-8)
    x = torch.rand(args.batch_size, 1, 28, 28)
    y = torch.randint(0, 10, (args.batch_size,))

    def step():
        opt.zero_grad(set_to_none=False)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    sps, _ = peer_timing.time_steps(step, args.warmup, args.windows, args.steps_per_window)
    peer_timing.report("mnist-cnn", args.threads, sps, batch=args.batch_size)


if __name__ == "__main__":
    main()
