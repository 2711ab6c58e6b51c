package dev.gan4j.gan.eval;

/**
 * Square roots of symmetric positive semi-definite matrices, the kind FID needs. Eigenvalues that
 * rounding pushed slightly below zero are treated as zero, the standard remedy (scipy's sqrtm instead
 * returns a complex result with a tiny imaginary part, which FID implementations then discard).
 */
public final class MatrixSqrt {

    private MatrixSqrt() {}

    /** The symmetric PSD matrix {@code r} with {@code r r = a}. */
    public static double[][] ofSymmetric(double[][] a) {
        SymmetricEigen e = SymmetricEigen.of(a);
        int n = a.length;
        double[] roots = new double[n];
        for (int i = 0; i < n; i++) roots[i] = Math.sqrt(Math.max(e.values()[i], 0));
        double[][] v = e.vectors();
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += v[i][k] * roots[k] * v[j][k];
                r[i][j] = sum;
                r[j][i] = sum;
            }
        }
        return r;
    }

    /**
     * {@code tr(sqrtm(a b))} for symmetric PSD {@code a} and {@code b}. The product is not symmetric, but
     * {@code a b} is similar to {@code sqrt(a) b sqrt(a)}, which is symmetric PSD, and similar matrices have
     * square roots with the same eigenvalues; so the trace is the sum of the square roots of the
     * latter's eigenvalues.
     */
    public static double traceOfSqrtProduct(double[][] a, double[][] b) {
        double[][] ra = ofSymmetric(a);
        double[][] inner = multiply(multiply(ra, b), ra);
        symmetrize(inner);
        double trace = 0;
        for (double value : SymmetricEigen.of(inner).values()) trace += Math.sqrt(Math.max(value, 0));
        return trace;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < b.length; k++) {
                double aik = a[i][k];
                double[] bk = b[k];
                double[] ci = c[i];
                for (int j = 0; j < m; j++) ci[j] += aik * bk[j];
            }
        }
        return c;
    }

    /** Averages a matrix with its transpose, removing the asymmetry that rounding left in a product. */
    private static void symmetrize(double[][] m) {
        for (int i = 0; i < m.length; i++) {
            for (int j = i + 1; j < m.length; j++) {
                double mean = (m[i][j] + m[j][i]) / 2;
                m[i][j] = mean;
                m[j][i] = mean;
            }
        }
    }
}
