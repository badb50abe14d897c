package dev.specnorm.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The hot loops of {@link RowKernels} written with the JDK's Vector API: y = W x and acc += Wᵀc over rows
 * [r0, r1) of a row-major m×n float32 W at {@code w[off + i·n + j]}, four rows at a time, in lanes of the
 * platform's preferred float vector, at most 256 bits wide, with fused multiply-adds. The cap: a Java
 * array's elements start 16 bytes into the object, so where W's rows are not 64-byte aligned a 512-bit
 * access splits two cache lines every time; on the 2-core AMD EPYC (AVX-512) this project is measured on,
 * 256-bit lanes made one pass over a 4096² W 5–15% faster (acc += Wᵀc 2.06–2.14 ms against 2.39–2.87 ms,
 * one thread, each kernel in its own JVM, alternated) and a step's two passes together no slower at 1024². A row's dot product is the lane sums
 * (Σ over j ≡ l mod L of W_ij x_j, fused) added across lanes, then the scalar tail; the accumulation of
 * Wᵀc adds each four rows' terms to acc in row order. Loaded only when {@link VectorSupport} says the
 * module is present.
 */
final class VectorRowKernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED.vectorBitSize() > 256
            ? FloatVector.SPECIES_256
            : FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private VectorRowKernels() {}

    /** Lanes per vector on this platform. */
    static int lanes() {
        return LANES;
    }

    /** out[i] = W_i · x for i in [r0, r1). */
    static void multiply(float[] w, int off, int n, int r0, int r1, float[] x, float[] out) {
        int bound = SPECIES.loopBound(n);
        int i = r0;
        for (; i + 3 < r1; i += 4) {
            int o0 = off + i * n;
            int o1 = o0 + n;
            int o2 = o1 + n;
            int o3 = o2 + n;
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector xv = FloatVector.fromArray(SPECIES, x, j);
                a0 = FloatVector.fromArray(SPECIES, w, o0 + j).fma(xv, a0);
                a1 = FloatVector.fromArray(SPECIES, w, o1 + j).fma(xv, a1);
                a2 = FloatVector.fromArray(SPECIES, w, o2 + j).fma(xv, a2);
                a3 = FloatVector.fromArray(SPECIES, w, o3 + j).fma(xv, a3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD);
            float s1 = a1.reduceLanes(VectorOperators.ADD);
            float s2 = a2.reduceLanes(VectorOperators.ADD);
            float s3 = a3.reduceLanes(VectorOperators.ADD);
            for (; j < n; j++) {
                float xj = x[j];
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
            out[i] = dotRow(w, off + i * n, n, x);
        }
    }

    /** W_i · x for the row starting at {@code o}. */
    static float dotRow(float[] w, int o, int n, float[] x) {
        int bound = SPECIES.loopBound(n);
        FloatVector a = FloatVector.zero(SPECIES);
        int j = 0;
        for (; j < bound; j += LANES) {
            a = FloatVector.fromArray(SPECIES, w, o + j).fma(FloatVector.fromArray(SPECIES, x, j), a);
        }
        float s = a.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            s = Math.fma(w[o + j], x[j], s);
        }
        return s;
    }

    /** acc[0..n) += Σ_{i ∈ [r0, r1)} c[i]·W_i. */
    static void accumulateTransposed(float[] w, int off, int n, int r0, int r1, float[] c, float[] acc) {
        int i = r0;
        for (; i + 3 < r1; i += 4) {
            axpy4(w, off + i * n, n, c[i], c[i + 1], c[i + 2], c[i + 3], acc);
        }
        for (; i < r1; i++) {
            axpy(w, off + i * n, n, c[i], acc);
        }
    }

    /** acc += c0·W_{o0} + c1·W_{o0+n} + c2·W_{o0+2n} + c3·W_{o0+3n}, added in that order. */
    static void axpy4(float[] w, int o0, int n, float c0, float c1, float c2, float c3, float[] acc) {
        int o1 = o0 + n;
        int o2 = o1 + n;
        int o3 = o2 + n;
        int bound = SPECIES.loopBound(n);
        FloatVector v0 = FloatVector.broadcast(SPECIES, c0);
        FloatVector v1 = FloatVector.broadcast(SPECIES, c1);
        FloatVector v2 = FloatVector.broadcast(SPECIES, c2);
        FloatVector v3 = FloatVector.broadcast(SPECIES, c3);
        int j = 0;
        for (; j < bound; j += LANES) {
            FloatVector a = FloatVector.fromArray(SPECIES, acc, j);
            a = FloatVector.fromArray(SPECIES, w, o0 + j).fma(v0, a);
            a = FloatVector.fromArray(SPECIES, w, o1 + j).fma(v1, a);
            a = FloatVector.fromArray(SPECIES, w, o2 + j).fma(v2, a);
            a = FloatVector.fromArray(SPECIES, w, o3 + j).fma(v3, a);
            a.intoArray(acc, j);
        }
        for (; j < n; j++) {
            float a = Math.fma(w[o0 + j], c0, acc[j]);
            a = Math.fma(w[o1 + j], c1, a);
            a = Math.fma(w[o2 + j], c2, a);
            acc[j] = Math.fma(w[o3 + j], c3, a);
        }
    }

    /** acc += c·W_o. */
    static void axpy(float[] w, int o, int n, float c, float[] acc) {
        int bound = SPECIES.loopBound(n);
        FloatVector cv = FloatVector.broadcast(SPECIES, c);
        int j = 0;
        for (; j < bound; j += LANES) {
            FloatVector.fromArray(SPECIES, w, o + j)
                    .fma(cv, FloatVector.fromArray(SPECIES, acc, j))
                    .intoArray(acc, j);
        }
        for (; j < n; j++) {
            acc[j] = Math.fma(w[o + j], c, acc[j]);
        }
    }

    /** Whether the lanes compute {@link KernelSelfTest}'s products exactly. */
    static boolean selfTest() {
        KernelSelfTest t = new KernelSelfTest(LANES);
        float[] y = new float[t.m];
        float[] acc = new float[t.n];
        multiply(t.w, 0, t.n, 0, t.m, t.x, y);
        accumulateTransposed(t.w, 0, t.n, 0, t.m, t.c, acc);
        double[] rows = new double[t.m];
        double[] columns = new double[t.n];
        for (int i = 0; i < t.m; i++) {
            rows[i] = y[i];
        }
        for (int j = 0; j < t.n; j++) {
            columns[j] = acc[j];
        }
        return t.matches(rows, columns);
    }
}
