package dev.specnorm.cpu;

import dev.specnorm.api.spi.ResultChecks;

/**
 * Spectral restricted isometry property regularization (Bansal, Chen &amp; Wang, "Can We Gain More from
 * Orthogonality Regularizations in Training Deep CNNs?", NeurIPS 2018) of one matrix, given power-iteration
 * vectors u, v ∈ Rʳ on G = the smaller Gram matrix minus the identity (r = min(m, n)) and σ̂ = uᵀGv:
 * R = β uᵀGv, and with u, v constant
 * ∂R/∂W = β (u vᵀ + v uᵀ) W when G = WWᵀ − Iₘ (m ≤ n), β W (u vᵀ + v uᵀ) when G = WᵀW − Iₙ (m &gt; n).
 * The gradient is a rank-two matrix: row i is β(u_i (Wᵀv)ᵀ + v_i (Wᵀu)ᵀ), respectively
 * β((Wu)_i vᵀ + (Wv)_i uᵀ), so it takes two passes over W and one over the output.
 */
final class Srip {

    private Srip() {}

    /**
     * R = β·σ̂ of the bound matrix (float64, checked to fit float32); writes ∂R/∂W to out[oo ..] unless out is null. Work vectors: x, y of
     * length max(m, n), a, c of length max(m, n).
     */
    static double penalty(
            int k,
            MatrixPasses w,
            float beta,
            float sigma,
            float[] u,
            float[] v,
            float[] out,
            int oo,
            float[] x,
            float[] y,
            float[] a,
            float[] c) {
        int m = w.rows();
        int n = w.cols();
        int len = m * n;
        double loss = (double) beta * sigma;
        ResultChecks.toFloat(k, loss, "srip loss", w::isFinite);
        if (out == null) {
            return loss;
        }
        float[] b;
        float[] d;
        if (m <= n) {
            w.multiplyTransposed(v, x);
            w.multiplyTransposed(u, y);
            scale(u, beta, a, m);
            scale(v, beta, c, m);
            b = x;
            d = y;
        } else {
            w.multiply(u, x);
            w.multiply(v, y);
            scale(x, beta, a, m);
            scale(y, beta, c, m);
            b = v;
            d = u;
        }
        w.update(null, 0, 0, a, b, c, d, out, oo);
        double bound = Vectors.maxAbs(a, m) * Vectors.maxAbs(b, n) + Vectors.maxAbs(c, m) * Vectors.maxAbs(d, n);
        Checks.output(k, "srip gradient", out, oo, len, Checks.mayOverflow(bound), w::isFinite);
        return loss;
    }

    private static void scale(float[] src, float beta, float[] dst, int len) {
        for (int i = 0; i < len; i++) {
            dst[i] = beta * src[i];
        }
    }
}
