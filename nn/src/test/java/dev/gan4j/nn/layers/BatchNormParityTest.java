package dev.gan4j.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Batch norm against PyTorch in float64: training-mode outputs and gradients, running statistics
 * (momentum 0.1 and others, unbiased running variance) and num_batches_tracked after every step, and
 * the eval-mode output from the running statistics. Numbers from src/test/resources/pytorch/batchnorm.py.
 */
class BatchNormParityTest {

    // torch 1.13.0a0
    // BatchNorm1d(3): momentum 0.1, eps 1e-5, affine
    static final double[] BN1_X0 = {-2.99, -3.55, -4.24, 1.8, 1.1600000000000001, -0.20999999999999996, -2.03, -1.09, 0.54, 2.46, 3.81, -2.27};
    static final double[] BN1_W0 = {2.33, -0.13, 2.58, -2.03, 3.11, -0.39, 1.01, -2.48, 2.72, 1.1400000000000001, -2.03, -2.19};
    static final double[] BN1_Y0 = {-0.8441566472899716, -1.334767415894164, -1.9171522540672785, 0.17227561718108694, 0.3959289444255917, 1.3235244004377797, -0.6404457967905527, -0.4308368327972216, 1.9266279961893416, 0.31232682689943736, 1.3696753042657939, -0.33300014255984306};
    static final double[] BN1_GX0 = {0.11293551709304023, 0.0551254284203815, 1.4944165723484775, -0.381979373917994, 1.2944940424927374, -0.8438599907626805, -0.08093287044243447, -0.7828840716576492, 1.6663173423786348, 0.34997672726738827, -0.5667353992554699, -2.3168739239644323};
    static final double[] BN1_GGAMMA0 = {-3.9898043263126794, -0.3071067410926203, -0.11515257988216505};
    static final double[] BN1_GBETA0 = {2.45, -1.5299999999999998, 2.72};
    static final double[] BN1_MEAN0 = {-0.018999999999999996, 0.008250000000000013, -0.1545};
    static final double[] BN1_VAR0 = {1.6402733333333335, 1.8875025, 1.3639366666666666};
    static final long BN1_COUNT0 = 1;
    static final double[] BN1_X1 = {-0.54, 3.5, 1.08, 2.84, 3.66, 3.33, -0.8400000000000001, -2.12, 1.87, 2.33, -3.25, -1.9300000000000002};
    static final double[] BN1_W1 = {-0.18000000000000005, -1.14, 0.08000000000000002, 0.0, 4.38, -2.65, -0.07999999999999996, -0.52, 2.05, -0.75, -3.18, -0.77};
    static final double[] BN1_Y1 = {-0.7005359822702112, 0.9664757811148632, 0.24414080678570652, 0.3232029219807561, 1.017134626316625, 2.001898771073778, -0.7914003820558, -0.8129161565970225, 0.8613091586912961, 0.16873344234525517, -1.1706942508344658, -2.1073487365507804};
    static final double[] BN1_GX1 = {-0.003919391359739679, -0.8981971775206177, 0.3136425062972808, 0.10940167765723728, 0.8194637822443459, -1.5788449627633059, 0.02114959138623953, 0.3542864869519143, 1.9370148128714564, -0.12663187768373713, -0.2755530916756427, -0.6718123564054314};
    static final double[] BN1_GGAMMA1 = {-0.3792831487716787, 7.498791391879927, -1.0497721175609311};
    static final double[] BN1_GBETA1 = {-1.01, -0.45999999999999996, -1.29};
    static final double[] BN1_MEAN1 = {0.07765, 0.05217500000000001, -0.030300000000000007};
    static final double[] BN1_VAR1 = {1.8396018333333335, 3.028801416666667, 1.7190921666666668};
    static final long BN1_COUNT1 = 2;
    static final double[] BN1_X2 = {1.38, 1.3, 2.7, 1.02, -0.8400000000000001, 3.81, -2.96, -0.38, 2.6, 1.26, -1.24, 5.23, 2.71, 3.36, -0.71, 1.31, 2.06, 1.94};
    static final double[] BN1_W2 = {-0.49, 2.93, 1.86, 1.58, -1.29, 0.3, 2.45, 1.3599999999999999, -0.06000000000000005, -0.69, 0.87, 0.55, 0.71, -0.17000000000000004, 0.81, -0.22999999999999998, -1.25, 1.1800000000000002};
    static final double[] BN1_Y2 = {-0.08169092941945975, 0.35485702100882155, 0.3367389955561444, -0.18381103965933812, -0.9322514958706327, 1.2536940914353822, -1.3128055917557715, -0.6555833099993481, 0.2541304283598166, -0.11573096616608586, -1.172832527063054, 2.4267357456232364, 0.2955861445223132, 1.5938493316497913, -2.480213145838632, -0.10154761752165828, 0.8119609802744221, -0.2910861151359466};
    static final double[] BN1_GX2 = {-0.222550479292947, 1.5506525781511225, 0.9039988609829313, 0.3198131725831875, -1.1107618328708067, -0.31789289995646297, 0.07101624907233285, 0.5095879121870531, -0.6881038172337073, -0.294226201205046, 0.16533189782212218, -0.025913211696172878, 0.28346068279612313, -0.19517464919748878, -0.16861130698618257, -0.15751342395365048, -0.9196359060920025, 0.2965223748895944};
    static final double[] BN1_GGAMMA2 = {-4.642380211504872, -0.9555277106384991, -0.793703113622316};
    static final double[] BN1_GBETA2 = {3.33, 2.45, 4.640000000000001};
    static final double[] BN1_MEAN2 = {0.1485516666666667, 0.1179575, 0.23223};
    static final double[] BN1_VAR2 = {2.0284643166666667, 3.0576452750000005, 1.94283395};
    static final long BN1_COUNT2 = 3;
    static final double[] BN1_EVAL_X = {-0.5800000000000001, 1.4100000000000001, 0.03999999999999998, 0.87, -1.38, 2.96};
    static final double[] BN1_EVAL_Y = {-0.5057676444288586, 0.7388946789205224, 0.043131928721371594, 0.003273925839795294, -0.8566535744753662, 3.1854862341554604};
    // BatchNorm2d(2, eps=1e-3, momentum=0.3), affine
    static final double[] BN2_X0 = {2.74, -1.06, -1.47, 0.99, -3.5700000000000003, 1.91, -1.8599999999999999, -0.8400000000000001, -1.5299999999999998, -2.48, -1.23, -0.8400000000000001, -0.98, -0.6100000000000001, 3.2, 3.97, 2.19, -1.4, -0.25, 1.01, -3.55, 1.73, 0.12, 0.22999999999999998, 0.9299999999999999, 2.23, 0.06, -0.35, -1.19, -3.02, -1.26, 1.3599999999999999, -0.55, 0.9099999999999999, 3.71, 2.26};
    static final double[] BN2_W0 = {3.51, 0.63, 0.61, 3.11, -2.08, 2.1799999999999997, 3.5, -0.010000000000000009, 2.49, -1.21, 1.24, 1.7, 0.08000000000000002, -0.8799999999999999, 0.99, -1.04, 0.99, 0.36, -0.18999999999999995, -3.25, -3.45, 0.0, 0.7, -0.26, 1.25, 2.84, 0.77, 0.31, -2.58, -3.55, -0.06999999999999995, 1.19, 1.94, -0.5, 4.54, -2.27};
    static final double[] BN2_Y0 = {0.5538183702736755, -0.5137772904393226, -0.628965243305725, 0.062162473892689495, -1.2189523189629083, 0.32063300227583635, -0.738534271642059, -0.45196912060857014, -0.6458220168959302, -1.7123856111329854, -0.7987982688923032, -0.5137590181132103, -0.6160808004441667, -0.3456589471409249, 2.4389552720086747, 3.001725074828935, 1.7007766994782032, -0.9230461474370358, -0.28621084697155197, 0.0677813984227579, -1.2133333944328397, 0.2700626815052207, -0.18226074316528637, -0.15135665824991013, 0.04530570030248425, 0.41053579475693097, -0.1991175167554916, -0.15563277995486288, -0.7695634739406013, -2.10705534298096, -0.8207243651060796, 1.0941547042303903, -0.3018067547133721, 0.7652632610237446, 2.8116989076428727, 1.7519375906436814};
    static final double[] BN2_GX0 = {0.3635604051073501, 0.12527713150951728, 0.1812490391057982, 0.5140696126062534, -0.25903107246807705, 0.11458580352821525, 1.0517700349916013, -0.08757719264242031, 0.7184412374385238, -0.24788859132900334, 1.2229973622709704, 1.459436990211711, 0.3112392612332645, -0.48504040781634133, -0.09289722678477583, -1.7735261366937698, 0.16545692486616906, 0.6233172255916097, -0.2267782230582704, -1.2757528187909328, -0.646931833613195, -0.4708370927303564, -0.03231805192571215, -0.31855079896387006, 0.0005229238161863082, 0.25193941965356614, -0.0036385235641776714, 0.3181877326609012, -1.579157403206691, -1.8199941535367186, 0.2732317132953377, 0.5239417371200092, 1.5606648648934331, -0.5961200642003583, 2.371234768404522, -2.235084596980269};
    static final double[] BN2_GGAMMA0 = {17.128854402450102, 12.929380415339653};
    static final double[] BN2_GBETA0 = {12.35, 1.2399999999999998};
    static final double[] BN2_MEAN0 = {-0.03633333333333334, 0.0615};
    static final double[] BN2_VAR0 = {1.7057760784313725, 2.0376549999999995};
    static final long BN2_COUNT0 = 1;
    static final double[] BN2_X1 = {0.98, 0.12, 3.86, 2.0700000000000003, 1.73, -1.88, 3.44, -2.5, 0.46, -1.54, -0.5800000000000001, 0.99, 1.4, 0.62, -1.32, -0.14, -1.7999999999999998, -3.5, -0.31000000000000005, -1.77, 2.2199999999999998, -4.09, 1.1600000000000001, 1.57};
    static final double[] BN2_W1 = {-0.7, 1.13, 2.15, -0.7, 2.57, 1.28, 1.37, 2.66, 0.12, -0.33999999999999997, -0.030000000000000027, -3.02, -1.5899999999999999, -0.48, -0.74, -0.28, 3.4, 0.8, 3.85, 1.67, -0.45999999999999996, -0.29000000000000004, 0.32, 1.8};
    static final double[] BN2_Y1 = {0.032279614980104336, -0.1956644872573508, 0.7956273061939075, 0.32118551200199524, 1.3452080754033695, -1.2124422656464402, 2.556726658005911, -1.6517063131397594, -0.10554705148905458, -0.6356496148319736, -0.3812003844273725, 0.03493012779681893, 1.1114062436730545, 0.5587837323104918, -0.8156876421040874, 0.020331028931584477, -0.704562948066553, -1.1551501269080342, -0.3096365383760784, -0.6966114096164092, 1.692368371002928, -2.778206047840368, 0.9413685478691892, 1.231849611534126};
    static final double[] BN2_GX1 = {-0.31363365954713035, 0.126276738031653, 0.5929070628611381, -0.25642963839691374, 1.4403809205790246, 0.5655392995753478, 0.5716661812713345, 1.5499731740608986, -0.12358160031792136, -0.35046669658443785, -0.21791927605141576, -0.9280278254914281, -1.503363896807766, -0.7084889788465123, -0.8716783861665338, -0.5585570055484631, 0.6271801009961266, -0.1511705120426663, 0.8246495002380291, 0.17021580630496644, -0.711653683413372, -0.5228473316812066, -0.14754705748609293, 0.8965767644633413};
    static final double[] BN2_GGAMMA1 = {-4.482202708961549, 0.3885046464496469};
    static final double[] BN2_GBETA1 = {8.33, 6.16};
    static final double[] BN2_MEAN1 = {-0.05093333333333333, 0.0983};
    static final double[] BN2_VAR1 = {2.3583514367201426, 2.8930119090909088};
    static final long BN2_COUNT1 = 2;
    static final double[] BN2_EVAL_X = {4.279999999999999, 3.03, -2.93, -1.85, -2.88, 0.74, 2.02, -1.5099999999999998, 0.8300000000000001, -0.8200000000000001, 5.15, 0.44};
    static final double[] BN2_EVAL_Y = {1.1597924648261098, 0.7528962035815813, -1.1871851700323317, -0.8356268003170588, -1.1709093195825504, 0.007462252981604723, 1.9444419395461285, -1.1681042677691826, 0.8951699886381341, -0.5597028844695894, 4.70429169277472, 0.5512909459035813};
    // BatchNorm1d(2, momentum=0.5, affine=False) on [N, C, L] inputs
    static final double[] BN3_X0 = {0.29000000000000004, 3.9, -0.53, -1.24, -1.79, 3.0, -2.16, 1.45, -1.18, -2.03, 0.46, 2.69, 0.32999999999999996, 1.88, -0.18999999999999995, 2.54, -1.65, 0.75, -0.26, -1.87, 2.62, -0.53, 2.74, -1.41};
    static final double[] BN3_W0 = {-2.85, -1.02, -0.27, 0.67, -1.12, 0.8400000000000001, 2.49, 2.63, -1.37, 1.02, 4.68, -1.88, 0.15999999999999998, 0.8, 3.64, -1.16, 2.04, -1.6, 2.62, -1.33, -0.06999999999999995, -4.31, -1.7200000000000002, 1.35};
    static final double[] BN3_Y0 = {0.1972549005185196, 2.2563108741238853, -0.27045310456635574, -0.6754197918959429, -1.3717433373693757, 1.2600259227104547, -1.5750324033880683, 0.4084095650645805, -0.641197254938513, -1.126016528502103, 0.29421875523123764, 1.5661563788157156, -0.20695193207308343, 0.6446644255727907, -0.49265548431557016, 1.0072881649574856, -0.9092737944383805, 0.4596276838588155, -0.11645168825792117, -1.034756429948957, 1.0512425576101758, -0.6794616530895039, 1.1171741465892113, -1.1629599722690969};
    static final double[] BN3_GX0 = {-1.5974389782897227, 0.09227309747876324, -0.2725896267448455, 0.1365256306530945, -0.9885603161553894, 0.4942409496651974, 0.963526767337556, 1.346368940167682, -1.016305035341624, 0.19480515389244288, 2.727906916448441, -0.6147510084953453, -0.1056350171864763, 0.37735166913650653, 1.762314738397319, -0.6436006155208801, 0.8445803557021063, -0.8021632640660471, 1.4241060608819032, -1.1169493021191665, -0.03794258104209322, -2.634465628453775, -0.9343327776250074, 0.40073387127936166};
    static final double[] BN3_MEAN0 = {-0.02791666666666669, 0.35333333333333333};
    static final double[] BN3_VAR0 = {2.176622348484848, 2.3068939393939396};
    static final long BN3_COUNT0 = 1;
    static final double[] BN3_X1 = {-0.8700000000000001, -0.09999999999999998, 1.1800000000000002, 0.020000000000000018, 1.38, 0.37, 1.19, -1.05};
    static final double[] BN3_W1 = {1.52, 0.46, -1.6, 1.93, 3.1, 4.470000000000001, 2.09, 1.3599999999999999};
    static final double[] BN3_Y1 = {-1.3069354025267763, -0.3620149706529567, 0.9082163271820405, -0.3385658497779204, 1.4541957295720467, 0.21475464360768629, 0.9189644493972123, -1.4886149268013327};
    static final double[] BN3_GX1 = {0.2645620198981347, -1.9972058267220392, -2.195955624823119, 0.8575964691228226, -0.6045345677771949, 2.3371783746010992, 1.7764853954030473, -0.43812623970275044};
    static final double[] BN3_MEAN1 = {0.08354166666666663, 0.3441666666666667};
    static final double[] BN3_VAR1 = {1.5309945075757574, 1.7305303030303032};
    static final long BN3_COUNT1 = 2;
    static final double[] BN3_EVAL_X = {-1.5499999999999998, 3.23, 1.89, 1.46, 0.65, -1.13};
    static final double[] BN3_EVAL_Y = {-1.3202068500404762, 2.542926164540405, 1.4599558215407435, 0.8482199287241774, 0.2324844763568134, -1.1206131844010976};
    // BatchNorm2d(2, track_running_stats=False): eval mode still uses the batch statistics
    static final double[] BN4_X0 = {3.11, -2.53, -1.1, 0.27, 2.01, -3.7, -2.15, -0.43000000000000005, 1.65, 0.24, 2.3899999999999997, -1.9, -1.41, 1.55, 1.74, 2.6};
    static final double[] BN4_W0 = {0.36, 0.52, -1.12, 1.1, -2.69, -0.29000000000000004, 2.42, -0.06999999999999995, 2.09, 2.48, 2.67, -2.71, -0.69, 0.32999999999999996, 0.58, 1.3199999999999998};
    static final double[] BN4_Y0 = {0.49821191062811987, -0.9857143050879578, -0.6094706014578176, -0.24901334693103983, 1.6390869067146676, -2.359242639518856, -1.2738817294204388, -0.06948123563380826, 0.11407498244629832, -0.25690657148272106, 0.30877452138776945, -0.8199565895026513, -0.7557094239540977, 1.3169797979112665, 1.4500240385039758, 2.052224285397291};
    static final double[] BN4_GX0 = {-0.4832367674669135, 0.3535412277974282, -0.279443264121287, 0.11162118731520752, -1.8268642371519743, -0.5389565345681139, 1.4652610338248924, -0.16004205434985344, 0.17765442362628892, 0.4789365422119891, 0.22599013547918745, -0.5850634848419011, -0.6615766291486794, 0.25620681568264125, 0.44433047601363074, 1.0216411296974561};
    static final double[] BN4_GGAMMA0 = {8.141551973764283, -1.6829337849395394};
    static final double[] BN4_GBETA0 = {5.390000000000001, 0.9099999999999998};
    static final double[] BN4_EVAL_X = {-0.9099999999999999, 2.85, -2.67, 0.18, 3.05, 0.66, 7.03, -1.16};
    static final double[] BN4_EVAL_Y = {-0.9597398809660478, 0.18929002320288213, -1.1709610869493916, -0.018830475909344446, 0.2504086351267613, -0.4799587773635957, 2.750325554134278, -0.560533991275542};

    private static final double TOL = 1e-12;

    static void assertClose(double[] expected, Tensor actual, String what) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, what + ": length");
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], TOL * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
        }
    }

    private static double[] linspace(double from, double to, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = from + (to - from) * i / (n - 1);
        return out;
    }

    /** The module as the script sets it up: float64, gamma = linspace(0.5, 1.5), beta = linspace(-0.25, 0.25). */
    private static BatchNorm prepare(BatchNorm bn, int channels) {
        bn.to(DType.F64);
        Map<String, Variable> p = bn.namedParameters();
        if (p.containsKey("weight")) {
            p.get("weight").data().assign(Tensor.fromArray(linspace(0.5, 1.5, channels), channels));
            p.get("bias").data().assign(Tensor.fromArray(linspace(-0.25, 0.25, channels), channels));
        }
        return bn;
    }

    /** One training step: output, gradients, then running statistics as PyTorch left them. */
    private static void trainStep(BatchNorm bn, String name, int[] shape, double[] x, double[] w, double[] y, double[] gx,
                                  double[] gGamma, double[] gBeta, double[] mean, double[] var, long count) {
        Variable input = Variable.of(Tensor.fromArray(x.clone(), shape), true);
        Variable out = bn.forward(input);
        assertClose(y, out.data(), name + " output");
        out.mul(Variable.constant(Tensor.fromArray(w.clone(), shape))).sum().backward();
        assertClose(gx, input.grad(), name + " input gradient");
        Map<String, Variable> p = bn.namedParameters();
        if (gGamma != null) {
            assertClose(gGamma, p.get("weight").grad(), name + " weight gradient");
            assertClose(gBeta, p.get("bias").grad(), name + " bias gradient");
            bn.zeroGrad();
        } else {
            assertTrue(p.isEmpty());
        }
        Map<String, Tensor> buffers = bn.namedBuffers();
        if (mean != null) {
            assertClose(mean, buffers.get("running_mean"), name + " running_mean");
            assertClose(var, buffers.get("running_var"), name + " running_var");
            assertEquals(count, buffers.get("num_batches_tracked").item(), name + " num_batches_tracked");
        } else {
            assertTrue(buffers.isEmpty());
        }
    }

    private static void evalStep(BatchNorm bn, String name, int[] shape, double[] x, double[] y) {
        bn.eval();
        Map<String, Tensor> before = Map.copyOf(bn.namedBuffers());
        double[][] values = before.values().stream().map(Tensor::toDoubleArray).toArray(double[][]::new);
        assertClose(y, bn.forward(Variable.constant(Tensor.fromArray(x.clone(), shape))).data(), name + " eval output");
        double[][] after = before.keySet().stream().map(k -> bn.namedBuffers().get(k).toDoubleArray()).toArray(double[][]::new);
        for (int i = 0; i < values.length; i++) {
            assertArrayEquals(values[i], after[i], name + ": eval changed a buffer");
        }
    }

    @Test
    void batchNorm1dDefaultMomentum() {
        BatchNorm bn = prepare(new BatchNorm1d(3), 3);
        trainStep(bn, "step 0", new int[] {4, 3}, BN1_X0, BN1_W0, BN1_Y0, BN1_GX0, BN1_GGAMMA0, BN1_GBETA0, BN1_MEAN0, BN1_VAR0, BN1_COUNT0);
        trainStep(bn, "step 1", new int[] {4, 3}, BN1_X1, BN1_W1, BN1_Y1, BN1_GX1, BN1_GGAMMA1, BN1_GBETA1, BN1_MEAN1, BN1_VAR1, BN1_COUNT1);
        trainStep(bn, "step 2", new int[] {6, 3}, BN1_X2, BN1_W2, BN1_Y2, BN1_GX2, BN1_GGAMMA2, BN1_GBETA2, BN1_MEAN2, BN1_VAR2, BN1_COUNT2);
        evalStep(bn, "eval", new int[] {2, 3}, BN1_EVAL_X, BN1_EVAL_Y);
    }

    @Test
    void batchNorm2dMomentum03Eps1e3() {
        BatchNorm bn = prepare(new BatchNorm2d(2, 1e-3, 0.3, true, true), 2);
        trainStep(bn, "step 0", new int[] {2, 2, 3, 3}, BN2_X0, BN2_W0, BN2_Y0, BN2_GX0, BN2_GGAMMA0, BN2_GBETA0, BN2_MEAN0, BN2_VAR0, BN2_COUNT0);
        trainStep(bn, "step 1", new int[] {3, 2, 2, 2}, BN2_X1, BN2_W1, BN2_Y1, BN2_GX1, BN2_GGAMMA1, BN2_GBETA1, BN2_MEAN1, BN2_VAR1, BN2_COUNT1);
        evalStep(bn, "eval", new int[] {1, 2, 2, 3}, BN2_EVAL_X, BN2_EVAL_Y);
    }

    @Test
    void batchNorm1dWithoutAffineOnSequences() {
        BatchNorm bn = prepare(new BatchNorm1d(2, 1e-5, 0.5, false, true), 2);
        trainStep(bn, "step 0", new int[] {3, 2, 4}, BN3_X0, BN3_W0, BN3_Y0, BN3_GX0, null, null, BN3_MEAN0, BN3_VAR0, BN3_COUNT0);
        trainStep(bn, "step 1", new int[] {2, 2, 2}, BN3_X1, BN3_W1, BN3_Y1, BN3_GX1, null, null, BN3_MEAN1, BN3_VAR1, BN3_COUNT1);
        evalStep(bn, "eval", new int[] {1, 2, 3}, BN3_EVAL_X, BN3_EVAL_Y);
    }

    @Test
    void withoutRunningStatisticsEvalUsesTheBatch() {
        BatchNorm bn = prepare(new BatchNorm2d(2, 1e-5, 0.1, true, false), 2);
        assertNull(bn.namedBuffers().get("running_mean"));
        trainStep(bn, "step 0", new int[] {2, 2, 2, 2}, BN4_X0, BN4_W0, BN4_Y0, BN4_GX0, BN4_GGAMMA0, BN4_GBETA0, null, null, 0);
        evalStep(bn, "eval", new int[] {2, 2, 1, 2}, BN4_EVAL_X, BN4_EVAL_Y);
    }

    @Test
    void trainAfterEvalResumesUpdatingTheStatistics() {
        BatchNorm bn = prepare(new BatchNorm1d(3), 3);
        trainStep(bn, "step 0", new int[] {4, 3}, BN1_X0, BN1_W0, BN1_Y0, BN1_GX0, BN1_GGAMMA0, BN1_GBETA0, BN1_MEAN0, BN1_VAR0, BN1_COUNT0);
        double[] expected = new double[BN1_EVAL_X.length];
        for (int i = 0; i < expected.length; i++) {
            int c = i % 3;
            expected[i] = (BN1_EVAL_X[i] - BN1_MEAN0[c]) / Math.sqrt(BN1_VAR0[c] + 1e-5) * (0.5 + 0.5 * c) + (-0.25 + 0.25 * c);
        }
        evalStep(bn, "eval in between", new int[] {2, 3}, BN1_EVAL_X, expected);
        bn.train();
        trainStep(bn, "step 1", new int[] {4, 3}, BN1_X1, BN1_W1, BN1_Y1, BN1_GX1, BN1_GGAMMA1, BN1_GBETA1, BN1_MEAN1, BN1_VAR1, BN1_COUNT1);
    }

    @Test
    void wrongRankOrSingleValuePerChannelFailsClearly() {
        BatchNorm bn1 = new BatchNorm1d(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bn1.forward(Variable.constant(Tensor.zeros(2, 3, 4, 4))));
        assertTrue(e.getMessage().contains("[2, 3, 4, 4]"), e.getMessage());
        BatchNorm bn2 = new BatchNorm2d(3);
        assertThrows(IllegalArgumentException.class, () -> bn2.forward(Variable.constant(Tensor.zeros(2, 3))));
        e = assertThrows(IllegalArgumentException.class, () -> bn1.forward(Variable.constant(Tensor.ones(1, 3))));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
    }

    @Test
    void aRejectedBatchDoesNotCountAndLeavesTheStatistics() { // PyTorch counts it, then fails
        BatchNorm bn = new BatchNorm1d(3);
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Variable.constant(Tensor.ones(1, 3))));
        assertEquals(0, bn.namedBuffers().get("num_batches_tracked").item());
        assertArrayEquals(new float[3], bn.namedBuffers().get("running_mean").toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, bn.namedBuffers().get("running_var").toFloatArray());
    }
}
