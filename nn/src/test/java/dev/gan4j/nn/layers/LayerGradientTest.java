package dev.gan4j.nn.layers;

import static dev.gan4j.nn.ModuleGradCheck.gradcheck;
import static dev.gan4j.nn.ModuleGradCheck.gradgradcheck;
import static dev.gan4j.nn.TestTensors.distinct;
import static dev.gan4j.nn.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Module;
import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gradients of every layer, for its input and all its parameters, against finite differences
 * ({@link dev.gan4j.autograd.GradCheck} in float64); second derivatives for the layers a WGAN-GP
 * critic or R1 penalty differentiates twice.
 */
class LayerGradientTest {

    private static <M extends Module> M f64(M m) {
        m.to(DType.F64);
        return m;
    }

    @Test
    void linear() {
        gradcheck(f64(new Linear(4, 3, true, new Generator(1))), random(2, 5, 4));
        gradcheck(f64(new Linear(4, 2, false, new Generator(1))), random(3, 2, 3, 4));
    }

    @Test
    void conv2d() {
        gradcheck(f64(new Conv2d(2, 3, 3, ConvParams.of(2, 1), true, new Generator(4))), random(5, 2, 2, 5, 5));
        gradcheck(f64(new Conv2d(2, 2, 2, ConvParams.of(1, 0, 2), false, new Generator(6))), random(7, 1, 2, 5, 4));
    }

    @Test
    void convTranspose2d() {
        gradcheck(f64(new ConvTranspose2d(2, 3, 4, ConvParams.of(2, 1), 0, true, new Generator(8))), random(9, 2, 2, 3, 3));
        gradcheck(f64(new ConvTranspose2d(3, 2, 3, ConvParams.of(2, 1), 1, false, new Generator(10))), random(11, 1, 3, 2, 3));
    }

    @Test
    void batchNormTrainingAndEval() {
        for (boolean training : new boolean[] {true, false}) {
            BatchNorm bn1 = f64(new BatchNorm1d(3));
            bn1.namedParameters().get("weight").data().assign(random(12, 3).add(1.5));
            bn1.namedBuffers().get("running_var").assign(random(13, 3).add(2));
            if (!training) bn1.eval();
            gradcheck(bn1, random(14, 5, 3));
            BatchNorm bn2 = f64(new BatchNorm2d(2, 1e-3, 0.3, true, true));
            bn2.namedParameters().get("bias").data().assign(random(15, 2));
            if (!training) bn2.eval();
            gradcheck(bn2, random(16, 2, 2, 3, 2));
        }
        gradcheck(f64(new BatchNorm1d(2, 1e-5, 0.1, false, false)), random(17, 4, 2, 3));
    }

    @Test
    void layerNorm() {
        LayerNorm ln = f64(new LayerNorm(2, 3));
        ln.namedParameters().get("weight").data().assign(random(18, 2, 3).add(1));
        gradcheck(ln, random(19, 3, 2, 3));
        gradcheck(f64(new LayerNorm(new int[] {5}, 1e-5, false)), random(20, 2, 5));
    }

    @Test
    void activations() {
        Tensor x = distinct(21, 0.05, 3, 7); // away from relu's kink at 0
        gradcheck(new ReLU(), x);
        gradcheck(new LeakyReLU(0.2), x);
        gradcheck(new Tanh(), random(22, 3, 7).mul(3));
        gradcheck(new Sigmoid(), random(23, 3, 7).mul(5));
    }

    @Test
    void dropoutWithAFixedMask() {
        Generator gen = new Generator(24);
        long seed = gen.state();
        Dropout dropout = new Dropout(0.5, gen);
        // The same mask for every evaluation: the generator is rewound before each forward.
        Module rewinding = new Module() {
            @Override
            public Variable forward(Variable x) {
                gen.setState(seed);
                return dropout.forward(x);
            }
        };
        gradcheck(rewinding, random(25, 4, 6));
    }

    @Test
    void reshapesPoolingAndUpsampling() {
        gradcheck(new Flatten(), random(26, 2, 2, 3));
        gradcheck(new Reshape(3, 2), random(27, 2, 6));
        gradcheck(new Upsample(2), random(28, 1, 2, 2, 3));
        gradcheck(new MaxPool2d(2, 2, 0), distinct(29, 0.01, 2, 2, 4, 4));
        gradcheck(new MaxPool2d(3, 2, 1), distinct(30, 0.01, 1, 2, 5, 5)); // overlapping windows
        gradcheck(new AvgPool2d(3, 2, 1), random(31, 1, 2, 5, 5));
        gradcheck(new AdaptiveAvgPool2d(1), random(32, 2, 3, 3, 2));
        gradcheck(new AdaptiveAvgPool2d(2), random(33, 1, 2, 4, 4));
    }

    @Test
    void sequentialDiscriminator() {
        Sequential d = f64(new Sequential(
                new Conv2d(1, 2, 4, ConvParams.of(2, 1), false, new Generator(34)),
                new BatchNorm2d(2), new LeakyReLU(0.2),
                new Conv2d(2, 1, 2, ConvParams.of(1, 0), true, new Generator(35)), new Flatten(), new Sigmoid()));
        gradcheck(d, random(36, 3, 1, 6, 6));
    }

    @Test
    void sequentialGenerator() {
        Sequential g = f64(new Sequential(
                new Linear(3, 8, true, new Generator(37)), new ReLU(), new Reshape(2, 2, 2),
                new ConvTranspose2d(2, 2, 4, ConvParams.of(2, 1), 0, false, new Generator(38)),
                new BatchNorm2d(2), new Upsample(2), new Conv2d(2, 1, 3, ConvParams.of(1, 1), true, new Generator(39)),
                new Tanh()));
        gradcheck(g, random(40, 2, 3));
    }

    // ---- second derivatives (gradient penalties) ----

    @Test
    void twiceDifferentiableLayers() {
        gradgradcheck(f64(new Linear(3, 2, true, new Generator(41))), random(42, 2, 3));
        gradgradcheck(f64(new Conv2d(2, 2, 3, ConvParams.of(2, 1), true, new Generator(43))), random(44, 1, 2, 4, 4));
        gradgradcheck(f64(new ConvTranspose2d(2, 1, 4, ConvParams.of(2, 1), 0, true, new Generator(45))), random(46, 1, 2, 2, 2));
        gradgradcheck(f64(new LayerNorm(3)), random(47, 2, 3));
        gradgradcheck(new Tanh(), random(48, 2, 3));
        gradgradcheck(new Sigmoid(), random(49, 2, 3));
        gradgradcheck(new LeakyReLU(0.2), distinct(50, 0.05, 2, 3));
        gradgradcheck(new AvgPool2d(2, 2, 0), random(51, 1, 1, 4, 4));
        gradgradcheck(new Upsample(2), random(52, 1, 1, 2, 2));
        BatchNorm eval = f64(new BatchNorm1d(3));
        eval.eval();
        gradgradcheck(eval, random(53, 4, 3));
    }

    @Test
    void wganGpCritic() {
        // The critic of WGAN-GP: no batch norm (layer norm instead), differentiated twice by the penalty.
        Sequential critic = f64(new Sequential(
                new Conv2d(1, 2, 3, ConvParams.of(2, 1), true, new Generator(54)), new LayerNorm(2, 2, 2),
                new LeakyReLU(0.2), new Flatten(), new Linear(8, 1, true, new Generator(55))));
        gradgradcheck(critic, random(56, 2, 1, 4, 4).mul(0.5));
    }

    @Test
    void batchNormTrainingAndMaxPoolRefuseASecondDerivative() {
        for (Module m : List.<Module>of(f64(new BatchNorm1d(2)), new MaxPool2d(2, 2, 0))) {
            Variable x = Variable.of(m instanceof BatchNorm ? random(57, 4, 2) : random(58, 1, 1, 4, 4), true);
            Variable y = m.forward(x).mul(m.forward(x)).sum();
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> Autograd.grad(y, x, true));
            assertTrue(e.getMessage().contains("not differentiable twice"), e.getMessage());
        }
    }
}
