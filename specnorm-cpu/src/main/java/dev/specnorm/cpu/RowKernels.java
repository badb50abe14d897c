package dev.specnorm.cpu;

/**
 * The memory-bound loops over the rows {@code [r0, r1)} of one row-major m×n float32 matrix W stored at
 * {@code w[off + i·n + j]}: y = W x, y += Wᵀc, their fusion, scaling and rank-one/two updates, written as
 * plain indexed loops the JIT unrolls and vectorizes. Rows are taken four at a time so that each load of
 * x (or of the accumulator) serves four rows and four independent sums are in flight.
 *
 * <p>When {@link VectorSupport#ENABLED} (the JVM has {@code jdk.incubator.vector}), W x, Wᵀc and the row dot
 * products run in {@link VectorRowKernels}; the plain loops below ({@code scalar…}) run otherwise.
 *
 * <p>Dot products accumulate in float32 per row (the rows are sums of at most n terms with float inputs);
 * every norm and every scalar that decides a branch is accumulated in float64 by the callers.
 */
final class RowKernels {

    private RowKernels() {}

    private static final boolean VECTOR = VectorSupport.ENABLED;

    /** out[i] = W_i · x for i in [r0, r1). */
    static void multiply(float[] w, int off, int n, int r0, int r1, float[] x, float[] out) {
        if (VECTOR) {
            VectorRowKernels.multiply(w, off, n, r0, r1, x, out);
        } else {
            scalarMultiply(w, off, n, r0, r1, x, out);
        }
    }

    /** {@link #multiply} in plain loops. */
    static void scalarMultiply(float[] w, int off, int n, int r0, int r1, float[] x, float[] out) {
        int i = r0;
        for (; i + 3 < r1; i += 4) {
            int o0 = off + i * n;
            int o1 = o0 + n;
            int o2 = o1 + n;
            int o3 = o2 + n;
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            for (int j = 0; j < n; j++) {
                float xj = x[j];
                s0 += w[o0 + j] * xj;
                s1 += w[o1 + j] * xj;
                s2 += w[o2 + j] * xj;
                s3 += w[o3 + j] * xj;
            }
            out[i] = s0;
            out[i + 1] = s1;
            out[i + 2] = s2;
            out[i + 3] = s3;
        }
        for (; i < r1; i++) {
            out[i] = scalarDotRow(w, off + i * n, n, x);
        }
    }

    /** acc[0..n) += Σ_{i ∈ [r0, r1)} c[i]·W_i. */
    static void accumulateTransposed(float[] w, int off, int n, int r0, int r1, float[] c, float[] acc) {
        if (VECTOR) {
            VectorRowKernels.accumulateTransposed(w, off, n, r0, r1, c, acc);
        } else {
            scalarAccumulateTransposed(w, off, n, r0, r1, c, acc);
        }
    }

    /** {@link #accumulateTransposed} in plain loops. */
    static void scalarAccumulateTransposed(float[] w, int off, int n, int r0, int r1, float[] c, float[] acc) {
        int i = r0;
        for (; i + 3 < r1; i += 4) {
            axpy4(w, off + i * n, n, c[i], c[i + 1], c[i + 2], c[i + 3], acc);
        }
        for (; i < r1; i++) {
            axpy(w, off + i * n, n, c[i], acc);
        }
    }

    /** t[i] = W_i · x for i in [r0, r1) and acc[0..n) += Σ t[i]·W_i, reading each row once. */
    static void multiplyAccumulate(float[] w, int off, int n, int r0, int r1, float[] x, float[] t, float[] acc) {
        int i = r0;
        for (; i + 3 < r1; i += 4) {
            multiply(w, off, n, i, i + 4, x, t);
            if (VECTOR) {
                VectorRowKernels.axpy4(w, off + i * n, n, t[i], t[i + 1], t[i + 2], t[i + 3], acc);
            } else {
                axpy4(w, off + i * n, n, t[i], t[i + 1], t[i + 2], t[i + 3], acc);
            }
        }
        for (; i < r1; i++) {
            int o = off + i * n;
            float ti = dotRow(w, o, n, x);
            t[i] = ti;
            if (VECTOR) {
                VectorRowKernels.axpy(w, o, n, ti, acc);
            } else {
                axpy(w, o, n, ti, acc);
            }
        }
    }

    /**
     * t[i] = W_i · x for i in [r0, r1); returns {@code inner} + Σ G_ij W_ij over those rows, accumulated in
     * float64 row by row, G stored like W at {@code g[goff + i·n + j]}.
     */
    static double multiplyAndInner(
            float[] w, int off, int n, int r0, int r1, float[] x, float[] t, float[] g, int goff, double inner) {
        for (int i = r0; i < r1; i++) {
            int o = off + i * n;
            int q = goff + i * n;
            float s = 0;
            double p0 = 0;
            double p1 = 0;
            int j = 0;
            for (; j + 1 < n; j += 2) {
                float a = w[o + j];
                float b = w[o + j + 1];
                s += a * x[j] + b * x[j + 1];
                p0 += (double) g[q + j] * a;
                p1 += (double) g[q + j + 1] * b;
            }
            if (j < n) {
                s += w[o + j] * x[j];
                p0 += (double) g[q + j] * w[o + j];
            }
            t[i] = s;
            inner += p0 + p1;
        }
        return inner;
    }

    /** out[oo + i·n + j] = s·X_ij for rows [r0, r1) of X stored like W at x[xo ..]. */
    static void scale(float[] x, int xo, int n, int r0, int r1, float s, float[] out, int oo) {
        int from = r0 * n;
        int to = r1 * n;
        for (int k = from; k < to; k++) {
            out[oo + k] = x[xo + k] * s;
        }
    }

    /**
     * out_ij = gs·G_ij + a_i·b_j + c_i·d_j for rows [r0, r1), where the G term is omitted when g is null
     * and the second rank-one term when c is null.
     */
    static void update(
            float[] g,
            int goff,
            float gs,
            float[] a,
            float[] b,
            float[] c,
            float[] d,
            int n,
            int r0,
            int r1,
            float[] out,
            int oo) {
        for (int i = r0; i < r1; i++) {
            int o = oo + i * n;
            float ai = a[i];
            if (g == null && c == null) {
                for (int j = 0; j < n; j++) {
                    out[o + j] = ai * b[j];
                }
            } else if (g == null) {
                float ci = c[i];
                for (int j = 0; j < n; j++) {
                    out[o + j] = ai * b[j] + ci * d[j];
                }
            } else if (c == null) {
                int q = goff + i * n;
                for (int j = 0; j < n; j++) {
                    out[o + j] = gs * g[q + j] + ai * b[j];
                }
            } else {
                int q = goff + i * n;
                float ci = c[i];
                for (int j = 0; j < n; j++) {
                    out[o + j] = gs * g[q + j] + ai * b[j] + ci * d[j];
                }
            }
        }
    }

    /** W_i · x for the row starting at {@code o}. */
    static float dotRow(float[] w, int o, int n, float[] x) {
        return VECTOR ? VectorRowKernels.dotRow(w, o, n, x) : scalarDotRow(w, o, n, x);
    }

    /** W_i · x for the row starting at {@code o}, in four float lanes (plain loop). */
    static float scalarDotRow(float[] w, int o, int n, float[] x) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += w[o + j] * x[j];
            s1 += w[o + j + 1] * x[j + 1];
            s2 += w[o + j + 2] * x[j + 2];
            s3 += w[o + j + 3] * x[j + 3];
        }
        for (; j < n; j++) {
            s0 += w[o + j] * x[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void axpy(float[] w, int o, int n, float c, float[] acc) {
        for (int j = 0; j < n; j++) {
            acc[j] += c * w[o + j];
        }
    }

    private static void axpy4(float[] w, int o0, int n, float c0, float c1, float c2, float c3, float[] acc) {
        int o1 = o0 + n;
        int o2 = o1 + n;
        int o3 = o2 + n;
        for (int j = 0; j < n; j++) {
            acc[j] += c0 * w[o0 + j] + c1 * w[o1 + j] + c2 * w[o2 + j] + c3 * w[o3 + j];
        }
    }
}
