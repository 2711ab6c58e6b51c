"""Fixtures of dev.gan4j.nn.io.CheckpointInteropTest: state dicts exchanged with PyTorch.

Needs torch and safetensors 0.8.0 (see ../safetensors/make_fixtures.py for the venv):
    python3 -m venv --system-site-packages venv && venv/bin/pip install safetensors==0.8.0

    venv/bin/python checkpoints.py torch-fixture
        Writes ../checkpoints/torch_mlp.safetensors, the state dict of a PyTorch
        Sequential(Linear(4, 6), BatchNorm1d(6), LeakyReLU(0.2), Linear(6, 3)) with trained running
        statistics, and prints the input and PyTorch's outputs (eval and train mode) for the Java test.

    venv/bin/python checkpoints.py check-gan4j
        Loads ../checkpoints/gan4j_mlp.safetensors (written by gan4j: the Java test rewrites it
        byte for byte) into the same PyTorch architecture with load_state_dict(strict=True), checks
        that keys, shapes and dtypes are exactly PyTorch's own, and prints the eval-mode output the Java
        test compares its own forward with.
"""
import sys

import safetensors
import torch
from safetensors.torch import load_file, save_file

assert safetensors.__version__ == "0.8.0", safetensors.__version__


def model():
    return torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.BatchNorm1d(6), torch.nn.LeakyReLU(0.2),
                               torch.nn.Linear(6, 3))


def java(name, values):
    values = values.detach().flatten().tolist()
    print("    static final double[] %s = {%s};" % (name, ", ".join(repr(float(v)) for v in values)))


# The input both tests feed the model (exact in float32).
X = torch.tensor([[0.5, -1.0, 2.0, 0.25], [1.5, 0.75, -0.5, -2.0], [-1.25, 0.0, 1.0, 3.0], [2.5, -0.25, -1.5, 0.5],
                  [0.0, 1.0, 0.125, -1.0]])

if sys.argv[1:] == ["torch-fixture"]:
    torch.manual_seed(7)
    m = model()
    with torch.no_grad():
        m[1].weight.uniform_(0.5, 1.5)
        m[1].bias.uniform_(-0.5, 0.5)
        for _ in range(3):  # trained running statistics, num_batches_tracked = 3
            m(torch.randn(8, 4) * 2 + 1)
    save_file(m.state_dict(), "../checkpoints/torch_mlp.safetensors")
    print("    // torch %s, safetensors %s" % (torch.__version__, safetensors.__version__))
    print("    static final String[] TORCH_KEYS = {%s};" % ", ".join('"%s"' % k for k in m.state_dict()))
    java("X", X)
    m.eval()
    java("TORCH_EVAL_Y", m(X))
    m.train()
    java("TORCH_TRAIN_Y", m(X))
    java("TORCH_RUNNING_MEAN_AFTER", m[1].running_mean)
    java("TORCH_RUNNING_VAR_AFTER", m[1].running_var)
elif sys.argv[1:] == ["check-gan4j"]:
    state = load_file("../checkpoints/gan4j_mlp.safetensors")
    m = model()
    own = m.state_dict()
    assert list(state) == list(own) or sorted(state) == sorted(own), (list(state), list(own))
    for k, v in own.items():
        assert state[k].shape == v.shape and state[k].dtype == v.dtype, (k, state[k].shape, state[k].dtype, v.shape, v.dtype)
    m.load_state_dict(state, strict=True)
    m.eval()
    print("    // loaded by torch %s with load_state_dict(strict=True); num_batches_tracked = %d (%s)"
          % (torch.__version__, m[1].num_batches_tracked.item(), m[1].num_batches_tracked.dtype))
    java("GAN4J_EVAL_Y_BY_TORCH", m(X))
else:
    sys.exit(__doc__)
