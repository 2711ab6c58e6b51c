package dev.gan4j.cuda.emulation;

import static dev.gan4j.cuda.emulation.CudaTestSupport.assertClose;
import static dev.gan4j.cuda.emulation.CudaTestSupport.random;
import static dev.gan4j.cuda.emulation.CudaTestSupport.scalar;
import static jcuda.jcudnn.JCudnn.*;
import static jcuda.jcudnn.cudnnActivationMode.*;
import static jcuda.jcudnn.cudnnBatchNormMode.*;
import static jcuda.jcudnn.cudnnConvolutionMode.*;
import static jcuda.jcudnn.cudnnDataType.*;
import static jcuda.jcudnn.cudnnIndicesType.*;
import static jcuda.jcudnn.cudnnNanPropagation.*;
import static jcuda.jcudnn.cudnnOpTensorOp.*;
import static jcuda.jcudnn.cudnnReduceTensorIndices.*;
import static jcuda.jcudnn.cudnnReduceTensorOp.*;
import static jcuda.jcudnn.cudnnTensorFormat.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcudnn.cudnnActivationDescriptor;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnOpTensorDescriptor;
import jcuda.jcudnn.cudnnReduceTensorDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * cuDNN calls against naive loops written from NVIDIA's documented formulas: convolutions with
 * stride, padding, dilation and groups; batch norm statistics and running averages; broadcasting
 * adds, op-tensor, reductions and activations, all with alpha/beta blending.
 */
@Tag("cuda")
class EmulatedCudnnTest {
    private static final int FLOAT = CUDNN_DATA_FLOAT;
    private static final int FMA_MATH = 3;          // strict FP32, so a GPU matches the loops too

    private final CudaTestSupport gpu = new CudaTestSupport();
    private final cudnnHandle handle = new cudnnHandle();
    private final List<Runnable> destroy = new ArrayList<>();
    private final Random rng = new Random(9);

    EmulatedCudnnTest() {
        check(cudnnCreate(handle), "cudnnCreate");
    }

    @AfterEach
    void free() {
        destroy.forEach(Runnable::run);
        cudnnDestroy(handle);
        gpu.close();
    }

    private static void check(int rc, String call) {
        if (rc != 0) fail(call + " failed: " + rc + " " + cudnnGetErrorString(rc));
    }

    private cudnnTensorDescriptor tensor(int[] dims, int[] strides) {
        cudnnTensorDescriptor t = new cudnnTensorDescriptor();
        check(cudnnCreateTensorDescriptor(t), "cudnnCreateTensorDescriptor");
        destroy.add(() -> cudnnDestroyTensorDescriptor(t));
        check(cudnnSetTensorNdDescriptor(t, FLOAT, dims.length, dims, strides), "cudnnSetTensorNdDescriptor");
        return t;
    }

    private cudnnTensorDescriptor tensor(int... dims) {
        return tensor(dims, packed(dims));
    }

    private static int[] packed(int[] dims) {
        int[] s = new int[dims.length];
        for (int d = dims.length - 1, p = 1; d >= 0; p *= dims[d--]) s[d] = p;
        return s;
    }

    private static int size(int... dims) {
        return Arrays.stream(dims).reduce(1, (a, b) -> a * b);
    }

    @Test
    void versionAndErrorStrings() {
        assertTrue(cudnnGetVersion() >= 90000, "cuDNN version " + cudnnGetVersion());
        assertEquals("CUDNN_STATUS_BAD_PARAM", cudnnGetErrorString(2000));
        assertEquals("CUDNN_STATUS_NOT_SUPPORTED", cudnnGetErrorString(3000));
    }

    // ------------------------------------------------------------------ convolutions

    /** x [N, C, H, W], w [K, C/G, R, S], y [N, K, P, Q]; cross-correlation. */
    private record Conv(int n, int c, int h, int w, int k, int r, int s, int ph, int pw, int sh, int sw, int dh,
                        int dw, int groups) {
        int p() { return (h + 2 * ph - dh * (r - 1) - 1) / sh + 1; }
        int q() { return (w + 2 * pw - dw * (s - 1) - 1) / sw + 1; }
        int cg() { return c / groups; }
        int kg() { return k / groups; }
        int xi(int n_, int c_, int i, int j) { return ((n_ * c + c_) * h + i) * w + j; }
        int wi(int k_, int c_, int i, int j) { return ((k_ * cg() + c_) * r + i) * s + j; }
        int yi(int n_, int k_, int i, int j) { return ((n_ * k + k_) * p() + i) * q() + j; }

        /** Calls f(x index, w index, y index) for every product term of the convolution. */
        void forEachTerm(TermVisitor f) {
            for (int n_ = 0; n_ < n; n_++)
                for (int k_ = 0; k_ < k; k_++)
                    for (int i = 0; i < p(); i++)
                        for (int j = 0; j < q(); j++)
                            for (int c_ = 0; c_ < cg(); c_++)
                                for (int a = 0; a < r; a++)
                                    for (int b = 0; b < s; b++) {
                                        int hi = i * sh - ph + a * dh, wj = j * sw - pw + b * dw;
                                        if (hi < 0 || hi >= h || wj < 0 || wj >= w) continue;
                                        f.visit(xi(n_, (k_ / kg()) * cg() + c_, hi, wj), wi(k_, c_, a, b), yi(n_, k_, i, j));
                                    }
        }
    }

    private interface TermVisitor { void visit(int x, int w, int y); }

    private static final Conv CONV = new Conv(2, 4, 7, 6, 6, 3, 2, 1, 0, 2, 1, 1, 2, 2);

    private cudnnConvolutionDescriptor convolution(Conv g) {
        cudnnConvolutionDescriptor c = new cudnnConvolutionDescriptor();
        check(cudnnCreateConvolutionDescriptor(c), "cudnnCreateConvolutionDescriptor");
        destroy.add(() -> cudnnDestroyConvolutionDescriptor(c));
        check(cudnnSetConvolution2dDescriptor(c, g.ph, g.pw, g.sh, g.sw, g.dh, g.dw, CUDNN_CROSS_CORRELATION, FLOAT),
                "cudnnSetConvolution2dDescriptor");
        check(cudnnSetConvolutionGroupCount(c, g.groups), "cudnnSetConvolutionGroupCount");
        check(cudnnSetConvolutionMathType(c, FMA_MATH), "cudnnSetConvolutionMathType");
        return c;
    }

    private cudnnFilterDescriptor filter(Conv g) {
        cudnnFilterDescriptor f = new cudnnFilterDescriptor();
        check(cudnnCreateFilterDescriptor(f), "cudnnCreateFilterDescriptor");
        destroy.add(() -> cudnnDestroyFilterDescriptor(f));
        check(cudnnSetFilter4dDescriptor(f, FLOAT, CUDNN_TENSOR_NCHW, g.k, g.cg(), g.r, g.s), "cudnnSetFilter4dDescriptor");
        return f;
    }

    private Pointer workspace(long bytes) {
        return bytes == 0 ? new Pointer() : gpu.alloc(bytes);
    }

    @Test
    void convolutionOutputSizeFollowsTheFormula() {
        int[] n = {0}, k = {0}, p = {0}, q = {0};
        check(cudnnGetConvolution2dForwardOutputDim(convolution(CONV), tensor(CONV.n, CONV.c, CONV.h, CONV.w),
                filter(CONV), n, k, p, q), "cudnnGetConvolution2dForwardOutputDim");
        assertArrayEquals(new int[] {CONV.n, CONV.k, CONV.p(), CONV.q()}, new int[] {n[0], k[0], p[0], q[0]});
    }

    @Test
    void convolutionForwardWithEverySupportedAlgorithm() {
        Conv g = CONV;
        float[] x = random(rng, size(g.n, g.c, g.h, g.w)), w = random(rng, size(g.k, g.cg(), g.r, g.s));
        float[] y0 = random(rng, size(g.n, g.k, g.p(), g.q()));
        double[] conv = new double[y0.length];
        g.forEachTerm((xi, wi, yi) -> conv[yi] += (double) x[xi] * w[wi]);
        cudnnTensorDescriptor xd = tensor(g.n, g.c, g.h, g.w), yd = tensor(g.n, g.k, g.p(), g.q());
        cudnnFilterDescriptor wd = filter(g);
        cudnnConvolutionDescriptor cd = convolution(g);
        int[] max = {0}, got = {0};
        check(cudnnGetConvolutionForwardAlgorithmMaxCount(handle, max), "MaxCount");
        cudnnConvolutionFwdAlgoPerf[] perf = new cudnnConvolutionFwdAlgoPerf[max[0]];
        check(cudnnGetConvolutionForwardAlgorithm_v7(handle, xd, wd, cd, yd, max[0], got, perf), "_v7");
        int tried = 0;
        for (int i = 0; i < got[0]; i++) {
            if (perf[i].status != 0) continue;
            long[] wsBytes = {0};
            check(cudnnGetConvolutionForwardWorkspaceSize(handle, xd, wd, cd, yd, perf[i].algo, wsBytes), "ws");
            assertTrue(wsBytes[0] <= perf[i].memory || perf[i].memory == 0, "workspace matches the perf entry");
            CUdeviceptr xdev = gpu.upload(x), wdev = gpu.upload(w);
            CUdeviceptr fresh = gpu.nans(y0.length), blended = gpu.upload(y0);
            check(cudnnConvolutionForward(handle, scalar(1f), xd, xdev, wd, wdev, cd, perf[i].algo,
                    workspace(wsBytes[0]), wsBytes[0], scalar(0f), yd, fresh), "forward beta=0");
            check(cudnnConvolutionForward(handle, scalar(0.5f), xd, xdev, wd, wdev, cd, perf[i].algo,
                    workspace(wsBytes[0]), wsBytes[0], scalar(2f), yd, blended), "forward beta=2");
            double[] expected = new double[y0.length];
            for (int j = 0; j < y0.length; j++) expected[j] = 0.5 * conv[j] + 2.0 * y0[j];
            assertClose(conv, gpu.download(fresh, y0.length), "forward algo " + perf[i].algo);
            assertClose(expected, gpu.download(blended, y0.length), "blended forward algo " + perf[i].algo);
            tried++;
        }
        assertTrue(tried > 0, "no supported forward algorithm");
    }

    @Test
    void convolutionBackwardDataIsTheTransposedConvolution() {
        Conv g = CONV;
        float[] w = random(rng, size(g.k, g.cg(), g.r, g.s)), dy = random(rng, size(g.n, g.k, g.p(), g.q()));
        double[] dx = new double[size(g.n, g.c, g.h, g.w)];
        g.forEachTerm((xi, wi, yi) -> dx[xi] += (double) w[wi] * dy[yi]);
        cudnnTensorDescriptor dxd = tensor(g.n, g.c, g.h, g.w), dyd = tensor(g.n, g.k, g.p(), g.q());
        cudnnFilterDescriptor wd = filter(g);
        cudnnConvolutionDescriptor cd = convolution(g);
        cudnnConvolutionBwdDataAlgoPerf[] perf = new cudnnConvolutionBwdDataAlgoPerf[8];
        int[] got = {0};
        check(cudnnGetConvolutionBackwardDataAlgorithm_v7(handle, wd, dyd, cd, dxd, perf.length, got, perf), "_v7");
        int tried = 0;
        for (int i = 0; i < got[0]; i++) {
            if (perf[i].status != 0) continue;
            long[] ws = {0};
            check(cudnnGetConvolutionBackwardDataWorkspaceSize(handle, wd, dyd, cd, dxd, perf[i].algo, ws), "ws");
            CUdeviceptr out = gpu.nans(dx.length);
            check(cudnnConvolutionBackwardData(handle, scalar(1f), wd, gpu.upload(w), dyd, gpu.upload(dy), cd,
                    perf[i].algo, workspace(ws[0]), ws[0], scalar(0f), dxd, out), "backward data");
            assertClose(dx, gpu.download(out, dx.length), "backward data algo " + perf[i].algo);
            tried++;
        }
        assertTrue(tried > 0, "no supported backward-data algorithm");
    }

    @Test
    void convolutionBackwardFilterAccumulatesWithBeta() {
        Conv g = CONV;
        float[] x = random(rng, size(g.n, g.c, g.h, g.w)), dy = random(rng, size(g.n, g.k, g.p(), g.q()));
        float[] dw0 = random(rng, size(g.k, g.cg(), g.r, g.s));
        double[] dw = new double[dw0.length];
        g.forEachTerm((xi, wi, yi) -> dw[wi] += (double) x[xi] * dy[yi]);
        for (int i = 0; i < dw.length; i++) dw[i] += dw0[i];              // beta = 1
        cudnnTensorDescriptor xd = tensor(g.n, g.c, g.h, g.w), dyd = tensor(g.n, g.k, g.p(), g.q());
        cudnnFilterDescriptor wd = filter(g);
        cudnnConvolutionDescriptor cd = convolution(g);
        cudnnConvolutionBwdFilterAlgoPerf[] perf = new cudnnConvolutionBwdFilterAlgoPerf[8];
        int[] got = {0};
        check(cudnnGetConvolutionBackwardFilterAlgorithm_v7(handle, xd, dyd, cd, wd, perf.length, got, perf), "_v7");
        int tried = 0;
        for (int i = 0; i < got[0]; i++) {
            if (perf[i].status != 0) continue;
            long[] ws = {0};
            check(cudnnGetConvolutionBackwardFilterWorkspaceSize(handle, xd, dyd, cd, wd, perf[i].algo, ws), "ws");
            CUdeviceptr out = gpu.upload(dw0);
            check(cudnnConvolutionBackwardFilter(handle, scalar(1f), xd, gpu.upload(x), dyd, gpu.upload(dy), cd,
                    perf[i].algo, workspace(ws[0]), ws[0], scalar(1f), wd, out), "backward filter");
            assertClose(dw, gpu.download(out, dw.length), "backward filter algo " + perf[i].algo);
            tried++;
        }
        assertTrue(tried > 0, "no supported backward-filter algorithm");
    }

    @Test
    void convolutionBackwardBiasSumsAllButTheChannel() {
        int n = 3, k = 4, p = 5, q = 2;
        float[] dy = random(rng, size(n, k, p, q));
        double[] db = new double[k];
        for (int i = 0; i < dy.length; i++) db[(i / (p * q)) % k] += 2.0 * dy[i];   // alpha = 2
        CUdeviceptr out = gpu.nans(k);
        check(cudnnConvolutionBackwardBias(handle, scalar(2f), tensor(n, k, p, q), gpu.upload(dy), scalar(0f),
                tensor(1, k, 1, 1), out), "backward bias");
        assertClose(db, gpu.download(out, k), "backward bias");
    }

    // ------------------------------------------------------------------ batch normalization

    @Test
    void batchNormTrainingInferenceAndBackwardFollowTheFormulas() {
        int n = 4, c = 3, h = 2, w = 3, count = n * h * w;
        double eps = 1e-5, factor = 0.1;
        float[] x = random(rng, size(n, c, h, w)), gamma = random(rng, c), beta = random(rng, c);
        float[] runMean = random(rng, c), runVar = {0.5f, 1.5f, 2f};
        cudnnTensorDescriptor xd = tensor(n, c, h, w), bnd = new cudnnTensorDescriptor();
        check(cudnnCreateTensorDescriptor(bnd), "create");
        destroy.add(() -> cudnnDestroyTensorDescriptor(bnd));
        check(cudnnDeriveBNTensorDescriptor(bnd, xd, CUDNN_BATCHNORM_SPATIAL), "derive");
        int[] type = {0}, dims = new int[4], strides = new int[4], rank = {0};
        check(cudnnGetTensorNdDescriptor(bnd, 4, type, rank, dims, strides), "get");
        assertArrayEquals(new int[] {1, c, 1, 1}, dims);

        double[] mean = new double[c], var = new double[c];
        for (int i = 0; i < x.length; i++) mean[(i / (h * w)) % c] += x[i] / (double) count;
        for (int i = 0; i < x.length; i++) var[(i / (h * w)) % c] += Math.pow(x[i] - mean[(i / (h * w)) % c], 2) / count;
        double[] invStd = new double[c], y = new double[x.length], rm = new double[c], rv = new double[c];
        for (int ch = 0; ch < c; ch++) {
            invStd[ch] = 1 / Math.sqrt(var[ch] + eps);
            rm[ch] = (1 - factor) * runMean[ch] + factor * mean[ch];
            rv[ch] = (1 - factor) * runVar[ch] + factor * var[ch] * count / (count - 1);   // unbiased
        }
        for (int i = 0; i < x.length; i++) {
            int ch = (i / (h * w)) % c;
            y[i] = gamma[ch] * (x[i] - mean[ch]) * invStd[ch] + beta[ch];
        }

        CUdeviceptr xdev = gpu.upload(x), gdev = gpu.upload(gamma), bdev = gpu.upload(beta);
        CUdeviceptr ydev = gpu.nans(x.length), rmDev = gpu.upload(runMean), rvDev = gpu.upload(runVar);
        CUdeviceptr saveMean = gpu.nans(c), saveInvStd = gpu.nans(c);
        check(cudnnBatchNormalizationForwardTraining(handle, CUDNN_BATCHNORM_SPATIAL, scalar(1f), scalar(0f), xd,
                xdev, xd, ydev, bnd, gdev, bdev, factor, rmDev, rvDev, eps, saveMean, saveInvStd), "training");
        assertClose(y, gpu.download(ydev, x.length), "training y");
        assertClose(rm, gpu.download(rmDev, c), "running mean");
        assertClose(rv, gpu.download(rvDev, c), "running variance (unbiased)");
        assertClose(mean, gpu.download(saveMean, c), "saved mean");
        assertClose(invStd, gpu.download(saveInvStd, c), "saved inverse std");

        // Inference with the running statistics, blended into an existing output with beta = 0.5.
        float[] y0 = random(rng, x.length);
        double[] inf = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = (i / (h * w)) % c;
            inf[i] = gamma[ch] * (x[i] - rm[ch]) / Math.sqrt(rv[ch] + eps) + beta[ch] + 0.5 * y0[i];
        }
        CUdeviceptr infDev = gpu.upload(y0);
        check(cudnnBatchNormalizationForwardInference(handle, CUDNN_BATCHNORM_SPATIAL, scalar(1f), scalar(0.5f), xd,
                xdev, xd, infDev, bnd, gdev, bdev, rmDev, rvDev, eps), "inference");
        assertClose(inf, gpu.download(infDev, x.length), "inference y");

        // Backward: dx fresh (beta 0), dgamma/dbeta accumulated onto existing values (beta 1).
        float[] dy = random(rng, x.length), dg0 = random(rng, c), db0 = random(rng, c);
        double[] sumDy = new double[c], sumDyXhat = new double[c], dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = (i / (h * w)) % c;
            sumDy[ch] += dy[i];
            sumDyXhat[ch] += dy[i] * (x[i] - mean[ch]) * invStd[ch];
        }
        for (int i = 0; i < x.length; i++) {
            int ch = (i / (h * w)) % c;
            double xhat = (x[i] - mean[ch]) * invStd[ch];
            dx[i] = gamma[ch] * invStd[ch] * (dy[i] - sumDy[ch] / count - xhat * sumDyXhat[ch] / count);
        }
        double[] dGamma = new double[c], dBeta = new double[c];
        for (int ch = 0; ch < c; ch++) {
            dGamma[ch] = sumDyXhat[ch] + dg0[ch];
            dBeta[ch] = sumDy[ch] + db0[ch];
        }
        CUdeviceptr dxDev = gpu.nans(x.length), dgDev = gpu.upload(dg0), dbDev = gpu.upload(db0);
        check(cudnnBatchNormalizationBackward(handle, CUDNN_BATCHNORM_SPATIAL, scalar(1f), scalar(0f), scalar(1f),
                scalar(1f), xd, xdev, xd, gpu.upload(dy), xd, dxDev, bnd, gdev, dgDev, dbDev, eps, saveMean,
                saveInvStd), "backward");
        assertClose(dx, gpu.download(dxDev, x.length), "backward dx");
        assertClose(dGamma, gpu.download(dgDev, c), "backward dgamma");
        assertClose(dBeta, gpu.download(dbDev, c), "backward dbeta");
    }

    // ------------------------------------------------------------------ tensor ops

    @Test
    void addTensorBroadcastsABiasAndBlends() {
        int n = 2, c = 3, h = 4, w = 5;
        float[] bias = random(rng, c), y0 = random(rng, size(n, c, h, w));
        double[] expected = new double[y0.length];
        for (int i = 0; i < y0.length; i++) expected[i] = 2.0 * bias[(i / (h * w)) % c] + 0.5 * y0[i];
        CUdeviceptr y = gpu.upload(y0);
        check(cudnnAddTensor(handle, scalar(2f), tensor(1, c, 1, 1), gpu.upload(bias), scalar(0.5f),
                tensor(n, c, h, w), y), "add tensor");
        assertClose(expected, gpu.download(y, y0.length), "bias add");
    }

    private float[] opTensor(int op, float a1, float[] a, float a2, float[] b, int[] bDims, float beta, float[] c0,
                              int[] dims) {
        cudnnOpTensorDescriptor od = new cudnnOpTensorDescriptor();
        check(cudnnCreateOpTensorDescriptor(od), "create");
        destroy.add(() -> cudnnDestroyOpTensorDescriptor(od));
        check(cudnnSetOpTensorDescriptor(od, op, FLOAT, CUDNN_NOT_PROPAGATE_NAN), "set op");
        CUdeviceptr out = beta == 0 ? gpu.nans(c0.length) : gpu.upload(c0);
        check(cudnnOpTensor(handle, od, scalar(a1), tensor(dims), gpu.upload(a), scalar(a2), tensor(bDims),
                gpu.upload(b), scalar(beta), tensor(dims), out), "op tensor " + op);
        return gpu.download(out, c0.length);
    }

    @Test
    void opTensorAppliesTheOpToScaledOperands() {
        int[] dims = {2, 3, 2, 2}, bias = {1, 3, 1, 1};
        int n = size(dims), hw = 4, c = 3;
        float[] a = random(rng, n), b = random(rng, n), bc = random(rng, c), c0 = random(rng, n);
        DoubleBinaryOperator[] ops = {Double::sum, (x, y) -> x * y, Math::min, Math::max};
        for (int op = 0; op < ops.length; op++) {
            // Full-shape B, beta = 1; then broadcast B, alpha2 = -1, beta = 0.
            double[] full = new double[n], broadcast = new double[n];
            for (int i = 0; i < n; i++) {
                full[i] = ops[op].applyAsDouble(2.0 * a[i], 0.5 * b[i]) + c0[i];
                broadcast[i] = ops[op].applyAsDouble(a[i], -bc[(i / hw) % c]);
            }
            assertClose(full, opTensor(op, 2f, a, 0.5f, b, dims, 1f, c0, dims), "op " + op + " full");
            assertClose(broadcast, opTensor(op, 1f, a, -1f, bc, bias, 0f, c0, dims), "op " + op + " bias");
        }
        float[] positive = new float[n], mask = new float[n];
        double[] sqrt = new double[n], not = new double[n];
        for (int i = 0; i < n; i++) {
            positive[i] = Math.abs(a[i]) + 0.1f;
            mask[i] = i % 3 == 0 ? 1f : 0f;
            sqrt[i] = Math.sqrt(4.0 * positive[i]);
            not[i] = mask[i] == 0 ? 1 : 0;
        }
        assertClose(sqrt, opTensor(CUDNN_OP_TENSOR_SQRT, 4f, positive, 1f, b, dims, 0f, c0, dims), "sqrt");
        assertClose(not, opTensor(CUDNN_OP_TENSOR_NOT, 1f, mask, 1f, b, dims, 0f, c0, dims), "not of a mask");
    }

    /** Reduces a [2, 3, 4, 5] tensor to outDims with op; returns C (and indices when asked). */
    private float[] reduce(int op, float[] a, int[] outDims, float beta, float[] c0, int[] indicesOut) {
        int[] inDims = {2, 3, 4, 5};
        cudnnReduceTensorDescriptor rd = new cudnnReduceTensorDescriptor();
        check(cudnnCreateReduceTensorDescriptor(rd), "create");
        destroy.add(() -> cudnnDestroyReduceTensorDescriptor(rd));
        int indices = indicesOut != null ? CUDNN_REDUCE_TENSOR_FLATTENED_INDICES : CUDNN_REDUCE_TENSOR_NO_INDICES;
        check(cudnnSetReduceTensorDescriptor(rd, op, FLOAT, CUDNN_NOT_PROPAGATE_NAN, indices, CUDNN_32BIT_INDICES), "set");
        cudnnTensorDescriptor ad = tensor(inDims), cd = tensor(outDims);
        long[] ws = {0}, is = {0};
        check(cudnnGetReductionWorkspaceSize(handle, rd, ad, cd, ws), "workspace size");
        check(cudnnGetReductionIndicesSize(handle, rd, ad, cd, is), "indices size");
        CUdeviceptr out = beta == 0 ? gpu.nans(size(outDims)) : gpu.upload(c0);
        Pointer idx = is[0] == 0 ? new Pointer() : gpu.alloc(is[0]);
        check(cudnnReduceTensor(handle, rd, idx, is[0], workspace(ws[0]), ws[0], scalar(1f), ad, gpu.upload(a),
                scalar(beta), cd, out), "reduce " + op);
        if (indicesOut != null)
            CudaTestSupport.check(jcuda.driver.JCudaDriver.cuMemcpyDtoH(Pointer.to(indicesOut), (CUdeviceptr) idx,
                    indicesOut.length * 4L), "indices");
        return gpu.download(out, size(outDims));
    }

    @Test
    void reduceTensorOverTheDimensionsWhereTheOutputHasExtentOne() {
        float[] a = random(rng, 120);        // [2, 3, 4, 5], index ((n*3 + c)*4 + h)*5 + w
        double[] sumHw = new double[6], avgN = new double[60], amaxC = new double[40], norm2 = new double[1];
        double[] maxW = new double[24];
        int[] argmaxW = new int[24];
        Arrays.fill(maxW, Double.NEGATIVE_INFINITY);
        float[] c0 = random(rng, 60);
        for (int i = 0; i < 120; i++) {
            int w = i % 5, h = i / 5 % 4, c = i / 20 % 3, n = i / 60;
            sumHw[n * 3 + c] += a[i];
            avgN[(c * 4 + h) * 5 + w] += a[i] / 2.0;
            amaxC[(n * 4 + h) * 5 + w] = Math.max(amaxC[(n * 4 + h) * 5 + w], Math.abs(a[i]));
            norm2[0] += (double) a[i] * a[i];
            if (a[i] > maxW[i / 5]) { maxW[i / 5] = a[i]; argmaxW[i / 5] = w; }
        }
        norm2[0] = Math.sqrt(norm2[0]);
        for (int i = 0; i < 60; i++) avgN[i] += c0[i];                                   // beta = 1
        assertClose(sumHw, reduce(CUDNN_REDUCE_TENSOR_ADD, a, new int[] {2, 3, 1, 1}, 0f, null, null), "sum over h, w");
        assertClose(avgN, reduce(CUDNN_REDUCE_TENSOR_AVG, a, new int[] {1, 3, 4, 5}, 1f, c0, null), "mean over n");
        assertClose(amaxC, reduce(CUDNN_REDUCE_TENSOR_AMAX, a, new int[] {2, 1, 4, 5}, 0f, null, null), "amax over c");
        assertClose(norm2, reduce(CUDNN_REDUCE_TENSOR_NORM2, a, new int[] {1, 1, 1, 1}, 0f, null, null), "norm2");
        int[] indices = new int[24];
        assertClose(maxW, reduce(CUDNN_REDUCE_TENSOR_MAX, a, new int[] {2, 3, 4, 1}, 0f, null, indices), "max over w");
        assertArrayEquals(argmaxW, indices, "argmax over w");
    }

    @Test
    void activationsForwardAndBackwardOnAStridedLayout() {
        int[] dims = {2, 3, 4, 5};
        int[] strides = {3 * 4 * 8, 4 * 8, 8, 1};          // rows padded from 5 to 8 floats
        int span = 2 * strides[0];
        cudnnTensorDescriptor t = tensor(dims, strides);
        float[] x = random(rng, span), dy = random(rng, span);
        for (int i = 0; i < span; i++) x[i] *= 3f;
        record Case(int mode, double coef, DoubleUnaryOperator f, DoubleBinaryOperator df /* (x, y) */) {}
        List<Case> cases = List.of(
                new Case(CUDNN_ACTIVATION_RELU, 0, v -> Math.max(v, 0), (v, y) -> v > 0 ? 1 : 0),
                new Case(CUDNN_ACTIVATION_SIGMOID, 0, v -> 1 / (1 + Math.exp(-v)), (v, y) -> y * (1 - y)),
                new Case(CUDNN_ACTIVATION_TANH, 0, Math::tanh, (v, y) -> 1 - y * y),
                new Case(CUDNN_ACTIVATION_CLIPPED_RELU, 0.5, v -> Math.min(Math.max(v, 0), 0.5),
                        (v, y) -> v > 0 && v < 0.5 ? 1 : 0),
                new Case(CUDNN_ACTIVATION_ELU, 0.7, v -> v > 0 ? v : 0.7 * (Math.exp(v) - 1),
                        (v, y) -> v > 0 ? 1 : y + 0.7));
        for (Case c : cases) {
            cudnnActivationDescriptor ad = new cudnnActivationDescriptor();
            check(cudnnCreateActivationDescriptor(ad), "create");
            destroy.add(() -> cudnnDestroyActivationDescriptor(ad));
            check(cudnnSetActivationDescriptor(ad, c.mode, CUDNN_NOT_PROPAGATE_NAN, c.coef), "set");
            CUdeviceptr xdev = gpu.upload(x), ydev = gpu.nans(span), dxdev = gpu.nans(span);
            check(cudnnActivationForward(handle, ad, scalar(1f), t, xdev, scalar(0f), t, ydev), "forward " + c.mode);
            float[] y = gpu.download(ydev, span);
            check(cudnnActivationBackward(handle, ad, scalar(1f), t, ydev, t, gpu.upload(dy), t, xdev, scalar(0f), t,
                    dxdev), "backward " + c.mode);
            float[] dx = gpu.download(dxdev, span);
            // Compare the tensor's elements only; the padding between rows is not part of it.
            double[] ey = new double[120], edx = new double[120];
            float[] gy = new float[120], gdx = new float[120];
            int e = 0;
            for (int n = 0; n < 2; n++)
                for (int ch = 0; ch < 3; ch++)
                    for (int h = 0; h < 4; h++)
                        for (int w = 0; w < 5; w++, e++) {
                            int o = n * strides[0] + ch * strides[1] + h * strides[2] + w;
                            ey[e] = c.f.applyAsDouble(x[o]);
                            gy[e] = y[o];
                            edx[e] = c.df.applyAsDouble(x[o], y[o]) * dy[o];
                            gdx[e] = dx[o];
                        }
            assertClose(ey, gy, "activation " + c.mode + " forward");
            assertClose(edx, gdx, "activation " + c.mode + " backward");
        }
    }
}
