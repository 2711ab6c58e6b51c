"""Writes the safetensors fixtures of SafeTensorsFixtureTest with the reference Python library.

Run from this directory with the library installed next to numpy and torch, for example:
    python3 -m venv --system-site-packages venv && venv/bin/pip install safetensors==0.8.0
    venv/bin/python make_fixtures.py
The Java test repeats the values below, so change both together.
"""
import numpy as np
import safetensors
import torch
from safetensors.numpy import save_file as save_numpy
from safetensors.torch import save_file as save_torch

assert safetensors.__version__ == "0.8.0", safetensors.__version__

# Each value of the Java test's expectations is computed the same way there, in the same precision.
reference = {
    "weight": (np.arange(12, dtype=np.float64).reshape(3, 4) * 0.1 - 0.5).astype(np.float32),
    "specials": np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, np.finfo(np.float32).max, 1 / 3],
                         dtype=np.float32),
    "bias": np.arange(4, dtype=np.float64) / 3 - 1,
    "scalar": np.array(2.5, dtype=np.float32),
    "empty": np.zeros((0, 3), dtype=np.float32),
    "steps": np.array(12345678901234, dtype=np.int64),
    # UTF-8 and UTF-16 order these two differently (U+FB01 vs a surrogate pair): the writer must use UTF-8.
    "\ufb01": np.array([1.0], dtype=np.float32),
    "\U0001F600": np.array([2.0], dtype=np.float32),
    "layer.10.w": np.array([3.0], dtype=np.float32),
    "layer.2.w": np.array([4.0], dtype=np.float32),
}
# One key only: the library writes metadata in hash order, so several keys have no fixed layout.
reference_metadata = {"note": "quote\" backslash\\ newline\n tab\t ctl\x01\x1f del\x7f \u00e9 \u2603 \U0001F600 \u2028"}
save_numpy(reference, "reference.safetensors", metadata=reference_metadata)

save_numpy({"x": np.array([1.0, -2.0], dtype=np.float32)}, "plain.safetensors")

f16 = np.array([0.0, -0.0, 1.0, -2.0, 65504.0, 2.0 ** -14, 2.0 ** -24, 2.0 ** -14 - 2.0 ** -24,
                np.inf, -np.inf, np.nan, 1 / 3], dtype=np.float16)
bf16 = torch.tensor([1.0, -1.5, 3.140625, 1e30, -np.inf, np.nan, 2.0 ** -133, -0.0], dtype=torch.bfloat16)
dtypes = {
    "f16": torch.from_numpy(f16),
    "f16_as_f32": torch.from_numpy(f16.astype(np.float32)),
    "bf16": bf16,
    "bf16_as_f32": bf16.float(),
    "i64": torch.tensor([-2 ** 63, 2 ** 63 - 1, 0, -1], dtype=torch.int64),
    "i32": torch.tensor([-2 ** 31, 2 ** 31 - 1, -7], dtype=torch.int32),
    "i16": torch.tensor([-2 ** 15, 2 ** 15 - 1, -3], dtype=torch.int16),
    "i8": torch.tensor([-128, 127, -1], dtype=torch.int8),
    "u8": torch.tensor([0, 255, 128], dtype=torch.uint8),
    "bool": torch.tensor([[True, False], [False, True]]),
}
save_torch(dtypes, "dtypes.safetensors")
