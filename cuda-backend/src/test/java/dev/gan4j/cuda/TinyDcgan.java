package dev.gan4j.cuda;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Loss;
import dev.gan4j.nn.Module;
import dev.gan4j.nn.layers.BatchNorm2d;
import dev.gan4j.nn.layers.Conv2d;
import dev.gan4j.nn.layers.ConvTranspose2d;
import dev.gan4j.nn.layers.Flatten;
import dev.gan4j.nn.layers.LeakyReLU;
import dev.gan4j.nn.layers.Linear;
import dev.gan4j.nn.layers.Reshape;
import dev.gan4j.nn.layers.Sequential;
import dev.gan4j.nn.layers.Tanh;
import dev.gan4j.nn.optim.Adam;
import dev.gan4j.nn.optim.Optimizer;
import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

import java.util.List;

/**
 * A small DCGAN on 8x8 images — transposed convolutions, convolutions, batch norm, leaky ReLU, a linear
 * head, BCE-with-logits and Adam — built identically from a seed on any device, trained one step at a
 * time the way the gan module's trainer does (discriminator step, then generator step).
 */
final class TinyDcgan {

    static final int LATENT = 8;
    static final int BATCH = 6;

    final Module generator;
    final Module discriminator;
    private final Optimizer optG;
    private final Optimizer optD;
    private final Device device;
    private final Generator data = new Generator(7);

    TinyDcgan(Device device, long seed) {
        this.device = device;
        Generator init = new Generator(seed);
        generator = new Sequential(
                new Reshape(LATENT, 1, 1),
                new ConvTranspose2d(LATENT, 8, 4, ConvParams.of(1, 0), 0, false, init),
                new BatchNorm2d(8),
                new LeakyReLU(0.2),
                new ConvTranspose2d(8, 1, 4, ConvParams.of(2, 1), 0, true, init),
                new Tanh()).to(device);
        discriminator = new Sequential(
                new Conv2d(1, 8, 4, ConvParams.of(2, 1), true, init),
                new LeakyReLU(0.2),
                new Conv2d(8, 16, 4, ConvParams.of(2, 1), false, init),
                new BatchNorm2d(16),
                new LeakyReLU(0.2),
                new Flatten(),
                new Linear(64, 1, true, init)).to(device);
        optG = new Adam(generator.parameters(), 2e-3, 0.5, 0.999);
        optD = new Adam(discriminator.parameters(), 2e-3, 0.5, 0.999);
    }

    /** One discriminator and one generator update; returns {lossD, lossG}. */
    double[] step() {
        generator.train();
        discriminator.train();
        Tensor real = Tensor.uniform(data, -1, 1, DType.F32, device, BATCH, 1, 8, 8);
        Tensor noise = Tensor.normal(data, 0, 1, DType.F32, device, BATCH, LATENT);
        Variable fake = generator.forward(Variable.constant(noise));
        Variable lossD = bce(discriminator.forward(Variable.constant(real)), 1)
                .add(bce(discriminator.forward(fake.detach()), 0));
        update(lossD, discriminator, optD);
        Variable lossG = bce(discriminator.forward(fake), 1);
        update(lossG, generator, optG);
        return new double[] {lossD.item(), lossG.item()};
    }

    private static Variable bce(Variable logits, double label) {
        Tensor targets = Tensor.full(label, DType.F32, logits.device(), logits.shape());
        return Loss.bceWithLogits(logits, Variable.constant(targets), Loss.Reduction.MEAN);
    }

    private static void update(Variable loss, Module module, Optimizer opt) {
        List<Variable> params = module.parameters();
        List<Variable> grads = Autograd.grad(List.of(loss), params, null, false);
        for (int i = 0; i < params.size(); i++) params.get(i).setGrad(grads.get(i).data());
        opt.step();
        opt.zeroGrad();  // the gradients belong to the step's memory scope, when it has one
    }
}
