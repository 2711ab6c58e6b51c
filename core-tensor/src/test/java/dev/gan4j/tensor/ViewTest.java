package dev.gan4j.tensor;

import static dev.gan4j.tensor.ConvTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Views share storage with the right strides; writes through them reach the base; reshape copies only when it must. */
class ViewTest {

    /** 0, 1, 2, ... as a dense float64 tensor. */
    static Tensor iota(int... shape) {
        double[] d = new double[Layout.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = i;
        return Tensor.fromArray(d, shape);
    }

    static void assertLayout(Tensor t, int[] shape, int[] strides, int offset) {
        assertArrayEquals(shape, t.shape(), "shape");
        assertArrayEquals(strides, t.layout().strides(), "strides");
        assertEquals(offset, t.layout().offset(), "offset");
    }

    @Test void stridesOfEveryView() {
        Tensor x = iota(2, 3, 4);
        assertLayout(x, new int[] {2, 3, 4}, new int[] {12, 4, 1}, 0);
        assertLayout(x.permute(2, 0, 1), new int[] {4, 2, 3}, new int[] {1, 12, 4}, 0);
        assertLayout(x.permute(-1, 0, 1), new int[] {4, 2, 3}, new int[] {1, 12, 4}, 0);
        assertLayout(x.transpose(0, 2), new int[] {4, 3, 2}, new int[] {1, 4, 12}, 0);
        assertLayout(x.narrow(1, 1, 2), new int[] {2, 2, 4}, new int[] {12, 4, 1}, 4);
        assertLayout(x.slice(2, 1, 4, 2), new int[] {2, 3, 2}, new int[] {12, 4, 2}, 1);
        assertLayout(x.slice(2, 0, 4, 3), new int[] {2, 3, 2}, new int[] {12, 4, 3}, 0);
        assertLayout(x.select(1, 2), new int[] {2, 4}, new int[] {12, 1}, 8);
        assertLayout(x.select(-1, 3), new int[] {2, 3}, new int[] {12, 4}, 3);
        assertLayout(x.unsqueeze(0), new int[] {1, 2, 3, 4}, new int[] {24, 12, 4, 1}, 0);
        assertLayout(x.unsqueeze(3), new int[] {2, 3, 4, 1}, new int[] {12, 4, 1, 1}, 0);
        assertLayout(x.unsqueeze(-1), new int[] {2, 3, 4, 1}, new int[] {12, 4, 1, 1}, 0);
        assertLayout(x.narrow(0, 1, 1).squeeze(0), new int[] {3, 4}, new int[] {4, 1}, 12);
        assertLayout(x.squeeze(1), new int[] {2, 3, 4}, new int[] {12, 4, 1}, 0);
        assertLayout(x.select(2, 0).unsqueeze(2).expand(2, 3, 5), new int[] {2, 3, 5}, new int[] {12, 4, 0}, 0);
        assertLayout(x.expand(7, 2, 3, 4), new int[] {7, 2, 3, 4}, new int[] {0, 12, 4, 1}, 0);
        assertLayout(x.reshape(6, 4), new int[] {6, 4}, new int[] {4, 1}, 0);
        assertLayout(x.flatten(1, 2), new int[] {2, 12}, new int[] {12, 1}, 0);
        assertLayout(x.select(0, 1).t(), new int[] {4, 3}, new int[] {1, 4}, 12);
        // reshape of views that stay views: split / merge dims that are contiguous with each other
        assertLayout(x.permute(1, 0, 2).reshape(3, 2, 2, 2), new int[] {3, 2, 2, 2}, new int[] {4, 12, 2, 1}, 0);
        assertLayout(x.narrow(2, 1, 2).reshape(6, 2), new int[] {6, 2}, new int[] {4, 1}, 1);
    }

    @Test void elementsReadThroughViews() {
        Tensor x = iota(2, 3, 4);
        assertEquals(23, x.get(1, 2, 3));
        assertEquals(13, x.permute(2, 0, 1).get(1, 1, 0));
        assertEquals(7, x.slice(2, 1, 4, 2).get(0, 1, 1));
        assertEquals(17, x.transpose(0, 2).get(1, 1, 1));
        assertEquals(9, x.select(1, 2).get(0, 1));
        assertEquals(4, x.narrow(1, 1, 2).expand(3, 2, 2, 4).get(2, 0, 0, 0));
        assertArrayEquals(new double[] {1, 5, 9, 13, 17, 21}, x.select(2, 1).toDoubleArray());
        assertArrayEquals(new double[] {3, 2, 1, 0}, iota(4).indexSelect(0, new int[] {3, 2, 1, 0}).toDoubleArray());
    }

    @Test void writesThroughViewsReachTheBase() {
        Tensor x = iota(3, 4);
        x.narrow(0, 1, 1).fill(-1);
        assertArrayEquals(new double[] {0, 1, 2, 3, -1, -1, -1, -1, 8, 9, 10, 11}, x.toDoubleArray());
        x.t().select(0, 0).assign(Tensor.fromArray(new double[] {7, 8, 9}, 3));
        assertArrayEquals(new double[] {7, 1, 2, 3, 8, -1, -1, -1, 9, 9, 10, 11}, x.toDoubleArray());
        x.slice(1, 1, 4, 2).fill(0);
        assertArrayEquals(new double[] {7, 0, 2, 0, 8, 0, -1, 0, 9, 0, 10, 0}, x.toDoubleArray());
        x.reshape(2, 6).select(1, 2).assign(Tensor.scalar(5, x)); // contiguous reshape is a view
        assertArrayEquals(new double[] {7, 0, 5, 0, 8, 0, -1, 0, 5, 0, 10, 0}, x.toDoubleArray());
        x.unsqueeze(0).permute(2, 1, 0).narrow(0, 3, 1).fill(4);
        assertArrayEquals(new double[] {7, 0, 5, 4, 8, 0, -1, 4, 5, 0, 10, 4}, x.toDoubleArray());
        // broadcasting assign through a view
        x.narrow(1, 0, 2).assign(Tensor.fromArray(new double[] {1, 2}, 2));
        assertArrayEquals(new double[] {1, 2, 5, 4, 1, 2, -1, 4, 1, 2, 10, 4}, x.toDoubleArray());
    }

    @Test void inPlaceWritesBumpTheStorageVersion() {
        Tensor x = Tensor.zeros(4);
        int v = x.storage().version();
        x.narrow(0, 1, 2).fill(1);
        assertEquals(v + 1, x.storage().version());
        x.assign(Tensor.ones(4));
        assertEquals(v + 2, x.storage().version());
        x.add(x); // out of place
        assertEquals(v + 2, x.storage().version());
    }

    @Test void reshapeCopiesOnlyWhenItMust() {
        Tensor x = iota(3, 4);
        assertSame(x.storage(), x.reshape(4, 3).storage());
        assertSame(x.storage(), x.reshape(-1).storage());
        assertSame(x.storage(), x.view(2, 2, 3).storage());
        assertLayout(x.t().reshape(2, 2, 3), new int[] {2, 2, 3}, new int[] {2, 1, 4}, 0); // splits a dim: a view
        Tensor t = x.t();
        Tensor r = t.reshape(12); // not expressible with strides: a copy
        assertNotSame(x.storage(), r.storage());
        assertArrayEquals(new double[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, r.toDoubleArray());
        r.fill(-5);
        assertEquals(1, x.get(0, 1), "writing the copy leaves the base alone");
        assertMessage("view: shape [4, 3] with strides [1, 4] cannot be viewed as [12]; use reshape() (which copies)",
                () -> t.view(12));
        // an expanded tensor reshapes as a view when the stride-0 dims stay whole
        Tensor e = iota(3).unsqueeze(0).expand(4, 3);
        assertSame(e.storage(), e.reshape(2, 2, 3).storage());
        assertArrayEquals(new int[] {0, 0, 1}, e.reshape(2, 2, 3).layout().strides());
        assertNotSame(e.storage(), e.reshape(12).storage());
        assertArrayEquals(new double[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2}, e.reshape(12).toDoubleArray());
    }

    @Test void contiguousAndDense() {
        Tensor x = iota(3, 4);
        assertSame(x, x.contiguous());
        assertSame(x, x.dense());
        Tensor row = x.narrow(0, 1, 1);
        assertTrue(row.layout().isContiguous());
        assertSame(row, row.contiguous());
        Tensor d = row.dense();
        assertNotSame(row, d);
        assertEquals(0, d.layout().offset());
        assertEquals(4, d.storage().size());
        Tensor c = x.t().contiguous();
        assertTrue(c.layout().isContiguous());
        assertArrayEquals(new double[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, c.toDoubleArray());
        assertFalse(x.t().layout().isContiguous());
        Tensor copy = x.copy();
        copy.fill(0);
        assertEquals(5, x.get(1, 1));
    }

    @Test void shapeHelpers() {
        Tensor x = iota(2, 1, 3, 1);
        assertArrayEquals(new int[] {2, 3}, x.squeeze().shape());
        assertArrayEquals(new int[] {6}, x.flatten().shape());
        assertArrayEquals(new int[] {6, 1}, x.flatten(0, 2).shape());
        assertArrayEquals(new int[] {2, 3}, x.flatten(1, 3).shape());
        assertArrayEquals(new int[] {3, 2}, iota(6).reshape(-1, 2).shape());
        assertArrayEquals(new int[] {0, 5}, Tensor.zeros(0, 5).reshape(-1, 5).shape());
        assertEquals(3, x.size(-2));
        assertEquals(4, x.rank());
        assertEquals(6, x.numel());
        assertEquals(42, Tensor.fromArray(new double[] {42}, 1, 1).item());
    }

    @Test void badViewsAreNamed() {
        Tensor x = iota(2, 3);
        assertMessage("reshape: cannot reshape [2, 3] (6 elements) to [4, 2]", () -> x.reshape(4, 2));
        assertMessage("reshape: more than one -1 in [-1, -1]", () -> x.reshape(-1, -1));
        assertMessage("reshape: negative dimension in [-2, -3]", () -> x.reshape(-2, -3));
        assertMessage("reshape: cannot reshape [2, 3] (6 elements) to [-1, 4]", () -> x.reshape(-1, 4));
        assertMessage("reshape: cannot reshape [0, 3] (0 elements) to [0, -1]", () -> Tensor.zeros(0, 3).reshape(0, -1));
        assertMessage("permute: order [0] does not match rank 2", () -> x.permute(0));
        assertMessage("permute: dimension 1 repeated in [1, 1]", () -> x.permute(1, 1));
        assertMessage("permute: dimension 2 out of range for rank 2", () -> x.permute(0, 2));
        assertMessage("transpose: dimension -3 out of range for rank 2", () -> x.transpose(0, -3));
        assertMessage("slice: range [1, 4) out of bounds for dimension 1 of size 3 in shape [2, 3]", () -> x.narrow(1, 1, 3));
        assertMessage("slice: step must be positive, got 0", () -> x.slice(0, 0, 1, 0));
        assertMessage("select: index 2 out of range for dimension 0 of size 2", () -> x.select(0, 2));
        assertMessage("unsqueeze: dimension 3 out of range for rank 3", () -> x.unsqueeze(3));
        assertMessage("squeeze: dimension 2 out of range for rank 2", () -> x.squeeze(2));
        assertMessage("expand: cannot expand shape [2, 3] to [2, 4]", () -> x.expand(2, 4));
        assertMessage("expand: cannot expand shape [2, 3] to [3]", () -> x.expand(3));
        assertMessage("flatten: start 1 after end 0", () -> x.flatten(1, 0));
        assertMessage("t: expects a matrix, got shape [2, 3, 1]", () -> x.unsqueeze(2).t());
        assertMessage("size: dimension 2 out of range for rank 2", () -> x.size(2));
        assertMessage("index [2, 0] out of range for shape [2, 3]", () -> x.get(2, 0));
        assertMessage("index [0] has rank 1 but the tensor has shape [2, 3]", () -> x.get(0));
        assertMessage("item: tensor of shape [2, 3] has 6 elements, not 1", x::item);
        assertMessage("assign: shapes [3, 1] and [2, 3] cannot be broadcast together", () -> x.assign(Tensor.zeros(3, 1)));
        assertMessage("assign: shape [2, 3] cannot be broadcast to [3]", () -> x.select(0, 0).assign(x));
        assertMessage("negative dimension in shape [-1]", () -> Tensor.zeros(-1));
    }
}
