#!/usr/bin/env python3
"""Joins a JMH CSV result file (-rf csv) with bench_reference.py's CSV into a markdown table.

    python3 benchmarks/pytorch/compare.py jmh.csv torch.csv [--before jmh-before.csv]

Ratio = gan4j time / PyTorch time: below 1 gan4j is faster, 2 means gan4j takes twice as long.
With --before, adds the earlier gan4j time and the speed-up (before / after).
"""
import argparse
import csv

FLOP_FREE = ("bn:", "elt:")


def jmh_times(path):
    times = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            cls, method = row["Benchmark"].split(".")[-2:]
            p = {k[len("Param: "):]: v for k, v in row.items() if k.startswith("Param: ") and v}
            if cls == "Conv2dBenchmark":
                key = f"conv:{p['layer']}:{p['pass']}"
            elif cls == "GemmBenchmark":
                key = f"gemm:{p['shape']}"
            elif cls == "BatchNormBenchmark":
                key = f"bn:{p['shape']}:{method}"
            elif cls == "ElementwiseBenchmark":
                key = f"elt:{p['shape']}:{method}"
            elif cls == "AdamBenchmark":
                key = f"adam:{p['size']}:{method}"
            else:
                continue
            unit = row["Unit"]
            scale = {"ms/op": 1.0, "us/op": 1e-3, "ns/op": 1e-6, "s/op": 1e3}[unit]
            times[key] = float(row["Score"]) * scale
    return times


def torch_times(path):
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f) if r and not r[0].startswith("#")]
    header, rows = rows[0], rows[1:]
    return {r[0]: (float(r[1]), r[2] if len(r) > 2 else "") for r in rows}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("jmh")
    parser.add_argument("torch")
    parser.add_argument("--before", help="an earlier JMH CSV of gan4j, for speed-ups")
    args = parser.parse_args()
    after = jmh_times(args.jmh)
    ref = torch_times(args.torch)
    before = jmh_times(args.before) if args.before else {}
    head = "| case | gan4j ms | PyTorch ms | gan4j/PyTorch |"
    line = "|---|---:|---:|---:|"
    if before:
        head = "| case | gan4j before ms | gan4j ms | speed-up | PyTorch ms | before/PyTorch | gan4j/PyTorch |"
        line = "|---|---:|---:|---:|---:|---:|---:|"
    print(head)
    print(line)
    for key, ms in after.items():
        t = ref.get(key, (None, ""))[0]
        ratio = f"{ms / t:.2f}" if t else "n/a"
        tcell = f"{t:.3f}" if t else "n/a"
        if before:
            b = before.get(key)
            bcell = f"{b:.3f}" if b else "n/a"
            speed = f"{b / ms:.2f}x" if b else "n/a"
            bratio = f"{b / t:.2f}" if b and t else "n/a"
            print(f"| {key} | {bcell} | {ms:.3f} | {speed} | {tcell} | {bratio} | {ratio} |")
        else:
            print(f"| {key} | {ms:.3f} | {tcell} | {ratio} |")


if __name__ == "__main__":
    main()
