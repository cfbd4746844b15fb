#!/usr/bin/env python3
"""PyTorch CPU peer for bench/train: the same networks, data, batches and updaters as conf/nielsen.conf,
conf/fast.conf and conf/best.conf, written the way a PyTorch user would (tensors in memory, randperm batches,
no DataLoader). One JSON line per run in bench/train's format (--append).

  python3 bench/peers/train_torch.py --preset best --data ../shared/data/mnist --threads 2 --append out.jsonl
"""
import argparse
import sys
import time

import mnist_idx

PRESETS = {
    # hidden sizes, hidden activation, output, updater, learning rate, decay per epoch, dropout, batch, epochs, validation
    "nielsen": dict(hidden=[30], act="sigmoid", loss="quadratic", updater="sgd", lr=3.0, decay=1.0, dropout=0.0,
                    batch=10, epochs=30, validation=0.1666667),
    "fast": dict(hidden=[100], act="relu", loss="cross-entropy", updater="adam", lr=0.003, decay=1.0, dropout=0.0,
                 batch=100, epochs=5, validation=0),
    "best": dict(hidden=[800, 800], act="relu", loss="cross-entropy", updater="adam", lr=0.001, decay=0.85,
                 dropout=0.3, batch=100, epochs=20, validation=0),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", choices=PRESETS, required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--batch", type=int, help="mini-batch size instead of the preset's (training.batch-size)")
    parser.add_argument("--lr", help="learning rate instead of the preset's (training.learning-rate)")
    parser.add_argument("--append", required=True, help="JSON-lines file to append the run to")
    args = parser.parse_args()
    try:
        import torch
        import torch.nn as nn
    except ImportError:
        sys.exit("error: PyTorch is not installed; install Debian's python3-torch (apt-get install python3-torch)")

    p = dict(PRESETS[args.preset])
    label = args.preset
    overrides = []
    if args.batch:
        p["batch"] = args.batch
        overrides.append(f"training.batch-size={args.batch}")
    if args.lr:
        p["lr"] = float(args.lr)
        overrides.append(f"training.learning-rate={args.lr}")  # as given, so that it pairs with the pipeline's
    if overrides:  # labelled like the Java candidates' overridden configurations
        label = f"{args.preset} {{{', '.join(overrides)}}}"
    epochs = args.epochs or p["epochs"]
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    startup = mnist_idx.process_age()
    setup_start = time.perf_counter()
    xtr, ytr, xte, yte = mnist_idx.load(args.data)
    if p["validation"]:  # a fraction held out, as training.validation-size: the peers train on the rest
        keep = xtr.shape[0] - round(xtr.shape[0] * p["validation"])
        xtr, ytr = xtr[:keep], ytr[:keep]
    xtr, ytr, xte, yte = (torch.from_numpy(a) for a in (xtr, ytr, xte, yte))

    layers, width = [], 784
    act = nn.Sigmoid if p["act"] == "sigmoid" else nn.ReLU
    for i, size in enumerate(p["hidden"]):
        if i > 0 and p["dropout"] > 0:
            layers.append(nn.Dropout(p["dropout"]))
        layers += [nn.Linear(width, size), act()]
        width = size
    if p["dropout"] > 0 and len(p["hidden"]) > 0:
        layers.append(nn.Dropout(p["dropout"]))
    layers.append(nn.Linear(width, 10))
    if p["loss"] == "quadratic":
        layers.append(nn.Sigmoid())
    model = nn.Sequential(*layers)
    with torch.no_grad():
        for m in model:
            if isinstance(m, nn.Linear):
                if p["loss"] == "quadratic":  # Nielsen: weights and biases N(0, 1)
                    nn.init.normal_(m.weight)
                    nn.init.normal_(m.bias)
                else:  # DL4J's RELU init: N(0, 2 / fan-in), zero biases
                    nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                    nn.init.zeros_(m.bias)
    if p["updater"] == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=p["lr"])
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=p["lr"])
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=p["decay"]) if p["decay"] < 1 else None
    eye = torch.eye(10)

    def loss_of(out, y):
        if p["loss"] == "quadratic":  # C = 1/2 |y - a|^2 per example, averaged over the batch
            return 0.5 * ((out - eye[y]) ** 2).sum(dim=1).mean()
        return nn.functional.cross_entropy(out, y)

    setup = time.perf_counter() - setup_start
    n, batch = xtr.shape[0], p["batch"]
    records = []
    for epoch in range(1, epochs + 1):
        fit_start, cpu_start = time.perf_counter(), mnist_idx.cpu_seconds()
        model.train()
        order = torch.randperm(n)
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_of(model(xtr[idx]), ytr[idx])
            loss.backward()
            optimizer.step()
        if scheduler:
            scheduler.step()
        fit_s, fit_cpu = time.perf_counter() - fit_start, mnist_idx.cpu_seconds() - cpu_start
        eval_start = time.perf_counter()
        model.eval()
        with torch.no_grad():
            accuracy = (model(xte).argmax(dim=1) == yte).float().mean().item()
        eval_s = time.perf_counter() - eval_start
        records.append(mnist_idx.epoch_record(epoch, fit_s, fit_cpu, eval_s, accuracy))
        print(f"pytorch {args.preset} epoch {epoch}/{epochs}: {100 * accuracy:.2f}%  fit {fit_s:.2f} s  "
              f"eval {eval_s:.2f} s", flush=True)
    mnist_idx.append_run(args.append, "pytorch-cpu", label, args.data, args.threads, n, startup, setup, records)


if __name__ == "__main__":
    main()
