package dev.specnorm.cpu;

/**
 * The two products Golub–Kahan–Lanczos makes per step (SPEC.md "Lanczos": float64 recurrences) over a
 * row-major m×n float32 W at {@code w[off + i·n + j]} with float64 vectors: y_i = Σ_j W_ij x_j for rows
 * [r0, r1), and out_j = Σ_i y_i W_ij for columns [c0, c1), summed over the rows in order. Each W_ij is
 * widened to float64 exactly and every product is a fused multiply-add in float64.
 *
 * <p>With {@link VectorSupport#ENABLED} the loops run in {@link VectorDoubleRowKernels}, otherwise in the
 * plain loops below. Either way an output entry is computed by the same operations in the same order
 * whatever range it falls in, so a split of rows or columns across threads does not change a bit.
 */
final class DoubleRowKernels {

    private static final boolean VECTOR = VectorSupport.ENABLED;

    private DoubleRowKernels() {}

    /** out[i] = Σ_j W_ij x[xo + j] for i in [r0, r1). */
    static void multiply(float[] w, int off, int n, int r0, int r1, double[] x, int xo, double[] out) {
        if (VECTOR) {
            VectorDoubleRowKernels.multiply(w, off, n, r0, r1, x, xo, out);
        } else {
            scalarMultiply(w, off, n, r0, r1, x, xo, out);
        }
    }

    /** out[j] = Σ_{i < m} y[yo + i] W_ij for j in [c0, c1), the rows added in order. */
    static void multiplyTransposed(float[] w, int off, int m, int n, int c0, int c1, double[] y, int yo, double[] out) {
        if (VECTOR) {
            VectorDoubleRowKernels.multiplyTransposed(w, off, m, n, c0, c1, y, yo, out);
        } else {
            scalarMultiplyTransposed(w, off, m, n, c0, c1, y, yo, out);
        }
    }

    /** {@link #multiply} in plain loops. */
    static void scalarMultiply(float[] w, int off, int n, int r0, int r1, double[] x, int xo, double[] out) {
        for (int i = r0; i < r1; i++) {
            int o = off + i * n;
            double s = 0;
            for (int j = 0; j < n; j++) {
                s = Math.fma(w[o + j], x[xo + j], s);
            }
            out[i] = s;
        }
    }

    /** {@link #multiplyTransposed} in plain loops. */
    static void scalarMultiplyTransposed(
            float[] w, int off, int m, int n, int c0, int c1, double[] y, int yo, double[] out) {
        for (int j = c0; j < c1; j++) {
            out[j] = 0;
        }
        for (int i = 0; i < m; i++) {
            int o = off + i * n;
            double c = y[yo + i];
            for (int j = c0; j < c1; j++) {
                out[j] = Math.fma(w[o + j], c, out[j]);
            }
        }
    }
}
