package dev.specnorm.examples.conv;

import java.util.Objects;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * One convolution layer's norms side by side (SPEC.md, "Convolution operator norms"): the Lipschitz
 * constant ‖conv‖₂ of the layer as it runs (zero padding p, stride s, its real n×n input) by
 * {@link OperatorPowerIteration}; the exact norm of the stride-1 convolution with circular padding on the
 * same n×n input by {@link CircularConvolutionSpectrum} (Sedghi et al. 2019); and σ(W_FILTERS), the
 * largest singular value of the out × in·kh·kw reshaped kernel that spectral normalization divides by
 * (Miyato et al. 2018), all in float64. SPEC.md's bounds:
 * <pre>
 *   ‖conv‖₂ ≤ √(⌈kh/s⌉·⌈kw/s⌉) · σ(W_FILTERS)                       always;
 *   σ(W_FILTERS) ≤ ‖conv‖₂   when n ≥ kh + s⌈p/s⌉ − p (and likewise for the width)
 * </pre>
 * (some output position then sees a whole kernel window inside the input).
 */
public final class ConvolutionNorms {

    /**
     * The analysis of one layer.
     *
     * @param out               output channels
     * @param in                input channels
     * @param kh                kernel height
     * @param kw                kernel width
     * @param stride          s
     * @param padding         p (zeros)
     * @param inputSize       n (square input)
     * @param operatorNorm    ‖conv‖₂ (zero padding, stride s) by operator power iteration, a lower estimate
     * @param iterations      operator power iterations run
     * @param converged       whether they met the tolerance before the cap
     * @param circularNorm    ‖conv‖₂ with circular padding, stride 1, n×n input (Sedghi), exact
     * @param reshapedSigma   σ(W_FILTERS)
     * @param upperFactor     √(⌈kh/s⌉·⌈kw/s⌉)
     * @param lowerBoundApplies whether SPEC.md's condition for σ(W_FILTERS) ≤ ‖conv‖₂ holds
     */
    public record Layer(
            int out,
            int in,
            int kh,
            int kw,
            int stride,
            int padding,
            int inputSize,
            double operatorNorm,
            int iterations,
            boolean converged,
            double circularNorm,
            double reshapedSigma,
            double upperFactor,
            boolean lowerBoundApplies) {

        /** ‖conv‖₂ / σ(W_FILTERS): by how much the reshaped σ under-states the Lipschitz constant. */
        public double operatorRatio() {
            return operatorNorm / reshapedSigma;
        }

        /** Sedghi's circular norm / σ(W_FILTERS). */
        public double circularRatio() {
            return circularNorm / reshapedSigma;
        }

        /** Whether ‖conv‖₂ ≤ √(⌈kh/s⌉⌈kw/s⌉)·σ(W_FILTERS), up to {@code slack} relative. */
        public boolean upperBoundHolds(double slack) {
            return operatorNorm <= upperFactor * reshapedSigma * (1 + slack);
        }

        /** Whether σ(W_FILTERS) ≤ ‖conv‖₂ up to {@code slack} relative, where the condition applies (else true). */
        public boolean lowerBoundHolds(double slack) {
            return !lowerBoundApplies || reshapedSigma <= operatorNorm * (1 + slack);
        }
    }

    private ConvolutionNorms() {}

    /** √(⌈kh/s⌉·⌈kw/s⌉). */
    public static double upperBoundFactor(int kh, int kw, int stride) {
        return Math.sqrt((double) ceilDiv(kh, stride) * ceilDiv(kw, stride));
    }

    /** SPEC.md's condition for σ(W_FILTERS) ≤ ‖conv‖₂ with zero padding p: n ≥ k + s⌈p/s⌉ − p per side. */
    public static boolean lowerBoundApplies(int n, int kh, int kw, int stride, int padding) {
        int extra = stride * ceilDiv(padding, stride) - padding;
        return n >= kh + extra && n >= kw + extra;
    }

    /** σ₁ of the out × in·kh·kw FILTERS reshape, in float64. */
    public static double reshapedSigma(double[] weight, int out, int in, int kh, int kw) {
        int cols = in * kh * kw;
        DMatrixRMaj m = new DMatrixRMaj(out, cols);
        System.arraycopy(weight, 0, m.data, 0, out * cols);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(out, cols, false, false, true);
        if (!svd.decompose(m)) {
            throw new ArithmeticException("SVD failed");
        }
        double max = 0;
        for (double s : svd.getSingularValues()) {
            max = Math.max(max, s);
        }
        return max;
    }

    /**
     * Analyses one layer.
     *
     * @param weight        (out, in, kh, kw) row-major
     * @param n             the square input's side
     * @param seed          seed of the operator power iteration's start vector
     * @param tolerance     its stopping tolerance on the relative change
     * @param maxIterations its cap
     */
    public static Layer analyze(
            float[] weight,
            int out,
            int in,
            int kh,
            int kw,
            int stride,
            int padding,
            int n,
            long seed,
            double tolerance,
            int maxIterations) {
        Objects.requireNonNull(weight, "weight");
        double[] w = new double[weight.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = weight[i];
        }
        Convolution2d conv = new Convolution2d(w, out, in, kh, kw, stride, padding, n, n);
        OperatorPowerIteration.Result power = OperatorPowerIteration.run(conv, seed, tolerance, maxIterations);
        double circular = CircularConvolutionSpectrum.norm(w, out, in, kh, kw, n);
        return new Layer(
                out,
                in,
                kh,
                kw,
                stride,
                padding,
                n,
                power.sigma(),
                power.iterations(),
                power.converged(),
                circular,
                reshapedSigma(w, out, in, kh, kw),
                upperBoundFactor(kh, kw, stride),
                lowerBoundApplies(n, kh, kw, stride, padding));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
