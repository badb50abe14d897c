package dev.specnorm.api;

/**
 * How new power-iteration state starts (SPEC.md "Initial state"): u from the seeded generator
 * ({@link SeededGaussian}), normalized; v ← normalize(Wᵀu) (drawn from the same stream if Wᵀu = 0);
 * then {@code warmup} iterations. Matrix k of the call (its position in the flattened list of batches)
 * draws from the stream of flattened index {@code firstIndex + k} ({@link SeededGaussian#ofMatrix}), so
 * a part of a larger list, passed alone with {@code firstIndex} = the index of its first matrix in that
 * list, starts from the same vectors as it does inside the whole list.
 *
 * @param seed       the caller's seed (default 0)
 * @param warmup     iterations run when the state is created (default 15, as PyTorch's spectral-norm
 *                   parametrization does)
 * @param vectors    singular triplets tracked per matrix: 1 for σ₁, k for top-k by deflation
 * @param firstIndex the flattened index of the call's first matrix (default 0)
 */
public record PowerOptions(long seed, int warmup, int vectors, long firstIndex) {

    /** Seed 0, 15 warm-up iterations, one vector, first index 0. */
    public static final PowerOptions DEFAULT = new PowerOptions(0, 15, 1, 0);

    /**
     * @throws IllegalArgumentException if warmup &lt; 0, vectors &lt; 1 or firstIndex &lt; 0
     */
    public PowerOptions {
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must be at least 0, got " + warmup);
        }
        if (vectors < 1) {
            throw new IllegalArgumentException("vectors must be at least 1, got " + vectors);
        }
        SeededGaussian.requireFirstIndex(firstIndex);
    }

    /** Options whose first matrix has flattened index 0. */
    public PowerOptions(long seed, int warmup, int vectors) {
        this(seed, warmup, vectors, 0);
    }

    /** These options with another seed. */
    public PowerOptions withSeed(long newSeed) {
        return new PowerOptions(newSeed, warmup, vectors, firstIndex);
    }

    /** These options with another warm-up count. */
    public PowerOptions withWarmup(int newWarmup) {
        return new PowerOptions(seed, newWarmup, vectors, firstIndex);
    }

    /** These options tracking {@code k} vectors (top-k). */
    public PowerOptions withVectors(int k) {
        return new PowerOptions(seed, warmup, k, firstIndex);
    }

    /** These options for a call whose first matrix has flattened index {@code index}. */
    public PowerOptions withFirstIndex(long index) {
        return new PowerOptions(seed, warmup, vectors, index);
    }
}
