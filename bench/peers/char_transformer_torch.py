"""The CharTransformer sample's training iteration in PyTorch 1.13 eager (float32), written as
torch.nn modules the way nanoGPT writes them: the same model (4 layers, 4 heads, 128 wide, context
64, pre-norm blocks of causal self-attention and a GELU MLP, weight-tied output), AdamW with the
same parameter groups, gradient clipping at 1.0, batches of 12 x 64 characters.

By default it times --steps iterations on random tokens and prints the median per iteration, for 1
and 2 threads. With --train it trains on Tiny Shakespeare for --iterations with nanoGPT's warm-up
and cosine schedule and prints the validation loss, as the sample does."""
import argparse, gzip, math, os, statistics, time
import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--steps", type=int, default=100)
parser.add_argument("--train", action="store_true")
parser.add_argument("--iterations", type=int, default=2000)
parser.add_argument("--threads", type=int, default=1)
args = parser.parse_args()

LAYERS, HEADS, WIDTH, CONTEXT, BATCH, VOCAB = 4, 4, 128, 64, 12, 65


class CausalSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = nn.Linear(WIDTH, 3 * WIDTH)
        self.c_proj = nn.Linear(WIDTH, WIDTH)
        self.register_buffer("mask", torch.tril(torch.ones(CONTEXT, CONTEXT)).view(1, 1, CONTEXT, CONTEXT))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(WIDTH, dim=2)
        q = q.view(B, T, HEADS, C // HEADS).transpose(1, 2)
        k = k.view(B, T, HEADS, C // HEADS).transpose(1, 2)
        v = v.view(B, T, HEADS, C // HEADS).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.mask[:, :, :T, :T] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_fc = nn.Linear(WIDTH, 4 * WIDTH)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * WIDTH, WIDTH)

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(WIDTH)
        self.attn = CausalSelfAttention()
        self.ln_2 = nn.LayerNorm(WIDTH)
        self.mlp = Mlp()

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Gpt(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(VOCAB, WIDTH)
        self.wpe = nn.Embedding(CONTEXT, WIDTH)
        self.h = nn.ModuleList([Block() for _ in range(LAYERS)])
        self.ln_f = nn.LayerNorm(WIDTH)
        self.lm_head = nn.Linear(WIDTH, VOCAB, bias=False)
        self.wte.weight = self.lm_head.weight  # weight tying
        self.apply(self._init)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * LAYERS))

    def _init(self, module):
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, 0.0, 0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, 0.0, 0.02)

    def forward(self, idx, targets):
        B, T = idx.size()
        x = self.wte(idx) + self.wpe(torch.arange(T))
        for block in self.h:
            x = block(x)
        logits = self.lm_head(self.ln_f(x))
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def optimizer_for(model, lr):
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                             lr=lr, betas=(0.9, 0.99))


def step(model, optimizer, x, y):
    loss = model(x, y)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


if args.train:
    torch.set_num_threads(args.threads)
    torch.manual_seed(1337)
    path = os.path.join(os.path.dirname(__file__), "..", "..", "samples", "CharTransformer", "data", "tinyshakespeare.txt.gz")
    text = gzip.open(path, "rt", encoding="utf-8").read()
    chars = sorted(set(text))
    ids = torch.tensor([chars.index(c) for c in text], dtype=torch.long)
    split = int(0.9 * len(ids))
    train, val = ids[:split], ids[split:]

    def batch(data):
        ix = torch.randint(len(data) - CONTEXT, (BATCH,))
        return torch.stack([data[i:i + CONTEXT] for i in ix]), torch.stack([data[i + 1:i + 1 + CONTEXT] for i in ix])

    def lr_at(it, warmup=100, lr=1e-3, min_lr=1e-4):
        if it < warmup:
            return lr * (it + 1) / (warmup + 1)
        ratio = (it - warmup) / (args.iterations - warmup)
        return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (lr - min_lr)

    model = Gpt()
    optimizer = optimizer_for(model, 1e-3)
    started = time.perf_counter()
    times = []
    for it in range(args.iterations):
        for group in optimizer.param_groups:
            group["lr"] = lr_at(it)
        x, y = batch(train)
        t = time.perf_counter()
        step(model, optimizer, x, y)
        times.append(time.perf_counter() - t)
    with torch.no_grad():
        val_loss = statistics.mean(model(*batch(val)).item() for _ in range(200))
    print(f"{args.iterations} iterations in {time.perf_counter() - started:.1f} s, median {1000 * statistics.median(times):.1f} ms per iteration; validation loss {val_loss:.4f} (200 batches)")
else:
    for threads in (1, 2):
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        model = Gpt()
        optimizer = optimizer_for(model, 1e-3)
        x = torch.randint(0, VOCAB, (BATCH, CONTEXT))
        y = torch.randint(0, VOCAB, (BATCH, CONTEXT))
        for _ in range(10):
            step(model, optimizer, x, y)
        times = []
        for _ in range(args.steps):
            t = time.perf_counter()
            step(model, optimizer, x, y)
            times.append(time.perf_counter() - t)
        print(f"PyTorch {torch.__version__}, {threads} thread(s): median {1000 * statistics.median(times):.2f} ms per training iteration (forward, backward, clipping, AdamW)")
