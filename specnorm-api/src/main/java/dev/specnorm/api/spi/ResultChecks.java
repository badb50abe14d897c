package dev.specnorm.api.spi;

import dev.specnorm.api.FloatOverflowException;
import dev.specnorm.api.NonFiniteValueException;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.StaleStateException;
import java.util.function.BooleanSupplier;

/**
 * The checks every engine applies to what it computed, so that a NaN or an overflow never becomes a silent
 * result (SPEC.md, "Errors"). They inspect values the computation produced anyway; only when one
 * fails does {@link #inputIsFinite} pass over the data, to tell bad input from overflow.
 */
public final class ResultChecks {

    private ResultChecks() {}

    /**
     * Checks one σ̂: non-finite means the matrix held NaN or infinite entries; with 0 iterations a negative
     * value means stale state.
     *
     * @throws NonFiniteValueException if sigma is NaN or infinite
     * @throws StaleStateException     if iterations == 0 and sigma &lt; 0
     */
    public static void checkSigma(int matrix, float sigma, int iterations) {
        if (!Float.isFinite(sigma)) {
            throw new NonFiniteValueException(matrix, "σ̂ = " + sigma + ": the matrix holds NaN or infinite entries");
        }
        if (iterations == 0 && sigma < 0) {
            throw new StaleStateException(matrix, sigma);
        }
    }

    /**
     * The σ̂ checks of one matrix k, on sigma[so .. so + vectors) in place, in SPEC.md's order: when the call
     * only evaluated (0 iterations, stored state), a negative leading σ̂ within the rounding bound of its
     * evaluation becomes 0 ({@link #evaluationRoundingBound}, {@link #zeroWithinRounding}); then every σ̂ must
     * be finite (else {@link NonFiniteValueException}, saying whether W held non-finite entries) and, when
     * evaluated, the leading one non-negative (else {@link StaleStateException}).
     *
     * @param evaluated whether σ̂ was evaluated from the stored vectors without iterating
     * @param gram      whether the operator is SRIP's G = (Gram of W) − I rather than W
     * @param m         the rows of W
     * @param n         the columns of W
     * @param evidence  what the checks may ask about matrix k, only when they need it
     */
    public static void checkSigmas(
            int k,
            float[] sigma,
            int so,
            int vectors,
            boolean evaluated,
            boolean gram,
            int m,
            int n,
            SigmaEvidence evidence) {
        if (evaluated && sigma[so] < 0 && Float.isFinite(sigma[so])) {
            double frobenius = evidence.frobeniusSquared(k);
            double bound = evaluationRoundingBound(
                    m, n, evidence.normU(k), evidence.normV(k), gram ? frobenius + 1 : Math.sqrt(frobenius));
            sigma[so] = zeroWithinRounding(sigma[so], bound);
        }
        for (int j = 0; j < vectors; j++) {
            checkComputedSigma(k, sigma[so + j], evaluated && j == 0, evidence);
        }
    }

    /**
     * Checks one computed σ̂: non-finite is bad input or overflow (the evidence tells which); when
     * {@code stale} (evaluated from stored vectors), a negative value means the state no longer matches W.
     *
     * @throws NonFiniteValueException if sigma is NaN or infinite
     * @throws StaleStateException     if stale and sigma &lt; 0
     */
    public static void checkComputedSigma(int k, float sigma, boolean stale, SigmaEvidence evidence) {
        if (!Float.isFinite(sigma)) {
            throw nonFinite(k, "σ̂ = " + sigma, evidence.inputIsFinite(k));
        }
        checkSigma(k, sigma, stale ? 0 : 1);
    }

    /**
     * The rounding-error bound of σ̂ = uᵀAv evaluated in float32 for an m×n W: 2(m + n)·2⁻²⁴·‖u‖‖v‖·scale,
     * with scale = ‖W‖_F for A = W, or ‖W‖²_F + 1 for SRIP's A = G = (Gram of W) − I. A true σ̂ of 0 (W v = 0,
     * or G = 0 for an orthogonal W) can evaluate to a negative number within this bound.
     */
    public static double evaluationRoundingBound(int m, int n, double normU, double normV, double scale) {
        return 2.0 * (m + n) * 0x1.0p-24 * normU * normV * scale;
    }

    /**
     * σ̂, or 0 when σ̂ is negative within {@code bound} (see {@link #evaluationRoundingBound}): such a value is
     * a rounded zero, not stale state. Call it before {@link #checkSigma} on 0-iteration evaluations.
     */
    public static float zeroWithinRounding(float sigma, double bound) {
        return sigma < 0 && Double.isFinite(bound) && sigma >= -bound ? 0f : sigma;
    }

    /**
     * Rounds a value accumulated in double to float32, or throws if it is not representable.
     *
     * @param what        what the value is, for the message ("biggan loss")
     * @param inputFinite whether the matrix's entries are all finite (decides overflow versus bad input);
     *                    evaluated only when the value is bad
     */
    public static float toFloat(int matrix, double value, String what, BooleanSupplier inputFinite) {
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
                ? new FloatOverflowException(
                        matrix, found + " overflows float32 (the entries are finite but too large)")
                : new NonFiniteValueException(matrix, found + ": the matrix holds NaN or infinite entries");
    }

    /**
     * The result of per-matrix terms accumulated in float64 (each already checked to fit float32): the
     * terms rounded to float32, and their total summed in float64 and rounded once.
     *
     * @throws FloatOverflowException if the total does not fit float32
     */
    public static PenaltyResult penaltyFromTerms(double[] terms) {
        float[] perMatrix = new float[terms.length];
        double sum = 0;
        for (int k = 0; k < terms.length; k++) {
            perMatrix[k] = (float) terms[k];
            sum += terms[k];
        }
        return new PenaltyResult(toFloat(-1, sum, "total loss", () -> true), perMatrix);
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
