"""Shared by the peer scripts: MNIST-format IDX files (gzip or raw) as numpy arrays, the process's age, and the
JSON record bench/train's table reads (the fields of io.mnistspark.bench.BenchRun)."""
import gzip
import json
import os
import struct
import time

import numpy as np


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, dims = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise SystemExit(f"error: {path}: not an unsigned-byte IDX file")
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(directory, stem):
    for name in (stem + ".gz", stem):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise SystemExit(f"error: {directory}: no {stem}[.gz]; give --data an MNIST-format directory")


def load(directory):
    """(train images float32 [n, 784] in [0, 1], train labels int64, test images, test labels)."""
    out = []
    for part in ("train", "t10k"):
        images = read_idx(find(directory, f"{part}-images-idx3-ubyte"))
        labels = read_idx(find(directory, f"{part}-labels-idx1-ubyte"))
        out.append(images.reshape(images.shape[0], -1).astype(np.float32) / 255.0)
        out.append(labels.astype(np.int64))
    return tuple(out)


def process_age():
    """Seconds since this process started (from /proc), so start-up counts as it does for the JVM candidates."""
    with open("/proc/self/stat") as f:
        start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


def peak_rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def load_average():
    with open("/proc/loadavg") as f:
        return f.read().strip()


def cpu_seconds():
    return time.process_time()


def append_run(path, candidate, config, data, workers, training_examples, startup, setup, epochs):
    record = {
        "candidate": candidate, "config": config, "data": data, "workers": workers,
        "trainingExamples": training_examples, "startupSeconds": startup, "setupSeconds": setup,
        "epochs": epochs, "peakRssMb": peak_rss_mb(), "machineLoad": load_average(),
    }
    with open(path, "a") as f:
        f.write(json.dumps(record) + "\n")


def epoch_record(epoch, fit_s, fit_cpu_s, eval_s, accuracy):
    return {"epoch": epoch, "fitSeconds": fit_s, "fitCpuSeconds": fit_cpu_s, "evaluationSeconds": eval_s,
            "testAccuracy": accuracy, "wallSeconds": process_age()}
