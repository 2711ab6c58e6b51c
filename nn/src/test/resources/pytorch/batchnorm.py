"""Expected numbers of dev.gan4j.nn.layers.BatchNormParityTest, computed by PyTorch.

Run with /usr/bin/python3 (torch 1.13) from this directory:  python3 batchnorm.py
Prints Java literals (float64): the inputs (random, rounded to 2 decimals so they print exactly),
the training-mode outputs, the running statistics and num_batches_tracked after every step, the
eval-mode output, and the gradients of sum(output * weights) in training mode.
"""
import torch

torch.set_default_dtype(torch.float64)
torch.manual_seed(20240607)


def java(name, values):
    values = values.detach().flatten().tolist() if torch.is_tensor(values) else values
    print("    static final double[] %s = {%s};" % (name, ", ".join(repr(float(v)) for v in values)))


def data(*shape):
    return torch.round(torch.randn(*shape) * 200) / 100 + 0.5


def scenario(prefix, bn, shapes, eval_shape):
    """Training steps on the given input shapes, then one eval forward; prints everything."""
    if bn.affine:
        with torch.no_grad():
            bn.weight.copy_(torch.linspace(0.5, 1.5, bn.num_features))
            bn.bias.copy_(torch.linspace(-0.25, 0.25, bn.num_features))
    bn.train()
    for step, shape in enumerate(shapes):
        x = data(*shape).requires_grad_(True)
        w = data(*shape)
        y = bn(x)
        (y * w).sum().backward()
        java("%s_X%d" % (prefix, step), x)
        java("%s_W%d" % (prefix, step), w)
        java("%s_Y%d" % (prefix, step), y)
        java("%s_GX%d" % (prefix, step), x.grad)
        if bn.affine:
            java("%s_GGAMMA%d" % (prefix, step), bn.weight.grad)
            java("%s_GBETA%d" % (prefix, step), bn.bias.grad)
            bn.weight.grad = None
            bn.bias.grad = None
        if bn.track_running_stats:
            java("%s_MEAN%d" % (prefix, step), bn.running_mean)
            java("%s_VAR%d" % (prefix, step), bn.running_var)
            print("    static final long %s_COUNT%d = %d;" % (prefix, step, bn.num_batches_tracked.item()))
    bn.eval()
    x = data(*eval_shape)
    java("%s_EVAL_X" % prefix, x)
    java("%s_EVAL_Y" % prefix, bn(x))


print("    // torch %s" % torch.__version__)
print("    // BatchNorm1d(3): momentum 0.1, eps 1e-5, affine")
scenario("BN1", torch.nn.BatchNorm1d(3), [(4, 3), (4, 3), (6, 3)], (2, 3))
print("    // BatchNorm2d(2, eps=1e-3, momentum=0.3), affine")
scenario("BN2", torch.nn.BatchNorm2d(2, eps=1e-3, momentum=0.3), [(2, 2, 3, 3), (3, 2, 2, 2)], (1, 2, 2, 3))
print("    // BatchNorm1d(2, momentum=0.5, affine=False) on [N, C, L] inputs")
scenario("BN3", torch.nn.BatchNorm1d(2, momentum=0.5, affine=False), [(3, 2, 4), (2, 2, 2)], (1, 2, 3))
print("    // BatchNorm2d(2, track_running_stats=False): eval mode still uses the batch statistics")
scenario("BN4", torch.nn.BatchNorm2d(2, track_running_stats=False), [(2, 2, 2, 2)], (2, 2, 1, 2))
