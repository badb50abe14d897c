package dev.specnorm.api;

/**
 * Options of the Lanczos σ₁ solver (SPEC.md "Lanczos"). Matrix k of the call (its position in the
 * flattened list of batches) starts from the stream of flattened index {@code firstIndex + k}
 * ({@link SeededGaussian#ofMatrix}), so a part of a larger list, passed alone with {@code firstIndex} = the
 * index of its first matrix in that list, gets the same estimates as inside the whole list.
 *
 * @param tolerance  relative tolerance: stop when the residual bound ≤ tolerance·σ̂₁ (default 1e-6)
 * @param maxSteps   maximum number of Lanczos steps (default 300; a run also stops at min(m, n) + 1 steps, where the Krylov space is exhausted)
 * @param seed       seed of the start vector's stream ({@link SeededGaussian}, default 0)
 * @param firstIndex the flattened index of the call's first matrix (default 0)
 */
public record LanczosOptions(double tolerance, int maxSteps, long seed, long firstIndex) {

    /** The defaults: tolerance 1e-6, 300 steps, seed 0, first index 0. */
    public static final LanczosOptions DEFAULT = new LanczosOptions(1e-6, 300, 0, 0);

    /**
     * @throws IllegalArgumentException if tolerance is not in (0, 1), maxSteps &lt; 1 or firstIndex &lt; 0
     */
    public LanczosOptions {
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be at least 1, got " + maxSteps);
        }
        SeededGaussian.requireFirstIndex(firstIndex);
    }

    /** Options whose first matrix has flattened index 0. */
    public LanczosOptions(double tolerance, int maxSteps, long seed) {
        this(tolerance, maxSteps, seed, 0);
    }

    /** These options with another seed. */
    public LanczosOptions withSeed(long newSeed) {
        return new LanczosOptions(tolerance, maxSteps, newSeed, firstIndex);
    }

    /** These options for a call whose first matrix has flattened index {@code index}. */
    public LanczosOptions withFirstIndex(long index) {
        return new LanczosOptions(tolerance, maxSteps, seed, index);
    }
}
