package dev.specnorm.api;

/**
 * A batch of B float32 matrices of m×n wherever it lives: on the host ({@link MatrixBatch}) or in
 * memory owned by a backend ({@link BatchBuffer}). Every operation of {@link SpectralBackend} takes
 * either kind.
 */
public interface Matrices {

    /** The batch's shape. */
    BatchShape shape();
}
