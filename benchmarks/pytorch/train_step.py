"""Milliseconds per whole training step (one D update + one G update, batch 64) of gan4j's presets,
rebuilt exactly in PyTorch, for the side-by-side table of benchmarks/side_by_side.py.

The models mirror gan4j's GanModels (dcgan, upsample, mlp; latent 100), the losses its Objective
(non-saturating BCE on logits, BCE on probabilities for mnist-mlp-article, WGAN-GP with lambda 10 and
the same penalty formula), the optimisers its presets. Like gan4j's Trainer, G runs once per step and
its output is reused (detached) for the D update; losses and D(x), D(G(z)) are read back every step.

    /usr/bin/python3 benchmarks/pytorch/train_step.py --preset mnist-dcgan [--width 64] [--threads 2]
"""
import argparse
import os
import statistics
import time

# OpenMP's spin-waiting made PyTorch 2-3x slower on a shared 2-vCPU machine (see bench_reference.py).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402  (after the OpenMP setting, which is read at load time)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

LATENT = 100
# preset: (image size, channels, model, width, loss, sigmoid head, lr, beta1, beta2)
PRESETS = {
    "mnist-dcgan": (28, 1, "dcgan", 32, "non-saturating", False, 2e-4, 0.5, 0.999),
    "mnist-mlp-article": (28, 1, "mlp", 256, "non-saturating", True, 2e-4, 0.9, 0.999),
    "mnist-wgan-gp": (28, 1, "dcgan", 32, "wgan-gp", False, 1e-4, 0.0, 0.9),
    "mnist-upsample": (28, 1, "upsample", 32, "non-saturating", False, 2e-4, 0.5, 0.999),
    "cifar10-dcgan": (32, 3, "dcgan", 64, "non-saturating", False, 2e-4, 0.5, 0.999),
}


def geometry(size):
    """(base size, upsamplings) as in gan4j's ModelSpec: 28 = 7 * 2^2, 32 = 4 * 2^3."""
    return (7, 2) if size == 28 else (4, 3)


def dcgan(size, ch, w, critic_bn):
    base, ups = geometry(size)
    c = w << (ups - 1)
    g = [nn.Unflatten(1, (LATENT, 1, 1)), nn.ConvTranspose2d(LATENT, c, base, 1, 0, bias=False), nn.BatchNorm2d(c),
         nn.ReLU()]
    for _ in range(1, ups):
        g += [nn.ConvTranspose2d(c, c // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(c // 2), nn.ReLU()]
        c //= 2
    g += [nn.ConvTranspose2d(c, ch, 4, 2, 1, bias=False), nn.Tanh()]
    bias = not critic_bn
    c = w
    d = [nn.Conv2d(ch, c, 4, 2, 1, bias=bias), nn.LeakyReLU(0.2)]
    for _ in range(1, ups):
        d += [nn.Conv2d(c, 2 * c, 4, 2, 1, bias=bias)] + ([nn.BatchNorm2d(2 * c)] if critic_bn else []) \
             + [nn.LeakyReLU(0.2)]
        c *= 2
    d += [nn.Conv2d(c, 1, base, 1, 0, bias=bias), nn.Flatten()]
    return nn.Sequential(*g), d


def upsample(size, ch, w, critic_bn):
    base, ups = geometry(size)
    c = w << (ups - 1)
    g = [nn.Linear(LATENT, c * base * base), nn.BatchNorm1d(c * base * base), nn.ReLU(), nn.Unflatten(1, (c, base, base))]
    for _ in range(ups):
        out = max(c // 2, w // 2)
        g += [nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c, out, 3, 1, 1, bias=False), nn.BatchNorm2d(out),
              nn.ReLU()]
        c = out
    g += [nn.Conv2d(c, ch, 3, 1, 1, bias=True), nn.Tanh()]
    bias = not critic_bn
    c = max(1, w // 2)
    d = [nn.Conv2d(ch, c, 3, 1, 1, bias=bias), nn.LeakyReLU(0.2)]
    for _ in range(ups):
        d += [nn.Conv2d(c, 2 * c, 4, 2, 1, bias=bias)] + ([nn.BatchNorm2d(2 * c)] if critic_bn else []) \
             + [nn.LeakyReLU(0.2)]
        c *= 2
    d += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 1)]
    return nn.Sequential(*g), d


def mlp(size, ch, w):
    pixels = ch * size * size
    g = nn.Sequential(nn.Linear(LATENT, w), nn.ReLU(), nn.Linear(w, 2 * w), nn.ReLU(), nn.Linear(2 * w, 4 * w),
                      nn.ReLU(), nn.Linear(4 * w, pixels), nn.Tanh(), nn.Unflatten(1, (ch, size, size)))
    d = [nn.Flatten(), nn.Linear(pixels, 2 * w), nn.LeakyReLU(0.2), nn.Linear(2 * w, w), nn.LeakyReLU(0.2),
         nn.Linear(w, 1)]
    return g, d


def build(preset, width):
    size, ch, model, w, loss, sigmoid, *_ = PRESETS[preset]
    w = width or w
    critic_bn = loss != "wgan-gp"
    g, d = mlp(size, ch, w) if model == "mlp" else (dcgan if model == "dcgan" else upsample)(size, ch, w, critic_bn)
    if sigmoid:
        d.append(nn.Sigmoid())
    return g, nn.Sequential(*d)


def gradient_penalty(d, real, fake):
    n = real.shape[0]
    alpha = torch.rand(n, 1, 1, 1)
    x = (real * alpha + fake * (1 - alpha)).requires_grad_(True)
    grad, = torch.autograd.grad(d(x).sum(), x, create_graph=True)
    norm = (grad.reshape(n, -1).pow(2).sum(1) + 1e-12).sqrt()
    return (norm - 1).pow(2).mean()


def make_step(preset, width, batch):
    size, ch, _, _, loss, sigmoid, lr, b1, b2 = PRESETS[preset]
    g, d = build(preset, width)
    opt_g = torch.optim.Adam(g.parameters(), lr, betas=(b1, b2))
    opt_d = torch.optim.Adam(d.parameters(), lr, betas=(b1, b2))
    real = torch.rand(batch, ch, size, size) * 2 - 1
    ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)
    bce = F.binary_cross_entropy if sigmoid else F.binary_cross_entropy_with_logits
    belief = (lambda s: s.mean()) if sigmoid or loss == "wgan-gp" else (lambda s: torch.sigmoid(s).mean())

    def step():
        fake = g(torch.randn(batch, LATENT))
        real_scores, fake_scores = d(real), d(fake.detach())
        if loss == "wgan-gp":
            loss_d = fake_scores.mean() - real_scores.mean() + 10 * gradient_penalty(d, real, fake.detach())
        else:
            loss_d = bce(real_scores, ones) + bce(fake_scores, zeros)
        loss_d.item(), belief(real_scores).item(), belief(fake_scores).item()
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        fake_scores = d(fake)
        loss_g = -fake_scores.mean() if loss == "wgan-gp" else bce(fake_scores, ones)
        loss_g.item()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
    return step


def median_ms(step, warmup, steps):
    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", default="mnist-dcgan", choices=PRESETS)
    parser.add_argument("--width", type=int, default=0, help="override the preset's width")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    ms = median_ms(make_step(args.preset, args.width, args.batch), args.warmup, args.steps)
    print(f"pytorch {torch.__version__} {args.preset} threads={args.threads}: {ms:.2f} ms/step (median)")


if __name__ == "__main__":
    main()
