#!/usr/bin/python3
"""Peer measurement for bench/README.md: torch.matmul GFLOP/s on float32, 1 and 2 threads.

Usage: /usr/bin/python3 bench/peers/gemm_torch.py [--runs N]

Debian's PyTorch (python3-torch) does its float32 matmul in the system BLAS, which is
OpenBLAS (libopenblas0-pthread). OpenBLAS sizes its thread pool when it is loaded, from
OPENBLAS_NUM_THREADS, so each thread count is measured in a child process started with that
variable set (and torch.set_num_threads set to match). Each case is warmed up, then timed once
per run; the median is reported, like the C# side (`gemm-gflops`), with the best run beside it.
"""

import argparse
import ctypes
import json
import os
import statistics
import subprocess
import sys
import time

# (m, k, n): C (m x n) = A (m x k) . B (k x n), the shapes the C# benchmark measures.
SHAPES = [(1024, 1024, 1024), (1024, 784, 1024), (64, 784, 128), (256, 256, 256)]
THREADS = [1, 2]
WARM_UP_SECONDS = 1.0


def loaded_openblas():
    """Path of the OpenBLAS library mapped into this process, if any."""
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "openblas" in path and ".so" in path:
                return path
    return None


def describe_blas():
    path = loaded_openblas()
    if path is None:
        return "no OpenBLAS loaded"
    lib = ctypes.CDLL(path)
    lib.openblas_get_config.restype = ctypes.c_char_p
    lib.openblas_get_corename.restype = ctypes.c_char_p
    return (f"{path}: {lib.openblas_get_config().decode()}, core {lib.openblas_get_corename().decode()}, "
            f"{lib.openblas_get_num_threads()} thread(s)")


def measure(threads, runs):
    """Child process: time every shape on `threads` threads, print one JSON line."""
    import torch

    torch.set_num_threads(threads)
    generator = torch.Generator().manual_seed(42)
    results = []
    for m, k, n in SHAPES:
        a = torch.rand(m, k, generator=generator, dtype=torch.float32) * 2 - 1
        b = torch.rand(k, n, generator=generator, dtype=torch.float32) * 2 - 1
        c = torch.empty(m, n, dtype=torch.float32)
        start = time.perf_counter()
        while time.perf_counter() - start < WARM_UP_SECONDS:
            torch.matmul(a, b, out=c)
        seconds = []
        for _ in range(runs):
            begin = time.perf_counter()
            torch.matmul(a, b, out=c)
            seconds.append(time.perf_counter() - begin)
        flops = 2.0 * m * n * k
        results.append({
            "shape": f"{m}x{k}\u00b7{k}x{n}",
            "median_gflops": flops / statistics.median(seconds) / 1e9,
            "best_gflops": flops / min(seconds) / 1e9,
        })
    print(json.dumps({"threads": threads, "torch": torch.__version__, "blas": describe_blas(), "results": results}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--child-threads", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_threads is not None:
        measure(args.child_threads, args.runs)
        return

    print(f"{'shape':<26} {'threads':>7} {'median GFLOP/s':>16} {'best GFLOP/s':>14}")
    for threads in THREADS:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
        child = subprocess.run(
            [sys.executable, __file__, "--runs", str(args.runs), "--child-threads", str(threads)],
            env=env, check=True, capture_output=True, text=True)
        report = json.loads(child.stdout.strip().splitlines()[-1])
        for result in report["results"]:
            print(f"{result['shape']:<26} {threads:>7} {result['median_gflops']:>16.1f} {result['best_gflops']:>14.1f}")
        print(f"  torch {report['torch']}, {report['blas']}")


if __name__ == "__main__":
    main()
