#!/usr/bin/env python3
"""Vectorized numpy peer for bench/train: Nielsen's network (conf/nielsen.conf: 784-30-10 sigmoid, quadratic cost,
SGD eta 3.0, mini-batches of 10, 5/6 of the training images: 50000 of MNIST's) with each mini-batch as one matrix product per layer, the
way Nielsen's network.py is usually vectorized. One JSON line per run in bench/train's format (--append).

  python3 bench/peers/train_numpy.py --data ../shared/data/mnist --append out.jsonl
"""
import argparse
import time

import numpy as np

import mnist_idx


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--append", required=True)
    args = parser.parse_args()
    startup = mnist_idx.process_age()
    setup_start = time.perf_counter()
    xtr, ytr, xte, yte = mnist_idx.load(args.data)
    keep = xtr.shape[0] - round(xtr.shape[0] * 0.1666667)  # conf/nielsen.conf's validation-size
    xtr, ytr = xtr[:keep], ytr[:keep]
    rng = np.random.default_rng(args.seed)
    sizes = [784, 30, 10]
    weights = [rng.standard_normal((o, i)).astype(np.float32) for i, o in zip(sizes[:-1], sizes[1:])]
    biases = [rng.standard_normal((o,)).astype(np.float32) for o in sizes[1:]]
    eye = np.eye(10, dtype=np.float32)
    eta, batch = np.float32(3.0), 10
    setup = time.perf_counter() - setup_start
    records = []
    for epoch in range(1, args.epochs + 1):
        fit_start, cpu_start = time.perf_counter(), mnist_idx.cpu_seconds()
        order = rng.permutation(xtr.shape[0])
        for start in range(0, xtr.shape[0], batch):
            idx = order[start:start + batch]
            x, y = xtr[idx], eye[ytr[idx]]
            a1 = sigmoid(x @ weights[0].T + biases[0])
            a2 = sigmoid(a1 @ weights[1].T + biases[1])
            d2 = (a2 - y) * a2 * (1 - a2)              # dC/dz for C = 1/2 |y - a|^2
            d1 = (d2 @ weights[1]) * a1 * (1 - a1)
            step = eta / len(idx)
            weights[1] -= step * (d2.T @ a1)
            biases[1] -= step * d2.sum(axis=0)
            weights[0] -= step * (d1.T @ x)
            biases[0] -= step * d1.sum(axis=0)
        fit_s, fit_cpu = time.perf_counter() - fit_start, mnist_idx.cpu_seconds() - cpu_start
        eval_start = time.perf_counter()
        out = sigmoid(sigmoid(xte @ weights[0].T + biases[0]) @ weights[1].T + biases[1])
        accuracy = float((out.argmax(axis=1) == yte).mean())
        eval_s = time.perf_counter() - eval_start
        records.append(mnist_idx.epoch_record(epoch, fit_s, fit_cpu, eval_s, accuracy))
        print(f"numpy nielsen epoch {epoch}/{args.epochs}: {100 * accuracy:.2f}%  fit {fit_s:.2f} s", flush=True)
    mnist_idx.append_run(args.append, "numpy", "nielsen", args.data, 1, xtr.shape[0], startup, setup, records)


if __name__ == "__main__":
    main()
