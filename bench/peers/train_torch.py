"""One full training step (zero_grad, forward, backward, SGD step) in PyTorch, for the same
networks, shapes and dtype as bench/Autodiff.Benchmarks/TrainingSteps.cs.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/train_torch.py 1
    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/peers/train_torch.py 2

Prints the median time per step over 15 batches of steps (each about 0.2 s), after a warm-up.
"""
import statistics
import sys
import time

import torch
import torch.nn.functional as F

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
torch.set_num_threads(threads)
torch.manual_seed(0)


def classifier(inputs, hidden, classes, batch):
    model = torch.nn.Sequential(torch.nn.Linear(inputs, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, classes))
    x = torch.randn(batch, inputs)
    y = torch.arange(batch) % classes
    return model, lambda: F.cross_entropy(model(x), y)


def regressor(inputs, hidden, batch):
    model = torch.nn.Sequential(torch.nn.Linear(inputs, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, hidden),
                                torch.nn.ReLU(), torch.nn.Linear(hidden, 1))
    x = torch.randn(batch, inputs)
    t = torch.randn(batch, 1)
    return model, lambda: F.mse_loss(model(x), t)


networks = [
    ("mlp 2-16-2 batch 32", classifier(2, 16, 2, 32)),
    ("mlp 16-64-64-1 batch 32", regressor(16, 64, 32)),
    ("mlp 784-128-10 batch 64", classifier(784, 128, 10, 64)),
    ("mlp 784-1024-10 batch 1024", classifier(784, 1024, 10, 1024)),
]

print(f"# pytorch {torch.__version__}, threads {torch.get_num_threads()}")
for name, (model, loss_fn) in networks:
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

    def step():
        optimizer.zero_grad()
        loss = loss_fn()
        loss.backward()
        optimizer.step()

    for _ in range(50):
        step()
    start, count = time.perf_counter(), 0
    while time.perf_counter() - start < 0.2:
        step()
        count += 1
    per_batch = max(1, count)
    for _ in range(3 * per_batch):
        step()
    times = []
    for _ in range(15):
        start = time.perf_counter()
        for _ in range(per_batch):
            step()
        times.append((time.perf_counter() - start) * 1e6 / per_batch)
    print(f"{name:<30} median {statistics.median(times):12.2f} us/step   (15 x {per_batch} steps)")
