"""Seconds per training step of the default `mnist-dcgan` recipe in PyTorch, for a side-by-side
comparison with gan4j (see benchmarks/README.md, "Whole training step").

The models mirror gan4j's GanModels.dcganGenerator / dcganDiscriminator at width 32, latent 100,
batch 64, 28x28: no conv biases, BatchNorm in both, non-saturating BCE-with-logits, Adam(2e-4, 0.5).

    /usr/bin/python3 benchmarks/pytorch/dcgan_step.py [--threads 2] [--steps 100]
"""
import argparse
import os
import time

# As in bench_reference.py: OpenMP's spin-waiting made PyTorch 2-3x slower on this 2-vCPU machine.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402  (after the OpenMP setting, which is read at load time)
import torch.nn as nn
import torch.nn.functional as F


def generator(latent=100, width=32):
    return nn.Sequential(
        nn.ConvTranspose2d(latent, 2 * width, 7, 1, 0, bias=False), nn.BatchNorm2d(2 * width), nn.ReLU(),
        nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
        nn.ConvTranspose2d(width, 1, 4, 2, 1, bias=False), nn.Tanh())


def discriminator(width=32):
    return nn.Sequential(
        nn.Conv2d(1, width, 4, 2, 1, bias=False), nn.LeakyReLU(0.2),
        nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
        nn.Conv2d(2 * width, 1, 7, 1, 0, bias=False), nn.Flatten())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    g, d = generator(), discriminator()
    opt_g = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    real = torch.rand(args.batch, 1, 28, 28) * 2 - 1
    ones, zeros = torch.ones(args.batch, 1), torch.zeros(args.batch, 1)

    def step():
        fake = g(torch.randn(args.batch, 100, 1, 1))
        loss_d = (F.binary_cross_entropy_with_logits(d(real), ones)
                  + F.binary_cross_entropy_with_logits(d(fake.detach()), zeros))
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        loss_g = F.binary_cross_entropy_with_logits(d(fake), ones)
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()

    for _ in range(10):
        step()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    seconds = (time.perf_counter() - start) / args.steps
    print(f"pytorch {torch.__version__} threads={args.threads}: {seconds * 1000:.1f} ms/step, {1 / seconds:.2f} steps/s")


if __name__ == "__main__":
    main()
