package dev.gan4j.tensor;

import static dev.gan4j.tensor.ConvTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Bad input to elementwise ops, reductions and matmul fails early, naming the op and the shapes, dtypes or devices. */
class ErrorMessageTest {

    /** A storage that claims to live on a GPU; only argument checks ever see it. */
    static Tensor onCuda(int... shape) {
        Storage fake = new Storage() {
            @Override public Device device() { return Device.cuda(0); }
            @Override public DType dtype() { return DType.F32; }
            @Override public int size() { return Layout.numel(shape); }
            @Override public int version() { return 0; }
            @Override public void bumpVersion() {}
            @Override public void release() {}
        };
        return new Tensor(fake, Layout.contiguous(shape));
    }

    @Test void elementwise() {
        Tensor a = Tensor.zeros(2, 3);
        assertMessage("add: shapes [2, 3] and [4] cannot be broadcast together", () -> a.add(Tensor.zeros(4)));
        assertMessage("pow: tensors have different dtypes (float32 and float64)", () -> a.pow(a.to(DType.F64)));
        assertMessage("mul: tensors have different dtypes (float32 and float64); convert one with to(DType)",
                () -> a.mul(Tensor.zeros(DType.F64, Device.CPU, 2, 3)));
        assertMessage("sub: tensors are on different devices (cpu and cuda:0)", () -> a.sub(onCuda(2, 3)));
        assertMessage("where: shapes [2, 3] and [3, 1] cannot be broadcast together",
                () -> Tensor.where(a, a, Tensor.zeros(3, 1)));
        assertMessage("where: tensors have different dtypes", () -> Tensor.where(a.to(DType.F64), a, a));
        assertMessage("clamp: min 2.0 > max 1.0", () -> a.clamp(2, 1));
        assertMessage("assign: tensors are on different devices (cpu and cuda:0)", () -> a.assign(onCuda(2, 3)));
    }

    @Test void reductions() {
        Tensor a = Tensor.zeros(2, 3);
        assertMessage("sum: axis -1 repeated in [1, -1]", () -> a.sum(new int[] {1, -1}, false));
        assertMessage("sum: dimension 2 out of range for rank 2", () -> a.sum(2));
        assertMessage("mean: dimension -3 out of range for rank 2", () -> a.mean(new int[] {-3}, true));
        assertMessage("var: axis 0 repeated in [0, 0]", () -> a.var(new int[] {0, 0}, false, 1));
        assertMessage("max: cannot reduce empty dimension 0 of shape [0, 3]", () -> Tensor.zeros(0, 3).max());
        assertMessage("min: cannot reduce empty dimension 1 of shape [3, 0]",
                () -> Tensor.zeros(3, 0).min(new int[] {1}, false));
        assertMessage("argmax: empty dimension 0", () -> Tensor.zeros(0, 3).argmax(0, false));
        assertMessage("argmin: empty dimension 0", () -> Tensor.zeros(0, 3).argmin(0, false));
        assertMessage("argmax: dimension 2 out of range for rank 2", () -> a.argmax(2, false));
    }

    @Test void oneHot() {
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0}, Tensor.oneHot(new int[] {1, 0}, 3).toFloatArray());
        assertMessage("one_hot: label 3 out of range for 3 classes", () -> Tensor.oneHot(new int[] {0, 3}, 3));
        assertMessage("one_hot: label -1 out of range for 3 classes", () -> Tensor.oneHot(new int[] {-1}, 3));
    }

    @Test void matmul() {
        assertMessage("matmul: shapes [2, 3] and [4, 5] do not match (3 != 4)",
                () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5)));
        assertMessage("matmul: both operands need at least two dimensions, got shapes [3] and [3, 4]"
                + " (Variable.matmul promotes vectors)", () -> Tensor.zeros(3).matmul(Tensor.zeros(3, 4)));
        assertMessage("matmul: shapes [2] and [3] cannot be broadcast together",
                () -> Tensor.zeros(2, 4, 5).matmul(Tensor.zeros(3, 5, 6)));
        assertMessage("matmul: tensors have different dtypes (float32 and float64)",
                () -> Tensor.zeros(2, 2).matmul(Tensor.zeros(DType.F64, Device.CPU, 2, 2)));
        assertMessage("matmul: tensors are on different devices (cpu and cuda:0)",
                () -> Tensor.zeros(2, 2).matmul(onCuda(2, 2)));
    }
}
