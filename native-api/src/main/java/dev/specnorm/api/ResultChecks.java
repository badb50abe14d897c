package dev.specnorm.api;

/**
 * The checks every engine applies to what it computed, so that a NaN or an overflow never becomes a silent
 * result (SPEC.md; issue "errors"). They inspect values the computation produced anyway; only when one
 * fails does {@link #inputIsFinite} pass over the data, to tell bad input from overflow.
 */
public final class ResultChecks {

    private ResultChecks() {
    }

    /**
     * Checks one σ̂: non-finite means the matrix held NaN or infinite entries; with 0 iterations a negative
     * value means stale state.
     *
     * @throws NonFiniteValueException if sigma is NaN or infinite
     * @throws StaleStateException     if iterations == 0 and sigma &lt; 0
     */
    public static void checkSigma(int matrix, float sigma, int iterations) {
        checkSigma(matrix, sigma, iterations, 0);
    }

    /**
     * Checks one σ̂ whose computed value may carry a rounding error up to {@code roundingBound}: with 0
     * iterations the state is stale only when σ̂ &lt; −roundingBound. A true σ̂ of 0 (W v = 0, or SRIP's
     * G = WᵀW − I = 0 for an orthogonal W) can round to a tiny negative number; that is a valid 0, not a
     * stale state. For a dot product of length n with ‖u‖ = 1 the bound is {@link #dotRoundingBound}.
     *
     * @throws NonFiniteValueException if sigma is NaN or infinite
     * @throws StaleStateException     if iterations == 0 and sigma &lt; −roundingBound
     */
    public static void checkSigma(int matrix, float sigma, int iterations, double roundingBound) {
        if (!Float.isFinite(sigma)) {
            throw new NonFiniteValueException(matrix, "σ̂ = " + sigma + ": the matrix holds NaN or infinite entries");
        }
        if (iterations == 0 && sigma < -roundingBound) {
            throw new StaleStateException(matrix, sigma);
        }
    }

    /**
     * γₙ·scale with γₙ = n·2⁻²⁴/(1 − n·2⁻²⁴) (Higham, "Accuracy and Stability of Numerical Algorithms",
     * 2nd ed., §3.1): the float32 rounding-error bound of a dot product xᵀy of length n whose terms have
     * absolute sum at most {@code scale} (for σ̂ = uᵀ(Wv) with ‖u‖ = 1: scale = ‖Wv‖·√n bounds |u|ᵀ|Wv|).
     */
    public static double dotRoundingBound(int n, double scale) {
        double nu = n * 0x1.0p-24;
        return nu / (1 - Math.min(nu, 0.5)) * scale;
    }

    /**
     * Rounds a value accumulated in double to float32, or throws if it is not representable.
     *
     * @param what        what the value is, for the message ("biggan loss")
     * @param inputFinite whether the matrix's entries are all finite (decides overflow versus bad input);
     *                    evaluated only when the value is bad
     */
    public static float toFloat(int matrix, double value, String what, java.util.function.BooleanSupplier inputFinite) {
        float f = (float) value;
        if (Float.isFinite(f)) {
            return f;
        }
        throw nonFinite(matrix, what + " = " + value, inputFinite.getAsBoolean());
    }

    /**
     * The exception for a non-finite result: {@link FloatOverflowException} when the input was finite,
     * {@link NonFiniteValueException} otherwise.
     */
    public static NonFiniteValueException nonFinite(int matrix, String found, boolean inputFinite) {
        return inputFinite
                ? new FloatOverflowException(matrix, found + " overflows float32 (the entries are finite but too large)")
                : new NonFiniteValueException(matrix, found + ": the matrix holds NaN or infinite entries");
    }

    /** Whether {@code data[offset .. offset+length)} is all finite. */
    public static boolean inputIsFinite(float[] data, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (!Float.isFinite(data[i])) {
                return false;
            }
        }
        return true;
    }
}
