package dev.specnorm.cpu;

import java.util.Arrays;

/**
 * The passes over one m×n float32 matrix W that the power iteration, spectral normalization and SRIP make:
 * W x, Wᵀy, both in one pass, scaling, ⟨G, W⟩ and rank-one/two updates. Bound to one matrix at a time;
 * owned by one participant. When created with row blocks, each pass is split over the engine's threads:
 * a pass that produces an n-vector (Wᵀy) gives each block its own partial sum, added up afterwards in
 * block order, so results do not depend on timing.
 */
final class MatrixPasses implements CpuThreads.RowBody {

    private enum Pass { MULTIPLY, TRANSPOSED, BOTH, INNER, SCALE, UPDATE }

    private final CpuThreads.RowBlocks blocks;
    private float[][] partials = new float[0][];
    private final double[] sums;

    private float[] w;
    private int off;
    private int m;
    private int n;

    private Pass pass;
    private float[] x;
    private float[] t;
    private float[] acc;
    private float[] g;
    private int goff;
    private float gs;
    private float[] b;
    private float[] c;
    private float[] d;
    private float[] out;
    private int oo;

    /** @param blocks row blocks to split passes with, or null to run every pass on the calling thread */
    MatrixPasses(CpuThreads.RowBlocks blocks, int threads) {
        this.blocks = blocks;
        this.sums = new double[threads];
    }

    /** Binds the passes to W = w[off .. off + m·n). */
    void bind(float[] w, int off, int m, int n) {
        this.w = w;
        this.off = off;
        this.m = m;
        this.n = n;
    }

    int rows() {
        return m;
    }

    int cols() {
        return n;
    }

    float[] data() {
        return w;
    }

    int offset() {
        return off;
    }

    /** out[0..m) = W x. */
    void multiply(float[] x, float[] out) {
        this.x = x;
        this.t = out;
        run(Pass.MULTIPLY);
    }

    /** out[0..n) = Wᵀ y. */
    void multiplyTransposed(float[] y, float[] out) {
        this.x = y;
        this.acc = out;
        run(Pass.TRANSPOSED);
    }

    /** t[0..m) = W x and acc[0..n) = Wᵀ t, reading W once. */
    void multiplyBoth(float[] x, float[] t, float[] acc) {
        this.x = x;
        this.t = t;
        this.acc = acc;
        run(Pass.BOTH);
    }

    /** t[0..m) = W x; returns ⟨G, W⟩ = Σ G_ij W_ij (float64), G stored like W at g[goff ..]. */
    double multiplyAndInner(float[] x, float[] t, float[] g, int goff) {
        this.x = x;
        this.t = t;
        this.g = g;
        this.goff = goff;
        return run(Pass.INNER);
    }

    /** out[oo + i·n + j] = s·X_ij for an m×n X at x[xo ..] (W itself or another operand of its shape). */
    void scale(float[] x, int xo, float s, float[] out, int oo) {
        this.g = x;
        this.goff = xo;
        this.gs = s;
        this.out = out;
        this.oo = oo;
        run(Pass.SCALE);
    }

    /**
     * out_ij = gs·G_ij + a_i·b_j + c_i·d_j (m×n, at out[oo ..]); G omitted when g is null, the second term
     * when c is null. W is not read.
     */
    void update(float[] g, int goff, float gs, float[] a, float[] b, float[] c, float[] d, float[] out, int oo) {
        this.g = g;
        this.goff = goff;
        this.gs = gs;
        this.x = a;
        this.b = b;
        this.c = c;
        this.d = d;
        this.out = out;
        this.oo = oo;
        run(Pass.UPDATE);
    }

    private double run(Pass p) {
        pass = p;
        if (blocks == null) {
            rows(0, 0, m);
        } else {
            int count = blocks.blocks(m);
            if (p == Pass.TRANSPOSED || p == Pass.BOTH) {
                ensurePartials(count);
            }
            blocks.run(this, m);
            if (p == Pass.TRANSPOSED || p == Pass.BOTH) {
                for (int k = 1; k < count; k++) {
                    float[] part = partials[k];
                    for (int j = 0; j < n; j++) {
                        acc[j] += part[j];
                    }
                }
            }
            if (p == Pass.INNER) {
                double total = 0;
                for (int k = 0; k < count; k++) {
                    total += sums[k];
                }
                return total;
            }
        }
        return sums[0];
    }

    private void ensurePartials(int count) {
        if (partials.length < count) {
            partials = Arrays.copyOf(partials, count);
        }
        for (int k = 1; k < count; k++) {
            if (partials[k] == null || partials[k].length < n) {
                partials[k] = new float[n];
            }
        }
    }

    @Override
    public void rows(int block, int from, int to) {
        switch (pass) {
            case MULTIPLY -> RowKernels.multiply(w, off, n, from, to, x, t);
            case TRANSPOSED -> RowKernels.accumulateTransposed(w, off, n, from, to, x, target(block));
            case BOTH -> RowKernels.multiplyAccumulate(w, off, n, from, to, x, t, target(block));
            case INNER -> sums[block] = RowKernels.multiplyAndInner(w, off, n, from, to, x, t, g, goff);
            case SCALE -> RowKernels.scale(g, goff, n, from, to, gs, out, oo);
            case UPDATE -> RowKernels.update(g, goff, gs, x, b, c, d, n, from, to, out, oo);
        }
    }

    /** The zeroed accumulator block {@code block} adds into: the result itself for block 0. */
    private float[] target(int block) {
        float[] a = block == 0 ? acc : partials[block];
        Arrays.fill(a, 0, n, 0f);
        return a;
    }
}
