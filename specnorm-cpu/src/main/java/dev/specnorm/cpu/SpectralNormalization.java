package dev.specnorm.cpu;

import dev.specnorm.api.Conventions;
import dev.specnorm.api.spi.ResultChecks;
import dev.specnorm.api.spi.SigmaEvidence;

/**
 * Spectral normalization (Miyato et al., "Spectral Normalization for Generative Adversarial Networks",
 * ICLR 2018) and the spectral-norm regularizer (Yoshida &amp; Miyato, "Spectral Norm Regularization for
 * Improving the Generalizability of Deep Learning", 2017, with R = λσ² in place of their (λ/2)σ²) of one matrix, given σ̂ and the
 * power-iteration vectors u, v:
 * <ul>
 *   <li>forward: Ŵ = W / max(σ̂, eps);</li>
 *   <li>backward with u, v constant, G = ∂L/∂Ŵ: ∂L/∂W = (G − ⟨G, Ŵ⟩ u vᵀ)/σ̂ when σ̂ &gt; eps, else G/eps,
 *       with σ̂ = uᵀWv recomputed in the same pass over W that computes ⟨G, W⟩ (⟨G, Ŵ⟩ = ⟨G, W⟩/σ̂);</li>
 *   <li>regularizer: R = λσ̂², ∂R/∂W = 2λσ̂ u vᵀ (Yoshida &amp; Miyato write (λ/2)σ²).</li>
 * </ul>
 */
final class SpectralNormalization {

    private static final double EPS = Conventions.EPS;

    private SpectralNormalization() {}

    /** Writes Ŵ = W / max(σ̂, eps) of the bound matrix (in an array or a buffer) to out[oo ..]. */
    static void forward(int k, MatrixPasses w, float sigma, float[] out, int oo) {
        double s = 1 / Math.max(sigma, EPS);
        w.scaleBound((float) s, out, oo);
        Checks.output(k, "Ŵ", out, oo, w.rows() * w.cols(), s > 1, w::isFinite);
    }

    /**
     * Writes ∂L/∂W of the bound matrix to out[oo ..], for G = g[goff ..] and state vectors u (length m),
     * v (length n); t and a are work vectors of length m; σ̂ is checked with the call's {@code evidence}.
     */
    static void backward(
            int k,
            MatrixPasses w,
            float[] u,
            float[] v,
            float[] g,
            int goff,
            float[] out,
            int oo,
            float[] t,
            float[] a,
            SigmaEvidence evidence) {
        int m = w.rows();
        int len = m * w.cols();
        double inner = w.multiplyAndInner(v, t, g, goff);
        float sigma = (float) Vectors.dot(u, 0, t, 0, m);
        ResultChecks.checkComputedSigma(k, sigma, true, evidence);
        if (!Double.isFinite(inner)) {
            throw ResultChecks.nonFinite(k, "⟨G, W⟩ = " + inner, ResultChecks.inputIsFinite(g, goff, len));
        }
        if (sigma > EPS) {
            double s = 1.0 / sigma;
            double c = inner * s * s;
            for (int i = 0; i < m; i++) {
                a[i] = (float) (-c * u[i]);
            }
            w.update(g, goff, (float) s, a, v, null, null, out, oo);
            // |s·G_ij| ≤ |G_ij| when s ≤ 1, and a finite float plus at most 1 cannot overflow
            boolean mayOverflow = s > 1 || !(Vectors.maxAbs(a, m) * Vectors.maxAbs(v, w.cols()) <= 1);
            Checks.output(k, "∂L/∂W", out, oo, len, mayOverflow, Checks.finite(g, goff, len));
        } else {
            w.scale(g, goff, (float) (1 / EPS), out, oo);
            Checks.output(k, "∂L/∂W", out, oo, len, true, Checks.finite(g, goff, len));
        }
    }

    /**
     * R = λσ̂² of the bound matrix (float64, checked to fit float32); writes ∂R/∂W = 2λσ̂ u vᵀ to out[oo ..]
     * unless out is null; a is a work vector of length m.
     */
    static double regularizer(
            int k, MatrixPasses w, float lambda, float sigma, float[] u, float[] v, float[] out, int oo, float[] a) {
        int m = w.rows();
        int len = m * w.cols();
        double loss = (double) lambda * sigma * sigma;
        ResultChecks.toFloat(k, loss, "spectral regularizer", w::isFinite);
        if (out != null) {
            double coefficient = 2.0 * lambda * sigma;
            for (int i = 0; i < m; i++) {
                a[i] = (float) (coefficient * u[i]);
            }
            w.update(null, 0, 0, a, v, null, null, out, oo);
            Checks.output(
                    k,
                    "regularizer gradient",
                    out,
                    oo,
                    len,
                    Checks.mayOverflow(Vectors.maxAbs(a, m) * Vectors.maxAbs(v, w.cols())),
                    w::isFinite);
        }
        return loss;
    }
}
