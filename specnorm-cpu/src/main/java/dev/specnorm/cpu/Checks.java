package dev.specnorm.cpu;

import dev.specnorm.api.spi.ResultChecks;
import java.nio.FloatBuffer;
import java.util.function.BooleanSupplier;

/**
 * The engine's output checks over {@link ResultChecks}: outputs that could overflow are scanned only when
 * a bound computed from their factors says that they might exceed float32 (σ̂ is checked by
 * {@link ResultChecks#checkSigmas} with an {@link HostSigmaEvidence}).
 */
final class Checks {

    /** Products bounded by this cannot overflow, even added to another such term. */
    private static final double SAFE = Float.MAX_VALUE * 0.5;

    private Checks() {}

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

    /** {@link #output} of an output that lies in a buffer, at out[off .. off+len). */
    static void output(
            int k, String what, FloatBuffer out, int off, int len, boolean mayOverflow, BooleanSupplier inputFinite) {
        if (!mayOverflow) {
            return;
        }
        for (int i = off; i < off + len; i++) {
            float x = out.get(i);
            if (!Float.isFinite(x)) {
                throw ResultChecks.nonFinite(k, what + " entry " + (i - off) + " = " + x, inputFinite.getAsBoolean());
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
