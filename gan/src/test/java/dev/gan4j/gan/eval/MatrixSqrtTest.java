package dev.gan4j.gan.eval;

import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MatrixSqrtTest {

    @Test
    void theSquareRootOfAKnownMatrixIsKnown() {
        // [[5, 4], [4, 5]] = [[2, 1], [1, 2]]^2.
        double[][] r = MatrixSqrt.ofSymmetric(new double[][] {{5, 4}, {4, 5}});
        assertMatrix(new double[][] {{2, 1}, {1, 2}}, r, 1e-12);
        assertMatrix(new double[][] {{3, 0, 0}, {0, 0, 0}, {0, 0, 0.5}},
                MatrixSqrt.ofSymmetric(new double[][] {{9, 0, 0}, {0, 0, 0}, {0, 0, 0.25}}), 1e-12);
    }

    @Test
    void theSquareRootSquaredGivesTheMatrixBack() {
        double[][] a = randomCovariance(40, new Random(3));
        double[][] r = MatrixSqrt.ofSymmetric(a);
        assertMatrix(a, MatrixSqrt.multiply(r, r), 1e-9);
    }

    @Test
    void traceOfTheSquareRootOfAProduct() {
        // Commuting (diagonal) matrices: sqrt(AB) = diag(sqrt(a_i b_i)).
        double trace = MatrixSqrt.traceOfSqrtProduct(new double[][] {{4, 0}, {0, 1}}, new double[][] {{9, 0}, {0, 16}});
        assertEquals(2 * 3 + 1 * 4, trace, 1e-12);
        // A non-commuting pair, against numpy: A = [[2, 1], [1, 2]], B = [[1, 0], [0, 3]];
        // AB = [[2, 3], [1, 6]] has eigenvalues 4 +- sqrt(7), so tr(sqrtm(AB)) = sqrt(4 + sqrt 7) + sqrt(4 - sqrt 7).
        double expected = Math.sqrt(4 + Math.sqrt(7)) + Math.sqrt(4 - Math.sqrt(7));
        assertEquals(expected, MatrixSqrt.traceOfSqrtProduct(new double[][] {{2, 1}, {1, 2}},
                new double[][] {{1, 0}, {0, 3}}), 1e-12);
    }

    @Test
    void frechetDistanceOfGaussiansHasItsClosedForm() {
        // One dimension: (m1 - m2)^2 + (s1 - s2)^2.
        FeatureStatistics a = new FeatureStatistics(new double[] {1}, new double[][] {{4}}, 100);
        FeatureStatistics b = new FeatureStatistics(new double[] {-2}, new double[][] {{9}}, 100);
        assertEquals(9 + 1, a.frechetDistance(b), 1e-12);
        // The distance is symmetric although the computation is not.
        Random random = new Random(5);
        FeatureStatistics c = new FeatureStatistics(new double[30], randomCovariance(30, random), 100);
        FeatureStatistics d = new FeatureStatistics(new double[30], randomCovariance(30, random), 100);
        assertEquals(c.frechetDistance(d), d.frechetDistance(c), 1e-9 * c.frechetDistance(d));
        assertEquals(0, c.frechetDistance(c), 1e-9);
    }

    @Test
    void featureStatisticsMatchTheTextbookFormulas() {
        Tensor x = Tensor.fromArray(new double[] {1, 2, 3, 6, 5, 10}, 3, 2);
        FeatureStatistics s = FeatureStatistics.of(x);
        assertEquals(3, s.mean()[0], 1e-12);
        assertEquals(6, s.mean()[1], 1e-12);
        // Column 0: 1, 3, 5 (variance 4); column 1: 2, 6, 10 (variance 16); covariance 8.
        assertMatrix(new double[][] {{4, 8}, {8, 16}}, s.covariance(), 1e-12);
    }

    @Test
    void aNonSquareMatrixIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> MatrixSqrt.ofSymmetric(new double[][] {{1, 2}, {3}}));
    }

    /** B B^T / n for a random B: symmetric positive definite. */
    private static double[][] randomCovariance(int n, Random random) {
        double[][] b = new double[n][n + 5];
        for (double[] row : b) for (int j = 0; j < row.length; j++) row[j] = random.nextGaussian();
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n + 5; k++) a[i][j] += b[i][k] * b[j][k] / n;
            }
        }
        return a;
    }

    private static void assertMatrix(double[][] expected, double[][] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[i][j], actual[i][j], tolerance, "entry (" + i + ", " + j + ")");
            }
        }
    }
}
