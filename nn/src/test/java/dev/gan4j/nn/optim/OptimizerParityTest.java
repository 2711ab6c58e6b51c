package dev.gan4j.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Update rules against PyTorch: two float64 parameters take five steps with fixed gradients, and the
 * final values must equal what torch.optim computed. The numbers come from
 * src/test/resources/pytorch/optimizers.py (same starting values, gradients and settings).
 */
class OptimizerParityTest {

    static final double[] A0 = {0.5, -1.25, 2.0, 0.0};
    static final double[] B0 = {0.1, -0.2, 0.3, 1.5, -2.5, 0.75};
    static final double[][] GRADS_A = {
        {0.3, -0.8, 1.2, 0.05},
        {0.25, -0.5, -0.9, 0.0},
        {-0.1, 0.4, 0.6, -0.02},
        {0.02, -0.01, 0.03, 0.001},
        {0.005, 0.002, -0.004, 0.0005},
    };
    static final double[][] GRADS_B = {
        {1.0, -2.0, 0.5, 0.0, 0.25, -0.75},
        {0.5, 1.0, -0.25, 0.125, -0.5, 0.3},
        {-0.2, 0.1, 0.05, 0.02, 0.01, -0.03},
        {0.01, -0.02, 0.0, 0.003, -0.001, 0.002},
        {-0.004, 0.006, 0.001, 0.0, 0.0005, -0.0002},
    };

    private static final double[] SGD_PLAIN = {0.45249999999999996, -1.1592, 1.9074, -0.003150000000000001, -0.0306, -0.1086, 0.26990000000000003, 1.4852, -2.4759499999999997, 0.79782};
    private static final double[] SGD_MOMENTUM = {0.313972, -0.8571419999999997, 1.6501979999999998, -0.015295500000000005, -0.42876, 0.2512200000000001, 0.16757000000000002, 1.4510225, -2.4329975, 0.9617325};
    private static final double[] SGD_DAMPENING = {0.43620099999999995, -1.102636, 1.8268739999999999, -0.007241500000000002, -0.09313000000000002, 0.057010000000000026, 0.23133499999999996, 1.48942, -2.5056975000000006, 0.855665};
    private static final double[] SGD_NESTEROV = {0.28507479999999996, -0.8056277999999999, 1.5925782000000002, -0.016915950000000006, -0.506484, 0.29749800000000004, 0.15071299999999999, 1.44112025, -2.41564775, 0.9883792499999999};
    private static final double[] SGD_WEIGHT_DECAY = {0.30811976912726946, -0.8424234192936685, 1.6254493593190777, -0.015217212762005003, -0.42797937215524007, 0.25134963451048015, 0.16428730395952965, 1.4314735222853987, -2.4002332907315225, 0.9508704137215244};
    private static final double[] SGD_NESTEROV_WEIGHT_DECAY = {0.25002282495, -0.7230820527249999, 1.3420764098000002, -0.01072197215, -0.37147973643000004, 0.1424666728600001, 0.14638597320999996, 1.19338808605, -1.9892690250000002, 0.786499286525};
    private static final double[] ADAM_DEFAULT = {0.49648425058791634, -1.2469342943069173, 1.9981349073429733, -0.0023062703046517552, 0.09656168999175208, -0.19828073905716728, 0.29807462638150467, 1.4975506151510207, -2.499950540471439, 0.7520731768290465};
    private static final double[] ADAM_DCGAN = {0.4994978225936508, -1.249599647841502, 1.9997312297196372, -0.00025207405954778237, 0.09953348697074858, -0.1998138757012819, 0.2997672926781474, 1.499567563054388, -2.4999580909750967, 0.7502470271416763};
    private static final double[] ADAM_EPS_WEIGHT_DECAY = {0.46200989596441844, -1.2156516634382808, 1.9742222847025714, -0.018622156241938963, 0.06709752995180887, -0.1840757256177826, 0.2787547316316872, 1.4518375470880465, -2.4693820761109637, 0.7616045879188572};
    private static final double[] ADAM_AMSGRAD = {0.4648302169816963, -1.2193369040688566, 1.9813520818115373, -0.023050102509363957, 0.06558931388997585, -0.18281642218494604, 0.2807414094685609, 1.4755630773470332, -2.4995536620083003, 0.7707169506588109};
    private static final double[] ADAM_AMSGRAD_WEIGHT_DECAY = {0.40516681057211273, -1.176360544487439, 1.9405031341052053, -0.017029754856577713, 0.031856007469644634, -0.18213091189051897, 0.2662894744641372, 1.3153244687457284, -2.4504466007872647, 0.7623716080545928};
    private static final double[] RMSPROP_DEFAULT = {0.35450715078519884, -1.135341488244106, 1.9211621314870257, -0.0653660625603559, -0.027671174698306916, -0.1487765650727729, 0.2357307757548769, 1.381730644624792, -2.512177088635422, 0.8162202015503331};
    private static final double[] RMSPROP_ALPHA_EPS = {0.47709099143763856, -1.2320765600731836, 1.987425497951677, -0.009320123389348697, 0.07983604877605943, -0.19223806442608068, 0.29004551083774255, 1.481612167628352, -2.5016937305679288, 0.7602308183192702};
    private static final double[] RMSPROP_MOMENTUM = {-0.07338348947527125, -0.7624495238131831, 1.6928115994440245, -0.3125098734412173, -0.417122532866591, 0.04432565399530483, 0.02036401784103663, 1.1085282785546562, -2.6062319056936323, 1.0409350653456422};
    private static final double[] RMSPROP_CENTERED = {0.43233923015930414, -1.1968184973629246, 1.963300566528968, -0.02977961205470498, 0.04097716177839763, -0.17641637451765646, 0.27033190580058525, 1.4454811522613757, -2.5062433020620456, 0.7804334852902821};
    private static final double[] RMSPROP_CENTERED_MOMENTUM_WEIGHT_DECAY = {0.47711713989950433, -1.229189432134045, 1.981389297639409, -0.005255629565497374, 0.0863411343075144, -0.19387260221754166, 0.2882317768369992, 1.465718137900406, -2.4666432236084983, 0.7466750563339982};
    private static final double[] SGD_MOMENTUM_SKIP = {0.313972, -0.8571419999999997, 1.6501979999999998, -0.015295500000000005, -0.019250000000000003, -0.5678000000000001, 0.372325, 1.4510225, -2.33062, 0.6546};
    private static final double[] ADAM_SKIP = {0.46477315266480457, -1.219288267861699, 1.9813181613065403, -0.02311199276239361, 0.0814816674295967, -0.2276996089478047, 0.32232286901109275, 1.4708988043028088, -2.474154716846564, 0.7256068347034823};
    private static final double[] RMSPROP_CENTERED_SKIP = {0.21883964729302938, -1.0223685288469795, 1.8500296311312767, -0.13284573083513615, -0.02513128738709906, -0.40362713514049453, 0.4534537609283741, 1.2799752116865708, -2.3148867601756593, 0.5781837559621467};

    /** Fresh float64 parameters: A [4] and B [2, 3]. */
    static List<Variable> params() {
        return List.of(Variable.of(Tensor.fromArray(A0.clone(), 4), true),
                Variable.of(Tensor.fromArray(B0.clone(), 2, 3), true));
    }

    /** Sets the gradients of step {@code step} (B gets none on step 0 when {@code skipB}). */
    static void setGrads(List<Variable> ps, int step, boolean skipB) {
        ps.get(0).setGrad(Tensor.fromArray(GRADS_A[step].clone(), 4));
        ps.get(1).setGrad(skipB && step == 0 ? null : Tensor.fromArray(GRADS_B[step].clone(), 2, 3));
    }

    private static void check(double[] expected, Function<List<Variable>, Optimizer> make, boolean skipB) {
        List<Variable> ps = params();
        Optimizer opt = make.apply(ps);
        for (int step = 0; step < GRADS_A.length; step++) {
            setGrads(ps, step, skipB);
            opt.step();
        }
        double[] a = ps.get(0).data().toDoubleArray();
        double[] b = ps.get(1).data().toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            double actual = i < 4 ? a[i] : b[i - 4];
            assertEquals(expected[i], actual, 1e-12 * Math.max(1, Math.abs(expected[i])),
                    (i < 4 ? "A[" + i + "]" : "B[" + (i - 4) + "]") + " after " + GRADS_A.length + " steps");
        }
    }

    private static void check(double[] expected, Function<List<Variable>, Optimizer> make) {
        check(expected, make, false);
    }

    @Test void sgdPlain() { check(SGD_PLAIN, ps -> new Sgd(ps, 0.1)); }
    @Test void sgdMomentum() { check(SGD_MOMENTUM, ps -> new Sgd(ps, 0.1, 0.9, 0, 0, false)); }
    @Test void sgdDampening() { check(SGD_DAMPENING, ps -> new Sgd(ps, 0.05, 0.8, 0.5, 0, false)); }
    @Test void sgdNesterov() { check(SGD_NESTEROV, ps -> new Sgd(ps, 0.1, 0.9, 0, 0, true)); }
    @Test void sgdWeightDecay() { check(SGD_WEIGHT_DECAY, ps -> new Sgd(ps, 0.1, 0.9, 0, 0.01, false)); }
    @Test void sgdNesterovWeightDecay() { check(SGD_NESTEROV_WEIGHT_DECAY, ps -> new Sgd(ps, 0.2, 0.5, 0, 0.1, true)); }

    @Test void adamDefault() { check(ADAM_DEFAULT, ps -> new Adam(ps, 1e-3, 0.9, 0.999)); }
    @Test void adamDcgan() { check(ADAM_DCGAN, ps -> new Adam(ps, 2e-4, 0.5, 0.999)); }
    @Test void adamEpsWeightDecay() { check(ADAM_EPS_WEIGHT_DECAY, ps -> new Adam(ps, 0.01, 0.8, 0.9, 1e-3, 0.1, false)); }
    @Test void adamAmsgrad() { check(ADAM_AMSGRAD, ps -> new Adam(ps, 0.01, 0.9, 0.99, 1e-8, 0, true)); }
    @Test void adamAmsgradWeightDecay() {
        check(ADAM_AMSGRAD_WEIGHT_DECAY, ps -> new Adam(ps, 0.05, 0.0, 0.5, 1e-6, 0.05, true));
    }

    @Test void rmspropDefault() { check(RMSPROP_DEFAULT, ps -> new RmsProp(ps, 0.01)); }
    @Test void rmspropAlphaEps() { check(RMSPROP_ALPHA_EPS, ps -> new RmsProp(ps, 0.005, 0.9, 1e-3, 0, 0, false)); }
    @Test void rmspropMomentum() { check(RMSPROP_MOMENTUM, ps -> new RmsProp(ps, 0.01, 0.99, 1e-8, 0, 0.9, false)); }
    @Test void rmspropCentered() { check(RMSPROP_CENTERED, ps -> new RmsProp(ps, 0.01, 0.95, 1e-8, 0, 0, true)); }
    @Test void rmspropCenteredMomentumWeightDecay() {
        check(RMSPROP_CENTERED_MOMENTUM_WEIGHT_DECAY, ps -> new RmsProp(ps, 0.002, 0.8, 1e-4, 0.3, 0.5, true));
    }

    // A parameter without a gradient is skipped, and its own step count (Adam's bias correction) does not advance.
    @Test void sgdMomentumSkipsAParameterWithoutGradient() {
        check(SGD_MOMENTUM_SKIP, ps -> new Sgd(ps, 0.1, 0.9, 0, 0, false), true);
    }
    @Test void adamCountsStepsPerParameter() { check(ADAM_SKIP, ps -> new Adam(ps, 0.01, 0.9, 0.99), true); }
    @Test void rmspropCenteredSkipsAParameterWithoutGradient() {
        check(RMSPROP_CENTERED_SKIP, ps -> new RmsProp(ps, 0.01, 0.99, 1e-8, 0, 0.5, true), true);
    }
}
