"""Expected numbers of dev.gan4j.nn.optim.OptimizerParityTest, computed by PyTorch.

Run with /usr/bin/python3 (torch 1.13) from this directory:  python3 optimizers.py
It prints Java array literals that are pasted into the test. Everything is float64, so the
test compares to ~1e-12. Two parameters, a vector [4] and a matrix [2, 3], take five steps with
the fixed gradients below; in the "skip" cases parameter B has no gradient on step 1 (its
per-parameter step count then starts one step later, which changes Adam's bias correction).
"""
import re

import torch

torch.set_default_dtype(torch.float64)

A0 = [0.5, -1.25, 2.0, 0.0]
B0 = [[0.1, -0.2, 0.3], [1.5, -2.5, 0.75]]
GRADS_A = [
    [0.3, -0.8, 1.2, 0.05],
    [0.25, -0.5, -0.9, 0.0],
    [-0.1, 0.4, 0.6, -0.02],
    [0.02, -0.01, 0.03, 0.001],
    [0.005, 0.002, -0.004, 0.0005],
]
GRADS_B = [
    [[1.0, -2.0, 0.5], [0.0, 0.25, -0.75]],
    [[0.5, 1.0, -0.25], [0.125, -0.5, 0.3]],
    [[-0.2, 0.1, 0.05], [0.02, 0.01, -0.03]],
    [[0.01, -0.02, 0.0], [0.003, -0.001, 0.002]],
    [[-0.004, 0.006, 0.001], [0.0, 0.0005, -0.0002]],
]

CASES = [
    ("sgdPlain", lambda ps: torch.optim.SGD(ps, lr=0.1)),
    ("sgdMomentum", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9)),
    ("sgdDampening", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, dampening=0.5)),
    ("sgdNesterov", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True)),
    ("sgdWeightDecay", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01)),
    ("sgdNesterovWeightDecay", lambda ps: torch.optim.SGD(ps, lr=0.2, momentum=0.5, weight_decay=0.1, nesterov=True)),
    ("adamDefault", lambda ps: torch.optim.Adam(ps, lr=1e-3)),
    ("adamDcgan", lambda ps: torch.optim.Adam(ps, lr=2e-4, betas=(0.5, 0.999))),
    ("adamEpsWeightDecay", lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.1)),
    ("adamAmsgrad", lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.99), amsgrad=True)),
    ("adamAmsgradWeightDecay", lambda ps: torch.optim.Adam(ps, lr=0.05, betas=(0.0, 0.5), eps=1e-6, weight_decay=0.05, amsgrad=True)),
    ("rmspropDefault", lambda ps: torch.optim.RMSprop(ps, lr=0.01)),
    ("rmspropAlphaEps", lambda ps: torch.optim.RMSprop(ps, lr=0.005, alpha=0.9, eps=1e-3)),
    ("rmspropMomentum", lambda ps: torch.optim.RMSprop(ps, lr=0.01, momentum=0.9)),
    ("rmspropCentered", lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.95, centered=True)),
    ("rmspropCenteredMomentumWeightDecay", lambda ps: torch.optim.RMSprop(ps, lr=0.002, alpha=0.8, eps=1e-4, weight_decay=0.3, momentum=0.5, centered=True)),
    # Parameter B gets no gradient on the first step.
    ("sgdMomentumSkip", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9)),
    ("adamSkip", lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.99))),
    ("rmspropCenteredSkip", lambda ps: torch.optim.RMSprop(ps, lr=0.01, momentum=0.5, centered=True)),
]


def run(make, skip):
    a = torch.tensor(A0, requires_grad=True)
    b = torch.tensor(B0, requires_grad=True)
    opt = make([a, b])
    for step in range(len(GRADS_A)):
        a.grad = torch.tensor(GRADS_A[step])
        b.grad = None if (skip and step == 0) else torch.tensor(GRADS_B[step])
        opt.step()
    return a.detach().flatten().tolist() + b.detach().flatten().tolist()


def java(values):
    return "{" + ", ".join(repr(float(v)) for v in values) + "}"


print("// torch", torch.__version__)
for name, make in CASES:
    constant = re.sub(r"([A-Z])", r"_\1", name).upper()
    print("    private static final double[] %s = %s;" % (constant, java(run(make, name.endswith("Skip")))))
