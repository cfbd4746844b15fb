#!/usr/bin/env python3
"""Writes MNIST xK: the training images of an MNIST-format directory and K-1 shifted copies of them.

    bench/make-scaled.py SRC DST K [--gzip]

DST gets train-images-idx3-ubyte (K x 60000 images: copy 0 unchanged, copy c shifted by the c-th (dx, dy)
in order of distance, zero-filled), train-labels-idx1-ubyte, and the test files unchanged (raw), or all four
gzip-compressed with --gzip. Streams copy by copy: memory stays at a few copies of the source.
"""
import gzip
import struct
import sys
from pathlib import Path

import numpy as np


def read_idx(path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows, cols)
    return np.frombuffer(data, dtype=np.uint8, offset=8)


def find(src, name):
    for candidate in (src / (name + ".gz"), src / name):
        if candidate.exists():
            return candidate
    sys.exit(f"error: {src}: no {name}(.gz)")


def shifts(k):
    pairs = [(dx, dy) for dx in range(-6, 7) for dy in range(-6, 7)]
    pairs.sort(key=lambda p: (p[0] ** 2 + p[1] ** 2, p))
    return pairs[:k]


def shifted(images, dx, dy):
    out = np.zeros_like(images)
    h, w = images.shape[1:]
    ys, yd = (slice(0, h - dy), slice(dy, h)) if dy >= 0 else (slice(-dy, h), slice(0, h + dy))
    xs, xd = (slice(0, w - dx), slice(dx, w)) if dx >= 0 else (slice(-dx, w), slice(0, w + dx))
    out[:, yd, xd] = images[:, ys, xs]
    return out


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    src, dst, k = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    compress = "--gzip" in sys.argv[4:]
    dst.mkdir(parents=True, exist_ok=True)
    images = read_idx(find(src, "train-images-idx3-ubyte"))
    labels = read_idx(find(src, "train-labels-idx1-ubyte"))
    n, rows, cols = images.shape
    suffix = ".gz" if compress else ""
    opener = (lambda p: gzip.open(p, "wb", compresslevel=6)) if compress else (lambda p: open(p, "wb"))
    with opener(dst / ("train-images-idx3-ubyte" + suffix)) as f:
        f.write(struct.pack(">IIII", 2051, n * k, rows, cols))
        for dx, dy in shifts(k):
            f.write(shifted(images, dx, dy).tobytes())
    with opener(dst / ("train-labels-idx1-ubyte" + suffix)) as f:
        f.write(struct.pack(">II", 2049, n * k))
        for _ in range(k):
            f.write(labels.tobytes())
    for name, magic in (("t10k-images-idx3-ubyte", 2051), ("t10k-labels-idx1-ubyte", 2049)):
        data = read_idx(find(src, name))
        with opener(dst / (name + suffix)) as f:
            if magic == 2051:
                f.write(struct.pack(">IIII", magic, *data.shape))
            else:
                f.write(struct.pack(">II", magic, data.shape[0]))
            f.write(data.tobytes())


if __name__ == "__main__":
    main()
