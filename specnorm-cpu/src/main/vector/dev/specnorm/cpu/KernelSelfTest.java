package dev.specnorm.cpu;

/**
 * The case the Vector API kernels check themselves on before {@link VectorSupport} enables them: a 5×(2L+3)
 * W (L lanes, so full vectors and a tail) with W_ij = (i + 2j) mod 5 − 2, x_j = (j mod 3) − 1 and
 * c_i = i − 2. Every entry of W x and Wᵀc is a small integer, exact in float32 and float64 whatever the
 * order of summation, so a kernel must reproduce {@link #row} and {@link #column} exactly.
 */
final class KernelSelfTest {

    final int m = 5;
    final int n;
    final float[] w;
    final float[] x;
    final float[] c;

    KernelSelfTest(int lanes) {
        n = 2 * lanes + 3;
        w = new float[m * n];
        x = new float[n];
        c = new float[m];
        for (int i = 0; i < m; i++) {
            c[i] = i - 2;
            for (int j = 0; j < n; j++) {
                w[i * n + j] = (i + 2 * j) % 5 - 2;
            }
        }
        for (int j = 0; j < n; j++) {
            x[j] = j % 3 - 1;
        }
    }

    /** (W x)_i. */
    double row(int i) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += w[i * n + j] * x[j];
        }
        return s;
    }

    /** (Wᵀc)_j. */
    double column(int j) {
        double s = 0;
        for (int i = 0; i < m; i++) {
            s += c[i] * w[i * n + j];
        }
        return s;
    }

    /** Whether the computed W x and Wᵀc equal {@link #row} and {@link #column} exactly. */
    boolean matches(double[] rows, double[] columns) {
        for (int i = 0; i < m; i++) {
            if (rows[i] != row(i)) {
                return false;
            }
        }
        for (int j = 0; j < n; j++) {
            if (columns[j] != column(j)) {
                return false;
            }
        }
        return true;
    }
}
