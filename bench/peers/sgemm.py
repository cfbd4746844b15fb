#!/usr/bin/env python3
"""The peers' side of bench/roofline: GFLOP/s of numpy's and PyTorch's sgemm on the matrix products of one fit
step of each preset (the shapes io.mnistspark.bench.SgemmRoofline times through ND4J), one JSON line per source and
preset. Threads: --threads (numpy's BLAS reads OPENBLAS_NUM_THREADS, set by bench/roofline)."""
import argparse
import json
import statistics
import time

import numpy as np

PRESETS = {"nielsen": ([784, 30, 10], 10), "fast": ([784, 100, 10], 100), "best": ([784, 800, 800, 10], 100)}


def products(sizes, batch):
    out = []
    for i in range(1, len(sizes)):
        n_in, n_out = sizes[i - 1], sizes[i]
        out.append(("forward", batch, n_in, n_out))          # [B x in] x [in x out]
        out.append(("weight gradient", n_in, batch, n_out))  # [in x B] x [B x out]
        if i > 1:
            out.append(("input gradient", batch, n_out, n_in))  # [B x out] x [out x in]
    return out


def timed(f, seconds=0.3, repetitions=5):
    loops = 1
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            f()
        elapsed = time.perf_counter() - start
        if elapsed >= seconds / 4:
            loops = max(1, int(loops * seconds / elapsed))
            break
        loops *= 4
    per_call = []
    for _ in range(repetitions):
        start = time.perf_counter()
        for _ in range(loops):
            f()
        per_call.append((time.perf_counter() - start) / loops)
    return statistics.median(per_call)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--append", required=True)
    args = parser.parse_args()
    sources = {"numpy": None}
    try:
        import torch
        torch.set_num_threads(args.threads)
        sources["pytorch"] = torch
    except ImportError:
        print("PyTorch is not installed (apt-get install python3-torch): only numpy is measured")
    rng = np.random.default_rng(1)
    for source, torch in sources.items():
        for preset, (sizes, batch) in PRESETS.items():
            flops, seconds = 0.0, 0.0
            for role, m, k, n in products(sizes, batch):
                a = rng.random((m, k), dtype=np.float32)
                b = rng.random((k, n), dtype=np.float32)
                if torch is not None:
                    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
                    s = timed(lambda: torch.mm(ta, tb))
                else:
                    s = timed(lambda: a @ b)
                flops += 2.0 * m * k * n
                seconds += s
            line = {"source": source, "threads": str(args.threads), "preset": preset, "fit_step_flops": flops,
                    "roofline_microseconds": seconds * 1e6, "roofline_gflops": flops / seconds / 1e9}
            print(f"{source:8} {preset:8} threads {args.threads}: {line['roofline_gflops']:.2f} GFLOP/s")
            with open(args.append, "a") as f:
                f.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
