#!/usr/bin/env python3
"""PyTorch (CPU) timings of the shapes the gan4j JMH benchmarks measure, for gan4j/PyTorch ratios.

Mirrors benchmarks/src/main/java/dev/gan4j/benchmarks/*.java: the same layers (DcganLayers.java),
passes, GEMM shapes, batch-norm and elementwise shapes and Adam updates, float32, 2 threads. Each
case is timed like JMH's AverageTime mode: `--warmup` windows of `--time` seconds, then
`--iterations` measured windows; the score is the mean time per call over the measured windows.

    /usr/bin/python3 benchmarks/pytorch/bench_reference.py --out torch.csv
    /usr/bin/python3 benchmarks/pytorch/bench_reference.py --filter conv:mnist --time 0.5

Output CSV columns: key, ms (mean per call), gflops (for conv and GEMM). The keys match what
compare.py derives from a JMH CSV result file.
"""
import argparse
import csv
import os
import sys
import time

# On a shared machine (more runnable threads than cores) OpenMP's default spin-waiting makes some
# PyTorch convolutions 10-100x slower whenever a worker is preempted; passive waiting keeps the
# reference honest there. Set OMP_WAIT_POLICY=ACTIVE in the environment to measure the default.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402 (after the OpenMP setting)
import torch.nn.functional as F  # noqa: E402

# name: (transposed, in, out, kernel, stride, pad, in_size, out_size) -- see DcganLayers.java
LAYERS = {
    "mnist.G1": (True, 100, 64, 7, 1, 0, 1, 7),
    "mnist.G2": (True, 64, 32, 4, 2, 1, 7, 14),
    "mnist.G3": (True, 32, 1, 4, 2, 1, 14, 28),
    "mnist.D1": (False, 1, 32, 4, 2, 1, 28, 14),
    "mnist.D2": (False, 32, 64, 4, 2, 1, 14, 7),
    "mnist.D3": (False, 64, 1, 7, 1, 0, 7, 1),
    "cifar.G1": (True, 100, 256, 4, 1, 0, 1, 4),
    "cifar.G2": (True, 256, 128, 4, 2, 1, 4, 8),
    "cifar.G3": (True, 128, 64, 4, 2, 1, 8, 16),
    "cifar.G4": (True, 64, 3, 4, 2, 1, 16, 32),
    "cifar.D1": (False, 3, 64, 4, 2, 1, 32, 16),
    "cifar.D2": (False, 64, 128, 4, 2, 1, 16, 8),
    "cifar.D3": (False, 128, 256, 4, 2, 1, 8, 4),
    "cifar.D4": (False, 256, 1, 4, 1, 0, 4, 1),
    "up.G1": (False, 64, 32, 3, 1, 1, 14, 14),
    "up.G2": (False, 32, 16, 3, 1, 1, 28, 28),
    "up.G3": (False, 16, 1, 3, 1, 1, 28, 28),
    "up.D1": (False, 1, 16, 3, 1, 1, 28, 28),
    "up.D2": (False, 16, 32, 4, 2, 1, 28, 14),
    "up.D3": (False, 32, 64, 4, 2, 1, 14, 7),
}
BATCH = 64
PASSES = ("forward", "backwardInput", "backwardWeight")
GEMMS = ("nn:256x256x256", "nn:512x512x512", "nn:1024x1024x1024",
         "nn:64x3136x512", "tn:512x3136x64", "nt:64x512x3136",
         "nn:32x12544x16", "nt:32x16x12544", "tn:3136x64x100",
         "nn:128x4096x1024", "nn:256x1024x2048", "nt:256x2048x1024")
BN_SHAPES = ("64x64x7x7", "64x32x14x14", "64x256x4x4", "64x128x8x8", "64x64x16x16")
ELT_SHAPES = ("64x64x7x7", "64x64x16x16")
ADAM_SIZES = (802816, 4194304)  # AdamBenchmark


def dims(shape):
    return [int(d) for d in shape.split("x")]


def conv_cases():
    for name, (transposed, cin, cout, k, s, p, n_in, n_out) in LAYERS.items():
        x = torch.randn(BATCH, cin, n_in, n_in)
        w = torch.randn(*((cin, cout) if transposed else (cout, cin)), k, k) * 0.02
        gy = torch.randn(BATCH, cout, n_out, n_out)
        small = min(n_in, n_out)
        flops = 2.0 * BATCH * cin * cout * k * k * small * small

        def backward(mask, x=x, w=w, gy=gy, s=s, p=p, transposed=transposed):
            return torch.ops.aten.convolution_backward(gy, x, w, None, [s, s], [p, p], [1, 1], transposed,
                                                       [0, 0], 1, mask)

        if transposed:
            fwd = (lambda x=x, w=w, s=s, p=p: F.conv_transpose2d(x, w, None, s, p))
        else:
            fwd = (lambda x=x, w=w, s=s, p=p: F.conv2d(x, w, None, s, p))
        yield f"conv:{name}:forward", fwd, flops
        yield f"conv:{name}:backwardInput", (lambda b=backward: b([True, False, False])), flops
        yield f"conv:{name}:backwardWeight", (lambda b=backward: b([False, True, False])), flops


def gemm_cases():
    for shape in GEMMS:
        ops, mnk = shape.split(":")
        m, n, k = dims(mnk)
        a = torch.randn(k, m).t() if ops[0] == "t" else torch.randn(m, k)
        b = torch.randn(n, k).t() if ops[1] == "t" else torch.randn(k, n)
        yield f"gemm:{shape}", (lambda a=a, b=b: torch.matmul(a, b)), 2.0 * m * n * k


def bn_cases():
    for shape in BN_SHAPES:
        d = dims(shape)
        x, gy = torch.randn(*d), torch.randn(*d)
        gamma, beta = torch.rand(d[1]), torch.randn(d[1])
        rm, rv = torch.zeros(d[1]), torch.ones(d[1])
        _, mean, invstd = torch.ops.aten.native_batch_norm(x, gamma, beta, rm, rv, True, 0.1, 1e-5)
        yield f"bn:{shape}:forward", (lambda x=x, g=gamma, b=beta, rm=rm, rv=rv:
                                      F.batch_norm(x, rm, rv, g, b, True, 0.1, 1e-5)), None
        yield f"bn:{shape}:backward", (lambda x=x, gy=gy, g=gamma, rm=rm, rv=rv, m=mean, i=invstd:
                                       torch.ops.aten.native_batch_norm_backward(
                                           gy, x, g, rm, rv, m, i, True, 1e-5, [True, True, True])), None


def elementwise_cases():
    for shape in ELT_SHAPES:
        d = dims(shape)
        x = torch.randn(*d)
        bias = torch.randn(1, d[1], 1, 1)
        yield f"elt:{shape}:addBroadcast", (lambda x=x, b=bias: x + b), None
        yield f"elt:{shape}:leakyRelu", (lambda x=x: F.leaky_relu(x, 0.2)), None
        yield f"elt:{shape}:sum", (lambda x=x: x.sum().item()), None


def adam_cases():
    # torch.optim.Adam's own CPU step (single-tensor, in place) for AdamBenchmark's fused kernel, and
    # its op chain (opChain) as gan4j wrote it, out of place.
    for size in ADAM_SIZES:
        param = torch.randn(size)
        param.grad = torch.randn(size) * 1e-2
        opt = torch.optim.Adam([param], lr=2e-4, betas=(0.5, 0.999), foreach=False)
        opt.step()
        yield f"adam:{size}:fused", opt.step, None
        m, v, g = torch.randn(size) * 1e-3, torch.rand(size) * 1e-4, param.grad
        c2, lr = (1 - 0.999 ** 10) ** 0.5, 2e-4 / (1 - 0.5 ** 10)
        yield f"adam:{size}:opChain", (lambda p=param, g=g, m=m, v=v, c2=c2, lr=lr:
                                       p - (m * 0.5 + g * 0.5) / ((v * 0.999 + g * g * 0.001).sqrt() / c2 + 1e-8)
                                       * lr), None


def time_case(fn, warmup, iterations, window):
    def one_window():
        calls, start = 0, time.perf_counter()
        while True:
            fn()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= window:
                return elapsed / calls
    for _ in range(warmup):
        one_window()
    return sum(one_window() for _ in range(iterations)) / iterations


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--time", type=float, default=1.0, help="seconds per window")
    parser.add_argument("--filter", default="", help="only keys containing this")
    parser.add_argument("--out", default="-", help="CSV file, - for stdout")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}", file=sys.stderr)
    out = sys.stdout if args.out == "-" else open(args.out, "w", newline="")
    writer = csv.writer(out)
    writer.writerow(["key", "ms", "gflops"])
    with torch.inference_mode():
        for cases in (gemm_cases, conv_cases, bn_cases, elementwise_cases, adam_cases):
            for key, fn, flops in cases():
                if args.filter not in key:
                    continue
                seconds = time_case(fn, args.warmup, args.iterations, args.time)
                gflops = "" if flops is None else f"{flops / seconds / 1e9:.2f}"
                writer.writerow([key, f"{seconds * 1e3:.4f}", gflops])
                out.flush()
                print(f"{key:40s} {seconds * 1e3:10.4f} ms {gflops}", file=sys.stderr)
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
