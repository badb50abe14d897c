package dev.specnorm.api;

/**
 * How new power-iteration state starts (SPEC.md "Initial state"): u from the seeded generator
 * ({@link SeededGaussian}), normalized; v ← normalize(Wᵀu) (drawn from the same stream if Wᵀu = 0);
 * then {@code warmup} iterations.
 *
 * @param seed    the caller's seed (default 0)
 * @param warmup  iterations run when the state is created (default 15, as PyTorch's spectral-norm
 *                parametrization does)
 * @param vectors singular triplets tracked per matrix: 1 for σ₁, k for top-k by deflation
 */
public record PowerOptions(long seed, int warmup, int vectors) {

    /** Seed 0, 15 warm-up iterations, one vector. */
    public static final PowerOptions DEFAULT = new PowerOptions(0, 15, 1);

    /**
     * @throws IllegalArgumentException if warmup &lt; 0 or vectors &lt; 1
     */
    public PowerOptions {
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must be at least 0, got " + warmup);
        }
        if (vectors < 1) {
            throw new IllegalArgumentException("vectors must be at least 1, got " + vectors);
        }
    }

    /** These options with another seed. */
    public PowerOptions withSeed(long newSeed) {
        return new PowerOptions(newSeed, warmup, vectors);
    }

    /** These options with another warm-up count. */
    public PowerOptions withWarmup(int newWarmup) {
        return new PowerOptions(seed, newWarmup, vectors);
    }

    /** These options tracking {@code k} vectors (top-k). */
    public PowerOptions withVectors(int k) {
        return new PowerOptions(seed, warmup, k);
    }
}
