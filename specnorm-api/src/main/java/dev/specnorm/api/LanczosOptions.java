package dev.specnorm.api;

/**
 * Options of the Lanczos σ₁ solver (SPEC.md "Lanczos").
 *
 * @param tolerance relative tolerance: stop when the residual bound ≤ tolerance·σ̂₁ (default 1e-6)
 * @param maxSteps  maximum number of Lanczos steps (default 300; a run also stops at min(m, n) + 1 steps, where the Krylov space is exhausted)
 * @param seed      seed of the start vector's stream ({@link SeededGaussian}, default 0)
 */
public record LanczosOptions(double tolerance, int maxSteps, long seed) {

    /** The defaults: tolerance 1e-6, 300 steps, seed 0. */
    public static final LanczosOptions DEFAULT = new LanczosOptions(1e-6, 300, 0);

    /**
     * @throws IllegalArgumentException if tolerance is not in (0, 1) or maxSteps &lt; 1
     */
    public LanczosOptions {
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be at least 1, got " + maxSteps);
        }
    }
}
