#!/usr/bin/env bash
# Side by side, in one run: a training step of each network in Autodiff and in PyTorch 1.13,
# each at 1 and 2 threads, then the ratio against PyTorch's faster setting.
# Needs PyTorch: apt-get install -y python3-torch libopenblas0-pthread
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
dotnet build -c Release bench/Autodiff.Benchmarks >/dev/null
for t in 1 2; do
  dotnet bench/Autodiff.Benchmarks/bin/Release/net10.0/Autodiff.Benchmarks.dll train-steps "$t" | tee "$out/autodiff-$t.txt"
  OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t /usr/bin/python3 bench/peers/train_torch.py "$t" | tee "$out/torch-$t.txt"
done
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
a1, a2, t1, t2 = (read(f) for f in ("autodiff-1.txt", "autodiff-2.txt", "torch-1.txt", "torch-2.txt"))
print()
print(f"{'network':<30} {'autodiff 1T':>12} {'autodiff 2T':>12} {'torch 1T':>10} {'torch 2T':>10} {'speed-up vs best torch':>24}")
for name in a1:
    best_ours, best_torch = min(a1[name], a2[name]), min(t1[name], t2[name])
    print(f"{name:<30} {a1[name]:12.2f} {a2[name]:12.2f} {t1[name]:10.2f} {t2[name]:10.2f} {best_torch / best_ours:23.2f}x")
PY
