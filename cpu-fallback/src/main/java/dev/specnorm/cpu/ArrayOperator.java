package dev.specnorm.cpu;

import dev.specnorm.api.ResultChecks;
import dev.specnorm.api.spi.GolubKahanLanczos;

/** An m×n matrix at w[wo .. wo + m·n) as {@link GolubKahanLanczos}'s operator, with float64 products. */
final class ArrayOperator implements GolubKahanLanczos.Operator {

    private final float[] w;
    private final int wo;
    private final int m;
    private final int n;

    ArrayOperator(float[] w, int wo, int m, int n) {
        this.w = w;
        this.wo = wo;
        this.m = m;
        this.n = n;
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
        for (int i = 0; i < m; i++) {
            int o = wo + i * n;
            double s0 = 0;
            double s1 = 0;
            int j = 0;
            for (; j + 1 < n; j += 2) {
                s0 += w[o + j] * x[xo + j];
                s1 += w[o + j + 1] * x[xo + j + 1];
            }
            if (j < n) {
                s0 += w[o + j] * x[xo + j];
            }
            out[i] = s0 + s1;
        }
    }

    @Override
    public void multiplyTransposed(double[] y, int yo, double[] out) {
        java.util.Arrays.fill(out, 0, n, 0.0);
        for (int i = 0; i < m; i++) {
            int o = wo + i * n;
            double c = y[yo + i];
            for (int j = 0; j < n; j++) {
                out[j] += c * w[o + j];
            }
        }
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
