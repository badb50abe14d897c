package dev.specnorm.cpu;

import dev.specnorm.api.spi.GolubKahanLanczos;
import dev.specnorm.api.spi.ResultChecks;

/**
 * An m×n matrix at w[wo .. wo + m·n) as {@link GolubKahanLanczos}'s operator, with float64 products
 * ({@link DoubleRowKernels}); bound to one matrix at a time and kept by its participant from call to call
 * ({@link LanczosCalls}). With row blocks (a matrix processed alone), W x is split by rows and Wᵀy by columns
 * across the engine's threads; every output entry is computed by the same loop in the same order either
 * way, so the results are identical for any thread count. Not thread-safe: one participant uses it.
 */
final class ArrayOperator implements GolubKahanLanczos.Operator {

    private float[] w;
    private int wo;
    private int m;
    private int n;
    private CpuThreads.RowBlocks blocks;
    private double[] in;
    private int inOffset;
    private double[] result;
    private final CpuThreads.RowBody rowsBody = this::multiplyRows;
    private final CpuThreads.RowBody colsBody = this::multiplyColumns;

    /** Splits the following products with {@code blocks}, or runs them on the calling thread when null. */
    void useBlocks(CpuThreads.RowBlocks blocks) {
        this.blocks = blocks;
    }

    /** Binds the operator to W = w[wo .. wo + m·n). */
    void bind(float[] w, int wo, int m, int n) {
        this.w = w;
        this.wo = wo;
        this.m = m;
        this.n = n;
    }

    /** Drops the reference to the bound matrix (the operator keeps no caller data between calls). */
    void unbind() {
        this.w = null;
    }

    @Override
    public int rows() {
        return m;
    }

    @Override
    public int cols() {
        return n;
    }

    @Override
    public void multiply(double[] x, int xo, double[] out) {
        if (blocks == null) {
            DoubleRowKernels.multiply(w, wo, n, 0, m, x, xo, out);
            return;
        }
        in = x;
        inOffset = xo;
        result = out;
        try {
            blocks.run(rowsBody, m);
        } finally {
            in = null;
            result = null;
        }
    }

    private void multiplyRows(int block, int from, int to) {
        DoubleRowKernels.multiply(w, wo, n, from, to, in, inOffset, result);
    }

    @Override
    public void multiplyTransposed(double[] y, int yo, double[] out) {
        if (blocks == null) {
            DoubleRowKernels.multiplyTransposed(w, wo, m, n, 0, n, y, yo, out);
            return;
        }
        in = y;
        inOffset = yo;
        result = out;
        try {
            blocks.run(colsBody, n);
        } finally {
            in = null;
            result = null;
        }
    }

    /** Columns [from, to) of Wᵀy, accumulated over the rows in order. */
    private void multiplyColumns(int block, int from, int to) {
        DoubleRowKernels.multiplyTransposed(w, wo, m, n, from, to, in, inOffset, result);
    }

    @Override
    public int largestRow() {
        return GolubKahanLanczos.largestRow(w, wo, m, n);
    }

    @Override
    public void row(int i, double[] out) {
        for (int j = 0; j < n; j++) {
            out[j] = w[wo + i * n + j];
        }
    }

    @Override
    public boolean isFinite() {
        return ResultChecks.inputIsFinite(w, wo, m * n);
    }
}
