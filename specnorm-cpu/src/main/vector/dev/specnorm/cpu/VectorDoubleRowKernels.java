package dev.specnorm.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DoubleRowKernels} with the JDK's Vector API: float64 lanes of the platform's preferred width, at
 * most 256 bits (as {@link VectorRowKernels}, for the same reason), each fed by a float32 vector of half
 * that width widened lane by lane. W x takes four rows at a time; a row's sum is the lane sums (Σ over
 * j ≡ l mod L of W_ij x_j, fused) added across lanes, then the scalar tail, the same for a row taken
 * alone. Wᵀy adds the rows to the output in order, so each output entry is one chain of fused
 * multiply-adds, the same in a lane as in the tail.
 */
final class VectorDoubleRowKernels {

    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED.vectorBitSize() > 256
            ? DoubleVector.SPECIES_256
            : DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS =
            VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));
    private static final int LANES = DOUBLES.length();

    private VectorDoubleRowKernels() {}

    /** W[o + j .. o + j + LANES) widened to float64. */
    private static DoubleVector widened(float[] w, int o) {
        return (DoubleVector) FloatVector.fromArray(FLOATS, w, o).convertShape(VectorOperators.F2D, DOUBLES, 0);
    }

    /** out[i] = Σ_j W_ij x[xo + j] for i in [r0, r1). */
    static void multiply(float[] w, int off, int n, int r0, int r1, double[] x, int xo, double[] out) {
        int bound = DOUBLES.loopBound(n);
        int i = r0;
        for (; i + 3 < r1; i += 4) {
            int o0 = off + i * n;
            int o1 = o0 + n;
            int o2 = o1 + n;
            int o3 = o2 + n;
            DoubleVector a0 = DoubleVector.zero(DOUBLES);
            DoubleVector a1 = DoubleVector.zero(DOUBLES);
            DoubleVector a2 = DoubleVector.zero(DOUBLES);
            DoubleVector a3 = DoubleVector.zero(DOUBLES);
            int j = 0;
            for (; j < bound; j += LANES) {
                DoubleVector xv = DoubleVector.fromArray(DOUBLES, x, xo + j);
                a0 = widened(w, o0 + j).fma(xv, a0);
                a1 = widened(w, o1 + j).fma(xv, a1);
                a2 = widened(w, o2 + j).fma(xv, a2);
                a3 = widened(w, o3 + j).fma(xv, a3);
            }
            double s0 = a0.reduceLanes(VectorOperators.ADD);
            double s1 = a1.reduceLanes(VectorOperators.ADD);
            double s2 = a2.reduceLanes(VectorOperators.ADD);
            double s3 = a3.reduceLanes(VectorOperators.ADD);
            for (; j < n; j++) {
                double xj = x[xo + j];
                s0 = Math.fma(w[o0 + j], xj, s0);
                s1 = Math.fma(w[o1 + j], xj, s1);
                s2 = Math.fma(w[o2 + j], xj, s2);
                s3 = Math.fma(w[o3 + j], xj, s3);
            }
            out[i] = s0;
            out[i + 1] = s1;
            out[i + 2] = s2;
            out[i + 3] = s3;
        }
        for (; i < r1; i++) {
            out[i] = dotRow(w, off + i * n, n, x, xo);
        }
    }

    private static double dotRow(float[] w, int o, int n, double[] x, int xo) {
        int bound = DOUBLES.loopBound(n);
        DoubleVector a = DoubleVector.zero(DOUBLES);
        int j = 0;
        for (; j < bound; j += LANES) {
            a = widened(w, o + j).fma(DoubleVector.fromArray(DOUBLES, x, xo + j), a);
        }
        double s = a.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            s = Math.fma(w[o + j], x[xo + j], s);
        }
        return s;
    }

    /** out[j] = Σ_{i < m} y[yo + i] W_ij for j in [c0, c1), the rows added in order. */
    static void multiplyTransposed(float[] w, int off, int m, int n, int c0, int c1, double[] y, int yo, double[] out) {
        for (int j = c0; j < c1; j++) {
            out[j] = 0;
        }
        int bound = c0 + DOUBLES.loopBound(c1 - c0);
        int i = 0;
        for (; i + 3 < m; i += 4) {
            int o0 = off + i * n;
            int o1 = o0 + n;
            int o2 = o1 + n;
            int o3 = o2 + n;
            double y0 = y[yo + i];
            double y1 = y[yo + i + 1];
            double y2 = y[yo + i + 2];
            double y3 = y[yo + i + 3];
            DoubleVector v0 = DoubleVector.broadcast(DOUBLES, y0);
            DoubleVector v1 = DoubleVector.broadcast(DOUBLES, y1);
            DoubleVector v2 = DoubleVector.broadcast(DOUBLES, y2);
            DoubleVector v3 = DoubleVector.broadcast(DOUBLES, y3);
            int j = c0;
            for (; j < bound; j += LANES) {
                DoubleVector a = DoubleVector.fromArray(DOUBLES, out, j);
                a = widened(w, o0 + j).fma(v0, a);
                a = widened(w, o1 + j).fma(v1, a);
                a = widened(w, o2 + j).fma(v2, a);
                a = widened(w, o3 + j).fma(v3, a);
                a.intoArray(out, j);
            }
            for (; j < c1; j++) {
                double a = Math.fma(w[o0 + j], y0, out[j]);
                a = Math.fma(w[o1 + j], y1, a);
                a = Math.fma(w[o2 + j], y2, a);
                out[j] = Math.fma(w[o3 + j], y3, a);
            }
        }
        for (; i < m; i++) {
            int o = off + i * n;
            double c = y[yo + i];
            DoubleVector v = DoubleVector.broadcast(DOUBLES, c);
            int j = c0;
            for (; j < bound; j += LANES) {
                widened(w, o + j)
                        .fma(v, DoubleVector.fromArray(DOUBLES, out, j))
                        .intoArray(out, j);
            }
            for (; j < c1; j++) {
                out[j] = Math.fma(w[o + j], c, out[j]);
            }
        }
    }

    /**
     * Whether the lanes compute {@link KernelSelfTest}'s products exactly, with x and c read one entry into
     * their arrays and Wᵀc over the columns from 1 on (the first left untouched).
     */
    static boolean selfTest() {
        KernelSelfTest t = new KernelSelfTest(LANES);
        double[] x = new double[t.n + 1];
        double[] c = new double[t.m + 1];
        for (int j = 0; j < t.n; j++) {
            x[j + 1] = t.x[j];
        }
        for (int i = 0; i < t.m; i++) {
            c[i + 1] = t.c[i];
        }
        double[] rows = new double[t.m];
        double[] columns = new double[t.n];
        columns[0] = t.column(0);
        multiply(t.w, 0, t.n, 0, t.m, x, 1, rows);
        multiplyTransposed(t.w, 0, t.m, t.n, 1, t.n, c, 1, columns);
        return t.matches(rows, columns);
    }
}
