package dev.specnorm.examples.conv;

import dev.specnorm.api.SeededGaussian;

/**
 * ‖conv‖₂ by power iteration on the convolution operator itself (Gouk, Frank, Pfahringer &amp; Cree,
 * "Regularisation of neural networks by enforcing Lipschitz continuity", Machine Learning 110, 2021,
 * Algorithm 2): x ← convᵀ(conv(x)) / ‖convᵀ(conv(x))‖, with σ̂ = ‖conv(x)‖ for the unit x. Each σ̂ is a lower
 * bound of ‖conv‖₂ and never decreases; iteration stops when |σ̂ₖ − σ̂ₖ₋₁| &lt; tol·σ̂ₖ or at the cap, and the
 * result says which. Any padding and stride (the operator is {@link Convolution2d}). The start vector is
 * N(0, 1) from {@link SeededGaussian} (seed, stream 0), so results are reproducible.
 */
public final class OperatorPowerIteration {

    /** The default tolerance on the relative change of σ̂. */
    public static final double DEFAULT_TOLERANCE = 1e-6;

    /**
     * The outcome.
     *
     * @param sigma          σ̂ ≤ ‖conv‖₂
     * @param iterations     iterations run
     * @param converged      whether the relative change fell below the tolerance before the cap
     * @param relativeChange the last relative change |σ̂ₖ − σ̂ₖ₋₁| / σ̂ₖ
     */
    public record Result(double sigma, int iterations, boolean converged, double relativeChange) {}

    private OperatorPowerIteration() {}

    /**
     * Runs power iteration on {@code conv}.
     *
     * @param tolerance     relative change at which to stop, &gt; 0
     * @param maxIterations the cap, ≥ 1
     */
    public static Result run(Convolution2d conv, long seed, double tolerance, int maxIterations) {
        if (!(tolerance > 0) || maxIterations < 1) {
            throw new IllegalArgumentException("tolerance must be > 0 and maxIterations >= 1");
        }
        double[] x = new double[conv.inputLength()];
        SeededGaussian g = new SeededGaussian(seed, 0);
        for (int i = 0; i < x.length; i++) {
            x[i] = g.nextGaussian();
        }
        scale(x, 1 / norm(x));
        double sigma = 0;
        double change = Double.POSITIVE_INFINITY;
        for (int k = 1; k <= maxIterations; k++) {
            double[] y = conv.apply(x);
            double next = norm(y);
            change = next == 0 ? 0 : Math.abs(next - sigma) / next;
            sigma = next;
            if (next == 0 || change < tolerance) {
                return new Result(sigma, k, true, change);
            }
            double[] z = conv.applyTranspose(y);
            scale(z, 1 / norm(z));
            x = z;
        }
        return new Result(sigma, maxIterations, false, change);
    }

    static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static void scale(double[] x, double s) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= s;
        }
    }
}
