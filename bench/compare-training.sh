#!/usr/bin/env bash
# Side by side, in one run: a training step of each network in Autodiff (1 and 2 GEMM threads)
# and in PyTorch 1.13 on OpenBLAS, then the ratio against PyTorch's fastest setting.
# PyTorch is tried three ways, because its two thread pools fight on two cores: everything on one
# thread; 2 OpenMP + 2 OpenBLAS threads with passive OpenMP waiting; and OpenBLAS alone on 2
# threads with PyTorch's own ops on one (usually the fastest for large matrix products).
# Needs PyTorch: apt-get install -y python3-torch libopenblas0-pthread
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
dotnet build -c Release bench/Autodiff.Benchmarks >/dev/null
for t in 1 2; do
  dotnet bench/Autodiff.Benchmarks/bin/Release/net10.0/Autodiff.Benchmarks.dll train-steps "$t" | tee "$out/autodiff-$t.txt"
done
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 bench/peers/train_torch.py 1 | tee "$out/torch-1.txt"
OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/peers/train_torch.py 2 | tee "$out/torch-2.txt"
OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=1 /usr/bin/python3 bench/peers/train_torch.py 1 | tee "$out/torch-blas2.txt"
python3 - "$out" <<'PY'
import re, sys, pathlib
out = pathlib.Path(sys.argv[1])
def read(name):
    rows = {}
    for line in (out / name).read_text().splitlines():
        m = re.match(r"(.*?)\s+median\s+([\d.]+) us/step", line)
        if m:
            rows[m.group(1).strip()] = float(m.group(2))
    return rows
a1, a2, t1, t2, tb = (read(f) for f in ("autodiff-1.txt", "autodiff-2.txt", "torch-1.txt", "torch-2.txt", "torch-blas2.txt"))
print()
print("median microseconds per training step (forward, backward, SGD update)")
print(f"{'network':<28} {'ours 1T':>9} {'ours 2T':>9} {'torch 1T':>9} {'torch 2T':>9} {'torch blas2':>11} {'best torch / best ours':>23}")
for name in a1:
    best_ours, best_torch = min(a1[name], a2[name]), min(t1[name], t2[name], tb[name])
    print(f"{name:<28} {a1[name]:9.1f} {a2[name]:9.1f} {t1[name]:9.1f} {t2[name]:9.1f} {tb[name]:11.1f} {best_torch / best_ours:22.2f}x")
PY
