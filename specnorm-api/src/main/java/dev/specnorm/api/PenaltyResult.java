package dev.specnorm.api;

/**
 * The value of a penalty or regularizer over a list of batches: {@code loss} = Σ {@code perMatrix[k]},
 * one entry per matrix of the flattened list, float32, all finite.
 *
 * @param loss      the total, summed in double precision and rounded once
 * @param perMatrix each matrix's term
 */
public record PenaltyResult(float loss, float[] perMatrix) {

    /**
     * The result of per-matrix terms accumulated in float64 (each already checked to fit float32): the
     * terms rounded to float32, and their total summed in float64 and rounded once.
     *
     * @throws FloatOverflowException if the total does not fit float32
     */
    public static PenaltyResult fromTerms(double[] terms) {
        float[] perMatrix = new float[terms.length];
        double sum = 0;
        for (int k = 0; k < terms.length; k++) {
            perMatrix[k] = (float) terms[k];
            sum += terms[k];
        }
        return new PenaltyResult(ResultChecks.toFloat(-1, sum, "total loss", () -> true), perMatrix);
    }
}
