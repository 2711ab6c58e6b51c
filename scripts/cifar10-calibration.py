#!/usr/bin/env python3
"""Calibration of the CIFAR-10 judge, on the real data: what `gan4j eval` says of sets whose quality is known.

    /usr/bin/python3 scripts/cifar10-calibration.py [--data-dir ../shared/data/cifar-10-batches-bin]

Writes five sample files (uint8 .npy, [10000, 3, 32, 32]) to a temporary folder: the test set itself, the
first 10 000 training images, Gaussian noise, 10 000 copies of one cat, and the test set blurred with a
Gaussian of sigma 1 pixel; judges each with `./gan4j eval --dataset cifar10` (which trains and caches the
CIFAR-10 classifier first if it is missing: about 25 minutes on 2 cores) and prints one Markdown table.
The MNIST counterpart is a unit test (MnistCalibrationTest); this one is a script because CI cannot afford
to train the CIFAR-10 classifier. Needs numpy.
"""
import argparse
import gzip
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def batches(data_dir, prefix):
    images, labels = [], []
    for path in sorted(data_dir.glob(prefix + "*.bin*")):
        raw = gzip.open(path).read() if path.suffix == ".gz" else path.read_bytes()
        records = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3073)
        labels.append(records[:, 0])
        images.append(records[:, 1:].reshape(-1, 3, 32, 32))
    if not images:
        raise SystemExit(f"cifar10-calibration: no {prefix}*.bin files in {data_dir}")
    return np.concatenate(images), np.concatenate(labels)


def blurred(images, sigma=1.0, radius=3):
    taps = np.exp(-np.arange(-radius, radius + 1) ** 2 / (2 * sigma ** 2))
    taps /= taps.sum()
    out = images.astype(np.float32)
    for axis in (2, 3):
        padding = [(0, 0)] * 4
        padding[axis] = (radius, radius)
        padded = np.pad(out, padding, mode="edge")
        out = sum(w * np.take(padded, range(i, i + images.shape[axis]), axis=axis) for i, w in enumerate(taps))
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared/data/cifar-10-batches-bin")
    args = parser.parse_args()
    test, test_labels = batches(args.data_dir, "test_batch")
    train, _ = batches(args.data_dir, "data_batch_1")
    cat = int(np.argmax(test_labels == 3))
    noise = np.random.default_rng(1).standard_normal(test.shape).clip(-1, 1)
    sets = {
        "the test set itself": test,
        "first 10 000 training images": train[:10_000],
        "Gaussian noise": np.rint((noise + 1) * 127.5).astype(np.uint8),
        "10 000 copies of one cat": np.repeat(test[cat:cat + 1], len(test), axis=0),
        "the test set blurred (sigma 1 px)": blurred(test),
    }
    rows = ["| samples (10 000 each) | IS | FID | precision / recall | classes covered | confident |",
            "|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as folder:
        for i, (name, images) in enumerate(sets.items()):
            samples, report = Path(folder) / f"set{i}.npy", Path(folder) / f"set{i}.json"
            np.save(samples, images)
            subprocess.run([str(ROOT / "gan4j"), "eval", str(samples), "--dataset", "cifar10",
                            "--data-dir", str(args.data_dir), "--json", str(report)], check=True,
                           stdout=subprocess.DEVNULL)
            r = json.loads(report.read_text())
            rows.append(f"| {name} | {r['inceptionScore']:.2f} ± {r['inceptionScoreStd']:.2f} | {r['fid']:.2f} | "
                        f"{r['precision']:.3f} / {r['recall']:.3f} | {r['classesCovered']} | "
                        f"{100 * r['confidentFraction']:.1f}% |")
            print(rows[-1], flush=True)
    classifier = r["classifier"]
    print(f"\nclassifier {classifier['name']}, test accuracy {100 * classifier['testAccuracy']:.2f}%\n")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
