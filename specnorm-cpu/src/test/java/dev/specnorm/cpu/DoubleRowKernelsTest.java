package dev.specnorm.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Lanczos's float64 products ({@link DoubleRowKernels}; {@link VectorDoubleRowKernels} where the module is
 * added) against exact sums: every product W_ij·x_j of a float32 and a float64 is summed exactly in
 * {@link BigDecimal}, and each entry must lie within γₙ·Σ|W_ij x_j|, γₙ = nu/(1 − nu), u = 2⁻⁵³, the
 * forward-error bound of a sum of n fused products. An entry must also come out the same bit for bit when
 * its rows or columns are computed in pieces, as the engine's threads split them.
 */
class DoubleRowKernelsTest {

    private static final double U = Math.ulp(1.0) / 2;

    @Test
    void plainLoopsMatchExactSums() {
        for (int[] shape : shapes()) {
            check(shape[0], shape[1], false);
        }
    }

    @Test
    void vectorKernelsMatchExactSums() {
        if (!VectorSupport.modulePresent()) {
            return; // the pure-Java run: VectorDoubleRowKernels cannot load without the module
        }
        assertTrue(VectorDoubleRowKernels.selfTest());
        for (int[] shape : shapes()) {
            check(shape[0], shape[1], true);
        }
    }

    private static int[][] shapes() {
        return new int[][] {{1, 1}, {3, 5}, {4, 16}, {7, 33}, {9, 100}, {13, 257}, {64, 1024}, {130, 77}};
    }

    private static void check(int m, int n, boolean vector) {
        SplittableRandom random = new SplittableRandom(17L * m + n);
        int off = 5;
        int xo = 2;
        float[] w = new float[off + m * n];
        double[] x = new double[xo + n];
        double[] y = new double[xo + m];
        for (int k = off; k < w.length; k++) {
            w[k] = (float) (random.nextDouble() * 2 - 1);
        }
        for (int j = 0; j < n; j++) {
            x[xo + j] = random.nextDouble() * 2 - 1;
        }
        for (int i = 0; i < m; i++) {
            y[xo + i] = random.nextDouble() * 2 - 1;
        }
        double[] rows = new double[m];
        double[] cols = new double[n];
        multiply(vector, w, off, n, 0, m, x, xo, rows);
        multiplyTransposed(vector, w, off, m, n, 0, n, y, xo, cols);
        String path = vector ? "vector" : "plain";
        for (int i = 0; i < m; i++) {
            int row = i;
            assertWithinBound(
                    rows[i], n, j -> w[off + row * n + j], j -> x[xo + j], path + " " + m + "x" + n + " row " + i);
        }
        for (int j = 0; j < n; j++) {
            int col = j;
            assertWithinBound(
                    cols[j], m, i -> w[off + i * n + col], i -> y[xo + i], path + " " + m + "x" + n + " column " + j);
        }
        double[] rowPieces = new double[m];
        double[] colPieces = new double[n];
        for (int[] piece : pieces(m)) {
            multiply(vector, w, off, n, piece[0], piece[1], x, xo, rowPieces);
        }
        for (int[] piece : pieces(n)) {
            multiplyTransposed(vector, w, off, m, n, piece[0], piece[1], y, xo, colPieces);
        }
        assertArrayEquals(rows, rowPieces, path + " " + m + "x" + n + ": rows in pieces");
        assertArrayEquals(cols, colPieces, path + " " + m + "x" + n + ": columns in pieces");
    }

    /**
     * {@code computed} against Σ_{t < len} a(t)·b(t) summed exactly: within γ_len·Σ|a(t)·b(t)|, γ_len =
     * len·u/(1 − len·u).
     */
    private static void assertWithinBound(
            double computed, int len, IntToDoubleFunction a, IntToDoubleFunction b, String where) {
        BigDecimal exact = BigDecimal.ZERO;
        double abs = 0;
        for (int t = 0; t < len; t++) {
            exact = exact.add(new BigDecimal(a.applyAsDouble(t)).multiply(new BigDecimal(b.applyAsDouble(t))));
            abs += Math.abs(a.applyAsDouble(t) * b.applyAsDouble(t));
        }
        double error = new BigDecimal(computed).subtract(exact).abs().doubleValue();
        double gamma = len * U / (1 - len * U);
        assertTrue(error <= gamma * abs, where + ": error " + error + ", bound " + gamma * abs);
    }

    /** [0, len) cut at 1, 5 and len/2 + 3 (where inside), so pieces start off the lane and row-group grid. */
    private static int[][] pieces(int len) {
        int[] cuts = IntStream.of(0, 1, 5, len / 2 + 3, len)
                .map(c -> Math.min(c, len))
                .distinct()
                .sorted()
                .toArray();
        int[][] out = new int[cuts.length - 1][];
        for (int k = 0; k + 1 < cuts.length; k++) {
            out[k] = new int[] {cuts[k], cuts[k + 1]};
        }
        return out;
    }

    private static void multiply(
            boolean vector, float[] w, int off, int n, int r0, int r1, double[] x, int xo, double[] out) {
        if (vector) {
            VectorDoubleRowKernels.multiply(w, off, n, r0, r1, x, xo, out);
        } else {
            DoubleRowKernels.scalarMultiply(w, off, n, r0, r1, x, xo, out);
        }
    }

    private static void multiplyTransposed(
            boolean vector, float[] w, int off, int m, int n, int c0, int c1, double[] y, int yo, double[] out) {
        if (vector) {
            VectorDoubleRowKernels.multiplyTransposed(w, off, m, n, c0, c1, y, yo, out);
        } else {
            DoubleRowKernels.scalarMultiplyTransposed(w, off, m, n, c0, c1, y, yo, out);
        }
    }
}
