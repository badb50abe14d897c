package dev.specnorm.api;

import java.util.Arrays;

/**
 * The value of a penalty or regularizer over a list of batches: {@code loss} = Σ {@code perMatrix[k]},
 * one entry per matrix of the flattened list, float32, all finite. Immutable: the array is copied on the
 * way in and {@link #perMatrix()} returns a copy; {@link #term(int)} reads one entry without copying.
 *
 * @param loss      the total, summed in double precision and rounded once
 * @param perMatrix each matrix's term
 */
@SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString below use the arrays' contents
public record PenaltyResult(float loss, float[] perMatrix) {

    /** Copies {@code perMatrix}. */
    public PenaltyResult {
        perMatrix = perMatrix.clone();
    }

    /** A copy of every matrix's term. */
    @Override
    public float[] perMatrix() {
        return perMatrix.clone();
    }

    /** The number of matrices. */
    public int matrices() {
        return perMatrix.length;
    }

    /** The term of matrix {@code k} of the flattened list. */
    public float term(int k) {
        return perMatrix[k];
    }

    /** Equal loss and equal terms. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PenaltyResult r
                && Float.compare(loss, r.loss) == 0
                && Arrays.equals(perMatrix, r.perMatrix);
    }

    @Override
    public int hashCode() {
        return 31 * Float.hashCode(loss) + Arrays.hashCode(perMatrix);
    }

    @Override
    public String toString() {
        return "PenaltyResult[loss=" + loss + ", perMatrix=" + Arrays.toString(perMatrix) + "]";
    }
}
