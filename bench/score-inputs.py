#!/usr/bin/env python3
"""Writes the inputs of bench/score from an MNIST-format directory (gzip or raw IDX files).

    bench/score-inputs.py DATA WORK idx70k|png10k|png100k

idx70k   WORK/mnist-70000-images-idx3-ubyte: the 60000 training and 10000 test images as one raw IDX file,
         with WORK/mnist-70000-labels-idx1-ubyte.
png10k   WORK/png-10000/: the 10000 test images as 28x28 8-bit greyscale PNG files, 10 folders of 1000.
png100k  WORK/png-100000/: the test images ten times (copy c in folder c), nested two deep:
         c/d/NNNNN.png with d = index // 1000 (100 folders of 1000 files).
Each input is written under a temporary name and renamed when complete; an existing one is kept.
Pure Python (zlib), no PIL: every PNG has one IDAT chunk of unfiltered rows.
"""
import gzip
import os
import struct
import sys
import zlib


def read_idx(data, name):
    for candidate in (os.path.join(data, name + ".gz"), os.path.join(data, name)):
        if os.path.exists(candidate):
            opener = gzip.open if candidate.endswith(".gz") else open
            with opener(candidate, "rb") as f:
                return f.read()
    sys.exit("error: %s: no %s(.gz)" % (data, name))


def images(data, name):
    raw = read_idx(data, name)
    n, rows, cols = struct.unpack(">III", raw[4:16])
    return n, rows, cols, raw[16:]


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)


def png(pixels, rows, cols):
    raw = b"".join(b"\x00" + pixels[y * cols:(y + 1) * cols] for y in range(rows))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", cols, rows, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def write_pngs(data, target, copies, folder_of):
    if os.path.exists(target):
        return
    n, rows, cols, pixels = images(data, "t10k-images-idx3-ubyte")
    size = rows * cols
    encoded = [png(pixels[i * size:(i + 1) * size], rows, cols) for i in range(n)]
    tmp = target + ".tmp"
    for c in range(copies):
        for i in range(n):
            sub = os.path.join(tmp, folder_of(c, i))
            os.makedirs(sub, exist_ok=True)
            with open(os.path.join(sub, "%05d.png" % i), "wb") as f:
                f.write(encoded[i])
    os.rename(tmp, target)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    data, work, what = sys.argv[1:]
    os.makedirs(work, exist_ok=True)
    if what == "idx70k":
        target = os.path.join(work, "mnist-70000-images-idx3-ubyte")
        if not os.path.exists(target):
            n1, r, c, p1 = images(data, "train-images-idx3-ubyte")
            n2, _, _, p2 = images(data, "t10k-images-idx3-ubyte")
            l1 = read_idx(data, "train-labels-idx1-ubyte")[8:]
            l2 = read_idx(data, "t10k-labels-idx1-ubyte")[8:]
            labels = os.path.join(work, "mnist-70000-labels-idx1-ubyte")
            with open(labels + ".tmp", "wb") as f:
                f.write(struct.pack(">II", 0x801, n1 + n2) + l1 + l2)
            os.rename(labels + ".tmp", labels)
            with open(target + ".tmp", "wb") as f:
                f.write(struct.pack(">IIII", 0x803, n1 + n2, r, c) + p1 + p2)
            os.rename(target + ".tmp", target)
    elif what == "png10k":
        write_pngs(data, os.path.join(work, "png-10000"), 1, lambda c, i: "%d" % (i // 1000))
    elif what == "png100k":
        write_pngs(data, os.path.join(work, "png-100000"), 10, lambda c, i: "%d/%d" % (c, i // 1000))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
