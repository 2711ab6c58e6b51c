#!/usr/bin/env python3
"""gan4j against PyTorch on this machine, in one command: whole training steps of the presets and sgemm.

    /usr/bin/python3 benchmarks/side_by_side.py            # from the repository root; about 15 minutes
    /usr/bin/python3 benchmarks/side_by_side.py --quick    # fewer steps, to try it out

Prints the CPU (model, vector flags, cores), then for each preset the median milliseconds of a whole
training step (one D update + one G update, batch 64, after warm-up; n_critic forced to 1) of
`gan4j train` (read from its metrics.csv) at its default thread count and at 1 thread, and of the
exact PyTorch replica (benchmarks/pytorch/train_step.py) at 1 and 2 threads with OMP_WAIT_POLICY=PASSIVE,
of which the faster counts (set with torch.set_num_threads, as a PyTorch user sets it; it does not reach
OpenBLAS's own pool, which keeps one thread per core for PyTorch's matrix products). sgemm n=1024: the median
product of gan4j's JMH GemmBenchmark (sample mode) against the median torch.mm on OpenBLAS with its AVX-512
kernels (run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset) at 1 and 2 threads (OPENBLAS_NUM_THREADS). With --contended it also
times mnist-dcgan while a spinning process takes one core, and gan4j at twice the core count, each next to a quiet run at
the default (in every round); with --baseline DIR it also times another
checkout's jars (built there beforehand) at the default thread count, for before/after in one run. With --rounds N every
measurement but gan4j's 1-thread one is repeated N times, gan4j and PyTorch taking turns, and each cell is the median over
the rounds, with the range of the per-round ratios beside it: on a shared machine one round can catch either side in a
slow minute. The Markdown table is printed and saved as benchmarks/results/<date>-<cpu>/side-by-side.md, with every raw
output next to it.

Needs: a JDK 17 and Maven (builds the jars when missing), /usr/bin/python3 with torch.
"""
import argparse
import csv
import functools
import datetime
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAN4J_JAR = ROOT / "gan/target/gan4j.jar"
JMH_JAR = ROOT / "benchmarks/target/benchmarks.jar"
JAVA = ["java", "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC"]
TORCH_ENV = {"OMP_WAIT_POLICY": "PASSIVE"}

# (row name, preset, width override, gan4j/PyTorch target from issue 9)
CASES = [
    ("mnist-dcgan (width 32)", "mnist-dcgan", 0, 0.6),
    ("mnist-dcgan (width 64)", "mnist-dcgan", 64, 0.6),
    ("mnist-mlp-article", "mnist-mlp-article", 0, 1.0),
    ("mnist-wgan-gp", "mnist-wgan-gp", 0, 0.7),
    ("cifar10-dcgan", "cifar10-dcgan", 0, 0.6),
    ("mnist-upsample", "mnist-upsample", 0, 0.6),
]


def run(cmd, log, env=None, cwd=ROOT):
    full_env = dict(os.environ, **(env or {}))
    for name in [k for k, v in (env or {}).items() if v is None]:
        full_env.pop(name, None)
    out = subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, text=True)
    log.write(f"$ {' '.join(map(str, cmd))}\n{out.stdout}{out.stderr}\n")
    log.flush()
    if out.returncode != 0:
        sys.exit(f"side_by_side: command failed ({out.returncode}): {' '.join(map(str, cmd))}\n{out.stderr[-2000:]}")
    return out.stdout


def cpu_description():
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    field = lambda name: next((l.split(":", 1)[1].strip() for l in lscpu.splitlines() if l.startswith(name + ":")), "?")
    flags = field("Flags").split()
    vector = [f for f in ("avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile")
              if f in flags]
    caches = ", ".join(f"{name} {field(name + ' cache')}" for name in ("L1d", "L2", "L3"))
    if "?" in caches:  # some virtual machines have no sysfs cache entries; glibc's getconf asks CPUID
        getconf = subprocess.run(["getconf", "-a"], capture_output=True, text=True).stdout.split("\n")
        size = lambda key: next((l.split()[1] for l in getconf if l.startswith(key + " ") and len(l.split()) == 2), None)
        kib = lambda key: f"{int(size(key)) >> 10} KiB" if size(key) else "?"
        caches = (f"L1d {kib('LEVEL1_DCACHE_SIZE')}, L2 {kib('LEVEL2_CACHE_SIZE')}, "
                  f"L3 {kib('LEVEL3_CACHE_SIZE')} (from getconf: CPUID)")
    hypervisor = field("Hypervisor vendor")
    if hypervisor == "?" and "hypervisor" in flags:
        hypervisor = "yes, vendor not reported"
    return field("Model name"), vector, os.cpu_count(), caches, hypervisor


def ensure_jars(log):
    if not GAN4J_JAR.exists() or not JMH_JAR.exists():
        print("building gan4j.jar and benchmarks.jar (mvn package, about a minute)...", flush=True)
        run(["mvn", "-B", "-ntp", "-q", "-pl", "gan,benchmarks", "-am", "package", "-DskipTests"], log)


def data_args(preset, args):
    folder = args.cifar_dir if preset.startswith("cifar10") else args.mnist_dir
    return ["--data-dir", str(folder)] if folder else []


@functools.lru_cache(maxsize=None)
def knows_conditional(root):
    """Whether the checkout's gan4j.jar has --[no-]conditional (a --baseline may predate it)."""
    help_text = subprocess.run(JAVA + ["-jar", str(root / GAN4J_JAR.relative_to(ROOT)), "train", "--help"],
                               capture_output=True, text=True).stdout
    return "conditional" in help_text


def gan4j_step_ms(preset, width, threads, args, log, root=ROOT):
    """Median seconds between consecutive rows of metrics.csv, over the steps after warm-up."""
    with tempfile.TemporaryDirectory() as out:
        cmd = JAVA + ["-jar", str(root / GAN4J_JAR.relative_to(ROOT)), "train", "--preset", preset, "--n-critic", "1", "--batch-size", "64", "--device", "cpu",
                      "--max-steps", str(args.warmup + args.steps), "--out", out] + data_args(preset, args)
        if width:
            cmd += ["--width", str(width)]
        if knows_conditional(root):
            cmd += ["--no-conditional"]  # the PyTorch replicas are the unconditional networks
        if threads:
            cmd += ["--threads", str(threads)]
        run(cmd, log)
        with open(Path(out) / "metrics.csv") as f:
            seconds = [float(row["seconds"]) for row in csv.DictReader(f)]
    steps = [b - a for a, b in zip(seconds, seconds[1:])][args.warmup - 1:]
    return 1000 * statistics.median(steps)


def torch_step_ms(preset, width, threads, args, log):
    cmd = ["/usr/bin/python3", "benchmarks/pytorch/train_step.py", "--preset", preset, "--threads", str(threads),
           "--steps", str(args.steps), "--warmup", str(args.warmup)]
    if width:
        cmd += ["--width", str(width)]
    out = run(cmd, log, env=TORCH_ENV)
    return float(re.search(r"([\d.]+) ms/step", out).group(1))


def gan4j_sgemm_gflops(threads, args, log, root=ROOT):
    with tempfile.TemporaryDirectory() as out:
        result = Path(out) / "gemm.csv"
        # Sample mode, so that gan4j's figure is a median of single products, as PyTorch's is. Five seconds of
        # warm-up: a fresh JVM's products were still 2-3% slower in the fourth second (AMD EPYC, two runs).
        cmd = JAVA[:1] + ["-jar", str(root / JMH_JAR.relative_to(ROOT)), "GemmBenchmark", "-p", "shape=nn:1024x1024x1024", "-f", "1",
                          "-bm", "sample", "-wi", "5", "-i", str(5 if not args.quick else 2), "-w", "1s", "-r", "1s",
                          "-rf", "csv", "-rff", str(result)]
        if threads:  # replaces the @Fork annotation's appended arguments, so repeat the Vector API module
            cmd += ["-jvmArgsAppend", f"-Xmx2g --add-modules=jdk.incubator.vector -Dgan4j.threads={threads}"]
        run(cmd, log)
        with open(result) as f:
            row = next(r for r in csv.DictReader(f) if r["Benchmark"].endswith(":p0.50"))
    ms = float(row["Score"]) * {"ms/op": 1, "us/op": 1e-3, "s/op": 1e3}[row["Unit"]]
    return 2 * 1024 ** 3 / (ms / 1000) / 1e9


TORCH_SGEMM = """
import statistics, sys, time, torch
torch.set_num_threads(int(sys.argv[1]))
a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
for _ in range(10): torch.mm(a, b)
t = []
for _ in range(50):
    s = time.perf_counter(); torch.mm(a, b); t.append(time.perf_counter() - s)
print(2 * 1024 ** 3 / statistics.median(t) / 1e9)
"""


def torch_sgemm_gflops(threads, log):
    # torch.set_num_threads does not reach OpenBLAS's own thread pool: without OPENBLAS_NUM_THREADS
    # the "1 thread" product ran on 2 threads (336 against 178 GFLOP/s on the AMD EPYC).
    env = dict(TORCH_ENV, OPENBLAS_CORETYPE=None, OPENBLAS_L2_SIZE=None, OPENBLAS_NUM_THREADS=str(threads))
    return float(run(["/usr/bin/python3", "-c", TORCH_SGEMM, str(threads)], log, env=env).strip())


def medians(rounds):
    """Per column, the median over rounds of a list of equal-length tuples (None stays None)."""
    return tuple(None if column[0] is None else statistics.median(column) for column in zip(*rounds))


def spinner():
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=100, help="measured steps per run (default 100)")
    parser.add_argument("--warmup", type=int, default=30, help="steps before measuring (default 30)")
    parser.add_argument("--quick", action="store_true", help="30 measured steps after 10, first three presets")
    parser.add_argument("--contended", action="store_true",
                        help="also time mnist-dcgan next to a spinning process, and gan4j at twice the core count")
    parser.add_argument("--mnist-dir", type=Path, default=ROOT.parent / "shared/data/mnist")
    parser.add_argument("--cifar-dir", type=Path, default=ROOT.parent / "shared/data/cifar-10-batches-bin")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks/results")
    parser.add_argument("--only", nargs="+", metavar="PRESET", help="time only these presets")
    parser.add_argument("--baseline", type=Path, help="another checkout with gan4j.jar and benchmarks.jar built")
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat each measurement, gan4j and PyTorch in turn, and report medians (default 1)")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, not {args.rounds}")
    if args.quick:
        args.steps, args.warmup = 30, 10
    for name in ("mnist_dir", "cifar_dir"):
        if not getattr(args, name).is_dir():
            setattr(args, name, None)  # gan4j finds or downloads the data itself

    model, vector, cores, caches, hypervisor = cpu_description()
    slug = re.sub(r"[^a-z0-9]+", "-", model.lower()).strip("-")
    folder = args.results / f"{datetime.date.today()}-{slug}"
    folder.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    header = (f"CPU: {model}, {cores} cores ({caches}; hypervisor: {hypervisor})\n"
              f"vector flags: {' '.join(vector)}\n"
              + (f"baseline: {args.baseline}\n" if args.baseline else ""))
    print(header, flush=True)
    with open(folder / "raw-output.txt", "w") as log:
        ensure_jars(log)
        torch_version = run(["/usr/bin/python3", "-c", "import torch; print(torch.__version__)"], log).strip()
        rows = []
        cases = [c for c in CASES if not args.only or c[1] in args.only]
        for name, preset, width, target in cases[:3] if args.quick else cases:
            g_one = gan4j_step_ms(preset, width, 1, args, log)
            per_round = []  # (baseline, gan4j, PyTorch 1 thread, PyTorch 2 threads)
            for r in range(args.rounds):
                base = gan4j_step_ms(preset, width, 0, args, log, args.baseline) if args.baseline else None
                g_default = gan4j_step_ms(preset, width, 0, args, log)
                t = {n: torch_step_ms(preset, width, n, args, log) for n in (1, 2)}
                per_round.append((base, g_default, t[1], t[2]))
                print(f"{name}, round {r + 1}: gan4j {g_default:.1f} ms, PyTorch {t[1]:.1f} / {t[2]:.1f} ms "
                      f"(1 / 2 threads): {g_default / min(t.values()):.2f}x"
                      + (f"; baseline {base:.1f} ms" if base else ""), flush=True)
            base, g_default, t1, t2 = medians(per_round)
            ratios = [g / min(a, b) for _, g, a, b in per_round]
            rows.append((name, base, g_default, g_one, t1, t2, ratios, target))
            print(f"{name}: gan4j {g_default:.1f} ms ({g_one:.1f} ms at 1 thread), PyTorch {t1:.1f} / {t2:.1f} ms: "
                  f"{g_default / min(t1, t2):.2f}x", flush=True)
        g_gemm_one = gan4j_sgemm_gflops(1, args, log)
        gemm_rounds = []  # (baseline, gan4j, OpenBLAS 1 thread, OpenBLAS 2 threads), GFLOP/s
        for r in range(args.rounds):
            gemm_rounds.append((gan4j_sgemm_gflops(0, args, log, args.baseline) if args.baseline else None,
                                gan4j_sgemm_gflops(0, args, log), torch_sgemm_gflops(1, log), torch_sgemm_gflops(2, log)))
            print(f"sgemm 1024, round {r + 1}: gan4j {gemm_rounds[-1][1]:.0f} GFLOP/s, OpenBLAS "
                  f"{max(gemm_rounds[-1][2:]):.0f} GFLOP/s", flush=True)
        base_gemm, g_gemm, t_gemm1, t_gemm2 = medians(gemm_rounds)
        gemm_ratios = [g / max(a, b) for _, g, a, b in gemm_rounds]
        contended = None
        if args.contended:
            # Each round times the quiet runs next to the contended ones, so that a slow minute meets both.
            contended_rounds = []  # gan4j: default, 2x cores, default with a core busy; PyTorch: quiet, busy
            for r in range(args.rounds):
                quiet = gan4j_step_ms("mnist-dcgan", 0, 0, args, log)
                over = gan4j_step_ms("mnist-dcgan", 0, 2 * cores, args, log)
                torch_quiet = min(torch_step_ms("mnist-dcgan", 0, n, args, log) for n in (1, 2))
                busy = spinner()
                try:
                    g_busy = gan4j_step_ms("mnist-dcgan", 0, 0, args, log)
                    t_busy = min(torch_step_ms("mnist-dcgan", 0, n, args, log) for n in (1, 2))
                finally:
                    busy.kill()
                contended_rounds.append((quiet, over, g_busy, torch_quiet, t_busy))
                print(f"contended, round {r + 1}: gan4j {quiet:.1f} ms, {over:.1f} ms at {2 * cores} threads, "
                      f"{g_busy:.1f} ms with a core busy; PyTorch {torch_quiet:.1f} / {t_busy:.1f} ms", flush=True)
            contended = medians(contended_rounds)

    rounds_note = (f" Every cell but gan4j's 1-thread one is the median of {args.rounds} rounds (gan4j and PyTorch in"
                   " turn); the range of the per-round ratios follows each ratio." if args.rounds > 1 else "")
    lines = [f"Side by side on **{model}** ({cores} cores, {caches}; {' '.join(vector)}), "
             f"{datetime.date.today()}; PyTorch {torch_version}, OMP_WAIT_POLICY=PASSIVE. "
             f"Median of {args.steps} steps after {args.warmup}, batch 64, one D + one G update per step."
             + rounds_note, "",
             "| case | " + ("gan4j baseline | " if args.baseline else "")
             + "gan4j, default threads | gan4j, 1 thread | PyTorch 1 / 2 threads | gan4j / PyTorch best | target |",
             "|---|" + ("---:|" if args.baseline else "") + "---:|---:|---:|---:|---:|"]
    cell = lambda v, fmt: (fmt.format(v) + " | ") if args.baseline else ""
    spread = lambda values, fmt: f" ({fmt.format(min(values))}-{fmt.format(max(values))})" if len(values) > 1 else ""
    for name, base, g_default, g_one, t1, t2, ratios, target in rows:
        ratio = g_default / min(t1, t2)
        lines.append(f"| `{name}` step, ms | {cell(base, '{:.1f}')}{g_default:.1f} | {g_one:.1f} | {t1:.1f} / {t2:.1f} | "
                     f"**{ratio:.2f}x**{spread(ratios, '{:.2f}')} | <= {target}x |")
    ratio = g_gemm / max(t_gemm1, t_gemm2)
    lines.append(f"| sgemm n=1024, GFLOP/s (higher is better) | {cell(base_gemm, '{:.0f}')}{g_gemm:.0f} | "
                 f"{g_gemm_one:.0f} | {t_gemm1:.0f} / {t_gemm2:.0f} (OpenBLAS AVX-512) | **{ratio:.0%}**"
                 f"{spread([100 * r for r in gemm_ratios], '{:.0f}%')} of OpenBLAS | >= 85% |")
    if contended:
        quiet, over, g_busy, torch_quiet, t_busy = contended
        lines.append(f"| `mnist-dcgan` step with one core busy, ms | {cell('', '{}')}{g_busy:.1f} "
                     f"({g_busy / quiet:.2f}x its {quiet:.1f} quiet) | | {t_busy:.1f} "
                     f"({t_busy / torch_quiet:.2f}x its {torch_quiet:.1f} quiet) | "
                     f"{g_busy / t_busy:.2f}x | degrade no worse |")
        lines.append(f"| `mnist-dcgan` step at {2 * cores} threads on {cores} cores, ms | {cell('', '{}')}"
                     f"{over:.1f} ({over / quiet:.2f}x its {quiet:.1f} at the default) | | | | never slower |")
    load_after = os.getloadavg()[0]
    lines.append("")
    lines.append(f"Load average (1 min) {load_before:.1f} at the start, {load_after:.1f} at the end"
                 + (f": more runnable threads than the {cores} cores, so these times measure the"
                    " sharing as much as the code." if max(load_before, load_after) > cores else "."))
    table = "\n".join(lines) + "\n"
    (folder / "side-by-side.md").write_text(header + "\n" + table)
    print("\n" + table + f"\nsaved in {folder}/")


if __name__ == "__main__":
    main()
