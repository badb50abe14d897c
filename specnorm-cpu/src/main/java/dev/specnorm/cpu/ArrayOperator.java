package dev.specnorm.cpu;

import dev.specnorm.api.spi.GolubKahanLanczos;
import dev.specnorm.api.spi.ResultChecks;

/**
 * An m×n matrix at w[wo .. wo + m·n) as {@link GolubKahanLanczos}'s operator, with float64 products
 * ({@link DoubleRowKernels}). With
 * row blocks (a matrix processed alone), W x is split by rows and Wᵀy by columns across the engine's
 * threads; every output entry is computed by the same loop in the same order either way, so the results
 * are identical for any thread count.
 */
final class ArrayOperator implements GolubKahanLanczos.Operator {

    private final float[] w;
    private final int wo;
    private final int m;
    private final int n;
    private final CpuThreads.RowBlocks blocks;
    private double[] in;
    private int inOffset;
    private double[] result;
    private final CpuThreads.RowBody rowsBody = this::multiplyRows;
    private final CpuThreads.RowBody colsBody = this::multiplyColumns;

    ArrayOperator(float[] w, int wo, int m, int n) {
        this(w, wo, m, n, null);
    }

    /** @param blocks the threads to split the products across, or null for the calling thread alone */
    ArrayOperator(float[] w, int wo, int m, int n, CpuThreads.RowBlocks blocks) {
        this.w = w;
        this.wo = wo;
        this.m = m;
        this.n = n;
        this.blocks = blocks;
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
