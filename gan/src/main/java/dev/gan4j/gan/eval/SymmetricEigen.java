package dev.gan4j.gan.eval;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method: plane rotations
 * zero the off-diagonal entries one by one until the matrix is diagonal. Slower than Householder + QR
 * for large matrices, but simple and accurate to the last bits, and fast enough for feature covariances
 * of a few hundred dimensions.
 */
record SymmetricEigen(double[] values, double[][] vectors) {

    private static final int MAX_SWEEPS = 100;

    /** {@code a = V diag(values) V^T}; column j of {@code vectors} is the eigenvector of {@code values[j]}. */
    static SymmetricEigen of(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) throw new IllegalArgumentException("matrix is not square: row " + i + " has "
                    + a[i].length + " entries, expected " + n);
            m[i] = a[i].clone();
        }
        double[][] v = identity(n);
        for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(m) > 1e-22 * diagonal(m); sweep++) {
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (m[p][q] != 0) rotate(m, v, p, q);
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = m[i][i];
        return new SymmetricEigen(values, v);
    }

    /** The rotation in the (p, q) plane that zeroes m[p][q] (Golub & Van Loan, algorithm 8.4.1). */
    private static void rotate(double[][] m, double[][] v, int p, int q) {
        double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        int n = m.length;
        for (int k = 0; k < n; k++) {
            double mkp = m[k][p];
            double mkq = m[k][q];
            m[k][p] = c * mkp - s * mkq;
            m[k][q] = s * mkp + c * mkq;
        }
        for (int k = 0; k < n; k++) {
            double mpk = m[p][k];
            double mqk = m[q][k];
            m[p][k] = c * mpk - s * mqk;
            m[q][k] = s * mpk + c * mqk;
        }
        for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }

    private static double offDiagonal(double[][] m) {
        double sum = 0;
        for (int i = 0; i < m.length; i++) for (int j = 0; j < m.length; j++) if (i != j) sum += m[i][j] * m[i][j];
        return sum;
    }

    private static double diagonal(double[][] m) {
        double sum = 0;
        for (int i = 0; i < m.length; i++) sum += m[i][i] * m[i][i];
        return Math.max(sum, Double.MIN_NORMAL);
    }

    private static double[][] identity(int n) {
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) v[i][i] = 1;
        return v;
    }
}
