package dev.specnorm.cpu;

import dev.specnorm.api.spi.ResultChecks;
import java.util.function.BooleanSupplier;

/**
 * The engine's uses of {@link ResultChecks}: σ̂ (non-finite: bad input or overflow; 0 iterations and
 * σ̂ &lt; 0: stale state) and outputs that could overflow. Outputs are scanned only when a bound computed
 * from their factors says that they might exceed float32.
 */
final class Checks {

    /** Products bounded by this cannot overflow, even added to another such term. */
    private static final double SAFE = Float.MAX_VALUE * 0.5;

    private Checks() {}

    /**
     * Checks σ̂ of matrix k, whose entries are w[off .. off+len).
     *
     * @param stale whether a negative σ̂ means stale state (0 iterations on the leading vector)
     */
    static void sigma(int k, float sigma, boolean stale, float[] w, int off, int len) {
        if (!Float.isFinite(sigma)) {
            throw ResultChecks.nonFinite(k, "σ̂ = " + sigma, ResultChecks.inputIsFinite(w, off, len));
        }
        ResultChecks.checkSigma(k, sigma, stale ? 0 : 1);
    }

    /**
     * σ̂ = uᵀAv evaluated with 0 iterations, or 0 when it is negative within the rounding error of its
     * evaluation ({@link ResultChecks#evaluationRoundingBound}, computed only for a negative σ̂).
     */
    static float roundingZero(
            float sigma,
            boolean gram,
            float[] w,
            int off,
            int m,
            int n,
            float[] u,
            int uo,
            int ul,
            float[] v,
            int vo,
            int vl) {
        if (!(sigma < 0) || !Float.isFinite(sigma)) {
            return sigma;
        }
        double frobenius = Vectors.dot(w, off, w, off, m * n);
        double bound = ResultChecks.evaluationRoundingBound(
                m,
                n,
                Math.sqrt(Vectors.dot(u, uo, u, uo, ul)),
                Math.sqrt(Vectors.dot(v, vo, v, vo, vl)),
                gram ? frobenius + 1 : Math.sqrt(frobenius));
        return ResultChecks.zeroWithinRounding(sigma, bound);
    }

    /** Whether a product bounded by {@code bound} (possibly infinite or NaN) might overflow float32. */
    static boolean mayOverflow(double bound) {
        return !(bound <= SAFE);
    }

    /**
     * Checks the output out[off .. off+len) of matrix k for values that overflowed, when
     * {@code mayOverflow} (decided from bounds of the output's factors) says that some might have.
     */
    static void output(
            int k, String what, float[] out, int off, int len, boolean mayOverflow, BooleanSupplier inputFinite) {
        if (!mayOverflow) {
            return;
        }
        for (int i = off; i < off + len; i++) {
            if (!Float.isFinite(out[i])) {
                throw ResultChecks.nonFinite(
                        k, what + " entry " + (i - off) + " = " + out[i], inputFinite.getAsBoolean());
            }
        }
    }

    /** The input check {@link ResultChecks#toFloat} and {@link #output} ask for. */
    static BooleanSupplier finite(float[] x, int off, int len) {
        return () -> ResultChecks.inputIsFinite(x, off, len);
    }

    /** The input check for two operands of the same matrix. */
    static BooleanSupplier finite(float[] x, int xo, float[] y, int yo, int len) {
        return () -> ResultChecks.inputIsFinite(x, xo, len) && ResultChecks.inputIsFinite(y, yo, len);
    }
}
