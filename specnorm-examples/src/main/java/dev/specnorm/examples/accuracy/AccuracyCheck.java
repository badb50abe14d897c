package dev.specnorm.examples.accuracy;

import dev.specnorm.api.Backends;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.SpectralBackend;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How close estimates σ̂ of the spectral norm (from power iteration, Lanczos, any backend) are to the exact
 * σ = σ₁(W), computed from an exact SVD by the CPU backend: per matrix the absolute error |σ̂ − σ|, the
 * relative error |σ̂ − σ|/σ, and whether σ̂ ≤ σ(1 + 10⁻⁶), the bound power iteration must respect up to
 * rounding (a Rayleigh quotient uᵀWv with unit u, v never exceeds σ₁; Miyato et al. 2018; SPEC.md
 * "Bounds and convergence"); and a summary (largest and median relative error).
 */
public final class AccuracyCheck {

    /** The slack of the upper bound: σ̂ ≤ σ·(1 + {@value}). */
    public static final double UPPER_BOUND_SLACK = 1e-6;

    private AccuracyCheck() {}

    /**
     * One matrix.
     *
     * @param matrix           its position in the flattened batch or list
     * @param estimate         σ̂
     * @param exact            σ = σ₁(W)
     * @param absoluteError    |σ̂ − σ|
     * @param relativeError    |σ̂ − σ| / σ; 0 when both are 0, +∞ when only σ is 0
     * @param withinUpperBound whether σ̂ ≤ σ·(1 + {@value #UPPER_BOUND_SLACK})
     */
    public record Row(
            int matrix,
            float estimate,
            float exact,
            double absoluteError,
            double relativeError,
            boolean withinUpperBound) {}

    /**
     * The comparison of every matrix.
     *
     * @param rows                   one per matrix, in order
     * @param maxRelativeError       the largest relative error
     * @param medianRelativeError    the median relative error (mean of the middle two for an even count)
     * @param allWithinUpperBound    whether every σ̂ respects the upper bound
     */
    public record Report(
            List<Row> rows, double maxRelativeError, double medianRelativeError, boolean allWithinUpperBound) {

        /** @throws NullPointerException if rows is null */
        public Report {
            rows = List.copyOf(rows);
        }
    }

    /**
     * Compares {@code estimates} (one per matrix of the flattened list) with the exact σ of
     * {@code weights} (host {@link MatrixBatch}es or CPU buffers), computed by a CPU engine.
     *
     * @throws IllegalArgumentException if the counts differ or the list is empty
     */
    public static Report check(List<? extends Matrices> weights, float[] estimates) {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(estimates, "estimates");
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("weights must not be empty");
        }
        long count = 0;
        for (Matrices m : weights) {
            count += Objects.requireNonNull(m, "weights entry").shape().batch();
        }
        if (count != estimates.length) {
            throw new IllegalArgumentException(
                    "weights hold " + count + " matrices, estimates has " + estimates.length);
        }
        try (SpectralBackend cpu = Backends.open("cpu")) {
            return compare(estimates, cpu.spectralNorm(List.copyOf(weights)));
        }
    }

    /**
     * Compares {@code estimates} with exact values {@code exact} computed elsewhere.
     *
     * @throws IllegalArgumentException if the lengths differ or are 0
     */
    public static Report compare(float[] estimates, float[] exact) {
        Objects.requireNonNull(estimates, "estimates");
        Objects.requireNonNull(exact, "exact");
        if (estimates.length != exact.length || exact.length == 0) {
            throw new IllegalArgumentException("need as many estimates as exact values, at least one; got "
                    + estimates.length + " and " + exact.length);
        }
        Row[] rows = new Row[exact.length];
        double[] relative = new double[exact.length];
        boolean all = true;
        for (int k = 0; k < rows.length; k++) {
            double sigma = exact[k];
            double estimate = estimates[k];
            double absolute = Math.abs(estimate - sigma);
            double rel = sigma > 0 ? absolute / sigma : absolute == 0 ? 0 : Double.POSITIVE_INFINITY;
            boolean within = estimate <= sigma * (1 + UPPER_BOUND_SLACK);
            rows[k] = new Row(k, estimates[k], exact[k], absolute, rel, within);
            relative[k] = rel;
            all &= within;
        }
        Arrays.sort(relative);
        int n = relative.length;
        double median = n % 2 == 1 ? relative[n / 2] : 0.5 * (relative[n / 2 - 1] + relative[n / 2]);
        return new Report(List.of(rows), relative[n - 1], median, all);
    }
}
