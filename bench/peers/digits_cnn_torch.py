"""The DigitsCnn sample's training step in PyTorch 1.13 eager (float32): the same model (two 3x3
convolutions with ReLU and 2x2 max pooling, a linear layer), AdamW, batches of 32 8x8 images.
Prints the median time per step (forward, backward, optimiser) over --steps steps, for 1 and 2 threads."""
import argparse, statistics, time
import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--steps", type=int, default=300)
parser.add_argument("--batch", type=int, default=32)
args = parser.parse_args()


class DigitCnn(nn.Module):
    def __init__(self, c1=32, c2=64):
        super().__init__()
        self.conv1 = nn.Conv2d(1, c1, 3, padding=1)
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.linear = nn.Linear(4 * c2, 10)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.linear(h.reshape(h.shape[0], -1))


for threads in (1, 2):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = DigitCnn()
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    x = torch.randn(args.batch, 1, 8, 8)
    y = torch.randint(0, 10, (args.batch,))
    times = []
    for step in range(args.steps + 20):
        start = time.perf_counter()
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        if step >= 20:
            times.append(time.perf_counter() - start)
    print(f"PyTorch {torch.__version__}, {threads} thread(s): median step {statistics.median(times) * 1e6:.0f} us")
