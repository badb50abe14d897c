package dev.specnorm.examples.study;

import dev.specnorm.api.MatrixBatch;

/**
 * One batch of same-shaped matrices of a population, measured together.
 *
 * @param population    gaussian, gap, sngan or input
 * @param group         the line it belongs to in charts and the summary, e.g. {@code gap 0.99}
 * @param name          what it is, e.g. {@code 256x128 #0-7}
 * @param prescribedGap σ₂/σ₁ it was built with, or NaN
 * @param batch         the matrices
 */
public record Subject(String population, String group, String name, double prescribedGap, MatrixBatch batch) {

    /** Rows of each matrix. */
    public int rows() {
        return batch.shape().rows();
    }

    /** Columns of each matrix. */
    public int cols() {
        return batch.shape().cols();
    }

    /** Matrices in the batch. */
    public int count() {
        return batch.shape().batch();
    }
}
