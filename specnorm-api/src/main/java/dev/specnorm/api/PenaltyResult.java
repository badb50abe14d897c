package dev.specnorm.api;

/**
 * The value of a penalty or regularizer over a list of batches: {@code loss} = Σ {@code perMatrix[k]},
 * one entry per matrix of the flattened list, float32, all finite.
 *
 * @param loss      the total, summed in double precision and rounded once
 * @param perMatrix each matrix's term
 */
public record PenaltyResult(float loss, float[] perMatrix) {
}
