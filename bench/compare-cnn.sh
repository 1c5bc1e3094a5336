#!/usr/bin/env bash
# The DigitsCnn training step (zero the gradients, LossGradient, AdamW; one fixed batch of 32 8x8
# images) in Autodiff and in PyTorch 1.13 eager, in pairs run back to back on a shared machine:
# ours (2 and 1 GEMM threads), PyTorch (1 and 2 threads), ours again. Each line is one pair with the
# load average before it; the ratios are PyTorch's faster setting over our faster setting, in the
# runs before and after it.
# Usage: bench/compare-cnn.sh [pairs]   (default 3; about 40 s a pair)
# Needs PyTorch: apt-get install -y python3-torch libopenblas0-pthread
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-3}
dotnet build -c Release bench/Autodiff.Benchmarks >/dev/null
ours() {
  for t in 2 1; do
    dotnet bench/Autodiff.Benchmarks/bin/Release/net10.0/Autodiff.Benchmarks.dll cnn-step "$t" step \
      | awk '/^step/ { for (i = 1; i < NF; i++) if ($i == "median") printf "%s ", $(i + 1) }'
  done
}
printf "%-9s %-5s %9s %9s %10s %10s %9s %9s %14s\n" "UTC" "load" "ours 2T" "ours 1T" "torch 1T" "torch 2T" "ours 2T" "ours 1T" "ratios"
for ((p = 1; p <= pairs; p++)); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date -u +%H:%M:%S)
  read -r a2 a1 <<<"$(ours)"
  read -r t1 t2 <<<"$(/usr/bin/python3 bench/peers/digits_cnn_torch.py --steps 300 | awk '{ printf "%s ", $(NF - 1) }')"
  read -r b2 b1 <<<"$(ours)"
  ratios=$(python3 -c "t = min($t1, $t2); print(f'{t / min($a2, $a1):.2f}x, {t / min($b2, $b1):.2f}x')")
  printf "%-9s %-5s %9s %9s %10s %10s %9s %9s %14s\n" "$start" "$load" "$a2" "$a1" "$t1" "$t2" "$b2" "$b1" "$ratios"
done
echo "(microseconds per step, medians; ours also prints 0.0 bytes allocated per step: see cnn-step)"
