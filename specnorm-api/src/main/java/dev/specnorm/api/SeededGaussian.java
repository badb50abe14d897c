package dev.specnorm.api;

/**
 * The documented generator of initial power-iteration and Lanczos vectors, identical on every backend
 * (SPEC.md "Initial state"): one stream of N(0, 1) values per matrix, derived from the caller's seed and
 * the matrix index (its position in the flattened batch or list).
 *
 * <p>The stream is SplitMix64 (Steele, Lea &amp; Flood, "Fast splittable pseudorandom number generators",
 * OOPSLA 2014) with Stafford's "Mix13" finalizer {@code mix}, started at
 * {@code s₀ = mix(mix(seed) + index·γ)}, γ = 0x9E3779B97F4A7C15; each draw sets s ← s + γ and returns
 * mix(s). A uniform is {@code (draw >>> 11)·2⁻⁵³} ∈ [0, 1). Normals come in Box–Muller pairs from two
 * uniforms a, b: r = √(−2 ln(1 − a)), z₀ = r cos 2πb, z₁ = r sin 2πb, evaluated with {@link StrictMath}
 * so that every JVM gives the same bits, then rounded to float32. A stream of odd length drops the last
 * z₁. This is easy to reproduce in NumPy with uint64 arithmetic.
 */
public final class SeededGaussian {

    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final double TWO_PI = 2 * Math.PI;

    private long state;
    private double spare;
    private boolean hasSpare;

    /** The stream of matrix {@code index} for {@code seed}. */
    public SeededGaussian(long seed, long index) {
        this.state = mix(mix(seed) + index * GAMMA);
    }

    /**
     * The stream of matrix {@code k} of a call whose first matrix has flattened index {@code firstIndex}: the
     * stream of index firstIndex + k ({@link PowerOptions#firstIndex}, {@link LanczosOptions#firstIndex}). The
     * sum is taken modulo 2⁶⁴, as the index·γ it enters is, so no index overflows.
     */
    public static SeededGaussian ofMatrix(long seed, long firstIndex, int k) {
        return new SeededGaussian(seed, firstIndex + k);
    }

    /** Checks an options record's first index. */
    static void requireFirstIndex(long firstIndex) {
        if (firstIndex < 0) {
            throw new IllegalArgumentException("firstIndex must be at least 0, got " + firstIndex);
        }
    }

    /** The next N(0, 1) value, in double precision. */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double a = nextUniform();
        double b = nextUniform();
        double r = StrictMath.sqrt(-2 * StrictMath.log(1 - a));
        spare = r * StrictMath.sin(TWO_PI * b);
        hasSpare = true;
        return r * StrictMath.cos(TWO_PI * b);
    }

    /** Fills {@code out[offset..offset+length)} with the next {@code length} values, rounded to float32. */
    public void fill(float[] out, int offset, int length) {
        for (int i = 0; i < length; i++) {
            out[offset + i] = (float) nextGaussian();
        }
    }

    /** The next uniform in [0, 1). */
    double nextUniform() {
        state += GAMMA;
        return (mix(state) >>> 11) * 0x1.0p-53;
    }

    /** Stafford's Mix13 finalizer, as in SplitMix64. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
