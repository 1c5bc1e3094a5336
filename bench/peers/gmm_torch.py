#!/usr/bin/python3
"""Peer measurement for bench/README.md: the ADBench GMM objective and its gradient in PyTorch (eager, float64).

Usage: /usr/bin/python3 bench/peers/gmm_torch.py [--runs N] [--max-d D] [--threads 1 2]

The instances are the C# side's (bench/Autodiff.Benchmarks/ADBench/ADBenchData.cs): the same
64-bit LCG draws alphas, means, icf and x in the same order and ranges, so the objective values
printed here and by `adbench` must agree. The objective is written the way PyTorch is used:
batched over points and components (ADBench's PyTorch module does the same), the Cholesky factors
built once per call from icf. F is timed under torch.no_grad(); the gradient is forward plus
torch.autograd.grad with respect to alphas, means and icf.

Each thread count runs in a child process started with OPENBLAS_NUM_THREADS and
OMP_NUM_THREADS set (OpenBLAS sizes its pool when it loads) and torch.set_num_threads to match.
Each method is warmed up, then every run times F and the gradient once each, one after the
other; medians in ms, as the C# side's `adbench` prints them.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

SIZES = [(2, 5), (10, 25), (20, 50), (64, 200)]
N = 1000
MASK = (1 << 64) - 1


class Lcg:
    """ADBenchData.cs's Lcg: Knuth's MMIX constants, doubles from the top 53 bits."""

    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK
        return (self.state >> 11) * (1.0 / (1 << 53))

    def uniform(self, count, low, high):
        return [low + (high - low) * self.next() for _ in range(count)]


def instance(d, k, n, seed=1):
    """GmmInstance.Create(d, k, n): seed 1, gamma 1, m 0."""
    random = Lcg(seed)
    alphas = random.uniform(k, -1, 1)
    means = random.uniform(k * d, 0, 1)
    icf = random.uniform(k * (d * (d + 1) // 2), -0.5, 0.5)
    x = random.uniform(n * d, 0, 1)
    return alphas, means, icf, x, 1.0, 0


def make_objective(torch, d, k, n, gamma, m):
    """The objective for fixed sizes; the lower-triangle scatter index is computed once."""
    # icf[d:] holds the strictly lower triangle column by column: (row j, column i) for j > i.
    lower = [j * d + i for i in range(d) for j in range(i + 1, d)]
    lower_index = torch.tensor(lower, dtype=torch.long)
    prior_n = d + m + 1
    log_gamma_d = 0.25 * d * (d - 1) * math.log(math.pi) + sum(
        math.lgamma(0.5 * prior_n + 0.5 * (1 - j)) for j in range(1, d + 1))
    prior_c = prior_n * d * (math.log(gamma) - 0.5 * math.log(2)) - log_gamma_d
    constant = -n * d * 0.5 * math.log(2 * math.pi)

    def objective(alphas, means, icf, x):
        q = icf[:, :d]
        q_diag = torch.exp(q)
        sum_q = q.sum(1)
        off_diag = icf[:, d:]
        lower_part = torch.zeros(k, d * d, dtype=icf.dtype).index_copy(1, lower_index, off_diag).view(k, d, d)
        factors = torch.diag_embed(q_diag) + lower_part                      # (k, d, d)
        centred = x.unsqueeze(1) - means.unsqueeze(0)                       # (n, k, d)
        z = torch.einsum("kij,nkj->nki", factors, centred)
        beta = alphas + sum_q - 0.5 * (z * z).sum(2)                        # (n, k)
        slse = torch.logsumexp(beta, 1).sum()
        prior = (0.5 * gamma * gamma * ((q_diag * q_diag).sum(1) + (off_diag * off_diag).sum(1)) - m * sum_q).sum()
        return constant + slse - n * torch.logsumexp(alphas, 0) + prior - k * prior_c

    return objective


def measure(threads, runs, max_d):
    """Child process: time every size on `threads` threads, print one JSON line."""
    import torch

    torch.set_num_threads(threads)
    results = []
    for d, k in SIZES:
        if d > max_d:
            continue
        alphas, means, icf, x, gamma, m = instance(d, k, N)
        objective = make_objective(torch, d, k, N, gamma, m)
        a = torch.tensor(alphas, dtype=torch.float64, requires_grad=True)
        mu = torch.tensor(means, dtype=torch.float64).view(k, d).requires_grad_()
        f = torch.tensor(icf, dtype=torch.float64).view(k, d * (d + 1) // 2).requires_grad_()
        points = torch.tensor(x, dtype=torch.float64).view(N, d)

        def value():
            with torch.no_grad():
                return objective(a, mu, f, points).item()

        def gradient():
            result = objective(a, mu, f, points)
            grads = torch.autograd.grad(result, (a, mu, f))
            return result.item() + grads[0][0].item()

        methods = [value, gradient]
        # Warm up each method (at least 3 calls and half a second); the slowest last call decides the runs.
        slowest = 0.0
        for method in methods:
            start = time.perf_counter()
            calls = 0
            last = 0.0
            while calls < 3 or time.perf_counter() - start < 0.5:
                begin = time.perf_counter()
                method()
                last = time.perf_counter() - begin
                calls += 1
            slowest = max(slowest, last)
        count = min(runs, 5) if slowest > 0.5 else runs
        times = [[] for _ in methods]
        for _ in range(count):
            for i, method in enumerate(methods):
                begin = time.perf_counter()
                method()
                times[i].append(time.perf_counter() - begin)
        f_median = statistics.median(times[0]) * 1e3
        g_median = statistics.median(times[1]) * 1e3
        results.append({"d": d, "k": k, "runs": count, "f_ms": f_median, "gradient_ms": g_median, "value": value()})
    print(json.dumps({"threads": threads, "torch": torch.__version__, "results": results}))


def fmt(value):
    """Three significant figures, as the C# side prints them."""
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}" if value >= 1 else f"{value:.3f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--max-d", type=int, default=1 << 30)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--child-threads", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_threads is not None:
        measure(args.child_threads, args.runs, args.max_d)
        return

    print("GMM, n = 1000, PyTorch eager, float64 (ms per call, medians):")
    print("| d, k | threads | F | gradient | gradient / F | runs | F value |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for threads in args.threads:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
        child = subprocess.run(
            [sys.executable, __file__, "--runs", str(args.runs), "--max-d", str(args.max_d), "--child-threads", str(threads)],
            env=env, check=True, capture_output=True, text=True)
        report = json.loads(child.stdout.strip().splitlines()[-1])
        for r in report["results"]:
            print(f"| {r['d']}, {r['k']} | {threads} | {fmt(r['f_ms'])} | {fmt(r['gradient_ms'])} | "
                  f"{r['gradient_ms'] / r['f_ms']:.2f}x | {r['runs']} | {r['value']!r} |")
    print(f"torch {report['torch']}")


if __name__ == "__main__":
    main()
