"""Expected numbers of dev.gan4j.nn.LossTest, computed by PyTorch.

Run with /usr/bin/python3 (torch 1.13) from this directory:  python3 losses.py
Prints Java array literals (float64) pasted into the test: loss values for every reduction and
the gradients with respect to the inputs (for the mean reduction).
"""
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def java(name, values):
    values = values.detach().flatten().tolist() if torch.is_tensor(values) else values
    print("    static final double[] %s = {%s};" % (name, ", ".join(repr(float(v)) for v in values)))


def with_grad(fn, x, *rest):
    x = x.clone().requires_grad_(True)
    loss = fn(x, *rest, reduction="mean")
    loss.backward()
    return x.grad


# BCELoss: interior probabilities (gradients compared) and the clamped ends p = 0 and p = 1.
p = torch.tensor([0.2, 0.5, 0.9, 0.01, 0.999, 0.3])
t = torch.tensor([0.0, 1.0, 0.3, 1.0, 0.0, 0.7])
java("BCE_P", p)
java("BCE_T", t)
java("BCE_NONE", F.binary_cross_entropy(p, t, reduction="none"))
java("BCE_MEAN_SUM", [F.binary_cross_entropy(p, t, reduction="mean"), F.binary_cross_entropy(p, t, reduction="sum")])
java("BCE_GRAD", with_grad(F.binary_cross_entropy, p, t))
ends_p = torch.tensor([0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1e-50])
ends_t = torch.tensor([1.0, 0.0, 0.0, 1.0, 0.25, 0.75, 1.0])
java("BCE_ENDS_P", ends_p)
java("BCE_ENDS_T", ends_t)
java("BCE_ENDS_NONE", F.binary_cross_entropy(ends_p, ends_t, reduction="none"))

# BCEWithLogitsLoss, including logits far beyond where exp() overflows.
x = torch.tensor([-1000.0, -1000.0, 1000.0, 1000.0, -20.0, -1.0, 0.0, 0.5, 3.0, 20.0, 88.0, -88.0])
y = torch.tensor([0.0, 1.0, 0.0, 1.0, 1.0, 0.25, 1.0, 0.0, 1.0, 0.0, 0.5, 0.5])
java("LOGITS_X", x)
java("LOGITS_T", y)
java("LOGITS_NONE", F.binary_cross_entropy_with_logits(x, y, reduction="none"))
java("LOGITS_MEAN_SUM", [F.binary_cross_entropy_with_logits(x, y, reduction="mean"),
                         F.binary_cross_entropy_with_logits(x, y, reduction="sum")])
java("LOGITS_GRAD", with_grad(F.binary_cross_entropy_with_logits, x, y))

# MSELoss on a [2, 3] batch.
a = torch.tensor([[0.5, -1.0, 2.0], [3.0, 0.0, -0.25]])
b = torch.tensor([[1.0, -1.0, 0.0], [2.5, 0.125, 4.0]])
java("MSE_A", a)
java("MSE_B", b)
java("MSE_NONE", F.mse_loss(a, b, reduction="none"))
java("MSE_MEAN_SUM", [F.mse_loss(a, b, reduction="mean"), F.mse_loss(a, b, reduction="sum")])
java("MSE_GRAD", with_grad(F.mse_loss, a, b))

# CrossEntropyLoss on [4, 3] logits with class indices; the last row is huge (stability).
logits = torch.tensor([[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0], [0.25, 0.25, 0.25], [1000.0, -1000.0, 999.0]])
labels = torch.tensor([1, 0, 2, 2])
java("CE_LOGITS", logits)
print("    static final int[] CE_LABELS = {%s};" % ", ".join(str(int(v)) for v in labels))
java("CE_NONE", F.cross_entropy(logits, labels, reduction="none"))
java("CE_MEAN_SUM", [F.cross_entropy(logits, labels, reduction="mean"), F.cross_entropy(logits, labels, reduction="sum")])
java("CE_GRAD", with_grad(F.cross_entropy, logits, labels))
