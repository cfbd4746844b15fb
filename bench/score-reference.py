#!/usr/bin/env python3
"""The reference for bench/score: the same scoring as `score`, done by a plain single-threaded Python loop.

    bench/score-reference.py MODEL_ZIP idx IMAGES_FILE OUT.npy
    bench/score-reference.py MODEL_ZIP png DIRECTORY OUT.npy

Reads the network from a model.zip written by `train` (DL4J's configuration.json and coefficients.bin: dense
layers, W stored column-major then b), reads the images (a raw IDX file with numpy, or every file under a
directory, in path order, decoded by PIL as 8-bit grey), runs the forward pass in batches of 1000 (float32,
one BLAS thread), and writes the predictions and the probabilities as one float32 array (prediction, p0..pK-1
per image) to OUT.npy. Prints images, seconds (model read to output written), images/s and the BLAS library numpy
used (openblas is the fair peer: Debian's package libopenblas0-pthread).
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import io  # noqa: E402
import json  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import zipfile  # noqa: E402

import numpy as np  # noqa: E402

BATCH = 1000


def read_utf(buf, at):
    n = struct.unpack(">H", buf[at:at + 2])[0]
    return buf[at + 2:at + 2 + n].decode(), at + 2 + n


def read_buffer(buf, at):
    """One ND4J DataBuffer as Nd4j.write writes it: allocation mode, length, data type, big-endian values."""
    _, at = read_utf(buf, at)
    length = struct.unpack(">q", buf[at:at + 8])[0]
    at += 8
    kind, at = read_utf(buf, at)
    dtype = {"LONG": ">i8", "INT": ">i4", "FLOAT": ">f4", "DOUBLE": ">f8"}[kind]
    size = np.dtype(dtype).itemsize * length
    return np.frombuffer(buf[at:at + size], dtype=dtype), at + size


def activation(spec):
    name = spec["@class"].rsplit(".", 1)[-1]
    if name == "ActivationReLU":
        return lambda z: np.maximum(z, 0, out=z)
    if name == "ActivationSigmoid":
        return lambda z: 1 / (1 + np.exp(-z))
    if name == "ActivationTanH":
        return np.tanh
    if name == "ActivationIdentity":
        return lambda z: z
    if name == "ActivationSoftmax":
        def softmax(z):
            e = np.exp(z - z.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
        return softmax
    sys.exit("error: %s: activation not supported by the reference" % name)


def load(model_zip):
    with zipfile.ZipFile(model_zip) as z:
        conf = json.loads(z.read("configuration.json"))
        coefficients = z.read("coefficients.bin")
    _, at = read_buffer(coefficients, 0)  # shape information
    params, _ = read_buffer(coefficients, at)
    params = params.astype(np.float32)
    layers, at = [], 0
    for entry in conf["confs"]:
        layer = entry["layer"]
        layer = next(iter(layer.values())) if len(layer) == 1 and isinstance(next(iter(layer.values())), dict) else layer
        n_in, n_out = int(layer["nin"]), int(layer["nout"])
        w = params[at:at + n_in * n_out].reshape(n_out, n_in).T.copy()  # column-major n_in x n_out
        at += n_in * n_out
        b = params[at:at + n_out].copy()
        at += n_out
        layers.append((w, b, activation(layer["activationFn"])))
    return layers


def forward(layers, x):
    for w, b, f in layers:
        x = f(x @ w + b)
    return x


def outputs(layers, x):
    p = forward(layers, x)
    if not np.allclose(p.sum(axis=1), 1, atol=1e-3):  # Spark's probability: outputs normalised to sum to 1
        s = p.sum(axis=1, keepdims=True)
        p = np.where(s > 0, p / np.where(s > 0, s, 1), 1.0 / p.shape[1])
    return np.column_stack([p.argmax(axis=1).astype(np.float32), p]).astype(np.float32)


def idx_batches(path):
    with open(path, "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        for first in range(0, n, BATCH):
            count = min(BATCH, n - first)
            yield np.frombuffer(f.read(count * rows * cols), dtype=np.uint8).reshape(count, rows * cols)


def png_batches(directory):
    from PIL import Image
    files = []
    for root, dirs, names in os.walk(directory):
        dirs.sort()
        files.extend(os.path.join(root, name) for name in names)
    files.sort()
    batch = []
    for path in files:
        with Image.open(path) as image:
            grey = image if image.mode == "L" else image.convert("L")
            if grey.size != (28, 28):
                grey = grey.resize((28, 28), Image.BOX)
            batch.append(np.asarray(grey, dtype=np.uint8).reshape(-1))
        if len(batch) == BATCH:
            yield np.stack(batch)
            batch = []
    if batch:
        yield np.stack(batch)


def blas_library():
    """The BLAS library numpy's matrix products run on in this process (from /proc/self/maps): "openblas" is the
    fair peer; Debian's reference BLAS ("blas") is many times slower and makes the reference look slow."""
    np.ones((2, 2), dtype=np.float32) @ np.ones((2, 2), dtype=np.float32)
    try:
        with open("/proc/self/maps") as maps:
            names = {os.path.basename(line.split()[-1]) for line in maps if "blas" in line.split()[-1].lower()}
    except OSError:
        return "unknown"
    if any("openblas" in name.lower() for name in names):
        return "openblas"
    if any("mkl" in name.lower() for name in names):
        return "mkl"
    return ",".join(sorted(names)) or "unknown"


def main():
    if len(sys.argv) != 5 or sys.argv[2] not in ("idx", "png"):
        sys.exit(__doc__)
    model_zip, kind, source, out = sys.argv[1:]
    start = time.perf_counter()
    layers = load(model_zip)
    scale = np.float32(1 / 255.0)
    results = []
    for pixels in (idx_batches(source) if kind == "idx" else png_batches(source)):
        results.append(outputs(layers, pixels.astype(np.float32) * scale))
    result = np.concatenate(results)
    with open(out, "wb") as f:
        np.save(f, result)
    seconds = time.perf_counter() - start
    print("reference %s images=%d seconds=%.2f images_per_second=%.0f blas=%s" % (kind, len(result), seconds,
                                                                                  len(result) / seconds, blas_library()))


if __name__ == "__main__":
    main()
